"""The C-speed path of the canonical CSV reader: pyarrow's or pandas' C tokenizer for the body of
a large file.

`canonical.read_csv` reads the header itself, then hands the body here when the file holds at
least FAST_BYTES bytes (below that, importing a tokenizer costs more than it saves). This path
reads only files it can read EXACTLY as the line-by-line reader does, and says so by returning
False otherwise (having undone what it added); the line reader then reads the file:

- a scan of the raw bytes (numpy, block by block) checks that every line after the header has
  exactly as many delimiters as the header, or is blank (spaces and tabs only); that every \\r
  is part of \\r\\n; that there is no NUL byte and every block decodes; and collects the lines
  that hold a quote and the blank lines;
- every line with a quote is split by Python's csv as well and must give the same cells as the
  tokenizer, and as many as the header (so a quoted value never spans lines here);
- the tokenizer must return one row per physical line after the header (blank lines aside),
  so row j of the body is a known physical line in every message.

Two tokenizers, the same cells: with pyarrow installed (the `large` extra) and a UTF-8 file,
pyarrow's CSV reader (on every core) reads the body and its string columns' own buffers (UTF-8
bytes and offsets) go straight to `cells.BlockParser`; otherwise pandas' C engine
(`read_csv(engine="c")`, cells as strings, no NA guessing) reads it a chunk at a time and each
chunk's cells are joined into one UTF-8 buffer with a NUL after every cell (NUL cannot be in a
cell: the scan refuses it). Either way `BlockParser` parses the well-formed values as whole
columns from the offsets and hands every other cell to the per-value parsers of `values`
(through the same `RowBuilder`), so every value, problem and warning is the one the line reader
gives (tests/test_fastcsv.py holds all three readers to that).

Why both: pandas is the design card's package for reading CSV and every install has it;
pandas 3 made its own `read_csv(F, dtype=str)` about 1.6 times as fast as pandas 2, and the
pandas path, which makes a Python string of every cell, then took 1.8-2.0 times as long as that
on 1,000,000 contracts (issue 16 asks at most 1.5). pyarrow hands over its buffers without a
Python object per cell: `jsscheck validate` on bench.py's 1,000,000-contract history (78 MB)
took 1.57 s against `read_csv(F, dtype=str)`'s 1.42 s (1.10x; medians of 5 whole processes,
2 cores), where this path with pandas took 2.55 s. pyarrow is
an extra, not a dependency, because it adds about 170 MB to an install that a freelancer's
80-contract history never needs. Neither is imported unless this path is taken.
"""

from __future__ import annotations

import csv
import importlib.util
import io
from typing import TYPE_CHECKING, Any

import numpy as np

from jsscheck.history.cells import BlockParser
from jsscheck.history.tables import BLOCK_BYTES, ParsedFile, TextInput, is_record

if TYPE_CHECKING:
    from jsscheck.history.canonical import RowBuilder

#: Files of at least this many bytes (about 400,000 contracts) take this path (measured with
#: pandas; pyarrow's import is lighter, but the line reader's memory budget decides). By time
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
#: Bytes pyarrow parses at a time (a batch of rows each; its threads share the blocks).
ARROW_BLOCK_BYTES = 1 << 20
#: Bytes the structural scan reads at a time (whole lines).
READ_BYTES = BLOCK_BYTES * 8
#: Encodings whose structural characters (quote, delimiter, line breaks) are single ASCII bytes.
_ASCII_COMPATIBLE = frozenset({"utf-8", "utf-8-sig", "cp1252"})
_NEWLINE, _RETURN, _QUOTE = ord("\n"), ord("\r"), ord('"')
#: Encodings pyarrow reads as they are (it reads UTF-8; a BOM is only before the header).
_UTF8 = frozenset({"utf-8", "utf-8-sig"})
#: Whether a file pyarrow can read takes the pyarrow path when pyarrow is installed (the
#: `large` extra); tests turn it off to run the pandas path as well.
USE_ARROW = True


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
        total_lines, quoted, blank = _scan(source, delimiter, width, header_line)
    except (_NotExact, UnicodeError):
        return False  # nothing added yet, pandas not imported
    kept_before = (len(parsed.problems), len(parsed.warnings), len(parsed.chunks))
    if USE_ARROW and source.encoding in _UTF8 and importlib.util.find_spec("pyarrow"):
        rows = BlockParser(builder, "utf-8")
        try:
            body = np.arange(header_line + 1, total_lines + 1)
            if blank:  # the lines pyarrow skips
                body = np.delete(body, np.array(blank, dtype=np.int64) - header_line - 1)
            _read_with_arrow(source, rows, delimiter, width, header_line, positions, quoted, body)
            return True
        except (_NotExact, ValueError, UnicodeError, ImportError):
            _undo(parsed, builder, kept_before)  # pandas reads it below
    import pandas as pd  # noqa: TID253  (only on this path: the import costs 0.35-1 s)

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
        _undo(parsed, builder, kept_before)
        return False
    return True


