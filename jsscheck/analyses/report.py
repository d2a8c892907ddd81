"""Everything the one-page report shows, gathered from the other analyses (no maths here).

`gather` calls `score_report`, `explain`, `forecast`, `goal`, `close_open_advice` and
`compute_timeline` + `largest_moves` for the same history, rules and date, so the page says
exactly what those commands say. The page and its JSON document are made in
`jsscheck.render.html`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from jsscheck.analyses.explain import ExplainResult, explain
from jsscheck.analyses.forecast import Forecast, ForecastEvent, forecast
from jsscheck.analyses.goal import GoalResult, goal
from jsscheck.analyses.score import ScoreReport, score_report
from jsscheck.analyses.timeline import Timeline, compute_timeline, largest_moves
from jsscheck.analyses.whatif import ClosingAdvice, close_open_advice
from jsscheck.engine.arrays import ContractArrays
from jsscheck.model.contract import Contract
from jsscheck.model.rules import RuleSet

#: How many of the timeline's largest moves the chart labels with their contract.
LABELLED_MOVES = 5


@dataclass(frozen=True)
class Report:
    """The answers of every analysis for one history, rule set and date."""

    as_of: date
    since: date
    until: date
    rules: RuleSet
    score: ScoreReport
    explain: ExplainResult
    forecast: Forecast
    goal: GoalResult
    advice: ClosingAdvice
    timeline: Timeline
    moves: tuple[ForecastEvent, ...]
    titles: dict[str, str]


def gather(
    contracts: Sequence[Contract],
    arrays: ContractArrays,
    rules: RuleSet,
    *,
    as_of: date,
    since: date,
    until: date,
    chart_from: date,
    warnings: tuple[str, ...] = (),
    target: int = 90,
    covered_from: date | None = None,
) -> Report:
    """Run every analysis the report shows on the same inputs.

    `since` is where "why it moved" starts (the last snapshot, else 28 days earlier), `until`
    the forecast's last day, `chart_from` the chart's first day (two years back),
    `covered_from` the first date the Upwork exports cover (`ReadResult.covered_from`).
    """
    timeline = compute_timeline(arrays, rules, chart_from, as_of, None, None, with_steps=True)
    return Report(
        as_of=as_of,
        since=since,
        until=until,
        rules=rules,
        score=score_report(arrays, rules, as_of, warnings, covered_from),
        explain=explain(arrays, rules, since, as_of, covered_from),
        forecast=forecast(contracts, rules, as_of, until, covered_from),
        goal=goal(contracts, rules, as_of, target=target, until=until),
        advice=close_open_advice(contracts, rules, as_of),
        timeline=timeline,
        moves=tuple(largest_moves(arrays, rules, timeline.steps, LABELLED_MOVES)),
        titles=arrays.contracts.titles_by_id(),
    )
