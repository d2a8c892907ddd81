"""CSV for spreadsheets: the one place cells are made safe to open in Excel or Sheets."""

from __future__ import annotations

import csv
from datetime import date
from typing import IO, Any

#: A text cell starting with one of these would run as a formula in a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A CSV cell: formula-like text gets a `'` prefix; numbers stay numbers (a negative
    number is data, not a formula); None is empty; booleans and dates are written plainly."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def writer(stream: IO[str]) -> Any:
    """A csv writer with RFC 4180 line ends: with `\\r\\n` the csv module also quotes a lone
    `\\r` inside a cell, which a `\\n` terminator would leave bare, splitting the row."""
    return csv.writer(stream, lineterminator="\r\n")