def _undo(parsed: ParsedFile, builder: RowBuilder, kept_before: tuple[int, int, int]) -> None:
    """Take back what a path added before it found it could not read the file exactly."""
    problems, warnings, chunks = kept_before
    del parsed.problems[problems:], parsed.warnings[warnings:], parsed.chunks[chunks:]
    parsed.invalid.clear()
    builder.reset()


def _scan(
    source: TextInput, delimiter: str, width: int, header_line: int
) -> tuple[int, dict[int, list[str]], list[int]]:
    """(physical lines in the file, Python csv's cells of each line after the header that holds
    a quote, by line number, the numbers of the blank lines after the header); _NotExact when a
    line is not one record of `width` cells or blank, UnicodeError where the line reader could
    not decode."""
    quoted: dict[int, list[str]] = {}
    blank: list[int] = []
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
                count, with_quote, blank_lines = _check_block(
                    data, source.encoding, ord(delimiter), width - 1, header_line, lines_before
                )
                blank.extend(blank_lines)
                for number, raw in with_quote:
                    cells = _csv_cells(raw.decode(source.encoding), delimiter)
                    if cells is None or len(cells) != width:
                        raise _NotExact  # e.g. a quoted value spanning lines
                    quoted[number] = cells
                lines_before += count
            if final:
                return lines_before, quoted, blank


def _check_block(
    data: bytes, encoding: str, delim: int, wanted: int, header_line: int, before: int
) -> tuple[int, list[tuple[int, bytes]], list[int]]:
    """Check one block of whole lines (the first numbered `before + 1`); return how many lines
    it holds, its lines after the header that hold a quote, (number, bytes without the line
    ending), and the numbers of its blank lines after the header. (bytes' `in` looks for a
    rare byte far faster than a numpy pass.)"""
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
    blank = []
    for i in np.flatnonzero(after & ~has_quote & (counts != wanted)).tolist():
        if counts[i] != 0 or data[starts[i] : content_ends[i]].strip(b" \t"):
            raise _NotExact  # a short or long row, or a one-cell line: the line reader says so
        blank.append(int(numbers[i]))
    with_quote = [
        (int(numbers[i]), data[starts[i] : content_ends[i]]) for i in np.flatnonzero(has_quote)
    ]
    return len(ends), with_quote, blank


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
    """Which rows are records (`tables.is_record`; None: all of them)."""
    first = frame[0].tolist()
    # Empty cells and " ", "\t", "#" sort before "$": one C-speed min() rules them all out.
    if min(first) >= "$":
        return None
    keep = np.ones(len(first), dtype=bool)
    for j, cell in enumerate(first):
        if not cell or cell[0] in " \t#":
            keep[j] = is_record([frame.iat[j, k] for k in range(width)])
    return None if keep.all() else keep


