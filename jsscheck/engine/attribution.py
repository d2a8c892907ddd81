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

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from jsscheck.engine.attribution_v1 import (  # noqa: F401  (version 1, until callers move)
    ContractState,
    Contribution,
    Explanation,
    WindowSwitch,
    explain_change,
    shapley_contributions,
)
from jsscheck.engine.calendar import update_day, window_start
from jsscheck.engine.changes import change_points
from jsscheck.engine.coalitions import MAX_EXACT_PLAYERS, Game, Params, Sums, shapley, values
from jsscheck.engine.core import EPS, ContractArrays, Evaluation, Outcome, Reason, evaluate
from jsscheck.engine.fallback import within_window
from jsscheck.model.days import to_days
from jsscheck.model.rules import RuleSet

#: Two weights closer than this are the same weight (weights are quarters or dollars).
_SAME_WEIGHT = 1e-9


@dataclass(frozen=True)
class Footprint:
    """MODEL.md 9.1: a counted contract in one state."""

    outcome: str  # "success" | "negative" | "neutral"
    reason: str  # MODEL.md section 3 reason code
    weight: float
    windows: tuple[int, ...]  # months of the computed windows it is in, ascending
    client: str


@dataclass(frozen=True)
class Event:
    """One player of one step: `contract_id` None is the rule change."""

    contract_id: str | None
    day: date
    reason: str  # entered | aged_out | left | outcome_changed | weight_changed | rules
    effect: float
    before: Footprint | None
    after: Footprint | None


@dataclass(frozen=True)
class Unattributed:
    """A term of a step of more than 12 players (MODEL.md 9.4): `window_switch` or `floor`."""

    day: date
    kind: str
    effect: float


@dataclass(frozen=True)
class Step:
    """One step of MODEL.md 9.2 (events: largest |effect| first)."""

    day: date
    previous_day: date
    value_before: float
    value_after: float
    jss_before: int | None
    jss_after: int | None
    events: tuple[Event, ...]
    unattributed: tuple[Unattributed, ...]


@dataclass(frozen=True)
class Effect:
    """One contract's total over a period (events in date order)."""

    contract_id: str | None
    effect: float
    events: tuple[Event, ...]


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
    effects: tuple[Effect, ...]
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
        return self.outcome != Outcome.EXCLUDED

    def inside(self, months: Sequence[int]) -> np.ndarray:
        """N×K: counted and in the window of each of `months` at this state's date."""
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


@dataclass(frozen=True)
class _Aligned:
    """Both states over the union of their contracts (index −1: absent from that state)."""

    ids: Sequence[str]
    index0: np.ndarray | None  # None: the same history, identity
    index1: np.ndarray | None
    client0: np.ndarray  # client codes in a space shared by both states
    client1: np.ndarray
    client_names: list[str]


def _align(s0: State, s1: State) -> _Aligned:
    a0, a1 = s0.arrays, s1.arrays
    if a0 is a1:
        code = a0.client_code
        return _Aligned(a0.contract_ids, None, None, code, code, a0.contracts.clients)
    ids0, ids1 = a0.index_of, a1.index_of
    ids = list(ids0) + [cid for cid in ids1 if cid not in ids0]
    index0 = np.fromiter((ids0.get(cid, -1) for cid in ids), np.int64, len(ids))
    index1 = np.fromiter((ids1.get(cid, -1) for cid in ids), np.int64, len(ids))
    names = list(a0.contracts.clients)
    known = {name: i for i, name in enumerate(names)}
    for name in a1.contracts.clients:
        if name not in known:
            known[name] = len(names)
            names.append(name)
    map1 = np.array([known[n] for n in a1.contracts.clients], dtype=np.int64)
    code0 = np.where(index0 >= 0, a0.client_code[np.maximum(index0, 0)], -1)
    code1 = np.where(
        index1 >= 0, map1[a1.client_code[np.maximum(index1, 0)]] if len(map1) else -1, -1
    )
    return _Aligned(ids, index0, index1, code0, code1, names)


def _take(values_: np.ndarray, index: np.ndarray | None, fill: object) -> np.ndarray:
    if index is None:
        return values_
    out = np.full((len(index),) + values_.shape[1:], fill, dtype=values_.dtype)
    present = index >= 0
    out[present] = values_[index[present]]
    return out


def _footprint(
    state: State, i: int, inside: np.ndarray, months: tuple[int, ...], client: str
) -> Footprint | None:
    outcome = Outcome(int(state.outcome[i]))
    if outcome is Outcome.EXCLUDED:
        return None
    windows = tuple(m for k, m in enumerate(months) if inside[k])
    return Footprint(
        outcome.label, Reason(int(state.reason[i])).label, float(state.weight[i]), windows, client
    )


