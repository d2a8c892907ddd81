"""Text from a file as messages may show it: control characters visible, long values shortened.

Titles, client names, ids and column names come from clients and exports, so they can hold
terminal escape sequences (`\\x1b]0;…\\x07`) or megabytes of pasted text. Every message that
quotes such text passes it through `visible()` or `brief()` (render/text.py does the same for
tables, with line breaks as spaces).
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: Characters of a value a message shows before cutting it short with "…".
BRIEF_CHARS = 60


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or f"\\x{ord(char):02x}"


def visible(text: object) -> str:
    """`text` with every control character shown as an escape: ESC as `\\x1b`, a line break
    as `\\n`, so that nothing read from a file can move the cursor or recolour a terminal."""
    return _CONTROL.sub(_escape, str(text))


def brief(text: object, limit: int = BRIEF_CHARS) -> str:
    """`visible(text)` cut to `limit` characters (ending with "…" when cut)."""
    whole = str(text)
    head = whole[: 4 * limit]  # never escape megabytes to show sixty characters
    shown = visible(head)
    if len(shown) <= limit and len(head) == len(whole):
        return shown
    return shown[: limit - 1] + "…"
