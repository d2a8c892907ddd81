"""Writing files the crash-only way: a temp file beside the target, fsync, rename.

A temp file holds contract data, so it must not outlive the write: an exception or Ctrl-C
removes it, and so do SIGTERM and SIGHUP (a shutdown, a closed terminal), which would otherwise
end the process without running any cleanup. Only `kill -9` can leave one behind.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from jsscheck.errors import OutputError

#: The signals that end a process politely and would skip the temp file's removal.
TERMINATING_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


_Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers


class Terminated(BaseException):
    """A terminating signal arrived during a write (a BaseException, like KeyboardInterrupt:
    nothing may catch it as an ordinary error)."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"signal {signum}")
        self.signum = signum


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated(signum)


@contextlib.contextmanager
def terminations_raise() -> Iterator[None]:
    """For the block's duration, SIGTERM and SIGHUP raise `Terminated` (so `finally` and
    `except` clauses run); the previous handlers come back afterwards. A signal the process
    ignores (`nohup`) stays ignored. Outside the main thread, signals cannot be handled and
    nothing changes."""
    previous: dict[signal.Signals, _Handler] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in TERMINATING_SIGNALS:
            handler = signal.getsignal(signum)
            if handler is signal.SIG_IGN or handler is None:
                continue
            previous[signum] = handler
            signal.signal(signum, _raise_terminated)
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def _die_of(signum: int) -> None:
    """End the process as the signal would have, now that the temp file is gone (the previous
    handler is back: the default one terminates, a program's own one runs)."""
    os.kill(os.getpid(), signum)
    # A handler that returned (the signal is handled elsewhere): stop this write all the same.
    raise SystemExit(128 + signum)


def write_atomic(path: str | Path, data: bytes, *, mode: int = 0o600) -> None:
    """Write `data` to `path` so a crash leaves the old file or none, never half of one.

    The file is created with `mode` (0600: it holds contract data), not chmod-ed afterwards.
    An error, Ctrl-C, SIGTERM or SIGHUP during the write removes the temp file; after a
    signal the process then ends as that signal ends it.
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        with terminations_raise():
            _write(target, directory, data, mode)
    except Terminated as stopped:
        _die_of(stopped.signum)


def _write(target: Path, directory: Path, data: bytes, mode: int) -> None:
    temp_name: str | None = None
    try:
        try:
            fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=directory)
        except OSError as exc:
            raise OutputError(f"{target}: cannot create the file ({exc.strerror})") from None
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, target)
        temp_name = None
    except BaseException as exc:
        if temp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
        if isinstance(exc, OSError):
            raise OutputError(f"{target}: cannot write the file ({exc.strerror})") from None
        raise


class DeferredInterrupt:
    """Whether a Ctrl-C arrived inside `interrupts_deferred()`."""

    def __init__(self) -> None:
        self.interrupted = False


@contextlib.contextmanager
def interrupts_deferred() -> Iterator[DeferredInterrupt]:
    """For the block's duration a Ctrl-C is only noted (`.interrupted`), so that a write which
    cannot be undone (a committed snapshot) is finished and reported before the program stops;
    the caller decides what to say. Python's handler comes back afterwards. SQLite's own waits
    hold a Ctrl-C back until they end anyway, so this costs no responsiveness."""
    state = DeferredInterrupt()
    if threading.current_thread() is not threading.main_thread():
        yield state
        return

    def note(signum: int, frame: FrameType | None) -> None:
        state.interrupted = True

    previous = signal.signal(signal.SIGINT, note)
    try:
        yield state
    finally:
        signal.signal(signal.SIGINT, previous)
