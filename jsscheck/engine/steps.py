"""One step of MODEL.md 9.2 (state 0 → state 1) and the steps of a period along time (9.3).

A step needs only its players — the contracts whose footprint differs — with both footprints,
and state 0's window sums: every mixed state is state 0 plus some players' changes. For a
period, `sweep` takes the window sums and scores of every date from one sweep over the
contracts' constant segments (engine/sweep.py), which also lists the contracts that may change
on each date; a step evaluates only those, on its two dates, and the clients its players
involve. No date is evaluated in full. Weights that only sum exactly in one order (dollars
with cents) go date by date instead (`sweep_by_rows`, one engine pass per block of dates).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import cast

import numpy as np

from jsscheck.engine.arrays import ContractArrays
from jsscheck.engine.coalitions import MAX_EXACT_PLAYERS, Game, Params, Sums, shapley, values
from jsscheck.engine.evaluate import _BLOCK_CELLS
from jsscheck.engine.fallback import Side, signed_values, within_window
from jsscheck.engine.outcomes import Outcome, Reason, outcomes_at
from jsscheck.engine.sweep import _Gathered, window_sums_swept
from jsscheck.engine.windows import ClientCounter as _ClientCounter
from jsscheck.engine.windows import Scores, contract_parts, scores_from_sums
from jsscheck.engine.windows import window_sums as _window_sums
from jsscheck.model.days import to_days
from jsscheck.model.rules import RuleSet
from jsscheck.model.table import DAY

#: Two weights closer than this are the same weight (weights are quarters or dollars).
SAME_WEIGHT = 1e-9
_EXCLUDED = int(Outcome.EXCLUDED)
_OUTCOME_LABELS = {int(o): o.label for o in Outcome}
_REASON_LABELS = {int(r): r.label for r in Reason}


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


def event_reason(before: Footprint | None, after: Footprint | None) -> str:
    """MODEL.md 9.5: what happened to a contract between its two footprints."""
    if before is None:
        return "entered"
    if after is None:
        return "left"
    if before.outcome != after.outcome:
        return "outcome_changed"
    if abs(before.weight - after.weight) > SAME_WEIGHT:
        return "weight_changed"
    return "aged_out" if len(after.windows) < len(before.windows) else "entered"


@dataclass(frozen=True)
class Players:
    """The players' footprints in both states, as columns of n rows (index 0 / 1: the state).

    `outcome` is EXCLUDED where a contract is not counted or absent; `weight` is 0 there and
    `client` −1 where it is absent; `inside` is n×K over the step's computed `months`.
    """

    ids: list[str]
    months: tuple[int, ...]
    outcome: tuple[np.ndarray, np.ndarray]
    reason: tuple[np.ndarray, np.ndarray]
    weight: tuple[np.ndarray, np.ndarray]
    inside: tuple[np.ndarray, np.ndarray]
    client: tuple[np.ndarray, np.ndarray]
    client_names: Sequence[str]

    def footprints(self, side: int) -> list[Footprint | None]:
        """Every player's footprint in state `side` (None where not counted)."""
        bits = self.inside[side].astype(np.int64) @ (1 << np.arange(len(self.months)))
        windows = {
            b: tuple(m for k, m in enumerate(self.months) if b >> k & 1) for b in set(bits.tolist())
        }
        names = self.client_names
        return [
            None
            if outcome == _EXCLUDED
            else Footprint(
                _OUTCOME_LABELS[outcome],
                _REASON_LABELS[reason],
                weight,
                windows[b],
                names[client],
            )
            for outcome, reason, weight, b, client in zip(
                self.outcome[side].tolist(),
                self.reason[side].tolist(),
                self.weight[side].tolist(),
                bits.tolist(),
                self.client[side].tolist(),
                strict=True,
            )
        ]


@dataclass(frozen=True)
class Base:
    """State 0's sums in each of the step's computed windows (K), and its clients there."""

    success: np.ndarray
    negative: np.ndarray
    neutral: np.ndarray
    contracts: np.ndarray
    distinct: np.ndarray
    #: client codes (C) → C×K: state 0's counted contracts of each client in each window.
    client_counts: Callable[[np.ndarray], np.ndarray]


def _moving(players: Players) -> np.ndarray:
    """Positions of the players in some window in either state.

    A player in no window in both states changes no window sum: its Shapley value is exactly
    0, and leaving it out of the game changes no other player's value (the null-player
    property).
    """
    in0, in1 = players.inside
    return np.flatnonzero(in0.any(axis=1) | in1.any(axis=1))


