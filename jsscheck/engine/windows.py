"""Windows, eligibility, window scores, Trending, the best candidate and rounding.

MODEL.md sections 5 and 6: the sums of each window at each date (D×K), which windows have a
score, the candidates in tie-break order, the best of them and the displayed whole percent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from jsscheck.engine.calendar import window_start
from jsscheck.engine.outcomes import Outcome, Outcomes
from jsscheck.model.candidate import Candidate
from jsscheck.model.days import from_days, to_days
from jsscheck.model.rules import RuleSet
from jsscheck.model.table import DAY, ContractTable

#: Two scores closer than this are a tie; rounding treats a score this close below a boundary
#: as on it (MODEL.md section 6).
EPS = 1e-9


@dataclass(frozen=True)
class WindowSums:
    """The sums of each candidate window at each date: arrays D×K (K = len(months))."""

    months: tuple[int, ...]
    success: np.ndarray
    negative: np.ndarray
    neutral: np.ndarray
    contracts: np.ndarray
    clients: np.ndarray

    @property
    def total(self) -> np.ndarray:
        total: np.ndarray = self.success + self.negative + self.neutral
        return total


def window_starts(days: np.ndarray, months: tuple[int, ...]) -> np.ndarray:
    """start(t, W) for every date and window, D×K days."""
    starts = np.empty((len(days), len(months)), dtype=DAY)
    for i, day in enumerate(days.tolist()):
        moment = from_days(day)
        for k, m in enumerate(months):
            starts[i, k] = to_days(window_start(moment, m))
    return starts


class ClientCounter:
    """Counts distinct clients among selected contracts, for many dates at once.

    With `order` None the contracts are already grouped by client (see
    `ContractTable.grouped_by_client`), so no copy of the D×N selection is needed.
    """

    def __init__(self, starts: np.ndarray, size: int, order: np.ndarray | None = None) -> None:
        self.starts = starts
        self.ends = np.append(starts[1:], size).astype(starts.dtype)  # where each group stops
        self.order = order

    @classmethod
    def for_arrays(cls, arr: ContractTable) -> ClientCounter:
        order, starts = arr.client_groups
        return cls(starts, arr.size, order)

    def count(self, selected: np.ndarray) -> np.ndarray:
        if selected.shape[1] == 0:
            return np.zeros(selected.shape[0], dtype=np.int64)
        grouped = selected if self.order is None else selected[:, self.order]
        # A client is present when the running count of selected contracts grows across its
        # group: twice as fast as logical_or.reduceat over the groups.
        running = np.zeros((grouped.shape[0], grouped.shape[1] + 1), dtype=np.int32)
        np.cumsum(grouped, axis=1, out=running[:, 1:])
        counts: np.ndarray = np.count_nonzero(
            running[:, self.ends] != running[:, self.starts], axis=1
        )
        return counts


def window_sums(
    arr: ContractTable,
    outcomes: Outcomes,
    t: np.ndarray,
    months: tuple[int, ...],
    counter: ClientCounter,
) -> tuple[WindowSums, list[np.ndarray]]:
    days = t[:, 0]
    starts = window_starts(days, months)
    d, k_count = len(days), len(months)
    sums = {name: np.zeros((d, k_count)) for name in ("success", "negative", "total")}
    contracts = np.zeros((d, k_count), dtype=np.int64)
    clients = np.zeros((d, k_count), dtype=np.int64)
    members = []
    counted = (outcomes.outcome != Outcome.EXCLUDED) & (outcomes.anchor <= t)
    weight = np.broadcast_to(outcomes.weight, counted.shape)
    weighted = {
        "success": np.where(outcomes.outcome == Outcome.SUCCESS, weight, 0.0),
        "negative": np.where(outcomes.outcome == Outcome.NEGATIVE, weight, 0.0),
        "total": np.where(counted, weight, 0.0),
    }
    for k in range(k_count):
        inside = counted & (outcomes.anchor >= starts[:, k : k + 1])
        members.append(inside)
        as_float = inside.astype(np.float64)
        for name, values in weighted.items():
            # A row-wise dot product: one pass, no D×N temporary.
            sums[name][:, k] = np.einsum("ij,ij->i", as_float, values)
        contracts[:, k] = np.count_nonzero(inside, axis=1)
        clients[:, k] = counter.count(inside)
    neutral = sums["total"] - sums["success"] - sums["negative"]
    # Exact zero where there is nothing neutral (the subtraction leaves rounding dust).
    neutral = np.where(np.abs(neutral) < 1e-9, 0.0, neutral)
    return (
        WindowSums(
            months=months,
            success=sums["success"],
            negative=sums["negative"],
            neutral=neutral,
            contracts=contracts,
            clients=clients,
        ),
        members,
    )


@dataclass(frozen=True)
class Scores:
    """Every candidate's score and the displayed JSS at each of D dates.

    `candidates` are in tie-break priority order (longest window first, Trending last);
    `score` is D×K with NaN where a candidate is not eligible.
    """

    days: np.ndarray
    candidates: tuple[Candidate, ...]
    score: np.ndarray
    #: The same before the clamp at 0% (MODEL.md 9.4 reports the floor as its own term).
    raw_score: np.ndarray
    eligible: np.ndarray
    best_index: np.ndarray
    best_score: np.ndarray
    jss: np.ndarray
    sums: WindowSums

    @property
    def names(self) -> tuple[str, ...]:
        """The candidates' names ("24m", …, "trending"), in priority order."""
        return tuple(c.name for c in self.candidates)

    def best(self, i: int) -> Candidate | None:
        """The best candidate at date i, None when there is no JSS."""
        index = int(self.best_index[i])
        return None if index < 0 else self.candidates[index]

    def best_name(self, i: int) -> str | None:
        best = self.best(i)
        return None if best is None else best.name

    def jss_at(self, i: int) -> int | None:
        value = int(self.jss[i])
        return None if value < 0 else value

    def candidate(self, i: int, which: Candidate | str) -> float | None:
        """Candidate `which`'s score at date i (None when not eligible)."""
        chosen = which if isinstance(which, Candidate) else Candidate.parse(which)
        value = float(self.score[i, self.candidates.index(chosen)])
        return None if math.isnan(value) else value


