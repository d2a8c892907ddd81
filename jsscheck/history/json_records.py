"""JSON and JSON Lines histories (FORMATS.md): objects whose keys are matched like CSV columns,
built into the same columns as a CSV by `canonical.RowBuilder`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from jsscheck.errors import Problem
from jsscheck.history import jsontext
from jsscheck.history.canonical import CHUNK_ROWS, NO_CONTRACTS_FIX, RowBuilder, json_brief
from jsscheck.history.tables import (
    COLUMN_TO_FIELD,
    ParsedFile,
    accepted_names,
    normalize_column,
)
from jsscheck.model.contract import FIELDS
from jsscheck.model.text import brief

_NEWLINES = re.compile(r"\r\n|\r|\n")


def json_error(name: str, text: str, exc: json.JSONDecodeError) -> Problem:
    """A problem for invalid JSON, with the line and column json reports."""
    if exc.msg == jsontext.NESTED_TOO_DEEPLY:
        return Problem(
            name,
            str(exc.lineno),
            "",
            f"invalid JSON: arrays or objects nested more than {jsontext.MAX_DEPTH} deep "
            f"(column {exc.colno})",
            None,
            "a contract history nests only a few levels: export or save it again",
        )
    truncated = exc.pos >= len(text.rstrip()) or (
        exc.msg.startswith("Unterminated string") and '"' not in text[exc.pos + 1 :]
    )
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
    """Add a record per (location, JSON object) to `parsed`: keys are matched like CSV columns.

    The objects are consumed CHUNK_ROWS at a time (JSON Lines hands them over lazily), so only
    a chunk of them is ever held as rows.
    """
    key_to_field: dict[str, str | None] = {}
    rows: list[dict[str, Any]] = []
    locations: list[str] = []
    # Every field: a field no object gives reads as missing, exactly as an absent column.
    builder = RowBuilder(parsed, list(FIELDS), dayfirst)
    for location, obj in objects:
        if len(rows) >= CHUNK_ROWS:
            _add_objects(builder, rows, locations)
            rows, locations = [], []
        if not isinstance(obj, dict):
            parsed.problems.append(
                Problem(
                    parsed.name,
                    location,
                    "",
                    "not a contract object",
                    json_brief(obj),
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
                    parsed.warnings.append(f"{parsed.name}: unknown column '{brief(key)}' ignored")
            field_name = key_to_field[key]
            if field_name is None:
                continue
            if field_name in keys:
                parsed.problems.append(
                    Problem(
                        parsed.name,
                        location,
                        field_name,
                        f"two keys give {field_name}: "
                        f"'{brief(keys[field_name])}' and '{brief(key)}'",
                        None,
                        "remove or rename one of them",
                    )
                )
                usable = False
                continue
            keys[field_name] = key
            row[field_name] = value
        if "contract_id" not in keys:
            parsed.problems.append(
                Problem(
                    parsed.name,
                    location,
                    "contract_id",
                    "required key missing",
                    None,
                    f"give every contract a key named {accepted_names('contract_id')}",
                )
            )
            continue
        if usable:
            rows.append(row)
            locations.append(location)
    if rows:
        _add_objects(builder, rows, locations)
    parsed.provides = {name for name in key_to_field.values() if name is not None}
    builder.finish()


def _add_objects(builder: RowBuilder, rows: list[dict[str, Any]], locations: list[str]) -> None:
    columns = [[row.get(name) for row in rows] for name in builder.fields]
    builder.add(columns, locations, all_text=False)


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
    invalid: list[Problem] = []
    count = 0

    def objects() -> Iterator[tuple[str, Any]]:
        nonlocal count
        for number, line in enumerate(_lines(text), start=1):
            if not line.strip():
                continue
            try:
                obj = jsontext.loads(line)
            except json.JSONDecodeError as exc:
                problem = json_error(name, line, exc)
                invalid.append(
                    Problem(
                        name,
                        str(number),
                        "",
                        problem.problem.replace("truncated JSON", "invalid JSON"),
                        None,
                        "write one complete JSON object per line",
                    )
                )
                continue
            count += 1
            yield str(number), obj

    records_from_objects(parsed, objects(), dayfirst)
    parsed.problems[0:0] = invalid  # lines that are not JSON first, as they always were
    if not count and not parsed.problems:
        parsed.problems.append(
            Problem(name, "", "", "no contracts: the file is empty", None, NO_CONTRACTS_FIX)
        )
    return parsed


def _lines(text: str) -> Iterator[str]:
    """The lines of `text`, one at a time (as _NEWLINES.split, without the list)."""
    start = 0
    for match in _NEWLINES.finditer(text):
        yield text[start : match.start()]
        start = match.end()
    yield text[start:]
