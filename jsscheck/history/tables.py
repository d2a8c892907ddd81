"""Text-level machinery shared by the readers: bytes → text, CSV rows with physical line
numbers, column-name matching, and `ParsedFile`, what every reader returns."""

from __future__ import annotations

import codecs
import csv
import io
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO

from jsscheck.errors import Problem
from jsscheck.model.contract import FIELDS

if TYPE_CHECKING:
    from jsscheck.history.columns import Columns

#: Accepted column names per field (FORMATS.md section 1), besides the field name itself.
ALIASES: dict[str, tuple[str, ...]] = {
    "contract_id": ("id", "contract", "contract id"),
    "client": ("client_name", "client_id", "team", "client team"),
    "title": ("job", "job_title"),
    "start_date": ("start", "started", "started_on"),
    "end_date": ("end", "ended", "ended_on", "closed"),
    "last_payment_date": ("last_payment", "last_paid"),
    "earnings": ("amount", "earned", "total_earnings", "total_charges"),
    "public_feedback": ("stars", "rating", "feedback", "public_rating"),
    "private_feedback": ("private", "private_score", "recommend"),
    "feedback_date": (),
    "disputed": ("dispute",),
    "client_flagged": ("flagged",),
    "excluded": ("exclude",),
    "paid_periods": (),
}

_SEPARATORS = re.compile(r"[\s_\-]+")


def normalize_column(name: str) -> str:
    """A column name as matched: lower case, spaces/hyphens/underscores alike."""
    return _SEPARATORS.sub(" ", name.strip().strip("\ufeff").strip().lower()).strip()


COLUMN_TO_FIELD: dict[str, str] = {}
for _field in FIELDS:
    for _name in (_field, *ALIASES[_field]):
        COLUMN_TO_FIELD[normalize_column(_name)] = _field


#: Every accepted column name as FORMATS.md spells it, by its matched form.
_SPELLING: dict[str, str] = {
    normalize_column(_name): _name for _field in FIELDS for _name in (_field, *ALIASES[_field])
}


def closest_column(name: str) -> str | None:
    """The known column name (a field or an alias, as spelled in FORMATS.md) that an unknown
    column most likely meant — `total_earnings` for `Total earned` — or None when none is
    close. Only a suggestion for messages: an unknown column is never read as another one."""
    import difflib

    wanted = normalize_column(name)
    if not wanted or wanted in COLUMN_TO_FIELD:
        return None
    found = difflib.get_close_matches(wanted, list(_SPELLING), n=1, cutoff=0.75)
    return _SPELLING[found[0]] if found else None


def accepted_names(field_name: str) -> str:
    """`start_date (or start, started, started_on)`, for fixes that ask for a column."""
    aliases = ALIASES[field_name]
    return f"{field_name} (or {', '.join(aliases)})" if aliases else field_name


#: The slots of a row (a tuple): the contract fields, the Weekly Summary's first-payment date,
#: then where the row came from. The Upwork readers build rows; the canonical reader fills
#: columns (`columns.Columns`), and merging turns only repeated contracts back into rows.
ROW_FIELDS: tuple[str, ...] = (
    "contract_id", "client", "start_date", "earnings", "title", "end_date", "last_payment_date",
    "public_feedback", "private_feedback", "feedback_date", "disputed", "client_flagged",
    "excluded", "paid_periods", "first_payment_date",
)  # fmt: skip
SLOT: dict[str, int] = {name: index for index, name in enumerate(ROW_FIELDS)}
FILE_SLOT = len(ROW_FIELDS)  # the input's name
LOCATION_SLOT = FILE_SLOT + 1  # the physical line (int) or a JSON location like "[3]"
KIND_SLOT = FILE_SLOT + 2  # the ParsedFile kind (FORMATS.md section 4: canonical wins)
Row = tuple[Any, ...]


def make_row(values: dict[str, Any], file: str, location: int | str, kind: str) -> Row:
    """A row from a field → value mapping (absent fields are None)."""
    return (*(values.get(name) for name in ROW_FIELDS), file, location, kind)


