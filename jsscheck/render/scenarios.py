"""People's view of `forecast` and `goal` (`whatif` is in `jsscheck.render.whatif`)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from jsscheck.analyses.forecast import Forecast, GoalResult
from jsscheck.render import percent, signed


def _jss(value: int | None) -> str:
    return "—" if value is None else f"{value}%"


def _contract(contract_id: str, title: str) -> str:
    return f"{contract_id} {title}" if title else contract_id


def forecast_table(result: Forecast) -> Table:
    """Each day the JSS changes, with its causes."""
    table = Table(title="Days your JSS changes if nothing new happens", title_justify="left")
    table.add_column("Date")
    table.add_column("JSS", justify="right")
    table.add_column("Score", justify="right")
    table.add_column("Causes")
    for e in result.events:
        causes = []
        for c in e.causes:
            who = "" if c.contract_id is None else _contract(c.contract_id, c.title) + " "
            causes.append(f"{signed(c.effect, 1)} {who}{c.text}")
        table.add_row(
            e.day.isoformat(),
            f"{_jss(e.step.jss_before)} → {_jss(e.step.jss_after)}",
            f"{percent(e.step.score_before)} → {percent(e.step.score_after)}",
            "\n".join(causes),
        )
    return table


def render_forecast(console: Console, result: Forecast) -> None:
    console.print(result.summary(), markup=False)
    if result.events:
        console.print()
        for e in result.events[1:]:
            console.print(e.sentence(), markup=False)
        console.print()
        console.print(forecast_table(result))


def goal_table(result: GoalResult) -> Table:
    """The JSS after each added contract."""
    table = Table(title="JSS after each new contract", title_justify="left")
    table.add_column("New contracts", justify="right")
    table.add_column("JSS", justify="right")
    table.add_row("0", _jss(result.jss))
    for k, jss in enumerate(result.jss_after, 1):
        style = "bold" if jss is not None and jss >= result.target else None
        table.add_row(str(k), _jss(jss), style=style)
    return table


def render_goal(console: Console, result: GoalResult) -> None:
    console.print(result.summary(), markup=False)
    if result.jss_after:
        console.print()
        console.print(goal_table(result))
