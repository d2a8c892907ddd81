"""Calendar arithmetic of the model: window starts and update days (MODEL.md sections 5 and 7)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

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