def _game(players: Players, base: Base, kept: np.ndarray) -> Game:
    """The step as a coalition game of the players at positions `kept`."""
    in0, in1 = players.inside
    in0, in1 = in0[kept], in1[kept]
    out0, out1 = players.outcome[0][kept], players.outcome[1][kept]
    w0, w1 = players.weight[0][kept], players.weight[1][kept]

    def delta(kind: Outcome) -> np.ndarray:
        moved: np.ndarray = (
            in1 * np.where(out1 == kind, w1, 0.0)[:, None]
            - in0 * np.where(out0 == kind, w0, 0.0)[:, None]
        )
        return moved

    c0, c1 = players.client[0][kept], players.client[1][kept]
    involved = np.unique(np.concatenate([c0, c1]))
    involved = involved[involved >= 0]
    k_count = len(players.months)
    client_delta = np.zeros((len(kept), len(involved), k_count))
    rows = np.arange(len(kept))
    for codes, inside, sign in ((c0, in0, -1.0), (c1, in1, 1.0)):
        present = codes >= 0
        column = np.searchsorted(involved, codes[present])
        client_delta[rows[present], column] += sign * inside[present]
    return Game(
        months=players.months,
        success0=base.success,
        negative0=base.negative,
        neutral0=base.neutral,
        contracts0=base.contracts,
        distinct0=base.distinct,
        clients0=base.client_counts(involved) if len(involved) else np.zeros((0, k_count)),
        success=delta(Outcome.SUCCESS),
        negative=delta(Outcome.NEGATIVE),
        neutral=delta(Outcome.NEUTRAL),
        contracts=in1.astype(np.float64) - in0,
        client_delta=client_delta,
    )


def build_step(
    days: tuple[date, date],
    players: Players,
    base: Base,
    rules: tuple[RuleSet, RuleSet],
    value: tuple[float, float],
    jss: tuple[int | None, int | None],
    sides: tuple[Side, Side],
) -> Step:
    """Effects of the players of one step: exact Shapley values up to 12 players, else 9.4."""
    params0, params1 = Params.of(rules[0]), Params.of(rules[1])
    rule_player = params0 != params1
    count = len(players.ids)
    n = count + int(rule_player)
    change = value[1] - value[0]
    effects = np.zeros(count)
    rule_effect = 0.0
    unattributed: tuple[Unattributed, ...] = ()
    if n == 1:  # the usual day: the only player carries the whole change
        effects[:] = change
        rule_effect = change
    elif 1 < n <= MAX_EXACT_PLAYERS:
        kept = _moving(players)
        if len(kept) + int(rule_player) == 1:  # the others are null players: effect 0
            effects[kept] = change
            rule_effect = change
        elif len(kept) + int(rule_player) > 1:
            raw = shapley(_game(players, base, kept), params0, params1, rule_player, *value)
            effects[kept] = raw[: len(kept)]
            rule_effect = float(raw[-1]) if rule_player else 0.0
    elif n > MAX_EXACT_PLAYERS:

        def deltas(months: int) -> tuple[np.ndarray, np.ndarray]:
            k = players.months.index(months)
            b = [players.inside[s][:, k] * players.weight[s] for s in (0, 1)]
            a = [signed_values(players.outcome[s], rules[s].formula) * b[s] for s in (0, 1)]
            da, db = a[1] - a[0], b[1] - b[0]
            if rule_player:  # contracts that did not change move only through the rules
                (a0, b0), (a1, b1) = sides[0].totals[months], sides[1].totals[months]
                da = np.append(da, (a1 - a0) - da.sum())
                db = np.append(db, (b1 - b0) - db.sum())
            return da, db

        shares, terms = within_window(sides[0], sides[1], deltas, n, change)
        effects = shares[:count]
        rule_effect = float(shares[-1]) if rule_player else 0.0
        unattributed = tuple(Unattributed(days[1], kind, e) for kind, e in terms)
    day = days[1]
    events = [
        Event(cid, day, event_reason(f0, f1), effect, f0, f1)
        for cid, effect, f0, f1 in zip(
            players.ids, effects.tolist(), players.footprints(0), players.footprints(1), strict=True
        )
    ]
    if rule_player:
        events.append(Event(None, days[1], "rules", rule_effect, None, None))
    events.sort(key=lambda e: -abs(e.effect))
    return Step(days[1], days[0], value[0], value[1], jss[0], jss[1], tuple(events), unattributed)


