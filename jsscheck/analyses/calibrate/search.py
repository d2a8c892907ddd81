"""The search of `calibrate`: every candidate rule set scored against the observations.

The naive product of the space is millions of rule sets; it is made small and exact like this
(every MODEL.md step is the engine's own code):

1. Grid points of the cut-offs that give every contract the same signals are one class
   (`space.SignalClass`), evaluated once.
2. For one combination of the outcome parameters, the engine's `outcomes_at` runs four times
   over all computation dates, each contract's feedback forced to each `Signal`, and
   `contract_parts` gives each contract's part of each window's sums. A contract's part then
   depends only on its own signal, so the sums of *every* class are one matrix product per
   signal (which contracts have that signal in the class, times their parts); distinct
   clients are counted per client the same way.
3. The engine's `scores_from_sums` turns the sums of all classes into the displayed JSS for
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
from jsscheck.analyses.calibrate.result import Calibration, Prediction
from jsscheck.analyses.calibrate.space import (
    DISPLAY_PARAMS,
    OUTCOME_PARAMS,
    SCORE_PARAMS,
    SearchSpace,
    build_space,
)
from jsscheck.engine.arrays import ContractArrays
from jsscheck.engine.calendar import update_day
from jsscheck.engine.evaluate import evaluate_dates
from jsscheck.engine.outcomes import Signal, outcomes_at
from jsscheck.engine.windows import (
    WindowSums,
    contract_parts,
    distinct_clients,
    scores_from_sums,
)
from jsscheck.errors import InternalError
from jsscheck.model.rules import RuleSet

#: MAE charged for an observation on which a rule set shows no JSS at all.
MISSING_SCORE_ERROR = 100.0

Progress = Callable[[int, int], None]
_SIGNALS = tuple(int(s) for s in Signal)


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


class _ClassLayout:
    """How the signal classes differ, precomputed once for every outcome combination.

    Contracts of one prototype have equal signals in every class, so the contracts are put in
    prototype order (`arrays`) and their parts summed per prototype first (`reduceat`); a 0/1
    array per signal says which class gives which prototype that signal on which date.
    Distinct clients are not additive: clients whose contracts have the same signals in every
    class are counted once, the others once per class, by the engine's `distinct_clients`.
    """

    def __init__(self, arrays: ContractArrays, space: SearchSpace) -> None:
        order = np.argsort(space.prototype_of, kind="stable")
        self.arrays = arrays.select(order)
        prototype_of = space.prototype_of[order]
        self.group_starts = np.flatnonzero(np.r_[True, prototype_of[1:] != prototype_of[:-1]])
        signals = np.stack([c.signals for c in space.classes])  # K × D × U
        by_date = signals.transpose(1, 0, 2)  # D × K × U
        self.masks = [(by_date == s).astype(np.float64) for s in _SIGNALS]
        varies = np.any(signals != signals[:1], axis=(0, 1))[prototype_of]
        client_varies = np.zeros(self.arrays.n_clients, dtype=bool)
        client_varies[self.arrays.client_code[varies]] = True
        moving = client_varies[self.arrays.client_code]
        self.still = np.flatnonzero(~moving)
        self.moving = np.flatnonzero(moving)
        self.still_arrays = self.arrays.select(self.still)
        self.moving_arrays = self.arrays.select(self.moving)
        # [k]: D × n, the signal class k gives each contract on each date.
        self.still_signal = signals[0][:, prototype_of[self.still]].astype(np.uint8)
        self.moving_signal = [
            signals[k][:, prototype_of[self.moving]].astype(np.uint8) for k in range(len(signals))
        ]

    def add(self, totals: np.ndarray, s: int, m: int, values: np.ndarray) -> None:
        """Add the classes' sums of `values` (W × D × N, the contracts' parts when their
        signal is `s`) to totals[..., m] (K × D × W)."""
        if values.shape[2] == 0:
            return
        grouped = np.add.reduceat(values, self.group_starts, axis=2)
        by_date = grouped.transpose(1, 2, 0)  # D × U × W
        totals[..., m] += np.matmul(self.masks[s], by_date).transpose(1, 0, 2)

    def count_clients(self, member: np.ndarray) -> np.ndarray:
        """member[s]: W × D × N → distinct clients with a contract in each window, K × D × W."""
        _, w, d, _ = member.shape
        k_count = len(self.moving_signal)
        # Bit s of code[w, d, i]: contract i is in window w on date d when its signal is s.
        code = np.zeros(member.shape[1:], dtype=np.uint8)
        for s in _SIGNALS:
            code |= member[s].view(np.uint8) << s

        def chosen(code: np.ndarray, signal: np.ndarray) -> np.ndarray:
            picked: np.ndarray = ((code >> signal[None]) & 1).view(bool)
            return picked.reshape(w * d, -1)

        counts = np.zeros((k_count, w * d), dtype=np.int64)
        if len(self.still):
            still = chosen(code[..., self.still], self.still_signal)
            counts += distinct_clients(self.still_arrays, still)
        if len(self.moving):
            moving = code[..., self.moving]
            for k in range(k_count):
                picked = chosen(moving, self.moving_signal[k])
                counts[k] += distinct_clients(self.moving_arrays, picked)
        return counts.reshape(k_count, w, d).transpose(0, 2, 1)


def _score_combination(
    arrays: ContractArrays,
    base: RuleSet,
    combo: dict[str, Any],
    space: SearchSpace,
    layout: _ClassLayout,
    observed: np.ndarray,
) -> Tables:
    """Score every signal class × formula × trending × rounding × cadence for one combination."""
    months = _months(base)
    days = space.days
    t = days[:, None]
    d, w, n = len(days), len(months), arrays.size
    k_count = len(space.classes)
    rules = replace(
        base, **combo, weight_cap=base.weight_cap if base.weight_cap is not None else 8.0
    )
    # totals[k, d, w, m]: class k's sums of window w on date d (m: success, negative and
    # neutral weights, and the count); member[s, w, d, i]: contract i counted in window w on
    # date d when its signal is s.
    totals = np.zeros((k_count, d, w, 4))
    member = np.zeros((len(_SIGNALS), w, d, n), dtype=bool)
    for s in _SIGNALS:
        part = contract_parts(
            outcomes_at(layout.arrays, rules, t, np.array(s, dtype=np.int8)), t, months
        )
        member[s] = part.inside
        for m, weight in enumerate((part.success, part.negative, part.neutral)):
            layout.add(totals, s, m, part.inside * weight[None])
        layout.add(totals, s, 3, part.inside.astype(np.float64))
    sums = WindowSums(
        months=months,
        success=totals[..., 0].reshape(k_count * d, w),
        negative=totals[..., 1].reshape(k_count * d, w),
        neutral=totals[..., 2].reshape(k_count * d, w),
        contracts=np.rint(totals[..., 3]).astype(np.int64).reshape(k_count * d, w),
        clients=layout.count_clients(member).reshape(k_count * d, w),
    )
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


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the block with BLAS on one thread, when threadpoolctl is installed.

    The search's matrix products are many and small: BLAS threads spin up for each and fight
    over the cores for no gain. The thread count can only be changed at run time through the
    BLAS library itself (threadpoolctl does that); OPENBLAS_NUM_THREADS and the like are read
    once, when numpy is imported, which every command has done long before calibrate runs.
    Without threadpoolctl the search runs as it is, with the same results.
    """
    try:
        from threadpoolctl import (  # type: ignore[import-untyped, import-not-found, unused-ignore]
            threadpool_limits,
        )
    except ImportError:
        yield
        return
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
    layout = _ClassLayout(arrays, space)
    tables = []
    with one_blas_thread():
        for done, combo in enumerate(combos, start=1):
            tables.append(_score_combination(arrays, base, combo, space, layout, observed))
            if progress is not None:
                progress(done, len(combos))
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
