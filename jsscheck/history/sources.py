"""Opening inputs and recognising their format from their content (FORMATS.md sections 1-2)."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from dataclasses import dataclass
from typing import Any

from jsscheck.errors import InputNotFoundError, Problem, UsageError
from jsscheck.history import canonical, upwork
from jsscheck.history.tables import (
    COLUMN_TO_FIELD,
    NotText,
    ParsedFile,
    blank_leading_comments,
    decode_text,
    first_record_text,
    normalize_column,
    sniff_delimiter,
)
from jsscheck.history.upwork import WeeklyFile

#: Values of `--input-format`.
INPUT_FORMATS: tuple[str, ...] = ("csv", "json", "jsonl", "upwork-json", "weekly-summary")
STDIN_NAME = "<stdin>"


@dataclass
class RawInput:
    """The bytes of one input and the name problems give it."""

    name: str
    data: bytes


def check_input_format(input_format: str | None) -> None:
    """Raise `UsageError` for an `--input-format` that is not one of INPUT_FORMATS."""
    if input_format is not None and input_format not in INPUT_FORMATS:
        raise UsageError(
            f"unknown input format '{input_format}'",
            hint=f"use one of {', '.join(INPUT_FORMATS)}",
        )


def load_input(source: str) -> RawInput:
    """Read all bytes of a path, or of standard input for `-`.

    Raises `InputNotFoundError` (exit 66) for a missing path, a directory or an unreadable file.
    """
    if source == "-":
        return RawInput(STDIN_NAME, sys.stdin.buffer.read())
    if os.path.isdir(source):
        raise InputNotFoundError(f"{source}: is a directory", hint="pass a history file")
    try:
        with open(source, "rb") as handle:
            return RawInput(source, handle.read())
    except FileNotFoundError as exc:
        raise InputNotFoundError(
            f"{source}: no such file", hint="check the path (jsscheck init writes a template)"
        ) from exc
    except PermissionError as exc:
        raise InputNotFoundError(
            f"{source}: cannot be opened (permission denied)", hint="check the file's permissions"
        ) from exc
    except OSError as exc:
        raise InputNotFoundError(f"{source}: cannot be opened ({exc.strerror})") from exc


def parse_input(raw: RawInput, dayfirst: bool, input_format: str | None) -> ParsedFile | WeeklyFile:
    """Decode one input, detect its format (unless forced) and read it."""
    name = raw.name
    try:
        text, encoding_warning = decode_text(raw.data)
    except NotText as exc:
        return _failed(name, "not a text file", exc.fix)
    finally:
        raw.data = b""  # hashed and decoded: the text alone is parsed
    parsed = _dispatch(text, name, dayfirst, input_format)
    if encoding_warning:
        parsed.warnings.insert(0, f"{name}: {encoding_warning}")
    return parsed


def _failed(name: str, problem: str, fix: str | None, location: str = "") -> ParsedFile:
    parsed = ParsedFile(name, "unknown")
    parsed.problems.append(Problem(name, location, "", problem, None, fix))
    return parsed


def _dispatch(
    text: str, name: str, dayfirst: bool, input_format: str | None
) -> ParsedFile | WeeklyFile:
    stripped = text.lstrip()
    if not stripped:
        return _failed(name, "no contracts: the file is empty", canonical.NO_CONTRACTS_FIX)
    if input_format == "csv":
        return canonical.read_csv(text, name, dayfirst)
    if input_format == "jsonl":
        return canonical.read_jsonl(text, name, dayfirst)
    if input_format == "weekly-summary":
        return upwork.read_weekly_rows(text, name, dayfirst)
    if input_format in ("json", "upwork-json") or stripped[0] in "[{":
        return _read_json(text, name, dayfirst, input_format)
    if stripped[0] in '"-0123456789tfn' and _is_json_scalar(stripped):
        return _failed(name, "JSON of the wrong shape", _JSON_SHAPE_FIX)
    if stripped[0] == "<":
        return _failed(
            name,
            "not CSV or JSON (it looks like HTML or XML)",
            "export the history as CSV or JSON",
            "1",
        )
    header = _header_cells(text)
    if upwork.is_weekly_header(header):
        return upwork.read_weekly_rows(text, name, dayfirst)
    if upwork.is_transaction_header(header):
        return _failed(
            name, "an Upwork Transaction History cannot be read", upwork.TRANSACTION_FIX, "1"
        )
    return canonical.read_csv(text, name, dayfirst)


def _header_cells(text: str) -> list[str]:
    header = first_record_text(blank_leading_comments(text))
    try:
        return next(csv.reader(io.StringIO(header), delimiter=sniff_delimiter(header)), [])
    except csv.Error:
        return []


def _read_json(text: str, name: str, dayfirst: bool, input_format: str | None) -> ParsedFile:
    try:
        document: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        # Several values in a row are JSON Lines (unless JSON was asked for).
        if input_format is None and (exc.msg == "Extra data" or _first_line_is_object(text)):
            return canonical.read_jsonl(text, name, dayfirst)
        parsed = ParsedFile(name, "unknown")
        problem = canonical.json_error(name, text, exc)
        parsed.problems.append(problem)
        return parsed
    if input_format == "upwork-json" or (input_format is None and upwork.is_work_history(document)):
        if not upwork.is_work_history(document):
            return _failed(
                name,
                "not an Upwork work-history export (no pageItems)",
                "pass the JSON the profile page loads, or drop --input-format",
            )
        return upwork.read_work_history(document, name, dayfirst)
    single = isinstance(document, dict) and "contracts" not in document
    if single and _looks_like_contract(document):
        # One contract object alone: JSON Lines with a single line.
        parsed = ParsedFile(name, "canonical")
        canonical.records_from_objects(parsed, [("1", document)], dayfirst)
        return parsed
    return canonical.read_json_document(document, name, dayfirst)


_JSON_SHAPE_FIX = 'expected an array of contracts or {"contracts": [...]}'


def _is_json_scalar(text: str) -> bool:
    # A CSV starting with a quoted header fails at once ("Extra data"): this costs nothing.
    try:
        json.loads(text)
    except json.JSONDecodeError:
        return False
    return True


def _first_line_is_object(text: str) -> bool:
    first = text.lstrip().split("\n", 1)[0]
    try:
        return isinstance(json.loads(first), dict) and "\n" in text.strip()
    except json.JSONDecodeError:
        return False


def _looks_like_contract(document: dict[str, Any]) -> bool:
    return any(normalize_column(str(key)) in COLUMN_TO_FIELD for key in document)
