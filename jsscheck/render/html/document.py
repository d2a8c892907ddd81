"""The `jsscheck.report/1` document: what the page shows, as data and sentences.

Made only from the other renderers' documents, sentences and tables, so the page says what
`score`, `explain`, `forecast`, `goal` and `whatif --close-open` say for the same inputs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from jsscheck.render import REASON_WORDS, candidate_words, money
from jsscheck.render.attribution import Rows, effects_rows, leverage_sentence
from jsscheck.render.chart import headline as timeline_headline
from jsscheck.render.chart import move_cause
from jsscheck.render.explain import explain_document, explain_warnings, headline
from jsscheck.render.forecast import forecast_document, forecast_rows, top_rated_lines
from jsscheck.render.glossary import TERMS
from jsscheck.render.goal import goal_document, goal_lines
from jsscheck.render.rows import PlainTable
from jsscheck.render.rules import ASSUMPTION_NOTE, rules_table
from jsscheck.render.score import headline as score_headline
from jsscheck.render.score_document import (
    iter_contract_rows,
    newest_first,
    score_document,
    started_count,
)
from jsscheck.render.text import plain
from jsscheck.render.timeline import timeline_document
from jsscheck.render.whatif import advice_document, advice_rows, order_rows

if TYPE_CHECKING:
    from jsscheck.analyses.report import Report

REPORT_SCHEMA = "jsscheck.report/1"

#: Contracts the page lists, newest first: a browser stays quick with a table this long, and
#: `jsscheck score --all --format csv` lists every one.
PAGE_CONTRACTS = 2_000

#: Top Rated's published conditions (MODEL.md 6), for the "what is missing" words.
_WEEKS_NEEDED = 13
_EARNINGS_NEEDED = 1000.0

OUTCOME_WORDS = {
    "success": "success",
    "negative": "negative outcome",
    "neutral": "neutral",
    "excluded": "not counted",
}


def table_json(rows: Rows | PlainTable) -> dict[str, Any]:
    """A table of plain text cells: title, headers, which columns are numbers, rows."""
    if isinstance(rows, PlainTable):
        right = [k for k, c in enumerate(rows.columns) if c.justify == "right"]
        return {"title": rows.title, "headers": rows.headers, "right": right,
                "rows": [list(r) for r in rows.rows]}  # fmt: skip
    return {
        "title": rows.title,
        "headers": list(rows.headers),
        "right": sorted(rows.right),
        "rows": [list(r) for r in rows.rows],
    }


def missing_words(top: dict[str, Any]) -> str:
    """What Top Rated still needs, in words (empty when it is eligible)."""
    if top["eligible"]:
        return "You are Top Rated eligible."
    missing = []
    weeks = _WEEKS_NEEDED - top["eligible_weeks"]
    if weeks > 0:
        missing.append(f"{weeks} more week{'s' if weeks != 1 else ''} at 90% or more")
    short = _EARNINGS_NEEDED - top["earnings_12m"]
    if short > 0:
        missing.append(f"{money(short)} more earned in 12 months")
    if not missing:
        return (
            "Top Rated also needs a JSS of 90% or more today and a first contract more than "
            "90 days ago."
        )
    return "For Top Rated you still need " + " and ".join(missing) + "."


def review_words(score: dict[str, Any]) -> str:
    """The review-risk sentence."""
    if score["jss"] is None:
        return "With no JSS there is no review risk to report."
    if score["review_risk"]:
        return "Review risk: your JSS is below 70%; staying there may trigger an account review."
    return "Review risk: none — your JSS is at or above 70%."


def contract_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of the score document with their outcome and reason in words, in their order
    (user text through `plain`: a control character shows as `\\x1b`)."""
    return [
        {
            "contract_id": plain(r["contract_id"]),
            "title": plain(r["title"] or ""),
            "client": plain(r["client"]),
            "outcome": r["outcome"],
            "outcome_words": OUTCOME_WORDS.get(r["outcome"], r["outcome"]),
            "reason_words": REASON_WORDS.get(r["reason"], r["reason"].replace("_", " ")),
            "weight": r["weight"],
            "anchor": r["anchor"],
            "windows": r["windows"],
            "window_words": ", ".join(candidate_words(w) for w in r["windows"]) or "none",
        }
        for r in rows
    ]


def report_document(report: Report) -> dict[str, Any]:
    """The `jsscheck.report/1` document: every section of the page, in its order."""
    # The score's own list of every contract is written while the JSON is (an agency's
    # million contracts as dicts would take gigabytes); the page lists the newest.
    score = score_document(report.score, stream_contracts=True)
    evaluation = report.score.evaluation
    newest = newest_first(evaluation, PAGE_CONTRACTS)
    ex = report.explain
    timeline = report.timeline
    glossary = [{"term": t, "meaning": m} for t, m in TERMS]
    # The score and explain both say the MODEL.md 11 warnings at as_of: each once.
    warnings = list(dict.fromkeys([*score["warnings"], *explain_warnings(ex)]))
    return {
        "schema": REPORT_SCHEMA,
        "as_of": report.as_of.isoformat(),
        "since": report.since.isoformat(),
        "until": report.until.isoformat(),
        "rules": report.rules.to_json(),
        "summary": {
            "headline": score_headline(score),
            "top_rated": missing_words(score["top_rated"]),
            "review_risk": review_words(score),
        },
        "score": score,
        "explain": {
            **explain_document(ex),
            "headline": headline(ex),
            "leverage_sentence": leverage_sentence(ex.leverage),
            "effects_table": table_json(effects_rows(ex.attribution, ex.readings, ex.rules)),
        },
        "chart": {
            **timeline_document(timeline),
            "headline": timeline_headline(timeline),
            "weeks": [
                {"date": w.day.isoformat(), "jss": w.jss, "top_rated": w.eligible}
                for w in timeline.weeks
            ],
            "moves": [
                {
                    "date": m.day.isoformat(),
                    "jss_before": m.change.jss_before,
                    "jss_after": m.change.jss_after,
                    "cause": move_cause(m, timeline, report.titles),
                }
                for m in report.moves
            ],
        },
        "forecast": {
            **forecast_document(report.forecast),
            "top_rated_lines": top_rated_lines(report.forecast),
            "rows": [
                {"date": d, "jss": j, "what": lines}
                for d, j, lines in forecast_rows(report.forecast)
            ],
        },
        "goal": {**goal_document(report.goal), "lines": goal_lines(report.goal)},
        "close_open": {
            **advice_document(report.advice),
            "options_table": table_json(advice_rows(report.advice)),
            "order_table": table_json(order_rows(report.advice)),
        },
        "contracts": contract_rows(iter_contract_rows(evaluation, newest)),
        "contracts_total": started_count(evaluation),
        "rules_table": {**table_json(rules_table(report.rules)), "note": ASSUMPTION_NOTE},
        "glossary": glossary,
        "warnings": [plain(w) for w in warnings],
    }
