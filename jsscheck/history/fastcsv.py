"""The C-speed path of the canonical CSV reader: pandas' C tokenizer for the body of a large file.

`canonical.read_csv` reads the header itself, then hands the body here when the file holds at
least FAST_BYTES bytes (below that, importing pandas costs more than it saves). This path reads
only files it can read EXACTLY as the line-by-line reader does, and says so by returning False
otherwise, before anything is added to the result:

- a scan of the raw bytes (numpy, block by block) checks that every line after the header has
  exactly as many delimiters as the header, or is blank (spaces and tabs only); that every \\r
  is part of \\r\\n; and collects the lines that hold a quote;
- every line with a quote is split by Python's csv as well and must give the same cells as
  pandas, and the same number as the header (so a quoted value never spans lines here);
- pandas must return one row per physical line after the header.

The cells then go through the same `RowBuilder` (the per-value parsers of `values`), so every
value, problem and warning is the one the line-by-line reader gives.
pandas is imported here only, and only when this path is taken.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

import numpy as np

from jsscheck.history.tables import BLOCK_BYTES, ParsedFile, TextInput

if TYPE_CHECKING:
    from jsscheck.history.canonical import RowBuilder

#: Files of at least this many bytes take the C-speed path. benchmarks/bench_io.py, reading
#: bench.py histories in a fresh process (2 loaded cores): 4.8 MB line 2.5 s / fast 3.0 s,
#: 8 MB 6.2 s / 6.6 s; at 78 MB the fast path reads in about half the time. Below ~10 MB the
#: import of pandas costs more than the parsing saves; and the import itself holds ~70 MB,
#: which would take a 20 MB file past the memory budget of 4x its size (tests/test_process.py).
FAST_BYTES = 32_000_000
#: Rows pandas hands over at a time (bounded memory: a chunk's cells as Python strings).
PANDAS_CHUNK_ROWS = 20_000
#: Encodings whose structural characters (quote, delimiter, line breaks) are single ASCII bytes.
_ASCII_COMPATIBLE = frozenset({"utf-8", "utf-8-sig", "cp1252"})
_NEWLINE, _RETURN, _QUOTE = ord("\n"), ord("\r"), ord('"')


def file_size(source: TextInput) -> int:
    """The input's size in bytes (0 when it cannot be told without reading it)."""
    try:
        with source.opener() as handle:
            return int(handle.seek(0, io.SEEK_END))
    except (OSError, ValueError, AttributeError):
        return 0


def _scan(
    source: TextInput, delimiter: str, width: int, header_line: int
) -> tuple[int, dict[int, bytes]] | None:
    """(physical lines in the file, the lines after the header that hold a quote by number),
    or None when a line is not one plain record of `width` cells or blank."""
    wanted = width - 1
    delim = ord(delimiter)
    quoted: dict[int, bytes] = {}
    lines_before = 0  # complete lines in earlier blocks
    carry = b""
    with source.opener() as handle:
        while True:
            block = handle.read(BLOCK_BYTES * 8)
            final = not block
            data = carry + block
            if not final:
                cut = data.rfind(b"\n") + 1
                data, carry = data[:cut], data[cut:]
            if data:
                if not _check_block(data, delim, wanted, header_line, lines_before, quoted):
                    return None
                lines_before += data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
            if final:
                return lines_before, quoted


def _check_block(
    data: bytes, delim: int, wanted: int, header_line: int, before: int, quoted: dict[int, bytes]
) -> bool:
    arr = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(arr == _NEWLINE)
    if not data.endswith(b"\n"):
        ends = np.append(ends, len(arr))
    starts = np.r_[0, ends[:-1] + 1]
    numbers = np.arange(before + 1, before + 1 + len(ends))
    returns = np.flatnonzero(arr == _RETURN)
    if len(returns) and (returns[-1] + 1 >= len(arr) or np.any(arr[returns + 1] != _NEWLINE)):
        return False  # a lone \r ends a line for csv: leave such files to the line reader
    content_ends = ends.copy()
    if len(returns):  # every \r is followed by \n (checked above): a \r\n ending
        content_ends[(ends > 0) & (arr[np.maximum(ends - 1, 0)] == _RETURN)] -= 1
    # Delimiters per line (each line with its \n; starts strictly increase).
    counts = np.add.reduceat(arr == delim, starts, dtype=np.int64)
    has_quote = np.zeros(len(ends), dtype=bool)
    quotes = np.flatnonzero(arr == _QUOTE)
    if len(quotes):
        has_quote[np.searchsorted(ends, quotes)] = True
    after = numbers > header_line
    for i in np.flatnonzero(after & has_quote).tolist():
        quoted[int(numbers[i])] = data[starts[i] : content_ends[i]]
    odd = np.flatnonzero(after & ~has_quote & (counts != wanted))
    for i in odd.tolist():
        if counts[i] != 0 or data[starts[i] : content_ends[i]].strip(b" \t"):
            return False  # a short or long row, or a one-cell line: the line reader says so
    return True


