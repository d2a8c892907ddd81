"""Evaluating a history: at one date with every contract's detail, or the scores at many.

- `evaluate(arrays, rules, t)`: one computation date, every contract's outcome, weight,
  anchor and windows (what `score` shows and `explain` attributes);
- `evaluate_dates(arrays, rules, dates)`: many dates, the window sums and the displayed JSS
  only (what timelines, forecasts, Top Rated weeks and calibration need);
- `evaluate_shown` / `shown_scores` / `shown_jss`: the same for *shown* dates, with the
  cadence of MODEL.md section 7 applied here, so no caller needs `update_day`;
- Top Rated and 12-month earnings (MODEL.md section 6).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from jsscheck.engine.calendar import update_day, window_start
from jsscheck.engine.outcomes import outcomes_at
from jsscheck.engine.sweep import window_sums_swept
from jsscheck.engine.windows import (
    ClientCounter,
    Scores,
    WindowSums,
    scores_from_sums,
    window_scores,
    window_sums,
)
from jsscheck.model.candidate import Candidate
from jsscheck.model.days import from_days, to_days
from jsscheck.model.rules import RuleSet
from jsscheck.model.table import DAY, ContractTable, group_starts
from jsscheck.model.unique import unique_ints_inverse

#: Keep each block of (dates × contracts) arrays around this many cells: ~60 bytes of
#: temporaries a cell, so about 20 MB, or one date when a history has more contracts. Larger
#: blocks are barely faster and would cost more memory than a large history itself (#9).
_BLOCK_CELLS = 350_000
#: From this many dates on, `evaluate_dates` sweeps each contract's constant segments once
#: (engine/sweep.py) instead of evaluating every contract at every date.
_SWEEP_DATES = 4


def evaluate_dates(
    arr: ContractTable, rules: RuleSet, dates: Sequence[date] | np.ndarray
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
        arr, starts = arr.select(order), group_starts(arr.client_code[order])
    if len(days) >= _SWEEP_DATES:
        unique, inverse = unique_ints_inverse(days)
        swept = window_sums_swept(arr, starts, rules, unique)
        if swept is not None:
            return scores_from_sums(rules, days, _rows(swept, inverse))
    counter = ClientCounter(starts, arr.size)
    block = max(1, _BLOCK_CELLS // max(arr.size, 1))
    parts: list[WindowSums] = []
    for first in range(0, len(days), block):
        t = days[first : first + block, None]
        outcomes = outcomes_at(arr, rules, t)
        sums, _ = window_sums(arr, outcomes, t, months, counter)
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


def _rows(sums: WindowSums, index: np.ndarray) -> WindowSums:
    """The sums at rows `index` (a date asked for twice gets its row twice)."""
    return WindowSums(sums.months, *(getattr(sums, name)[index] for name in _SUM_NAMES))


_SUM_NAMES = ("success", "negative", "neutral", "contracts", "clients")


def _still_countable(arr: ContractTable, rules: RuleSet, first: int) -> np.ndarray | None:
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
    arrays: ContractTable
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
        """The best candidate's name ("6m", "trending"), None when there is no JSS."""
        return self.scores.best_name(0)

    @property
    def best_candidate(self) -> Candidate | None:
        return self.scores.best(0)

    @property
    def best_score(self) -> float | None:
        value = float(self.scores.best_score[0])
        return None if math.isnan(value) else value

    @functools.cached_property
    def _windows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        eligible, raw, clamped = window_scores(self.rules, self.scores.sums)
        return eligible[0], raw[0], clamped[0]

    def candidate_score(self, which: Candidate | str) -> float | None:
        """A candidate's (clamped) score, None when not eligible or not a candidate.

        A computed window that is not among the candidates (3m for Trending) has its score.
        """
        chosen = which if isinstance(which, Candidate) else Candidate.parse(which)
        if chosen in self.scores.candidates:
            return self.scores.candidate(0, chosen)
        if chosen.is_trending:
            return None
        return self._window_value(chosen, self._windows[2])

    def unclamped_score(self, which: Candidate | str) -> float | None:
        """A candidate's score before the clamp at 0 (Trending: the mean of 3m and 6m)."""
        chosen = which if isinstance(which, Candidate) else Candidate.parse(which)
        values = [self._window_value(Candidate.window(m), self._windows[1]) for m in chosen.windows]
        if any(v is None for v in values):
            return None
        return sum(v for v in values if v is not None) / len(values)

    def window_eligible(self, months: int) -> bool:
        return bool(self._windows[0][self.scores.sums.months.index(months)])

    def _window_value(self, window: Candidate, values: np.ndarray) -> float | None:
        assert window.months is not None
        value = float(values[self.scores.sums.months.index(window.months)])
        return None if math.isnan(value) else value


def evaluate(arr: ContractTable, rules: RuleSet, day: date) -> Evaluation:
    """Every contract's outcome, weight, anchor and windows, and the scores, at `day`."""
    t = np.array([[to_days(day)]], dtype=DAY)
    outcomes = outcomes_at(arr, rules, t)
    months = rules.candidate_windows
    sums, members = window_sums(arr, outcomes, t, months, ClientCounter.for_arrays(arr))
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