@dataclass
class ParsedFile:
    """What a reader made of one input: its rows, problems and warnings.

    `kind` is "canonical", "upwork-json" or "weekly-summary" (or "unknown" when unreadable).
    `invalid` holds (contract_id, field) pairs whose value did not parse, so that the final
    validation does not report them a second time as missing.
    """

    name: str
    kind: str
    #: Rows built one at a time (the Upwork readers)...
    rows: list[Row] = field(default_factory=list)
    #: ...or by the chunk, as columns (the canonical reader).
    chunks: list[Columns] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    invalid: set[tuple[str, str]] = field(default_factory=set)
    #: Canonical fields this input can provide (its mapped columns), for "column missing" errors.
    provides: set[str] = field(default_factory=set)
    #: Where the column names are ("1" for a CSV header), for problems about a whole column.
    header_location: str = ""
    #: How many rows `take_columns` handed over.
    rows_read: int = 0

    def take_columns(self) -> Columns:
        """All rows read, as columns; the reader's own copies are released."""
        from jsscheck.history.columns import Columns

        parts = self.chunks
        if self.rows:
            parts.append(Columns.from_rows(self.rows))
        self.chunks, self.rows = [], []
        self.rows_read = sum(len(part) for part in parts)
        if not parts:
            return Columns.encode({}, [], self.name, self.kind)
        return Columns.concat(parts)


class NotText(Exception):
    """The bytes are not text (binary, or an encoding we do not read)."""

    def __init__(self, fix: str) -> None:
        super().__init__(fix)
        self.fix = fix


_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive or an Excel .xlsx workbook"),
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls workbook"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"SQLite format 3", "an SQLite database"),
)
_TEXT_FIX = "export the history as CSV (UTF-8) or JSON"


#: Bytes read at a time when an input is scanned.
BLOCK_BYTES = 1 << 20
#: Characters of an input kept in memory to recognise its format (all of a small input).
HEAD_CHARS = 1 << 20
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CP1252_WARNING = (
    "not UTF-8: read as Windows-1252 (cp1252); re-save it as UTF-8 if any text looks wrong"
)


def choose_encoding(
    blocks: Iterator[bytes], again: Callable[[], Iterator[bytes]]
) -> tuple[str, str | None]:
    """The encoding of an input given as `blocks` of bytes, and a warning when it is cp1252.

    UTF-8 (BOM or not) and UTF-16/32 with a BOM are read as such; anything else that decodes
    as Windows-1252 is read so, with a warning (`again` gives the blocks a second time for
    that check). Every block is looked at, so a bad byte late in a large file is caught here,
    before any row is read. Raises `NotText` for binary data.
    """
    first = next(blocks, b"")
    for magic, what in _BINARY_MAGIC:
        if first.startswith(magic):
            raise NotText(f"it looks like {what}; {_TEXT_FIX}")
    for bom, encoding in _BOMS:
        if first.startswith(bom):
            decoder = codecs.getincrementaldecoder(encoding)()
            try:
                sample = decoder.decode(first)
                for block in blocks:
                    decoder.decode(block)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError as exc:
                raise NotText(f"it starts like {encoding} but is not; {_TEXT_FIX}") from exc
            _refuse_control_characters(sample)
            return encoding, None
    has_nul = b"\x00" in first
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    sample = ""
    try:
        sample = decoder.decode(first)
    except UnicodeDecodeError:
        utf8 = False
    for block in blocks:
        has_nul = has_nul or b"\x00" in block
        if utf8:
            try:
                decoder.decode(block)
            except UnicodeDecodeError:
                utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    if has_nul:
        raise NotText(f"it holds NUL bytes (UTF-16 without a BOM?); {_TEXT_FIX}")
    if utf8:
        _refuse_control_characters(sample)
        return "utf-8", None
    try:
        for block in again():
            block.decode("cp1252")  # one byte, one character: blocks decode on their own
    except UnicodeDecodeError as exc:
        raise NotText(f"it is neither UTF-8 nor Windows-1252; {_TEXT_FIX}") from exc
    _refuse_control_characters(first.decode("cp1252"))
    return "cp1252", _CP1252_WARNING


