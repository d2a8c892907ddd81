"""People's view of an explanation: the headline, the contributions, the steps."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from jsscheck.analyses.explain import ExplainReport
from jsscheck.engine.attribution import ContractState, Explanation
from jsscheck.render import REASON_WORDS, signed
from jsscheck.render.markdown import table_markdown

_CHANGE_WORDS = {
    "entered": "started counting",
    "aged_out": "aged out",
    "left": "stopped counting",
    "outcome_changed": "outcome changed",
    "weight_changed": "weight changed",
}


def _state(state: ContractState | None) -> str:
    if state is None:
        return "—"
    reason = REASON_WORDS.get(state.reason, state.reason)
    text = f"{state.outcome} ({reason})"
    if state.weight is not None:
        text += f", weight {state.weight:g}"
        if not state.in_window:
            text += ", outside the window"
    return text


def contributions_table(x: Explanation, title: str = "What moved the score") -> Table:
    """Contributions, largest first, signed and coloured; then the switch and floor terms."""
    where = f" — attributed in {x.attributed_in}" if x.attributed_in else ""
    table = Table(title=title + where, title_justify="left")
    table.add_column("Effect", justify="right")
    table.add_column("Contract")
    table.add_column("Client")
    table.add_column("What happened")
    table.add_column("Before")
    table.add_column("After")
    for c in x.contributions:
        colour = "red" if c.effect < 0 else "green"
        name = c.contract_id + (f" {c.contract.title}" if c.contract.title else "")
        table.add_row(
            f"[{colour}]{signed(c.effect, 2)}[/]",
            name,
            c.contract.client,
            _CHANGE_WORDS.get(c.reason, c.reason),
            _state(c.before),
            _state(c.after),
        )
    if x.window_switch is not None:
        ws = x.window_switch
        table.add_row(
            signed(ws.effect, 2), f"window switch {ws.source} → {ws.target}", "", "", "", ""
        )
    if x.floor_effect:
        table.add_row(signed(x.floor_effect, 2), "floor at 0%", "", "", "", "")
    return table


def steps_table(report: ExplainReport) -> Table:
    """The days the displayed JSS changed."""
    names = report.explanation.after.arrays.contracts.titles_by_id()
    table = Table(title="Days your JSS changed", title_justify="left")
    table.add_column("Date")
    table.add_column("JSS", justify="right")
    table.add_column("Main cause")
    for s in report.steps:
        before = "—" if s.step.jss_before is None else f"{s.step.jss_before}%"
        after = "—" if s.step.jss_after is None else f"{s.step.jss_after}%"
        cause = "window switch" if s.top_cause is None else s.top_cause
        if s.top_cause and names.get(s.top_cause):
            cause += f" {names[s.top_cause]}"
        if s.top_effect is not None:
            cause += f" ({signed(s.top_effect, 1)})"
        table.add_row(s.step.day.isoformat(), f"{before} → {after}", cause)
    return table


def render_explain(console: Console, report: ExplainReport) -> None:
    """Headline, contributions, steps."""
    console.print(report.summary, markup=False)
    x = report.explanation
    if x.contributions or x.window_switch or x.floor_effect:
        console.print()
        console.print(contributions_table(x))
    if report.steps:
        console.print(steps_table(report))


def explain_markdown(report: ExplainReport) -> str:
    """For pasting into a support ticket or a forum post."""
    parts: list[Any] = [
        f"### JSS from {report.since} to {report.as_of} ({report.rules.name} rules)",
        report.summary,
    ]
    x = report.explanation
    if x.contributions or x.window_switch or x.floor_effect:
        parts.append(table_markdown(contributions_table(x)))
    if report.steps:
        parts.append(table_markdown(steps_table(report)))
    parts.append("_Computed with jsscheck from my own contract history._")
    return "\n\n".join(parts) + "\n"
