"""When can the displayed score change? Change points instead of day-by-day scanning.

Between two consecutive change points nothing in MODEL.md sections 3-6 moves: every contract's
outcome, weight, anchor and window membership depend on the date only through the days
computed here (starts, ends, feedback dates, last payments becoming known, grace ends,
long-term and 90-day steps, idle dates from the start and from the last payment,
`private_until`, and the window exits of every anchor: ends, idle dates and last payments,
which also anchor open long-term contracts). So the displayed JSS is piecewise constant
between them, and evaluating at these days alone finds every change exactly, at daily
resolution.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from jsscheck.engine.calendar import BIWEEKLY_ORIGIN, minus_months, plus_months
from jsscheck.engine.evaluate import Evaluation, evaluate, evaluate_dates
from jsscheck.model.days import from_days, to_days
from jsscheck.model.rules import RuleSet
from jsscheck.model.table import ContractTable
from jsscheck.model.unique import unique_ints, unique_ints_inverse

_DAYS_PER_STEP = 90


def _exit_days(anchors: np.ndarray, months: int) -> np.ndarray:
    """For each anchor day, the first day on which it is before the `months`-month window."""
    unique, inverse = unique_ints_inverse(anchors)
    exits = np.empty(len(unique), dtype=np.int64)
    for i, day in enumerate(unique.tolist()):
        anchor = from_days(day)
        # plus_months + 1 day is right except at month ends, where clipping keeps the window
        # start on the anchor for a few more days: step forward until it passes.
        candidate = plus_months(anchor, months) + timedelta(days=1)
        while minus_months(candidate, months) <= anchor:
            candidate += timedelta(days=1)
        exits[i] = to_days(candidate)
    result: np.ndarray = exits[inverse]
    return result


def change_points(arr: ContractTable, rules: RuleSet, first: date, last: date) -> list[date]:
    """Every day in (first, last] on which the computed score may change (daily cadence).

    Over-inclusive is harmless (one more evaluation); missing a day would be a wrong answer.
    """
    lo, hi = to_days(first), to_days(last)
    if hi <= lo or arr.size == 0:
        return []
    parts: list[np.ndarray] = [arr.start, arr.feedback_day[arr.has_feedback_day]]
    ends = arr.end[arr.has_end]
    parts += [ends, ends + rules.feedback_grace_days]
    # A payment becomes known on its day: anchors move to it, the idle clock restarts.
    payments = arr.last_payment[arr.has_last_payment]
    parts.append(payments)
    closed = [ends]
    if rules.use_private and rules.private_until is not None:
        parts.append(np.array([to_days(rules.private_until)], dtype=np.int64))
    if rules.long_term_days is not None:
        parts.append(arr.start + rules.long_term_days + 1)
    if rules.idle_open_days is not None:
        # The last known payment is the start until the last payment is reached (MODEL.md 3),
        # so both give an idle date: the contract goes idle the day after, and stops pending
        # (no feedback) a grace period after it.
        for base in (arr.start, payments):
            idle_day = base + rules.idle_open_days
            parts += [idle_day + 1, idle_day + rules.feedback_grace_days]
            closed.append(idle_day)
    if rules.weighting == "tiers":
        # Weight bonus steps every 90 days of activity, while the contract runs.
        until = np.where(arr.has_end, np.minimum(arr.end, hi), hi)
        first_step = np.maximum(1, -((arr.start - lo - 1) // _DAYS_PER_STEP))
        for j in range((hi - lo) // _DAYS_PER_STEP + 2):
            step = arr.start + _DAYS_PER_STEP * (first_step + j)
            parts.append(step[step <= until])
    anchors = np.concatenate([*closed, payments])
    anchors = anchors[(anchors <= hi)]
    if len(anchors):
        for months in rules.candidate_windows:
            parts.append(_exit_days(anchors, months))
    days = unique_ints(np.concatenate(parts))
    days = days[(days > lo) & (days <= hi)]
    if rules.cadence == "biweekly":
        # Shown only on update days: each change appears on the first update day at or after it.
        origin = to_days(BIWEEKLY_ORIGIN)
        days = unique_ints(days + (-(days - origin)) % 14)
        days = days[days <= hi]
    return [from_days(d) for d in days.tolist()]


def update_days(first: date, last: date) -> list[date]:
    """Every biweekly update day in (first, last]."""
    origin = to_days(BIWEEKLY_ORIGIN)
    start = to_days(first) + 1
    start += (-(start - origin)) % 14
    return [from_days(d) for d in range(start, to_days(last) + 1, 14)]


@dataclass(frozen=True)
class Step:
    """The displayed JSS changed on `day` (shown on the day before: `jss_before`)."""

    day: date
    previous_day: date
    jss_before: int | None
    jss_after: int | None
    score_before: float | None
    score_after: float | None


def shown_steps(arr: ContractTable, rules: RuleSet, first: date, last: date) -> list[Step]:
    """Every day in (first, last] on which the displayed (rounded) JSS changed.

    `first` and `last` are shown dates; with a biweekly cadence the score shown on `first` is
    the one computed on its latest update day.
    """
    from jsscheck.engine.calendar import update_day

    start = update_day(first, rules.cadence)
    points = change_points(arr, rules, start, last)
    days = [start, *points]
    scores = evaluate_dates(arr, rules, days)
    steps = []
    for i in range(1, len(days)):
        before, after = scores.jss_at(i - 1), scores.jss_at(i)
        if before != after:
            steps.append(
                Step(
                    day=days[i],
                    previous_day=days[i] - timedelta(days=1)
                    if rules.cadence == "daily"
                    else days[i] - timedelta(days=14),
                    jss_before=before,
                    jss_after=after,
                    score_before=_float(scores.best_score[i - 1]),
                    score_after=_float(scores.best_score[i]),
                )
            )
    return steps


def _float(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def step_evaluations(
    arr: ContractTable, rules: RuleSet, step: Step
) -> tuple[Evaluation, Evaluation]:
    """The evaluations on both sides of a step (for attributing it)."""
    return evaluate(arr, rules, step.previous_day), evaluate(arr, rules, step.day)
