"""The window sums of every signal class, from the reduction and the engine's parts.

For one combination of the outcome parameters (weighting aside) and one signal, the engine
gives each footprint its outcome and windows on each date (`contract_parts`). Each group adds
its weights and count to its reading pattern, under a code of (outcome, windows): one
`bincount` per date block, then a fixed 0/1 matrix turns codes into the sums of each window.
A class's sums on a date are those of the patterns it reads as each signal (a matrix product).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from jsscheck.analyses.calibrate.reduce import Reduction, forced
from jsscheck.engine.outcomes import outcomes_at
from jsscheck.engine.windows import contract_parts
from jsscheck.model.rules import RuleSet

#: The kinds of part coded below: success, negative, neutral weights (0: not counted).
_KINDS = 3


@dataclass(frozen=True)
class SignalParts:
    """The footprints' parts under one signal: where each group's part goes on each date
    (flat indices into `shape`, D×P×C: date, pattern, code) and the kept clients of each
    pattern inside each window (D×W×P×M)."""

    index: np.ndarray
    shape: tuple[int, int, int]
    kept: np.ndarray


def signal_parts(
    reduction: Reduction, rules: RuleSet, t: np.ndarray, months: tuple[int, ...], signal: int
) -> SignalParts:
    """Every group's part code when its feedback (where visible) says `signal`."""
    footprints = reduction.footprints
    # Weights come from the groups: count weighting spares the engine computing them here.
    rules = replace(rules, weighting="count")
    out = outcomes_at(footprints, rules, t, forced(reduction.visible, signal))
    part = contract_parts(replace(out, weight=np.ones((1, footprints.size))), t, months)
    kind = ((part.success > 0) * 1 + (part.negative > 0) * 2 + (part.neutral > 0) * 3).astype(
        np.int64
    )
    bits = np.zeros(kind.shape, dtype=np.int64)
    for w in range(len(months)):
        bits |= part.inside[w].astype(np.int64) << w
    code = (kind << len(months)) | bits
    d, patterns = len(t), reduction.patterns
    codes = code_count(len(months))
    index = (np.arange(d)[:, None] * patterns + reduction.group_pattern) * codes
    index = (index + code[:, reduction.group_footprint]).ravel()
    shape = (d, patterns, codes)
    if reduction.group_clients.shape[1] <= 2:
        kept = _least_and_greatest(reduction, index, shape, len(months))
    else:
        kept = kept_clients(reduction, part.inside)
    return SignalParts(index=index, shape=shape, kept=kept)


def _least_and_greatest(
    reduction: Reduction, index: np.ndarray, shape: tuple[int, int, int], windows: int
) -> np.ndarray:
    """`kept_clients` for min_clients ≤ 2, from the groups' part codes: the least and the
    greatest kept client of each pattern's groups per date and code, then per window."""
    clients = reduction.group_clients
    g_count, keep = clients.shape
    d, patterns, codes = shape
    none = reduction.no_client
    result = np.full((d, windows, patterns, keep), none, dtype=np.int64)
    if keep == 0 or g_count == 0:
        return result
    least = np.full(d * patterns * codes, none, dtype=np.int64)
    np.minimum.at(least, index, np.broadcast_to(clients[:, 0], (d, g_count)).ravel())
    bits = (np.arange(codes)[:, None] >> np.arange(windows)) & 1  # C×W
    inside = bits.astype(bool).T[:, None, None, :]  # W×1×1×C
    by_code = least.reshape(shape)
    result[..., 0] = np.where(inside, by_code, none).min(axis=-1).transpose(1, 0, 2)
    if keep == 2:
        top = np.where(clients[:, 1] < none, clients[:, 1], clients[:, 0])
        greatest = np.full(d * patterns * codes, -1, dtype=np.int64)
        np.maximum.at(greatest, index, np.broadcast_to(top, (d, g_count)).ravel())
        by_code = greatest.reshape(shape)
        most = np.where(inside, by_code, -1).max(axis=-1).transpose(1, 0, 2)
        result[..., 1] = np.where(most < 0, none, most)
    return result


