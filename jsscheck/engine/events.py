"""The events of attribution steps as columns (MODEL.md 9.2, 9.3), one row per player.

A period of two years at 100,000 contracts has some 300,000 events. They stay arrays from the
step that computes them to the JSON document that lists them: `Events` holds them (contract,
date, reason, effect and both footprints as codes), `Effects` sums them per contract along time
and orders the contracts, and an `Event` or `Effect` object is made only for a row somebody
asks for (the top of a table, a headline).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import overload

import numpy as np

from jsscheck.engine.outcomes import Outcome, Reason
from jsscheck.model.days import from_days

#: Two weights closer than this are the same weight (weights are quarters or dollars).
SAME_WEIGHT = 1e-9
#: MODEL.md 9.5's reasons of an event, by code.
EVENT_REASONS = ("entered", "aged_out", "left", "outcome_changed", "weight_changed", "rules")
ENTERED, AGED_OUT, LEFT, OUTCOME_CHANGED, WEIGHT_CHANGED, RULES = range(len(EVENT_REASONS))
#: Effects no larger than this are no effect (a period lists only the others).
NO_EFFECT = 1e-12
EXCLUDED = int(Outcome.EXCLUDED)
OUTCOME_LABELS = {int(o): o.label for o in Outcome}
REASON_LABELS = {int(r): r.label for r in Reason}


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


@functools.lru_cache(maxsize=4096)
def _day(days: int) -> date:
    return from_days(days)


@functools.lru_cache(maxsize=256)
def window_months(months: tuple[int, ...], bits: int) -> tuple[int, ...]:
    """The months of the windows whose bits are set in `bits` (bit k: `months[k]`)."""
    return tuple(m for k, m in enumerate(months) if bits >> k & 1)


def window_bits(inside: np.ndarray) -> np.ndarray:
    """n×K membership → n bit masks (bit k: in the k-th window)."""
    bits: np.ndarray = inside.astype(np.int64) @ (1 << np.arange(inside.shape[1], dtype=np.int64))
    return bits


def event_reasons(
    outcome: tuple[np.ndarray, np.ndarray],
    weight: tuple[np.ndarray, np.ndarray],
    inside: tuple[np.ndarray, np.ndarray],
) -> np.ndarray:
    """MODEL.md 9.5 for every row: what happened between its two footprints (codes)."""
    none0, none1 = outcome[0] == EXCLUDED, outcome[1] == EXCLUDED
    fewer = inside[1].sum(axis=1) < inside[0].sum(axis=1)
    code = np.where(fewer, AGED_OUT, ENTERED)
    code = np.where(np.abs(weight[0] - weight[1]) > SAME_WEIGHT, WEIGHT_CHANGED, code)
    code = np.where(outcome[0] != outcome[1], OUTCOME_CHANGED, code)
    code = np.where(none1, LEFT, code)
    found: np.ndarray = np.where(none0, ENTERED, code).astype(np.int8)
    return found


@dataclass(frozen=True)
class Events:
    """Events as columns. `contract` indexes `ids` (−1: the rule change); `day` is in days
    (model/days.py); footprints are codes: `outcome` EXCLUDED where there is none, `why` the
    reason code, `windows` a bit mask over `months`, `client` an index of `client_names`.
    Integer columns are as narrow as they can be (int32, int16, int8)."""

    ids: Sequence[str]
    client_names: Sequence[str]
    months: tuple[int, ...]
    contract: np.ndarray
    day: np.ndarray
    reason: np.ndarray
    effect: np.ndarray
    outcome: tuple[np.ndarray, np.ndarray]
    why: tuple[np.ndarray, np.ndarray]
    weight: tuple[np.ndarray, np.ndarray]
    windows: tuple[np.ndarray, np.ndarray]
    client: tuple[np.ndarray, np.ndarray]

    def __len__(self) -> int:
        return len(self.contract)

    def take(self, rows: np.ndarray | slice) -> Events:
        """The events at `rows` (a view for a slice)."""

        def pair(x: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
            return x[0][rows], x[1][rows]

        return Events(
            self.ids,
            self.client_names,
            self.months,
            self.contract[rows],
            self.day[rows],
            self.reason[rows],
            self.effect[rows],
            pair(self.outcome),
            pair(self.why),
            pair(self.weight),
            pair(self.windows),
            pair(self.client),
        )

    @classmethod
    def concat(cls, parts: Sequence[Events], like: Events) -> Events:
        """The events of `parts` one after another (all over the ids and months of `like`)."""
        if not parts:
            return like.take(slice(0, 0))

        def cat(get: str) -> np.ndarray:
            return np.concatenate([getattr(p, get) for p in parts])

        def pair(get: str) -> tuple[np.ndarray, np.ndarray]:
            return (
                np.concatenate([getattr(p, get)[0] for p in parts]),
                np.concatenate([getattr(p, get)[1] for p in parts]),
            )

        return cls(
            like.ids,
            like.client_names,
            like.months,
            cat("contract"),
            cat("day"),
            cat("reason"),
            cat("effect"),
            pair("outcome"),
            pair("why"),
            pair("weight"),
            pair("windows"),
            pair("client"),
        )

    def contract_id(self, code: int) -> str | None:
        return None if code < 0 else self.ids[code]

    def footprint(self, side: int, row: int) -> Footprint | None:
        outcome = self.outcome[side].item(row)
        if outcome == EXCLUDED:
            return None
        return Footprint(
            OUTCOME_LABELS[outcome],
            REASON_LABELS[self.why[side].item(row)],
            float(self.weight[side].item(row)),
            window_months(self.months, self.windows[side].item(row)),
            self.client_names[self.client[side].item(row)],
        )

    def event(self, row: int) -> Event:
        """The event of one row as an object."""
        return Event(
            self.contract_id(self.contract.item(row)),
            _day(self.day.item(row)),
            EVENT_REASONS[self.reason.item(row)],
            float(self.effect.item(row)),
            self.footprint(0, row),
            self.footprint(1, row),
        )

    def events(self, rows: Sequence[int] | None = None) -> tuple[Event, ...]:
        """The events of `rows` (all when None) as objects."""
        chosen = range(len(self)) if rows is None else rows
        return tuple(self.event(int(r)) for r in chosen)


@dataclass(frozen=True)
class Effect:
    """One contract's total over a period (events in date order)."""

    contract_id: str | None
    effect: float
    events: tuple[Event, ...]