def read_body(
    source: TextInput,
    parsed: ParsedFile,
    builder: RowBuilder,
    delimiter: str,
    width: int,
    header_line: int,
    positions: list[int],
) -> bool:
    """Read the rows after the header into `builder`; False (nothing added) when this path
    cannot read the file exactly as the line-by-line reader would."""
    if source.encoding not in _ASCII_COMPATIBLE or len(delimiter) != 1 or width < 2:
        return False
    scanned = _scan(source, delimiter, width, header_line)
    if scanned is None:
        return False
    total_lines, quoted = scanned
    expected_cells: dict[int, list[str]] = {}
    for number, raw in quoted.items():
        cells = _csv_cells(raw.decode(source.encoding), delimiter)
        if cells is None or len(cells) != width:
            return False
        expected_cells[number] = cells
    import pandas as pd  # noqa: TID253  (only on this path: the import costs ~0.3 s)

    kept_before = (len(parsed.problems), len(parsed.warnings), len(parsed.chunks))
    try:
        with source.opener() as handle:
            reader = pd.read_csv(
                handle,
                sep=delimiter,
                header=None,
                names=list(range(width)),
                dtype=object,
                na_filter=False,
                skip_blank_lines=False,
                skiprows=header_line,
                encoding=source.encoding,
                engine="c",
                quotechar='"',
                doublequote=True,
                chunksize=PANDAS_CHUNK_ROWS,
                index_col=False,
            )
            line = header_line
            with reader:
                for frame in reader:
                    if not _add_frame(builder, frame, line, width, positions, expected_cells):
                        raise _NotExact
                    line += len(frame)
    except (_NotExact, pd.errors.ParserError, ValueError, UnicodeDecodeError):
        _undo(parsed, kept_before)
        return False
    if line != total_lines:
        _undo(parsed, kept_before)
        return False
    return True


class _NotExact(Exception):
    """The file holds something this path does not read exactly."""


def _undo(parsed: ParsedFile, kept: tuple[int, int, int]) -> None:
    problems, warnings, chunks = kept
    del parsed.problems[problems:], parsed.warnings[warnings:], parsed.chunks[chunks:]
    parsed.invalid.clear()


def _csv_cells(text: str, delimiter: str) -> list[str] | None:
    try:
        rows = list(csv.reader([text], delimiter=delimiter, strict=True))
    except csv.Error:
        return None
    return rows[0] if len(rows) == 1 else None


def _add_frame(
    builder: RowBuilder,
    frame: Any,
    line: int,
    width: int,
    positions: list[int],
    expected: dict[int, list[str]],
) -> bool:
    """Hand one pandas chunk (rows from physical line `line + 1`) to the builder."""
    n = len(frame)
    columns = {at: frame[at].tolist() for at in range(width)}
    for number, cells in expected.items():
        j = number - line - 1
        if 0 <= j < n and [columns[at][j] for at in range(width)] != cells:
            return False
    first = columns[0]
    # As the line reader: a row whose first cell is empty or starts with a space, tab or #
    # is a comment (#...) or, when every cell is blank, an empty row.
    # Empty cells and " ", "\t", "#" sort before "$": one C-speed min() rules them all out.
    odd = [] if not first or min(first) >= "$" else _odd_rows(first)
    skip = {
        j
        for j in odd
        if first[j].startswith("#") or not any(columns[at][j].strip() for at in range(width))
    }
    if skip:
        keep = [j for j in range(n) if j not in skip]
        lines = np.array(keep, dtype=np.int64) + (line + 1)
        picked = [[columns[at][j] for j in keep] for at in positions]
    else:
        lines = np.arange(line + 1, line + 1 + n, dtype=np.int64)
        picked = [columns[at] for at in positions]
    if len(lines):
        builder.add(picked, lines, all_text=True)
    return True


def _odd_rows(first: list[str]) -> list[int]:
    """Rows whose first cell is empty or starts with a space, tab or #."""
    return [j for j, cell in enumerate(first) if not cell or cell[0] in " \t#"]
