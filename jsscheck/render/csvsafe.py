"""CSV for spreadsheets: the one place cells are made safe to open in Excel or Sheets."""

from __future__ import annotations

import csv
from datetime import date
from typing import IO, Any

#: A text cell starting with one of these would run as a formula in a spreadsheet: the ASCII
#: ones, and their full-width (＝＋－＠) and small (﹦﹢﹣﹫) forms, which East Asian spreadsheet
#: locales read as the same operators.
FORMULA_START = (
    "=", "+", "-", "@", "\t", "\r",
    "\uff1d", "\uff0b", "\uff0d", "\uff20",
    "\ufe66", "\ufe62", "\ufe63", "\ufe6b",
)  # fmt: skip
#: Characters a spreadsheet may skip before a formula: zero-width spaces and joiners,
#: direction marks, the word joiner, the soft hyphen, a byte order mark, and white space.
INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\u00ad\ufeff"


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could run `text` as a formula: it starts with a formula character,
    perhaps after invisible characters or white space (`\u200b=1+1`, `\ufeff@SUM(A1)`)."""
    if text.startswith(FORMULA_START):
        return True
    rest = text.lstrip(INVISIBLE + " \n\v\f\u00a0\u3000")
    return rest != text and rest.startswith(FORMULA_START)


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
    return "'" + text if looks_like_formula(text) else text


def writer(stream: IO[str]) -> Any:
    """A csv writer with RFC 4180 line ends: with `\\r\\n` the csv module also quotes a lone
    `\\r` inside a cell, which a `\\n` terminator would leave bare, splitting the row."""
    return csv.writer(stream, lineterminator="\r\n")
