"""Parsing whole columns of CSV cells at C speed (the fast path of `fastcsv`).

A block of the file is one numpy byte array; each row's cells are (start, end) offsets into it.
The well-formed values are parsed with array arithmetic: `YYYY-MM-DD` dates, plain amounts and
ratings (`1234.5`), `true`/`false` and empty cells. Every other cell — another date form, `$1,200`,
`yes`, a misspelling — goes to the per-value parsers of `values` (through `RowBuilder`), so every
value and every message is exactly the one the line-by-line reader gives.

A plain number is parsed as an integer mantissa of at most 15 digits divided by a power of ten:
both are exact in a float, and IEEE division rounds correctly, so the result is `float(text)`
to the last bit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from jsscheck.history.columns import DATES, FLAGS, TEXT
from jsscheck.history.columns import MISSING as _MISSING
from jsscheck.history.values import MAX_AMOUNT, MAX_PAID_PERIODS
from jsscheck.model.table import TextColumn

if TYPE_CHECKING:
    from jsscheck.history.canonical import BadCell, RowBuilder

_ZERO, _NINE, _DASH, _DOT = ord("0"), ord("9"), ord("-"), ord(".")
#: Bytes str.strip() removes at either end of an ASCII cell (and every non-ASCII byte: such a
#: cell is stripped by Python, as the line reader does).
_EDGE = np.zeros(256, dtype=bool)
_EDGE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True
_EDGE[128:] = True
#: First bytes of the empty markers ("", null, NA, N/A, -): a short cell starting so is looked at.
_MARKER_START = np.zeros(256, dtype=bool)
_MARKER_START[[ord("n"), ord("N"), _DASH]] = True
_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)
_TRUE, _FALSE = np.frombuffer(b"true\0", np.uint8), np.frombuffer(b"false", np.uint8)


#: Bytes of a cell the column-wise parsers look at (longer cells go to the per-value parsers).
WINDOW = 16


def windows_of(buf: np.ndarray) -> np.ndarray:
    """Every position's next WINDOW bytes (a view, no copy): `windows[s]` is a cell's start."""
    padded = np.concatenate([buf, np.zeros(WINDOW, dtype=np.uint8)])
    return np.lib.stride_tricks.sliding_window_view(padded, WINDOW)


def _gather(windows: np.ndarray, starts: np.ndarray, lengths: np.ndarray, width: int) -> np.ndarray:
    """The first `width` bytes of each cell as an (n, width) matrix, 0 past a cell's end."""
    matrix: np.ndarray = windows[starts, :width]
    matrix[np.arange(width)[None, :] >= lengths[:, None]] = 0
    return matrix


