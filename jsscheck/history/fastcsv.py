"""The C-speed path of the canonical CSV reader: the body of a large file tokenised with numpy.

`canonical.read_csv` reads the header itself, then hands the body here when the file holds at
least FAST_BYTES bytes. This path reads only files it can read EXACTLY as the line-by-line
reader does; when it meets anything else it undoes what it added and returns False, and the
line reader reads the file:

- the raw bytes are read block by block (whole lines); every line after the header must hold
  exactly as many delimiters as the header, or be blank (spaces and tabs only); every \\r must
  be part of \\r\\n; no NUL byte; the block must decode;
- a line without a quote is split at its delimiters (that is all csv does to it);
- a line with a quote is split by Python's csv, and must give as many cells as the header (so
  a quoted value never spans lines here).

The cells stay offsets into the block's bytes: `cells.BlockParser` parses the well-formed
values as whole columns and hands every other cell to the per-value parsers of `values`
(through the same `RowBuilder`), so every value, problem and warning is the one the line
reader gives. (pandas' C tokenizer, used here before, made a Python string of every cell and
cost more than the parsing; splitting lines already checked costs little.)
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from jsscheck.history.cells import BlockParser
from jsscheck.history.tables import BLOCK_BYTES, ParsedFile, TextInput

if TYPE_CHECKING:
    from jsscheck.history.canonical import RowBuilder

#: Files of at least this many bytes (about 3,000 contracts) take the C-speed path. It reads
#: 10,000 contracts in a third of the line reader's time and costs no import; smaller files,
#: often edited by hand, stay with the line reader that has read every kind of oddity longest.
FAST_BYTES = 256_000
#: Bytes read at a time: whole lines, about 25,000 rows of a typical history. Small blocks
#: keep the temporary arrays in the CPU caches (8 MB blocks were a third slower).
READ_BYTES = BLOCK_BYTES * 2
#: Encodings whose structural characters (quote, delimiter, line breaks) are single ASCII bytes.
_ASCII_COMPATIBLE = frozenset({"utf-8", "utf-8-sig", "cp1252"})
_NEWLINE, _RETURN, _QUOTE, _HASH = ord("\n"), ord("\r"), ord('"'), ord("#")


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
    kept_before = (len(parsed.problems), len(parsed.warnings), len(parsed.chunks))
    rows = BlockParser(builder, source.encoding)
    try:
        for buf, starts, ends, lines in _blocks(source, delimiter, width, header_line, positions):
            if len(lines):
                rows.add(buf, starts, ends, lines)
    except (_NotExact, UnicodeError):
        problems, warnings, chunks = kept_before
        del parsed.problems[problems:], parsed.warnings[warnings:], parsed.chunks[chunks:]
        parsed.invalid.clear()
        builder.reset()
        return False
    return True


Block = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _blocks(
    source: TextInput, delimiter: str, width: int, header_line: int, positions: list[int]
) -> Iterator[Block]:
    """(bytes, cell starts, cell ends, physical lines) of the rows, READ_BYTES at a time;
    column k of starts/ends is the cell of `positions[k]`."""
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
                yield _tokenise(
                    data, source.encoding, delimiter, width, header_line, lines_before, positions
                )
                lines_before += data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
            if final:
                return


def _tokenise(
    data: bytes,
    encoding: str,
    delimiter: str,
    width: int,
    header_line: int,
    before: int,
    positions: list[int],
) -> Block:
    """One block of whole lines (the first numbered `before + 1`) as cell offsets."""
    arr = np.frombuffer(data, dtype=np.uint8)
    if not arr.all():
        raise _NotExact  # a NUL byte: the line reader says what it makes of it
    if arr.max() >= 0x80:
        data.decode(encoding)  # raises UnicodeDecodeError where the line reader would fail
    ends = np.flatnonzero(arr == _NEWLINE)
    if not data.endswith(b"\n"):
        ends = np.append(ends, len(arr))
    starts = np.r_[0, ends[:-1] + 1]
    numbers = np.arange(before + 1, before + 1 + len(ends))
    returns = np.flatnonzero(arr == _RETURN)
    if len(returns) and (returns[-1] + 1 >= len(arr) or np.any(arr[returns + 1] != _NEWLINE)):
        raise _NotExact  # a lone \r ends a line for csv
    content_ends = ends.copy()
    if len(returns):  # every \r is followed by \n (checked above): a \r\n ending
        content_ends[(ends > 0) & (arr[np.maximum(ends - 1, 0)] == _RETURN)] -= 1
    found = np.flatnonzero(arr == ord(delimiter))  # in line order
    counts = np.searchsorted(found, ends) - np.searchsorted(found, starts)
    quotes = np.flatnonzero(arr == _QUOTE)
    has_quote = np.searchsorted(quotes, ends) > np.searchsorted(quotes, starts)
    after = numbers > header_line
    regular = after & ~has_quote & (counts == width - 1)
    for i in np.flatnonzero(after & ~has_quote & ~regular).tolist():
        if counts[i] != 0 or data[starts[i] : content_ends[i]].strip(b" \t"):
            raise _NotExact  # a short or long row, or a one-cell line: the line reader says so
    quoted = np.flatnonzero(after & has_quote)
    row_lines = np.flatnonzero(regular | (after & has_quote))
    # One row per column (cell_starts[k] holds column k of every row): columns are picked
    # and read whole.
    cell_starts = np.empty((width, len(row_lines)), dtype=np.int64)
    cell_ends = np.empty((width, len(row_lines)), dtype=np.int64)
    plain = np.flatnonzero(regular)
    at = np.searchsorted(row_lines, plain)
    if len(plain) < len(ends):  # line i holds counts[i] of the delimiters found
        found = found[np.repeat(regular, counts)]
    marks = found.reshape(len(plain), width - 1).T
    cell_starts[0, at] = starts[plain]
    cell_starts[1:, at] = marks + 1
    cell_ends[:-1, at] = marks
    cell_ends[-1, at] = content_ends[plain]
    buf = arr
    if len(quoted):
        buf = _quoted_cells(
            data, arr, encoding, delimiter, width, starts, content_ends, quoted,
            np.searchsorted(row_lines, quoted), cell_starts, cell_ends,
        )  # fmt: skip
    keep = _records(buf, cell_starts, cell_ends, encoding)
    if keep.all():
        return buf, cell_starts[positions], cell_ends[positions], numbers[row_lines]
    return (
        buf,
        cell_starts[positions][:, keep],
        cell_ends[positions][:, keep],
        numbers[row_lines[keep]],
    )


def _quoted_cells(
    data: bytes,
    arr: np.ndarray,
    encoding: str,
    delimiter: str,
    width: int,
    starts: np.ndarray,
    content_ends: np.ndarray,
    quoted: np.ndarray,
    rows: np.ndarray,
    cell_starts: np.ndarray,
    cell_ends: np.ndarray,
) -> np.ndarray:
    """Split the lines with a quote by csv; their cells' bytes are added after the block's,
    and `rows` of cell_starts/cell_ends point there. Returns the bytes."""
    text_encoding = "utf-8" if encoding == "utf-8-sig" else encoding
    extra: list[bytes] = []
    offset = len(arr)
    for line, row in zip(quoted.tolist(), rows.tolist(), strict=True):
        text = data[starts[line] : content_ends[line]].decode(text_encoding)
        cells = _csv_cells(text, delimiter)
        if cells is None or len(cells) != width:
            raise _NotExact
        for k, cell in enumerate(cells):
            raw = cell.encode(text_encoding)
            cell_starts[k, row] = offset
            offset += len(raw)
            cell_ends[k, row] = offset
            extra.append(raw)
    joined = b"".join(extra)
    return np.concatenate([arr, np.frombuffer(joined, dtype=np.uint8)]) if joined else arr


def _records(
    buf: np.ndarray, cell_starts: np.ndarray, cell_ends: np.ndarray, encoding: str
) -> np.ndarray:
    """Which rows are records: as the line reader, a row whose first cell starts with # is a
    comment, and one whose first cell is empty or starts with a space or tab is skipped when
    every cell is blank."""
    first_length = cell_ends[0] - cell_starts[0]
    first = np.where(first_length > 0, buf[np.minimum(cell_starts[0], len(buf) - 1)], 0)
    keep: np.ndarray = first != _HASH
    maybe_blank = keep & ((first_length == 0) | (first == ord(" ")) | (first == ord("\t")))
    if maybe_blank.any():
        blob = buf.tobytes()
        text_encoding = "utf-8" if encoding == "utf-8-sig" else encoding
        for i in np.flatnonzero(maybe_blank).tolist():
            cells = zip(cell_starts[:, i].tolist(), cell_ends[:, i].tolist(), strict=True)
            if not any(blob[a:b].decode(text_encoding).strip() for a, b in cells):
                keep[i] = False
    return keep


def _csv_cells(text: str, delimiter: str) -> list[str] | None:
    try:
        rows = list(csv.reader([text], delimiter=delimiter, strict=True))
    except csv.Error:
        return None
    return rows[0] if len(rows) == 1 else None