def _read_with_arrow(
    source: TextInput,
    rows: BlockParser,
    delimiter: str,
    width: int,
    header_line: int,
    positions: list[int],
    quoted: dict[int, list[str]],
    body: np.ndarray,
) -> None:
    """Read the body with pyarrow's CSV reader (UTF-8; its threads on every core) and hand its
    string columns' own buffers to the parser: no Python string per cell. `body` holds the
    numbers of the lines after the header that are not blank (the scan found them); pyarrow
    must give one row for each, else _NotExact."""
    import pyarrow as pa  # noqa: TID253  (the `large` extra, only on this path)
    from pyarrow import csv as arrow_csv  # noqa: TID253

    with source.opener() as handle:
        data = handle.read()
    at = 0
    for _ in range(header_line):  # the body starts after the header's line
        at = data.index(b"\n", at) + 1
    names = [f"c{k}" for k in range(width)]
    table = arrow_csv.read_csv(
        pa.py_buffer(memoryview(data)[at:]),
        read_options=arrow_csv.ReadOptions(
            column_names=names, use_threads=True, block_size=ARROW_BLOCK_BYTES
        ),
        parse_options=arrow_csv.ParseOptions(
            delimiter=delimiter,
            quote_char='"',
            double_quote=True,
            escape_char=False,
            newlines_in_values=False,
            ignore_empty_lines=True,  # the blank lines the scan found (spaces or tabs only)
            invalid_row_handler=_blank_row,
        ),
        convert_options=arrow_csv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            null_values=[],
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    del data
    if table.num_rows != len(body):
        raise _NotExact  # a row joined or split somewhere
    done = 0
    for batch in table.to_batches():
        n = batch.num_rows
        lines = body[done : done + n]
        done += n
        _check_quoted(batch, lines, quoted)
        buf, starts, ends = _arrow_offsets([batch.column(k) for k in positions])
        keep = _arrow_records(batch, width)
        if keep is not None:
            starts, ends, lines = starts[:, keep], ends[:, keep], lines[keep]
        if len(lines):
            rows.add(buf, starts, ends, lines)


def _blank_row(row: Any) -> str:
    """pyarrow's handler of a row with another number of cells: a blank line (spaces or tabs:
    one cell) is skipped; any other (the scan lets none through) stops pyarrow with an error,
    and the pandas path reads the file."""
    if row.actual_columns == 1 and not row.text.strip(" \t\r"):
        return "skip"
    return "error"


def _check_quoted(batch: Any, lines: np.ndarray, quoted: dict[int, list[str]]) -> None:
    """The rows of lines holding a quote must give the cells Python's csv gives."""
    if not quoted:
        return
    at = np.flatnonzero(np.isin(lines, np.fromiter(quoted, np.int64, len(quoted))))
    if not len(at):
        return
    columns = batch.take(at).to_pydict().values()  # a column at a time, as Python strings
    for line, cells in zip(lines[at].tolist(), zip(*columns, strict=True), strict=True):
        if list(cells) != quoted[line]:
            raise _NotExact


def _arrow_offsets(columns: list[Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One byte buffer of the columns' UTF-8 data, and each cell's (start, end) offsets in it,
    one row per column (the layout `_offsets` makes from pandas' strings)."""
    parts, starts, ends = [], [], []
    base = 0
    for column in columns:
        _, offsets_buffer, data_buffer = column.buffers()
        offsets = np.frombuffer(offsets_buffer, dtype=np.int32)
        offsets = offsets[column.offset : column.offset + len(column) + 1].astype(np.int64)
        first, last = int(offsets[0]), int(offsets[-1])
        data = (
            np.frombuffer(data_buffer, dtype=np.uint8)[first:last]
            if data_buffer is not None
            else np.zeros(0, np.uint8)
        )
        parts.append(data)
        starts.append(offsets[:-1] - first + base)
        ends.append(offsets[1:] - first + base)
        base += last - first
    return np.concatenate(parts), np.stack(starts), np.stack(ends)


def _arrow_records(batch: Any, width: int) -> np.ndarray | None:
    """`_records` for a pyarrow batch: the rows whose first cell is empty or starts with a
    space, a tab or # are judged by `tables.is_record` (None: every row is a record)."""
    first = batch.column(0)
    _, offsets_buffer, data_buffer = first.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32)[
        first.offset : first.offset + len(first) + 1
    ]
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else None
    empty = offsets[1:] == offsets[:-1]
    lead = np.zeros(len(first), dtype=np.uint8)
    if data is not None and len(data):
        lead[~empty] = data[offsets[:-1][~empty]]
    look = empty | (lead == ord("#")) | (lead == ord(" ")) | (lead == ord("\t"))
    if not look.any():
        return None
    keep = np.ones(len(first), dtype=bool)
    for j in np.flatnonzero(look).tolist():
        keep[j] = is_record([batch.column(k)[j].as_py() for k in range(width)])
    return None if keep.all() else keep
