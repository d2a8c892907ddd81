"""`explain` as data: the change between two dates, its attribution and the steps between."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from jsscheck.engine.arrays import ContractArrays
from jsscheck.engine.attribution import Explanation, explain_change
from jsscheck.engine.calendar import update_day
from jsscheck.engine.changes import Step, shown_steps, step_evaluations
from jsscheck.engine.evaluate import evaluate
from jsscheck.model.rules import RuleSet
from jsscheck.render.phrases import summary

EXPLAIN_SCHEMA = "jsscheck.explain/1"


@dataclass(frozen=True)
class StepCause:
    """A day the displayed JSS changed, and the contract that moved it most (if any)."""

    step: Step
    top_cause: str | None
    top_effect: float | None

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.step.day.isoformat(),
            "jss_before": self.step.jss_before,
            "jss_after": self.step.jss_after,
            "score_before": self.step.score_before,
            "score_after": self.step.score_after,
            "top_cause": self.top_cause,
            "top_effect": self.top_effect,
        }


@dataclass(frozen=True)
class ExplainReport:
    """Why the displayed score moved from `since` to `as_of` under `rules`."""

    since: date
    as_of: date
    rules: RuleSet
    explanation: Explanation
    steps: list[StepCause]
    summary: str

    def to_json(self) -> dict[str, Any]:
        """The `jsscheck.explain/1` document of CLI.md."""
        return {
            "schema": EXPLAIN_SCHEMA,
            "since": self.since.isoformat(),
            "as_of": self.as_of.isoformat(),
            "rules": self.rules.to_json(),
            **self.explanation.to_json(),
            "steps": [s.to_json() for s in self.steps],
            "summary": self.summary,
        }


def attribute_steps(arrays: ContractArrays, rules: RuleSet, steps: list[Step]) -> list[StepCause]:
    """Name the contract that moved the score most on each step."""
    causes = []
    for step in steps:
        before, after = step_evaluations(arrays, rules, step)
        x = explain_change(before, after)
        top = x.contributions[0] if x.contributions else None
        causes.append(
            StepCause(step, top.contract_id if top else None, top.effect if top else None)
        )
    return causes


def explain_report(
    arrays: ContractArrays, rules: RuleSet, since: date, as_of: date
) -> ExplainReport:
    """Explain the change of the displayed score between the shown dates `since` and `as_of`."""
    before = evaluate(arrays, rules, update_day(since, rules.cadence))
    after = evaluate(arrays, rules, update_day(as_of, rules.cadence))
    explanation = explain_change(before, after)
    steps = attribute_steps(arrays, rules, shown_steps(arrays, rules, since, as_of))
    text = summary(explanation, since, as_of, [s.step.day for s in steps], arrays, rules)
    return ExplainReport(since, as_of, rules, explanation, steps, text)
