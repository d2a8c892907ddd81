"""Version 1 of explaining a change (MODEL.md v1 section 9): the within-window decomposition.

State 0 and state 1 are two evaluations: the same history at two dates (`explain`), or a
baseline and a what-if history at one date (`whatif`). Contracts are matched by contract_id.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from jsscheck.engine.evaluate import Evaluation
from jsscheck.engine.outcomes import Outcome, Reason
from jsscheck.engine.windows import EPS
from jsscheck.model.contract import Contract

#: Below this, a change of a window's total weight is no change (weights are quarters).
_ZERO_DELTA = 1e-9


@dataclass(frozen=True)
class ContractState:
    """A contract's outcome, reason and weight in one state (weight None when not counted)."""

    outcome: str
    reason: str
    weight: float | None
    in_window: bool

    def to_json(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "reason": self.reason, "weight": self.weight}


@dataclass(frozen=True)
class Contribution:
    """Contract `contract_id` moved the attributed window by `effect` points."""

    contract_id: str
    contract: Contract
    effect: float
    reason: str
    before: ContractState | None
    after: ContractState | None
    #: The contract's position in each state's history (None where it is absent).
    index_before: int | None = None
    index_after: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "contract_id": self.contract_id,
            "title": self.contract.title,
            "client": self.contract.client,
            "effect": self.effect,
            "reason": self.reason,
            "before": self.before.to_json() if self.before else None,
            "after": self.after.to_json() if self.after else None,
        }


@dataclass(frozen=True)
class WindowSwitch:
    """The move of the best candidate from `source` to `target` and what it did to the score."""

    source: str | None
    target: str | None
    effect: float

    def to_json(self) -> dict[str, Any]:
        return {"from": self.source, "to": self.target, "effect": self.effect}


@dataclass(frozen=True)
class Explanation:
    """Why the displayed score moved from state 0 to state 1.

    `status`: `attributed` (contributions explain it), `unchanged`, `appeared` (no score in
    state 0), `disappeared` (no score in state 1), `none` (no score in either state) or
    `unrelated` (the best candidates have no window in common to attribute in).
    Invariant: sum(effects) + window_switch.effect + floor_effect == change (to 1e-9).
    """

    before: Evaluation
    after: Evaluation
    change: float | None
    attributed_in: str | None
    window_switch: WindowSwitch | None
    floor_effect: float
    contributions: list[Contribution] = field(default_factory=list)
    status: str = "attributed"

    def to_json(self) -> dict[str, Any]:
        """The shared part of the `jsscheck.explain/1` and `jsscheck.whatif/1` documents."""
        return {
            "before": _side_json(self.before),
            "after": _side_json(self.after),
            "change": self.change,
            "attributed_in": self.attributed_in,
            "window_switch": self.window_switch.to_json() if self.window_switch else None,
            "floor_effect": self.floor_effect,
            "status": self.status,
            "contributions": [c.to_json() for c in self.contributions],
        }


def _side_json(evaluation: Evaluation) -> dict[str, Any]:
    best = (
        None
        if evaluation.best is None
        else {"candidate": evaluation.best, "score": evaluation.best_score}
    )
    return {"computed_on": evaluation.day.isoformat(), "jss": evaluation.jss, "best": best}


# --------------------------------------------------------------------------- per-window terms


@dataclass(frozen=True)
class _WindowTerms:
    """b_i and a_i of one window in both states, aligned over the union of contract ids."""

    b0: np.ndarray
    a0: np.ndarray
    b1: np.ndarray
    a1: np.ndarray


def _values(evaluation: Evaluation) -> np.ndarray:
    """v_i: +1 success, -1 negative, 0 neutral (net) or 1 success, 0 otherwise (share)."""
    outcome = evaluation.outcome
    if evaluation.rules.formula == "net":
        return np.where(
            outcome == Outcome.SUCCESS, 1.0, np.where(outcome == Outcome.NEGATIVE, -1.0, 0.0)
        )
    return np.where(outcome == Outcome.SUCCESS, 1.0, 0.0)


def _aligned(evaluation: Evaluation, months: int, index: np.ndarray) -> tuple[np.ndarray, ...]:
    """(b, a) of `evaluation` for window `months`, placed at `index` in the union (−1: absent)."""
    b_own = np.where(evaluation.members[months], evaluation.weight, 0.0)
    a_own = _values(evaluation) * b_own
    present = index >= 0
    b = np.zeros(len(index))
    a = np.zeros(len(index))
    b[present] = b_own[index[present]]
    a[present] = a_own[index[present]]
    return b, a


def shapley_contributions(terms: _WindowTerms) -> np.ndarray:
    """c_i = 100·(Δa_i·L − Δb_i·M): the Aumann–Shapley shares of the straight path (MODEL.md 9).

    They sum to the change of the unclamped score 100·A/B exactly (to rounding).
    """
    a0, b0 = terms.a0.sum(), terms.b0.sum()
    a1, b1 = terms.a1.sum(), terms.b1.sum()
    delta_a, delta_b = a1 - a0, b1 - b0
    if abs(delta_b) <= _ZERO_DELTA:
        lam = 1.0 / b0
        mu = (a0 + delta_a / 2.0) / b0**2
    else:
        log_ratio = math.log(b1 / b0)
        lam = log_ratio / delta_b
        k = (a0 * delta_b - delta_a * b0) / delta_b
        mu = (k * (1.0 / b0 - 1.0 / b1) + (delta_a / delta_b) * log_ratio) / delta_b
    return 100.0 * ((terms.a1 - terms.a0) * lam - (terms.b1 - terms.b0) * mu)