class WindowRules(Protocol):
    """What section 5 reads of a rule set (a `RuleSet`, or a step's `coalitions.Params`)."""

    @property
    def formula(self) -> str: ...
    @property
    def min_outcomes(self) -> int: ...
    @property
    def min_clients(self) -> int: ...


def window_values(
    rules: WindowRules, sums: WindowSums
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """MODEL.md section 5 for every computed window, each D×K: (counted, eligible, unclamped,
    clamped), the scores as if the window were eligible wherever it counts a contract.

    `counted` is T > 0: every weight is at least 1 (MODEL.md 4), so T > 0 exactly when a
    contract is counted, and the count is exact where a sum of deltas may leave float dust.
    The one place the formula lives.
    """
    counted = sums.contracts > 0
    eligible = (
        counted & (sums.contracts >= rules.min_outcomes) & (sums.clients >= rules.min_clients)
    )
    total = np.where(counted, sums.total, 1.0)
    # The ratio first: 100 * s / s can round to 100.00000000000001, s / s is exactly 1.
    if rules.formula == "net":
        raw = 100.0 * ((sums.success - sums.negative) / total)
    else:
        raw = 100.0 * (sums.success / total)
    # The net score clamps at 0 (MODEL.md 5); a share is in [0, 100] but for the float dust of
    # sums taken in different orders.
    return counted, eligible, raw, np.clip(raw, 0.0, 100.0)


def window_scores(
    rules: WindowRules, sums: WindowSums
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """MODEL.md section 5 for every computed window: (eligible, unclamped, clamped), D×K.

    Scores are NaN where a window is not eligible (`window_values`).
    """
    _, eligible, raw, clamped = window_values(rules, sums)
    return eligible, np.where(eligible, raw, np.nan), np.where(eligible, clamped, np.nan)


def scores_from_sums(rules: RuleSet, days: np.ndarray, sums: WindowSums) -> Scores:
    """Eligibility, window scores, Trending, best-of and rounding (MODEL.md 5 and 6)."""
    eligible, raw, window_score = window_scores(rules, sums)

    index = {m: k for k, m in enumerate(sums.months)}
    candidates = rules.candidates
    columns, raw_columns, eligible_columns = [], [], []
    for candidate in candidates:
        # A window's own score, or Trending: the mean of its windows when all are eligible.
        ks = [index[m] for m in candidate.windows]
        every = np.logical_and.reduce([eligible[:, k] for k in ks])
        mean = sum(window_score[:, k] for k in ks) / len(ks)
        raw_mean = sum(raw[:, k] for k in ks) / len(ks)
        columns.append(np.where(every, mean, np.nan))
        raw_columns.append(np.where(every, raw_mean, np.nan))
        eligible_columns.append(every)
    score = np.stack(columns, axis=1)

    # The highest score wins; every candidate within EPS of it ties, and a tie goes to the
    # first in priority order (longest window first, Trending last).
    has_score = ~np.isnan(score)
    any_score = has_score.any(axis=1)
    highest = np.max(np.where(has_score, score, -np.inf), axis=1)
    close = has_score & (score >= highest[:, None] - EPS)
    best_index = np.where(any_score, np.argmax(close, axis=1), -1)
    best_score = np.where(
        any_score, np.take_along_axis(score, np.maximum(best_index, 0)[:, None], 1)[:, 0], np.nan
    )
    if rules.rounding == "half_up":
        rounded = np.floor(best_score + 0.5 + EPS)
    else:
        rounded = np.floor(best_score + EPS)
    jss = np.where(np.isnan(best_score), -1, rounded).astype(np.int64)
    return Scores(
        days=days,
        candidates=candidates,
        score=score,
        raw_score=np.stack(raw_columns, axis=1),
        eligible=np.stack(eligible_columns, axis=1),
        best_index=best_index,
        best_score=best_score,
        jss=jss,
        sums=sums,
    )


@dataclass(frozen=True)
class ContractParts:
    """Each contract's part of the window sums (MODEL.md section 5) at D dates.

    `success`, `negative`, `neutral`: D×N weights (0 where the contract has another outcome or
    is excluded); `inside`: K×D×N, counted in each window of `months`. The window sums are
    these summed over the contracts inside (clients: distinct clients of those contracts).
    """

    months: tuple[int, ...]
    success: np.ndarray
    negative: np.ndarray
    neutral: np.ndarray
    inside: np.ndarray


def contract_parts(outcomes: Outcomes, t: np.ndarray, months: tuple[int, ...]) -> ContractParts:
    """Every contract's part of every window's sums at the dates of `t` (D×1)."""
    starts = window_starts(t[:, 0], months)
    counted = (outcomes.outcome != Outcome.EXCLUDED) & (outcomes.anchor <= t)
    inside = np.stack(
        [counted & (outcomes.anchor >= starts[:, k : k + 1]) for k in range(len(months))]
    )
    weight = np.broadcast_to(outcomes.weight, counted.shape)

    def part(outcome: Outcome) -> np.ndarray:
        return np.where(outcomes.outcome == outcome, weight, 0.0)

    return ContractParts(
        months=months,
        success=part(Outcome.SUCCESS),
        negative=part(Outcome.NEGATIVE),
        neutral=part(Outcome.NEUTRAL),
        inside=inside,
    )


def distinct_clients(arr: ContractTable, selected: np.ndarray) -> np.ndarray:
    """How many distinct clients the selected contracts of each row have: R×N booleans → R."""
    return ClientCounter.for_arrays(arr).count(selected)
