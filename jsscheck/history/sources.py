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
from typing import TYPE_CHECKING, Any, BinaryIO, TypeAlias

from jsscheck.errors import InputNotFoundError, IOFailure, Problem, UsageError
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

if TYPE_CHECKING:
    from jsscheck.history.transactions import TransactionFile
    from jsscheck.history.weekly import WeeklyFile

# The readers of JSON and of Upwork's exports are imported when an input needs them: a
# canonical CSV, the usual input, is read without them (a few milliseconds of start-up).

#: Values of `--input-format`.
INPUT_FORMATS: tuple[str, ...] = (
    "csv",
    "json",
    "jsonl",
    "upwork-json",
    "upwork-graphql",
    "weekly-summary",
    "transactions",
)
#: What one input reads into.
Parsed: TypeAlias = "ParsedFile | WeeklyFile | TransactionFile"
STDIN_NAME = "<stdin>"


#: The most bytes read from a pipe, a device or standard input that is not a file: an endless
#: stream (`/dev/zero`, a FIFO that never closes) stops here instead of filling the memory.
MAX_STREAM_BYTES = 512 * 1024 * 1024
_STREAM_FIX = "save it to a file first and pass the file (a file on disk has no size limit)"


class StreamTooLarge(Exception):
    """A pipe or device gave more than MAX_STREAM_BYTES."""


@dataclass
class RawInput:
    """One input: the name problems give it, and its open stream, read once by `read()`.

    Every input is read exactly once, whole, into bytes: the sha256 the snapshot store records
    is that of the very bytes parsed, even when another program rewrites the file meanwhile.
    """

    name: str
    stream: BinaryIO | None = None
    #: A regular file (size known); pipes, devices and terminals are capped at MAX_STREAM_BYTES.
    regular: bool = True
    data: bytes | None = None
    #: Whether `read()` closes the stream (not standard input's).
    owned: bool = True

    def read(self) -> bytes:
        """All the input's bytes (read on the first call, then kept until `data` is dropped).

        Raises `StreamTooLarge` past MAX_STREAM_BYTES of a non-regular input, `IOFailure`
        (exit 74) when reading fails.
        """
        if self.data is not None or self.stream is None:
            return self.data or b""
        stream, self.stream = self.stream, None
        try:
            if self.regular:
                self.data = stream.read()
            else:
                self.data = _read_capped(stream)
        except OSError as exc:
            raise IOFailure(
                f"{self.name}: cannot be read ({exc.strerror or exc})",
                hint="check the file or device, then run the command again",
            ) from exc
        finally:
            if self.owned:
                stream.close()
        return self.data

    def open(self) -> BinaryIO:
        """A fresh binary stream over the input's bytes, from its first byte."""
        return io.BytesIO(self.read())


def _read_capped(stream: BinaryIO) -> bytes:
    blocks: list[bytes] = []
    total = 0
    while block := stream.read(BLOCK_BYTES):
        total += len(block)
        if total > MAX_STREAM_BYTES:
            raise StreamTooLarge
        blocks.append(block)
    return b"".join(blocks)


def check_input_format(input_format: str | None) -> None:
    """Raise `UsageError` for an `--input-format` that is not one of INPUT_FORMATS."""
    if input_format is not None and input_format not in INPUT_FORMATS:
        raise UsageError(
            f"unknown input format '{input_format}'",
            hint=f"use one of {', '.join(INPUT_FORMATS)}",
        )


def load_input(source: str) -> RawInput:
    """Open a path (or standard input, for `-`), to be read whole, once, by `RawInput.read`.

    Raises `InputNotFoundError` (exit 66) for a missing path, a directory or an unreadable file.
    """
    if source == "-":
        if sys.stdin is None:  # started with standard input closed (`<&-`)
            raise InputNotFoundError(
                "standard input (-) is closed", hint="pipe the history in, or pass a file"
            )
        stdin = sys.stdin.buffer
        return RawInput(STDIN_NAME, stdin, regular=_is_regular(stdin), owned=False)
    if os.path.isdir(source):
        raise InputNotFoundError(f"{source}: is a directory", hint="pass a history file")
    try:
        stream = open(source, "rb")  # noqa: SIM115 (RawInput.read closes it)
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
    return RawInput(source, stream, regular=_is_regular(stream))


def _is_regular(stream: BinaryIO) -> bool:
    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (OSError, ValueError):  # no file descriptor (a test's stand-in for stdin)
        return False


def parse_input(
    raw: RawInput,
    dayfirst: bool,
    input_format: str | None,
    digest: Any = None,
    include_agency: bool = False,
) -> Parsed:
    """Decode one input, detect its format (unless forced) and read it.

    Its bytes are fed to `digest` (the snapshot store's sha256) while they are checked.
    """
    name = raw.name
    try:
        data = raw.read()
    except StreamTooLarge:
        return _failed(
            name,
            f"more than {MAX_STREAM_BYTES // 2**20} MiB from a pipe or device "
            "(an endless stream?): not read",
            _STREAM_FIX,
        )
    if digest is not None:
        digest.update(data)

    def blocks() -> Iterator[bytes]:
        return (data[at : at + BLOCK_BYTES] for at in range(0, len(data), BLOCK_BYTES))

    try:
        encoding, encoding_warning = choose_encoding(blocks(), blocks)
    except NotText as exc:
        return _failed(name, "not a text file", exc.fix)
    source = TextInput(name, encoding, encoding_warning, raw.open)
    parsed = _dispatch(source, dayfirst, input_format, include_agency)
    if encoding_warning:
        parsed.warnings.insert(0, f"{name}: {encoding_warning}")
    return parsed


