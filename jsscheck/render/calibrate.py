"""`calibrate` for people and scripts: the conclusions, the tables and `jsscheck.calibrate/1`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from rich.console import Console
from rich.table import Table

from jsscheck.analyses.calibrate import (
    CUTOFF_GRIDS,
    SEARCHED,
    Calibration,
    ConflictingSnapshots,
    Group,
    Observation,
    Prediction,
    Unused,
)
from jsscheck.render import percent, schemas
from jsscheck.render.phrases import window_name as candidate_words
from jsscheck.render.rows import PlainTable
from jsscheck.render.text import markup, plain

SCHEMA = schemas.CALIBRATE

#: What each value of a searched parameter means, as a clause ("… if <clause>").
VALUE_WORDS: dict[str, dict[Any, str]] = {
    "no_feedback": {
        "exclude": "contracts that end without feedback are left out",
        "negative": "contracts that end without feedback count as negative",
        "neutral": "contracts that end without feedback count as neutral (they dilute the total)",
    },
    "zero_dollar": {
        "negative_only": "$0 contracts count only with negative feedback",
        "exclude": "$0 contracts never count",
        "count": "$0 contracts count like any other",
    },
    "use_private": {True: "private feedback counts", False: "private feedback does not count"},
    "private_until": {
        None: "private feedback counts on every date",
        date(2026, 3, 31): "private feedback counts only before 2026-03-31",
    },
    "formula": {
        "net": "the score is (successes − negatives) / total",
        "share": "the score is successes / total",
    },
    "weighting": {
        "tiers": "contracts are weighted by job size and length",
        "count": "every contract counts once",
        "dollars": "contracts are weighted by their earnings",
    },
    "anchor": {
        "last_payment": "a contract's last payment decides which months it counts in",
        "end_date": "a contract's end date decides which months it counts in",
    },
    "trending": {
        True: "the Trending score (the average of your last 3 and 6 months) competes",
        False: "the Trending score does not compete",
    },
    "long_term_days": {
        90: "contracts active more than 90 days count as successes",
        None: "long contracts get no automatic success",
    },
    "idle_open_days": {
        90: "open contracts unpaid for 90 days count as ended without feedback",
        None: "idle open contracts do not count",
    },
    "rounding": {
        "half_up": "the score is rounded to the nearest whole number",
        "floor": "the score is rounded down",
    },
    "cadence": {
        "daily": "the score is refreshed daily",
        "biweekly": "the score is refreshed every second Sunday",
    },
}
#: What a parameter decides, as the object of "the data cannot tell …".
QUESTION_WORDS: dict[str, str] = {
    "no_feedback": "how contracts that end without feedback count",
    "zero_dollar": "how $0 contracts count",
    "use_private": "whether private feedback counts",
    "private_until": "whether private feedback stopped counting on 2026-03-31",
    "public_success": "from how many stars a public rating is a success",
    "public_negative": "below how many stars a public rating is negative",
    "private_success": "from which private score (0-10) a contract is a success",
    "private_negative": "up to which private score (0-10) a contract is negative",
    "formula": "which formula is used (net or share)",
    "weighting": "how contracts are weighted",
    "anchor": "whether the end date or the last payment places a contract in the windows",
    "trending": "whether the Trending score competes",
    "long_term_days": "whether contracts over 90 days count as successes",
    "idle_open_days": "whether idle open contracts count",
    "rounding": "how the score is rounded",
    "cadence": "how often the score is refreshed",
}
#: Why a parameter cannot matter for this history, as "… because <words>".
UNUSED_WORDS: dict[Unused, str] = {
    Unused.NO_PRIVATE_FEEDBACK: "your history has no private feedback",
    Unused.PUBLIC_NOT_READ: "these rules do not read public feedback",
    Unused.NO_ZERO_DOLLAR: "your history has no $0 contracts",
    Unused.NO_LONG_TERM: "no contract of yours ran long enough to count as long-term",
    Unused.NO_IDLE_OPEN: "no open contract of yours went 90 days without payment by an "
    "observation date",
    Unused.PAID_ON_END_DATE: "every contract of yours was last paid on its end date",
    Unused.ALL_HAVE_FEEDBACK: "every ended contract of yours has feedback",
    Unused.ON_UPDATE_DAYS: "every observation is on a day both refresh schedules agree on",
}
_CUTOFF_WORDS = {
    "public_success": ("a public rating is a success from", "stars"),
    "public_negative": ("a public rating is negative below", "stars"),
    "private_success": ("a private score is a success from", ""),
    "private_negative": ("a private score is negative at or below", ""),
}
#: Fewer observations than this cannot separate much; say so.
FEW_OBSERVATIONS = 5


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def describe_values(name: str, values: Sequence[Any]) -> str:
    """`4.3–4.5` for a run of grid values, `7, 9` otherwise; yes/no/none for the others."""
    if name in _CUTOFF_WORDS:
        return _cutoff_range(name, values)
    return " or ".join(_value_text(v) for v in values)


def _value_text(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return plain(value)


def _cutoff_range(name: str, values: Sequence[Any]) -> str:
    grid = CUTOFF_GRIDS[name]
    ordered = sorted(values)
    positions = [grid.index(v) if v in grid else -1 for v in ordered]
    contiguous = -1 not in positions and positions == list(
        range(positions[0], positions[0] + len(positions))
    )
    shown = [f"{v:.1f}" if name.startswith("public") else f"{v:g}" for v in ordered]
    if len(ordered) > 1 and contiguous:
        return f"{shown[0]}–{shown[-1]}"
    return ", ".join(shown)


def _clause(name: str, values: Sequence[Any]) -> str:
    if name in _CUTOFF_WORDS:
        lead, unit = _CUTOFF_WORDS[name]
        return f"{lead} {describe_values(name, values)} {unit}".rstrip()
    return " or ".join(VALUE_WORDS[name][v] for v in values)


def _predicted(p: Prediction) -> str:
    return "no score" if p.jss is None else f"{p.jss}%"


def conclusions(result: Calibration) -> list[str]:
    """Plain sentences: what the observations decide, what they cannot, and how sure we are."""
    best, space, total = result.best, result.space, len(result.observations)
    lines: list[str] = []
    if best.matches == total:
        lines.append(
            f"{best.size:,} of the {space.rule_sets:,} rule sets searched reproduce "
            f"{'your only observation' if total == 1 else f'all {total} of your observations'}. "
            "That makes them consistent with what Upwork showed you, not proven: "
            "Upwork's real rules may differ in ways these observations never test."
        )
        need = "your observations are only reproduced if"
    elif best.matches == 0:
        lines.append(
            f"No rule set of the {space.rule_sets:,} searched reproduces any of your "
            f"{_plural(total, 'observation')}: check that the history is complete and that the "
            "dates are the days you read the JSS."
        )
        need = "the closest fit assumes"
    else:
        lines.append(
            f"No rule set reproduces all {total} observations; the best fit reproduces "
            f"{best.matches}. Read what follows as the best partial fit, not as Upwork's rules."
        )
        need = f"the best fit ({best.matches} of {total}) holds only if"
    if result.unexplained:
        days = ", ".join(f"{o.day} ({o.jss}%)" for o in result.unexplained)
        lines.append(
            f"No rule set jsscheck can express reproduces the JSS you recorded on {days}: a "
            "mistyped value, a contract missing from the history, or a rule outside the model."
        )
    missed = [p for p in result.missed if p.explainable]
    if missed and best.matches:
        days = ", ".join(f"{p.observation.day} ({p.observation.jss}%)" for p in missed)
        lines.append(
            f"The best fit does not reproduce {days}; other rule sets do, but not together "
            "with the rest."
        )
    lines.extend(_parameter_lines(result, need))
    undecided = [n for n in best.undecided() if n not in space.pinned]
    if total < FEW_OBSERVATIONS or len(undecided) > 3:
        lines.append(
            f"{_plural(total, 'observation')} leave{'s' if total == 1 else ''} "
            f"{best.size:,} rule sets equally consistent: too few to separate the candidates. "
            "Record the JSS Upwork shows more often (`jsscheck snapshot --observed N`), "
            "especially on days it changes."
        )
    return lines


def _parameter_lines(result: Calibration, need: str) -> list[str]:
    best, space = result.best, result.space
    private_read = True in best.values.get("use_private", ())
    lines = []
    for name in SEARCHED:
        is_private_cutoff = name in ("private_success", "private_negative")
        if name in space.pinned or (is_private_cutoff and not private_read):
            continue
        if name in space.irrelevant:
            if not is_private_cutoff:
                lines.append(
                    f"Your history cannot tell {QUESTION_WORDS[name]}: "
                    f"{UNUSED_WORDS[space.irrelevant[name]]}, so the rule cannot change your "
                    "score."
                )
            continue
        found = best.values.get(name, ())
        searched = space.searched_values(name)
        if not found or len(searched) < 2:
            continue
        if len(found) == 1 or (name in _CUTOFF_WORDS and len(found) < len(searched)):
            lines.append(f"{need[0].upper()}{need[1:]} {_clause(name, found)}.")
        elif len(found) < len(searched):
            ruled_out = [v for v in searched if v not in found]
            lines.append(
                f"The data cannot tell {QUESTION_WORDS[name]}: "
                f"{describe_values(name, found)} fit, {describe_values(name, ruled_out)} does not."
            )
        else:
            lines.append(f"The data cannot tell {QUESTION_WORDS[name]}.")
    return lines


def last_observation_warning(result: Calibration, written: str | None = None) -> str | None:
    """A warning when the best fit misses the latest observation (what Upwork shows now)."""
    miss = result.last_missed
    if miss is None:
        return None
    subject = f"The rules written to {plain(written)}" if written else "The best fit"
    return (
        f"{subject} do{'es' if not written else ''} not reproduce your latest observation: on "
        f"{miss.observation.day} Upwork showed {miss.observation.jss}%, these rules give "
        f"{_predicted(miss)}. Scores computed with them may not match what Upwork shows you now."
    )


def conflict_warning(conflict: ConflictingSnapshots) -> str:
    """Two snapshots observed one day differently: which one is used."""
    return (
        f"{conflict.day} was observed as {conflict.earlier.jss}% "
        f"({plain(conflict.earlier.source)}) and {conflict.later.jss}% "
        f"({plain(conflict.later.source)}); using the later one"
    )


def undated_warning(observation: Observation) -> str:
    """An observation typed (`--observed 92`) or read from a saved profile response: no date."""
    return (
        f"{plain(observation.source)} does not say on which day Upwork showed "
        f"{observation.jss}%: it is counted as {observation.day}. To compare days, record each "
        "one with `jsscheck snapshot HISTORY --observed N` and run calibrate without --observed"
    )


def calibration_document(result: Calibration, warnings: Sequence[str] = ()) -> dict[str, Any]:
    """The `jsscheck.calibrate/1` document (CLI.md)."""
    space = result.space
    return {
        "schema": SCHEMA,
        "base_rules": result.base.to_json(),
        "observations": [
            {
                "date": p.observation.day.isoformat(),
                "observed": p.observation.jss,
                "predicted": p.jss,
                "score": p.score,
                "window": p.window,
                "computed_on": p.computed_on.isoformat(),
                "reproduced": p.matches,
                "explainable": p.explainable,
                "source": p.observation.source,
            }
            for p in result.predictions
        ],
        "best": [_group_json(result, g) for g in result.groups],
        "undecided": result.undecided,
        "irrelevant": {name: UNUSED_WORDS[why] for name, why in space.irrelevant.items()},
        "pinned": _json_values(space.pinned),
        "unexplained": [o.day.isoformat() for o in result.unexplained],
        "searched": {
            "rule_sets": space.rule_sets,
            "evaluated": space.evaluations,
            "cutoff_classes": len(space.classes),
            "seconds": round(result.elapsed, 3),
        },
        "conclusions": conclusions(result),
        "warnings": list(warnings),
    }


def _group_json(result: Calibration, g: Group) -> dict[str, Any]:
    return {
        "params": g.representative.params(),
        "fingerprint": g.representative.fingerprint,
        "matches": g.matches,
        "of": len(result.observations),
        "mae": g.representative_mae,
        "group": {
            "rule_sets": g.size,
            "mae_range": [g.mae_min, g.mae_max],
            "agreed": _json_values(g.agreed(result.space)),
            "undecided": {k: [_json_value(x) for x in v] for k, v in g.undecided().items()},
            "reproduced": [
                o.day.isoformat()
                for o, hit in zip(result.observations, g.reproduced, strict=True)
                if hit
            ],
        },
    }


def _json_value(value: Any) -> Any:
    """A searched value as JSON: dates (private_until) as YYYY-MM-DD."""
    return value.isoformat() if isinstance(value, date) else value


def _json_values(values: dict[str, Any]) -> dict[str, Any]:
    return {
        k: [_json_value(x) for x in v] if isinstance(v, tuple) else _json_value(v)
        for k, v in values.items()
    }


def group_table(result: Calibration) -> Table:
    """Every searched parameter: the best fit's value, the values the group allows, its status."""
    best, space = result.best, result.space
    table = Table(
        title=f"Best fit: {best.matches} of {_plural(len(result.observations), 'observation')} "
        f"reproduced by {_plural(best.size, 'rule set')}",
        title_justify="left",
    )
    for column in ("Rule", "Best fit", "Values that fit", "What the data says"):
        table.add_column(column)
    params = best.representative.params()
    for name in SEARCHED:
        allowed = best.values.get(name, ())
        if name in space.pinned:
            status = "fixed by you"
        elif name in space.irrelevant:
            status = "cannot matter: " + UNUSED_WORDS[space.irrelevant[name]]
        elif len(allowed) > 1:
            narrowed = len(allowed) < len(space.searched_values(name))
            status = "narrowed down" if narrowed else "cannot tell"
        elif allowed:
            status = "decided"
        else:
            status = "—"
        table.add_row(
            name,
            markup(describe_values(name, [params[name]])) if params[name] is not None else "—",
            markup(describe_values(name, allowed)) if allowed else "—",
            markup(status),
        )
    return table


