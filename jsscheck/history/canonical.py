"""The canonical contract history: CSV, JSON and JSON Lines (FORMATS.md section 1).

Rows are parsed a column at a time, each distinct string once: dates, clients and flags repeat
across thousands of rows, and this keeps a million rows within seconds.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from itertools import product
from typing import Any

import numpy as np

from jsscheck.errors import Problem
from jsscheck.history import fastcsv
from jsscheck.history.columns import Columns
from jsscheck.history.tables import (
    COLUMN_TO_FIELD,
    ParsedFile,
    TextInput,
    UnclosedQuote,
    accepted_names,
    blank_comment_lines,
    blank_leading_comments,
    csv_rows,
    first_record_text,
    is_record,
    normalize_column,
    sniff_delimiter,
    swallowed_rows,
)
from jsscheck.history.values import (
    EMPTY_MARKERS,
    ValueProblem,
    parse_money,
    parser_for,
    shown,
)
from jsscheck.model.contract import FIELDS
from jsscheck.model.text import brief

NO_CONTRACTS_FIX = "add one row per contract, e.g. contract_id,client,start_date,earnings"
_EMPTY_ID_FIX = "every contract needs its id (Upwork's contract number or a unique name)"
_FIELD_ORDER = {name: index for index, name in enumerate(FIELDS)}
#: Every upper/lower-case spelling of the empty markers ("NA", "n/a", "Null", ...), so that a
#: column of a million ids is checked with one set intersection.
EMPTY_SPELLINGS = frozenset(
    "".join(letters)
    for marker in EMPTY_MARKERS
    for letters in product(*({char.lower(), char.upper()} for char in marker))
)


_TEXT_FIELDS = frozenset({"contract_id", "client", "title"})
#: Distinct strings remembered per field: dates and flags repeat, ids and amounts barely do.
_CACHE_LIMIT = 20_000
#: Rows parsed at a time: large enough for column-wise speed, small enough that the raw cells
#: of a chunk (~600 bytes a row as Python strings) stay a few megabytes.
CHUNK_ROWS = 10_000
#: At most this many "short row" warnings per file; the rest are counted.
MAX_SHORT_ROW_WARNINGS = 20


BadCell = tuple[int, str, Any, ValueProblem]  # row in chunk, field, raw value, why


class RowBuilder:
    """Parses raw cells column by column into rows, collecting every problem in order."""

    def __init__(self, parsed: ParsedFile, fields_present: list[str], dayfirst: bool) -> None:
        self.parsed = parsed
        self.fields = fields_present
        self.parsers = {name: parser_for(name, dayfirst) for name in fields_present}
        self.caches: dict[str, dict[str, Any]] = {name: {} for name in fields_present}
        self.failures: dict[str, dict[str, ValueProblem]] = {name: {} for name in fields_present}
        self.found: list[tuple[int, int, Problem]] = []
        self.count = 0

    def add(
        self, columns: list[list[Any]], locations: list[Any] | np.ndarray, all_text: bool
    ) -> None:
        """Parse one chunk: `columns[k]` holds the raw values of `fields[k]`, one per location.

        `all_text` says every raw value is a string (CSV); JSON also has numbers and booleans.
        """
        parsed_columns: dict[str, list[Any]] = {}
        bad_cells: list[BadCell] = []
        for name, raws in zip(self.fields, columns, strict=True):
            if all_text and name in _TEXT_FIELDS:
                parsed_columns[name] = _text_column(raws)
            else:
                parsed_columns[name] = self._column(name, raws, all_text, bad_cells)
        chunk = Columns.encode(parsed_columns, locations, self.parsed.name, "canonical")
        ids = parsed_columns["contract_id"]
        self._keep(chunk, ids, None in ids, bad_cells, locations)

    def add_values(
        self, values: dict[str, Any], locations: np.ndarray, bad_cells: list[BadCell]
    ) -> None:
        """Add one chunk parsed already (`cells.BlockParser`): each field's column, encoded
        as `Columns` holds it, and the cells that did not parse (their values missing)."""
        chunk = Columns.of_values(values, locations, self.parsed.name, "canonical")
        ids = values["contract_id"]
        self._keep(chunk, ids, ids.missing is not None, bad_cells, locations)

    def _keep(
        self,
        chunk: Columns,
        ids: Any,
        some_id_missing: bool,
        bad_cells: list[BadCell],
        locations: list[Any] | np.ndarray,
    ) -> None:
        """Add the chunk's rows without a problem (each problem noted), and count its rows."""
        if bad_cells or some_id_missing:
            kept = self._note_problems(ids, bad_cells, locations)
            if len(kept) < len(ids):
                chunk = chunk.take(np.array(kept, dtype=np.int64))
        if len(chunk):
            self.parsed.chunks.append(chunk)
        self.count += len(locations)

    def parse_values(self, name: str, raws: list[str], bad_cells: list[BadCell]) -> list[Any]:
        """The values of CSV cells of field `name` (None where empty or bad; each bad cell is
        added to `bad_cells` by its position in `raws`)."""
        return self._column(name, raws, True, bad_cells)

    def reset(self) -> None:
        """Forget every row added (the fast path gave up: the line reader starts over)."""
        self.found.clear()
        self.count = 0

    def _column(
        self, name: str, raws: list[Any], all_text: bool, bad_cells: list[BadCell]
    ) -> list[Any]:
        parse, cache, failures = self.parsers[name], self.caches[name], self.failures[name]
        distinct = set(raws) if all_text else {raw for raw in raws if isinstance(raw, str)}
        fresh: dict[str, Any] = {}
        for raw in distinct.difference(cache):
            if raw in failures:
                continue
            try:
                fresh[raw] = parse(raw)
            except ValueProblem as exc:
                failures[raw] = exc
        lookup = cache
        if fresh:
            if len(cache) + len(fresh) <= _CACHE_LIMIT:
                cache.update(fresh)
            else:
                lookup = {raw: cache[raw] for raw in distinct if raw in cache}
                lookup.update(fresh)
        if all_text:
            values = list(map(lookup.get, raws))
        else:
            values = [lookup.get(raw) if isinstance(raw, str) else None for raw in raws]
        if not distinct.isdisjoint(failures):
            bad_cells.extend(
                (i, name, raw, failures[raw])
                for i, raw in enumerate(raws)
                if isinstance(raw, str) and raw in failures
            )
        if not all_text:
            # JSON numbers and booleans one by one: 1 == 1.0 == True as dict keys.
            for i, raw in enumerate(raws):
                if raw is not None and not isinstance(raw, str):
                    try:
                        if isinstance(raw, dict | list):
                            raise ValueProblem(
                                "not a single value", "write a string, number, boolean or null"
                            )
                        values[i] = parse(raw)
                    except ValueProblem as exc:
                        bad_cells.append((i, name, json_brief(raw), exc))
        return values

    def _note_problems(
        self, ids: list[Any], bad_cells: list[BadCell], locations: list[Any] | np.ndarray
    ) -> list[int]:
        """Record the chunk's problems; the positions of the rows that have an id to keep."""
        file_name = self.parsed.name
        bad_fields: dict[int, set[str]] = {}
        for i, name, raw, exc in bad_cells:
            bad_fields.setdefault(i, set()).add(name)
            problem = Problem(file_name, str(locations[i]), name, exc.problem, shown(raw), exc.fix)
            self.found.append((self.count + i, _FIELD_ORDER[name], problem))
            if ids[i] is not None:
                self.parsed.invalid.add((ids[i], name))
        kept = []
        for i, contract_id in enumerate(ids):
            if contract_id is not None:
                kept.append(i)
            elif "contract_id" not in bad_fields.get(i, ()):
                problem = Problem(
                    file_name,
                    str(locations[i]),
                    "contract_id",
                    "required value is empty",
                    None,
                    _EMPTY_ID_FIX,
                )
                self.found.append((self.count + i, 0, problem))
        return kept

    def finish(self) -> None:
        """Add the problems found, in file order (line, then column)."""
        self.found.sort(key=lambda item: (item[0], item[1]))
        self.parsed.problems.extend(problem for _i, _order, problem in self.found)


