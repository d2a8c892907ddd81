"""Goal (MODEL.md section 10): what it takes to bring the displayed JSS to a target.

Three answers, each possibly "not reachable" (with the reason as data):
- new contracts now: the fewest new contracts of one kind that bring the JSS to the target at t;
- waiting: with no new work (the forecast), the first date the target is reached and the first
  date from which it stays reached to the end of the horizon;
- a plan: such contracts finishing one every `pace` days from t + pace on, while old ones age
  out: the first date the target is reached and how many have finished by then.

Frozen dataclasses only: the words and the JSON are in `jsscheck.render.goal`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from jsscheck.analyses.forecast import DEFAULT_HORIZON, check_range, freeze, horizon_end
from jsscheck.engine.arrays import ContractArrays
from jsscheck.engine.calendar import update_day
from jsscheck.engine.changes import Step, shown_steps
from jsscheck.engine.evaluate import Evaluation, evaluate
from jsscheck.engine.outcomes import Outcome, Reason
from jsscheck.errors import UsageError
from jsscheck.model.contract import Contract
from jsscheck.model.rules import RuleSet
from jsscheck.model.table import ContractTable

#: The most new contracts the "new contracts now" answer tries before saying "not reachable".
MAX_NEW_CONTRACTS = 200
#: New contracts start this many days before they end (MODEL.md 10).
NEW_CONTRACT_DAYS = 30
#: The plan finishes one new contract every this many days by default (MODEL.md 10).
DEFAULT_PACE = 14


@dataclass(frozen=True)
class Unreachable:
    """Why new contracts cannot reach the target, as data for the renderer.

    `kind`: `not_counted` (such a contract does not count; `reason` is its reason code),
    `not_success` (it counts as `outcome`, which cannot raise a score), `floor_100` (100% with
    floor rounding), `cap` (even `tried` new contracts only reach `best_jss`) or `horizon` (the
    plan does not reach it by the end of the horizon; `best_jss` is the highest it shows).
    """

    kind: str
    outcome: str | None = None
    reason: str | None = None
    tried: int = 0
    best_jss: int | None = None


@dataclass(frozen=True)
class NewContracts:
    """`count` new contracts (None: not reachable, see `why`) give `jss_after` at t."""

    count: int | None
    jss_after: int | None
    why: Unreachable | None


@dataclass(frozen=True)
class Wait:
    """Waiting: the target is first shown on `day` (`jss`), and from `stays_from` on (None: it
    falls back before the end of the horizon) it stays reached to the end of the horizon."""

    day: date
    jss: int
    stays_from: date | None
    #: The first date after `day` on which it is below the target again (None: never).
    falls_on: date | None = None


@dataclass(frozen=True)
class WaitNever:
    """Waiting does not reach the target by `until`: the highest JSS shown is `best_jss`."""

    best_jss: int | None


@dataclass(frozen=True)
class Plan:
    """With one new contract finishing every `pace_days` days from t + pace on, the JSS first
    shows the target on `day` (`jss`), `contracts` of them having finished by then."""

    pace_days: int
    day: date
    jss: int
    contracts: int


@dataclass(frozen=True)
class GoalResult:
    """MODEL.md 10: the three ways to `target`, from the JSS shown on `as_of`."""

    as_of: date
    computed_on: date
    until: date
    rules: RuleSet
    target: int
    jss: int | None
    score: float | None
    earnings: float
    #: `given`, `median_counted`, `median_all` or `default` (no contracts).
    earnings_source: str
    public_feedback: float
    pace_days: int
    new_contracts: NewContracts
    wait: Wait | WaitNever
    plan: Plan | Unreachable

    @property
    def reached(self) -> bool:
        return self.jss is not None and self.jss >= self.target


# --------------------------------------------------------------------------- new contracts


def _new_contract(number: int, end: date, earnings: float, public: float) -> Contract:
    return Contract(
        contract_id=f"goal-new-{number}",
        client=f"(new client {number})",
        title=f"new contract {number}",
        start_date=end - timedelta(days=NEW_CONTRACT_DAYS),
        end_date=end,
        last_payment_date=end,
        earnings=earnings,
        public_feedback=public,
    )


def default_earnings(evaluation: Evaluation) -> tuple[float, str]:
    """The median earnings of the counted contracts (else of all started ones, else $500)."""
    arrays = evaluation.arrays
    counted = evaluation.outcome != Outcome.EXCLUDED
    if counted.any():
        return float(np.median(arrays.earnings[counted])), "median_counted"
    started = evaluation.reason != Reason.NOT_STARTED
    if started.any():
        return float(np.median(arrays.earnings[started])), "median_all"
    return 500.0, "default"


def _reached(jss: int | None, target: int) -> bool:
    return jss is not None and jss >= target


def _why_not(probe: Evaluation, index: int) -> Unreachable | None:
    """Why a new contract like the one at `index` can never raise the score (None: it can)."""
    outcome = Outcome(int(probe.outcome[index]))
    reason = Reason(int(probe.reason[index]))
    if outcome is Outcome.EXCLUDED:
        return Unreachable("not_counted", outcome.label, reason.label)
    if outcome is not Outcome.SUCCESS:
        return Unreachable("not_success", outcome.label, reason.label)
    return None


def _out_of_reach(rules: RuleSet, target: int, tried: int, best: int | None) -> Unreachable:
    kind = "floor_100" if target == 100 and rules.rounding == "floor" else "cap"
    return Unreachable(kind, tried=tried, best_jss=best)


def new_contracts(
    frozen: ContractTable,
    rules: RuleSet,
    day: date,
    now: Evaluation,
    target: int,
    earnings: float,
    public: float,
    max_new: int,
) -> NewContracts:
    """The fewest new contracts (new clients, ended on `day`) that show `target` on `day`."""
    if _reached(now.jss, target):
        return NewContracts(0, now.jss, None)
    if max_new == 0:
        return NewContracts(None, None, _out_of_reach(rules, target, 0, now.jss))
    # All candidates are built once; the k-th evaluation lets only the first k exist (the
    # others start after the evaluation day, so they are not there yet).
    extra = [_new_contract(i + 1, day, earnings, public) for i in range(max_new)]
    full = ContractArrays.from_contracts(
        ContractTable.concat([frozen, ContractTable.from_contracts(extra)])
    )
    n = len(frozen)
    not_yet = np.int64(full.start[n] + 10**6)
    full.client_groups  # noqa: B018 (worked out once: every evaluation below shares it)

    def with_new(k: int) -> Evaluation:
        """The evaluation on `day` with the first `k` new contracts (the others not started)."""
        start = full.start.copy()
        start[n + k :] = not_yet
        return evaluate(full.with_columns(start=start), rules, day)

    first = with_new(1)
    why = _why_not(first, n)
    if why is not None:
        # Not a success: more of them only make windows eligible, which they all are once
        # there are as many as the minimums ask; look at each count up to there.
        enough = max(rules.min_outcomes, rules.min_clients, 1)
        last: int | None = None
        for k in range(1, min(enough, max_new) + 1):
            last = (first if k == 1 else with_new(k)).jss
            if _reached(last, target):
                return NewContracts(k, last, None)
        if enough > max_new:
            return NewContracts(None, last, _out_of_reach(rules, target, max_new, last))
        return NewContracts(None, last, why)
    # Successes: each one more raises every window's score or keeps it (S and T grow by the
    # same weight, so (S - N)/T and S/T do not fall) and makes no window ineligible, so the
    # JSS never falls as k grows: the fewest k that reach the target is found by halving.
    if _reached(first.jss, target):
        return NewContracts(1, first.jss, None)
    most = with_new(max_new)
    if not _reached(most.jss, target):
        return NewContracts(None, most.jss, _out_of_reach(rules, target, max_new, most.jss))
    low, high, reached = 1, max_new, most.jss  # not reached with `low`, reached with `high`
    while high - low > 1:
        middle = (low + high) // 2
        jss = with_new(middle).jss
        if _reached(jss, target):
            high, reached = middle, jss
        else:
            low = middle
    return NewContracts(high, reached, None)


# --------------------------------------------------------------------------- waiting and plan


def _first_reached(
    now: int | None, steps: Sequence[Step], target: int, as_of: date
) -> tuple[date, int] | None:
    if now is not None and now >= target:
        return as_of, now
    for step in steps:
        if step.jss_after is not None and step.jss_after >= target:
            return step.day, step.jss_after
    return None


def _best(now: int | None, steps: Sequence[Step]) -> int | None:
    shown = [j for j in (now, *(s.jss_after for s in steps)) if j is not None]
    return max(shown, default=None)


def wait_for(
    arrays: ContractArrays, rules: RuleSet, now: int | None, as_of: date, until: date, target: int
) -> Wait | WaitNever:
    """With no new work: the first date `target` is shown, and from when it stays shown."""
    steps = shown_steps(arrays, rules, as_of, until)
    first = _first_reached(now, steps, target, as_of)
    if first is None:
        return WaitNever(_best(now, steps))
    stays_from: date | None = as_of
    falls_on: date | None = None
    for step in steps:
        if _reached(step.jss_after, target) and not _reached(step.jss_before, target):
            stays_from = step.day
        elif not _reached(step.jss_after, target):
            stays_from = None
            if falls_on is None and step.day > first[0]:
                falls_on = step.day
    return Wait(first[0], first[1], stays_from, falls_on)


def plan_for(
    frozen: ContractTable,
    rules: RuleSet,
    now: Evaluation,
    as_of: date,
    until: date,
    target: int,
    earnings: float,
    public: float,
    pace: int,
) -> Plan | Unreachable:
    """New contracts finishing on as_of + pace, + 2·pace, … up to `until`: the first date the
    displayed JSS reaches `target`, and how many have finished by then."""
    if _reached(now.jss, target):
        return Plan(pace, as_of, int(now.jss or 0), 0)
    count = (until - as_of).days // pace
    ends = [as_of + timedelta(days=pace * j) for j in range(1, count + 1)]
    extra = [_new_contract(j, end, earnings, public) for j, end in enumerate(ends, 1)]
    table = ContractTable.concat([frozen, ContractTable.from_contracts(extra)])
    arrays = ContractArrays.from_contracts(table)
    # Usually reached early: look 90 days ahead, then twice as far each time, not the whole
    # horizon at once.
    first: tuple[date, int] | None = None
    best = now.jss
    start, length = as_of, 90
    while first is None and start < until:
        end = min(until, start + timedelta(days=length))
        steps = shown_steps(arrays, rules, start, end)
        first = _first_reached(None, steps, target, as_of)
        best = _best(best, steps)
        start, length = end, length * 2
    if first is None:
        if extra:
            probe = evaluate(arrays, rules, update_day(ends[0], rules.cadence))
            why = _why_not(probe, len(frozen))
            if why is not None:
                return why
        return Unreachable("horizon", tried=len(extra), best_jss=best)
    finished = sum(1 for end in ends if end <= first[0])
    return Plan(pace, first[0], first[1], finished)


# --------------------------------------------------------------------------- goal


def goal(
    contracts: Sequence[Contract],
    rules: RuleSet,
    as_of: date,
    target: int = 90,
    earnings: float | None = None,
    public: float = 5.0,
    until: date | None = None,
    max_new: int = MAX_NEW_CONTRACTS,
    pace: int = DEFAULT_PACE,
) -> GoalResult:
    """The three ways to `target` (MODEL.md 10), with no new work after `as_of` besides them.

    New contracts: each with a new client, `earnings` (default: median of the counted
    contracts), `public` stars and no private feedback, started 30 days before it ends.
    """
    if not 1 <= target <= 100:
        raise UsageError(f"--target {target} is not a percentage", hint="give 1 to 100")
    if not 1.0 <= public <= 5.0:
        raise UsageError(f"--public {public:g} is out of range", hint="stars are 1 to 5")
    if earnings is not None and (earnings < 0 or math.isnan(earnings)):
        raise UsageError("--earnings cannot be negative")
    if pace < 1:
        raise UsageError(f"--pace {pace} is not a number of days", hint="give 1 or more")
    until = until or horizon_end(as_of, DEFAULT_HORIZON)
    check_range(as_of, until)
    day = update_day(as_of, rules.cadence)
    frozen = freeze(contracts, as_of)
    arrays = ContractArrays.from_contracts(frozen)
    now = evaluate(arrays, rules, day)
    if earnings is None:
        earnings, source = default_earnings(now)
    else:
        source = "given"
    return GoalResult(
        as_of=as_of,
        computed_on=day,
        until=until,
        rules=rules,
        target=target,
        jss=now.jss,
        score=now.best_score,
        earnings=earnings,
        earnings_source=source,
        public_feedback=public,
        pace_days=pace,
        new_contracts=new_contracts(frozen, rules, day, now, target, earnings, public, max_new),
        wait=wait_for(arrays, rules, now.jss, as_of, until, target),
        plan=plan_for(frozen, rules, now, as_of, until, target, earnings, public, pace),
    )