def _plain_numbers(
    windows: np.ndarray, starts: np.ndarray, lengths: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(value, parsed) of cells that are digits with at most one `.` (15 digits at most)."""
    n = len(starts)
    width = int(min(lengths.max(initial=0), 16))
    if not width:
        return np.zeros(n), np.zeros(n, dtype=bool)
    matrix = _gather(windows, starts, lengths, width)
    inside = np.arange(width)[None, :] < lengths[:, None]
    digit = (matrix >= _ZERO) & (matrix <= _NINE)
    dot = matrix == _DOT
    digits = digit.sum(axis=1)
    parsed = (
        (lengths >= 1)
        & (lengths <= 16)
        & ((digit | dot) == inside).all(axis=1)
        & (dot.sum(axis=1) <= 1)
        & (digits >= 1)
        & (digits <= 15)
    )
    mantissa = np.zeros(n, dtype=np.int64)
    decimals = np.zeros(n, dtype=np.int64)
    after_dot = np.zeros(n, dtype=bool)
    for k in range(width):
        is_digit = digit[:, k]
        mantissa = np.where(
            is_digit, mantissa * 10 + (matrix[:, k].astype(np.int64) - _ZERO), mantissa
        )
        after_dot |= dot[:, k]
        decimals += is_digit & after_dot
    values = mantissa.astype(np.float64) / np.power(10.0, decimals)
    return values, parsed


def _iso_days(
    windows: np.ndarray, starts: np.ndarray, lengths: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(days since 1970-01-01, parsed) of cells that are real dates written `YYYY-MM-DD`."""
    n = len(starts)
    if not n:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
    m = _gather(windows, starts, lengths, 10).astype(np.int32)
    digit_at = [0, 1, 2, 3, 5, 6, 8, 9]
    shape = (lengths == 10) & (m[:, 4] == _DASH) & (m[:, 7] == _DASH)
    shape &= ((m[:, digit_at] >= _ZERO) & (m[:, digit_at] <= _NINE)).all(axis=1)
    d = m - _ZERO
    year = d[:, 0] * 1000 + d[:, 1] * 100 + d[:, 2] * 10 + d[:, 3]
    month = d[:, 5] * 10 + d[:, 6]
    day = d[:, 8] * 10 + d[:, 9]
    good_month = (month >= 1) & (month <= 12)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_days = _DAYS_IN_MONTH[np.where(good_month, month, 1)] + ((month == 2) & leap)
    parsed = shape & good_month & (year >= 1) & (day >= 1) & (day <= month_days)
    # Days from the civil date (H. Hinnant's algorithm), 1970-01-01 = 0.
    y = year - (month <= 2)
    era = y // 400
    year_of_era = y - era * 400
    day_of_year = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468, parsed


def _flags(
    windows: np.ndarray, starts: np.ndarray, lengths: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(0/1, parsed) of cells that read exactly `true` or `false`."""
    matrix = _gather(windows, starts, lengths, 5) if len(starts) else np.zeros((0, 5), np.uint8)
    true = (lengths == 4) & (matrix == _TRUE).all(axis=1)
    false = (lengths == 5) & (matrix == _FALSE).all(axis=1)
    return true.astype(np.int8), true | false


class BlockParser:
    """Parses the cells of one block of rows into a `RowBuilder` (see the module doc)."""

    def __init__(self, builder: RowBuilder, encoding: str) -> None:
        self.builder = builder
        #: A BOM is only the file's first bytes: inside the body it is a character.
        self.encoding = "utf-8" if encoding == "utf-8-sig" else encoding

    def add(self, buf: np.ndarray, starts: np.ndarray, ends: np.ndarray, lines: np.ndarray) -> None:
        """Add the rows whose cell of field `builder.fields[k]` is `buf[starts[k]:ends[k]]`
        (one column of offsets per field), found on physical `lines`."""
        blob = buf.tobytes()
        windows = windows_of(buf)
        values: dict[str, Any] = {}
        bad_cells: list[BadCell] = []
        for k, name in enumerate(self.builder.fields):
            s, e = starts[k], ends[k]
            if name in TEXT:
                values[name] = self._text(buf, blob, s, e)
            else:
                values[name] = self._values(name, windows, blob, s, e, bad_cells)
        self.builder.add_values(values, lines, bad_cells)

    def _values(
        self,
        name: str,
        windows: np.ndarray,
        blob: bytes,
        starts: np.ndarray,
        ends: np.ndarray,
        bad_cells: list[BadCell],
    ) -> np.ndarray:
        lengths = ends - starts
        given = np.flatnonzero(lengths)  # empty cells are missing values: nothing to parse
        missing, dtype = _MISSING[name]
        column = np.full(len(starts), missing, dtype=dtype)
        if not len(given):
            return column
        at, size = starts[given], lengths[given]
        parsed: np.ndarray
        if name in DATES:
            days, parsed = _iso_days(windows, at, size)
            column[given[parsed]] = days[parsed]
        elif name in FLAGS:
            flag, parsed = _flags(windows, at, size)
            column[given[parsed]] = flag[parsed]
        else:
            number, parsed = _plain_numbers(windows, at, size)
            if name == "earnings":
                parsed &= number <= MAX_AMOUNT
            elif name == "public_feedback":
                parsed &= (number >= 1.0) & (number <= 5.0)
            else:  # private_feedback (0-10) and paid_periods: whole numbers
                whole = np.floor(number) == number
                top = 10 if name == "private_feedback" else MAX_PAID_PERIODS
                parsed &= whole & (number <= top)
            column[given[parsed]] = number[parsed]
        rest = given[~parsed]
        if len(rest):
            self._fall_back(name, column, blob, starts, ends, rest, bad_cells)
        return column

    def _fall_back(
        self,
        name: str,
        column: np.ndarray,
        blob: bytes,
        starts: np.ndarray,
        ends: np.ndarray,
        rows: np.ndarray,
        bad_cells: list[BadCell],
    ) -> None:
        """The per-value parsers for the cells at `rows` (their problems in `bad_cells`)."""
        from jsscheck.history.columns import encode_values

        raws = [
            blob[a:b].decode(self.encoding)
            for a, b in zip(starts[rows].tolist(), ends[rows].tolist(), strict=True)
        ]
        found: list[BadCell] = []
        parsed = self.builder.parse_values(name, raws, found)
        column[rows] = encode_values(name, parsed)
        positions = rows.tolist()
        bad_cells.extend((positions[i], field, raw, why) for i, field, raw, why in found)

    def _text(
        self, buf: np.ndarray, blob: bytes, starts: np.ndarray, ends: np.ndarray
    ) -> TextColumn:
        """parse_text of each cell: stripped, an empty marker (NA, n/a, -, …) missing."""
        n = len(starts)
        lengths = ends - starts
        missing = lengths == 0
        nonempty = ~missing
        first = np.where(nonempty, buf[np.minimum(starts, len(buf) - 1)], 0)
        last = np.where(nonempty, buf[np.maximum(ends - 1, 0)], 0)
        edged = nonempty & (_EDGE[first] | _EDGE[last])
        short = nonempty & ~edged & (lengths <= 4) & _MARKER_START[first]
        if edged.any() or short.any():
            from jsscheck.history.canonical import EMPTY_SPELLINGS

            starts, ends = starts.copy(), ends.copy()
            encoding = self.encoding
            for i in np.flatnonzero(edged | short).tolist():
                a, b = int(starts[i]), int(ends[i])
                cell = blob[a:b].decode(encoding)
                value = cell.strip()
                if value in EMPTY_SPELLINGS:
                    missing[i] = True
                    ends[i] = starts[i]
                    continue
                lead = len(cell) - len(cell.lstrip())
                starts[i] = a + len(cell[:lead].encode(encoding))
                ends[i] = starts[i] + len(value.encode(encoding))
            lengths = ends - starts
        lengths = np.where(missing, 0, lengths)
        bounds = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lengths, out=bounds[1:])
        total = int(bounds[-1])
        at = np.arange(total, dtype=np.int64) + np.repeat(starts - bounds[:-1], lengths)
        gathered = buf[at]
        text = gathered.tobytes().decode(self.encoding)
        if len(text) != total:  # multi-byte UTF-8 characters: offsets in characters
            continuation = np.zeros(total + 1, dtype=np.int64)
            np.cumsum((gathered & 0xC0) == 0x80, out=continuation[1:])
            bounds = bounds - continuation[bounds]
        return TextColumn(text, bounds, missing if missing.any() else None)
