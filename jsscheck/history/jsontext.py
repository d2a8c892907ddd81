"""Parsing JSON text the way every reader does: no input can make the parser itself fail.

Python's json raises ValueError for an integer of more than 4,300 digits, gives integers of
hundreds of digits that no float holds, and raises RecursionError for arrays nested a hundred
thousand deep. Here a long integer stays its digits (as a string: the value parsers then say it
is too large, or keep it as an id), and deep nesting is an ordinary JSONDecodeError.
"""

from __future__ import annotations

import json
import re
from typing import Any

#: Integers with more digits than this are kept as their digits (a string).
MAX_INT_DIGITS = 300
#: The deepest nesting a message points at when the parser gives up.
MAX_DEPTH = 100
NESTED_TOO_DEEPLY = "nested too deeply"
_STRUCTURE = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def _integer(digits: str) -> int | str:
    return int(digits) if len(digits) <= MAX_INT_DIGITS else digits


_DECODER = json.JSONDecoder(parse_int=_integer)


def loads(text: str) -> Any:
    """`json.loads(text)`; raises only `json.JSONDecodeError` for text that is not JSON."""
    if text.startswith("\ufeff"):
        raise json.JSONDecodeError("Unexpected UTF-8 BOM", text, 0)
    try:
        return _DECODER.decode(text)
    except RecursionError:
        raise json.JSONDecodeError(NESTED_TOO_DEEPLY, text, _too_deep_at(text)) from None


def raw_decode(text: str) -> tuple[Any, int]:
    """`json.JSONDecoder().raw_decode(text)`, with the same guarantees as `loads`."""
    try:
        return _DECODER.raw_decode(text)
    except RecursionError:
        raise json.JSONDecodeError(NESTED_TOO_DEEPLY, text, _too_deep_at(text)) from None


def _too_deep_at(text: str) -> int:
    """Where the nesting first goes deeper than MAX_DEPTH (0 when it never does)."""
    depth = 0
    for match in _STRUCTURE.finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return match.start()
        elif char in "]}":
            depth -= 1
    return 0
