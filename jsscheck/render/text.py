"""Text that came from a file (titles, client names, ids): safe to print anywhere.

Titles and client names are written by clients and by Upwork's exports, so they can hold
anything: rich markup such as `[URGENT]` or `[/red]`, terminal escape sequences, line breaks.
Every renderer passes such text through `plain()` (plain text, markdown, CSV-free places) or
`markup()` (a cell or sentence that a rich Console will read as markup).
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if char in "\n\r\t":
        return " "
    return f"\\x{ord(char):02x}"


def plain(text: object) -> str:
    """`text` with control characters shown visibly (`\\x1b`), line breaks as spaces."""
    return _CONTROL.sub(_visible, str(text))


def markup(text: object) -> str:
    """`plain(text)`, escaped so that rich prints it exactly (`[URGENT]` stays `[URGENT]`)."""
    from rich.markup import escape

    return escape(plain(text))


_CONTROL_KEEP_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def for_terminal(text: str) -> str:
    """A whole file's text (a CSV or JSON document) for a terminal: control characters shown
    visibly (`\\x1b`) so a title cannot drive the terminal; line breaks and tabs kept."""
    return _CONTROL_KEEP_LINES.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
