"""Contracts summed by pattern: what the search evaluates instead of every contract.

A contract's part of a window's sums, for a candidate rule set on a computation date, is its
outcome, its window membership and its weight. Contracts are summed into a few rows:

1. *Footprints.* Under every searched combination of the outcome parameters but weighting and
   no_feedback, and every signal its feedback could give, the engine's `outcomes_at` gives each
   contract a reason, and its anchor falls in some of the windows (`contract_parts`). Contracts
   with the same reasons and anchor windows at every computation date share a footprint: their
   outcome under any no_feedback is the same (`engine.outcomes.outcome_of` decides it from
   reason and signal alone), and so is their membership. The search evaluates one contract per
   footprint. (Contracts equal in every column `outcomes_at` reads, `outcome_columns`, and in
   when their feedback becomes visible, are evaluated once to find the footprints.)
2. *Readings.* What a contract's feedback says once visible (`feedback_readings`) depends on
   its stars, private score and flag: contracts whose feedback every signal class reads alike
   share a reading pattern. A contract's signal in a class is its pattern's reading where its
   feedback is visible, else none; the footprints were found with that visibility.
3. Each (reading pattern, footprint) pair, a *group*, sums its contracts' weights per date
   (`contract_weights`, per weighting and idle rule), counts its contracts, and keeps its
   `min_clients` smallest distinct clients: a window has at least `min_clients` distinct clients
   exactly when the union of those kept lists has (a list cut short already has that many),
   so the client counts the search uses are exact up to `min_clients`, which is all the
   eligibility test reads.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from jsscheck.analyses.calibrate.space import SearchSpace, dense_ids
from jsscheck.engine.arrays import ContractArrays
from jsscheck.engine.outcomes import (
    Outcome,
    Signal,
    contract_weights,
    feedback_readings,
    feedback_visible,
    outcome_columns,
    outcomes_at,
)
from jsscheck.engine.windows import contract_parts
from jsscheck.model.rules import RuleSet

#: The outcome parameters that decide reasons and anchors (weighting: weights only;
#: no_feedback: outcomes from reasons only).
FOOTPRINT_PARAMS: tuple[str, ...] = ("zero_dollar", "anchor", "long_term_days", "idle_open_days")
SIGNALS: tuple[int, ...] = tuple(int(s) for s in Signal)
#: Contracts per block when a step reads every contract at every date (memory).
_BLOCK = 100_000


@dataclass(frozen=True)
class Reduction:
    """The contracts of a history summed by (reading pattern, footprint).

    Footprints index `footprints` (one contract each); reading patterns index the last axis of
    `readings`; the pairs ("groups") are sorted by pattern, `pattern_starts` marking where
    each pattern's groups begin (patterns without contracts have no groups).
    """

    #: one contract per footprint, the one the engine evaluates.
    footprints: ContractArrays
    #: D×F: where each footprint's feedback is visible.
    visible: np.ndarray
    #: K×D×P: what each reading pattern's feedback says in each signal class on each date.
    readings: np.ndarray
    #: (weighting, idle_open_days) → D×G: the weights of each group's contracts on each date.
    weights: dict[tuple[Any, Any], np.ndarray]
    #: G: how many contracts each group has.
    counts: np.ndarray
    #: per group: its reading pattern and footprint, and its kept clients (G×M, ascending,
    #: padded with `no_client`).
    group_pattern: np.ndarray
    group_footprint: np.ndarray
    group_clients: np.ndarray
    pattern_starts: np.ndarray
    no_client: int

    @property
    def patterns(self) -> int:
        return int(self.readings.shape[2])


def _byte_rows(codes: np.ndarray) -> np.ndarray:
    """Distinct-row ids of a T×B uint8 array."""
    rows = np.ascontiguousarray(codes)
    keys = rows.view(np.dtype((np.void, rows.shape[1]))).reshape(-1)
    _, inverse = np.unique(keys, return_inverse=True)
    ids: np.ndarray = inverse.reshape(-1)
    return ids


def variants(base: RuleSet, space: SearchSpace) -> list[RuleSet]:
    """The rules of every searched combination of `FOOTPRINT_PARAMS` (with the cap used)."""
    axes = [space.values[name] for name in FOOTPRINT_PARAMS]
    cap = base.weight_cap if base.weight_cap is not None else 8.0
    return [
        replace(base, weight_cap=cap, **dict(zip(FOOTPRINT_PARAMS, combo, strict=True)))
        for combo in itertools.product(*axes)
    ]


def forced(visible: np.ndarray, signal: int) -> np.ndarray:
    """The signal `signal` where the feedback is visible, none elsewhere (D×N int8)."""
    return np.where(visible, np.int8(signal), np.int8(Signal.NONE))


def _footprints(
    arrays: ContractArrays, base: RuleSet, space: SearchSpace, months: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """(one contract per footprint, each contract's footprint)."""
    t = space.days[:, None]
    visible = feedback_visible(arrays, t)
    raw = np.column_stack([outcome_columns(arrays), np.packbits(visible, axis=0).T])
    first, raw_id = dense_ids(raw)
    reps = arrays.select(first)
    reps_visible = visible[:, first]
    ids = np.zeros(len(first), dtype=np.int64)
    for variant in variants(base, space):
        rules = replace(variant, weighting="count")  # weights are not part of a footprint
        codes = []
        for s in SIGNALS:
            out = outcomes_at(reps, rules, t, forced(reps_visible, s))
            counted = replace(out, outcome=np.full(out.outcome.shape, int(Outcome.SUCCESS)))
            inside = contract_parts(counted, t, months).inside  # W×D×T: anchor in window
            code = out.reason.astype(np.int64)
            for w in range(len(months)):
                code = code * 2 + inside[w]
            codes.append(code.astype(np.uint16 if code.max(initial=0) > 255 else np.uint8))
        rows = [np.ascontiguousarray(c.T).view(np.uint8) for c in codes]
        ids = _byte_rows(np.column_stack([ids.view(np.uint8).reshape(len(ids), 8), *rows]))
    _, fp_first = np.unique(ids, return_index=True)
    return first[fp_first], ids[raw_id]


def reduce_contracts(
    arrays: ContractArrays, base: RuleSet, space: SearchSpace, months: tuple[int, ...]
) -> Reduction:
    """Sum the contracts of `arrays` by reading pattern and footprint (module docstring)."""
    t = space.days[:, None]
    d = len(space.days)
    rep_index, footprint = _footprints(arrays, base, space, months)
    n_fp = len(rep_index)
    # Reading patterns: one value per stars / private score / flag.
    values = np.column_stack(
        [np.nan_to_num(arrays.public, nan=-1.0), np.nan_to_num(arrays.private, nan=-1.0)]
        + [arrays.flagged.astype(np.float64)]
    )
    _, value_first, value_of = np.unique(values, axis=0, return_index=True, return_inverse=True)
    value_of = value_of.reshape(-1)
    by_value = arrays.select(value_first)
    readings = np.stack(
        [
            np.broadcast_to(
                feedback_readings(by_value, replace(base, **c.cutoffs[0].params()), t),
                (d, len(value_first)),
            )
            for c in space.classes
        ]
    )  # K×D×V
    k_count = readings.shape[0]
    columns = readings.reshape(k_count * d, -1).T
    _, pattern_first, pattern_of_value = np.unique(
        np.ascontiguousarray(columns), axis=0, return_index=True, return_inverse=True
    )
    readings = readings[:, :, pattern_first]
    pattern = pattern_of_value.reshape(-1)[value_of]
    n_patterns = len(pattern_first)

    pair = pattern * n_fp + footprint
    groups, group_of = np.unique(pair, return_inverse=True)
    group_of = group_of.reshape(-1)
    g_count = len(groups)
    counts = np.bincount(group_of, minlength=g_count).astype(np.float64)
    weights: dict[tuple[Any, Any], np.ndarray] = {}
    cap = base.weight_cap if base.weight_cap is not None else 8.0
    for weighting, idle in itertools.product(
        space.values["weighting"], space.values["idle_open_days"]
    ):
        rules = replace(base, weighting=weighting, idle_open_days=idle, weight_cap=cap)
        sums = np.zeros((d, g_count))
        for a in range(0, arrays.size, _BLOCK):
            block = np.arange(a, min(a + _BLOCK, arrays.size))
            part = arrays.select(block) if len(block) < arrays.size else arrays
            weight = np.broadcast_to(contract_weights(part, rules, t), (d, len(block)))
            for i in range(d):
                sums[i] += np.bincount(group_of[block], weights=weight[i], minlength=g_count)
        weights[(weighting, idle)] = sums

    keep = max(base.min_clients, 0)
    no_client = int(arrays.n_clients)
    clients = np.full((g_count, keep), no_client, dtype=np.int64)
    if keep:
        found = np.unique(group_of * (no_client + 1) + arrays.client_code)
        group, client = found // (no_client + 1), found % (no_client + 1)
        starts = np.searchsorted(group, np.arange(g_count))
        rank = np.arange(len(found)) - starts[group]
        kept = rank < keep
        clients[group[kept], rank[kept]] = client[kept]
    group_pattern = groups // n_fp
    return Reduction(
        footprints=arrays.select(rep_index),
        visible=feedback_visible(arrays.select(rep_index), t),
        readings=readings,
        weights=weights,
        counts=counts,
        group_footprint=groups % n_fp,
        group_clients=clients,
        group_pattern=group_pattern,
        pattern_starts=np.searchsorted(group_pattern, np.arange(n_patterns)),
        no_client=no_client,
    )