def evaluate_shown(arr: ContractTable, rules: RuleSet, shown_day: date) -> Evaluation:
    """The evaluation whose score is shown on `shown_day`: computed on its update day
    (MODEL.md 7; `Evaluation.day` is that computation date)."""
    return evaluate(arr, rules, update_day(shown_day, rules.cadence))


@dataclass(frozen=True)
class ShownScores:
    """The scores shown on each of `days` (cadence applied), computed once per update day.

    `row[i]` is the row of `scores` that `days[i]` shows; `computed_on[i]` its date.
    """

    days: tuple[date, ...]
    computed_on: tuple[date, ...]
    row: np.ndarray
    scores: Scores

    def jss(self, i: int) -> int | None:
        return self.scores.jss_at(int(self.row[i]))

    def best_name(self, i: int) -> str | None:
        return self.scores.best_name(int(self.row[i]))

    def best_score(self, i: int) -> float | None:
        value = float(self.scores.best_score[int(self.row[i])])
        return None if math.isnan(value) else value


def shown_scores(arr: ContractTable, rules: RuleSet, days: Sequence[date]) -> ShownScores:
    """The scores shown on each of `days`: each computed on its update day (MODEL.md 7)."""
    computed = [update_day(d, rules.cadence) for d in days]
    unique = sorted(set(computed))
    position = {d: i for i, d in enumerate(unique)}
    return ShownScores(
        days=tuple(days),
        computed_on=tuple(computed),
        row=np.array([position[d] for d in computed], dtype=np.int64),
        scores=evaluate_dates(arr, rules, unique),
    )


def shown_jss(arr: ContractTable, rules: RuleSet, days: Sequence[date]) -> list[int | None]:
    """The displayed JSS shown on each of `days`, with the cadence applied (MODEL.md 7)."""
    shown = shown_scores(arr, rules, days)
    return [shown.jss(i) for i in range(len(days))]


#: MODEL.md 6: Top Rated needs a displayed JSS of at least this...
TOP_RATED_JSS = 90
#: ...on at least this many of the last TOP_RATED_WEEKS weekly dates...
TOP_RATED_MIN_WEEKS = 13
TOP_RATED_WEEKS = 16
#: ...this much earned in 12 months, and a first contract more than this many days old.
TOP_RATED_EARNINGS = 1000.0
TOP_RATED_HISTORY_DAYS = 90


@dataclass(frozen=True)
class TopRated:
    """MODEL.md section 6: Top Rated eligible weeks, 12-month earnings and the other conditions.

    `week_jss` are the JSS shown on t, t−7, …, t−105 days (t first); `first_start` is the
    earliest start date of the history (None for an empty one).
    """

    eligible_weeks: int
    weeks: int
    earnings_12m: float
    week_jss: tuple[int | None, ...]
    day: date
    first_start: date | None

    @property
    def jss_at_t(self) -> int | None:
        """The JSS displayed at t."""
        return self.week_jss[0] if self.week_jss else None

    @property
    def eligible(self) -> bool:
        return (
            self.eligible_weeks >= TOP_RATED_MIN_WEEKS
            and self.jss_at_t is not None
            and self.jss_at_t >= TOP_RATED_JSS
            and self.first_start is not None
            and (self.day - self.first_start).days > TOP_RATED_HISTORY_DAYS
            and self.earnings_12m >= TOP_RATED_EARNINGS
        )


def earnings_12m(arr: ContractTable, day: date) -> float:
    """Earnings of started contracts whose payment date falls in the 12-month window."""
    t = to_days(day)
    paid = np.where(
        arr.has_last_payment & (arr.last_payment <= t),
        arr.last_payment,
        np.where(arr.has_end & (arr.end <= t), arr.end, t),
    )
    inside = (arr.start <= t) & (paid >= to_days(window_start(day, 12))) & (paid <= t)
    return float(arr.earnings[inside].sum())


def top_rated_weeks(day: date, weeks: int = TOP_RATED_WEEKS) -> list[date]:
    """The weekly dates t, t−7, …, t−105 days of MODEL.md section 6 (t first)."""
    return [day - timedelta(days=7 * k) for k in range(weeks)]


def top_rated_status(arr: ContractTable, day: date, week_jss: Sequence[int | None]) -> TopRated:
    """Top Rated at `day` from the JSS shown on its weekly dates (`top_rated_weeks`, t first)."""
    count = sum(1 for j in week_jss if j is not None and j >= TOP_RATED_JSS)
    first = from_days(int(arr.start.min())) if arr.size else None
    return TopRated(count, len(week_jss), earnings_12m(arr, day), tuple(week_jss), day, first)


def top_rated(
    arr: ContractTable, rules: RuleSet, day: date, weeks: int = TOP_RATED_WEEKS
) -> TopRated:
    """Top Rated at `day`: how many of the weekly dates showed a JSS ≥ 90, and the rest."""
    return top_rated_status(arr, day, shown_jss(arr, rules, top_rated_weeks(day, weeks)))
