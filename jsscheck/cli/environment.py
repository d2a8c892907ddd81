"""Where a run's output goes and how it may look: streams, terminals, colour, width.

Commands never call `isatty()` or read/write `os.environ` for this: they ask `current()`.
`run()` installs an `Environment` for the process (or the one a caller passes, e.g. a
`MockEnvironment` in tests), like httpie's Environment/MockEnvironment.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console

#: Width of people's output when it is piped or captured and COLUMNS says nothing.
DEFAULT_WIDTH = 120


@dataclass
class Environment:
    """One run's streams and terminal facts."""

    stdout: TextIO
    stderr: TextIO
    stdout_isatty: bool = False
    stderr_isatty: bool = False
    #: False with NO_COLOR in the environment or --no-color on the command line.
    color: bool = True
    #: Fixed width for output that is not on a terminal (None: ask the terminal).
    width: int | None = DEFAULT_WIDTH
    debug: bool = False

    @classmethod
    def from_process(
        cls,
        *,
        no_color: bool = False,
        debug: bool = False,
        environ: Mapping[str, str] | None = None,
    ) -> Environment:
        """The real process: sys.stdout/sys.stderr, their TTY state, NO_COLOR and COLUMNS."""
        env = os.environ if environ is None else environ
        try:
            width = int(env.get("COLUMNS", "") or DEFAULT_WIDTH)
        except ValueError:
            width = DEFAULT_WIDTH
        return cls(
            stdout=sys.stdout,
            stderr=sys.stderr,
            stdout_isatty=_isatty(sys.stdout),
            stderr_isatty=_isatty(sys.stderr),
            color=not no_color and "NO_COLOR" not in env,
            width=width,
            debug=debug,
        )

    def is_terminal(self, stderr: bool = False) -> bool:
        """Is the stream a person's terminal?"""
        return self.stderr_isatty if stderr else self.stdout_isatty

    def colour_on(self, stderr: bool = False) -> bool:
        """Colour only on a terminal, never with NO_COLOR or --no-color."""
        return self.color and self.is_terminal(stderr)

    def console(self, stderr: bool = False) -> Console:
        """A rich Console for people: colour only on a terminal; a fixed width when piped."""
        from rich.console import Console

        terminal = self.is_terminal(stderr)
        return Console(
            file=self.stderr if stderr else self.stdout,
            no_color=not self.colour_on(stderr),
            force_terminal=terminal,
            width=self.console_width(terminal),
            highlight=False,
            soft_wrap=False,
            color_system="auto" if self.colour_on(stderr) else None,
        )

    def console_width(self, terminal: bool) -> int | None:
        """The width to lay people's output out in: the terminal's own (None: rich asks it),
        else the fixed width."""
        return None if terminal else self.width


def _isatty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


@dataclass
class MockEnvironment(Environment):
    """An environment for tests: in-memory streams, chosen TTY state, colour and width."""

    stdout: TextIO = field(default_factory=io.StringIO)
    stderr: TextIO = field(default_factory=io.StringIO)
    color: bool = False

    def console_width(self, terminal: bool) -> int | None:
        """A pretend terminal is `width` columns wide too."""
        return self.width

    @property
    def out(self) -> str:
        """Everything written on stdout so far."""
        return _text(self.stdout)

    @property
    def err(self) -> str:
        """Everything written on stderr so far."""
        return _text(self.stderr)


def _text(stream: TextIO) -> str:
    return stream.getvalue() if isinstance(stream, io.StringIO) else ""


_current: Environment | None = None


def current() -> Environment:
    """The environment of the run in progress (the real process outside `run()`)."""
    return _current if _current is not None else Environment.from_process()


@contextmanager
def using(env: Environment) -> Iterator[Environment]:
    """Make `env` the current environment for the duration of a run."""
    global _current
    previous, _current = _current, env
    try:
        yield env
    finally:
        _current = previous
