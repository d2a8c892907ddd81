"""The distinct values of a text column, found with array arithmetic instead of a dict.

A million client names or contract ids as Python strings, hashed one by one into a dict, take a
second or more; their bytes, hashed column-wise with numpy and sorted, take a fraction of it.
Equal hashes are then checked byte by byte, so the result is exact: on a collision (or text
this does not handle) the caller's dict-based way is used instead.
"""

from __future__ import annotations

import numpy as np

from jsscheck.model.table import TextColumn

#: Longer values are left to the dict-based way (hashing them column-wise costs more).
MAX_LENGTH = 64
_PRIME = np.uint64(0x100000001B3)  # FNV-1a's 64-bit prime
_OFFSET = np.uint64(0xCBF29CE484222325)


def codes_of(column: TextColumn) -> tuple[np.ndarray, np.ndarray] | None:
    """(code of each value, position of each code's first value), codes numbered in the order
    their values first appear; None when the column is not plain ASCII without missing values
    of at most MAX_LENGTH characters, or two different values share a hash."""
    n = len(column)
    if column.missing is not None or not column.text.isascii():
        return None
    if not n:
        return np.zeros(0, np.int32), np.zeros(0, np.int64)
    text = np.frombuffer(column.text.encode("ascii") + bytes(MAX_LENGTH), dtype=np.uint8)
    starts = column.bounds[:-1]
    lengths = np.diff(column.bounds)
    width = int(lengths.max())
    if width > MAX_LENGTH:
        return None
    windows = np.lib.stride_tricks.sliding_window_view(text, max(width, 1))
    cells = windows[starts]  # (n, width): each value's bytes, then whatever follows it
    cells = np.where(np.arange(width)[None, :] < lengths[:, None], cells, 0)
    hashes = np.full(n, _OFFSET, dtype=np.uint64) ^ lengths.astype(np.uint64)
    for k in range(width):
        hashes = (hashes ^ cells[:, k].astype(np.uint64)) * _PRIME
    first, inverse = _groups(hashes)
    same = first[inverse]
    if not (np.array_equal(lengths[same], lengths) and np.array_equal(cells[same], cells)):
        return None  # two different values with one hash
    order = np.argsort(first, kind="stable")
    rank = np.empty(len(order), dtype=np.int32)
    rank[order] = np.arange(len(order), dtype=np.int32)
    return rank[inverse], first[order]


def _groups(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(the first position of each distinct key, each position's group), groups in key order
    (np.unique's return_index and return_inverse, without its stable sort)."""
    order = np.argsort(keys)
    ordered = keys[order]
    new = np.empty(len(keys), dtype=bool)
    new[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    inverse = np.empty(len(keys), dtype=np.int64)
    if len(starts) == len(keys):  # every key distinct (contract ids)
        inverse[order] = np.arange(len(keys))
        return order, inverse
    first = np.minimum.reduceat(order, starts)
    sizes = np.diff(np.append(starts, len(keys)))
    inverse[order] = np.repeat(np.arange(len(starts)), sizes)
    return first, inverse
