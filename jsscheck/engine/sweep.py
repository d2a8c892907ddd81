"""Window sums at many dates in one sweep over each contract's constant segments.

Between a contract's own change days (its start, feedback day, end, grace end, last payment,
idle and long-term days, 90-day weight steps, `private_until`: the days `changes` lists) its
outcome, weight and anchor are constant, and its membership of a window is then an interval
of dates: from its anchor until the window's start passes the anchor. So each contract is
evaluated once per segment (`outcomes_at` on (contract, day) pairs), each membership interval
adds its weight at its first date and takes it away after its last (bincount + cumsum), and
a client is present in a window on the dates where the running count of its contracts there
is positive. Memory stays bounded: contracts are swept in blocks of whole clients.

Sums of weights are exact in any order when every weight is a multiple of 1/1024 and the
totals stay far below 2**53 (counts, tiers, whole-dollar earnings); otherwise `window_sums_swept`
returns None and the caller evaluates date by date, so results never move by float dust.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import numpy as np

from jsscheck.engine.outcomes import Outcome, Outcomes, Reason, outcomes_at
from jsscheck.engine.windows import WindowSums, window_starts
from jsscheck.model.days import to_days
from jsscheck.model.rules import RuleSet
from jsscheck.model.table import ContractTable

#: Contracts per block of the sweep (each has a few segments; ~100 bytes a segment and window).
_BLOCK_CONTRACTS = 50_000
_DAYS_PER_STEP = 90
#: Weights that are multiples of 1/_GRAIN sum exactly in any order (below _EXACT_LIMIT).
_GRAIN = 1024.0
_EXACT_LIMIT = 2.0**40
_COLUMNS = (
    "public",
    "private",
    "flagged",
    "has_feedback_day",
    "feedback_day",
    "start",
    "has_end",
    "end",
    "has_last_payment",
    "last_payment",
    "earnings",
    "excluded",
    "disputed",
    "paid_periods",
)


class _Gathered:
    """The columns `outcomes_at` reads, at chosen positions (no ids or titles copied)."""

    def __init__(self, arr: ContractTable, index: np.ndarray) -> None:
        for name in _COLUMNS:
            setattr(self, name, getattr(arr, name)[index])
        self.size = len(index)


def outcomes_of_pairs(
    arr: ContractTable, rules: RuleSet, index: np.ndarray, day: np.ndarray
) -> Outcomes:
    """`outcomes_at` of contract `index[j]` at day `day[j]`, for every j (arrays 1×M)."""
    table = cast(ContractTable, _Gathered(arr, index))
    out = outcomes_at(table, rules, day[None, :])
    weight = np.broadcast_to(out.weight, out.outcome.shape)
    return Outcomes(out.outcome[0], out.reason[0], weight[0], out.anchor[0])


def own_change_days(
    arr: ContractTable, rules: RuleSet, lo: int, hi: int
) -> tuple[np.ndarray, np.ndarray]:
    """(contract, day) pairs, sorted, of every day in (lo, hi] on which a contract's outcome,
    reason, weight or anchor may change, plus (contract, lo) for every contract.

    The per-contract form of `changes.change_points` (without the window exits, which the
    sweep derives from the anchors). Over-inclusive is harmless.
    """
    n = arr.size
    never = np.int64(lo)  # a day outside (lo, hi]: dropped below
    columns = [
        arr.start,
        np.where(arr.has_feedback_day, arr.feedback_day, never),
        np.where(arr.has_end, arr.end, never),
        np.where(arr.has_end, arr.end + rules.feedback_grace_days, never),
        np.where(arr.has_last_payment, arr.last_payment, never),
    ]
    if rules.use_private and rules.private_until is not None:
        columns.append(np.full(n, to_days(rules.private_until), dtype=np.int64))
    if rules.long_term_days is not None:
        columns.append(arr.start + rules.long_term_days + 1)
    if rules.idle_open_days is not None:
        for base, has in ((arr.start, None), (arr.last_payment, arr.has_last_payment)):
            idle_day = base + rules.idle_open_days
            for day in (idle_day + 1, idle_day + rules.feedback_grace_days):
                columns.append(day if has is None else np.where(has, day, never))
    if rules.weighting == "tiers":
        until = np.where(arr.has_end, np.minimum(arr.end, hi), hi)
        first_step = np.maximum(1, -((arr.start - lo - 1) // _DAYS_PER_STEP))
        for j in range((hi - lo) // _DAYS_PER_STEP + 2):
            step = arr.start + _DAYS_PER_STEP * (first_step + j)
            columns.append(np.where(step <= until, step, never))
    days = np.stack([np.asarray(c, dtype=np.int64) for c in columns], axis=1)
    keep = (days > lo) & (days <= hi)
    contract, column = np.nonzero(keep)
    span = hi - lo + 1
    key = np.concatenate([contract * span + (days[contract, column] - lo), np.arange(n) * span])
    key = _unique(key)
    return key // span, key % span + lo


@dataclass(frozen=True)
class Segments:
    """Counted constant segments of contracts over the sorted dates T (date indices).

    Segment j is contract `contract[j]` with `weight[j]`, `outcome[j]`; in window k it is
    inside on date indices [first[j, k], stop[j, k]) (empty when first ≥ stop).
    `changes` are (contract, date index) of every segment, counted or not, as contract·D+index.
    """

    contract: np.ndarray
    changes: np.ndarray
    outcome: np.ndarray
    weight: np.ndarray
    first: np.ndarray
    stop: np.ndarray


def segments(arr: ContractTable, rules: RuleSet, t: np.ndarray, starts: np.ndarray) -> Segments:
    """The counted segments of every contract of `arr` over sorted unique days `t`
    (`starts`: `window_starts(t, months)`, D×K, non-decreasing down each column)."""
    lo, hi = int(t[0]), int(t[-1])
    contract, day = own_change_days(arr, rules, lo, hi)
    # A segment lasts until the next change day of the same contract.
    same = np.append(contract[1:] == contract[:-1], False)
    end_day = np.where(same, np.append(day[1:], 0), hi + 1)
    out = outcomes_of_pairs(arr, rules, contract, day)
    changes = contract * len(t) + np.searchsorted(t, day, "left")
    counted = out.outcome != Outcome.EXCLUDED
    contract, day, end_day = contract[counted], day[counted], end_day[counted]
    outcome, weight, anchor = out.outcome[counted], out.weight[counted], out.anchor[counted]
    # An open long-term contract is anchored at t itself (unless at its known last payment):
    # inside every window for its whole segment.
    at_t = out.reason[counted] == Reason.LONG_TERM_ACTIVE
    if rules.anchor == "last_payment":
        paid = arr.has_last_payment[contract] & (arr.last_payment[contract] <= day)
        at_t &= ~paid
    boundary = np.searchsorted(t, day, "left")
    stop_all = np.searchsorted(t, end_day, "left")
    # Counted from the anchor on (anchor ≤ t), inside while the window start ≤ anchor.
    from_anchor = np.where(at_t, boundary, np.maximum(boundary, np.searchsorted(t, anchor, "left")))
    first = np.repeat(from_anchor[:, None], starts.shape[1], axis=1)
    stop = np.empty_like(first)
    for k in range(starts.shape[1]):
        exits = np.searchsorted(starts[:, k], anchor, "right")
        stop[:, k] = np.where(at_t, stop_all, np.minimum(stop_all, exits))
    return Segments(contract, changes, outcome, weight, first, stop)


def _unique(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values of an int64 array (a sort: faster than hashing large keys)."""
    values = np.sort(values)
    return values[np.append(True, values[1:] != values[:-1])] if len(values) else values