def decoder(windows: int) -> np.ndarray:
    """C×4W: code → (success, negative, neutral weight, count) of each window it is in."""
    codes = np.arange(code_count(windows))
    kind, bits = codes >> windows, codes & ((1 << windows) - 1)
    inside = ((bits[:, None] >> np.arange(windows)) & 1).astype(np.float64)  # C×W
    columns = [inside * (kind == k + 1)[:, None] for k in range(_KINDS)]
    return np.concatenate([*columns, inside], axis=1)


def code_count(windows: int) -> int:
    """How many part codes there are with `windows` windows."""
    return (_KINDS + 1) << windows


def by_code(parts: SignalParts, values: np.ndarray) -> np.ndarray:
    """D×P×C: the groups' `values` (D×G, or G for every date) summed per pattern and code."""
    d, patterns, codes = parts.shape
    summed = np.bincount(
        parts.index,
        weights=np.broadcast_to(values, (d, len(parts.index) // d)).ravel(),
        minlength=d * patterns * codes,
    )
    return summed.reshape(parts.shape)


def kept_clients(reduction: Reduction, inside: np.ndarray) -> np.ndarray:
    """inside: W×D×F, each footprint in each window on each date → D×W×P×M: for each reading
    pattern, up to `min_clients` distinct clients of its contracts inside (padded with
    `no_client`) whose distinct count, in any union, is the union's capped at M.

    M ≤ 2: the least and the greatest kept client (a union's distinct clients number at least
    two exactly when its least and greatest differ). Otherwise the M smallest: the j-th is the
    least, over the pattern's groups inside, of each group's first kept client above the
    (j−1)-th (a group's kept list holds its smallest clients, so every one of the union's
    smallest that the group has).
    """
    clients = reduction.group_clients
    g_count, keep = clients.shape
    w, d, _ = inside.shape
    patterns, none = reduction.patterns, reduction.no_client
    result = np.full((w, d, patterns, keep), none, dtype=np.int64)
    if keep == 0 or g_count == 0:
        return result.transpose(1, 0, 2, 3)
    member = inside[:, :, reduction.group_footprint]  # W×D×G
    starts = reduction.pattern_starts
    if keep <= 2:
        least = clients[:, 0]
        result[..., 0] = np.minimum.reduceat(np.where(member, least, none), starts, axis=2)
        if keep == 2:
            greatest = np.where(clients[:, 1] < none, clients[:, 1], least)
            top = np.maximum.reduceat(np.where(member, greatest, -1), starts, axis=2)
            result[..., 1] = np.where(top < 0, none, top)
        return result.transpose(1, 0, 2, 3)
    padded = np.column_stack([clients, np.full(g_count, none)])
    groups = np.arange(g_count)
    previous = np.full((w, d, patterns), -1, dtype=np.int64)
    for j in range(keep):
        above = previous[:, :, reduction.group_pattern]
        position = (clients[None, None] <= above[..., None]).sum(axis=-1)
        candidate = np.where(member, padded[groups, position], none)
        previous = np.minimum.reduceat(candidate, starts, axis=2)
        result[..., j] = previous
    return result.transpose(1, 0, 2, 3)


def client_counts(reduction: Reduction, kept: np.ndarray) -> np.ndarray:
    """kept: S×D×W×P×M (`kept_clients` per signal) → K×D×W distinct clients, capped at M."""
    k_count, d, patterns = reduction.readings.shape
    _, _, w, _, keep = kept.shape
    if keep == 0 or patterns == 0:
        return np.zeros((k_count, d, w), dtype=np.int64)
    chosen = kept[
        reduction.readings[:, :, None, :],
        np.arange(d)[None, :, None, None],
        np.arange(w)[None, None, :, None],
        np.arange(patterns)[None, None, None, :],
    ]  # K×D×W×P×M
    merged = np.sort(chosen.reshape(k_count, d, w, patterns * keep), axis=-1)
    real = merged < reduction.no_client
    distinct = real[..., 0].astype(np.int64) + np.count_nonzero(
        real[..., 1:] & (merged[..., 1:] != merged[..., :-1]), axis=-1
    )
    counts: np.ndarray = np.minimum(distinct, keep)
    return counts
