"""Forecast and goal (MODEL.md section 10).

- `forecast`: the history frozen at `as_of` (nothing starts, ends, gets paid or gets feedback
  later; open contracts stay open but still age), then every future day on which the displayed
  JSS changes, found from the change points (`jsscheck.engine.changes`), not by scanning, with
  its causes (MODEL.md 9 between the previous computation and that day).
- `goal`: the fewest new contracts of one kind that bring the displayed JSS to a target now, and
  the first forecast day on which waiting alone reaches it.

No typer or rich here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import numpy as np

from jsscheck.engine.arrays import ContractArrays
from jsscheck.engine.attribution import Contribution, Explanation, explain_change
from jsscheck.engine.calendar import plus_months, update_day
from jsscheck.engine.changes import Step, shown_steps, step_evaluations
from jsscheck.engine.evaluate import Evaluation, evaluate
from jsscheck.engine.outcomes import Outcome, Reason
from jsscheck.errors import UsageError
from jsscheck.model.contract import Contract
from jsscheck.model.days import to_days
from jsscheck.model.rules import RuleSet
from jsscheck.model.table import ContractTable
from jsscheck.render.phrases import candidate_words

FORECAST_SCHEMA = "jsscheck.forecast/1"
GOAL_SCHEMA = "jsscheck.goal/1"
DEFAULT_HORIZON = "24m"
#: The most new contracts `goal` tries before answering "not reachable".
MAX_NEW_CONTRACTS = 200
#: New contracts in `goal` start this many days before `t` and end on `t` (MODEL.md 10).
NEW_CONTRACT_DAYS = 30
_HORIZON = re.compile(r"^\s*(\d+)\s*([dwmy])\s*$", re.IGNORECASE)


def horizon_end(as_of: date, horizon: str) -> date:
    """`24m` → 24 months after `as_of`; also `90d`, `12w`, `2y`."""
    match = _HORIZON.match(horizon)
    if not match:
        raise UsageError(
            f"--horizon: '{horizon}' is not a length", hint="write e.g. 24m, 2y, 12w or 90d"
        )
    count, unit = int(match.group(1)), match.group(2).lower()
    if count == 0:
        raise UsageError("--horizon must be longer than 0")
    if unit == "d":
        return as_of + timedelta(days=count)
    if unit == "w":
        return as_of + timedelta(weeks=count)
    return plus_months(as_of, count * (12 if unit == "y" else 1))


# --------------------------------------------------------------------------- freezing


def freeze(contracts: Sequence[Contract], as_of: date) -> ContractTable:
    """The history as known on `as_of`, with nothing new afterwards (MODEL.md 10).

    Contracts not started by `as_of` go; ends, feedback and last payments after it are
    forgotten (an open contract's last payment after `as_of` becomes `as_of`, so it does not
    turn idle earlier than it would). The score on `as_of` itself is unchanged.
    Done on the columns: a 100,000-contract history is never turned into objects.
    """
    table = ContractTable.of(contracts)
    t = to_days(as_of)
    ended = table.has_end & (table.end <= t)
    # Feedback without its own date is visible from the (original) end date.
    has_feedback_day = table.has_feedback_date | table.has_end
    feedback_day = np.where(table.has_feedback_date, table.feedback_date, table.end)
    # Not visible on as_of, so never visible: feedback comes with no new work.
    hidden = has_feedback_day & (feedback_day > t)
    paid_late = table.has_last_payment & (table.last_payment > t)
    has_last_payment = table.has_last_payment & ~(paid_late & ended)
    has_feedback_date = table.has_feedback_date & ~hidden
    frozen = replace(
        table,
        end=np.where(ended, table.end, 0).astype(table.end.dtype),
        has_end=ended,
        public=np.where(hidden, math.nan, table.public),
        private=np.where(hidden, math.nan, table.private),
        feedback_date=np.where(has_feedback_date, table.feedback_date, 0).astype(
            table.feedback_date.dtype
        ),
        has_feedback_date=has_feedback_date,
        last_payment=np.where(
            has_last_payment, np.where(paid_late, t, table.last_payment), 0
        ).astype(table.last_payment.dtype),
        has_last_payment=has_last_payment,
    )
    started = table.start <= t
    return frozen if started.all() else frozen.take(np.flatnonzero(started))


# --------------------------------------------------------------------------- causes


@dataclass(frozen=True)
class Cause:
    """One part of a forecast event: a contract's effect, the window switch or the 0% floor."""

    contract_id: str | None
    title: str
    reason: str
    effect: float
    window: str | None
    text: str

    def to_json(self) -> dict[str, Any]:
        return {
            "contract_id": self.contract_id,
            "title": self.title,
            "reason": self.reason,
            "effect": self.effect,
            "window": self.window,
            "text": self.text,
        }


