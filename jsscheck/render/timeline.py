"""Scripts' view of `timeline`: the `jsscheck.timeline/1` document, CSV rows, and markdown from
the same plain rows (the chart for people is `jsscheck.render.chart`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jsscheck.analyses.timeline import Timeline, TimelinePoint
from jsscheck.render import percent, schemas
from jsscheck.render.forecast import jss_words, markdown_table, window_words

TIMELINE_SCHEMA = schemas.TIMELINE


def _point(p: TimelinePoint) -> dict[str, Any]:
    return {
        "date": p.day.isoformat(),
        "computed_on": p.computed_on.isoformat(),
        "jss": p.jss,
        "best": p.best,
        "score": p.score,
        "windows": dict(p.windows),
    }


def timeline_document(timeline: Timeline, warnings: Sequence[str] = ()) -> dict[str, Any]:
    """The `jsscheck.timeline/1` document of CLI.md (plus the range, rules, status and
    `warnings`: MODEL.md 11's, as sentences)."""
    top = timeline.top_rated
    return {
        "schema": TIMELINE_SCHEMA,
        "from": timeline.first.isoformat(),
        "to": timeline.last.isoformat(),
        "every": timeline.every,
        "rules": timeline.rules.to_json(),
        "points": [_point(p) for p in timeline.points],
        "top_rated": {
            "eligible_weeks": top.eligible_weeks,
            "weeks": top.weeks,
            "earnings_12m": top.earnings_12m,
            "eligible": timeline.top_rated_eligible,
        },
        "warnings": list(warnings),
    }


def csv_header(timeline: Timeline) -> list[str]:
    return ["date", "computed_on", "jss", "best", "score", *timeline.window_names]


def csv_rows(timeline: Timeline) -> list[list[Any]]:
    """One row per point; empty cells where there is no score."""
    return [
        [
            p.day.isoformat(),
            p.computed_on.isoformat(),
            p.jss,
            p.best,
            p.score,
            *(p.windows[name] for name in timeline.window_names),
        ]
        for p in timeline.points
    ]


def _label(name: str) -> str:
    return "Trending" if name == "trending" else name


def timeline_markdown(timeline: Timeline) -> str:
    """The points as a markdown table: date, JSS, the window shown, every window's score."""
    from jsscheck.render.chart import headline

    headers = ["Date", "JSS", "Shown", *(_label(n) for n in timeline.window_names)]
    rows = [
        [
            p.day.isoformat(),
            jss_words(p.jss),
            window_words(p.best) if p.best else "—",
            *(percent(p.windows[name]) for name in timeline.window_names),
        ]
        for p in timeline.points
    ]
    title = f"Your JSS from {timeline.first} to {timeline.last}"
    return headline(timeline) + "\n\n" + markdown_table(title, headers, rows) + "\n"