@dataclass
class TextInput:
    """A decodable input: its name, encoding, first characters and a way to read its lines.

    Large inputs are never held whole as text: CSV readers take `lines()` one by one.
    """

    name: str
    encoding: str
    warning: str | None
    opener: Callable[[], BinaryIO]
    #: The first HEAD_CHARS characters (the whole text when `complete`).
    head: str = ""
    complete: bool = True

    def __post_init__(self) -> None:
        with self._text() as text:
            head = text.read(HEAD_CHARS + 1)
        self.head, self.complete = head[:HEAD_CHARS], len(head) <= HEAD_CHARS

    def _text(self) -> io.TextIOWrapper:
        # newline="": lines end at \n, \r\n or a lone \r (old Mac files), kept as they are.
        return io.TextIOWrapper(self.opener(), encoding=self.encoding, newline="")

    def lines(self) -> Iterator[str]:
        """The physical lines with their line breaks (what an editor numbers)."""
        with self._text() as text:
            yield from text

    def read(self) -> str:
        """The whole text (JSON is parsed whole)."""
        if self.complete:
            return self.head
        with self._text() as text:
            return text.read()


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _refuse_control_characters(text: str) -> None:
    # Text files hold almost no C0 control characters; binary data decoded by luck holds many.
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) > max(2, len(sample) // 200):
        raise NotText(f"it holds control characters (binary data?); {_TEXT_FIX}")


def blank_leading_comments(text: str) -> str:
    """`text` with the comment lines (`# ...`) above the header emptied (see
    `blank_comment_lines`, which does it line by line)."""
    return "".join(blank_comment_lines(io.StringIO(text, newline="")))


def first_record_text(text: str) -> str:
    """The text of the first CSV record (the header): up to the first newline outside quotes."""
    text = text[: 1 << 20].lstrip()  # a header is short; never copy a whole large file
    in_quotes = False
    for index, char in enumerate(text):
        if char == '"':
            in_quotes = not in_quotes
        elif char in "\r\n" and not in_quotes:
            return text[:index]
    return text


def sniff_delimiter(header: str) -> str:
    """`,`, `;` or tab: whichever appears most in the header outside quotes (comma on a tie).

    csv.Sniffer guesses from letter frequencies and is often wrong on short files; a header
    made of column names separated by one delimiter is a far stronger signal.
    """
    counts = {",": 0, ";": 0, "\t": 0}
    in_quotes = False
    for char in header:
        if char == '"':
            in_quotes = not in_quotes
        elif not in_quotes and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda candidate: counts[candidate])
    return best if counts[best] > counts[","] else ","


def _raise_field_limit() -> None:
    # A 10 MB cell (a pasted description) must be read and validated, not crash csv.
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 10


