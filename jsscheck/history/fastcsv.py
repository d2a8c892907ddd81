"""The C-speed path of the canonical CSV reader: pandas' C tokenizer for the body of a large file.

`canonical.read_csv` reads the header itself, then hands the body here when the file holds at
least FAST_BYTES bytes (below that, importing pandas costs more than it saves). This path reads
only files it can read EXACTLY as the line-by-line reader does, and says so by returning False
otherwise (having undone what it added); the line reader then reads the file:

- a scan of the raw bytes (numpy, block by block) checks that every line after the header has
  exactly as many delimiters as the header, or is blank (spaces and tabs only); that every \\r
  is part of \\r\\n; that there is no NUL byte and every block decodes; and collects the lines
  that hold a quote;
- every line with a quote is split by Python's csv as well and must give the same cells as
  pandas, and as many as the header (so a quoted value never spans lines here);
- pandas must return one row per physical line after the header, so row j of the body is
  physical line `header_line + 1 + j` in every message.

pandas' C engine (`read_csv(engine="c")`, cells as strings, no NA guessing) tokenizes; each
chunk's cells are joined into one UTF-8 byte buffer with a NUL after every cell (NUL cannot be
in a cell: the scan refuses it), and `cells.BlockParser` parses the well-formed values as
whole columns from the offsets, handing every other cell to the per-value parsers of `values`
(through the same `RowBuilder`), so every value, problem and warning is the one the line reader
gives.

Why pandas: the product's standards give each package of the design card its job, and pandas'
is reading the CSV (issue 16: "pandas' C engine as the design card's library"); a dependency
nothing imports is a defect. A numpy line splitter of our own, used here before, was about a
fifth faster at 1,000,000 contracts (pandas makes a Python string of every cell) but duplicated
the tokenizer pandas is declared for. Measured side by side in fresh processes (medians of 5,
2 shared cores, bench.py's 1,000,000-contract history, 78 MB): `jsscheck validate` 3.8 s,
`python -c "import pandas; pandas.read_csv(F, dtype=str)"` 3.1 s (1.23x; issue 16 asks
<= 1.5x), the numpy splitter 3.05 s. pandas is imported here only, and only when this path is
taken: the import costs 0.35-1 s, which the typical small history must not pay (FAST_BYTES).
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

import numpy as np

from jsscheck.history.cells import BlockParser
from jsscheck.history.tables import BLOCK_BYTES, ParsedFile, TextInput

if TYPE_CHECKING:
    from jsscheck.history.canonical import RowBuilder

#: Files of at least this many bytes (about 400,000 contracts) take the pandas path. By time
#: alone the crossover is near 6 MB: `jsscheck validate` in a fresh process on bench.py
#: histories, medians of 3, line reader / pandas path: 3.2 MB 0.99 / 1.33 s, 4.8 MB 1.13 /
#: 1.43 s, 8 MB 1.94 / 1.57 s, 16 MB 2.63 / 2.08 s. But the import of pandas holds about 40 MB:
#: a 21 MB history read by pandas peaked at 6.5x its size above the interpreter's footprint,
#: past the 4x budget tests/test_process.py checks (the line reader stays under it).
FAST_BYTES = 32_000_000
#: Rows pandas hands over at a time: a chunk's cells are Python strings (bounded memory), and
#: its joined buffer (about 2 MB) keeps BlockParser's temporaries in the CPU caches; 200,000-row
#: chunks read 1,000,000 contracts about a fifth slower.
CHUNK_ROWS = 25_000
#: Bytes the structural scan reads at a time (whole lines).
READ_BYTES = BLOCK_BYTES * 8
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


class _NotExact(Exception):
    """The file holds something this path does not read exactly."""


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
    try:
        total_lines, quoted = _scan(source, delimiter, width, header_line)
    except (_NotExact, UnicodeError):
        return False  # nothing added yet, pandas not imported
    import pandas as pd  # noqa: TID253  (only on this path: the import costs 0.35-1 s)

    kept_before = (len(parsed.problems), len(parsed.warnings), len(parsed.chunks))
    rows = BlockParser(builder, "utf-8")  # the chunks' buffers are UTF-8 (see _offsets)
    line = header_line  # the physical line before the chunk's first row
    try:
        with source.opener() as handle:
            reader = pd.read_csv(
                handle,
                sep=delimiter,
                header=None,
                names=list(range(width)),
                dtype=object,  # str cells; a fifth faster here than dtype=str's StringDtype
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=False,  # one row per physical line
                skiprows=header_line,
                encoding=source.encoding,
                engine="c",
                quotechar='"',
                doublequote=True,
                chunksize=CHUNK_ROWS,
                index_col=False,
            )
            with reader:
                for frame in reader:
                    _add_frame(rows, frame, line, width, positions, quoted)
                    line += len(frame)
        if line != total_lines:
            raise _NotExact  # pandas joined or split lines somewhere
    except (_NotExact, pd.errors.ParserError, ValueError, UnicodeError):
        problems, warnings, chunks = kept_before
        del parsed.problems[problems:], parsed.warnings[warnings:], parsed.chunks[chunks:]
        parsed.invalid.clear()
        builder.reset()
        return False
    return True


def _scan(
    source: TextInput, delimiter: str, width: int, header_line: int
) -> tuple[int, dict[int, list[str]]]:
    """(physical lines in the file, Python csv's cells of each line after the header that holds
    a quote, by line number); _NotExact when a line is not one record of `width` cells or
    blank, UnicodeError where the line reader could not decode."""
    quoted: dict[int, list[str]] = {}
    lines_before = 0  # complete lines in earlier blocks
    carry = b""
    with source.opener() as handle:
        while True:
            block = handle.read(READ_BYTES)
            final = not block
            data = carry + block
            if not final:
                cut = data.rfind(b"\n") + 1
                data, carry = data[:cut], data[cut:]
            if data:
                count, with_quote = _check_block(
                    data, source.encoding, ord(delimiter), width - 1, header_line, lines_before
                )
                for number, raw in with_quote:
                    cells = _csv_cells(raw.decode(source.encoding), delimiter)
                    if cells is None or len(cells) != width:
                        raise _NotExact  # e.g. a quoted value spanning lines
                    quoted[number] = cells
                lines_before += count
            if final:
                return lines_before, quoted


def _check_block(
    data: bytes, encoding: str, delim: int, wanted: int, header_line: int, before: int
) -> tuple[int, list[tuple[int, bytes]]]:
    """Check one block of whole lines (the first numbered `before + 1`); return how many lines
    it holds and its lines after the header that hold a quote, (number, bytes without the line
    ending). (bytes' `in` looks for a rare byte far faster than a numpy pass.)"""
    if b"\0" in data:
        raise _NotExact  # a NUL byte: the line reader says what it makes of it
    arr = np.frombuffer(data, dtype=np.uint8)
    if arr.max() >= 0x80:
        data.decode(encoding)  # raises UnicodeDecodeError where the line reader would fail
    ends = np.flatnonzero(arr == _NEWLINE)
    if not data.endswith(b"\n"):
        ends = np.append(ends, len(arr))
    starts = np.r_[0, ends[:-1] + 1]
    numbers = np.arange(before + 1, before + 1 + len(ends))
    content_ends = ends
    if b"\r" in data:
        returns = np.flatnonzero(arr == _RETURN)
        if returns[-1] + 1 >= len(arr) or np.any(arr[returns + 1] != _NEWLINE):
            raise _NotExact  # a lone \r ends a line for csv
        content_ends = ends.copy()  # every \r is followed by \n (checked above): \r\n endings
        content_ends[(ends > 0) & (arr[np.maximum(ends - 1, 0)] == _RETURN)] -= 1
    found = np.flatnonzero(arr == delim)
    counts = np.searchsorted(found, ends) - np.searchsorted(found, starts)
    after = numbers > header_line
    has_quote = np.zeros(len(ends), dtype=bool)
    if b'"' in data:
        quotes = np.flatnonzero(arr == _QUOTE)
        has_quote = after & (np.searchsorted(quotes, ends) > np.searchsorted(quotes, starts))
    for i in np.flatnonzero(after & ~has_quote & (counts != wanted)).tolist():
        if counts[i] != 0 or data[starts[i] : content_ends[i]].strip(b" \t"):
            raise _NotExact  # a short or long row, or a one-cell line: the line reader says so
    with_quote = [
        (int(numbers[i]), data[starts[i] : content_ends[i]]) for i in np.flatnonzero(has_quote)
    ]
    return len(ends), with_quote


def _csv_cells(text: str, delimiter: str) -> list[str] | None:
    try:
        rows = list(csv.reader([text], delimiter=delimiter, strict=True))
    except csv.Error:
        return None
    return rows[0] if len(rows) == 1 else None


def _add_frame(
    rows: BlockParser,
    frame: Any,
    line: int,
    width: int,
    positions: list[int],
    quoted: dict[int, list[str]],
) -> None:
    """Hand one pandas chunk (rows from physical line `line + 1`) to the parser."""
    n = len(frame)
    if not n:
        return
    lines_in = range(line + 1, line + 1 + n)
    numbers = [number for number in lines_in if number in quoted] if quoted else []
    if numbers:
        cells = frame.take(np.array(numbers) - line - 1).to_numpy().tolist()
        if cells != [quoted.pop(number) for number in numbers]:
            raise _NotExact  # pandas and csv split a quoted line differently
    columns = [frame[at].tolist() for at in positions]
    buf, starts, ends = _offsets(columns, n)
    lines = np.arange(line + 1, line + 1 + n, dtype=np.int64)
    keep = _records(frame, width)
    if keep is not None:
        starts, ends, lines = starts[:, keep], ends[:, keep], lines[keep]
    if len(lines):
        rows.add(buf, starts, ends, lines)


def _offsets(columns: list[list[str]], n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The cells as one UTF-8 buffer, column after column, each cell followed by a NUL; and
    each cell's (start, end) offsets, one row of `n` per column."""
    # A join per column: 2.5 times as fast as one join of every cell (chained).
    joined = b"".join([("\0".join(column) + "\0").encode("utf-8") for column in columns])
    buf = np.frombuffer(joined, dtype=np.uint8)
    ends = np.flatnonzero(buf == 0)
    starts = np.empty_like(ends)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    shape = (len(columns), n)
    return buf, starts.reshape(shape), ends.reshape(shape)


def _records(frame: Any, width: int) -> np.ndarray | None:
    """Which rows are records (None: all of them). As the line reader: a row whose first cell
    starts with # is a comment, and one whose first cell is empty or starts with a space or
    tab is skipped when every cell is blank."""
    first = frame[0].tolist()
    # Empty cells and " ", "\t", "#" sort before "$": one C-speed min() rules them all out.
    if min(first) >= "$":
        return None
    keep = np.ones(len(first), dtype=bool)
    for j, cell in enumerate(first):
        if cell.startswith("#"):
            keep[j] = False
        elif not cell or cell[0] in " \t":
            keep[j] = any(frame.iat[j, k].strip() for k in range(width))
    return None if keep.all() else keep