def _left_window(c: Contribution, x: Explanation) -> str | None:
    """The window a contract aged out of (3 or 6 months inside Trending)."""
    i0, i1 = c.index_before, c.index_after
    if i0 is None or i1 is None:
        return x.attributed_in
    left = [
        m for m, members in x.before.members.items() if members[i0] and not x.after.members[m][i1]
    ]
    if x.attributed_in and x.attributed_in != "trending":
        months = int(x.attributed_in.removesuffix("m"))
        if months in left:
            return f"{months}m"
    elif x.attributed_in == "trending":
        inside = [m for m in left if m in (3, 6)]
        if inside:
            return f"{max(inside)}m"
    return f"{max(left)}m" if left else x.attributed_in


def _cause_words(c: Contribution, x: Explanation, rules: RuleSet) -> tuple[str, str | None]:
    """What happens to a contract on a forecast day, in words, and the window it concerns."""
    before, after = c.before, c.after
    if c.reason == "aged_out":
        window = _left_window(c, x)
        return f"leaves {candidate_words(window)}", window
    if c.reason == "entered" and after is not None:
        prior = before.reason if before is not None else None
        if prior == "pending_feedback":
            counts = (
                "no longer counts"
                if after.outcome == "excluded"
                else (f"now counts as a {after.outcome} outcome")
            )
            return (
                f"ends its {rules.feedback_grace_days}-day wait for feedback without any and "
                f"{counts}",
                x.attributed_in,
            )
        if after.reason in ("long_term", "long_term_active"):
            return (
                f"passes {rules.long_term_days} days with earnings and counts as a success",
                x.attributed_in,
            )
        if prior == "in_progress":
            return (
                f"has had no payment for {rules.idle_open_days} days and counts as ended "
                f"without feedback ({after.outcome})",
                x.attributed_in,
            )
        return (
            f"starts counting ({after.outcome}, {after.reason.replace('_', ' ')})",
            x.attributed_in,
        )
    if c.reason == "left":
        why = after.reason.replace("_", " ") if after is not None else "gone"
        return f"stops counting ({why})", x.attributed_in
    if c.reason == "outcome_changed" and before is not None and after is not None:
        return (
            f"turns from {before.outcome} to {after.outcome} ({after.reason.replace('_', ' ')})",
            x.attributed_in,
        )
    if before is not None and after is not None and before.weight is not None:
        verb = "rises" if (after.weight or 0) > before.weight else "changes"
        return (
            f"gains weight: it {verb} from {before.weight:g} to {after.weight:g} "
            "(another 90 days of activity)",
            x.attributed_in,
        )
    return c.reason.replace("_", " "), x.attributed_in


def causes_of(x: Explanation, rules: RuleSet) -> list[Cause]:
    """The contributions of an explanation, then its window switch and floor terms."""
    causes = []
    for c in x.contributions:
        text, window = _cause_words(c, x, rules)
        causes.append(Cause(c.contract_id, c.contract.title, c.reason, c.effect, window, text))
    ws = x.window_switch
    if ws is not None and (abs(ws.effect) >= 1e-9 or not x.contributions):
        causes.append(
            Cause(
                None,
                "",
                "window_switch",
                ws.effect,
                ws.target,
                f"{candidate_words(ws.target)} becomes the best (was {candidate_words(ws.source)})",
            )
        )
    if x.floor_effect:
        causes.append(Cause(None, "", "floor", x.floor_effect, x.attributed_in, "the 0% floor"))
    return causes


# --------------------------------------------------------------------------- forecast


