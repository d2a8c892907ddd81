"""The scoring engine: MODEL.md sections 1-7, vectorized over contracts and evaluation dates.

Contracts become columns of numpy arrays once (`ContractArrays`); an evaluation broadcasts a
column of dates (shape D×1) against them (1×N), so scoring 100,000 contracts at hundreds of
dates is a handful of array operations per block of dates, never a Python loop per contract.

Two entry points:
- `evaluate(arrays, rules, t)`: one date, with every contract's outcome, weight and windows
  (what `score` shows and `explain` attributes);
- `evaluate_dates(arrays, rules, dates)`: many dates, the window sums and the displayed JSS
  only (what timelines, forecasts, Top Rated weeks and calibration need).
Both compute the date the score was computed on themselves only when asked: callers pass the
computation dates (see `jsscheck.engine.calendar.update_day` for the cadence).
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import IntEnum

import numpy as np

from jsscheck.engine.calendar import update_day, window_start
from jsscheck.model.contract import Contract
from jsscheck.model.days import from_days, to_days
from jsscheck.model.rules import RuleSet
from jsscheck.model.table import DAY, ContractTable

#: Two scores closer than this are a tie; rounding treats a score this close below a boundary
#: as on it (MODEL.md section 6).
EPS = 1e-9
#: Keep each block of (dates × contracts) arrays around this many cells: ~60 bytes of
#: temporaries a cell, so about 20 MB, or one date when a history has more contracts. Larger
#: blocks are barely faster and would cost more memory than a large history itself (#9).
_BLOCK_CELLS = 350_000


class Outcome(IntEnum):
    """The outcome of one contract at one date (MODEL.md section 3)."""

    EXCLUDED = 0
    SUCCESS = 1
    NEUTRAL = 2
    NEGATIVE = 3

    @property
    def label(self) -> str:
        return self.name.lower()


class Reason(IntEnum):
    """The reason code of an outcome (MODEL.md section 3), plus NOT_STARTED."""

    NOT_STARTED = 0
    MANUAL = 1
    LONG_TERM_ACTIVE = 2
    IN_PROGRESS = 3
    DISPUTE = 4
    PENDING_FEEDBACK = 5
    LONG_TERM = 6
    ZERO_DOLLAR = 7
    NO_FEEDBACK = 8
    FEEDBACK = 9

    @property
    def label(self) -> str:
        return self.name.lower()


# Feedback signals, ordered so that the worst of several is their minimum.
_NEG, _NEU, _POS, _NONE = 0, 1, 2, 3
#: The outcome of a contract with a signal (MODEL.md row 13), indexed by the signal.
_OUTCOME_OF_SIGNAL = np.array(
    [Outcome.NEGATIVE, Outcome.NEUTRAL, Outcome.SUCCESS, Outcome.EXCLUDED], dtype=np.int8
)


def _outcome_table(no_feedback: Outcome) -> np.ndarray:
    """The outcome each reason code implies (FEEDBACK is decided by the signal instead)."""
    table = np.full(len(Reason), int(Outcome.EXCLUDED), dtype=np.int8)
    table[Reason.LONG_TERM_ACTIVE] = Outcome.SUCCESS
    table[Reason.LONG_TERM] = Outcome.SUCCESS
    table[Reason.DISPUTE] = Outcome.NEGATIVE
    table[Reason.NO_FEEDBACK] = no_feedback
    return table


_OUTCOME_OF_REASON = {
    "exclude": _outcome_table(Outcome.EXCLUDED),
    "negative": _outcome_table(Outcome.NEGATIVE),
    "neutral": _outcome_table(Outcome.NEUTRAL),
}


def candidate_name(months: int) -> str:
    """`6` → `"6m"`."""
    return f"{months}m"


@dataclass(frozen=True)
class ContractArrays:
    """The contracts of a history as columns (dates as days since 1970-01-01).

    Missing dates hold 0 and a False `has_*` flag; `paid_periods` is -1 when not given.
    """

    contracts: ContractTable
    client_code: np.ndarray
    n_clients: int
    start: np.ndarray
    end: np.ndarray
    has_end: np.ndarray
    last_payment: np.ndarray
    has_last_payment: np.ndarray
    feedback_day: np.ndarray
    has_feedback_day: np.ndarray
    earnings: np.ndarray
    public: np.ndarray
    private: np.ndarray
    disputed: np.ndarray
    flagged: np.ndarray
    excluded: np.ndarray
    paid_periods: np.ndarray

    @property
    def size(self) -> int:
        return len(self.contracts)

    @functools.cached_property
    def grouped_by_client(self) -> tuple[ContractArrays, np.ndarray]:
        """The same contracts reordered so each client's are adjacent, and where groups start.

        Evaluations over many dates count distinct clients per window on this order, instead
        of copying a D×N selection into client order for every window.
        """
        order, starts = self.client_groups
        if np.array_equal(order, np.arange(self.size)):
            return self, starts
        return self.select(order), starts

    @functools.cached_property
    def client_groups(self) -> tuple[np.ndarray, np.ndarray]:
        """The contract order that puts each client's together, and where each group starts."""
        order = np.argsort(self.client_code, kind="stable")
        return order, _group_starts(self.client_code[order])

    def select(self, index: np.ndarray) -> ContractArrays:
        """The contracts at positions `index`, in that order (client codes are kept)."""
        columns = {
            f.name: getattr(self, f.name)[index]
            for f in dataclasses.fields(self)
            if isinstance(getattr(self, f.name), np.ndarray)
        }
        return dataclasses.replace(self, contracts=self.contracts.take(index), **columns)

    @functools.cached_property
    def contract_ids(self) -> list[str]:
        """The contract ids, in history order."""
        return list(self.contracts.ids)

    @functools.cached_property
    def index_of(self) -> dict[str, int]:
        """contract_id → position in the history."""
        return {cid: i for i, cid in enumerate(self.contract_ids)}

    @classmethod
    def from_contracts(cls, contracts: Sequence[Contract]) -> ContractArrays:
        """Build the columns once; every evaluation reuses them.

        A `ContractTable` (what the reader gives) is used as it is: its columns are shared,
        not copied, and no Contract object is made.
        """
        table = ContractTable.of(contracts)
        return cls(
            contracts=table,
            client_code=table.client_code,
            n_clients=len(table.clients),
            start=table.start,
            end=table.end,
            has_end=table.has_end,
            last_payment=table.last_payment,
            has_last_payment=table.has_last_payment,
            # MODEL.md section 1: feedback without its own date is visible from the end date.
            feedback_day=np.where(table.has_feedback_date, table.feedback_date, table.end),
            has_feedback_day=table.has_feedback_date | table.has_end,
            earnings=table.earnings,
            public=table.public,
            private=table.private,
            disputed=table.disputed,
            flagged=table.flagged,
            excluded=table.excluded,
            paid_periods=table.paid_periods,
        )


