"""`explain` as data: the attribution of a period (MODEL.md 9), the leverage, the warnings.

No sentences and no JSON here (render/explain.py words them). Besides the engine's
`Attribution`, the result carries what the words need and the engine does not keep:
- `Reading`: a named contract's outcome and reason on one side of one of its events, including
  when it is not counted (the attribution's footprint is then None), and whether the private
  score or a flagged client decided it (found by evaluating that one contract again with the
  private score, or the flag, switched off — the engine decides, nothing here re-implements it);
- `StepWindows`: every candidate window's score, contracts and clients just before and after
  the step that moved the main contract most, so the headline can say that a window lost its
  score ("only 1 client left in those 3 months");
- `JobsAt`: the total weight of the window(s) of the leverage (MODEL.md 9.6);
- `OpenCredit`: MODEL.md 11 "open contracts credited".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np

from jsscheck.engine.arrays import ContractArrays
from jsscheck.engine.attribution import Attribution, Effect, Event, Leverage, attribute_period
from jsscheck.engine.attribution import leverage as leverage_at
from jsscheck.engine.calendar import short_coverage
from jsscheck.engine.changes import Step as ShownStep
from jsscheck.engine.changes import shown_steps
from jsscheck.engine.credits import OpenCredit, open_credits
from jsscheck.engine.evaluate import Evaluation, evaluate
from jsscheck.engine.outcomes import Outcome, Reason
from jsscheck.model.rules import PRESETS, RuleSet

#: How many contracts (largest effect first) get a `Reading` of their events.
READ_CONTRACTS = 20


@dataclass(frozen=True)
class Reading:
    """A contract's outcome and reason code on one side of an event, and what decided it."""

    outcome: str  # success | negative | neutral | excluded | not_started | absent
    reason: str  # MODEL.md section 3 reason code ("" when not started or absent)
    #: Reading the private score changed the outcome (without it, `without_private` instead).
    without_private: str | None = None
    #: The private score exists but is not read on this date (`private_until` has passed);
    #: the outcome it would have given when it was still read, if different.
    private_unread: bool = False
    with_private: str | None = None
    #: A flagged client's negative feedback was dropped: without the flag the outcome would be.
    without_flag: str | None = None


@dataclass(frozen=True)
class WindowStat:
    """One candidate at one date: its score (None when not eligible) and its counts."""

    name: str  # "3m", "6m", "12m", "24m" or "trending"
    score: float | None
    contracts: int
    clients: int
    jobs: float  # total weight T


@dataclass(frozen=True)
class StepWindows:
    """The candidates just before and after one step, and the best of each side."""

    day: date
    best_before: str | None
    best_after: str | None
    before: tuple[WindowStat, ...]
    after: tuple[WindowStat, ...]

    def stat(self, side: str, name: str) -> WindowStat | None:
        """`side` "before" or "after"; None when `name` is not a candidate there."""
        stats = self.before if side == "before" else self.after
        return next((s for s in stats if s.name == name), None)


@dataclass(frozen=True)
class JobsAt:
    """MODEL.md 9.6 at one evaluation, with the total weight of each window it is made of."""

    leverage: Leverage
    jobs: tuple[tuple[int, float], ...]  # (months, T) of the window(s) of the candidate


@dataclass(frozen=True)
class Contrast:
    """Under preset `preset` the contract would be `outcome` instead (a contested rule)."""

    contract_id: str
    preset: str
    outcome: str


@dataclass(frozen=True)
class ExplainResult:
    """Why the score shown on `as_of` differs from the one shown on `since`."""

    since: date
    as_of: date
    rules: RuleSet
    attribution: Attribution
    leverage: JobsAt | None
    warnings: tuple[OpenCredit, ...]
    #: (contract_id, event day, "before" | "after") → Reading, for the largest contracts.
    readings: dict[tuple[str, date, str], Reading]
    #: The step of the main contract's largest event (None when nothing is attributed).
    main_step: StepWindows | None
    #: What another preset would make of the main contract, when a contested rule decides it.
    contrast: Contrast | None = None
    #: When the score appeared or disappeared (nothing attributed): the days the shown JSS
    #: changed (the engine's shown steps: date, JSS and best score before and after).
    bare_steps: tuple[ShownStep, ...] = ()
    #: MODEL.md 11 "short coverage" at `since` (whose windows start earliest): the first date
    #: the Upwork exports cover.
    short_coverage: date | None = None


