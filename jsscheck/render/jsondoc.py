"""Writing JSON documents whose big arrays are made while they are written.

`score --format json` lists every contract: for 1.5 million contracts, the list of dicts and
the JSON text would each take several times the history's size. A `Streamed` array is made
and written a batch at a time instead; the bytes are exactly those `json.dumps` would give.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

#: Items encoded per `json.dumps` call when streaming.
BATCH = 2_000


class Streamed:
    """A JSON array whose items are produced on demand (each time it is iterated)."""

    def __init__(self, items: Callable[[], Iterable[Any]]) -> None:
        self._items = items

    def __iter__(self) -> Iterator[Any]:
        return iter(self._items())


class Encoded(Streamed):
    """A `Streamed` array that can also write itself: `text()` gives JSON text pieces whose
    concatenation is exactly `json.dumps(list(self), ensure_ascii=False)`."""

    def __init__(
        self, items: Callable[[], Iterable[Any]], text: Callable[[], Iterable[str]]
    ) -> None:
        super().__init__(items)
        self._text = text

    def text(self) -> Iterable[str]:
        return self._text()


def materialized(document: Any) -> Any:
    """`document` with its `Streamed` arrays (values of dicts, at any depth) made lists; a
    `Streamed` inside a list is not looked for (no document puts one there)."""
    if isinstance(document, Streamed):
        return list(document)
    if isinstance(document, dict):
        return {k: materialized(v) for k, v in document.items()}
    return document


def dump(document: Any, write: Callable[[str], Any], *, indent: int | None = None) -> None:
    """Write `document` as JSON through `write`, then a newline.

    `Streamed` values (in dicts at any depth: the report holds the score document) are
    encoded `BATCH` items at a time when compact; with an indent (a person at a terminal)
    the document is simply materialized.
    """
    if indent is not None or not _holds_streamed(document):
        write(json.dumps(materialized(document), indent=indent, ensure_ascii=False) + "\n")
        return
    _write(document, write)
    write("\n")


def _holds_streamed(value: Any) -> bool:
    if isinstance(value, Streamed):
        return True
    return isinstance(value, dict) and any(_holds_streamed(v) for v in value.values())


def _write(value: Any, write: Callable[[str], Any]) -> None:
    if isinstance(value, Encoded):
        for piece in value.text():
            write(piece)
    elif isinstance(value, Streamed):
        write("[")
        items = iter(value)
        separator = ""
        while batch := list(islice(items, BATCH)):
            write(separator + json.dumps(batch, ensure_ascii=False)[1:-1])
            separator = ", "
        write("]")
    elif _holds_streamed(value):
        write("{")
        for position, (key, item) in enumerate(value.items()):
            write((", " if position else "") + json.dumps(key, ensure_ascii=False) + ": ")
            _write(item, write)
        write("}")
    else:
        write(json.dumps(value, ensure_ascii=False))