@dataclass(frozen=True)
class Outcomes:
    """Per-contract results at a block of dates, each array D×N."""

    outcome: np.ndarray
    reason: np.ndarray
    weight: np.ndarray
    anchor: np.ndarray


def _signals(arr: ContractArrays, rules: RuleSet, t: np.ndarray) -> np.ndarray:
    """The worst visible, enabled feedback signal of each contract (MODEL.md section 3).

    A flagged client's negative signals are dropped (not turned into anything else), so the
    contract's signal is the worst of what remains. What a contract's feedback says does not
    depend on the date, only whether it is visible yet: the date enters once, at the end.
    """
    signal = np.full(arr.size, _NONE, dtype=np.int8)
    readings = []
    if rules.use_public:
        public = np.where(
            arr.public >= rules.public_success,
            _POS,
            np.where(arr.public < rules.public_negative, _NEG, _NEU),
        )
        readings.append((~np.isnan(arr.public), public))
    if rules.use_private:
        assert rules.private_success is not None and rules.private_negative is not None
        private = np.where(
            arr.private >= rules.private_success,
            _POS,
            np.where(arr.private <= rules.private_negative, _NEG, _NEU),
        )
        readings.append((~np.isnan(arr.private), private))
    for present, value in readings:
        counts = present & ~(arr.flagged & (value == _NEG))
        signal = np.where(counts, np.minimum(signal, value), signal).astype(np.int8)
    visible = arr.has_feedback_day & (arr.feedback_day <= t)
    return np.where(visible, signal, np.int8(_NONE))