def other_groups_table(result: Calibration) -> Table:
    """The runner-up groups: how many observations each reproduces and how it differs."""
    table = Table(title="Next best fits", title_justify="left")
    right = ("#", "Average miss", "Rule sets")
    for column in ("#", "Reproduced", "Average miss", "Rule sets", "Differs from the best fit in"):
        table.add_column(column, justify="right" if column in right else "left")
    best_params = result.best.representative.params()
    for rank, group in enumerate(result.groups[1:], start=2):
        table.add_row(
            str(rank),
            f"{group.matches} of {len(result.observations)}",
            f"{group.representative_mae:.2f} points",
            f"{group.size:,}",
            markup(_differences(best_params, group)),
        )
    return table


def _differences(best_params: dict[str, Any], group: Group) -> str:
    params = group.representative.params()
    changed = [
        f"{name} = {describe_values(name, [params[name]])}"
        for name in SEARCHED
        if params[name] != best_params[name]
    ]
    return ", ".join(changed) or "the same rules"


def observations_table(result: Calibration) -> Table:
    """Each observation against the best fit's prediction (computed by the engine)."""
    table = Table(title="Observations", title_justify="left")
    columns = ("Date", "Upwork showed", "Best fit gives", "Exact score", "From", "Computed on", "")
    for column in columns:
        table.add_column(column, justify="right" if column in columns[1:3] else "left")
    for p in result.predictions:
        table.add_row(
            p.observation.day.isoformat(),
            f"{p.observation.jss}%",
            _predicted(p),
            percent(p.score),
            markup(candidate_words(p.window)) if p.window else "no score",
            p.computed_on.isoformat(),
            _mark(p),
        )
    return table


