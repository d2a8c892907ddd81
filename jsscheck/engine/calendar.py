"""Calendar arithmetic of the model: window starts and update days (MODEL.md sections 5 and 7)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jsscheck.model.rules import RuleSet

#: Biweekly updates happen every 14th day counted from this Sunday, both ways (MODEL.md 7).
BIWEEKLY_ORIGIN = date(2020, 11, 8)


def minus_months(day: date, months: int) -> date:
    """`day` minus `months` calendar months, the day clipped to the month's last day.

    2026-08-31 minus 6 months is 2026-02-28.
    """
    month_index = day.year * 12 + (day.month - 1) - months
    year, month0 = divmod(month_index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def plus_months(day: date, months: int) -> date:
    """`day` plus `months` calendar months, the day clipped to the month's last day."""
    return minus_months(day, -months)


def window_start(day: date, months: int) -> date:
    """`start(t, W)` of MODEL.md section 5: the first day inside the W-month window at `day`."""
    return minus_months(day, months)


def update_day(day: date, cadence: str) -> date:
    """The day the score shown on `day` was computed on (MODEL.md section 7)."""
    if cadence == "daily":
        return day
    offset = (day - BIWEEKLY_ORIGIN).days % 14
    return day - timedelta(days=offset)


def short_coverage(covered_from: date | None, rules: RuleSet, as_of: date) -> date | None:
    """MODEL.md 11 "short coverage": `covered_from` (the first date the Upwork exports among
    the inputs cover) when it is after the start of the longest window at the day the score
    shown on `as_of` was computed on, so contracts paid earlier may be missing; else None."""
    if covered_from is None:
        return None
    computed_on = update_day(as_of, rules.cadence)
    longest = window_start(computed_on, max(rules.candidate_windows))
    return covered_from if covered_from > longest else None
