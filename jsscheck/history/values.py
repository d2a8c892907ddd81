"""Parsing single values of a contract history (FORMATS.md section 1, "Values").

Every parser takes what a reader found (a CSV cell, or a native JSON value) and returns the
parsed value, `None` for an empty value, or raises `ValueProblem` saying what was expected and
how to fix it. Parsers never guess: a value that could mean two things is an error.
"""

from __future__ import annotations

import math
import re
from calendar import monthrange
from collections.abc import Callable
from datetime import date
from typing import Any

from jsscheck.model.contract import BOOL_FIELDS, DATE_FIELDS
from jsscheck.model.text import visible

#: Cells that mean "no value" (compared after stripping and lower-casing).
EMPTY_MARKERS = frozenset({"", "null", "na", "n/a", "-"})

_TRUE = frozenset({"true", "yes", "y", "1", "x"})
_FALSE = frozenset({"false", "no", "n", "0"})

_MONTHS: dict[str, int] = {}
_MONTH_NAMES = "january february march april may june july august september october november"
for _number, _name in enumerate([*_MONTH_NAMES.split(), "december"], start=1):
    _MONTHS[_name] = _number
    _MONTHS[_name[:3]] = _number
_MONTHS["sept"] = 9

_YMD = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")
# An ISO timestamp: the date part is taken as written (FORMATS.md: "date part taken").
_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[t ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:z|[+-]\d{2}(?::?\d{2})?)?"
)
_NUMERIC = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_MONTH_NAME_FIRST = re.compile(r"([a-z]+)\.? (\d{1,2}),? (\d{4})")
_DAY_FIRST_NAME = re.compile(r"(\d{1,2}) ([a-z]+)\.?,? (\d{4})")

_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d*)?|\.\d+")
_GROUPED_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}|\d{1,3}(?:\.\d{3})+,\d+")
_FOREIGN_CURRENCY = re.compile(r"[€£¥₹]|\b(?:EUR|GBP|CAD|AUD|INR|JPY|CHF)\b", re.IGNORECASE)

DATE_FIX = "use YYYY-MM-DD, e.g. 2026-08-21"
#: The largest amount read, in USD (a trillion dollars): more than any contract earns, and small
#: enough that a million of them still add up to a finite total.
MAX_AMOUNT = 1e12
#: The most 90-day periods a contract can have: more than the years 1-9999 hold (40,000 x 90
#: days is 9,856 years).
MAX_PAID_PERIODS = 40_000
_AMOUNT_FIX = "write the amount in USD, e.g. 1234.50"
#: Date strings repeat a lot across rows: parsing each distinct one once keeps 1M rows fast.
_DATE_CACHE_LIMIT = 200_000