@dataclass(frozen=True)
class ForecastEvent:
    """On `day` the displayed JSS changes from `jss_before` to `jss_after`, because of `causes`."""

    step: Step
    causes: list[Cause]
    status: str
    best_before: str | None
    best_after: str | None

    @property
    def day(self) -> date:
        return self.step.day

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.step.day.isoformat(),
            "computed_before": self.step.previous_day.isoformat(),
            "jss_before": self.step.jss_before,
            "jss_after": self.step.jss_after,
            "score_before": self.step.score_before,
            "score_after": self.step.score_after,
            "best_before": self.best_before,
            "best_after": self.best_after,
            "status": self.status,
            "causes": [c.to_json() for c in self.causes],
        }

    def sentence(self, contracts: Sequence[Contract] = ()) -> str:
        """`On 2027-03-04 contract 'Logo redesign' leaves the 12-month window: your JSS rises
        from 80% to 86%.`"""
        before, after = self.step.jss_before, self.step.jss_after
        if before is None:
            movement = f"you get a JSS of {after}%"
        elif after is None:
            movement = (
                f"your JSS of {before}% disappears: no window has enough counted contracts "
                "and clients"
            )
        else:
            verb = "rises" if after > before else "falls"
            movement = f"your JSS {verb} from {before}% to {after}%"
        contract_causes = [c for c in self.causes if c.contract_id is not None]
        if contract_causes:
            top = contract_causes[0]
            name = f"contract '{top.title}'" if top.title else f"contract {top.contract_id}"
            what = f"{name} {top.text}"
            if len(contract_causes) > 1:
                others = len(contract_causes) - 1
                what += f" (and {others} other contract{'s' if others > 1 else ''} change)"
        elif self.causes:
            what = self.causes[0].text
        else:
            what = "the windows change"
        return f"On {self.step.day} {what}: {movement}."


@dataclass(frozen=True)
class Forecast:
    """Every day in (as_of, until] on which the displayed JSS changes if nothing new happens."""

    as_of: date
    until: date
    rules: RuleSet
    jss: int | None
    score: float | None
    events: list[ForecastEvent]
    contracts: Sequence[Contract]

    @property
    def final_jss(self) -> int | None:
        return self.events[-1].step.jss_after if self.events else self.jss

    def to_json(self) -> dict[str, Any]:
        """The `jsscheck.forecast/1` document of CLI.md."""
        return {
            "schema": FORECAST_SCHEMA,
            "as_of": self.as_of.isoformat(),
            "until": self.until.isoformat(),
            "rules": self.rules.to_json(),
            "jss": self.jss,
            "score": self.score,
            "events": [e.to_json() for e in self.events],
            "summary": self.summary(),
        }

    def summary(self) -> str:
        """The headline: where the JSS is now and where waiting takes it."""
        now = "no JSS" if self.jss is None else f"{self.jss}%"
        if not self.events:
            return (
                f"If nothing new happens, your JSS stays at {now} from {self.as_of} "
                f"through {self.until}."
            )
        final = "no JSS" if self.final_jss is None else f"{self.final_jss}%"
        count = len(self.events)
        return (
            f"If nothing new happens, your JSS ({now} on {self.as_of}) changes on {count} "
            f"day{'s' if count > 1 else ''} up to {self.until}, ending at {final}. "
            + self.events[0].sentence(self.contracts)
        )


def forecast(contracts: Sequence[Contract], rules: RuleSet, as_of: date, until: date) -> Forecast:
    """Every day in (as_of, until] on which the displayed JSS changes with no new work."""
    if until <= as_of:
        raise UsageError(f"--until {until} is not after --as-of {as_of}")
    frozen = freeze(contracts, as_of)
    arrays = ContractArrays.from_contracts(frozen)
    now = evaluate(arrays, rules, update_day(as_of, rules.cadence))
    events = []
    for step in shown_steps(arrays, rules, as_of, until):
        before, after = step_evaluations(arrays, rules, step)
        x = explain_change(before, after)
        events.append(ForecastEvent(step, causes_of(x, rules), x.status, before.best, after.best))
    return Forecast(as_of, until, rules, now.jss, now.best_score, events, frozen)


# --------------------------------------------------------------------------- goal