def render_calibration(out: Console, result: Calibration) -> None:
    """The whole report for a terminal."""
    for line in conclusions(result):
        out.print(f"• {plain(line)}", markup=False, highlight=False)
    out.print()
    out.print(group_table(result))
    if len(result.groups) > 1:
        out.print(other_groups_table(result))
    out.print(observations_table(result))
    space = result.space
    out.print(
        f"Tried {_plural(space.rule_sets, 'rule set')} ({space.evaluations:,} computed: the "
        f"others give the same signals) in {result.elapsed:.1f} s. Rules not searched come "
        f"from the {plain(result.base.name)} rules.",
        markup=False,
        highlight=False,
    )


def _mark(p: Prediction) -> str:
    if p.matches:
        return "reproduced"
    return "no rule set reproduces this" if not p.explainable else "missed"


def observation_rows(result: Calibration) -> PlainTable:
    """The observations table as plain rows (markdown)."""
    from jsscheck.render.rows import Column, table

    headers = ("Date", "Upwork showed", "Best fit gives", "Exact score", "From", "Computed on")
    columns = [Column(h, "right" if h in headers[1:3] else "left") for h in headers]
    rows = [
        (
            p.observation.day.isoformat(),
            f"{p.observation.jss}%",
            _predicted(p),
            percent(p.score),
            candidate_words(p.window) if p.window else "no score",
            p.computed_on.isoformat(),
            _mark(p),
        )
        for p in result.predictions
    ]
    return table("Observations", [*columns, Column("")], rows)


def observations_csv(result: Calibration) -> PlainTable:
    """Each observation against the best fit as CSV data (numbers stay numbers)."""
    from jsscheck.render.rows import data_table

    headers = ["date", "observed_jss", "predicted_jss", "score", "best", "computed_on", "result"]
    rows = [
        (
            p.observation.day.isoformat(),
            p.observation.jss,
            p.jss,
            p.score,
            p.window,
            p.computed_on.isoformat(),
            _mark(p),
        )
        for p in result.predictions
    ]
    return data_table(headers, rows)


def calibration_markdown(result: Calibration) -> str:
    """The conclusions and the observations, in markdown."""
    from jsscheck.render.markdown import table_markdown

    lines = "\n".join(f"- {plain(line)}" for line in conclusions(result))
    return lines + "\n\n" + table_markdown(observation_rows(result))