def _blocks(starts: np.ndarray, size: int) -> list[tuple[int, int]]:
    """Ranges of contracts of about _BLOCK_CONTRACTS each, cut between client groups."""
    cuts = [0]
    for s in starts.tolist():
        if s - cuts[-1] >= _BLOCK_CONTRACTS:
            cuts.append(s)
    cuts.append(size)
    return [(a, b) for a, b in zip(cuts[:-1], cuts[1:], strict=True) if b > a]


def _exact(weight: np.ndarray, total: int) -> bool:
    scaled = weight * _GRAIN
    return bool(np.all(scaled == np.floor(scaled))) and (
        len(weight) == 0 or float(np.abs(weight).max()) * max(total, 1) < _EXACT_LIMIT
    )


def present_clients(client: np.ndarray, first: np.ndarray, stop: np.ndarray, d: int) -> np.ndarray:
    """How many distinct clients have an interval covering each of d date indices (D+1 diffs)."""
    keep = first < stop
    client, first, stop = client[keep], first[keep], stop[keep]
    if len(client) == 0:
        return np.zeros(d + 1, dtype=np.int64)
    key = np.concatenate([client * (d + 1) + first, client * (d + 1) + stop])
    delta = np.concatenate([np.ones(len(first), np.int64), -np.ones(len(stop), np.int64)])
    order = np.argsort(key, kind="stable")
    key, delta = key[order], delta[order]
    heads = np.flatnonzero(np.append(True, key[1:] != key[:-1]))
    unique = key[heads]
    running = np.cumsum(np.add.reduceat(delta, heads))
    # Each client's changes add up to 0, so the running count restarts at 0 for every client.
    present = (running > 0).astype(np.int64)
    change = present - np.append(0, present[:-1])
    return np.bincount(unique % (d + 1), weights=change, minlength=d + 1).astype(np.int64)


