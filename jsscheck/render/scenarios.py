"""People's view of `whatif` and `whatif --close-open`."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from jsscheck.analyses.whatif import ClosingAdvice, WhatifReport, candidate_scores
from jsscheck.render import candidate_words, percent, signed
from jsscheck.render.explain import contributions_table


def _jss(value: int | None) -> str:
    return "—" if value is None else f"{value}%"


def _contract(contract_id: str, title: str) -> str:
    return f"{contract_id} {title}" if title else contract_id


def windows_table(report: WhatifReport) -> Table:
    """Every candidate's score before and after, the best of each side marked."""
    table = Table(title="Windows", title_justify="left")
    table.add_column("Window")
    table.add_column("Before", justify="right")
    table.add_column("After", justify="right")
    table.add_column("Change", justify="right")
    before = candidate_scores(report.before)
    after = candidate_scores(report.after)
    for name in dict.fromkeys([*before, *after]):
        b, a = before.get(name), after.get(name)
        mark_b = " *" if name == report.before.best else ""
        mark_a = " *" if name == report.after.best else ""
        change = signed(a - b, 2) if a is not None and b is not None else ""
        table.add_row(candidate_words(name), percent(b) + mark_b, percent(a) + mark_a, change)
    table.add_row(
        "Displayed JSS", _jss(report.before.jss), _jss(report.after.jss), "", style="bold"
    )
    return table


def edits_table(report: WhatifReport) -> Table:
    """The edits as given."""
    table = Table(title="Edits", title_justify="left")
    table.add_column("Edit")
    table.add_column("Spec")
    for edit in report.edits:
        table.add_row(edit.kind, edit.spec)
    return table


def render_whatif(console: Console, report: WhatifReport) -> None:
    """Headline, windows before/after, what moved the score."""
    console.print(report.summary, markup=False)
    console.print()
    console.print(windows_table(report))
    x = report.explanation
    if x.contributions or x.window_switch or x.floor_effect:
        console.print(contributions_table(x, title="What the scenario changes"))


def advice_table(advice: ClosingAdvice) -> Table:
    """Each open contract closed alone, best first."""
    table = Table(
        title=f"Closing one open contract now (JSS today {_jss(advice.jss)})", title_justify="left"
    )
    table.add_column("Contract")
    table.add_column("Client")
    table.add_column("No feedback", justify="right")
    table.add_column("5 stars", justify="right")
    for o in advice.options:
        table.add_row(
            _contract(o.contract.contract_id, o.contract.title),
            o.contract.client,
            f"{_jss(o.jss_no_feedback)} ({percent(o.score_no_feedback)})",
            f"{_jss(o.jss_five_stars)} ({percent(o.score_five_stars)})",
        )
    return table


def order_table(advice: ClosingAdvice) -> Table:
    """The suggested order, then what to leave open."""
    table = Table(title="Suggested closing order (without feedback)", title_justify="left")
    table.add_column("Step", justify="right")
    table.add_column("Close")
    table.add_column("JSS after", justify="right")
    for n, s in enumerate(advice.order, 1):
        table.add_row(
            str(n),
            _contract(s.contract.contract_id, s.contract.title),
            f"{_jss(s.jss)} ({percent(s.score)})",
        )
    for lo in advice.leave_open:
        table.add_row(
            "—",
            f"leave open: {_contract(lo.contract.contract_id, lo.contract.title)}",
            f"would be {_jss(lo.jss)} ({percent(lo.score)})",
        )
    return table


def render_advice(console: Console, advice: ClosingAdvice) -> None:
    console.print(advice.summary, markup=False)
    if advice.options:
        console.print()
        console.print(advice_table(advice))
        console.print(order_table(advice))
