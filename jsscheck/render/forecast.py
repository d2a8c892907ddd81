"""People's and scripts' view of `forecast`: the `jsscheck.forecast/2` document, sentences that
name the contracts, a table with each day once, and markdown from the same plain rows.

`event_words` (what happened to one contract in one step) is shared with the timeline's moves.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from jsscheck.analyses.forecast import Forecast, ForecastEvent
from jsscheck.engine import attribution
from jsscheck.model.rules import RuleSet
from jsscheck.render import REASON_WORDS, schemas
from jsscheck.render.phrases import coverage_warning, points
from jsscheck.render.rows import PlainTable, data_table
from jsscheck.render.text import markup, plain

FORECAST_SCHEMA = schemas.FORECAST
#: Effects smaller than this are not causes (a contract leaving a window nobody shows).
_NO_EFFECT = 1e-9


# --------------------------------------------------------------------------- words


def jss_words(jss: int | None) -> str:
    return "no JSS" if jss is None else f"{jss}%"


def window_words(name: str | None) -> str:
    """`12m` → `the 12-month window`, `trending` → `the Trending score`."""
    if name is None:
        return "no window"
    if name == "trending":
        return "the Trending score"
    return f"the {name.removesuffix('m')}-month window"


def _months(months: Sequence[int]) -> str:
    """(12,) → `12-month window`; (3, 6) → `3- and 6-month windows`."""
    if len(months) == 1:
        return f"{months[0]}-month window"
    head = ", ".join(f"{m}-" for m in months[:-1])
    return f"{head} and {months[-1]}-month windows"


def contract_label(contract_id: str | None, titles: dict[str, str]) -> str:
    """`'Logo redesign'` (by title), else `contract 4521` (plain text, not yet escaped)."""
    if contract_id is None:
        return "the rule change"
    title = titles.get(contract_id, "")
    return f"'{title}'" if title else f"contract {contract_id}"


def _counts_as(footprint: attribution.Footprint) -> str:
    return "a success" if footprint.outcome == "success" else f"a {footprint.outcome} outcome"


def _entered(event: attribution.Event, rules: RuleSet) -> str:
    before, after = event.before, event.after
    assert after is not None
    if before is not None:
        return f"enters your {_months(sorted(set(after.windows) - set(before.windows)))}"
    if after.reason in ("long_term", "long_term_active"):
        return (
            f"has run for more than {rules.long_term_days} days and now counts as a success "
            "(a long-term contract)"
        )
    if after.reason == "no_feedback":
        return (
            f"got no feedback within {rules.feedback_grace_days} days and now counts as "
            f"{_counts_as(after)}"
        )
    if after.reason == "feedback":
        return f"gets its feedback and now counts as {_counts_as(after)}"
    words = REASON_WORDS.get(after.reason, after.reason.replace("_", " "))
    return f"now counts as {_counts_as(after)} ({words})"


def event_clause(event: attribution.Event, titles: dict[str, str], rules: RuleSet) -> str:
    """`'Logo redesign' leaves your 6-month window` (plain text, without its effect)."""
    before, after = event.before, event.after
    name = contract_label(event.contract_id, titles)
    if event.reason == "aged_out" and before is not None and after is not None:
        what = f"leaves your {_months(sorted(set(before.windows) - set(after.windows)))}"
    elif event.reason == "entered" and after is not None:
        what = _entered(event, rules)
    elif event.reason == "left":
        what = "no longer counts"
    elif event.reason == "outcome_changed" and before is not None and after is not None:
        what = f"now counts as {_counts_as(after)} instead of {_counts_as(before)}"
    elif event.reason == "weight_changed" and before is not None and after is not None:
        what = (
            f"now weighs {after.weight:g} jobs instead of {before.weight:g} "
            "(another 90 days of work)"
        )
    elif event.reason == "rules":
        return "The rule change"
    else:
        what = event.reason.replace("_", " ")
    return f"{name} {what}"


def event_words(event: attribution.Event, titles: dict[str, str], rules: RuleSet) -> str:
    """`'Logo redesign' leaves your 6-month window: −4.0 points` (plain text)."""
    clause = event_clause(event, titles, rules)
    if abs(event.effect) < _NO_EFFECT and event.reason != "rules":
        # Only where the JSS appears or disappears: the score it would show did not move.
        return clause
    return f"{clause}: {points(event.effect)}"


def _unattributed_words(term: attribution.Unattributed) -> str:
    if term.kind == "floor":
        return f"The 0% floor (a score cannot go below 0%): {points(term.effect)}"
    return f"Another window takes over (many contracts changed at once): {points(term.effect)}"


def causes(event: ForecastEvent) -> list[attribution.Event]:
    """The contracts that moved the score on that day, largest effect first (all that changed
    when the JSS appears or disappears: then the effects may all be 0)."""
    if event.change.jss_before is None or event.change.jss_after is None:
        return list(event.causes.events)
    events = event.causes.columns  # made into objects only where they are causes
    return list(events.events(np.flatnonzero(np.abs(events.effect) >= _NO_EFFECT).tolist()))


def movement(event: ForecastEvent) -> str:
    """`your JSS rises from 33% to 100%`."""
    before, after = event.change.jss_before, event.change.jss_after
    if before is None:
        return f"you get a JSS of {after}%"
    if after is None:
        return f"your JSS of {before}% disappears (no window has enough contracts and clients)"
    verb = "rises" if after > before else "falls"
    return f"your JSS {verb} from {before}% to {after}%"


def best_words(event: ForecastEvent) -> str | None:
    """`Upwork now shows the 6-month window (was the Trending score).` when that changes."""
    if event.best_before == event.best_after or event.best_after is None:
        return None
    was = f" (was {window_words(event.best_before)})" if event.best_before else ""
    return f"Upwork now shows {window_words(event.best_after)}{was}."


#: The causes of one day shown in a table cell; the rest are summed in one line.
SHOWN_CAUSES = 3


def event_lines(event: ForecastEvent, titles: dict[str, str], rules: RuleSet) -> list[str]:
    """The largest causes of one day (the others summed), then the window Upwork shows if it
    changed (plain text)."""
    found = causes(event)
    lines = [event_words(e, titles, rules) for e in found[:SHOWN_CAUSES]]
    rest = found[SHOWN_CAUSES:]
    if rest:
        total = sum(e.effect for e in rest)
        lines.append(f"{len(rest)} other contract{'s' if len(rest) > 1 else ''}: {points(total)}")
    lines += [_unattributed_words(u) for u in event.causes.unattributed]
    best = best_words(event)
    return lines + ([best] if best else [])


def event_sentence(event: ForecastEvent, titles: dict[str, str], rules: RuleSet) -> str:
    """`On 2026-08-02 'Logo redesign' leaves your 12-month window (+66.7 points): your JSS rises
    from 33% to 100%.`"""
    found = causes(event)
    if not found:
        return f"On {event.day} {movement(event)}."
    words = event_words(found[0], titles, rules)
    if abs(found[0].effect) < _NO_EFFECT:
        what, effect = words, ""
    else:
        what, _, points_words = words.rpartition(": ")
        effect = f" ({points_words})"
    others = len(found) - 1
    more = f" (and {others} other contract{'s' if others > 1 else ''})" if others else ""
    shows = ""
    if event.best_before != event.best_after and event.best_before and event.best_after:
        shows = (
            f": Upwork shows {window_words(event.best_after)} instead of "
            f"{window_words(event.best_before)}"
        )
    return f"On {event.day} {what}{effect}{more}{shows}, and {movement(event)}."


def summary(result: Forecast) -> str:
    """The headline: the first change, naming its contract, then where waiting ends."""
    now = jss_words(result.jss)
    if not result.events and result.jss is None:
        return (
            f"If nothing new happens, you have no JSS from {result.as_of} through "
            f"{result.until}: no window has enough counted contracts and clients."
        )
    if not result.events:
        return (
            f"If nothing new happens, your JSS stays at {now} from {result.as_of} "
            f"through {result.until}."
        )
    first = event_sentence(result.events[0], result.titles, result.rules)
    rest = len(result.events) - 1
    final = "with no JSS" if result.final_jss is None else f"at {result.final_jss}%"
    if rest == 0:
        return f"{first} It then stays {final} through {result.until} if nothing new happens."
    return (
        f"{first} If nothing new happens it changes on {rest} more day{'s' if rest > 1 else ''} "
        f"up to {result.until}, ending {final} (now {now})."
    )


def top_rated_lines(result: Forecast) -> list[str]:
    """`Top Rated: you are eligible now; you lose eligibility on 2026-10-05.`"""
    state = "eligible" if result.top_rated_now else "not eligible"
    lines = [f"Top Rated: you are {state} now ({result.as_of})."]
    for flip in result.top_rated:
        verb = "you become eligible" if flip.eligible else "you lose eligibility"
        lines.append(f"Top Rated: {verb} on {flip.day}.")
    if not result.top_rated:
        lines[0] = lines[0][:-1] + f" and stay so through {result.until}."
    return lines


# --------------------------------------------------------------------------- outputs


def forecast_document(result: Forecast) -> dict[str, Any]:
    """The `jsscheck.forecast/2` document of CLI.md."""

    def cause(e: attribution.Event) -> dict[str, Any]:
        return {
            "contract_id": e.contract_id,
            "title": result.titles.get(e.contract_id or "", ""),
            "reason": e.reason,
            "effect": e.effect,
        }

    def event(e: ForecastEvent) -> dict[str, Any]:
        terms = [
            {"contract_id": None, "title": "", "reason": u.kind, "effect": u.effect}
            for u in e.causes.unattributed
        ]
        return {
            "date": e.day.isoformat(),
            "jss_before": e.change.jss_before,
            "jss_after": e.change.jss_after,
            "score_before": e.change.score_before,
            "score_after": e.change.score_after,
            "best_before": e.best_before,
            "best_after": e.best_after,
            "causes": [cause(c) for c in causes(e)] + terms,
        }

    return {
        "schema": FORECAST_SCHEMA,
        "as_of": result.as_of.isoformat(),
        "until": result.until.isoformat(),
        "computed_on": result.computed_on.isoformat(),
        "rules": result.rules.to_json(),
        "jss": result.jss,
        "score": result.score,
        "best": result.best,
        "events": [event(e) for e in result.events],
        "top_rated_now": result.top_rated_now,
        "top_rated": [
            {"date": flip.day.isoformat(), "eligible": flip.eligible} for flip in result.top_rated
        ],
        "warnings": forecast_warnings(result),
        "summary": summary(result),
    }


def forecast_warnings(result: Forecast) -> list[str]:
    """The warnings of MODEL.md 11 that concern a forecast: short coverage."""
    return [coverage_warning(result.short_coverage)] if result.short_coverage else []


HEADERS = ("Date", "JSS", "What happens")


def forecast_rows(result: Forecast) -> list[tuple[str, str, list[str]]]:
    """One plain row per day the JSS changes: date, `33% → 100%`, the lines of its causes."""
    return [
        (
            e.day.isoformat(),
            f"{jss_words(e.change.jss_before)} → {jss_words(e.change.jss_after)}",
            event_lines(e, result.titles, result.rules),
        )
        for e in result.events
    ]


def render_forecast(console: Console, result: Forecast) -> None:
    """Headline, one table row per day (each day once), Top Rated days."""
    console.print(markup(summary(result)))
    if result.events:
        console.print()
        table = Table(title="Days your JSS changes if nothing new happens", title_justify="left")
        table.add_column(HEADERS[0])
        table.add_column(HEADERS[1], justify="right")
        table.add_column(HEADERS[2])
        for day, jss, lines in forecast_rows(result):
            table.add_row(day, jss, "\n".join(markup(line) for line in lines))
        console.print(table)
    console.print()
    for line in top_rated_lines(result):
        console.print(markup(line))


def markdown_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub-flavoured markdown table of plain text cells (escaped here)."""

    def cell(text: str) -> str:
        return plain(text).replace("|", "\\|")

    lines = [f"**{cell(title)}**", "", "| " + " | ".join(cell(h) for h in headers) + " |"]
    lines.append("|" + "|".join("---" for _ in headers) + "|")
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def forecast_markdown(result: Forecast) -> str:
    """The headline, the days as a markdown table (from `forecast_rows`), Top Rated days."""
    parts = [plain(summary(result))]
    if result.events:
        rows = [(day, jss, "; ".join(lines)) for day, jss, lines in forecast_rows(result)]
        parts.append(markdown_table("Days your JSS changes if nothing new happens", HEADERS, rows))
    parts.append("\n".join(plain(line) for line in top_rated_lines(result)))
    return "\n\n".join(parts) + "\n"


def events_table(result: Forecast) -> PlainTable:
    """The days the JSS changes as CSV data: one row per day, its causes joined by `; `."""
    headers = ["date", "jss_before", "jss_after", "score_before", "score_after", "best_before"]
    headers += ["best_after", "what_happens"]
    return data_table(
        headers,
        [
            (
                e.day.isoformat(),
                e.change.jss_before,
                e.change.jss_after,
                e.change.score_before,
                e.change.score_after,
                e.best_before,
                e.best_after,
                "; ".join(plain(line) for line in event_lines(e, result.titles, result.rules)),
            )
            for e in result.events
        ],
    )
