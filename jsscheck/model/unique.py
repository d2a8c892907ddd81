"""The distinct values of an integer array, as `np.unique` gives them, without its cost at start-up.

`np.unique` checks for masked arrays through `np.ma`, which numpy imports on first use: 8–15 ms
of every command that scores a date, about a tenth of `score`'s run on a typical history. Day
numbers, codes and window masks are plain integers, so a sort and a comparison do the same job.
"""

from __future__ import annotations

import numpy as np


def unique_ints(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of an integer array (flattened), like `np.unique(values)`."""
    ordered = np.sort(values, axis=None)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def unique_ints_inverse(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct values, index of each value in them), like `np.unique(values,
    return_inverse=True)` for a 1-D integer array."""
    distinct = unique_ints(values)
    return distinct, np.searchsorted(distinct, values)