def window_sums_swept(
    arr: ContractTable,
    starts_of_clients: np.ndarray,
    rules: RuleSet,
    days: np.ndarray,
    events: list[np.ndarray] | None = None,
) -> WindowSums | None:
    """The window sums at sorted unique `days` (what `window_sums` gives date by date).

    `arr` is grouped by client (`starts_of_clients`: where each group starts). None when the
    weights could not be summed exactly in another order (the caller goes date by date).
    With `events`, appends arrays of `index * arr.size + contract`: on date index `index` (> 0)
    the contract's footprint (outcome, weight or windows) may differ from date index − 1.
    """
    months = rules.candidate_windows
    d, k_count = len(days), len(months)
    starts = window_starts(days, months)
    if d == 0 or np.any(np.diff(starts, axis=0) < 0):
        return None
    diffs = {name: np.zeros((d + 1, k_count)) for name in ("success", "negative", "total")}
    contracts = np.zeros((d + 1, k_count), dtype=np.int64)
    clients = np.zeros((d + 1, k_count), dtype=np.int64)
    for a, b in _blocks(starts_of_clients, arr.size):
        part = arr.select(np.arange(a, b)) if (a, b) != (0, arr.size) else arr
        seg = segments(part, rules, days, starts)
        if not _exact(seg.weight, arr.size):
            return None
        code = part.client_code[seg.contract]
        if events is not None:
            found = [seg.changes % d, *(seg.first.T), *(seg.stop.T)]
            contract = [seg.changes // d, *([seg.contract] * (2 * k_count))]
            index, who = np.concatenate(found), np.concatenate(contract) + a
            inner = (index > 0) & (index < d)
            events.append(_unique(index[inner] * arr.size + who[inner]))
        kinds = {
            "success": np.where(seg.outcome == Outcome.SUCCESS, seg.weight, 0.0),
            "negative": np.where(seg.outcome == Outcome.NEGATIVE, seg.weight, 0.0),
            "total": seg.weight,
        }
        for k in range(k_count):
            first, stop = seg.first[:, k], seg.stop[:, k]
            keep = first < stop
            f, s = first[keep], stop[keep]
            for name, w in kinds.items():
                diffs[name][:, k] += np.bincount(f, w[keep], d + 1) - np.bincount(s, w[keep], d + 1)
            contracts[:, k] += np.bincount(f, minlength=d + 1) - np.bincount(s, minlength=d + 1)
            clients[:, k] += present_clients(code, first, stop, d)
    sums = {name: np.cumsum(v, axis=0)[:d] for name, v in diffs.items()}
    neutral = sums["total"] - sums["success"] - sums["negative"]
    neutral = np.where(np.abs(neutral) < 1e-9, 0.0, neutral)
    return WindowSums(
        months=months,
        success=sums["success"],
        negative=sums["negative"],
        neutral=neutral,
        contracts=np.cumsum(contracts, axis=0)[:d],
        clients=np.cumsum(clients, axis=0)[:d],
    )
