"""Explaining a change of the score (MODEL.md version 2, section 9), as data.

A step goes from state 0 to state 1 (two evaluations: the same history at two computation dates,
or a baseline and a what-if at one date). Its players are the contracts whose footprint differs
(matched by contract_id) and, when `formula`, `windows`, `trending`, `min_clients` or
`min_outcomes` differ, the rule change. Each player's effect is its exact Shapley value
(`jsscheck.engine.coalitions`), or for a step of more than 12 players the within-window
decomposition of 9.4 with its window-switch and floor terms left unattributed. A period is a
chain of steps along time, so a contract's effect does not depend on the period asked about.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from jsscheck.engine.arrays import ContractArrays
from jsscheck.engine.calendar import update_day, window_start
from jsscheck.engine.changes import change_points
from jsscheck.engine.coalitions import Params, Sums, values
from jsscheck.engine.evaluate import Evaluation, evaluate
from jsscheck.engine.events import Effect, Effects, Event, Events, Footprint, no_events
from jsscheck.engine.fallback import Side
from jsscheck.engine.outcomes import Outcome
from jsscheck.engine.period import sweep
from jsscheck.engine.steps import (
    Base,
    Players,
    Step,
    Unattributed,
    build_step,
    differing,
    event_reason,
)
from jsscheck.engine.windows import EPS
from jsscheck.model.days import to_days
from jsscheck.model.rules import RuleSet

__all__ = [
    "Attribution",
    "Effect",
    "Effects",
    "Event",
    "Events",
    "Footprint",
    "Leverage",
    "State",
    "Step",
    "Unattributed",
    "attribute_period",
    "attribute_step",
    "attribute_whatif",
    "event_reason",
    "leverage",
    "state_value",
]

_EXCLUDED = int(Outcome.EXCLUDED)


@dataclass(frozen=True)
class Attribution:
    """Why the shown score moved between `before` and `after` (MODEL.md 9.3).

    Invariant for status changed/unchanged: the effects plus the unattributed terms sum to
    `change` (to 1e-9).
    """

    before: Evaluation
    after: Evaluation
    status: str  # changed | unchanged | appeared | disappeared | no_score
    change: float | None
    steps: tuple[Step, ...]
    #: Each contract's total, largest first (a sequence of `Effect`, made when read).
    effects: Effects
    unattributed: tuple[Unattributed, ...]


@dataclass(frozen=True)
class Leverage:
    """MODEL.md 9.6 at one evaluation."""

    candidate: str
    gain: float
    cost: float


# --------------------------------------------------------------------------- states


@dataclass(frozen=True)
class State:
    """What a step needs of one state: per-contract outcome, reason, weight and anchor."""

    rules: RuleSet
    day: date
    arrays: ContractArrays
    outcome: np.ndarray
    reason: np.ndarray
    weight: np.ndarray
    anchor: np.ndarray
    _inside: dict[tuple[int, ...], np.ndarray] = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, evaluation: Evaluation) -> State:
        return cls(
            evaluation.rules,
            evaluation.day,
            evaluation.arrays,
            evaluation.outcome,
            evaluation.reason,
            evaluation.weight,
            evaluation.anchor,
        )

    @property
    def counted(self) -> np.ndarray:
        counted: np.ndarray = self.outcome != Outcome.EXCLUDED
        return counted

    def inside(self, months: Sequence[int]) -> np.ndarray:
        """N×K: counted and in the window of each of `months` at this state's date."""
        months = tuple(months)
        if months not in self._inside:
            self._inside[months] = self._compute_inside(months)
        return self._inside[months]

    def _compute_inside(self, months: tuple[int, ...]) -> np.ndarray:
        t = to_days(self.day)
        counted = self.counted & (self.anchor <= t)
        starts = np.array([to_days(window_start(self.day, m)) for m in months], dtype=np.int64)
        return counted[:, None] & (self.anchor[:, None] >= starts[None, :])


def state_value(evaluation: Evaluation) -> float:
    """The value of MODEL.md 9.1 of an evaluated state."""
    sums = evaluation.scores.sums
    one = Sums(
        sums.months,
        sums.success[:1],
        sums.negative[:1],
        sums.neutral[:1],
        sums.contracts[:1],
        sums.clients[:1],
    )
    return float(values(Params.of(evaluation.rules), one)[0])


# --------------------------------------------------------------------------- one step