def outcomes_at(
    arr: ContractArrays, rules: RuleSet, t: np.ndarray, signal: np.ndarray | None = None
) -> Outcomes:
    """Outcome, reason, weight and anchor of every contract at every date of `t` (D×1).

    `signal` (values of `Signal`, N or D×N) replaces what each contract's feedback says at each
    date (`feedback_signals`): the outcomes as if the feedback had said that.
    """
    if signal is None:
        signal = _signals(arr, rules, t)
    else:
        signal = np.broadcast_to(np.asarray(signal, dtype=np.int8), (len(t), arr.size))
    started = arr.start <= t
    ended = arr.has_end & (arr.end <= t)
    is_open = ~ended
    active_days = np.where(ended, arr.end, t) - arr.start
    if rules.long_term_days is None:
        long_term = np.zeros(active_days.shape, dtype=bool)
    else:
        long_term = (arr.earnings > 0) & (active_days > rules.long_term_days)

    if rules.idle_open_days is None:
        idle = np.zeros(active_days.shape, dtype=bool)
        idle_day = np.zeros_like(active_days)
    else:
        idle_base = np.where(arr.has_last_payment, arr.last_payment, arr.start)
        idle = is_open & (t - idle_base > rules.idle_open_days)
        idle_day = idle_base + rules.idle_open_days
    # Rows 5-13 see an idle open contract as ended without feedback on its idle date.
    closed_day = np.where(ended, arr.end, idle_day)
    closed_signal = np.where(idle & ~ended, _NONE, signal)
    no_signal = closed_signal == _NONE

    zero = arr.earnings == 0
    if rules.zero_dollar == "exclude":
        zero_excluded = zero
    elif rules.zero_dollar == "negative_only":
        zero_excluded = zero & (closed_signal != _NEG)
    else:
        zero_excluded = np.zeros(zero.shape, dtype=bool)

    conditions = [
        ~started,
        np.broadcast_to(arr.excluded, started.shape),
        is_open & long_term & (signal != _NEG),
        is_open & ~idle,
        np.broadcast_to(arr.disputed & ~arr.flagged, started.shape),
        no_signal & (t - closed_day < rules.feedback_grace_days),
        long_term & (closed_signal != _NEG),
        np.broadcast_to(zero_excluded, started.shape),
        no_signal,
    ]
    codes = (
        Reason.NOT_STARTED,
        Reason.MANUAL,
        Reason.LONG_TERM_ACTIVE,
        Reason.IN_PROGRESS,
        Reason.DISPUTE,
        Reason.PENDING_FEEDBACK,
        Reason.LONG_TERM,
        Reason.ZERO_DOLLAR,
        Reason.NO_FEEDBACK,
    )
    # The first matching row decides: fill in reverse order so earlier rows overwrite later.
    reason = np.full(started.shape, int(Reason.FEEDBACK), dtype=np.int8)
    for condition, code in zip(reversed(conditions), reversed(codes), strict=True):
        np.putmask(reason, condition, int(code))
    outcome = _OUTCOME_OF_REASON[rules.no_feedback][reason]
    from_signal = _OUTCOME_OF_SIGNAL[closed_signal]
    outcome = np.where(reason == Reason.FEEDBACK, from_signal, outcome)

    weight = _weights(arr, rules, active_days)
    if rules.anchor == "last_payment":
        paid_by_t = arr.has_last_payment & (arr.last_payment <= t)
        anchor = np.where(paid_by_t, arr.last_payment, closed_day)
    else:
        anchor = closed_day
    anchor = np.where(reason == Reason.LONG_TERM_ACTIVE, t, anchor)
    return Outcomes(outcome=outcome, reason=reason, weight=weight, anchor=anchor)


def _weights(arr: ContractArrays, rules: RuleSet, active_days: np.ndarray) -> np.ndarray:
    """MODEL.md section 4 (computed for every contract; only counted ones use it)."""
    if rules.weighting == "count":
        return np.ones(active_days.shape)
    if rules.weighting == "dollars":
        return np.broadcast_to(np.maximum(arr.earnings, 1.0), active_days.shape)
    base = np.where(arr.earnings <= 250, 1.0, np.where(arr.earnings <= 1000, 1.25, 1.5))
    # floor(active_days / 90), in floating point (integer division is several times slower):
    # the +0.5 keeps exact multiples of 90 from landing a hair below their whole number.
    bonus = np.floor((active_days + 0.5) * (1.0 / 90.0))
    if (arr.paid_periods >= 0).any():
        bonus = np.where(arr.paid_periods >= 0, np.minimum(bonus, arr.paid_periods), bonus)
    assert rules.weight_cap is not None
    # Contracts not started yet have negative days; they are never counted, so no clamp.
    return np.minimum(rules.weight_cap, bonus + base)


