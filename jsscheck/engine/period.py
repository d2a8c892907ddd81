"""The steps of a period along time (MODEL.md 9.3).

`sweep` takes the window sums and scores of every date from one sweep over the contracts'
constant segments (engine/sweep.py), which also lists the contracts that may change on each
date; a step evaluates only those, on its two dates, and the clients its players involve. No
date is evaluated in full. Weights that only sum exactly in one order (dollars with cents) go
date by date instead (`sweep_by_rows`, one engine pass per block of dates).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import cast

import numpy as np

from jsscheck.engine.arrays import ContractArrays
from jsscheck.engine.coalitions import Params, Sums, values
from jsscheck.engine.evaluate import _BLOCK_CELLS
from jsscheck.engine.fallback import Side
from jsscheck.engine.outcomes import outcomes_at
from jsscheck.engine.steps import _EXCLUDED, Base, Players, Step, build_step, differing
from jsscheck.engine.sweep import _Gathered, outcomes_of_pairs, window_sums_swept
from jsscheck.engine.windows import ClientCounter as _ClientCounter
from jsscheck.engine.windows import Scores, contract_parts, scores_from_sums, window_starts
from jsscheck.engine.windows import window_sums as _window_sums
from jsscheck.model.days import to_days
from jsscheck.model.rules import RuleSet
from jsscheck.model.table import DAY

#: Contract-date pairs evaluated at once when the steps' contracts are evaluated in batches.
_BATCH_PAIRS = 100_000

# --------------------------------------------------------------------------- a period


@dataclass(frozen=True)
class _Row:
    """One date of a sweep: its contracts' columns and what its steps need of its scores."""

    day: date
    outcome: np.ndarray
    reason: np.ndarray
    weight: np.ndarray
    inside: np.ndarray
    base: Base
    side: Side
    value: float
    jss: int | None


def sweep(
    arrays: ContractArrays, rules: RuleSet, days: list[date], ends: tuple[float, float]
) -> Iterator[Step]:
    """Every step between consecutive `days` (ascending) in which some footprint changed
    (MODEL.md 9.3).

    The window sums and scores of every date come from one sweep over the contracts'
    constant segments (engine/sweep.py), which also tells which contracts may change on
    which date; a step then evaluates only those contracts, on its two dates. `ends` are the
    values of the first and last date (from their own evaluations, so the steps add up to
    the difference of those exactly). Weights that would not sum exactly in another order
    (dollars with cents) go date by date instead (`sweep_by_rows`).
    """
    swept = _Swept.of(arrays, rules, days)
    if swept is None:
        yield from sweep_by_rows(arrays, rules, days, ends)
        return
    swept.value[0], swept.value[-1] = ends
    for _, step in swept.steps(range(1, len(days))):
        if step is not None:
            yield step