# --------------------------------------------------------------------------- choosing c


def _score(evaluation: Evaluation, name: str) -> float | None:
    return evaluation.candidate_score(name)


def _raw(evaluation: Evaluation, name: str) -> float:
    """The unclamped score of a candidate eligible in `evaluation`."""
    value = evaluation.unclamped_score(name)
    assert value is not None
    return value


def _choose_candidate(
    before: Evaluation, after: Evaluation
) -> tuple[str | None, float | None, WindowSwitch | None, str]:
    """MODEL.md 9: the candidate c to attribute in, the change and the window switch term."""
    best0, best1 = before.best, after.best
    if best0 is None and best1 is None:
        return None, None, None, "none"
    if best0 is None:
        return None, None, None, "appeared"
    if best1 is None:
        return None, None, None, "disappeared"
    s0, s1 = before.best_score, after.best_score
    assert s0 is not None and s1 is not None
    change = s1 - s0
    if best0 == best1:
        return best0, change, None, "attributed"
    if change < 0:
        if _score(after, best0) is not None:
            chosen, switch = best0, s1 - _score(after, best0)
        elif _score(before, best1) is not None:
            chosen, switch = best1, _score(before, best1) - s0
        else:
            chosen = None
    else:
        if _score(before, best1) is not None:
            chosen, switch = best1, _score(before, best1) - s0
        elif _score(after, best0) is not None:
            chosen, switch = best0, s1 - _score(after, best0)
        else:
            chosen = None
    if chosen is None:
        return None, change, WindowSwitch(best0, best1, change), "unrelated"
    return chosen, change, WindowSwitch(best0, best1, switch), "attributed"


# --------------------------------------------------------------------------- the explanation


def _state(evaluation: Evaluation, i: int, in_window: bool) -> ContractState | None:
    reason = Reason(int(evaluation.reason[i]))
    if reason is Reason.NOT_STARTED:
        return None
    outcome = Outcome(int(evaluation.outcome[i]))
    weight = None if outcome is Outcome.EXCLUDED else float(evaluation.weight[i])
    return ContractState(outcome.label, reason.label, weight, in_window)


def _change_reason(
    b0: float, b1: float, state0: ContractState | None, state1: ContractState | None
) -> str:
    if b0 == 0 and b1 != 0:
        return "entered"
    if b0 != 0 and b1 == 0:
        counted_now = state1 is not None and state1.outcome != "excluded"
        return "aged_out" if counted_now else "left"
    if state0 is not None and state1 is not None and state0.outcome != state1.outcome:
        return "outcome_changed"
    return "weight_changed"


def _union(before: Evaluation, after: Evaluation) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The contract ids of both states, and each one's index in each state (−1: absent)."""
    if before.arrays is after.arrays:  # the same history at two dates: nothing to match
        ids = before.arrays.contract_ids
        index = np.arange(len(ids), dtype=np.int64)
        return ids, index, index
    ids0 = before.arrays.index_of
    ids1 = after.arrays.index_of
    union = list(ids0) + [cid for cid in ids1 if cid not in ids0]
    index0 = np.fromiter((ids0.get(cid, -1) for cid in union), np.int64, len(union))
    index1 = np.fromiter((ids1.get(cid, -1) for cid in union), np.int64, len(union))
    return union, index0, index1


def explain_change(before: Evaluation, after: Evaluation) -> Explanation:
    """Split the change of the displayed score between `before` and `after` (MODEL.md 9)."""
    chosen, change, switch, status = _choose_candidate(before, after)
    if chosen is None:
        return Explanation(before, after, change, None, switch, 0.0, [], status)

    union, index0, index1 = _union(before, after)

    windows = [3, 6] if chosen == "trending" else [int(chosen.removesuffix("m"))]
    per_window = []
    for months in windows:
        b0, a0 = _aligned(before, months, index0)
        b1, a1 = _aligned(after, months, index1)
        terms = _WindowTerms(b0, a0, b1, a1)
        per_window.append((months, terms, shapley_contributions(terms)))
    effects = sum(c for _, _, c in per_window) / len(per_window)

    clamped = (_score(after, chosen) or 0.0) - (_score(before, chosen) or 0.0)
    unclamped = _raw(after, chosen) - _raw(before, chosen)
    floor_effect = clamped - unclamped
    if abs(floor_effect) < EPS:
        floor_effect = 0.0

    contributions = []
    for j in np.flatnonzero(np.abs(effects) > 1e-12).tolist():
        effect = float(effects[j])
        i0, i1 = int(index0[j]), int(index1[j])
        # The window in which this contract moved most names its reason.
        months, terms, own = max(per_window, key=lambda item: abs(item[2][j]))
        state0 = _state(before, i0, terms.b0[j] != 0) if i0 >= 0 else None
        state1 = _state(after, i1, terms.b1[j] != 0) if i1 >= 0 else None
        contract = after.arrays.contracts[i1] if i1 >= 0 else before.arrays.contracts[i0]
        contributions.append(
            Contribution(
                contract_id=union[j],
                contract=contract,
                effect=effect,
                reason=_change_reason(terms.b0[j], terms.b1[j], state0, state1),
                before=state0,
                after=state1,
                index_before=i0 if i0 >= 0 else None,
                index_after=i1 if i1 >= 0 else None,
            )
        )
    contributions.sort(key=lambda c: -abs(c.effect))
    if change is not None and abs(change) < EPS and not contributions:
        status = "unchanged"
    return Explanation(before, after, change, chosen, switch, floor_effect, contributions, status)