# --------------------------------------------------------------------------- pieces


def window_stats(evaluation: Evaluation) -> tuple[WindowStat, ...]:
    """Every candidate of `evaluation` (3m and 6m with Trending), with its counts."""
    sums = evaluation.scores.sums
    rules = evaluation.rules
    stats = []
    for months in sorted(rules.candidate_windows):
        k = sums.months.index(months)
        total = float(sums.success[0, k] + sums.negative[0, k] + sums.neutral[0, k])
        stats.append(
            WindowStat(
                f"{months}m",
                evaluation.candidate_score(f"{months}m"),
                int(sums.contracts[0, k]),
                int(sums.clients[0, k]),
                total,
            )
        )
    if rules.trending:
        stats.append(WindowStat("trending", evaluation.candidate_score("trending"), 0, 0, 0.0))
    return tuple(stats)


def step_windows(before: Evaluation, after: Evaluation) -> StepWindows:
    """The candidates of the two states of a step."""
    return StepWindows(
        after.day, before.best, after.best, window_stats(before), window_stats(after)
    )


def jobs_at(evaluation: Evaluation) -> JobsAt | None:
    """The leverage of MODEL.md 9.6 at `evaluation`, with the jobs in its window(s)."""
    found = leverage_at(evaluation)
    if found is None:
        return None
    months = [3, 6] if found.candidate == "trending" else [int(found.candidate.removesuffix("m"))]
    by_name = {s.name: s for s in window_stats(evaluation)}
    return JobsAt(found, tuple((m, by_name[f"{m}m"].jobs) for m in months))


def _label(value: np.ndarray, i: int = 0) -> str:
    return Outcome(int(value[i])).label


def read_contract(arrays: ContractArrays, rules: RuleSet, day: date, contract_id: str) -> Reading:
    """The outcome and reason of one contract at `day`, and whether private/flag decided it."""
    index = arrays.index_of.get(contract_id)
    if index is None:
        return Reading("absent", "")
    one = arrays.select(np.array([index], dtype=np.int64))
    own = evaluate(one, rules, day)
    reason = Reason(int(own.reason[0]))
    if reason is Reason.NOT_STARTED:
        return Reading("not_started", "")
    outcome = _label(own.outcome)
    has_private = not np.isnan(one.private[0])
    without_private = with_private = without_flag = None
    private_unread = False
    if has_private and rules.use_private:
        until = getattr(rules, "private_until", None)
        if until is not None and day >= until:
            private_unread = True
            always: dict[str, Any] = {"private_until": None}  # read the private score anyway
            again = _label(evaluate(one, dataclasses.replace(rules, **always), day).outcome)
            with_private = again if again != outcome else None
        else:
            again = _label(
                evaluate(one, dataclasses.replace(rules, use_private=False), day).outcome
            )
            without_private = again if again != outcome else None
    if bool(one.flagged[0]):
        unflagged = dataclasses.replace(one, flagged=np.zeros(1, dtype=bool))
        again = _label(evaluate(unflagged, rules, day).outcome)
        without_flag = again if again != outcome else None
    return Reading(
        outcome, reason.label, without_private, private_unread, with_private, without_flag
    )


def read_events(
    effects: Iterable[Effect],
    sides: dict[str, tuple[ContractArrays, RuleSet]],
    previous_day: dict[date, date],
) -> dict[tuple[str, date, str], Reading]:
    """A `Reading` of both sides of every event of `effects` (the rule change has none).

    `sides` gives the history and rules of the "before" and "after" states; `previous_day`
    the date of state 0 of the step on each event day.
    """
    readings: dict[tuple[str, date, str], Reading] = {}
    for effect in effects:
        if effect.contract_id is None:
            continue
        for event in effect.events:
            for side in ("before", "after"):
                arrays, rules = sides[side]
                day = event.day if side == "after" else previous_day.get(event.day, event.day)
                key = (effect.contract_id, event.day, side)
                readings[key] = read_contract(arrays, rules, day, effect.contract_id)
    return readings


