"""Streamed JSON arrays: written a batch at a time, the same bytes as json.dumps."""

from __future__ import annotations

import json

import pytest

from jsscheck.render import jsondoc as jsonout
from jsscheck.render.jsondoc import Streamed, dump


def written(document: object, indent: int | None = None) -> str:
    parts: list[str] = []
    dump(document, parts.append, indent=indent)
    return "".join(parts)


@pytest.mark.parametrize("count", [0, 1, 2, 3, 7])
def test_a_streamed_array_gives_the_bytes_json_dumps_gives(
    count: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jsonout, "BATCH", 3)  # batches of 3: 7 items are 3 + 3 + 1
    items = [{"id": f"c{i}", "title": "Café", "weight": i / 3} for i in range(count)]
    document = {"schema": "x/1", "contracts": Streamed(lambda: iter(items)), "after": [1, None]}
    expected = json.dumps(
        {"schema": "x/1", "contracts": items, "after": [1, None]}, ensure_ascii=False
    )
    assert written(document) == expected + "\n"
    assert (
        written(document, indent=2)
        == json.dumps(json.loads(expected), indent=2, ensure_ascii=False) + "\n"
    )


def test_items_are_made_while_written_not_before(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonout, "BATCH", 2)
    made: list[int] = []
    parts: list[str] = []

    def items():  # type: ignore[no-untyped-def]
        for i in range(5):
            made.append(i)
            yield i

    def write(text: str) -> None:
        parts.append(f"{len(made)}:{text}")

    dump({"a": Streamed(items)}, write)
    # each batch is written before the next is made
    assert parts == ["0:{", '0:"a": ', "0:[", "2:0, 1", "4:, 2, 3", "5:, 4", "5:]", "5:}", "5:\n"]


def test_a_streamed_array_inside_a_nested_document_is_streamed_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The report's document holds the score document, whose contracts are streamed.
    monkeypatch.setattr(jsonout, "BATCH", 2)
    items = [{"id": i} for i in range(5)]
    made: list[int] = []

    def rows():  # type: ignore[no-untyped-def]
        for item in items:
            made.append(1)
            yield item

    document = {
        "schema": "r/1",
        "score": {"jss": 88, "contracts": Streamed(rows), "empty": Streamed(lambda: iter([]))},
        "contracts": items[:2],
    }
    expected = {"schema": "r/1", "score": {"jss": 88, "contracts": items, "empty": []}}
    expected["contracts"] = items[:2]
    parts: list[str] = []
    dump(document, parts.append)
    assert "".join(parts) == json.dumps(expected, ensure_ascii=False) + "\n"
    assert max(len(p) for p in parts) < len(json.dumps(items))  # never the whole list at once
    assert len(made) == 5
    assert written(document, indent=1) == json.dumps(expected, indent=1) + "\n"