def event_reason(before: Footprint | None, after: Footprint | None) -> str:
    """MODEL.md 9.5: what happened to a contract between its two footprints."""
    if before is None:
        return "entered"
    if after is None:
        return "left"
    if before.outcome != after.outcome:
        return "outcome_changed"
    if abs(before.weight - after.weight) > _SAME_WEIGHT:
        return "weight_changed"
    return "aged_out" if len(after.windows) < len(before.windows) else "entered"


def step_between(
    s0: State,
    s1: State,
    value0: float,
    value1: float,
    jss0: int | None,
    jss1: int | None,
    evaluations: tuple[Evaluation, Evaluation] | None = None,
) -> Step:
    """One step (MODEL.md 9.2) between two states whose values and JSS are known.

    `evaluations` are needed only for a step of more than 12 players (made when missing).
    """
    months = tuple(sorted(set(s0.rules.candidate_windows) | set(s1.rules.candidate_windows)))
    al = _align(s0, s1)
    inside0 = _take(s0.inside(months), al.index0, False)
    inside1 = _take(s1.inside(months), al.index1, False)
    out0 = _take(s0.outcome, al.index0, int(Outcome.EXCLUDED))
    out1 = _take(s1.outcome, al.index1, int(Outcome.EXCLUDED))
    w0 = np.where(out0 != Outcome.EXCLUDED, _take(s0.weight, al.index0, 0.0), 0.0)
    w1 = np.where(out1 != Outcome.EXCLUDED, _take(s1.weight, al.index1, 0.0), 0.0)
    c0, c1 = out0 != Outcome.EXCLUDED, out1 != Outcome.EXCLUDED
    both = c0 & c1
    differs = (c0 != c1) | (
        both
        & (
            (out0 != out1)
            | (np.abs(w0 - w1) > _SAME_WEIGHT)
            | (inside0 != inside1).any(axis=1)
            | (al.client0 != al.client1)
        )
    )
    players = np.flatnonzero(differs)
    params0, params1 = Params.of(s0.rules), Params.of(s1.rules)
    rule_player = params0 != params1
    n = len(players) + int(rule_player)

    def footprints(j: int) -> tuple[Footprint | None, Footprint | None]:
        names = al.client_names
        i0 = j if al.index0 is None else int(al.index0[j])
        i1 = j if al.index1 is None else int(al.index1[j])
        f0 = None if i0 < 0 else _footprint(s0, i0, inside0[j], months, names[al.client0[j]])
        f1 = None if i1 < 0 else _footprint(s1, i1, inside1[j], months, names[al.client1[j]])
        return f0, f1

    effects: np.ndarray
    unattributed: tuple[Unattributed, ...] = ()
    if n <= MAX_EXACT_PLAYERS:
        game, active = _game(months, al, players, inside0, inside1, out0, out1, w0, w1)
        raw = shapley(game, params0, params1, rule_player, value0, value1)
        effects = np.zeros(len(players))
        effects[active] = raw[: len(active)]
        rule_effect = float(raw[-1]) if rule_player else 0.0
    else:
        if evaluations is None:
            evaluations = (
                evaluate(s0.arrays, s0.rules, s0.day),
                evaluate(s1.arrays, s1.rules, s1.day),
            )
        effects, terms = within_window(
            evaluations[0], evaluations[1], al.index0, al.index1, players, value1 - value0
        )
        unattributed = tuple(Unattributed(s1.day, kind, e) for kind, e in terms)
        rule_effect = 0.0
    events = []
    for j, effect in zip(players.tolist(), effects.tolist(), strict=True):
        f0, f1 = footprints(j)
        events.append(Event(al.ids[j], s1.day, event_reason(f0, f1), effect, f0, f1))
    if rule_player:
        events.append(Event(None, s1.day, "rules", rule_effect, None, None))
    events.sort(key=lambda e: -abs(e.effect))
    return Step(s1.day, s0.day, value0, value1, jss0, jss1, tuple(events), unattributed)