@dataclass(frozen=True)
class GoalResult:
    """MODEL.md 10: new contracts needed for `target` now, and when waiting reaches it."""

    as_of: date
    computed_on: date
    rules: RuleSet
    target: int
    jss: int | None
    score: float | None
    earnings: float
    earnings_source: str
    public_feedback: float
    count: int | None
    jss_after: list[int | None]
    why: str | None
    wait_date: date | None
    wait_jss: int | None
    wait_why: str | None
    until: date

    @property
    def waiting_faster(self) -> bool:
        """Waiting reaches the target sooner than the 30 days new contracts take (or they can't)."""
        if self.wait_date is None or self.count == 0:
            return False
        return self.count is None or (self.wait_date - self.as_of).days < NEW_CONTRACT_DAYS

    def to_json(self) -> dict[str, Any]:
        """The `jsscheck.goal/1` document of CLI.md."""
        new: dict[str, Any]
        if self.count is None:
            new = {
                "count": None,
                "why": self.why,
                "earnings": self.earnings,
                "public_feedback": self.public_feedback,
                "jss_after": self.jss_after,
            }
        else:
            new = {
                "count": self.count,
                "earnings": self.earnings,
                "public_feedback": self.public_feedback,
                "jss_after": self.jss_after,
            }
        return {
            "schema": GOAL_SCHEMA,
            "as_of": self.as_of.isoformat(),
            "computed_on": self.computed_on.isoformat(),
            "rules": self.rules.to_json(),
            "target": self.target,
            "jss": self.jss,
            "score": self.score,
            "new_contracts": new,
            "earnings_source": self.earnings_source,
            "wait": None
            if self.wait_date is None
            else {"date": self.wait_date.isoformat(), "jss": self.wait_jss},
            "wait_why": self.wait_why,
            "waiting_faster": self.waiting_faster,
            "until": self.until.isoformat(),
            "summary": self.summary(),
        }

    def summary(self) -> str:
        """`You need 3 new $500 contracts with 5-star feedback to reach 90% (84% now). …`"""
        now = "no JSS" if self.jss is None else f"{self.jss}%"
        if self.count == 0:
            return f"Your JSS is {now} as of {self.as_of}: already at or above {self.target}%."
        kind = f"${self.earnings:,.0f} contract{{s}} with {self.public_feedback:g}-star feedback"
        if self.count is not None:
            plural = "s" if self.count > 1 else ""
            text = (
                f"You need {self.count} new {kind.format(s=plural)} (each with a new client, "
                f"finished by {self.computed_on}) to reach {self.target}% — you have {now}."
            )
        else:
            text = (
                f"New {kind.format(s='s')} cannot get you to {self.target}% now ({now}): "
                f"{self.why}."
            )
        if self.wait_date is not None:
            text += f" With no new work your JSS reaches {self.wait_jss}% on {self.wait_date}."
            if self.waiting_faster:
                text += " Waiting is faster."
        else:
            text += f" Waiting alone does not get you there: {self.wait_why}."
        return text


def _new_contract(number: int, day: date, earnings: float, public: float) -> Contract:
    return Contract(
        contract_id=f"goal-new-{number}",
        client=f"(new client {number})",
        title=f"new contract {number}",
        start_date=day - timedelta(days=NEW_CONTRACT_DAYS),
        end_date=day,
        last_payment_date=day,
        earnings=earnings,
        public_feedback=public,
    )


def default_earnings(evaluation: Evaluation) -> tuple[float, str]:
    """The median earnings of the counted contracts (else of all started ones, else $500)."""
    arrays = evaluation.arrays
    counted = evaluation.outcome != Outcome.EXCLUDED
    if counted.any():
        return float(np.median(arrays.earnings[counted])), "median of your counted contracts"
    started = evaluation.reason != Reason.NOT_STARTED
    if started.any():
        return float(np.median(arrays.earnings[started])), "median of your contracts"
    return 500.0, "a default: you have no contracts yet"


def _threshold(target: int, rules: RuleSet) -> float:
    """The lowest unrounded score that displays as `target`."""
    return target - 0.5 if rules.rounding == "half_up" else float(target)


def _unreachable_why(
    target: int,
    rules: RuleSet,
    probe: Evaluation,
    new_index: int,
    public: float,
    cap: int,
    last_jss: int | None,
) -> str:
    outcome = Outcome(int(probe.outcome[new_index]))
    reason = Reason(int(probe.reason[new_index]))
    if outcome is Outcome.EXCLUDED:
        if reason is Reason.ZERO_DOLLAR:
            return (
                f"a $0 contract does not count under these rules (zero_dollar = "
                f"{rules.zero_dollar})"
            )
        if reason is Reason.NO_FEEDBACK:
            return (
                "these rules read no feedback from it (use_public is off), and a contract "
                "without feedback does not count"
            )
        return f"such a contract does not count ({reason.label.replace('_', ' ')})"
    if outcome is not Outcome.SUCCESS:
        cutoff = f"success needs {rules.public_success:g} stars or more"
        formula = (
            "under the share formula a neutral contract adds to the total but not to the successes"
            if rules.formula == "share"
            else "it adds to the total without adding a success"
        )
        return (
            f"a {public:g}-star contract is a {outcome.label} outcome here ({cutoff}), so "
            f"{formula}: more of them lower the score"
        )
    if target == 100 and rules.rounding == "floor":
        return (
            "100% with floor rounding needs every counted contract of a window to be a success, "
            f"and not even {cap} new ones make that so"
        )
    reached = "no JSS" if last_jss is None else f"{last_jss}%"
    return f"even {cap} new contracts (the most searched) only reach {reached}"


