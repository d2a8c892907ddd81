"""The one error hierarchy of jsscheck.

Core code raises a `JsscheckError` subclass carrying its exit code (CLI.md, "Exit codes") and a
hint that says how to fix the problem. The CLI translates it into one message on stderr and the
exit code, in one place (`jsscheck.cli.app.run`). Nothing else calls `sys.exit`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

MAX_PROBLEMS_SHOWN = 20


class ExitCode(IntEnum):
    """CLI.md "Exit codes" (the sysexits.h numbers where one fits)."""

    OK = 0
    ALERT = 1  # an alert the user asked for tripped (--fail-below, --fail-on-drop)
    USAGE = 2  # a bad option, preset, edit spec or rules file
    DATA_ERR = 65  # the input data is invalid
    NO_INPUT = 66  # an input file is missing or unreadable
    SOFTWARE = 70  # a bug
    CANT_CREATE = 73  # an output file or the store cannot be created
    IO_ERR = 74  # an I/O error, or a store that is not ours or corrupt
    TEMP_FAIL = 75  # the store is busy: try again later
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)


class JsscheckError(Exception):
    """Base class: a failure with a documented exit code and a one-line message."""

    exit_code: int = ExitCode.SOFTWARE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def lines(self) -> list[str]:
        """The lines to print on stderr, without the program prefix."""
        text = self.message
        if self.hint:
            text = f"{text} — {self.hint}"
        return [text]


class AlertTripped(JsscheckError):
    """An alert the user asked for (`--fail-below`, `--fail-on-drop`) tripped."""

    exit_code: int = ExitCode.ALERT


class UsageError(JsscheckError):
    """A bad option, edit spec, preset name or rules file parameter."""

    exit_code: int = ExitCode.USAGE


@dataclass(frozen=True)
class Problem:
    """One problem found in an input: where it is, what is wrong, and how to fix it.

    `location` is the physical line in the file (header = line 1) for CSV and JSON Lines,
    or `[index]` for a JSON array element; empty when the problem concerns the whole file.
    """

    file: str
    location: str
    field: str
    problem: str
    value: str | None = None
    fix: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.location}" if self.location else self.file
        text = f"{where}: {self.field}: " if self.field else f"{where}: "
        text += self.problem
        if self.value is not None:
            text += f" (got {_quote_value(self.value)})"
        if self.fix:
            text += f" — {self.fix}"
        return text


def _quote_value(value: str, limit: int = 60) -> str:
    """Show only the offending value, shortened, with control characters visible (`\\x1b`):
    never a whole row (privacy, readability), never an escape sequence for the terminal."""
    from jsscheck.model.text import brief

    return "'" + brief(value, limit) + "'"


class InvalidInputError(JsscheckError):
    """The input data is invalid (FORMATS.md section 3): every problem, at most 20 shown."""

    exit_code: int = ExitCode.DATA_ERR

    def __init__(self, problems: list[Problem]) -> None:
        count = len(problems)
        super().__init__(f"the history is invalid: {count} problem{'s' if count != 1 else ''}")
        self.problems = problems

    def lines(self) -> list[str]:
        shown = [str(p) for p in self.problems[:MAX_PROBLEMS_SHOWN]]
        rest = len(self.problems) - MAX_PROBLEMS_SHOWN
        if rest > 0:
            shown.append(f"… and {rest} more problem{'s' if rest != 1 else ''}")
        return shown


class InputNotFoundError(JsscheckError):
    """An input file does not exist or cannot be opened."""

    exit_code: int = ExitCode.NO_INPUT


class InternalError(JsscheckError):
    """A bug: the CLI asks the user to report it."""

    exit_code: int = ExitCode.SOFTWARE


class OutputError(JsscheckError):
    """An output file or the store cannot be created."""

    exit_code: int = ExitCode.CANT_CREATE


class IOFailure(JsscheckError):
    """An I/O error while reading or writing (including a store that is not ours or corrupt)."""

    exit_code: int = ExitCode.IO_ERR


class StoreBusyError(JsscheckError):
    """Another jsscheck holds the snapshot store; try again later."""

    exit_code: int = ExitCode.TEMP_FAIL