def _aligned(
    s0: State, s1: State, months: tuple[int, ...]
) -> tuple[list[str], list[tuple[np.ndarray, ...]], Sequence[str]]:
    """Both states' columns over the union of their contracts, matched by contract_id.

    Returns the ids, for each state (outcome, reason, weight, inside, client code) with
    EXCLUDED / 0 / False / −1 where a contract is absent, and the client names of the codes.
    """
    a0, a1 = s0.arrays, s1.arrays
    if a0 is a1:
        ids: list[str] = a0.contract_ids
        names: Sequence[str] = a0.contracts.clients
        index: tuple[np.ndarray | None, np.ndarray | None] = (None, None)
        codes = (a0.client_code, a0.client_code)
    else:
        ids0, ids1 = a0.index_of, a1.index_of
        ids = list(ids0) + [cid for cid in ids1 if cid not in ids0]
        index = (
            np.fromiter((ids0.get(cid, -1) for cid in ids), np.int64, len(ids)),
            np.fromiter((ids1.get(cid, -1) for cid in ids), np.int64, len(ids)),
        )
        names = list(a0.contracts.clients)
        known = {name: i for i, name in enumerate(names)}
        for name in a1.contracts.clients:
            if name not in known:
                known[name] = len(names)
                names.append(name)
        recode = np.array([known[n] for n in a1.contracts.clients] or [0], dtype=np.int64)
        codes = (a0.client_code, recode[a1.client_code])
    columns = []
    for state, where, code in ((s0, index[0], codes[0]), (s1, index[1], codes[1])):
        outcome = np.where(state.counted, state.outcome, _EXCLUDED).astype(np.int8)
        weight = np.where(state.counted, state.weight, 0.0)
        parts = (outcome, state.reason, weight, state.inside(months), code)
        fills = (_EXCLUDED, 0, 0.0, False, -1)
        columns.append(tuple(_take(x, where, f) for x, f in zip(parts, fills, strict=True)))
    return ids, columns, names


def _take(values_: np.ndarray, index: np.ndarray | None, fill: object) -> np.ndarray:
    if index is None:
        return values_
    out = np.full((len(index),) + values_.shape[1:], fill, dtype=values_.dtype)
    present = index >= 0
    out[present] = values_[index[present]]
    return out


def _base(columns: tuple[np.ndarray, ...], months: tuple[int, ...], n_names: int) -> Base:
    """State 0's window sums over every contract (a what-if step)."""
    outcome, _, weight, inside, code = columns
    weighted = inside * weight[:, None]
    counted_codes = [code[inside[:, k]] for k in range(len(months))]
    per_client = (
        np.stack([np.bincount(c, minlength=n_names) for c in counted_codes], axis=1)
        if n_names
        else np.zeros((0, len(months)), dtype=np.int64)
    )

    def client_counts(involved: np.ndarray) -> np.ndarray:
        counts: np.ndarray = per_client[involved].astype(np.float64)
        return counts

    return Base(
        (weighted * (outcome == Outcome.SUCCESS)[:, None]).sum(axis=0),
        (weighted * (outcome == Outcome.NEGATIVE)[:, None]).sum(axis=0),
        (weighted * (outcome == Outcome.NEUTRAL)[:, None]).sum(axis=0),
        inside.sum(axis=0).astype(np.int64),
        np.count_nonzero(per_client, axis=0).astype(np.int64),
        client_counts,
    )


def attribute_step(before: Evaluation, after: Evaluation) -> Step:
    """One step (MODEL.md 9.2) between two evaluations, contracts matched by contract_id.

    The two may come from different histories and rule sets (a what-if); the rule change is a
    player when `formula`, `windows`, `trending`, `min_clients` or `min_outcomes` differ.
    """
    s0, s1 = State.of(before), State.of(after)
    months = tuple(sorted(set(before.rules.candidate_windows) | set(after.rules.candidate_windows)))
    ids, columns, names = _aligned(s0, s1, months)
    c0, c1 = columns
    moved = differing((c0[0], c1[0]), (c0[2], c1[2]), (c0[3], c1[3]), (c0[4], c1[4]))
    players = np.flatnonzero(moved)
    step_players = Players(
        ids,
        players,
        months,
        (c0[0][players], c1[0][players]),
        (c0[1][players], c1[1][players]),
        (c0[2][players], c1[2][players]),
        (c0[3][players], c1[3][players]),
        (c0[4][players], c1[4][players]),
        names,
    )
    return build_step(
        (before.day, after.day),
        step_players,
        _base(c0, months, len(names)),
        (before.rules, after.rules),
        (state_value(before), state_value(after)),
        (before.jss, after.jss),
        (
            Side.of(before.rules.formula, before.scores, 0),
            Side.of(after.rules.formula, after.scores, 0),
        ),
    )