@dataclass(frozen=True)
class WindowSums:
    """The sums of each candidate window at each date: arrays D×K (K = len(months))."""

    months: tuple[int, ...]
    success: np.ndarray
    negative: np.ndarray
    neutral: np.ndarray
    contracts: np.ndarray
    clients: np.ndarray

    @property
    def total(self) -> np.ndarray:
        return self.success + self.negative + self.neutral


def _window_starts(days: np.ndarray, months: tuple[int, ...]) -> np.ndarray:
    """start(t, W) for every date and window, D×K days."""
    starts = np.empty((len(days), len(months)), dtype=DAY)
    for i, day in enumerate(days.tolist()):
        moment = from_days(day)
        for k, m in enumerate(months):
            starts[i, k] = to_days(window_start(moment, m))
    return starts


class _ClientCounter:
    """Counts distinct clients among selected contracts, for many dates at once.

    With `order` None the contracts are already grouped by client (see
    `ContractArrays.grouped_by_client`), so no copy of the D×N selection is needed.
    """

    def __init__(self, starts: np.ndarray, size: int, order: np.ndarray | None = None) -> None:
        self.starts = starts
        self.ends = np.append(starts[1:], size).astype(starts.dtype)  # where each group stops
        self.order = order

    @classmethod
    def for_arrays(cls, arr: ContractArrays) -> _ClientCounter:
        order, starts = arr.client_groups
        return cls(starts, arr.size, order)

    def count(self, selected: np.ndarray) -> np.ndarray:
        if selected.shape[1] == 0:
            return np.zeros(selected.shape[0], dtype=np.int64)
        grouped = selected if self.order is None else selected[:, self.order]
        # A client is present when the running count of selected contracts grows across its
        # group: twice as fast as logical_or.reduceat over the groups.
        running = np.zeros((grouped.shape[0], grouped.shape[1] + 1), dtype=np.int32)
        np.cumsum(grouped, axis=1, out=running[:, 1:])
        return np.count_nonzero(running[:, self.ends] != running[:, self.starts], axis=1)


def _group_starts(sorted_codes: np.ndarray) -> np.ndarray:
    if len(sorted_codes) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])


def _window_sums(
    arr: ContractArrays,
    outcomes: Outcomes,
    t: np.ndarray,
    months: tuple[int, ...],
    counter: _ClientCounter,
) -> tuple[WindowSums, list[np.ndarray]]:
    days = t[:, 0]
    starts = _window_starts(days, months)
    d, k_count = len(days), len(months)
    sums = {name: np.zeros((d, k_count)) for name in ("success", "negative", "total")}
    contracts = np.zeros((d, k_count), dtype=np.int64)
    clients = np.zeros((d, k_count), dtype=np.int64)
    members = []
    counted = (outcomes.outcome != Outcome.EXCLUDED) & (outcomes.anchor <= t)
    weight = np.broadcast_to(outcomes.weight, counted.shape)
    weighted = {
        "success": np.where(outcomes.outcome == Outcome.SUCCESS, weight, 0.0),
        "negative": np.where(outcomes.outcome == Outcome.NEGATIVE, weight, 0.0),
        "total": np.where(counted, weight, 0.0),
    }
    for k in range(k_count):
        inside = counted & (outcomes.anchor >= starts[:, k : k + 1])
        members.append(inside)
        as_float = inside.astype(np.float64)
        for name, values in weighted.items():
            # A row-wise dot product: one pass, no D×N temporary.
            sums[name][:, k] = np.einsum("ij,ij->i", as_float, values)
        contracts[:, k] = np.count_nonzero(inside, axis=1)
        clients[:, k] = counter.count(inside)
    neutral = sums["total"] - sums["success"] - sums["negative"]
    # Exact zero where there is nothing neutral (the subtraction leaves rounding dust).
    neutral = np.where(np.abs(neutral) < 1e-9, 0.0, neutral)
    return (
        WindowSums(
            months=months,
            success=sums["success"],
            negative=sums["negative"],
            neutral=neutral,
            contracts=contracts,
            clients=clients,
        ),
        members,
    )