def _text_column(raws: list[str]) -> list[str | None]:
    """parse_text over a column of strings, at C speed: strip, then empty markers → None."""
    values: list[str | None] = list(map(str.strip, raws))
    empties = EMPTY_SPELLINGS.intersection(values)
    if empties:
        values = [None if v in empties else v for v in values]
    return values


def _map_columns(parsed: ParsedFile, headers: Iterable[str], location: str) -> dict[str, int]:
    """field → the position of its column; warns about unknown columns, rejects duplicates."""
    positions: dict[str, list[int]] = {}
    originals: dict[str, list[str]] = {}
    for position, header in enumerate(headers):
        name = COLUMN_TO_FIELD.get(normalize_column(header))
        if name is None:
            if header.strip():
                parsed.warnings.append(f"{parsed.name}: unknown column '{brief(header)}' ignored")
            continue
        positions.setdefault(name, []).append(position)
        originals.setdefault(name, []).append(header)
    for name, headers_of_field in originals.items():
        if len(headers_of_field) > 1:
            both = " and ".join(f"'{brief(h)}'" for h in headers_of_field)
            parsed.problems.append(
                Problem(
                    parsed.name,
                    location,
                    name,
                    f"two columns give {name}: {both}",
                    None,
                    "remove or rename one of them",
                )
            )
    parsed.provides = set(positions)
    return {name: at[0] for name, at in positions.items()}