# --------------------------------------------------------------------------- periods


def _status(before: Evaluation, after: Evaluation) -> tuple[str, float | None]:
    if before.jss is None and after.jss is None:
        return "no_score", None
    if before.jss is None:
        return "appeared", None
    if after.jss is None:
        return "disappeared", None
    assert before.best_score is not None and after.best_score is not None
    return "changed", after.best_score - before.best_score


def _attribution(
    before: Evaluation, after: Evaluation, status: str, change: float | None, steps: list[Step]
) -> Attribution:
    if steps:
        events = Events.concat([s.columns for s in steps], steps[0].columns)
        # The steps read their events from the one set of columns.
        ends = np.cumsum([len(s.columns) for s in steps]).tolist()
        steps = [
            dataclasses.replace(s, columns=events.take(slice(end - len(s.columns), end)))
            for s, end in zip(steps, ends, strict=True)
        ]
    else:
        events = no_events()
    effects = Effects(events)
    unattributed = tuple(u for step in steps for u in step.unattributed)
    if status == "changed" and change is not None and abs(change) < EPS and not effects:
        status = "unchanged"
    return Attribution(before, after, status, change, tuple(steps), effects, unattributed)


def attribute_whatif(before: Evaluation, after: Evaluation) -> Attribution:
    """A what-if: one step at one date (MODEL.md 9.3, last line)."""
    status, change = _status(before, after)
    if change is None:
        return Attribution(before, after, status, None, (), Effects(no_events()), ())
    step = attribute_step(before, after)
    steps = [step] if len(step.columns) or step.unattributed else []
    return _attribution(before, after, status, change, steps)


def attribute_period(
    arrays: ContractArrays, rules: RuleSet, since: date, as_of: date
) -> Attribution:
    """Why the score shown on `as_of` differs from the one shown on `since` (MODEL.md 9.3).

    The steps go through every date in (c0, c1] on which a footprint may change (the change
    points; a date on which nothing changed gives no step). The dates are evaluated in blocks
    (one engine pass per block), not one `evaluate` call per date.
    """
    c0, c1 = update_day(since, rules.cadence), update_day(as_of, rules.cadence)
    if c1 < c0:
        raise ValueError(f"since ({since}) is after as_of ({as_of})")
    first, last = evaluate(arrays, rules, c0), evaluate(arrays, rules, c1)
    status, change = _status(first, last)
    if change is None:
        return Attribution(first, last, status, None, (), Effects(no_events()), ())
    days = [c0, *(d for d in change_points(arrays, rules, c0, c1) if c0 < d < c1)]
    if c1 > c0:
        days.append(c1)
    steps = list(sweep(arrays, rules, days, (state_value(first), state_value(last))))
    return _attribution(first, last, status, change, steps)


# --------------------------------------------------------------------------- leverage


def leverage(evaluation: Evaluation) -> Leverage | None:
    """MODEL.md 9.6: one more success / negative of weight 1 in the best candidate's window(s)."""
    best = evaluation.best
    if best is None:
        return None
    months = [3, 6] if best == "trending" else [int(best.removesuffix("m"))]
    sums = evaluation.scores.sums
    gains, costs = [], []
    for m in months:
        k = sums.months.index(m)
        s, n, u = float(sums.success[0, k]), float(sums.negative[0, k]), float(sums.neutral[0, k])
        b = s + n + u
        if evaluation.rules.formula == "net":
            a, a_neg = s - n, s - n - 1.0
        else:
            a, a_neg = s, s
        now = _clamp(100.0 * a / b)
        gains.append(_clamp(100.0 * (a + 1.0) / (b + 1.0)) - now)
        costs.append(_clamp(100.0 * a_neg / (b + 1.0)) - now)
    return Leverage(best, sum(gains) / len(gains), sum(costs) / len(costs))


def _clamp(x: float) -> float:
    return min(100.0, max(0.0, x))