def goal(
    contracts: Sequence[Contract],
    rules: RuleSet,
    as_of: date,
    target: int = 90,
    earnings: float | None = None,
    public: float = 5.0,
    until: date | None = None,
    max_new: int = MAX_NEW_CONTRACTS,
) -> GoalResult:
    """The fewest new contracts reaching `target` on `as_of`, and the first day waiting does.

    New contracts: each with a new client, `earnings` (default: median of the counted
    contracts), `public` stars and no private feedback, started 30 days before the computation
    day of `as_of` and ended on it (MODEL.md 10). The JSS after each added one is listed up to
    the answer (or up to `max_new` when there is none).
    """
    if not 1 <= target <= 100:
        raise UsageError(f"--target {target} is not a percentage", hint="give 1 to 100")
    if not 1.0 <= public <= 5.0:
        raise UsageError(f"--public {public:g} is out of range", hint="stars are 1 to 5")
    if earnings is not None and (earnings < 0 or math.isnan(earnings)):
        raise UsageError("--earnings cannot be negative")
    until = until or horizon_end(as_of, DEFAULT_HORIZON)
    day = update_day(as_of, rules.cadence)
    frozen = freeze(contracts, as_of)
    arrays = ContractArrays.from_contracts(frozen)
    now = evaluate(arrays, rules, day)
    if earnings is None:
        earnings, source = default_earnings(now)
    else:
        source = "given"

    count: int | None = None
    jss_after: list[int | None] = []
    why: str | None = None
    if now.jss is not None and now.jss >= target:
        count = 0
    else:
        # All max_new candidates are built once; the k-th evaluation lets only the first k
        # exist (the others start after the evaluation day, so they are not there yet).
        extra = [_new_contract(i + 1, day, earnings, public) for i in range(max_new)]
        full = ContractArrays.from_contracts(
            ContractTable.concat([frozen, ContractTable.from_contracts(extra)])
        )
        n = len(frozen)
        not_yet = np.int64(full.start[n] + 10**6) if max_new else np.int64(0)
        probe: Evaluation | None = None
        for k in range(1, max_new + 1):
            start = full.start.copy()
            start[n + k :] = not_yet
            evaluation = evaluate(replace(full, start=start), rules, day)
            probe = probe or evaluation
            jss_after.append(evaluation.jss)
            if evaluation.jss is not None and evaluation.jss >= target:
                count = k
                break
            if Outcome(int(probe.outcome[n])) is not Outcome.SUCCESS and k >= max(
                rules.min_outcomes, rules.min_clients
            ):
                # A neutral, negative or uncounted contract never raises an eligible window's
                # score; more of them can only make windows eligible, and by now every window
                # that could be is.
                break
        if count is None:
            assert probe is not None or max_new == 0
            why = (
                _unreachable_why(
                    target, rules, probe, n, public, max_new, jss_after[-1] if jss_after else None
                )
                if probe is not None
                else "no new contracts searched"
            )

    wait_date, wait_jss, wait_why = _wait(frozen, rules, as_of, until, target, now)
    return GoalResult(
        as_of=as_of,
        computed_on=day,
        rules=rules,
        target=target,
        jss=now.jss,
        score=now.best_score,
        earnings=earnings,
        earnings_source=source,
        public_feedback=public,
        count=count,
        jss_after=jss_after,
        why=why,
        wait_date=wait_date,
        wait_jss=wait_jss,
        wait_why=wait_why,
        until=until,
    )


def _wait(
    frozen: ContractTable, rules: RuleSet, as_of: date, until: date, target: int, now: Evaluation
) -> tuple[date | None, int | None, str | None]:
    if now.jss is not None and now.jss >= target:
        return as_of, now.jss, None
    result = forecast(frozen, rules, as_of, until)
    for event in result.events:
        if event.step.jss_after is not None and event.step.jss_after >= target:
            return event.day, event.step.jss_after, None
    if not result.events and now.jss is None:
        why = f"no window becomes eligible by {until}"
    else:
        reached = [now.jss] + [e.step.jss_after for e in result.events]
        best = max((j for j in reached if j is not None), default=None)
        shown = "no JSS" if best is None else f"{best}%"
        why = f"by {until} the JSS gets no higher than {shown}"
    return None, None, why