def read_csv(source: TextInput, dayfirst: bool) -> ParsedFile:
    """Read a canonical CSV (delimiter sniffed) into records; problems and warnings collected.

    The text is read line by line and parsed CHUNK_ROWS rows at a time: a large export is
    never in memory whole, only its columns.
    """
    name = source.name
    parsed = ParsedFile(name, "canonical")
    delimiter = sniff_delimiter(first_record_text(blank_leading_comments(source.head)))
    rows = csv_rows(blank_comment_lines(source.lines()), delimiter)
    try:
        header = next(rows, None)
        if header is None:
            parsed.problems.append(
                Problem(name, "", "", "no contracts: the file is empty", None, NO_CONTRACTS_FIX)
            )
            return parsed
        header_line, header_cells, _spans = header
        parsed.header_location = str(header_line)
        columns = _map_columns(parsed, header_cells, parsed.header_location)
        if not columns:
            parsed.warnings.clear()
            parsed.problems.append(
                Problem(
                    name,
                    parsed.header_location,
                    "",
                    "not a contract history: no known column in the first line",
                    None,  # the first line may be a data row: never show it
                    "the first line must name the columns, "
                    "e.g. contract_id,client,start_date,earnings (FORMATS.md)",
                )
            )
            return parsed
        if "contract_id" not in columns:
            parsed.problems.append(_missing_column(name, parsed.header_location, "contract_id"))
            return parsed
        if parsed.problems:
            return parsed
        width = len(header_cells)
        fields_present = [name for name in FIELDS if name in columns]
        positions = [columns[name] for name in fields_present]
        builder = RowBuilder(parsed, fields_present, dayfirst)
        looks_like_row = _row_test(columns, width, dayfirst)
        short = _ShortRows(parsed, header_cells, columns)
        if fastcsv.file_size(source) >= fastcsv.FAST_BYTES and fastcsv.read_body(
            source, parsed, builder, delimiter, width, header_line, positions
        ):
            rows = iter(())  # the C-speed path read every row (fastcsv)
        lines: list[int] = []
        table: list[list[str]] = []
        for line, cells, text in rows:
            if text is not None:
                swallowed = swallowed_rows(cells, text, delimiter, looks_like_row)
                if swallowed is not None:
                    parsed.problems.append(_swallowed(name, line, header_cells, swallowed))
                    continue
            if len(cells) != width:
                if len(cells) > width and any(cell.strip() for cell in cells[width:]):
                    parsed.problems.append(
                        Problem(
                            name,
                            str(line),
                            "",
                            f"{len(cells)} cells but the header has {width} columns",
                            None,
                            "quote values that hold the delimiter "
                            f"({'tab' if delimiter == chr(9) else repr(delimiter)})",
                        )
                    )
                    continue
                if len(cells) < width:
                    short.note(line, len(cells))
                # Spreadsheets drop trailing empty cells: missing cells are empty.
                cells = (cells + [""] * width)[:width]
            if not is_record(cells):
                continue
            lines.append(line)
            table.append(cells)
            if len(table) >= CHUNK_ROWS:
                _add_chunk(builder, table, lines, positions)
                lines, table = [], []
        if table:
            _add_chunk(builder, table, lines, positions)
        builder.finish()
        short.finish()
    except UnclosedQuote as exc:
        parsed.problems.append(
            Problem(
                name,
                str(exc.line),
                "",
                "a quoted value is never closed: the rest of the file was read as one value",
                None,
                'close the quote (") or remove it',
            )
        )
        return parsed
    if not builder.count and not parsed.problems:
        parsed.problems.append(
            Problem(
                name,
                "",
                "",
                "no contracts: the file has a header but no rows",
                None,
                NO_CONTRACTS_FIX,
            )
        )
    return parsed


