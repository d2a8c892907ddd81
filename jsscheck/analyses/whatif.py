"""What-if scenarios as data: the edited history against the baseline, and closing advice.

`whatif` scores the history after edits (`jsscheck.analyses.edits`) and/or under other rules
against the baseline at one date and attributes the difference with MODEL.md 9 (one step; the
rule change is a player of its own when the rule flags change the formula, the windows,
Trending or the minimums). `close_open_advice` answers "which open contracts should I close,
and in what order?". No sentences and no JSON here (render/whatif.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from jsscheck.analyses.edits import Edit, apply_edits, closed
from jsscheck.analyses.explain import (
    JobsAt,
    Reading,
    StepWindows,
    jobs_at,
    main_event,
    read_events,
    step_windows,
)
from jsscheck.engine.attribution import Attribution, attribute_whatif
from jsscheck.engine.calendar import short_coverage, update_day
from jsscheck.engine.credits import OpenCredit, last_known_payment, open_credits, open_on
from jsscheck.engine.evaluate import Evaluation, evaluate
from jsscheck.engine.windows import EPS
from jsscheck.model.contract import Contract
from jsscheck.model.days import to_days
from jsscheck.model.rules import RuleSet
from jsscheck.model.table import ContractTable

#: How many contracts (largest effect first) get a `Reading` of their events.
READ_CONTRACTS = 20
#: `--close-open` assesses at most this many open contracts, those unpaid the longest: each
#: one costs a whole evaluation of the history, and the closing order many more.
ADVISED_OPEN = 10


def candidate_scores(evaluation: Evaluation) -> dict[str, float | None]:
    """Every candidate window's (clamped) score, 3m/6m included when Trending is on."""
    names = [f"{m}m" for m in sorted(evaluation.rules.candidate_windows)]
    if evaluation.rules.trending:
        names.append("trending")
    return {name: evaluation.candidate_score(name) for name in names}


@dataclass(frozen=True)
class WhatifResult:
    """The baseline and the scenario at one date, and why they differ (MODEL.md 9, one step)."""

    as_of: date
    baseline_rules: RuleSet
    scenario_rules: RuleSet
    edits: tuple[Edit, ...]
    #: The title each contract an edit names had in the baseline (None: no title), by id.
    titles: dict[str, str | None]
    attribution: Attribution
    leverage: JobsAt | None
    warnings: tuple[OpenCredit, ...]
    readings: dict[tuple[str, date, str], Reading]
    main_step: StepWindows | None
    #: MODEL.md 11 "short coverage" at `as_of`: the first date the Upwork exports cover.
    short_coverage: date | None = None

    @property
    def before(self) -> Evaluation:
        return self.attribution.before

    @property
    def after(self) -> Evaluation:
        return self.attribution.after

    @property
    def rules_changed(self) -> bool:
        return self.baseline_rules.params() != self.scenario_rules.params()


def whatif(
    contracts: Sequence[Contract],
    baseline_rules: RuleSet,
    scenario_rules: RuleSet,
    as_of: date,
    edits: Sequence[Edit],
    covered_from: date | None = None,
) -> WhatifResult:
    """Score the edited history under the scenario rules against the baseline at `as_of`.

    Both sides are the scores shown on `as_of` (computed on its update day, MODEL.md 7);
    `covered_from` is the first date the Upwork exports cover (`ReadResult.covered_from`).
    """
    base_arrays = ContractTable.of(contracts)
    edited_arrays = apply_edits(base_arrays, edits, as_of)
    where = base_arrays.index_of
    named = {e.contract_id for e in edits if e.contract_id in where}
    titles: dict[str, str | None] = {
        cid: base_arrays.titles[where[cid]] for cid in named if cid is not None
    }
    before = evaluate(base_arrays, baseline_rules, update_day(as_of, baseline_rules.cadence))
    after = evaluate(edited_arrays, scenario_rules, update_day(as_of, scenario_rules.cadence))
    attribution = attribute_whatif(before, after)
    readings = read_events(
        attribution.effects[:READ_CONTRACTS],
        {"before": (base_arrays, baseline_rules), "after": (edited_arrays, scenario_rules)},
        {after.day: before.day},
    )
    main_step = step_windows(before, after) if main_event(attribution) is not None else None
    return WhatifResult(
        as_of,
        baseline_rules,
        scenario_rules,
        tuple(edits),
        titles,
        attribution,
        jobs_at(after),
        open_credits(after),
        readings,
        main_step,
        short_coverage(covered_from, baseline_rules, as_of),
    )


