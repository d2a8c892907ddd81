"""`unique_ints` gives what `np.unique` gives, for the integer arrays the engine passes it."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from jsscheck.model.unique import unique_ints, unique_ints_inverse

INTS = arrays(np.int64, st.integers(0, 60), elements=st.integers(-(2**40), 2**40))


@given(INTS)
def test_unique_ints_is_np_unique(values: np.ndarray) -> None:
    assert np.array_equal(unique_ints(values), np.unique(values))


@given(INTS)
def test_unique_ints_inverse_is_np_unique_return_inverse(values: np.ndarray) -> None:
    distinct, inverse = unique_ints_inverse(values)
    expected, expected_inverse = np.unique(values, return_inverse=True)
    assert np.array_equal(distinct, expected)
    assert np.array_equal(inverse, expected_inverse)
    assert np.array_equal(distinct[inverse], values)


def test_by_hand() -> None:
    distinct, inverse = unique_ints_inverse(np.array([20_400, 20_000, 20_400, 19_000]))
    assert distinct.tolist() == [19_000, 20_000, 20_400]
    assert inverse.tolist() == [2, 1, 2, 0]
    assert unique_ints(np.array([[3, 1], [3, 2]])).tolist() == [1, 2, 3]  # flattened
    assert unique_ints(np.zeros(0, np.int64)).tolist() == []