def _row_test(columns: dict[str, int], width: int, dayfirst: bool) -> Callable[[list[str]], bool]:
    """Whether cells look like a whole row of this file: its start date and earnings where the
    header has them (or, without those columns, exactly as many cells as the header)."""
    checks: list[tuple[int, Callable[[Any], Any]]] = []
    if "start_date" in columns:
        checks.append((columns["start_date"], parser_for("start_date", dayfirst)))
    if "earnings" in columns:
        checks.append((columns["earnings"], parse_money))
    if not checks:
        return lambda cells: width >= 3 and len(cells) == width
    needed = max(at for at, _parse in checks) + 1

    def looks_like_row(cells: list[str]) -> bool:
        if len(cells) < needed or not cells[0].strip():
            return False
        try:
            return all(parse(cells[at]) is not None for at, parse in checks)
        except ValueProblem:
            return False

    return looks_like_row


def _column_name(header_cells: list[str], position: int) -> str:
    """The field (or column) name at `position`, as a problem names it."""
    if position >= len(header_cells):
        return ""
    header = header_cells[position]
    return COLUMN_TO_FIELD.get(normalize_column(header)) or brief(header.strip())


def _swallowed(
    name: str, line: int, header_cells: list[str], swallowed: tuple[int, int, int]
) -> Problem:
    """The problem of a quote that swallowed rows: where it opened, never the rows' data."""
    cell, lines_before, rows = swallowed
    what = "a row" if rows == 1 else f"{rows} rows"
    return Problem(
        name,
        str(line + lines_before),
        _column_name(header_cells, cell),
        f"a quoted value opened here runs on over the next lines and holds what looks like "
        f'{what} of contracts: a closing quote (") is probably missing',
        None,
        'close the quote (") where the value ends, or remove it; the rows it holds were not read',
    )


class _ShortRows:
    """Rows with fewer cells than the header: read with the missing cells empty, and said so
    (the first MAX_SHORT_ROW_WARNINGS of them, then how many more)."""

    def __init__(self, parsed: ParsedFile, header_cells: list[str], columns: dict[str, int]):
        self.parsed = parsed
        self.header_cells = header_cells
        self.by_position = {at: field_name for field_name, at in columns.items()}
        self.count = 0

    def note(self, line: int, cells: int) -> None:
        lost = [self.by_position[at] for at in sorted(self.by_position) if at >= cells]
        if not lost:
            return  # only unknown (ignored) columns are missing
        self.count += 1
        if self.count <= MAX_SHORT_ROW_WARNINGS:
            width = len(self.header_cells)
            self.parsed.warnings.append(
                f"{self.parsed.name}:{line}: {cells} cell{'s' if cells != 1 else ''} but the "
                f"header has {width} columns: {', '.join(lost)} read as empty"
            )

    def finish(self) -> None:
        extra = self.count - MAX_SHORT_ROW_WARNINGS
        if extra > 0:
            self.parsed.warnings.append(
                f"{self.parsed.name}: … and {extra} more short row{'s' if extra != 1 else ''} "
                "read with their missing cells empty"
            )


def _add_chunk(
    builder: RowBuilder, table: list[list[str]], lines: list[int], positions: list[int]
) -> None:
    by_position = list(zip(*table, strict=True))
    builder.add([list(by_position[at]) for at in positions], lines, all_text=True)


def _missing_column(name: str, location: str, field_name: str) -> Problem:
    return Problem(
        name,
        location,
        field_name,
        "required column missing",
        None,
        f"add a column named {accepted_names(field_name)}",
    )


def json_brief(value: Any) -> str:
    """A JSON value as a message quotes it: in JSON spelling, visible and shortened."""
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (RecursionError, ValueError):  # nested hundreds deep
        text = "[…]" if isinstance(value, list) else "{…}"
    return brief(text)