class ValueProblem(Exception):
    """A value that cannot be used: `problem` says what was expected, `fix` how to fix it."""

    def __init__(self, problem: str, fix: str | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.fix = fix


def is_empty(raw: object) -> bool:
    """True for a value FORMATS.md counts as empty: None, '', null, NA, N/A and '-'."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return raw.strip().lower() in EMPTY_MARKERS
    return False


def shown(raw: object) -> str:
    """The raw value as a problem message quotes it (JSON natives in JSON spelling)."""
    if raw is None:
        return "null"
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, str):
        return visible(raw)
    return str(raw)


# ---------------------------------------------------------------------------------------------
# Dates


def _valid_date(year: int, month: int, day: int, text: str) -> date:
    """A date from its parts, or a ValueProblem whose fix names the closest real date."""
    try:
        return date(year, month, day)
    except ValueError:
        pass
    if 1 <= month <= 12 and 1 <= year <= 9999 and day > 0:
        last = monthrange(year, month)[1]
        raise ValueProblem("not a date", f"use YYYY-MM-DD, e.g. {date(year, month, last)}")
    raise ValueProblem("not a date", DATE_FIX)


def _parse_date_text(text: str, dayfirst: bool) -> date:
    s = " ".join(text.split()).lower()
    match = _YMD.fullmatch(s) or _TIMESTAMP.fullmatch(s)
    if match:
        return _valid_date(int(match[1]), int(match[2]), int(match[3]), text)
    match = _NUMERIC.fullmatch(s)
    if match:
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        if dayfirst:
            if first <= 12 < second <= 31:
                raise ValueProblem(
                    "not a DD/MM/YYYY date",
                    "it looks like MM/DD/YYYY: drop --dayfirst, or use YYYY-MM-DD, "
                    f"e.g. {year:04d}-{first:02d}-{second:02d}",
                )
            return _valid_date(year, second, first, text)
        if second <= 12 < first <= 31:
            raise ValueProblem(
                "not an MM/DD/YYYY date",
                "it looks like DD/MM/YYYY: pass --dayfirst, or use YYYY-MM-DD, "
                f"e.g. {year:04d}-{second:02d}-{first:02d}",
            )
        return _valid_date(year, first, second, text)
    match = _MONTH_NAME_FIRST.fullmatch(s)
    if match and match[1] in _MONTHS:
        return _valid_date(int(match[3]), _MONTHS[match[1]], int(match[2]), text)
    match = _DAY_FIRST_NAME.fullmatch(s)
    if match and match[2] in _MONTHS:
        return _valid_date(int(match[3]), _MONTHS[match[2]], int(match[1]), text)
    raise ValueProblem("not a date", DATE_FIX)


_date_cache: dict[tuple[str, bool], date | ValueProblem] = {}


def parse_date(raw: object, dayfirst: bool = False) -> date | None:
    """Parse a date in any form of FORMATS.md section 1; `dayfirst` reads DD/MM/YYYY."""
    if is_empty(raw):
        return None
    if not isinstance(raw, str):
        raise ValueProblem("not a date", DATE_FIX + ", as a string")
    key = (raw, dayfirst)
    cached = _date_cache.get(key)
    if cached is None:
        try:
            cached = _parse_date_text(raw, dayfirst)
        except ValueProblem as problem:
            cached = problem
        if len(_date_cache) < _DATE_CACHE_LIMIT:
            _date_cache[key] = cached
    if isinstance(cached, ValueProblem):
        raise ValueProblem(cached.problem, cached.fix)
    return cached


def parse_day(text: str, dayfirst: bool = False) -> date:
    """A date that must be there: a history's dates, `--as-of`/`--since` and observation files
    all read dates with this one parser (every form of FORMATS.md section 1, `dayfirst` for
    DD/MM/YYYY). An empty value is a `ValueProblem` too."""
    parsed = parse_date(text, dayfirst) if isinstance(text, str) and text.strip() else None
    if parsed is None:
        raise ValueProblem("not a date", DATE_FIX)
    return parsed


# ---------------------------------------------------------------------------------------------
# Numbers


def _native_number(raw: object) -> float | None:
    """A native JSON number as a float; None when `raw` is not one. Booleans are not numbers."""
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None
    try:
        value = float(raw)
    except OverflowError:  # an integer of hundreds of digits
        value = math.inf
    if not math.isfinite(value):
        raise ValueProblem("not a number", "write a finite number")
    return value


def parse_money(raw: object) -> float | None:
    """Parse a USD amount: `1234.5`, `$1,234.50`, `USD 1234.50`, `(12.00)` (= -12).

    Amounts beyond MAX_AMOUNT (either sign) are refused, so that no sum of them overflows.
    """
    if isinstance(raw, str) and _PLAIN_NUMBER.fullmatch(raw):
        value = float(raw)  # the common case, first
    else:
        parsed = _parse_money_text(raw)
        if parsed is None:
            return None
        value = parsed
    if -MAX_AMOUNT <= value <= MAX_AMOUNT:
        return value
    if not math.isfinite(value):
        raise ValueProblem("not a finite amount", _AMOUNT_FIX)
    raise ValueProblem(
        "too large: more than $1,000,000,000,000", f"check the amount; {_AMOUNT_FIX}"
    )


def _parse_money_text(raw: object) -> float | None:
    """parse_money past its fast path (the value may still be infinite: the caller checks)."""
    if is_empty(raw):
        return None
    native = _native_number(raw)
    if native is not None:
        return native
    if not isinstance(raw, str):
        raise ValueProblem("not an amount", "write a number in USD, e.g. 1234.50")
    s = raw.strip()
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    if s.startswith("-"):
        negative, s = not negative, s[1:].strip()
    upper = s.upper()
    for prefix in ("USD", "US$", "$"):
        if upper.startswith(prefix):
            s, upper = s[len(prefix) :].strip(), upper[len(prefix) :].strip()
            break
    if upper.endswith("USD"):
        s = s[:-3].strip()
    if s.startswith("-") and not negative:
        negative, s = True, s[1:].strip()
    if _PLAIN_NUMBER.fullmatch(s):
        value = float(s)
    elif _GROUPED_NUMBER.fullmatch(s):
        value = float(s.replace(",", ""))
    elif _DECIMAL_COMMA.fullmatch(s):
        example = s.replace(".", "").replace(",", ".")
        raise ValueProblem(
            "a decimal comma is not read (it could be a thousands separator)",
            f"write the amount with a decimal point: {'-' if negative else ''}{example}",
        )
    elif _FOREIGN_CURRENCY.search(raw):
        raise ValueProblem("not a USD amount", "convert it to US dollars, e.g. 1234.50")
    else:
        raise ValueProblem("not an amount", "write a number in USD, e.g. 1234.50")
    return -value if negative else value


def parse_earnings(raw: object) -> float | None:
    """Money that must be 0 or more."""
    value = parse_money(raw)
    if value is not None and value < 0:
        raise ValueProblem(
            "must be 0 or more",
            "earnings are the total you were paid on the contract, in USD; write the net amount",
        )
    return value


def _parse_number(raw: object, what: str, fix: str) -> float | None:
    if is_empty(raw):
        return None
    native = _native_number(raw)
    if native is not None:
        return native
    if isinstance(raw, str):
        s = raw.strip()
        # One sign at most: `--5`, `+-5` and `++9` are not numbers.
        if _PLAIN_NUMBER.fullmatch(s[1:] if s[:1] in ("+", "-") else s):
            return float(s)
        if _DECIMAL_COMMA.fullmatch(s):
            raise ValueProblem(f"not {what} (decimal comma)", "write it with a decimal point")
    raise ValueProblem(f"not {what}", fix)


def parse_public_feedback(raw: object) -> float | None:
    """Stars from 1.0 to 5.0; empty = no feedback."""
    fix = "write the stars from 1.0 to 5.0, or leave it empty for no feedback"
    value = _parse_number(raw, "a star rating", fix)
    if value is not None and not 1.0 <= value <= 5.0:
        raise ValueProblem("outside 1.0–5.0", fix)
    return value


def _parse_integer(raw: object, what: str, fix: str) -> int | None:
    value = _parse_number(raw, what, fix)
    if value is None:
        return None
    # 9.0 means 9 (JSON writers and spreadsheets add the .0); 10.5 is not an integer.
    if not value.is_integer():
        raise ValueProblem(f"not {what}", fix)
    return int(value)


def parse_private_feedback(raw: object) -> int | None:
    """A whole number from 0 to 10; empty = none."""
    fix = "write a whole number from 0 to 10, or leave it empty for none"
    value = _parse_integer(raw, "an integer 0–10", fix)
    if value is not None and not 0 <= value <= 10:
        raise ValueProblem("not an integer 0–10", fix)
    return value


def parse_paid_periods(raw: object) -> int | None:
    """A whole number ≥ 0: the 90-day periods after the first that hold a payment."""
    fix = "write a whole number of 90-day periods, 0 or more, or leave it empty"
    value = _parse_integer(raw, "a whole number", fix)
    if value is not None and value < 0:
        raise ValueProblem("must be 0 or more", fix)
    if value is not None and value > MAX_PAID_PERIODS:
        raise ValueProblem(
            f"too large: more than {MAX_PAID_PERIODS:,} periods of 90 days (over 9,800 years)", fix
        )
    return value


def parse_bool(raw: object) -> bool | None:
    """true/false, yes/no, y/n, 1/0, x/empty. Empty gives None (the default, false, applies
    after merging, so another input can still fill it)."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str):
        s = raw.strip().lower()
        if s in _TRUE:
            return True
        if s in _FALSE:
            return False
        if s in EMPTY_MARKERS:
            return None
    raise ValueProblem("not a yes/no value", "write true or false (or yes/no, 1/0, x/empty)")


def parse_text(raw: object) -> str | None:
    """Text, stripped; a native JSON number is written as its digits (ids are often numbers)."""
    if is_empty(raw):
        return None
    if isinstance(raw, str):
        return raw.strip()
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise ValueProblem("not text", "write it as a string")
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def parser_for(field_name: str, dayfirst: bool) -> Callable[[Any], Any]:
    """The parser of one canonical field."""
    if field_name in DATE_FIELDS:
        return lambda raw: parse_date(raw, dayfirst)
    if field_name in BOOL_FIELDS:
        return parse_bool
    return _PARSERS.get(field_name, parse_text)


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "earnings": parse_earnings,
    "public_feedback": parse_public_feedback,
    "private_feedback": parse_private_feedback,
    "paid_periods": parse_paid_periods,
}
