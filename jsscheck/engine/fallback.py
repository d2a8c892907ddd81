"""MODEL.md 9.4: the within-window decomposition, for steps of more than 12 players.

The change is split into a part inside one candidate c (each contract's Aumann–Shapley share
of the straight path from state 0 to state 1), a window-switch term and a floor-at-0% term.
"""

from __future__ import annotations

import math

import numpy as np

from jsscheck.engine.core import Evaluation, Outcome

#: Below this, a change of a window's total weight is no change.
_ZERO_DELTA = 1e-9


def aumann_shapley(a0: np.ndarray, b0: np.ndarray, a1: np.ndarray, b1: np.ndarray) -> np.ndarray:
    """c_i = 100·(Δa_i·L − Δb_i·M) of MODEL.md 9.4; they sum to the change of 100·A/B."""
    big_a0, big_b0 = float(a0.sum()), float(b0.sum())
    delta_a, delta_b = float(a1.sum()) - big_a0, float(b1.sum()) - big_b0
    if abs(delta_b) <= _ZERO_DELTA:
        lam = 1.0 / big_b0
        mu = (big_a0 + delta_a / 2.0) / big_b0**2
    else:
        log_ratio = math.log((big_b0 + delta_b) / big_b0)
        lam = log_ratio / delta_b
        k = (big_a0 * delta_b - delta_a * big_b0) / delta_b
        mu = (k * (1.0 / big_b0 - 1.0 / (big_b0 + delta_b)) + (delta_a / delta_b) * log_ratio) / (
            delta_b
        )
    return 100.0 * ((a1 - a0) * lam - (b1 - b0) * mu)


def _score(evaluation: Evaluation, name: str) -> float | None:
    if name not in evaluation.scores.names:
        return None
    return evaluation.candidate_score(name)


def _terms(
    evaluation: Evaluation, months: int, index: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """(a, b) of one window, over the step's union of contracts (index −1: absent)."""
    outcome = evaluation.outcome
    b = np.where(evaluation.members[months], evaluation.weight, 0.0)
    if evaluation.rules.formula == "net":
        v = np.where(
            outcome == Outcome.SUCCESS, 1.0, np.where(outcome == Outcome.NEGATIVE, -1.0, 0)
        )
    else:
        v = np.where(outcome == Outcome.SUCCESS, 1.0, 0.0)
    a = v * b
    if index is None:
        return a, b
    present = index >= 0
    a_all, b_all = np.zeros(len(index)), np.zeros(len(index))
    a_all[present], b_all[present] = a[index[present]], b[index[present]]
    return a_all, b_all


def within_window(
    before: Evaluation,
    after: Evaluation,
    index0: np.ndarray | None,
    index1: np.ndarray | None,
    players: np.ndarray,
    change: float,
) -> tuple[np.ndarray, list[tuple[str, float]]]:
    """Each player's contribution and the unattributed terms ((kind, effect)) of one step.

    `change` is v(1) − v(0); where the step cannot be attributed within one candidate (a side
    without a candidate, or no candidate eligible on both sides) all of it is a window switch.
    """
    zeros = np.zeros(len(players))
    best0, best1 = before.best, after.best
    if best0 is None or best1 is None:
        return zeros, [("window_switch", change)]
    s0, s1 = before.best_score, after.best_score
    assert s0 is not None and s1 is not None
    chosen: str | None
    switch = 0.0
    if best0 == best1:
        chosen = best0
    else:
        b0_in_1, b1_in_0 = _score(after, best0), _score(before, best1)
        first, second = (
            ((best0, b0_in_1, s1), (best1, b1_in_0, s0))
            if s1 - s0 < 0
            else ((best1, b1_in_0, s0), (best0, b0_in_1, s1))
        )
        chosen = None
        for name, other_side, best_score in (first, second):
            if other_side is not None:
                chosen = name
                # c = B0: switch s_B1(1) − s_B0(1); c = B1: switch s_B1(0) − s_B0(0).
                switch = best_score - other_side if name == best0 else other_side - best_score
                break
    if chosen is None:
        return zeros, [("window_switch", change)]
    months = [3, 6] if chosen == "trending" else [int(chosen.removesuffix("m"))]
    shares = []
    for m in months:
        a0, b0 = _terms(before, m, index0)
        a1, b1 = _terms(after, m, index1)
        shares.append(aumann_shapley(a0, b0, a1, b1))
    contributions = sum(shares) / len(shares)
    clamped = (_score(after, chosen) or 0.0) - (_score(before, chosen) or 0.0)
    raw_after, raw_before = after.unclamped_score(chosen), before.unclamped_score(chosen)
    assert raw_after is not None and raw_before is not None
    floor = clamped - (raw_after - raw_before)
    terms = []
    if switch != 0.0:
        terms.append(("window_switch", switch))
    if floor != 0.0:
        terms.append(("floor", floor))
    return np.asarray(contributions)[players], terms
