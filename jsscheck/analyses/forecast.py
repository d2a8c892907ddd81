"""Forecast (MODEL.md section 10): what happens to the displayed JSS if nothing new happens.

- `freeze`: the history as known on `as_of`, with nothing new afterwards.
- `forecast`: every future day on which the displayed JSS changes, found from the change points
  (`jsscheck.engine.changes`), never by scanning, each with its causes: the effects of MODEL.md
  9.2 for that step (the steps of `explain`, so a contract has the same number here as there;
  all days from one sweep, `engine.period.steps_between`, each step evaluating only the
  contracts that may change that day); and the days Top Rated eligibility (MODEL.md section 6)
  is gained or lost.

Frozen dataclasses only: the words and the JSON are in `jsscheck.render.forecast`.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np

from jsscheck.engine import attribution, period
from jsscheck.engine.arrays import ContractArrays
from jsscheck.engine.calendar import plus_months, short_coverage, update_day, window_start
from jsscheck.engine.changes import Step, shown_steps, step_evaluations
from jsscheck.engine.evaluate import (
    TOP_RATED_HISTORY_DAYS,
    TOP_RATED_JSS,
    TOP_RATED_WEEKS,
    TopRated,
    earnings_12m,
    evaluate,
    top_rated_weeks,
)
from jsscheck.errors import UsageError
from jsscheck.model.contract import Contract
from jsscheck.model.days import LAST_DAY, from_days, to_days
from jsscheck.model.rules import RuleSet
from jsscheck.model.table import ContractTable
from jsscheck.model.text import visible
from jsscheck.model.unique import unique_ints

DEFAULT_HORIZON = "24m"
#: The longest horizon: nothing in a history still moves the score 100 years on.
MAX_HORIZON_YEARS = 100
MAX_HORIZON_DAYS = MAX_HORIZON_YEARS * 366
_HORIZON = re.compile(r"^\s*([0-9]+)\s*([dwmy])\s*$", re.IGNORECASE)

#: The oldest weekly date counted for Top Rated on t is t minus this (MODEL.md section 6).
TOP_RATED_LOOKBACK = timedelta(days=7 * (TOP_RATED_WEEKS - 1))


def horizon_end(as_of: date, horizon: str) -> date:
    """`24m` → 24 months after `as_of`; also `90d`, `12w`, `2y`. At most MAX_HORIZON_YEARS,
    and never past LAST_DAY (31 December 9999): a usage error says what is allowed."""
    match = _HORIZON.match(horizon)
    if not match:
        raise UsageError(
            f"--horizon: '{visible(horizon)}' is not a length",
            hint="write e.g. 24m, 2y, 12w or 90d",
        )
    digits, unit = match.group(1), match.group(2).lower()
    count = int(digits) if len(digits) <= 9 else MAX_HORIZON_DAYS + 1
    if count == 0:
        raise UsageError("--horizon must be longer than 0")
    days = count * {"d": 1, "w": 7, "m": 31, "y": 366}[unit]
    if days > MAX_HORIZON_DAYS:
        raise UsageError(
            f"--horizon: '{visible(horizon)}' is too long",
            hint=f"give at most {MAX_HORIZON_YEARS} years, e.g. 24m or {MAX_HORIZON_YEARS}y",
        )
    if (LAST_DAY - as_of).days < days:
        raise UsageError(
            f"--horizon: '{visible(horizon)}' from {as_of} runs past {LAST_DAY}",
            hint="give a shorter horizon",
        )
    if unit == "d":
        return as_of + timedelta(days=count)
    if unit == "w":
        return as_of + timedelta(weeks=count)
    return plus_months(as_of, count * (12 if unit == "y" else 1))


# --------------------------------------------------------------------------- freezing


def freeze(contracts: Sequence[Contract], as_of: date) -> ContractTable:
    """The history as known on `as_of`, with nothing new afterwards (MODEL.md 10).

    Contracts not started by `as_of` go; ends, feedback and last payments after it are
    forgotten (an open contract's last payment after `as_of` becomes `as_of`: a payment recorded
    after t counts as made on t). Apart from that payment, the score on `as_of` is unchanged,
    and so is every score before it. Done on the columns: a large history is never turned
    into objects.
    """
    table = ContractTable.of(contracts)
    t = to_days(as_of)
    ended = table.has_end & (table.end <= t)
    # Feedback without its own date is visible from the (original) end date.
    has_feedback_day = table.has_feedback_date | table.has_end
    feedback_day = np.where(table.has_feedback_date, table.feedback_date, table.end)
    # Not visible on as_of, so never visible: feedback comes with no new work.
    hidden = has_feedback_day & (feedback_day > t)
    paid_late = table.has_last_payment & (table.last_payment > t)
    has_last_payment = table.has_last_payment & ~(paid_late & ended)
    has_feedback_date = table.has_feedback_date & ~hidden
    frozen = replace(
        table,
        end=np.where(ended, table.end, 0).astype(table.end.dtype),
        has_end=ended,
        public=np.where(hidden, math.nan, table.public),
        private=np.where(hidden, math.nan, table.private),
        feedback_date=np.where(has_feedback_date, table.feedback_date, 0).astype(
            table.feedback_date.dtype
        ),
        has_feedback_date=has_feedback_date,
        last_payment=np.where(
            has_last_payment, np.where(paid_late, t, table.last_payment), 0
        ).astype(table.last_payment.dtype),
        has_last_payment=has_last_payment,
    )
    started = table.start <= t
    return frozen if started.all() else frozen.take(np.flatnonzero(started))


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class ForecastEvent:
    """On `change.day` the displayed JSS changes; `causes` are MODEL.md 9.2's effects."""

    change: Step
    best_before: str | None
    best_after: str | None
    causes: attribution.Step

    @property
    def day(self) -> date:
        return self.change.day