def _game(
    months: tuple[int, ...],
    al: _Aligned,
    players: np.ndarray,
    inside0: np.ndarray,
    inside1: np.ndarray,
    out0: np.ndarray,
    out1: np.ndarray,
    w0: np.ndarray,
    w1: np.ndarray,
) -> tuple[Game, np.ndarray]:
    """The step as a coalition game; players in no window in either state are left out.

    Such a player changes no window sum, so its Shapley value is exactly 0 and leaving it out
    changes no other player's value (the null-player property). Returns the game and the
    positions, among `players`, of those kept.
    """

    def sums(inside: np.ndarray, out: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, ...]:
        x = inside * w[:, None]
        return (
            (x * (out == Outcome.SUCCESS)[:, None]).sum(axis=0),
            (x * (out == Outcome.NEGATIVE)[:, None]).sum(axis=0),
            (x * (out == Outcome.NEUTRAL)[:, None]).sum(axis=0),
            inside.sum(axis=0).astype(np.float64),
        )

    moving = inside0[players].any(axis=1) | inside1[players].any(axis=1)
    active = np.flatnonzero(moving)
    kept = players[active]
    base = sums(inside0, out0, w0)
    per0 = [_rows(inside0[kept], out0[kept], w0[kept], o) for o in _KINDS]
    per1 = [_rows(inside1[kept], out1[kept], w1[kept], o) for o in _KINDS]
    involved = np.unique(np.concatenate([al.client0[kept], al.client1[kept]]))
    involved = involved[involved >= 0]
    k_count = len(months)
    clients0 = np.zeros((len(involved), k_count))
    distinct0 = np.zeros(k_count, dtype=np.int64)
    for k in range(k_count):
        codes = al.client0[inside0[:, k]]
        counts = (
            np.bincount(codes, minlength=len(al.client_names))
            if len(codes)
            else np.zeros(len(al.client_names), dtype=np.int64)
        )
        distinct0[k] = np.count_nonzero(counts)
        if len(involved):
            clients0[:, k] = counts[involved]
    delta = np.zeros((len(kept), len(involved), k_count))
    if len(involved):
        where = {int(c): i for i, c in enumerate(involved.tolist())}
        for row, j in enumerate(kept.tolist()):
            if al.client0[j] >= 0:
                delta[row, where[int(al.client0[j])]] -= inside0[j]
            if al.client1[j] >= 0:
                delta[row, where[int(al.client1[j])]] += inside1[j]
    game = Game(
        months=months,
        success0=base[0],
        negative0=base[1],
        neutral0=base[2],
        contracts0=base[3].astype(np.int64),
        distinct0=distinct0,
        clients0=clients0,
        success=per1[0] - per0[0],
        negative=per1[1] - per0[1],
        neutral=per1[2] - per0[2],
        contracts=(inside1[kept].astype(np.float64) - inside0[kept]),
        client_delta=delta,
    )
    return game, active


_KINDS = (Outcome.SUCCESS, Outcome.NEGATIVE, Outcome.NEUTRAL)


def _rows(inside: np.ndarray, out: np.ndarray, w: np.ndarray, kind: Outcome) -> np.ndarray:
    """Each contract's weight in each window where its outcome is `kind` (n×K)."""
    return inside * np.where(out == kind, w, 0.0)[:, None]


def attribute_step(before: Evaluation, after: Evaluation) -> Step:
    """One step (MODEL.md 9.2) between two evaluations, contracts matched by contract_id."""
    return step_between(
        State.of(before),
        State.of(after),
        state_value(before),
        state_value(after),
        before.jss,
        after.jss,
        (before, after),
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
    by_contract: dict[str | None, list[Event]] = {}
    for step in steps:
        for event in step.events:
            by_contract.setdefault(event.contract_id, []).append(event)
    effects = [
        Effect(cid, math.fsum(e.effect for e in events), tuple(events))
        for cid, events in by_contract.items()
    ]
    effects = [e for e in effects if abs(e.effect) > 1e-12]
    effects.sort(key=lambda e: -abs(e.effect))
    unattributed = tuple(u for step in steps for u in step.unattributed)
    if status == "changed" and change is not None and abs(change) < EPS and not effects:
        status = "unchanged"
    return Attribution(before, after, status, change, tuple(steps), tuple(effects), unattributed)


def attribute_whatif(before: Evaluation, after: Evaluation) -> Attribution:
    """A what-if: one step at one date (MODEL.md 9.3, last line)."""
    status, change = _status(before, after)
    if change is None:
        return Attribution(before, after, status, None, (), (), ())
    return _attribution(before, after, status, change, [attribute_step(before, after)])


def attribute_period(
    arrays: ContractArrays, rules: RuleSet, since: date, as_of: date
) -> Attribution:
    """Why the score shown on `as_of` differs from the one shown on `since` (MODEL.md 9.3).

    The steps go through every date in (c0, c1] on which a footprint may change (the change
    points; a date on which nothing changed gives no step).
    """
    c0, c1 = update_day(since, rules.cadence), update_day(as_of, rules.cadence)
    if c1 < c0:
        raise ValueError(f"since ({since}) is after as_of ({as_of})")
    first, last = evaluate(arrays, rules, c0), evaluate(arrays, rules, c1)
    status, change = _status(first, last)
    if change is None:
        return Attribution(first, last, status, None, (), (), ())
    days = [d for d in change_points(arrays, rules, c0, c1) if c0 < d < c1]
    if c1 > c0:
        days.append(c1)
    steps = []
    previous = first
    for day in days:
        current = last if day == c1 else evaluate(arrays, rules, day)
        step = attribute_step(previous, current)
        if step.events or step.unattributed:
            steps.append(step)
        previous = current
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
