"""The canonical contract history: CSV, JSON and JSON Lines (FORMATS.md section 1).

Rows are parsed a column at a time, each distinct string once: dates, clients and flags repeat
across thousands of rows, and this keeps a million rows within seconds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from jsscheck.errors import Problem
from jsscheck.history.tables import (
    COLUMN_TO_FIELD,
    ParsedFile,
    UnclosedQuote,
    accepted_names,
    blank_leading_comments,
    csv_rows,
    first_record_text,
    normalize_column,
    sniff_delimiter,
)
from jsscheck.history.values import ValueProblem, parser_for, shown
from jsscheck.model import FIELDS, SourceRecord

NO_CONTRACTS_FIX = "add one row per contract, e.g. contract_id,client,start_date,earnings"
_EMPTY_ID_FIX = "every contract needs its id (Upwork's contract number or a unique name)"
_NEWLINES = re.compile(r"\r\n|\r|\n")
_FIELD_ORDER = {name: index for index, name in enumerate(FIELDS)}


def _parse_column(
    raws: list[Any], parse: Callable[[Any], Any], all_text: bool
) -> tuple[list[Any], dict[int, tuple[ValueProblem, Any]]]:
    """The parsed values of one column (None where empty or invalid) and its failures by row."""
    cache: dict[str, Any] = {}
    failures: dict[str, ValueProblem] = {}
    for raw in set(raws) if all_text else {raw for raw in raws if isinstance(raw, str)}:
        try:
            cache[raw] = parse(raw)
        except ValueProblem as exc:
            failures[raw] = exc
    if all_text:
        values = list(map(cache.get, raws))
        natives: list[int] = []
    else:
        values = [cache.get(raw) if isinstance(raw, str) else None for raw in raws]
        natives = [i for i, raw in enumerate(raws) if raw is not None and not isinstance(raw, str)]
    failed: dict[int, tuple[ValueProblem, Any]] = {}
    # JSON numbers and booleans are parsed one by one: 1 == 1.0 == True as dict keys.
    for i in natives:
        try:
            values[i] = parse(raws[i])
        except ValueProblem as exc:
            failed[i] = (exc, raws[i])
    if failures:
        for i, raw in enumerate(raws):
            if isinstance(raw, str) and raw in failures:
                failed[i] = (failures[raw], raw)
    return values, failed


def build_records(
    parsed: ParsedFile,
    columns: dict[str, list[Any]],
    locations: list[str],
    dayfirst: bool,
    all_text: bool,
) -> None:
    """Parse `columns` (field → raw value per row; all strings when `all_text`) and add one
    record per row to `parsed`. Rows without a usable contract_id become problems."""
    names = list(columns)
    parsed_columns: list[list[Any]] = []
    found: list[tuple[int, int, Problem]] = []
    failed_cells: list[tuple[int, str]] = []
    for name in names:
        values, failed = _parse_column(columns[name], parser_for(name, dayfirst), all_text)
        parsed_columns.append(values)
        for i, (exc, raw) in failed.items():
            problem = Problem(parsed.name, locations[i], name, exc.problem, shown(raw), exc.fix)
            found.append((i, _FIELD_ORDER[name], problem))
            failed_cells.append((i, name))
    ids = parsed_columns[names.index("contract_id")]
    for i, name in failed_cells:
        if ids[i] is not None:
            parsed.invalid.add((ids[i], name))
    id_failed = {i for i, name in failed_cells if name == "contract_id"}
    file_name = parsed.name
    records = parsed.records
    for i, row in enumerate(zip(*parsed_columns, strict=True)):
        values = dict(zip(names, row, strict=True))
        if values["contract_id"] is None:
            if i not in id_failed:
                problem = Problem(
                    file_name,
                    locations[i],
                    "contract_id",
                    "required value is empty",
                    None,
                    _EMPTY_ID_FIX,
                )
                found.append((i, 0, problem))
            continue
        records.append(SourceRecord(values, file_name, locations[i], "canonical"))
    found.sort(key=lambda item: (item[0], item[1]))
    parsed.problems.extend(problem for _i, _order, problem in found)


def _map_columns(parsed: ParsedFile, headers: Iterable[str], location: str) -> dict[str, int]:
    """field → the position of its column; warns about unknown columns, rejects duplicates."""
    positions: dict[str, list[int]] = {}
    originals: dict[str, list[str]] = {}
    for position, header in enumerate(headers):
        name = COLUMN_TO_FIELD.get(normalize_column(header))
        if name is None:
            if header.strip():
                parsed.warnings.append(f"{parsed.name}: unknown column '{header}' ignored")
            continue
        positions.setdefault(name, []).append(position)
        originals.setdefault(name, []).append(header)
    for name, headers_of_field in originals.items():
        if len(headers_of_field) > 1:
            both = " and ".join(f"'{h}'" for h in headers_of_field)
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


def read_csv(text: str, name: str, dayfirst: bool) -> ParsedFile:
    """Read a canonical CSV (delimiter sniffed) into records; problems and warnings collected."""
    parsed = ParsedFile(name, "canonical")
    text = blank_leading_comments(text)
    delimiter = sniff_delimiter(first_record_text(text))
    rows = csv_rows(text, delimiter)
    try:
        header = next(rows, None)
        if header is None:
            parsed.problems.append(
                Problem(name, "", "", "no contracts: the file is empty", None, NO_CONTRACTS_FIX)
            )
            return parsed
        header_line, header_cells = header
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
                    first_record_text(text),
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
        lines: list[int] = []
        table: list[list[str]] = []
        for line, cells in rows:
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
                # Spreadsheets drop trailing empty cells: missing cells are empty.
                cells = (cells + [""] * width)[:width]
            if not cells[0].strip() and not any(cell.strip() for cell in cells):
                continue
            if cells[0].startswith("#"):  # a comment line, as in the `init` template
                continue
            lines.append(line)
            table.append(cells)
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
    if table:
        by_position = list(zip(*table, strict=True))
        raw_columns = {field_name: list(by_position[at]) for field_name, at in columns.items()}
        build_records(parsed, raw_columns, list(map(str, lines)), dayfirst, all_text=True)
    elif not parsed.problems:
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


def _missing_column(name: str, location: str, field_name: str) -> Problem:
    return Problem(
        name,
        location,
        field_name,
        "required column missing",
        None,
        f"add a column named {accepted_names(field_name)}",
    )


def json_error(name: str, text: str, exc: json.JSONDecodeError) -> Problem:
    """A problem for invalid JSON, with the line and column json reports."""
    truncated = exc.pos >= len(text.rstrip())
    return Problem(
        name,
        str(exc.lineno),
        "",
        f"{'truncated' if truncated else 'invalid'} JSON: {exc.msg} (column {exc.colno})",
        None,
        "the file ends early: export or save it again"
        if truncated
        else "fix the JSON syntax at that place",
    )


def records_from_objects(
    parsed: ParsedFile, objects: Iterable[tuple[str, Any]], dayfirst: bool
) -> None:
    """Add a record per (location, JSON object) to `parsed`: keys are matched like CSV columns."""
    key_to_field: dict[str, str | None] = {}
    rows: list[dict[str, Any]] = []
    locations: list[str] = []
    for location, obj in objects:
        if not isinstance(obj, dict):
            parsed.problems.append(
                Problem(
                    parsed.name,
                    location,
                    "",
                    "not a contract object",
                    _brief(obj),
                    'write each contract as {"contract_id": ..., "client": ..., ...}',
                )
            )
            continue
        row: dict[str, Any] = {}
        keys: dict[str, str] = {}
        usable = True
        for key, value in obj.items():
            if key not in key_to_field:
                field_name = COLUMN_TO_FIELD.get(normalize_column(str(key)))
                key_to_field[key] = field_name
                if field_name is None:
                    parsed.warnings.append(f"{parsed.name}: unknown column '{key}' ignored")
            field_name = key_to_field[key]
            if field_name is None:
                continue
            if field_name in keys:
                parsed.problems.append(
                    Problem(
                        parsed.name,
                        location,
                        field_name,
                        f"two keys give {field_name}: '{keys[field_name]}' and '{key}'",
                        None,
                        "remove or rename one of them",
                    )
                )
                usable = False
                continue
            keys[field_name] = key
            if isinstance(value, dict | list):
                parsed.problems.append(
                    Problem(
                        parsed.name,
                        location,
                        field_name,
                        "not a single value",
                        _brief(value),
                        "write a string, number, boolean or null",
                    )
                )
                continue
            row[field_name] = value
        if "contract_id" not in keys:
            parsed.problems.append(_missing_column(parsed.name, location, "contract_id"))
            continue
        if usable:
            rows.append(row)
            locations.append(location)
    parsed.provides = {name for name in key_to_field.values() if name is not None}
    if rows:
        columns = {
            name: [row.get(name) for row in rows] for name in FIELDS if name in parsed.provides
        }
        build_records(parsed, columns, locations, dayfirst, all_text=False)


def _brief(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:59] + "…"


def read_json_document(document: Any, name: str, dayfirst: bool) -> ParsedFile:
    """Read a parsed canonical JSON document: an array, or an object with `contracts`."""
    parsed = ParsedFile(name, "canonical")
    items = document.get("contracts") if isinstance(document, dict) else document
    if not isinstance(items, list):
        parsed.problems.append(
            Problem(
                name,
                "",
                "",
                "JSON of the wrong shape",
                None,
                'expected an array of contracts or {"contracts": [...]}',
            )
        )
        return parsed
    if not items:
        parsed.problems.append(
            Problem(name, "", "", "no contracts: the array is empty", None, NO_CONTRACTS_FIX)
        )
        return parsed
    records_from_objects(parsed, ((f"[{i}]", item) for i, item in enumerate(items)), dayfirst)
    return parsed


def read_jsonl(text: str, name: str, dayfirst: bool) -> ParsedFile:
    """Read JSON Lines: one contract object per line; blank lines are skipped."""
    parsed = ParsedFile(name, "canonical")
    objects: list[tuple[str, Any]] = []
    # Split on \n, \r and \r\n only: str.splitlines() would also split inside strings holding
    # U+2028 or form feeds, which JSON allows, and shift every later line number.
    for number, line in enumerate(_NEWLINES.split(text), start=1):
        if not line.strip():
            continue
        try:
            objects.append((str(number), json.loads(line)))
        except json.JSONDecodeError as exc:
            parsed.problems.append(
                Problem(
                    name,
                    str(number),
                    "",
                    f"invalid JSON: {exc.msg} (column {exc.colno})",
                    None,
                    "write one complete JSON object per line",
                )
            )
    records_from_objects(parsed, objects, dayfirst)
    if not objects and not parsed.problems:
        parsed.problems.append(
            Problem(name, "", "", "no contracts: the file is empty", None, NO_CONTRACTS_FIX)
        )
    return parsed