def _failed(name: str, problem: str, fix: str | None, location: str = "") -> ParsedFile:
    parsed = ParsedFile(name, "unknown")
    parsed.problems.append(Problem(name, location, "", problem, None, fix))
    return parsed


def _dispatch(
    source: TextInput, dayfirst: bool, input_format: str | None, include_agency: bool
) -> Parsed:
    name = source.name
    stripped = source.head.lstrip()
    if not stripped and not source.complete:  # a megabyte of blank lines first
        stripped = source.read().lstrip()
    if not stripped:
        return _failed(name, "no contracts: the file is empty", canonical.NO_CONTRACTS_FIX)
    if input_format == "csv":
        return canonical.read_csv(source, dayfirst)
    if input_format == "jsonl":
        from jsscheck.history import json_records

        return json_records.read_jsonl(source.read(), name, dayfirst)
    if input_format == "weekly-summary":
        from jsscheck.history import weekly

        return weekly.read_weekly_rows(source, dayfirst)
    if input_format == "transactions":
        from jsscheck.history import transactions

        return transactions.read_transactions(source, dayfirst)
    if input_format in ("json", "upwork-json", "upwork-graphql") or stripped[0] in "[{":
        return _read_json(source.read(), name, dayfirst, input_format, include_agency)
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
        from jsscheck.history import weekly

        return weekly.read_weekly_rows(source, dayfirst)
    if upwork.is_transaction_header(header):
        from jsscheck.history import transactions

        return transactions.read_transactions(source, dayfirst)
    return canonical.read_csv(source, dayfirst)


def _header_cells(text: str) -> list[str]:
    header = first_record_text(blank_leading_comments(text))
    try:
        return next(csv.reader(io.StringIO(header), delimiter=sniff_delimiter(header)), [])
    except csv.Error:
        return []


def _read_json(
    text: str, name: str, dayfirst: bool, input_format: str | None, include_agency: bool = False
) -> ParsedFile:
    from jsscheck.history import graphql, json_records, jsontext, work_history

    try:
        document: Any = jsontext.loads(text)
    except json.JSONDecodeError as exc:
        # Several values in a row are JSON Lines (unless JSON was asked for).
        if input_format is None and (exc.msg == "Extra data" or _first_line_is_object(text)):
            return json_records.read_jsonl(text, name, dayfirst)
        parsed = ParsedFile(name, "unknown")
        problem = json_records.json_error(name, text, exc)
        parsed.problems.append(problem)
        return parsed
    if input_format == "upwork-json" or (input_format is None and upwork.is_work_history(document)):
        if not upwork.is_work_history(document):
            return _failed(
                name,
                "not an Upwork work-history export (no pageItems)",
                "pass the JSON the profile page loads, or drop --input-format",
            )
        return work_history.read_work_history(document, name, dayfirst, include_agency)
    if input_format == "upwork-graphql" or (input_format is None and graphql.is_graphql(document)):
        if not graphql.is_graphql(document):
            return _failed(
                name,
                "not a saved talentWorkHistory response (no workHistoryList)",
                "save the GraphQL response unchanged, or drop --input-format",
            )
        return graphql.read_graphql(document, name, dayfirst)
    single = isinstance(document, dict) and "contracts" not in document
    if single and _looks_like_contract(document):
        # One contract object alone: JSON Lines with a single line.
        parsed = ParsedFile(name, "canonical")
        json_records.records_from_objects(parsed, [("1", document)], dayfirst)
        return parsed
    return json_records.read_json_document(document, name, dayfirst)


_JSON_SHAPE_FIX = 'expected an array of contracts or {"contracts": [...]}'


def _is_json_scalar(stripped: str, source: TextInput) -> bool:
    """Whether the whole input is one JSON number, string, true, false or null."""
    from jsscheck.history import jsontext

    # A CSV starting with a quoted header fails at once ("Extra data"): this costs nothing.
    if not source.complete:
        try:
            _, end = jsontext.raw_decode(stripped)
        except json.JSONDecodeError:
            pass  # the value may run on past the head: look at the whole text
        else:
            if stripped[end:].strip():
                return False  # more follows the value within the head
        stripped = source.read().lstrip()
    try:
        jsontext.loads(stripped)
    except json.JSONDecodeError:
        return False
    return True


def _first_line_is_object(text: str) -> bool:
    from jsscheck.history import jsontext

    first = text.lstrip().split("\n", 1)[0]
    try:
        return isinstance(jsontext.loads(first), dict) and "\n" in text.strip()
    except json.JSONDecodeError:
        return False


def _looks_like_contract(document: dict[str, Any]) -> bool:
    return any(normalize_column(str(key)) in COLUMN_TO_FIELD for key in document)