def csv_rows(lines: Iterable[str], delimiter: str) -> Iterator[tuple[int, list[str], str | None]]:
    """(starting physical line, cells, the record's text when it spans lines) of every
    non-blank record (header = line 1).

    `lines` are physical lines with their line breaks (`TextInput.lines`): fed those, csv
    keeps line breaks inside quoted values and its line_num counts physical lines.
    Raises `UnclosedQuote` when a quoted value runs to the end of the file.
    """
    _raise_field_limit()
    quotes = 0
    record_lines: list[str] = []

    def counted(lines: Iterable[str]) -> Iterator[str]:
        nonlocal quotes
        for line in lines:
            quotes += line.count('"')
            record_lines.append(line)
            yield line

    # csv takes lines one at a time, as a record needs them: after a record, `record_lines`
    # holds exactly its lines.
    reader = csv.reader(counted(lines), delimiter=delimiter)
    previous_end = 0
    last: tuple[int, list[str], str | None] | None = None
    last_raw = ""
    for cells in reader:
        start = previous_end + 1
        previous_end = reader.line_num
        raw = "".join(record_lines)
        text = raw if previous_end > start else None
        record_lines.clear()
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue
        if last is not None:
            yield last
        last, last_raw = (start, cells, text), raw
    if last is not None:
        start, cells, _text = last
        # An unclosed quote takes everything after it, line breaks and all, into the last
        # cell (a quote closed earlier in a record that spans lines is left to the reader's
        # swallowed_rows check). An odd count of quotes alone does not say so: a stray quote
        # inside an unquoted value (`a"b`) is a plain character.
        odd = quotes % 2 == 1 and _holds_quoted_text(cells[-1], delimiter)
        if odd and _ends_inside_quotes(last_raw, delimiter):
            breaks = sum(len(_LINE_BREAKS.findall(cell)) for cell in cells[:-1])
            raise UnclosedQuote(start + breaks)
        yield last


def _ends_inside_quotes(text: str, delimiter: str) -> bool:
    """Whether a quoted value in `text` (one record as written) is still open at its end."""
    try:
        for _cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _holds_quoted_text(cell: str, delimiter: str) -> bool:
    """Whether a cell holds what only a quoted value can: the delimiter or a line break."""
    return delimiter in cell or "\n" in cell or "\r" in cell


_LINE_BREAKS = re.compile(r"\r\n|\r|\n")


def swallowed_rows(
    cells: list[str], text: str, delimiter: str, looks_like_row: Callable[[list[str]], bool]
) -> tuple[int, int, int] | None:
    """A quoted value that spans lines and holds what look like whole rows of the file (a stray
    quote that swallowed the rows after it): (its cell, the line of the record it opens on,
    counted from 0, how many rows it holds), or None.

    `text` is the record as written. Only a record that is not well-formed CSV is suspect: its
    quote was "closed" by a quote that opens a later row's value, so text follows it where
    the delimiter should. Then each line inside the value is looked at on its own, and its
    last line together with the cells after the value; `looks_like_row` judges the cells.
    """
    try:
        for _cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error:
        pass  # malformed: look closer
    else:
        return None  # what a CSV writer writes: a value that holds line breaks
    lines_before = 0
    for index, cell in enumerate(cells):
        if "\n" not in cell and "\r" not in cell:
            continue
        parts = _LINE_BREAKS.split(cell)
        rows = sum(1 for part in parts[1:-1] if looks_like_row(_split(part, delimiter)))
        last = _split(parts[-1], delimiter)
        if len(last) == index + 1 and looks_like_row(last + cells[index + 1 :]):
            rows += 1
        if rows:
            return index, lines_before, rows
        lines_before += len(parts) - 1
    return None


def _split(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def blank_comment_lines(lines: Iterable[str]) -> Iterator[str]:
    """`lines` with the comment lines (`# ...`) above the header emptied.

    `jsscheck init` writes a commented template. The lines are emptied rather than removed so
    that every later line keeps its physical line number.
    """
    lines = iter(lines)
    for line in lines:
        body = line.rstrip("\r\n")
        if body == line:  # no line break: the last line, never blanked
            yield line
            break
        indent = body[: len(body) - len(body.lstrip(" \t"))]
        rest = body[len(indent) :]
        if rest and not rest.startswith("#"):
            yield line
            break
        yield indent + line[len(body) :] if rest else line
    yield from lines


def is_record(cells: Sequence[str]) -> bool:
    """Whether a row of cells is a contract: not a comment (a first cell starting with #, as
    in the `init` template) and not blank (a first cell empty or starting with a space or
    tab, and every cell blank). The one rule of every CSV reader."""
    first = cells[0]
    if not first or first[0] in " \t#":
        return not first.startswith("#") and any(cell.strip() for cell in cells)
    return True


class UnclosedQuote(Exception):
    """A quoted value that is never closed swallowed the rest of the file (from `line`)."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line