# --------------------------------------------------------------------------- closing advice


@dataclass(frozen=True)
class ClosingOption:
    """Closing one open contract alone: the score without feedback and with 5 stars."""

    contract: Contract
    jss_no_feedback: int | None
    score_no_feedback: float | None
    jss_five_stars: int | None
    score_five_stars: float | None


@dataclass(frozen=True)
class ClosingStep:
    """Step `n` of the suggested order: close `contract` (no feedback); the score after."""

    contract: Contract
    jss: int | None
    score: float | None


@dataclass(frozen=True)
class LeaveOpen(ClosingStep):
    """An open contract the suggested order leaves open: closing it next would give `score`."""


@dataclass(frozen=True)
class ClosingAdvice:
    """`whatif --close-open`: each open contract closed alone, and an order that never hurts."""

    as_of: date
    computed_on: date
    rules: RuleSet
    jss: int | None
    score: float | None
    open_count: int
    options: list[ClosingOption]
    order: list[ClosingStep]
    leave_open: list[LeaveOpen]
    #: Open contracts not assessed (beyond `ADVISED_OPEN`, the most recently paid).
    not_assessed: int = 0


def _score_of(
    table: ContractTable, rules: RuleSet, day: date, changes: dict[int, Contract]
) -> tuple[int | None, float | None]:
    evaluation = evaluate(table.with_rows(changes), rules, day)
    return evaluation.jss, evaluation.best_score


def _key(score: float | None) -> float:
    return -math.inf if score is None else score


def close_open_advice(contracts: Sequence[Contract], rules: RuleSet, as_of: date) -> ClosingAdvice:
    """Close each open contract alone (no feedback / 5 stars), and a greedy closing order.

    The order closes, at each step, the contract whose closing (without feedback, the part you
    control) gives the highest score, and only while that does not lower the score; the rest
    are best left open. Contracts close on `as_of`; scores are those shown on `as_of`.
    """
    day = update_day(as_of, rules.cadence)
    table = ContractTable.of(contracts)
    jss, score = _score_of(table, rules, day, {})
    t = to_days(as_of)
    every_open = np.flatnonzero(open_on(table, t)).tolist()
    # Unpaid the longest first (then by id); only these few become Contract objects.
    last_known = last_known_payment(table, t).tolist() if every_open else []
    ids = table.ids
    open_index = sorted(every_open, key=lambda i: (last_known[i], ids[i]))[:ADVISED_OPEN]
    base = {i: table[i] for i in open_index}

    options = []
    for i in open_index:
        j0, s0 = _score_of(table, rules, day, {i: closed(base[i], as_of)})
        j5, s5 = _score_of(table, rules, day, {i: closed(base[i], as_of, public=5.0)})
        options.append(ClosingOption(base[i], j0, s0, j5, s5))
    options.sort(key=lambda o: (-_key(o.score_no_feedback), -_key(o.score_five_stars)))

    current: dict[int, Contract] = {}
    current_score = score
    remaining = list(open_index)
    order: list[ClosingStep] = []
    leave: list[LeaveOpen] = []
    while remaining:
        trials = []
        for i in remaining:
            trial = {**current, i: closed(base[i], as_of)}
            trials.append((i, trial, *_score_of(table, rules, day, trial)))
        i, trial, best_jss, best_score = max(trials, key=lambda t: _key(t[3]))
        if _key(best_score) < _key(current_score) - EPS:
            leave = [LeaveOpen(base[k], j, s) for k, _, j, s in trials]
            leave.sort(key=lambda lo: -_key(lo.score))
            break
        order.append(ClosingStep(base[i], best_jss, best_score))
        current, current_score = trial, best_score
        remaining.remove(i)
    return ClosingAdvice(
        as_of,
        day,
        rules,
        jss,
        score,
        len(every_open),
        options,
        order,
        leave,
        len(every_open) - len(open_index),
    )
