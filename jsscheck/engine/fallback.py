"""MODEL.md 9.4: the within-window decomposition, for steps of more than 12 players.

The change is split into a part inside one candidate c (each contract's Aumann–Shapley share
of the straight path from state 0 to state 1), a window-switch term and a floor-at-0% term.
Only the window totals A, B of both states and the players' own changes Δa, Δb are needed:
a contract that did not change contributes 0.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from jsscheck.engine.outcomes import Outcome
from jsscheck.engine.windows import Scores

#: Below this, a change of a window's total weight is no change.
_ZERO_DELTA = 1e-9


def aumann_shapley(
    a0: float, b0: float, a1: float, b1: float, da: np.ndarray, db: np.ndarray
) -> np.ndarray:
    """c_i = 100·(Δa_i·L − Δb_i·M) of MODEL.md 9.4, from the totals A, B of both states.

    When the Δa_i, Δb_i add up to A₁ − A₀ and B₁ − B₀, the c_i add up to 100·(A₁/B₁ − A₀/B₀).
    """
    delta_a, delta_b = a1 - a0, b1 - b0
    if abs(delta_b) <= _ZERO_DELTA:
        lam = 1.0 / b0
        mu = (a0 + delta_a / 2.0) / b0**2
    else:
        log_ratio = math.log(b1 / b0)
        lam = log_ratio / delta_b
        k = (a0 * delta_b - delta_a * b0) / delta_b
        mu = (k * (1.0 / b0 - 1.0 / b1) + (delta_a / delta_b) * log_ratio) / delta_b
    return 100.0 * (da * lam - db * mu)


def signed_values(outcome: np.ndarray, formula: str) -> np.ndarray:
    """v_i: +1 success, −1 negative, 0 neutral (`net`); 1 success, 0 otherwise (`share`)."""
    success = outcome == Outcome.SUCCESS
    if formula == "net":
        return np.where(success, 1.0, np.where(outcome == Outcome.NEGATIVE, -1.0, 0.0))
    return np.where(success, 1.0, 0.0)


@dataclass(frozen=True)
class Side:
    """What the fallback needs of one state: its candidates and its window totals."""

    best: str | None
    best_score: float | None
    #: Eligible candidates: (clamped, unclamped) score (Trending: the means).
    candidates: dict[str, tuple[float, float]]
    #: months → (A, B) of that window: Σ v_i·w_i and Σ w_i.
    totals: dict[int, tuple[float, float]]

    @classmethod
    def of(cls, formula: str, scores: Scores, row: int) -> Side:
        candidates = {
            name: (float(scores.score[row, k]), float(scores.raw_score[row, k]))
            for k, name in enumerate(scores.names)
            if not math.isnan(float(scores.score[row, k]))
        }
        best = scores.best_name(row)
        best_score = None if best is None else candidates[best][0]
        sums = scores.sums
        totals = {}
        for k, months in enumerate(sums.months):
            s, n = float(sums.success[row, k]), float(sums.negative[row, k])
            total = s + n + float(sums.neutral[row, k])
            totals[months] = (s - n if formula == "net" else s, total)
        return cls(best, best_score, candidates, totals)

    def score(self, name: str) -> float | None:
        return self.candidates[name][0] if name in self.candidates else None


def _choose(before: Side, after: Side) -> tuple[str | None, float]:
    """MODEL.md 9.4: the candidate c to split in, and the window-switch term."""
    best0, best1 = before.best, after.best
    if best0 is None or best1 is None:
        return None, 0.0
    s0, s1 = before.best_score, after.best_score
    assert s0 is not None and s1 is not None
    if best0 == best1:
        return best0, 0.0
    b0_in_1, b1_in_0 = after.score(best0), before.score(best1)
    if s1 - s0 < 0:
        order = ((best0, b0_in_1), (best1, b1_in_0))
    else:
        order = ((best1, b1_in_0), (best0, b0_in_1))
    for name, other_side in order:
        if other_side is not None:
            # c = B₀: the switch is s_B₁(1) − s_B₀(1); c = B₁: it is s_B₁(0) − s_B₀(0).
            return name, (s1 - other_side) if name == best0 else (other_side - s0)
    return None, 0.0


def within_window(
    before: Side,
    after: Side,
    deltas: Callable[[int], tuple[np.ndarray, np.ndarray]],
    count: int,
    change: float,
) -> tuple[np.ndarray, list[tuple[str, float]]]:
    """Each of `count` players' contribution, and the unattributed terms ((kind, effect)).

    `deltas(months)` gives the players' Δa, Δb in that window. `change` is v(1) − v(0); where
    the step cannot be attributed within one candidate (a side without a candidate, or no
    candidate eligible on both sides) all of it is a window switch.
    """
    chosen, switch = _choose(before, after)
    if chosen is None:
        return np.zeros(count), [("window_switch", change)]
    months = [3, 6] if chosen == "trending" else [int(chosen.removesuffix("m"))]
    shares = []
    for m in months:
        (a0, b0), (a1, b1) = before.totals[m], after.totals[m]
        da, db = deltas(m)
        shares.append(aumann_shapley(a0, b0, a1, b1, da, db))
    contributions = np.asarray(sum(shares)) / len(shares)
    clamped = after.candidates[chosen][0] - before.candidates[chosen][0]
    raw = after.candidates[chosen][1] - before.candidates[chosen][1]
    floor = clamped - raw
    terms = []
    if switch != 0.0:
        terms.append(("window_switch", switch))
    if floor != 0.0:
        terms.append(("floor", floor))
    return contributions, terms