class Effects(Sequence[Effect]):
    """Each contract's total over the events of a period (MODEL.md 9.3), largest |total|
    first (ties: the contract seen first), without the contracts whose total is 0.

    A total is the exact sum (`math.fsum`) of its events' effects; an `Effect` is made only
    when one is read.
    """

    def __init__(self, events: Events) -> None:
        self.events = events
        code = events.contract
        if len(code) and len(events.ids) != len(set(events.ids)):
            # The same contract id at two positions: one contract.
            first: dict[str, int] = {}
            canonical = np.array(
                [first.setdefault(cid, i) for i, cid in enumerate(events.ids)], dtype=np.int64
            )
            code = np.where(code >= 0, canonical[np.maximum(code, 0)], code)
        by_contract = np.argsort(code, kind="stable")
        grouped = code[by_contract]
        starts = np.flatnonzero(np.diff(grouped, prepend=-2)).astype(np.int64)
        ends = np.append(starts[1:], len(grouped)).astype(np.int64) if len(grouped) else starts
        effect = events.effect[by_contract]
        sizes = ends - starts
        # One event: its effect; two: their sum (one rounding, as fsum); more: math.fsum.
        total = effect[starts] if len(starts) else np.zeros(0)
        two = np.flatnonzero(sizes == 2)
        total[two] = effect[starts[two]] + effect[starts[two] + 1]
        more = np.flatnonzero(sizes > 2)
        if len(more):
            counts = sizes[more]
            bounds = np.cumsum(counts)
            within = np.arange(int(bounds[-1])) - np.repeat(bounds - counts, counts)
            values = effect[np.repeat(starts[more], counts) + within].tolist()
            total[more] = [
                math.fsum(values[a:b])
                for a, b in zip((bounds - counts).tolist(), bounds.tolist(), strict=True)
            ]
        seen = by_contract[starts] if len(starts) else starts
        keep = np.flatnonzero(np.abs(total) > NO_EFFECT)
        order = keep[np.lexsort((seen[keep], -np.abs(total[keep])))]
        self._rows = by_contract
        self._starts, self._ends = starts[order], ends[order]
        self.total = total[order]
        self.contract = grouped[self._starts] if len(order) else np.zeros(0, np.int64)
        self._made: dict[int, Effect] = {}

    def rows(self, i: int) -> np.ndarray:
        """The rows of `events` of the i-th contract, in date order."""
        rows: np.ndarray = self._rows[self._starts[i] : self._ends[i]]
        return rows

    def grouped(self) -> tuple[np.ndarray, np.ndarray]:
        """Every listed contract's event rows one after another, and where each one's rows end."""
        sizes = self._ends - self._starts
        if not len(sizes):
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        ends = np.cumsum(sizes)
        within = np.arange(int(ends[-1])) - np.repeat(ends - sizes, sizes)
        flat = self._rows[np.repeat(self._starts, sizes) + within]
        return flat, ends

    def __len__(self) -> int:
        return len(self.total)

    def _effect(self, i: int) -> Effect:
        if i not in self._made:
            self._made[i] = Effect(
                self.events.contract_id(int(self.contract[i])),
                float(self.total[i]),
                self.events.events(self.rows(i).tolist()),
            )
        return self._made[i]

    @overload
    def __getitem__(self, i: int) -> Effect: ...

    @overload
    def __getitem__(self, i: slice) -> tuple[Effect, ...]: ...

    def __getitem__(self, i: int | slice) -> Effect | tuple[Effect, ...]:
        if isinstance(i, slice):
            return tuple(self._effect(j) for j in range(len(self))[i])
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._effect(i)

    def __iter__(self) -> Iterator[Effect]:
        return (self._effect(i) for i in range(len(self)))

    def __bool__(self) -> bool:
        return len(self) > 0

    def __eq__(self, other: object) -> bool:
        """Equal to a sequence of the same effects (a tuple, as they were before)."""
        if isinstance(other, (Effects, tuple, list)):
            return len(self) == len(other) and tuple(self) == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


def no_events() -> Events:
    """Events with no rows."""
    none = np.zeros(0, dtype=np.int32)
    pair = (none, none)
    return Events((), (), (), none, none, none, np.zeros(0), pair, pair, pair, pair, pair)
