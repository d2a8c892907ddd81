"""Calendar dates as whole days since 1970-01-01, the unit of every date column.

Dates inside the history and the engine are numpy integers, so that thousands of contracts and
hundreds of evaluation dates compare as integer arrays.
"""

from __future__ import annotations

from datetime import date

EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def to_days(day: date) -> int:
    """Days since 1970-01-01."""
    return day.toordinal() - EPOCH_ORDINAL


def from_days(days: int) -> date:
    """The date `days` after 1970-01-01."""
    return date.fromordinal(int(days) + EPOCH_ORDINAL)


def parse_iso(text: str) -> date:
    """A `YYYY-MM-DD` date (command-line options); ValueError otherwise."""
    return date.fromisoformat(text.strip())


#: The dates a command-line option or edit may name. The engine looks up to years back from a
#: date (windows, Trending, long-term contracts) and years ahead of it (forecast, goal), so a
#: date near year 1 or year 9999 would run off the calendar.
FIRST_OPTION_DAY = date(1900, 1, 1)
LAST_OPTION_DAY = date(9000, 12, 31)
#: The last day a forecast or plan may reach.
LAST_DAY = date(9999, 12, 31)


def option_day_problem(day: date) -> str | None:
    """Why `day` cannot be named in an option (outside FIRST_OPTION_DAY…LAST_OPTION_DAY), else
    None."""
    if FIRST_OPTION_DAY <= day <= LAST_OPTION_DAY:
        return None
    return f"must be between {FIRST_OPTION_DAY} and {LAST_OPTION_DAY}"