#: Reason codes decided by a rule the presets disagree on.
CONTESTED_REASONS = frozenset({"no_feedback", "zero_dollar", "long_term", "long_term_active"})


def rule_contrast(
    arrays: ContractArrays, rules: RuleSet, day: date, contract_id: str
) -> Contrast | None:
    """What another preset makes of a contract whose outcome a contested rule decides.

    Contested: its reason is no-feedback, $0, long-term or open long-term, or it earned $0.
    The presets tried are `legacy` and `fair` (or `upwork` and `legacy` when not under
    `upwork`); the first that gives another outcome is returned.
    """
    now = read_contract(arrays, rules, day, contract_id)
    index = arrays.index_of.get(contract_id)
    if index is None or now.outcome in ("absent", "not_started"):
        return None
    contested = now.reason in CONTESTED_REASONS or float(arrays.earnings[index]) == 0
    if not contested:
        return None
    alternatives = ["upwork", "legacy"] if rules.name != "upwork" else ["legacy", "fair"]
    mine = dataclasses.replace(rules, cadence="daily").params()
    for name in alternatives:
        other = dataclasses.replace(PRESETS[name], cadence="daily")
        if other.params() == mine:
            continue
        theirs = read_contract(arrays, other, day, contract_id)
        if theirs.outcome not in ("absent", "not_started") and theirs.outcome != now.outcome:
            return Contrast(contract_id, name, theirs.outcome)
    return None


def main_event(attribution: Attribution) -> Event | None:
    """The largest event of the contract with the largest effect (the headline's subject)."""
    if not attribution.effects:
        return None
    return max(attribution.effects[0].events, key=lambda e: abs(e.effect))


# --------------------------------------------------------------------------- explain


def explain(
    arrays: ContractArrays,
    rules: RuleSet,
    since: date,
    as_of: date,
    covered_from: date | None = None,
) -> ExplainResult:
    """Explain the change of the shown score between the shown dates `since` and `as_of`.

    `since` must not be after `as_of`; `covered_from` is the first date the Upwork exports
    among the inputs cover (`ReadResult.covered_from`), for the short-coverage warning.
    """
    attribution = attribute_period(arrays, rules, since, as_of)
    previous = {s.day: s.previous_day for s in attribution.steps}
    readings = read_events(
        attribution.effects[:READ_CONTRACTS],
        {"before": (arrays, rules), "after": (arrays, rules)},
        previous,
    )
    event = main_event(attribution)
    main_step = None
    if event is not None:
        day0 = previous.get(event.day, event.day)
        main_step = step_windows(
            attribution.before if day0 == attribution.before.day else evaluate(arrays, rules, day0),
            attribution.after
            if event.day == attribution.after.day
            else evaluate(arrays, rules, event.day),
        )
    bare: tuple[ShownStep, ...] = ()
    if attribution.change is None:
        bare = tuple(shown_steps(arrays, rules, since, as_of))
    top = attribution.effects[0].contract_id if attribution.effects else None
    contrast = None
    if top is not None and event is not None:
        contrast = rule_contrast(arrays, rules, event.day, top)
    return ExplainResult(
        since,
        as_of,
        rules,
        attribution,
        jobs_at(attribution.after),
        open_credits(attribution.after),
        readings,
        main_step,
        contrast,
        bare,
        short_coverage(covered_from, rules, since),
    )


def default_since(as_of: date, snapshot_days: Iterable[date], lookback_days: int = 28) -> date:
    """The `--since` of `explain` when none is given (CLI.md, MODEL.md 11).

    The latest stored snapshot dated before `as_of`; so after a cron alert, whose snapshot is
    dated today, it is the one before it and the drop that tripped the alert is explained.
    Without one, `lookback_days` before `as_of`.
    """
    earlier = [d for d in snapshot_days if d < as_of]
    return max(earlier) if earlier else as_of - timedelta(days=lookback_days)
