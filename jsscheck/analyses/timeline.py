"""The displayed score over a range of dates, as data (what `jsscheck timeline` shows).

Every point is a *shown* date; its score is the one computed on the date's update day
(MODEL.md section 7). All the computation dates — the points, the weekly Top Rated dates
shaded on the chart and the 16 weeks of the Top Rated status — are evaluated together in one
vectorized `evaluate_dates` pass (in a few large chunks when someone wants progress), never
one full evaluation per date.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np

from jsscheck.analyses.forecast import ForecastEvent, forecast_events
from jsscheck.engine.arrays import ContractArrays
from jsscheck.engine.calendar import minus_months, update_day
from jsscheck.engine.changes import Step, change_points, update_days
from jsscheck.engine.evaluate import (
    TOP_RATED_JSS,
    TOP_RATED_WEEKS,
    TopRated,
    evaluate_dates,
    top_rated_status,
)
from jsscheck.engine.windows import Scores, WindowSums
from jsscheck.engine.windows import window_scores as engine_window_scores
from jsscheck.errors import UsageError
from jsscheck.model.candidate import candidate_name
from jsscheck.model.rules import RuleSet

#: The default range: this many months up to the last date.
DEFAULT_MONTHS = 24
#: Below this, Upwork reviews the account (MODEL.md section 6).
REVIEW_BELOW = 70
#: `--every` values the help lists; any `Nd` is accepted.
EVERY_CHOICES = ("1d", "7d", "14d", "update")
#: When reporting progress, evaluate about this many (date × contract) cells per call.
_PROGRESS_CELLS = 2_000_000
_PROGRESS_STEPS = 40

#: Called with (dates done, dates in all) while the dates are evaluated.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class TimelinePoint:
    """The score shown on `day` (computed on `computed_on`)."""

    day: date
    computed_on: date
    jss: int | None
    best: str | None
    score: float | None
    #: Every window's (clamped) score and Trending, None where not eligible.
    windows: dict[str, float | None]


@dataclass(frozen=True)
class TopRatedWeek:
    """One weekly Top Rated evaluation date (counted back from the last date)."""

    day: date
    jss: int | None

    @property
    def eligible(self) -> bool:
        return self.jss is not None and self.jss >= TOP_RATED_JSS


@dataclass(frozen=True)
class Timeline:
    """Points from `first` to `last`, the weekly Top Rated dates in between, and the status."""

    first: date
    last: date
    every: str
    rules: RuleSet
    window_names: tuple[str, ...]
    points: tuple[TimelinePoint, ...]
    #: Weekly dates last, last − 7, … within [first, last], oldest first.
    weeks: tuple[TopRatedWeek, ...]
    top_rated: TopRated
    #: The days in (first, last] the displayed JSS changed (only when asked for).
    steps: tuple[Step, ...] = ()

    @property
    def top_rated_eligible(self) -> bool:
        """Top Rated eligible on `last` (MODEL.md 6, version 2)."""
        return self.top_rated.eligible


# --------------------------------------------------------------------------- dates


def parse_every(text: str | None) -> str | None:
    """Normalise `--every`: `Nd` (N ≥ 1) or `update`; None stays None (the default)."""
    if text is None:
        return None
    value = text.strip().lower()
    if value == "update":
        return value
    match = re.fullmatch(r"(\d+)\s*d?", value)
    if match and int(match.group(1)) >= 1:
        return f"{int(match.group(1))}d"
    raise UsageError(
        f"--every: not a step (got '{text}')",
        hint=f"use one of {', '.join(EVERY_CHOICES)} (or any number of days, e.g. 3d)",
    )


def resolve_every(every: str | None, cadence: str) -> str:
    """The step actually used: the default is weekly for daily rules, update days otherwise."""
    if every is None:
        return "7d" if cadence == "daily" else "update"
    if every == "update" and cadence == "daily":
        return "1d"
    return every


def point_days(first: date, last: date, every: str, cadence: str) -> list[date]:
    """The shown dates of the points, oldest first.

    `Nd` steps back from `last` (so the last point is the last date and weekly points are the
    Top Rated dates); `update` (biweekly) takes the update days in [first, last], or `last`
    alone when the range holds none.
    """
    if first > last:
        raise UsageError(f"--from {first} is after --to {last}", hint="swap the two dates")
    every = resolve_every(every, cadence)
    if every == "update":
        days = update_days(first - timedelta(days=1), last)
        return days or [last]
    step = int(every.removesuffix("d"))
    count = (last - first).days // step
    return [last - timedelta(days=step * k) for k in range(count, -1, -1)]


def default_first(last: date) -> date:
    """The default start of the range: 24 months before `last`."""
    return minus_months(last, DEFAULT_MONTHS)


# --------------------------------------------------------------------------- computing


def window_scores(rules: RuleSet, sums: WindowSums) -> np.ndarray:
    """Every computed window's (clamped) score, D×K over `sums.months`; NaN when ineligible.

    `Scores.score` holds the candidates only; the 3-month window computed for Trending is
    shown too (CLI.md `candidates`).
    """
    return engine_window_scores(rules, sums)[2]


def _concat_rows(parts: Sequence[Any]) -> Any:
    """Dataclasses of per-date rows (`Scores`, `WindowSums`) for consecutive chunks of dates
    as one: arrays are joined along the dates, anything else (names, months) is shared."""
    values = {}
    for item in fields(parts[0]):
        first = getattr(parts[0], item.name)
        if isinstance(first, np.ndarray):
            values[item.name] = np.concatenate([getattr(p, item.name) for p in parts])
        elif is_dataclass(first):
            values[item.name] = _concat_rows([getattr(p, item.name) for p in parts])
        else:
            values[item.name] = first
    return type(parts[0])(**values)


def evaluate_all(
    arrays: ContractArrays,
    rules: RuleSet,
    days: Sequence[date],
    progress: Progress | None = None,
) -> Scores:
    """`evaluate_dates` over `days`: one call, or a few large chunks when `progress` is given."""
    if progress is None or not days:
        return evaluate_dates(arrays, rules, days)
    chunk = max(_PROGRESS_CELLS // max(arrays.size, 1), -(-len(days) // _PROGRESS_STEPS), 1)
    parts = []
    for start in range(0, len(days), chunk):
        parts.append(evaluate_dates(arrays, rules, days[start : start + chunk]))
        progress(min(start + chunk, len(days)), len(days))
    joined: Scores = _concat_rows(parts)
    return joined


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def compute_timeline(
    arrays: ContractArrays,
    rules: RuleSet,
    first: date,
    last: date,
    every: str | None = None,
    progress: Progress | None = None,
    *,
    with_steps: bool = False,
) -> Timeline:
    """The scores shown on each point date from `first` to `last`, and Top Rated weeks.

    With `with_steps`, also every day in (first, last] on which the displayed JSS changed
    (as `changes.shown_steps` finds them), from the same single evaluation: the change points
    join the computation dates instead of costing a second pass.
    """
    step = resolve_every(every, rules.cadence)
    shown = point_days(first, last, step, rules.cadence)
    week_count = (last - first).days // 7
    week_days = [last - timedelta(days=7 * k) for k in range(week_count, -1, -1)]
    status_days = [last - timedelta(days=7 * k) for k in range(TOP_RATED_WEEKS)]

    wanted = [*shown, *week_days, *status_days]
    step_days: list[date] = []
    if with_steps:
        step_start = update_day(first, rules.cadence)
        step_days = [step_start, *change_points(arrays, rules, step_start, last)]
    computed = sorted({update_day(d, rules.cadence) for d in wanted} | set(step_days))
    row = {d: i for i, d in enumerate(computed)}
    scores = evaluate_all(arrays, rules, computed, progress)
    every_window = window_scores(rules, scores.sums)

    names = [candidate_name(m) for m in scores.sums.months]
    trending = scores.names.index("trending") if "trending" in scores.names else None
    if trending is not None:
        names.append("trending")

    points = []
    for day in shown:
        computed_on = update_day(day, rules.cadence)
        i = row[computed_on]
        values = [_number(v) for v in every_window[i].tolist()]
        if trending is not None:
            values.append(_number(float(scores.score[i, trending])))
        points.append(
            TimelinePoint(
                day=day,
                computed_on=computed_on,
                jss=scores.jss_at(i),
                best=scores.best_name(i),
                score=_number(float(scores.best_score[i])),
                windows=dict(zip(names, values, strict=True)),
            )
        )

    def shown_jss(day: date) -> int | None:
        return scores.jss_at(row[update_day(day, rules.cadence)])

    weeks = tuple(TopRatedWeek(d, shown_jss(d)) for d in week_days)
    status_jss = tuple(shown_jss(d) for d in status_days)
    status = top_rated_status(arrays, last, status_jss)
    return Timeline(
        steps=tuple(_steps(scores, [row[d] for d in step_days], step_days, rules.cadence)),
        first=first,
        last=last,
        every=step,
        rules=rules,
        window_names=tuple(names),
        points=tuple(points),
        weeks=weeks,
        top_rated=status,
    )


def _steps(scores: Scores, rows: list[int], days: list[date], cadence: str) -> list[Step]:
    """Consecutive change points whose displayed JSS differs (`changes.shown_steps`)."""
    steps = []
    for before, after, day in zip(rows, rows[1:], days[1:], strict=False):
        if scores.jss_at(before) != scores.jss_at(after):
            steps.append(
                Step(
                    day=day,
                    previous_day=day - timedelta(days=1 if cadence == "daily" else 14),
                    jss_before=scores.jss_at(before),
                    jss_after=scores.jss_at(after),
                    score_before=_number(float(scores.best_score[before])),
                    score_after=_number(float(scores.best_score[after])),
                )
            )
    return steps


def largest_moves(
    arrays: ContractArrays, rules: RuleSet, steps: Sequence[Step], count: int = 5
) -> list[ForecastEvent]:
    """The `count` largest of `steps` (changes of the displayed JSS), largest first, each with
    its causes: MODEL.md 9.2's effects for that step, the numbers `explain` and `forecast`
    give the same contracts (`analyses.forecast.forecast_events`)."""

    def size(step: Step) -> float:
        # An appearing or vanishing score ranks after every move between two scores.
        if step.jss_before is None or step.jss_after is None:
            return -1.0
        return float(abs(step.jss_after - step.jss_before))

    # Largest first; among equal moves the latest first (the most relevant now).
    chosen = sorted(steps, key=lambda s: (size(s), s.day), reverse=True)[:count]
    # One sweep over their days (ascending, as forecast_events takes them), then largest first.
    by_day = sorted(chosen, key=lambda s: s.day)
    found = dict(zip((s.day for s in by_day), forecast_events(arrays, rules, by_day), strict=True))
    return [found[step.day] for step in chosen]
