"""Opening inputs and recognising their format from their content (FORMATS.md sections 1-2)."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from jsscheck.errors import InputNotFoundError, Problem, UsageError
from jsscheck.history import canonical, upwork
from jsscheck.history.tables import (
    BLOCK_BYTES,
    COLUMN_TO_FIELD,
    NotText,
    ParsedFile,
    TextInput,
    blank_leading_comments,
    choose_encoding,
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
    """One input: the name problems give it, and its file (or standard input's bytes)."""

    name: str
    path: str | None = None
    data: bytes | None = None

    def open(self) -> BinaryIO:
        """A fresh binary stream over the input, from its first byte."""
        if self.path is not None:
            return open(self.path, "rb")  # noqa: SIM115 (the caller closes it)
        return io.BytesIO(self.data or b"")

    def blocks(self, digest: Any = None) -> Iterator[bytes]:
        """The bytes in blocks (each also fed to `digest` when given)."""
        with self.open() as stream:
            while block := stream.read(BLOCK_BYTES):
                if digest is not None:
                    digest.update(block)
                yield block


def check_input_format(input_format: str | None) -> None:
    """Raise `UsageError` for an `--input-format` that is not one of INPUT_FORMATS."""
    if input_format is not None and input_format not in INPUT_FORMATS:
        raise UsageError(
            f"unknown input format '{input_format}'",
            hint=f"use one of {', '.join(INPUT_FORMATS)}",
        )


def load_input(source: str) -> RawInput:
    """Check a path can be read (or read standard input, for `-`).

    Files are read later, in blocks, without ever holding a whole large file in memory.
    Raises `InputNotFoundError` (exit 66) for a missing path, a directory or an unreadable file.
    """
    if source == "-":
        return RawInput(STDIN_NAME, data=sys.stdin.buffer.read())
    if os.path.isdir(source):
        raise InputNotFoundError(f"{source}: is a directory", hint="pass a history file")
    try:
        with open(source, "rb") as stream:
            if stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                return RawInput(source, path=source)
            # A pipe (`<(command)`, a FIFO) can be read only once: keep its bytes.
            return RawInput(source, data=stream.read())
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


def parse_input(
    raw: RawInput, dayfirst: bool, input_format: str | None, digest: Any = None
) -> ParsedFile | WeeklyFile:
    """Decode one input, detect its format (unless forced) and read it.

    Its bytes are fed to `digest` (the snapshot store's sha256) while they are checked.
    """
    name = raw.name
    try:
        encoding, encoding_warning = choose_encoding(raw.blocks(digest), raw.blocks)
    except NotText as exc:
        return _failed(name, "not a text file", exc.fix)
    source = TextInput(name, encoding, encoding_warning, raw.open)
    parsed = _dispatch(source, dayfirst, input_format)
    if encoding_warning:
        parsed.warnings.insert(0, f"{name}: {encoding_warning}")
    return parsed


def _failed(name: str, problem: str, fix: str | None, location: str = "") -> ParsedFile:
    parsed = ParsedFile(name, "unknown")
    parsed.problems.append(Problem(name, location, "", problem, None, fix))
    return parsed


def _dispatch(
    source: TextInput, dayfirst: bool, input_format: str | None
) -> ParsedFile | WeeklyFile:
    name = source.name
    stripped = source.head.lstrip()
    if not stripped and not source.complete:  # a megabyte of blank lines first
        stripped = source.read().lstrip()
    if not stripped:
        return _failed(name, "no contracts: the file is empty", canonical.NO_CONTRACTS_FIX)
    if input_format == "csv":
        return canonical.read_csv(source, dayfirst)
    if input_format == "jsonl":
        return canonical.read_jsonl(source.read(), name, dayfirst)
    if input_format == "weekly-summary":
        return upwork.read_weekly_rows(source, dayfirst)
    if input_format in ("json", "upwork-json") or stripped[0] in "[{":
        return _read_json(source.read(), name, dayfirst, input_format)
    if stripped[0] in '"-0123456789tfn' and _is_json_scalar(stripped, source):
        return _failed(name, "JSON of the wrong shape", _JSON_SHAPE_FIX)
    if stripped[0] == "<":
        return _failed(
            name,
            "not CSV or JSON (it looks like HTML or XML)",
            "export the history as CSV or JSON",
            "1",
        )
    header = _header_cells(source.head)
    if upwork.is_weekly_header(header):
        return upwork.read_weekly_rows(source, dayfirst)
    if upwork.is_transaction_header(header):
        return _failed(
            name, "an Upwork Transaction History cannot be read", upwork.TRANSACTION_FIX, "1"
        )
    return canonical.read_csv(source, dayfirst)


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


def _is_json_scalar(stripped: str, source: TextInput) -> bool:
    """Whether the whole input is one JSON number, string, true, false or null."""
    # A CSV starting with a quoted header fails at once ("Extra data"): this costs nothing.
    if not source.complete:
        try:
            _, end = json.JSONDecoder().raw_decode(stripped)
        except json.JSONDecodeError:
            pass  # the value may run on past the head: look at the whole text
        else:
            if stripped[end:].strip():
                return False  # more follows the value within the head
        stripped = source.read().lstrip()
    try:
        json.loads(stripped)
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
