"""People's view of a calibration: conclusions first, then the best groups and the observations."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from jsscheck.analyses.calibrate import (
    SEARCHED,
    Calibration,
    Group,
    describe_values,
    searched_values,
)
from jsscheck.render import candidate_words, percent


def _value(name: str, value: Any) -> str:
    return describe_values(name, [value])


def group_table(result: Calibration) -> Table:
    """Every searched parameter: the best fit's value, the values the group allows, its status."""
    best = result.best
    space = result.space
    table = Table(
        title=f"Best fit: {best.matches} of {len(result.observations)} observations reproduced "
        f"by {best.size:,} rule sets",
        title_justify="left",
    )
    for column in ("Parameter", "Best fit", "Rule sets that fit allow", "Status"):
        table.add_column(column)
    params = best.representative.params()
    for name in SEARCHED:
        if name in space.pinned:
            status = "fixed by you"
        elif name in space.irrelevant:
            status = "cannot matter: " + space.irrelevant[name]
        elif len(best.values.get(name, ())) > 1:
            searched = len(searched_values(space, name))
            status = "narrowed" if len(best.values[name]) < searched else "undecided"
        elif name in best.values:
            status = "decided"
        else:
            status = "—"
        allowed = best.values.get(name, ())
        table.add_row(
            name,
            _value(name, params[name]) if params[name] is not None else "—",
            describe_values(name, allowed) if allowed else "—",
            status,
        )
    return table


def other_groups_table(result: Calibration) -> Table:
    """The runner-up groups: how many observations each reproduces and how it differs."""
    table = Table(title="Next best groups", title_justify="left")
    for column in ("#", "Reproduced", "MAE", "Rule sets", "Differs from the best fit in"):
        table.add_column(column, justify="right" if column in ("#", "MAE", "Rule sets") else "left")
    best_params = result.best.representative.params()
    for rank, group in enumerate(result.groups[1:], start=2):
        table.add_row(
            str(rank),
            f"{group.matches} of {len(result.observations)}",
            f"{group.representative_mae:.2f}",
            f"{group.size:,}",
            _differences(best_params, group),
        )
    return table


def _differences(best_params: dict[str, Any], group: Group) -> str:
    params = group.representative.params()
    changed = [
        f"{name}={_value(name, params[name])}"
        for name in SEARCHED
        if params[name] != best_params[name]
    ]
    return ", ".join(changed) or "the same representative rules"


def observations_table(result: Calibration) -> Table:
    """Each observation against the best fit's prediction (computed by the engine)."""
    table = Table(title="Observations", title_justify="left")
    for column in ("Date", "Observed", "Predicted", "Score", "Window", "Computed on", ""):
        table.add_column(column, justify="right" if column in ("Observed", "Predicted") else "left")
    for p in result.predictions:
        if p.matches:
            mark = "reproduced"
        elif not p.explainable:
            mark = "no rule set reproduces this"
        else:
            mark = "missed"
        table.add_row(
            p.observation.day.isoformat(),
            f"{p.observation.jss}%",
            "—" if p.jss is None else f"{p.jss}%",
            percent(p.score),
            candidate_words(p.window) if p.window else "no score",
            p.computed_on.isoformat(),
            mark,
        )
    return table


def render_calibration(out: Console, result: Calibration) -> None:
    """The whole report for a terminal."""
    for line in result.conclusions:
        out.print(f"• {line}", markup=False)
    out.print()
    out.print(group_table(result))
    if len(result.groups) > 1:
        out.print(other_groups_table(result))
    out.print(observations_table(result))
    space = result.space
    out.print(
        f"Searched {space.rule_sets:,} rule sets ({space.evaluations:,} distinct evaluations, "
        f"{len(space.classes)} cut-off classes) in {result.elapsed:.1f} s. Parameters not "
        f"searched come from the {result.base.name} rules.",
        markup=False,
    )
