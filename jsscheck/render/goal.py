"""People's and scripts' view of `goal`: the `jsscheck.goal/2` document and a few plain lines
(never one row per new contract tried), and markdown from the same lines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from rich.console import Console

from jsscheck.analyses.goal import GoalResult, Plan, Unreachable, WaitNever
from jsscheck.render import REASON_WORDS, money, schemas
from jsscheck.render.forecast import jss_words, markdown_table
from jsscheck.render.text import markup, plain

GOAL_SCHEMA = schemas.GOAL
_EARNINGS_SOURCE = {
    "given": "as given",
    "median_counted": "the median of your counted contracts",
    "median_all": "the median of your contracts",
    "default": "a default: you have no contracts yet",
}


def _kind(result: GoalResult, count: int | None = None) -> str:
    """`3 new $500 contracts with 5-star feedback`."""
    plural = "" if count == 1 else "s"
    number = "" if count is None else f"{count} "
    return (
        f"{number}new {money(result.earnings)} contract{plural} with "
        f"{result.public_feedback:g}-star feedback"
    )


def why_words(why: Unreachable, result: GoalResult) -> str:
    """Why new contracts cannot get there, in words."""
    rules = result.rules
    if why.kind == "not_counted":
        if why.reason == "zero_dollar":
            return (
                "a $0 contract does not count under these rules "
                f"(zero_dollar = {rules.zero_dollar})"
            )
        if why.reason == "no_feedback":
            return (
                "these rules read no public feedback, and a contract without feedback does not "
                "count"
            )
        words = REASON_WORDS.get(why.reason or "", (why.reason or "").replace("_", " "))
        return f"such a contract does not count ({words})"
    if why.kind == "not_success":
        return (
            f"a {result.public_feedback:g}-star contract counts as a {why.outcome} outcome here "
            f"(a success needs {rules.public_success:g} stars or more), so more of them do not "
            "raise your score"
        )
    if why.kind == "floor_100":
        return (
            "100% with floor rounding needs every counted contract of a window to be a success, "
            f"and even {why.tried} new ones do not make that so"
        )
    reached = jss_words(why.best_jss)
    if why.kind == "horizon":
        return f"by {result.until} your JSS gets no higher than {reached}"
    return f"even {why.tried} new contracts (the most tried) only reach {reached}"


def new_line(result: GoalResult) -> str:
    new = result.new_contracts
    if new.count is None:
        assert new.why is not None
        return f"New work now: {_kind(result)} cannot get you there: {why_words(new.why, result)}."
    return (
        f"New work now: {_kind(result, new.count)}, each with a new client and finished by "
        f"{result.computed_on}, would show {jss_words(new.jss_after)}."
    )


def wait_line(result: GoalResult) -> str:
    wait = result.wait
    if isinstance(wait, WaitNever):
        return (
            f"Waiting: with no new work your JSS gets no higher than {jss_words(wait.best_jss)} "
            f"by {result.until}."
        )
    target = result.target
    first = f"with no new work your JSS first shows {wait.jss}% on {wait.day}"
    if wait.day == result.as_of:
        first = f"with no new work your JSS is {wait.jss}% now"
    if wait.stays_from is None:
        return f"Waiting: {first}, but falls back below {target}% on {wait.falls_on}."
    if wait.stays_from == wait.day:
        return f"Waiting: {first} and stays at {target}% or more through {result.until}."
    return (
        f"Waiting: {first}, falls back below {target}% on {wait.falls_on}, and stays at "
        f"{target}% or more from {wait.stays_from} on."
    )


def plan_line(result: GoalResult) -> str:
    plan = result.plan
    start = result.as_of + timedelta(days=result.pace_days)
    one = _kind(result, 1).replace("1 new", "one new")
    pace = f"finishing {one} every {result.pace_days} days from {start}"
    if isinstance(plan, Unreachable):
        return f"A plan: {pace} does not get you there: {why_words(plan, result)}."
    finished = f"{plan.contracts} of them" if plan.contracts != 1 else "the first one"
    return f"A plan: {pace}, your JSS shows {plan.jss}% on {plan.day}, after {finished}."


def summary(result: GoalResult) -> str:
    """The headline: where the JSS is and what the target is."""
    now = jss_words(result.jss)
    if result.reached:
        return f"Your JSS is {now} as of {result.as_of}: already at or above {result.target}%."
    if result.jss is None:
        return f"You have no JSS as of {result.as_of}. To reach {result.target}%:"
    return f"Your JSS is {now} as of {result.as_of}. To reach {result.target}%:"


def goal_lines(result: GoalResult) -> list[str]:
    """The headline, then one line per way to the target (plain text)."""
    if result.reached:
        return [summary(result), wait_line(result)]
    return [summary(result), new_line(result), wait_line(result), plan_line(result)]


def goal_document(result: GoalResult, warnings: Sequence[str] = ()) -> dict[str, Any]:
    """The `jsscheck.goal/2` document of CLI.md (`warnings`: MODEL.md 11's, as sentences)."""
    new = result.new_contracts
    kind = {"earnings": result.earnings, "public_feedback": result.public_feedback}
    new_doc: dict[str, Any]
    if new.count is None:
        assert new.why is not None
        new_doc = {"count": None, "why": why_words(new.why, result), **kind}
    else:
        new_doc = {"count": new.count, **kind, "jss_after": new.jss_after}
    wait, plan = result.wait, result.plan
    return {
        "schema": GOAL_SCHEMA,
        "as_of": result.as_of.isoformat(),
        "computed_on": result.computed_on.isoformat(),
        "until": result.until.isoformat(),
        "rules": result.rules.to_json(),
        "target": result.target,
        "jss": result.jss,
        "score": result.score,
        "new_contracts": new_doc,
        "earnings_source": result.earnings_source,
        "wait": None
        if isinstance(wait, WaitNever)
        else {
            "date": wait.day.isoformat(),
            "jss": wait.jss,
            "stays_from": None if wait.stays_from is None else wait.stays_from.isoformat(),
        },
        "wait_why": wait_line(result) if isinstance(wait, WaitNever) else None,
        "plan": {
            "pace_days": plan.pace_days,
            "date": plan.day.isoformat(),
            "contracts": plan.contracts,
            "jss": plan.jss,
        }
        if isinstance(plan, Plan)
        else None,
        "plan_why": why_words(plan, result) if isinstance(plan, Unreachable) else None,
        "warnings": list(warnings),
        "summary": " ".join(goal_lines(result)),
    }


def render_goal(console: Console, result: GoalResult) -> None:
    """A few plain lines: the headline, then new work now, waiting and a plan."""
    lines = goal_lines(result)
    console.print(markup(lines[0]))
    for line in lines[1:]:
        console.print(markup(f"  • {line}"))
    if not result.reached:
        source = _EARNINGS_SOURCE.get(result.earnings_source, result.earnings_source)
        console.print(markup(f"  (Earnings per new contract: {money(result.earnings)}, {source}.)"))


def goal_markdown(result: GoalResult) -> str:
    """The headline and the ways as a markdown table (from the same lines)."""
    lines = goal_lines(result)
    rows = []
    for line in lines[1:]:
        way, _, answer = line.partition(": ")
        rows.append((way, answer))
    table = markdown_table(f"Reaching {result.target}%", ("Way", "Answer"), rows)
    return plain(lines[0]) + "\n\n" + table + "\n"
