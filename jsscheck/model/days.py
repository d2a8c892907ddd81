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