@dataclass(frozen=True)
class TopRatedChange:
    """On `day` Top Rated eligibility (MODEL.md section 6) becomes `eligible`."""

    day: date
    eligible: bool


@dataclass(frozen=True)
class Forecast:
    """Every day in (as_of, until] on which the displayed JSS changes if nothing new happens."""

    as_of: date
    until: date
    computed_on: date
    rules: RuleSet
    jss: int | None
    score: float | None
    best: str | None
    events: tuple[ForecastEvent, ...]
    top_rated_now: bool
    top_rated: tuple[TopRatedChange, ...]
    #: contract id → title, for naming the contracts of the causes.
    titles: dict[str, str]
    #: MODEL.md 11 "short coverage" at `as_of`: the first date the Upwork exports cover.
    short_coverage: date | None = None

    @property
    def final_jss(self) -> int | None:
        return self.events[-1].change.jss_after if self.events else self.jss


# --------------------------------------------------------------------------- computing


def forecast_event(arrays: ContractArrays, rules: RuleSet, change: Step) -> ForecastEvent:
    """One change of the displayed JSS and its causes: MODEL.md 9.2 between the evaluation
    shown the day before (the previous update) and the one of that day."""
    before, after = step_evaluations(arrays, rules, change)
    return ForecastEvent(change, before.best, after.best, attribution.attribute_step(before, after))


def forecast_events(
    arrays: ContractArrays, rules: RuleSet, changes: Sequence[Step]
) -> list[ForecastEvent]:
    """`forecast_event` of every change (ascending days), from one sweep over their dates
    (`engine.period.steps_between`): a step evaluates only the contracts that may change on
    its day, never the whole history twice."""
    pairs = [(c.previous_day, c.day) for c in changes]
    found = period.steps_between(arrays, rules, pairs) if pairs else None
    if found is None:
        return [forecast_event(arrays, rules, change) for change in changes]
    events = []
    for change, (step, best0, best1) in zip(changes, found, strict=True):
        if step is None:  # no footprint changed (not expected on a day the JSS changes)
            events.append(forecast_event(arrays, rules, change))
        else:
            events.append(ForecastEvent(change, best0, best1, step))
    return events


def check_range(as_of: date, until: date) -> None:
    if until <= as_of:
        raise UsageError(
            f"--until {until} is not after --as-of {as_of}", hint="give a later --until"
        )


def forecast(
    contracts: Sequence[Contract],
    rules: RuleSet,
    as_of: date,
    until: date,
    covered_from: date | None = None,
) -> Forecast:
    """Every day in (as_of, until] on which the displayed JSS changes with no new work
    (`covered_from`: the first date the Upwork exports cover, `ReadResult.covered_from`)."""
    check_range(as_of, until)
    frozen = freeze(contracts, as_of)
    arrays = ContractArrays.from_contracts(frozen)
    day = update_day(as_of, rules.cadence)
    now = evaluate(arrays, rules, day)
    changes = shown_steps(arrays, rules, as_of, until)
    events = forecast_events(arrays, rules, changes)
    shown = ShownJss.looking_back(arrays, rules, ShownJss(as_of, now.jss, changes))
    top_now, flips = top_rated_changes(arrays, rules, as_of, until, shown)
    return Forecast(
        as_of=as_of,
        until=until,
        computed_on=day,
        rules=rules,
        jss=now.jss,
        score=now.best_score,
        best=now.best,
        events=tuple(events),
        top_rated_now=top_now,
        top_rated=flips,
        titles=frozen.titles_by_id(),
        short_coverage=short_coverage(covered_from, rules, as_of),
    )


# --------------------------------------------------------------------------- Top Rated


