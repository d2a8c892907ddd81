"""One step of MODEL.md 9.2 (state 0 → state 1); the steps of a period are in engine/period.py.

A step needs only its players — the contracts whose footprint differs — with both footprints,
and state 0's window sums: every mixed state is state 0 plus some players' changes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from jsscheck.engine.coalitions import MAX_EXACT_PLAYERS, Game, Params, shapley
from jsscheck.engine.events import (
    RULES,
    SAME_WEIGHT,
    Event,
    Events,
    Footprint,
    event_reasons,
    window_bits,
)
from jsscheck.engine.fallback import Side, signed_values, within_window
from jsscheck.engine.outcomes import Outcome
from jsscheck.model.days import to_days
from jsscheck.model.rules import RuleSet
from jsscheck.model.unique import unique_ints

__all__ = ["SAME_WEIGHT", "Base", "Event", "Footprint", "Players", "Step", "Unattributed"]

_EXCLUDED = int(Outcome.EXCLUDED)


@dataclass(frozen=True)
class Unattributed:
    """A term of a step of more than 12 players (MODEL.md 9.4): `window_switch` or `floor`."""

    day: date
    kind: str
    effect: float


@dataclass(frozen=True)
class Step:
    """One step of MODEL.md 9.2; its events (largest |effect| first) are the rows of
    `columns`, made into objects only when `events` is read."""

    day: date
    previous_day: date
    value_before: float
    value_after: float
    jss_before: int | None
    jss_after: int | None
    columns: Events = field(compare=False, repr=False)
    unattributed: tuple[Unattributed, ...]

    @functools.cached_property
    def events(self) -> tuple[Event, ...]:
        """The players' events as objects, largest |effect| first."""
        return self.columns.events()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Step):
            return NotImplemented
        return self._head() == other._head() and self.events == other.events

    def _head(self) -> tuple[object, ...]:
        return (
            self.day,
            self.previous_day,
            self.value_before,
            self.value_after,
            self.jss_before,
            self.jss_after,
            self.unattributed,
        )


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

    ids: Sequence[str]
    codes: np.ndarray
    months: tuple[int, ...]
    outcome: tuple[np.ndarray, np.ndarray]
    reason: tuple[np.ndarray, np.ndarray]
    weight: tuple[np.ndarray, np.ndarray]
    inside: tuple[np.ndarray, np.ndarray]
    client: tuple[np.ndarray, np.ndarray]
    client_names: Sequence[str]


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
    involved = unique_ints(np.concatenate([c0, c1]))
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
    count = len(players.codes)
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
    return Step(
        days[1],
        days[0],
        value[0],
        value[1],
        jss[0],
        jss[1],
        _events(players, days[1], effects, rule_effect if rule_player else None),
        unattributed,
    )


def _events(players: Players, day: date, effects: np.ndarray, rule_effect: float | None) -> Events:
    """The players' events as columns, largest |effect| first (the rule change after the
    contracts of equal effect)."""
    count = len(players.codes)
    extra = 0 if rule_effect is None else 1
    effect = effects if rule_effect is None else np.append(effects, rule_effect)
    order = np.argsort(-np.abs(effect), kind="stable")

    def pad(x: np.ndarray, fill: object) -> np.ndarray:
        column = x if not extra else np.append(x, np.array([fill], dtype=x.dtype))
        return column[order]

    def pair(x: tuple[np.ndarray, np.ndarray], fill: object) -> tuple[np.ndarray, np.ndarray]:
        return pad(x[0], fill), pad(x[1], fill)

    def narrow(x: tuple[np.ndarray, np.ndarray], dtype: type) -> tuple[np.ndarray, np.ndarray]:
        return x[0].astype(dtype), x[1].astype(dtype)

    # Narrow types: a period at 1M contracts has millions of events.
    reason = event_reasons(players.outcome, players.weight, players.inside)
    bits = (window_bits(players.inside[0]), window_bits(players.inside[1]))
    return Events(
        players.ids,
        players.client_names,
        players.months,
        pad(players.codes.astype(np.int32), -1),
        np.full(count + extra, to_days(day), dtype=np.int32),
        pad(reason, RULES),
        effect[order],
        pair(narrow(players.outcome, np.int8), _EXCLUDED),
        pair(narrow(players.reason, np.int8), 0),
        pair(players.weight, 0.0),
        pair(narrow(bits, np.int16), 0),
        pair(narrow(players.client, np.int32), -1),
    )


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
