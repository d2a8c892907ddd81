"""The search of `calibrate`: every candidate rule set scored against the observations.

The naive product of the space is millions of rule sets over every contract; it is made small
and exact like this (every MODEL.md step is the engine's own code):

1. Grid points of the cut-offs that give every contract the same signals are one class
   (`space.SignalClass`), evaluated once.
2. Contracts are summed into groups (`reduce`): one contract per footprint is evaluated, and
   each group carries its contracts' weights, count and first `min_clients` clients.
3. For one combination of the outcome parameters but weighting, the engine's `outcomes_at`
   runs four times over the footprints, their visible feedback forced to each `Signal`, and
   `contract_parts` gives their parts; each reading pattern sums its groups' parts, and each
   class those of the patterns it reads as each signal (`sums`). Weightings only change the
   groups' weights.
4. The engine's `scores_from_sums` turns the sums of all classes into the displayed JSS for
   each formula × trending × rounding at once; cadence only picks rows.

The winner is scored again with `engine.evaluate_dates` for the predictions shown.
"""

from __future__ import annotations

import contextlib
import itertools
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from jsscheck.analyses.calibrate.groups import best_groups
from jsscheck.analyses.calibrate.observations import Observation, by_day
from jsscheck.analyses.calibrate.reduce import SIGNALS, Reduction, reduce_contracts
from jsscheck.analyses.calibrate.result import Calibration, Prediction
from jsscheck.analyses.calibrate.space import (
    DISPLAY_PARAMS,
    OUTCOME_PARAMS,
    SCORE_PARAMS,
    SearchSpace,
    build_space,
)
from jsscheck.analyses.calibrate.sums import (
    by_code,
    client_counts,
    decoder,
    signal_parts,
)
from jsscheck.engine.arrays import ContractArrays
from jsscheck.engine.calendar import update_day
from jsscheck.engine.evaluate import evaluate_dates
from jsscheck.engine.windows import WindowSums, scores_from_sums
from jsscheck.errors import InternalError
from jsscheck.model.rules import RuleSet

#: MAE charged for an observation on which a rule set shows no JSS at all.
MISSING_SCORE_ERROR = 100.0

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Tables:
    """Per candidate: observations reproduced, MAE, and which ones (bits packed).

    Axes: outcome combination, signal class, then `SCORE_PARAMS + DISPLAY_PARAMS` values.
    """

    matches: np.ndarray
    mae: np.ndarray
    patterns: np.ndarray


def outcome_combinations(space: SearchSpace) -> list[dict[str, Any]]:
    """Every combination of the outcome parameters' searched values."""
    axes = [space.values[name] for name in OUTCOME_PARAMS]
    return [dict(zip(OUTCOME_PARAMS, combo, strict=True)) for combo in itertools.product(*axes)]


def _months(base: RuleSet) -> tuple[int, ...]:
    """The windows to compute: those of `base`, and Trending's, which is searched."""
    return replace(base, trending=True).candidate_windows