class ShownJss:
    """The displayed JSS on the shown dates from `first` on: `start` on `first`, then each
    step's `jss_after` from its day."""

    def __init__(self, first: date, start: int | None, steps: Sequence[Step]) -> None:
        self.first = first
        self.steps = list(steps)
        self.days = [s.day for s in self.steps]
        self.values = [start, *(s.jss_after for s in self.steps)]

    @classmethod
    def compute(cls, arrays: ContractArrays, rules: RuleSet, first: date, last: date) -> ShownJss:
        start = evaluate(arrays, rules, update_day(first, rules.cadence)).jss
        return cls(first, start, shown_steps(arrays, rules, first, last))

    @classmethod
    def looking_back(cls, arrays: ContractArrays, rules: RuleSet, ahead: ShownJss) -> ShownJss:
        """`ahead` (from as_of on) extended back as far as the Top Rated weeks need: 15 weeks
        before the first date showing ≥ 90 (no further than 15 weeks before as_of; not at all
        when that is after as_of or when the JSS never reaches 90)."""
        as_of = ahead.first
        reached = [d for d in [as_of, *ahead.days] if ahead.good(d)]
        if not reached:
            return ahead
        first = max(reached[0], as_of) - TOP_RATED_LOOKBACK
        first = max(first, as_of - TOP_RATED_LOOKBACK)
        if first >= as_of:
            return ahead
        back = cls.compute(arrays, rules, first, as_of)
        return cls(first, back.values[0], [*back.steps, *ahead.steps])

    def __call__(self, day: date) -> int | None:
        return self.values[bisect_right(self.days, day)]

    def good(self, day: date) -> bool:
        jss = self(day)
        return jss is not None and jss >= TOP_RATED_JSS


def _twelve_month_exits(arrays: ContractArrays, as_of: date, until: date) -> list[date]:
    """The days in (as_of, until] on which a contract's payment date leaves the 12-month
    window of `earnings_12m` (frozen history: every payment date is ≤ as_of or is t)."""
    t = to_days(as_of)
    paid = np.where(
        arrays.has_last_payment & (arrays.last_payment <= t),
        arrays.last_payment,
        np.where(arrays.has_end & (arrays.end <= t), arrays.end, -1),
    )
    exits = []
    for value in unique_ints(paid[paid >= 0]).tolist():
        payment = from_days(value)
        day = plus_months(payment, 12)
        while window_start(day, 12) <= payment:
            day += timedelta(days=1)
        if as_of < day <= until:
            exits.append(day)
    return exits


def top_rated_eligible(
    arrays: ContractArrays, day: date, week_jss: Sequence[int | None], first_start: date | None
) -> bool:
    """Top Rated eligibility on `day` (MODEL.md 6, the engine's `TopRated`): `week_jss` is the
    JSS shown on the weekly dates day, day − 7, …, day − 105 (most recent first). Without a JSS
    of 90 on `day` it is not eligible, so earnings_12m (the costly part) is only summed then."""
    jss = week_jss[0] if week_jss else None
    if jss is None or jss < TOP_RATED_JSS:
        return False
    count = sum(1 for j in week_jss if j is not None and j >= TOP_RATED_JSS)
    status = TopRated(
        count, len(week_jss), earnings_12m(arrays, day), tuple(week_jss), day, first_start
    )
    return status.eligible


def top_rated_changes(
    arrays: ContractArrays,
    rules: RuleSet,
    as_of: date,
    until: date,
    shown: ShownJss | None = None,
) -> tuple[bool, tuple[TopRatedChange, ...]]:
    """Top Rated eligibility on `as_of`, and every day in (as_of, until] it flips.

    `shown` must cover 15 weeks before the first date ≥ 90 (`ShownJss.looking_back`).
    Eligible on t (MODEL.md 6): at least 13 of the 16 weekly dates t, t − 7, …, t − 105 show a
    JSS ≥ 90, the JSS shown on t is ≥ 90, the first contract started more than 90 days before
    t, and earnings_12m(t) ≥ $1,000. Each part changes only on known days, so only those are
    checked: a change of "shown JSS ≥ 90" on day d changes the weekly count on d, d + 7, …,
    d + 105; earnings_12m changes when a payment date leaves the 12-month window; the history
    becomes old enough on the first start + 91 days.
    """
    if shown is None:
        shown = ShownJss.compute(arrays, rules, as_of - TOP_RATED_LOOKBACK, until)
    first_start = from_days(int(arrays.start.min())) if arrays.size else None

    def eligible(day: date) -> bool:
        weeks = [shown(d) for d in top_rated_weeks(day)]
        return top_rated_eligible(arrays, day, weeks, first_start)

    candidates: set[date] = set(_twelve_month_exits(arrays, as_of, until))
    previous = shown.good(shown.first)
    for step_day in shown.days:
        good = shown.good(step_day)
        if good != previous:
            candidates.update(step_day + timedelta(days=7 * k) for k in range(TOP_RATED_WEEKS))
        previous = good
    if first_start is not None:
        candidates.add(first_start + timedelta(days=TOP_RATED_HISTORY_DAYS + 1))
    state = eligible(as_of)
    now = state
    flips = []
    for day in sorted(d for d in candidates if as_of < d <= until):
        value = eligible(day)
        if value != state:
            flips.append(TopRatedChange(day, value))
            state = value
    return now, tuple(flips)
