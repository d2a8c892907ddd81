"""Where output goes: machine formats straight to stdout, people's tables through rich.

JSON and CSV never pass through a rich Console (it wraps lines when piped).
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


def write_json(document: Any) -> None:
    """One JSON document on stdout: indented for a person at a terminal, compact when piped.

    (json's indenting encoder is pure Python: ten times slower on 100,000 contracts.)
    Streamed arrays (`jsscheck.render.jsondoc`) are written a batch at a time.
    """
    from jsscheck.render.jsondoc import dump

    dump(document, sys.stdout.write, indent=2 if sys.stdout.isatty() else None)


def write_text(text: str) -> None:
    """Plain text (markdown) on stdout."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def write_csv(header: list[str], rows: list[list[Any]]) -> None:
    """A CSV table on stdout, formula-like text cells neutralised (jsscheck.render.csvsafe)."""
    from jsscheck.render.csvsafe import safe_cell, writer

    out = writer(sys.stdout)
    out.writerow(header)
    for row in rows:
        out.writerow([safe_cell(v) for v in row])


def color_allowed(stream: Any) -> bool:
    """Colour only on a terminal, never with NO_COLOR or --no-color."""
    return bool(stream.isatty()) and "NO_COLOR" not in os.environ


def console(stderr: bool = False) -> Console:
    """A rich Console for people: colour only on a terminal; a fixed width when piped."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    terminal = stream.isatty()
    width = None if terminal else int(os.environ.get("COLUMNS", "120") or 120)
    return Console(
        file=stream,
        no_color=not color_allowed(stream),
        force_terminal=False if not terminal else None,
        width=width,
        highlight=False,
        soft_wrap=False,
    )


def warn(message: str) -> None:
    """A warning on stderr."""
    with contextlib.suppress(BrokenPipeError, OSError):
        sys.stderr.write(f"jsscheck: warning: {message}\n")