def _score_sums(
    base: RuleSet, space: SearchSpace, sums: WindowSums, observed: np.ndarray
) -> Tables:
    """Score every signal class × formula × trending × rounding × cadence from their sums
    (rows: class-major, then the computation dates)."""
    days = space.days
    d = len(days)
    k_count = len(space.classes)
    row_days = np.tile(days, k_count)
    axes = [space.values[name] for name in SCORE_PARAMS + DISPLAY_PARAMS]
    shape = (k_count, *(len(a) for a in axes))
    count = len(observed)
    matches = np.zeros(shape, dtype=np.int32)
    mae = np.zeros(shape)
    patterns = np.zeros((*shape, (count + 7) // 8), dtype=np.uint8)
    formulas, trendings, roundings, cadences = axes
    for (fi, formula), (ti, trending), (ri, rounding) in itertools.product(
        enumerate(formulas), enumerate(trendings), enumerate(roundings)
    ):
        scored = scores_from_sums(
            replace(base, formula=formula, trending=trending, rounding=rounding), row_days, sums
        )
        best = scored.best_score.reshape(k_count, d)
        shown = scored.jss.reshape(k_count, d)
        for ci, cadence in enumerate(cadences):
            at = space.rows[cadence]
            hit = shown[:, at] == observed
            error = np.where(
                np.isnan(best[:, at]), MISSING_SCORE_ERROR, np.abs(best[:, at] - observed)
            )
            matches[:, fi, ti, ri, ci] = hit.sum(axis=1)
            mae[:, fi, ti, ri, ci] = error.mean(axis=1)
            patterns[:, fi, ti, ri, ci] = np.packbits(hit, axis=1)
    return Tables(matches, mae, patterns)


def _score_combinations(
    reduction: Reduction,
    base: RuleSet,
    space: SearchSpace,
    combos: list[dict[str, Any]],
    observed: np.ndarray,
    progress: Progress | None,
) -> list[Tables]:
    """The tables of every outcome combination (in `combos` order), from the reduction.

    For each combination but its weighting, the engine evaluates the footprints under each
    signal; each reading pattern's sums are then its pairs' weights times those parts (one
    matrix product per date), and each class's sums those of the patterns it reads as each
    signal (another).
    """
    months = _months(base)
    t = space.days[:, None]
    d, w = len(space.days), len(months)
    k_count = len(space.classes)
    masks = [(reduction.readings.transpose(1, 0, 2) == s).astype(np.float64) for s in SIGNALS]
    weight_of_code, count_of_code = np.split(decoder(w), [3 * w], axis=1)
    position = {tuple(sorted(c.items())): i for i, c in enumerate(combos)}
    others = [name for name in OUTCOME_PARAMS if name != "weighting"]
    cap = base.weight_cap if base.weight_cap is not None else 8.0
    tables: list[Tables | None] = [None] * len(combos)
    done = 0
    for values in itertools.product(*(space.values[name] for name in others)):
        combo = dict(zip(others, values, strict=True))
        rules = replace(base, **combo, weight_cap=cap)
        parts = [signal_parts(reduction, rules, t, months, s) for s in SIGNALS]
        counted = [by_code(p, reduction.counts) @ count_of_code for p in parts]
        clients = client_counts(reduction, np.stack([p.kept for p in parts]))
        for weighting in space.values["weighting"]:
            weights = reduction.weights[(weighting, combo["idle_open_days"])]  # D×G
            totals = np.zeros((d, k_count, 4 * w))
            for s, p, n in zip(SIGNALS, parts, counted, strict=True):
                summed = by_code(p, weights) @ weight_of_code  # D×P×3W
                totals += np.matmul(masks[s], np.concatenate([summed, n], axis=2))
            totals = totals.transpose(1, 0, 2).reshape(k_count * d, 4, w)
            sums = WindowSums(
                months=months,
                success=totals[:, 0],
                negative=totals[:, 1],
                neutral=totals[:, 2],
                contracts=np.rint(totals[:, 3]).astype(np.int64),
                clients=clients.reshape(k_count * d, w),
            )
            key = tuple(sorted({**combo, "weighting": weighting}.items()))
            tables[position[key]] = _score_sums(base, space, sums, observed)
            done += 1
            if progress is not None:
                progress(done, len(combos))
    if any(table is None for table in tables):
        raise InternalError("an outcome combination was not scored")
    return [table for table in tables if table is not None]


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the block with BLAS on one thread.

    The search's matrix products are many and small: BLAS threads spin up for each and fight
    over the cores for no gain. The thread count can only be changed at run time through the
    BLAS library itself (threadpoolctl does that); OPENBLAS_NUM_THREADS and the like are read
    once, when numpy is imported, which every command has done long before calibrate runs.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


def _predict(
    arrays: ContractArrays,
    rules: RuleSet,
    observations: Sequence[Observation],
    explainable: np.ndarray,
) -> tuple[Prediction, ...]:
    """The rules' displayed JSS on each observation date, by the engine's public entry point."""
    computed = [update_day(o.day, rules.cadence) for o in observations]
    unique = sorted(set(computed))
    scores = evaluate_dates(arrays, rules, unique)
    row = {d: i for i, d in enumerate(unique)}
    predictions = []
    for j, (observation, day) in enumerate(zip(observations, computed, strict=True)):
        i = row[day]
        best = float(scores.best_score[i])
        predictions.append(
            Prediction(
                observation=observation,
                computed_on=day,
                jss=scores.jss_at(i),
                score=None if np.isnan(best) else best,
                window=scores.best_name(i),
                explainable=bool(explainable[j]),
            )
        )
    return tuple(predictions)


def calibrate(
    arrays: ContractArrays,
    base: RuleSet,
    observations: Sequence[Observation],
    *,
    pinned: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> Calibration:
    """Search the rule space for the rules that reproduce `observations` (module docstring).

    `base` provides every parameter that is not searched (windows, weight_cap, grace days,
    minimums, use_public) and breaks ties between equally good rule sets (closest first).
    `pinned` fixes parameters (the user's rule flags). `progress(done, total)` is called after
    each outcome combination.
    """
    if not observations:
        raise InternalError("calibrate needs at least one observation")
    started = time.perf_counter()
    observations = tuple(sorted(observations, key=by_day))
    space = build_space(arrays, base, observations, pinned)
    observed = np.array([o.jss for o in observations], dtype=np.int64)
    combos = outcome_combinations(space)
    with one_blas_thread():
        reduction = reduce_contracts(arrays, base, space, _months(base))
        tables = _score_combinations(reduction, base, space, combos, observed, progress)
    matches = np.stack([t.matches for t in tables])
    mae = np.stack([t.mae for t in tables])
    patterns = np.stack([t.patterns for t in tables])
    explainable = np.unpackbits(
        np.bitwise_or.reduce(patterns.reshape(-1, patterns.shape[-1]), axis=0)
    )[: len(observations)].astype(bool)
    groups = best_groups(base, space, combos, matches, mae, patterns, len(observations))
    return Calibration(
        base=base,
        observations=observations,
        space=space,
        groups=groups,
        predictions=_predict(arrays, groups[0].representative, observations, explainable),
        elapsed=time.perf_counter() - started,
    )