@dataclass(frozen=True)
class Scores:
    """Every candidate's score and the displayed JSS at each of D dates.

    `names` are the candidates in tie-break priority order (longest window first, Trending
    last); `score` is D×K with NaN where a candidate is not eligible.
    """

    days: np.ndarray
    names: tuple[str, ...]
    score: np.ndarray
    raw_score: np.ndarray
    eligible: np.ndarray
    best_index: np.ndarray
    best_score: np.ndarray
    jss: np.ndarray
    sums: WindowSums

    def best_name(self, i: int) -> str | None:
        index = int(self.best_index[i])
        return None if index < 0 else self.names[index]

    def jss_at(self, i: int) -> int | None:
        value = int(self.jss[i])
        return None if value < 0 else value

    def candidate(self, i: int, name: str) -> float | None:
        value = float(self.score[i, self.names.index(name)])
        return None if math.isnan(value) else value


def window_scores(rules: RuleSet, sums: WindowSums) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """MODEL.md section 5 for every computed window: (eligible, unclamped, clamped), D×K.

    Scores are NaN where a window is not eligible. The one place the formula lives.
    """
    total = sums.total
    eligible = (
        (sums.contracts >= rules.min_outcomes) & (sums.clients >= rules.min_clients) & (total > 0)
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        # The ratio first: 100 * s / s can round to 100.00000000000001, s / s is exactly 1.
        if rules.formula == "net":
            raw = 100.0 * ((sums.success - sums.negative) / total)
        else:
            raw = 100.0 * (sums.success / total)
        # The net score clamps at 0 (MODEL.md 5); a share is in [0, 100] but for the float
        # dust of sums taken in different orders.
        clamped = np.clip(raw, 0.0, 100.0)
    return eligible, np.where(eligible, raw, np.nan), np.where(eligible, clamped, np.nan)


def scores_from_sums(rules: RuleSet, days: np.ndarray, sums: WindowSums) -> Scores:
    """Eligibility, window scores, Trending, best-of and rounding (MODEL.md 5 and 6)."""
    eligible, raw, window_score = window_scores(rules, sums)

    index = {m: k for k, m in enumerate(sums.months)}
    ordered = sorted(rules.windows, reverse=True)
    names = [candidate_name(m) for m in ordered]
    columns = [window_score[:, index[m]] for m in ordered]
    raw_columns = [raw[:, index[m]] for m in ordered]
    eligible_columns = [eligible[:, index[m]] for m in ordered]
    if rules.trending:
        k3, k6 = index[3], index[6]
        both = eligible[:, k3] & eligible[:, k6]
        names.append("trending")
        columns.append(np.where(both, (window_score[:, k3] + window_score[:, k6]) / 2, np.nan))
        raw_columns.append(np.where(both, (raw[:, k3] + raw[:, k6]) / 2, np.nan))
        eligible_columns.append(both)
    score = np.stack(columns, axis=1)

    # The highest score wins; every candidate within EPS of it ties, and a tie goes to the
    # first in priority order (longest window first, Trending last).
    has_score = ~np.isnan(score)
    any_score = has_score.any(axis=1)
    highest = np.max(np.where(has_score, score, -np.inf), axis=1)
    close = has_score & (score >= highest[:, None] - EPS)
    best_index = np.where(any_score, np.argmax(close, axis=1), -1)
    best_score = np.where(
        any_score, np.take_along_axis(score, np.maximum(best_index, 0)[:, None], 1)[:, 0], np.nan
    )
    if rules.rounding == "half_up":
        rounded = np.floor(best_score + 0.5 + EPS)
    else:
        rounded = np.floor(best_score + EPS)
    jss = np.where(np.isnan(best_score), -1, rounded).astype(np.int64)
    return Scores(
        days=days,
        names=tuple(names),
        score=score,
        raw_score=np.stack(raw_columns, axis=1),
        eligible=np.stack(eligible_columns, axis=1),
        best_index=best_index,
        best_score=best_score,
        jss=jss,
        sums=sums,
    )


def evaluate_dates(
    arr: ContractArrays, rules: RuleSet, dates: Sequence[date] | np.ndarray
) -> Scores:
    """The scores computed at each of `dates` (no cadence applied: pass computation dates).

    Dates are processed in blocks so memory stays bounded at any number of contracts.
    """
    days = np.asarray(
        [to_days(d) for d in dates] if not isinstance(dates, np.ndarray) else dates,
        dtype=DAY,
    )
    months = rules.candidate_windows
    countable = _still_countable(arr, rules, int(days.min())) if len(days) else None
    if countable is None:
        arr, starts = arr.grouped_by_client
    else:  # one copy, grouped by client, of only the contracts that still count
        order, _ = arr.client_groups
        order = order[countable[order]]
        arr, starts = arr.select(order), _group_starts(arr.client_code[order])
    counter = _ClientCounter(starts, arr.size)
    block = max(1, _BLOCK_CELLS // max(arr.size, 1))
    parts: list[WindowSums] = []
    for first in range(0, len(days), block):
        t = days[first : first + block, None]
        outcomes = outcomes_at(arr, rules, t)
        sums, _ = _window_sums(arr, outcomes, t, months, counter)
        parts.append(sums)
    if parts:
        sums = WindowSums(
            months=months,
            **{
                name: np.concatenate([getattr(p, name) for p in parts])
                for name in ("success", "negative", "neutral", "contracts", "clients")
            },
        )
    else:
        empty = np.zeros((0, len(months)))
        sums = WindowSums(months, empty, empty, empty, empty.astype(int), empty.astype(int))
    return scores_from_sums(rules, days, sums)


def _still_countable(arr: ContractArrays, rules: RuleSet, first: int) -> np.ndarray | None:
    """Which contracts can be inside a window on some day from `first` on (None: all).

    A contract ended by `first` has a fixed anchor, its end or its last payment; when both are
    before the start of the longest window on `first`, no later window reaches back to it
    (windows only move forward), so it changes no sum and is left out of the evaluation.
    Old histories are mostly such contracts: a forecast then skips most of its work.
    """
    day = from_days(first)
    earliest = min(to_days(window_start(day, m)) for m in rules.candidate_windows)
    latest_anchor = np.where(arr.has_last_payment, np.maximum(arr.end, arr.last_payment), arr.end)
    gone = arr.has_end & (arr.end <= first) & (latest_anchor < earliest)
    return ~gone if gone.any() else None


@dataclass(frozen=True)
class Evaluation:
    """Everything about one computation date: per-contract detail and the candidates."""

    rules: RuleSet
    day: date
    arrays: ContractArrays
    outcome: np.ndarray
    reason: np.ndarray
    weight: np.ndarray
    anchor: np.ndarray
    #: months → N booleans: counted in that window.
    members: dict[int, np.ndarray]
    scores: Scores

    @property
    def jss(self) -> int | None:
        return self.scores.jss_at(0)

    @property
    def best(self) -> str | None:
        return self.scores.best_name(0)

    @property
    def best_score(self) -> float | None:
        value = float(self.scores.best_score[0])
        return None if math.isnan(value) else value

    @functools.cached_property
    def _windows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        eligible, raw, clamped = window_scores(self.rules, self.scores.sums)
        return eligible[0], raw[0], clamped[0]

    def candidate_score(self, name: str) -> float | None:
        """A candidate's (clamped) score, None when not eligible or not a candidate."""
        if name in self.scores.names:
            return self.scores.candidate(0, name)
        return self._window_value(name, self._windows[2])

    def unclamped_score(self, name: str) -> float | None:
        """A candidate's score before the clamp at 0 (Trending: the mean of 3m and 6m)."""
        if name == "trending":
            three, six = self.unclamped_score("3m"), self.unclamped_score("6m")
            return None if three is None or six is None else (three + six) / 2.0
        return self._window_value(name, self._windows[1])

    def window_eligible(self, months: int) -> bool:
        return bool(self._windows[0][self.scores.sums.months.index(months)])

    def _window_value(self, name: str, values: np.ndarray) -> float | None:
        value = float(values[self.scores.sums.months.index(int(name.removesuffix("m")))])
        return None if math.isnan(value) else value


def evaluate(arr: ContractArrays, rules: RuleSet, day: date) -> Evaluation:
    """Every contract's outcome, weight, anchor and windows, and the scores, at `day`."""
    t = np.array([[to_days(day)]], dtype=DAY)
    outcomes = outcomes_at(arr, rules, t)
    months = rules.candidate_windows
    sums, members = _window_sums(arr, outcomes, t, months, _ClientCounter.for_arrays(arr))
    scores = scores_from_sums(rules, t[:, 0], sums)
    return Evaluation(
        rules=rules,
        day=day,
        arrays=arr,
        outcome=outcomes.outcome[0],
        reason=outcomes.reason[0],
        weight=np.broadcast_to(outcomes.weight, outcomes.outcome.shape)[0],
        anchor=outcomes.anchor[0],
        members={m: members[k][0] for k, m in enumerate(months)},
        scores=scores,
    )


def shown_jss(arr: ContractArrays, rules: RuleSet, days: Sequence[date]) -> list[int | None]:
    """The displayed JSS shown on each of `days`, with the cadence applied (MODEL.md 7)."""
    computed = [update_day(d, rules.cadence) for d in days]
    unique = sorted(set(computed))
    scores = evaluate_dates(arr, rules, unique)
    by_day = {d: scores.jss_at(i) for i, d in enumerate(unique)}
    return [by_day[d] for d in computed]


@dataclass(frozen=True)
class TopRated:
    """MODEL.md section 6: Top Rated eligible weeks and 12-month earnings."""

    eligible_weeks: int
    weeks: int
    earnings_12m: float
    week_jss: tuple[int | None, ...]

    @property
    def eligible(self) -> bool:
        return self.eligible_weeks >= 13 and self.earnings_12m >= 1000


def earnings_12m(arr: ContractArrays, day: date) -> float:
    """Earnings of started contracts whose payment date falls in the 12-month window."""
    t = to_days(day)
    paid = np.where(
        arr.has_last_payment & (arr.last_payment <= t),
        arr.last_payment,
        np.where(arr.has_end & (arr.end <= t), arr.end, t),
    )
    inside = (arr.start <= t) & (paid >= to_days(window_start(day, 12))) & (paid <= t)
    return float(arr.earnings[inside].sum())


def top_rated(arr: ContractArrays, rules: RuleSet, day: date, weeks: int = 16) -> TopRated:
    """How many of the 16 weekly dates up to `day` showed a JSS ≥ 90, and 12-month earnings."""
    week_days = [day - timedelta(days=7 * k) for k in range(weeks)]
    week_jss = shown_jss(arr, rules, week_days)
    count = sum(1 for j in week_jss if j is not None and j >= 90)
    return TopRated(count, weeks, earnings_12m(arr, day), tuple(week_jss))


class Signal(IntEnum):
    """What a contract's visible feedback says (MODEL.md section 3); the worst is the minimum."""

    NEGATIVE = _NEG
    NEUTRAL = _NEU
    POSITIVE = _POS
    NONE = _NONE


def feedback_signals(arr: ContractArrays, rules: RuleSet, t: np.ndarray) -> np.ndarray:
    """The `Signal` of every contract at every date of `t` (D×1): D×N int8.

    Depends only on each contract's public and private feedback, client flag and feedback day,
    and on `t`: contracts equal in those give equal signals.
    """
    return _signals(arr, rules, t)


@dataclass(frozen=True)
class ContractParts:
    """Each contract's part of the window sums (MODEL.md section 5) at D dates.

    `success`, `negative`, `neutral`: D×N weights (0 where the contract has another outcome or
    is excluded); `inside`: K×D×N, counted in each window of `months`. The window sums are
    these summed over the contracts inside (clients: distinct clients of those contracts).
    """

    months: tuple[int, ...]
    success: np.ndarray
    negative: np.ndarray
    neutral: np.ndarray
    inside: np.ndarray


def contract_parts(outcomes: Outcomes, t: np.ndarray, months: tuple[int, ...]) -> ContractParts:
    """Every contract's part of every window's sums at the dates of `t` (D×1)."""
    starts = _window_starts(t[:, 0], months)
    counted = (outcomes.outcome != Outcome.EXCLUDED) & (outcomes.anchor <= t)
    inside = np.stack(
        [counted & (outcomes.anchor >= starts[:, k : k + 1]) for k in range(len(months))]
    )
    weight = np.broadcast_to(outcomes.weight, counted.shape)

    def part(outcome: Outcome) -> np.ndarray:
        return np.where(outcomes.outcome == outcome, weight, 0.0)

    return ContractParts(
        months=months,
        success=part(Outcome.SUCCESS),
        negative=part(Outcome.NEGATIVE),
        neutral=part(Outcome.NEUTRAL),
        inside=inside,
    )


def distinct_clients(arr: ContractArrays, selected: np.ndarray) -> np.ndarray:
    """How many distinct clients the selected contracts of each row have: R×N booleans → R."""
    return _ClientCounter.for_arrays(arr).count(selected)