def differing(
    outcome: tuple[np.ndarray, np.ndarray],
    weight: tuple[np.ndarray, np.ndarray],
    inside: tuple[np.ndarray, np.ndarray],
    client: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Where the footprints of two states differ (arrays of any leading shape; inside …×K)."""
    c0, c1 = outcome[0] != _EXCLUDED, outcome[1] != _EXCLUDED
    moved = (
        (outcome[0] != outcome[1])
        | (np.abs(weight[0] - weight[1]) > SAME_WEIGHT)
        | (inside[0] != inside[1]).any(axis=-1)
    )
    if client is not None:
        moved |= client[0] != client[1]
    differs: np.ndarray = (c0 != c1) | (c0 & c1 & moved)
    return differs


# --------------------------------------------------------------------------- a period


@dataclass(frozen=True)
class _Row:
    """One date of a sweep: its contracts' columns and what its steps need of its scores."""

    day: date
    outcome: np.ndarray
    reason: np.ndarray
    weight: np.ndarray
    inside: np.ndarray
    base: Base
    side: Side
    value: float
    jss: int | None


def sweep(
    arrays: ContractArrays, rules: RuleSet, days: list[date], ends: tuple[float, float]
) -> Iterator[Step]:
    """Every step between consecutive `days` (ascending) in which some footprint changed
    (MODEL.md 9.3).

    The window sums and scores of every date come from one sweep over the contracts'
    constant segments (engine/sweep.py), which also tells which contracts may change on
    which date; a step then evaluates only those contracts, on its two dates. `ends` are the
    values of the first and last date (from their own evaluations, so the steps add up to
    the difference of those exactly). Weights that would not sum exactly in another order
    (dollars with cents) go date by date instead (`sweep_by_rows`).
    """
    t = np.array([to_days(d) for d in days], dtype=DAY)
    grouped, group_starts = arrays.grouped_by_client
    found: list[np.ndarray] = []
    swept = (
        window_sums_swept(grouped, group_starts, rules, t, found)
        if len(t) > 1 and np.all(np.diff(t) > 0)
        else None
    )
    if swept is None:
        yield from sweep_by_rows(arrays, rules, days, ends)
        return
    months = rules.candidate_windows
    params = Params.of(rules)
    scores = scores_from_sums(rules, t, swept)
    value = values(params, Sums(months, *(getattr(swept, f) for f in _SUM_FIELDS)))
    value[0], value[-1] = ends
    order, _ = arrays.client_groups
    position = order if grouped is not arrays else np.arange(arrays.size)
    keys = np.sort(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
    index, who = keys // max(grouped.size, 1), position[keys % max(grouped.size, 1)]
    cuts = np.searchsorted(index, np.arange(len(t) + 1))
    for i in range(1, len(t)):
        candidates = np.sort(who[cuts[i] : cuts[i + 1]])
        if len(candidates) == 0:
            continue
        pair = (float(value[i - 1]), float(value[i]))
        step = _step_of_candidates(arrays, rules, (days[i - 1], days[i]), candidates, scores, pair)
        if step is not None:
            yield step


def _inside_at(
    arrays: ContractArrays, rules: RuleSet, positions: np.ndarray, t: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Outcome, reason, weight (0 where not counted) D×c and windows D×c×K of some contracts."""
    table = cast(ContractArrays, _Gathered(arrays, positions))
    out = outcomes_at(table, rules, t)
    parts = contract_parts(out, t, rules.candidate_windows)
    counted = out.outcome != _EXCLUDED
    weight = np.where(counted, np.broadcast_to(out.weight, counted.shape), 0.0)
    return out.outcome, out.reason, weight, np.moveaxis(parts.inside, 0, 2)


def _step_of_candidates(
    arrays: ContractArrays,
    rules: RuleSet,
    days: tuple[date, date],
    candidates: np.ndarray,
    scores: Scores,
    value: tuple[float, float],
) -> Step | None:
    """The step from date i − 1 to date i, evaluating only the contracts that may change."""
    months = rules.candidate_windows
    t = np.array([[to_days(days[0])], [to_days(days[1])]], dtype=DAY)
    outcome, reason, weight, inside = _inside_at(arrays, rules, candidates, t)
    moved = differing((outcome[0], outcome[1]), (weight[0], weight[1]), (inside[0], inside[1]))
    if not moved.any():
        return None
    players = candidates[moved]
    codes = arrays.client_code[players]
    ids = arrays.contract_ids
    order, _ = arrays.client_groups
    sorted_codes = arrays.client_code[order]

    def client_counts(involved: np.ndarray) -> np.ndarray:
        lo = np.searchsorted(sorted_codes, involved, "left")
        hi = np.searchsorted(sorted_codes, involved, "right")
        members = np.concatenate([order[a:b] for a, b in zip(lo, hi, strict=True)])
        group = np.repeat(np.arange(len(involved)), hi - lo)
        _, _, _, member_inside = _inside_at(arrays, rules, members, t[:1])
        counts = np.zeros((len(involved), len(months)))
        np.add.at(counts, group, member_inside[0].astype(np.float64))
        return counts

    i = int(np.searchsorted(scores.days, t[1, 0]))
    r0 = i - 1
    sums = scores.sums
    base = Base(
        sums.success[r0],
        sums.negative[r0],
        sums.neutral[r0],
        sums.contracts[r0],
        sums.clients[r0],
        client_counts,
    )
    step_players = Players(
        [ids[j] for j in players.tolist()],
        months,
        (outcome[0][moved], outcome[1][moved]),
        (reason[0][moved], reason[1][moved]),
        (weight[0][moved], weight[1][moved]),
        (inside[0][moved], inside[1][moved]),
        (codes, codes),
        arrays.contracts.clients,
    )
    return build_step(
        days,
        step_players,
        base,
        (rules, rules),
        value,
        (scores.jss_at(r0), scores.jss_at(i)),
        (Side.of(rules.formula, scores, r0), Side.of(rules.formula, scores, i)),
    )


def sweep_by_rows(
    arrays: ContractArrays, rules: RuleSet, days: list[date], ends: tuple[float, float]
) -> Iterator[Step]:
    """`sweep` evaluating every contract at every date (in blocks of dates): for weights
    that only sum exactly in one order."""
    months = rules.candidate_windows
    params = Params.of(rules)
    order, _ = arrays.client_groups
    sorted_codes = arrays.client_code[order]
    codes = arrays.client_code
    counter = _ClientCounter.for_arrays(arrays)
    block = max(1, _BLOCK_CELLS // max(arrays.size, 1))
    previous: _Row | None = None
    for first in range(0, len(days), block):
        t = np.array([[to_days(d)] for d in days[first : first + block]], dtype=DAY)
        out = outcomes_at(arrays, rules, t)
        sums, members = _window_sums(arrays, out, t, months, counter)
        scores = scores_from_sums(rules, t[:, 0], sums)
        value = values(params, Sums(months, *(getattr(sums, f) for f in _SUM_FIELDS)))
        inside = np.stack(members, axis=2)
        counted = out.outcome != _EXCLUDED
        weight = np.where(counted, np.broadcast_to(out.weight, counted.shape), 0.0)
        for r in range(len(t)):
            i = first + r
            if i == 0:
                value[r] = ends[0]
            if i == len(days) - 1:
                value[r] = ends[1]
            row_inside = inside[r]

            def client_counts(
                involved: np.ndarray, row_inside: np.ndarray = row_inside
            ) -> np.ndarray:
                lo = np.searchsorted(sorted_codes, involved, "left")
                hi = np.searchsorted(sorted_codes, involved, "right")
                return np.array(
                    [row_inside[order[a:b]].sum(axis=0) for a, b in zip(lo, hi, strict=True)],
                    dtype=np.float64,
                ).reshape(len(involved), len(months))

            row = _Row(
                days[i],
                out.outcome[r],
                out.reason[r],
                weight[r],
                row_inside,
                Base(
                    sums.success[r],
                    sums.negative[r],
                    sums.neutral[r],
                    sums.contracts[r],
                    sums.clients[r],
                    client_counts,
                ),
                Side.of(rules.formula, scores, r),
                float(value[r]),
                scores.jss_at(r),
            )
            if previous is not None:
                step = _step_of_rows(arrays, rules, months, previous, row, codes)
                if step is not None:
                    yield step
            previous = row


_SUM_FIELDS = ("success", "negative", "neutral", "contracts", "clients")


def _step_of_rows(
    arrays: ContractArrays,
    rules: RuleSet,
    months: tuple[int, ...],
    row0: _Row,
    row1: _Row,
    codes: np.ndarray,
) -> Step | None:
    moved = differing(
        (row0.outcome, row1.outcome), (row0.weight, row1.weight), (row0.inside, row1.inside)
    )
    players = np.flatnonzero(moved)
    if len(players) == 0:
        return None
    ids = arrays.contract_ids
    player_codes = codes[players]
    step_players = Players(
        [ids[j] for j in players.tolist()],
        months,
        (row0.outcome[players], row1.outcome[players]),
        (row0.reason[players], row1.reason[players]),
        (row0.weight[players], row1.weight[players]),
        (row0.inside[players], row1.inside[players]),
        (player_codes, player_codes),
        arrays.contracts.clients,
    )
    return build_step(
        (row0.day, row1.day),
        step_players,
        row0.base,
        (rules, rules),
        (row0.value, row1.value),
        (row0.jss, row1.jss),
        (row0.side, row1.side),
    )