@dataclass(frozen=True)
class _Swept:
    """The scores and values of some dates from one sweep, and the contracts that may change
    on each (`who[cuts[i] : cuts[i + 1]]`: from date i − 1 to date i)."""

    arrays: ContractArrays
    rules: RuleSet
    days: list[date]
    scores: Scores
    value: np.ndarray
    who: np.ndarray
    cuts: np.ndarray

    @classmethod
    def of(cls, arrays: ContractArrays, rules: RuleSet, days: list[date]) -> _Swept | None:
        """None when the dates are not strictly ascending or the weights do not sum exactly
        in any order."""
        t = np.array([to_days(d) for d in days], dtype=DAY)
        grouped, group_starts = arrays.grouped_by_client
        found: list[np.ndarray] = []
        swept = (
            window_sums_swept(grouped, group_starts, rules, t, found)
            if len(t) > 1 and np.all(np.diff(t) > 0)
            else None
        )
        if swept is None:
            return None
        months = rules.candidate_windows
        scores = scores_from_sums(rules, t, swept)
        value = values(Params.of(rules), Sums(months, *(getattr(swept, f) for f in _SUM_FIELDS)))
        order, _ = arrays.client_groups
        position = order if grouped is not arrays else np.arange(arrays.size)
        keys = np.sort(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
        index, who = keys // max(grouped.size, 1), position[keys % max(grouped.size, 1)]
        cuts = np.searchsorted(index, np.arange(len(t) + 1))
        return cls(arrays, rules, days, scores, value, who, cuts)

    def steps(self, rows: Iterable[int]) -> Iterator[tuple[int, Step | None]]:
        """(i, the step from date i − 1 to date i, None when no footprint changed) for each i
        of `rows` (ascending) on which some contract may change (the others have no step).
        Those contracts are evaluated on both dates of their step in batches of steps, one
        engine pass per batch."""
        chosen = [i for i in rows if self.cuts[i + 1] > self.cuts[i]]
        sizes = [int(self.cuts[i + 1] - self.cuts[i]) for i in chosen]
        t = self.scores.days.astype(DAY)
        starts = window_starts(t, self.rules.candidate_windows)
        first = 0
        while first < len(chosen):
            last, total = first + 1, sizes[first]
            while last < len(chosen) and total + sizes[last] <= _BATCH_PAIRS:
                total += sizes[last]
                last += 1
            batch = chosen[first:last]
            candidates = np.concatenate(
                [np.sort(self.who[self.cuts[i] : self.cuts[i + 1]]) for i in batch]
            )
            row = np.repeat(np.array(batch, dtype=np.int64), sizes[first:last])
            sides = [_pair_footprints(self.arrays, self.rules, candidates, t, starts, row - 1)]
            sides.append(_pair_footprints(self.arrays, self.rules, candidates, t, starts, row))
            ends = np.cumsum(sizes[first:last]).tolist()
            for i, end, size in zip(batch, ends, sizes[first:last], strict=True):
                part = slice(end - size, end)
                columns = tuple((a[part], b[part]) for a, b in zip(*sides, strict=True))
                yield i, self._step(i, candidates[part], columns)
            first = last

    def _step(
        self, i: int, candidates: np.ndarray, columns: tuple[tuple[np.ndarray, np.ndarray], ...]
    ) -> Step | None:
        pair = (float(self.value[i - 1]), float(self.value[i]))
        days = (self.days[i - 1], self.days[i])
        return _step_of_candidates(
            self.arrays, self.rules, days, candidates, columns, self.scores, pair
        )


def _pair_footprints(
    arrays: ContractArrays,
    rules: RuleSet,
    positions: np.ndarray,
    t: np.ndarray,
    starts: np.ndarray,
    row: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Outcome, reason, weight (0 where not counted) and windows (c×K) of contract
    `positions[j]` at date `t[row[j]]` (window starts `starts`, D×K), for every j."""
    day = t[row]
    out = outcomes_of_pairs(arrays, rules, positions, day)
    counted = out.outcome != _EXCLUDED
    weight = np.where(counted, out.weight, 0.0)
    present = counted & (out.anchor <= day)
    inside = present[:, None] & (out.anchor[:, None] >= starts[row])
    return out.outcome, out.reason, weight, inside


def steps_between(
    arrays: ContractArrays, rules: RuleSet, pairs: list[tuple[date, date]]
) -> list[tuple[Step | None, str | None, str | None]] | None:
    """For each (day0, day1) of `pairs` (ascending, day0 < day1, none overlapping another):
    the step from day0 to day1 (None when no footprint changed) and the best candidate on
    each day, from one sweep over all the days. None when the weights do not sum exactly in
    any order (then evaluate each pair on its own)."""
    days = sorted({d for pair in pairs for d in pair})
    swept = _Swept.of(arrays, rules, days) if len(days) > 1 else None
    if swept is None:
        return None
    row = {d: i for i, d in enumerate(days)}
    wanted = [row[day1] for _, day1 in pairs]
    if any(row[day0] != i - 1 for (day0, _), i in zip(pairs, wanted, strict=True)):
        return None
    steps = dict(swept.steps(sorted(set(wanted))))
    scores = swept.scores
    return [(steps.get(i), scores.best_name(i - 1), scores.best_name(i)) for i in wanted]


def _inside_at(
    arrays: ContractArrays, rules: RuleSet, positions: np.ndarray, t: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Outcome, reason, weight (0 where not counted) D×c and windows D×c×K of some contracts."""
    table = cast(ContractArrays, _Gathered(arrays, positions))
    out = outcomes_at(table, rules, t)
    parts = contract_parts(out, t, rules.candidate_windows)
    counted = out.outcome != _EXCLUDED
    weight = np.where(counted, np.broadcast_to(out.weight, counted.shape), 0.0)
    return out.outcome, out.reason, weight, np.moveaxis(parts.inside, 0, 2)


def _step_of_candidates(
    arrays: ContractArrays,
    rules: RuleSet,
    days: tuple[date, date],
    candidates: np.ndarray,
    columns: tuple[tuple[np.ndarray, np.ndarray], ...],
    scores: Scores,
    value: tuple[float, float],
) -> Step | None:
    """The step from date i − 1 to date i, from the footprints of the contracts that may
    change on both dates (`columns`: outcome, reason, weight, windows; each a pair)."""
    months = rules.candidate_windows
    t = np.array([[to_days(days[0])], [to_days(days[1])]], dtype=DAY)
    outcome, reason, weight, inside = columns
    moved = differing(outcome, weight, inside)
    if not moved.any():
        return None
    players = candidates[moved]
    codes = arrays.client_code[players]
    ids = arrays.contract_ids
    order, _ = arrays.client_groups
    sorted_codes = arrays.client_code[order]

    def client_counts(involved: np.ndarray) -> np.ndarray:
        lo = np.searchsorted(sorted_codes, involved, "left")
        hi = np.searchsorted(sorted_codes, involved, "right")
        members = np.concatenate([order[a:b] for a, b in zip(lo, hi, strict=True)])
        group = np.repeat(np.arange(len(involved)), hi - lo)
        _, _, _, member_inside = _inside_at(arrays, rules, members, t[:1])
        counts = np.zeros((len(involved), len(months)))
        np.add.at(counts, group, member_inside[0].astype(np.float64))
        return counts

    i = int(np.searchsorted(scores.days, t[1, 0]))
    r0 = i - 1
    sums = scores.sums
    base = Base(
        sums.success[r0],
        sums.negative[r0],
        sums.neutral[r0],
        sums.contracts[r0],
        sums.clients[r0],
        client_counts,
    )
    step_players = Players(
        ids,
        players,
        months,
        (outcome[0][moved], outcome[1][moved]),
        (reason[0][moved], reason[1][moved]),
        (weight[0][moved], weight[1][moved]),
        (inside[0][moved], inside[1][moved]),
        (codes, codes),
        arrays.contracts.clients,
    )
    return build_step(
        days,
        step_players,
        base,
        (rules, rules),
        value,
        (scores.jss_at(r0), scores.jss_at(i)),
        (Side.of(rules.formula, scores, r0), Side.of(rules.formula, scores, i)),
    )


def sweep_by_rows(
    arrays: ContractArrays, rules: RuleSet, days: list[date], ends: tuple[float, float]
) -> Iterator[Step]:
    """`sweep` evaluating every contract at every date (in blocks of dates): for weights
    that only sum exactly in one order."""
    months = rules.candidate_windows
    params = Params.of(rules)
    order, _ = arrays.client_groups
    sorted_codes = arrays.client_code[order]
    codes = arrays.client_code
    counter = _ClientCounter.for_arrays(arrays)
    block = max(1, _BLOCK_CELLS // max(arrays.size, 1))
    previous: _Row | None = None
    for first in range(0, len(days), block):
        t = np.array([[to_days(d)] for d in days[first : first + block]], dtype=DAY)
        out = outcomes_at(arrays, rules, t)
        sums, members = _window_sums(arrays, out, t, months, counter)
        scores = scores_from_sums(rules, t[:, 0], sums)
        value = values(params, Sums(months, *(getattr(sums, f) for f in _SUM_FIELDS)))
        inside = np.stack(members, axis=2)
        counted = out.outcome != _EXCLUDED
        weight = np.where(counted, np.broadcast_to(out.weight, counted.shape), 0.0)
        for r in range(len(t)):
            i = first + r
            if i == 0:
                value[r] = ends[0]
            if i == len(days) - 1:
                value[r] = ends[1]
            row_inside = inside[r]

            def client_counts(
                involved: np.ndarray, row_inside: np.ndarray = row_inside
            ) -> np.ndarray:
                lo = np.searchsorted(sorted_codes, involved, "left")
                hi = np.searchsorted(sorted_codes, involved, "right")
                return np.array(
                    [row_inside[order[a:b]].sum(axis=0) for a, b in zip(lo, hi, strict=True)],
                    dtype=np.float64,
                ).reshape(len(involved), len(months))

            row = _Row(
                days[i],
                out.outcome[r],
                out.reason[r],
                weight[r],
                row_inside,
                Base(
                    sums.success[r],
                    sums.negative[r],
                    sums.neutral[r],
                    sums.contracts[r],
                    sums.clients[r],
                    client_counts,
                ),
                Side.of(rules.formula, scores, r),
                float(value[r]),
                scores.jss_at(r),
            )
            if previous is not None:
                step = _step_of_rows(arrays, rules, months, previous, row, codes)
                if step is not None:
                    yield step
            previous = row


_SUM_FIELDS = ("success", "negative", "neutral", "contracts", "clients")


def _step_of_rows(
    arrays: ContractArrays,
    rules: RuleSet,
    months: tuple[int, ...],
    row0: _Row,
    row1: _Row,
    codes: np.ndarray,
) -> Step | None:
    moved = differing(
        (row0.outcome, row1.outcome), (row0.weight, row1.weight), (row0.inside, row1.inside)
    )
    players = np.flatnonzero(moved)
    if len(players) == 0:
        return None
    ids = arrays.contract_ids
    player_codes = codes[players]
    step_players = Players(
        ids,
        players,
        months,
        (row0.outcome[players], row1.outcome[players]),
        (row0.reason[players], row1.reason[players]),
        (row0.weight[players], row1.weight[players]),
        (row0.inside[players], row1.inside[players]),
        (player_codes, player_codes),
        arrays.contracts.clients,
    )
    return build_step(
        (row0.day, row1.day),
        step_players,
        row0.base,
        (rules, rules),
        (row0.value, row1.value),
        (row0.jss, row1.jss),
        (row0.side, row1.side),
    )
