"""history/distinct.py: the distinct values of a text column, by hashing bytes column-wise."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jsscheck.history import distinct
from jsscheck.model.table import TextColumn


def test_codes_in_first_seen_order() -> None:
    column = TextColumn.of(["b", "a", "b", "ab", "a", "", "ba"])
    codes, first = distinct.codes_of(column)
    # b → 0, a → 1, ab → 2, "" → 3, ba → 4 ("ab" and "ba" have the same bytes, not in order).
    assert codes.tolist() == [0, 1, 0, 2, 1, 3, 4]
    assert first.tolist() == [0, 1, 3, 5, 6]


@given(st.lists(st.text(alphabet="ab c\t-", max_size=5), max_size=40))
def test_the_same_as_a_dict(values: list[str]) -> None:
    found = distinct.codes_of(TextColumn.of(values))
    assert found is not None
    lookup: dict[str, int] = {}
    expected = [lookup.setdefault(v, len(lookup)) for v in values]
    assert found[0].tolist() == expected
    assert [values[i] for i in found[1].tolist()] == list(lookup)


def test_a_hash_collision_is_noticed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(distinct, "_PRIME", np.uint64(0))  # every value hashes to 0
    assert distinct.codes_of(TextColumn.of(["x", "y"])) is None
    assert distinct.codes_of(TextColumn.of(["x", "x"])) is not None  # equal: no collision


def test_what_it_leaves_to_a_dict() -> None:
    assert distinct.codes_of(TextColumn.of(["Café"])) is None  # not ASCII
    assert distinct.codes_of(TextColumn.of(["a", None])) is None  # a missing value
    assert distinct.codes_of(TextColumn.of(["x" * 65])) is None  # longer than MAX_LENGTH
    codes, first = distinct.codes_of(TextColumn.of(["", ""]))
    assert codes.tolist() == [0, 0] and first.tolist() == [0]
    codes, first = distinct.codes_of(TextColumn.of([]))
    assert codes.tolist() == [] and first.tolist() == []
