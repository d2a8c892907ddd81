"""The report page: one self-contained HTML file made from the `jsscheck.report/1` document.

Every piece of text goes through `html.escape` (a title `<script>` stays text); the only
script is the inline filter of the contracts table, and a Content-Security-Policy forbids
the page to load anything.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from jsscheck import __version__
from jsscheck.render import candidate_words, money
from jsscheck.render.html.style import CSS, SCRIPT
from jsscheck.render.html.svg import chart_svg

_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)


def _e(text: object) -> str:
    return escape(str(text), quote=True)


#: A command the sentences suggest, in backticks: `jsscheck score --format json`.
_COMMAND = re.compile(r"`(jsscheck [^`<]*)`")


def _words(text: object) -> str:
    """A sentence, escaped, with the commands it suggests set as code (not in backticks)."""
    return _COMMAND.sub(r"<code>\1</code>", _e(text))


def _p(text: str | None, cls: str = "") -> str:
    if not text:
        return ""
    attr = f' class="{cls}"' if cls else ""
    return f"<p{attr}>{_words(text)}</p>"


def table_html(table: dict[str, Any], table_id: str = "") -> str:
    """A `table_json` table: caption, headers with scope, number columns right-aligned;
    on a phone each row stacks into label: value lines."""
    if not table["rows"]:
        return ""
    headers = table["headers"]
    right = set(table["right"])
    ident = f' id="{_e(table_id)}"' if table_id else ""
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in headers)
    body = []
    for row in table["rows"]:
        cells = "".join(
            f'<td data-label="{_e(headers[k])}"{" class=num" if k in right else ""}>{_e(c)}</td>'
            for k, c in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return (
        f'<table class="stack"{ident}><caption>{_e(table["title"])}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _summary(doc: dict[str, Any]) -> str:
    score = doc["score"]
    big = "No JSS" if score["jss"] is None else f"{score['jss']}%"
    top = score["top_rated"]
    badge = "Top Rated eligible" if top["eligible"] else "Not Top Rated eligible"
    s = doc["summary"]
    return (
        '<section aria-labelledby="h-score"><h2 id="h-score">Your score today</h2>'
        f'<div class="card"><p class="lead">{_e(s["headline"])} {_e(s["top_rated"])} '
        f"{_e(s['review_risk'])}</p>"
        f'<p><span class="score" id="jss">{_e(big)}</span> '
        f'<span class="tag">{_e(badge)}</span> '
        f'<span class="tag">{_e(top["eligible_weeks"])} of {_e(top["weeks"])} weeks at 90%+'
        f"</span> "
        f'<span class="tag">{_e(money(top["earnings_12m"]))} earned in 12 months</span></p>'
        "</div></section>"
    )


def _explain(doc: dict[str, Any]) -> str:
    ex = doc["explain"]
    return (
        '<section aria-labelledby="h-why"><h2 id="h-why">Why it moved</h2>'
        f'<p class="muted">From {_e(doc["since"])} to {_e(doc["as_of"])}.</p>'
        f"{_p(ex['headline'], 'lead')}{_p(ex['leverage_sentence'])}"
        f"{table_html(ex['effects_table'])}</section>"
    )


def _chart(doc: dict[str, Any]) -> str:
    chart = doc["chart"]
    moves = "".join(
        f"<li>{_e(m['date'])}: {_e(_jss(m['jss_before']))} → {_e(_jss(m['jss_after']))} — "
        f"{_e(m['cause'])}</li>"
        for m in chart["moves"]
    )
    listed = f"<h3>The largest moves</h3><ol>{moves}</ol>" if moves else ""
    return (
        '<section aria-labelledby="h-chart"><h2 id="h-chart">Two years of your JSS</h2>'
        f'{_p(chart["headline"])}<figure>{chart_svg(chart)}<figcaption class="muted">'
        "Blue line: the JSS Upwork displays. Dashed line: 90% (Top Rated). Dotted line: 70% "
        "(review risk). Shaded bands: weeks that counted for Top Rated. Numbered points: the "
        f"largest moves, listed below.</figcaption></figure>{listed}</section>"
    )


def _jss(value: int | None) -> str:
    return "no JSS" if value is None else f"{value}%"


def _forecast(doc: dict[str, Any]) -> str:
    fc = doc["forecast"]
    rows = "".join(
        f'<tr><td data-label="Date">{_e(r["date"])}</td>'
        f'<td data-label="JSS" class="num">{_e(r["jss"])}</td>'
        f'<td data-label="What happens">{"<br>".join(_e(line) for line in r["what"])}</td></tr>'
        for r in fc["rows"]
    )
    table = (
        '<table class="stack"><caption>Days your JSS changes if nothing new happens</caption>'
        '<thead><tr><th scope="col">Date</th><th scope="col">JSS</th>'
        f'<th scope="col">What happens</th></tr></thead><tbody>{rows}</tbody></table>'
        if rows
        else ""
    )
    top = "".join(f"<li>{_e(line)}</li>" for line in fc["top_rated_lines"])
    goal = "".join(f"<li>{_e(line)}</li>" for line in doc["goal"]["lines"])
    return (
        '<section aria-labelledby="h-next"><h2 id="h-next">What happens next</h2>'
        f"<h3>Forecast</h3>{_p(fc['summary'])}{table}<ul>{top}</ul>"
        f"<h3>Reaching {_e(doc['goal']['target'])}%</h3><ul>{goal}</ul></section>"
    )


def _close_open(doc: dict[str, Any]) -> str:
    co = doc["close_open"]
    return (
        '<section aria-labelledby="h-close"><h2 id="h-close">Closing your open contracts</h2>'
        f"{_p(co['summary'])}{table_html(co['options_table'])}"
        f"{table_html(co['order_table'])}</section>"
    )


def _options(values: list[tuple[str, str]], label: str, ident: str) -> str:
    opts = "".join(f'<option value="{_e(v)}">{_e(t)}</option>' for v, t in values)
    return (
        f'<label for="{ident}">{_e(label)}<select id="{ident}">'
        f'<option value="">all</option>{opts}</select></label>'
    )


def _contracts(doc: dict[str, Any]) -> str:
    rows = doc["contracts"]
    outcomes = sorted({(r["outcome"], r["outcome_words"]) for r in rows})
    windows = sorted({w for r in rows for w in r["windows"]}, key=lambda w: (len(w), w))
    filters = (
        '<div class="filters" id="filters" hidden>'
        + _options(outcomes, "Outcome", "filter-outcome")
        + _options([(w, candidate_words(w)) for w in windows], "Window", "filter-window")
        + '<span id="filter-count" aria-live="polite"></span></div>'
    )
    body = []
    for r in rows:
        name = r["title"] or r["contract_id"]
        weight = "" if r["weight"] is None else f"{r['weight']:g}"
        body.append(
            f'<tr data-outcome="{_e(r["outcome"])}" data-windows="{_e(" ".join(r["windows"]))}">'
            f'<td data-label="Contract"><span class="title">{_e(name)}</span> '
            f'<span class="muted">({_e(r["contract_id"])})</span></td>'
            f'<td data-label="Client">{_e(r["client"])}</td>'
            f'<td data-label="Outcome" class="outcome-{_e(r["outcome"])}">'
            f"{_e(r['outcome_words'])}</td>"
            f'<td data-label="Why">{_e(r["reason_words"])}</td>'
            f'<td data-label="Weight" class="num">{_e(weight)}</td>'
            f'<td data-label="Counted from">{_e(r["anchor"] or "")}</td>'
            f'<td data-label="Windows">{_e(r["window_words"])}</td></tr>'
        )
    total = doc.get("contracts_total", len(rows))
    caption = "Every contract, newest first"
    if total > len(rows):
        caption = (
            f"Your {len(rows):,} newest contracts of {total:,} (a longer table would slow your "
            "browser down): jsscheck score --all --format csv lists every one"
        )
    heads = ("Contract", "Client", "Outcome", "Why", "Weight", "Counted from", "Windows")
    head = "".join(f'<th scope="col">{h}</th>' for h in heads)
    rules = doc["rules_table"]
    return (
        '<section aria-labelledby="h-contracts"><h2 id="h-contracts">Your contracts</h2>'
        f'{filters}<table class="stack" id="contracts"><caption>{_e(caption)}'
        f"</caption><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        f"<h3>The rules used</h3>{table_html(rules)}{_p(rules['note'], 'muted')}</section>"
    )


def _glossary(doc: dict[str, Any]) -> str:
    terms = "".join(f"<dt>{_e(t['term'])}</dt><dd>{_e(t['meaning'])}</dd>" for t in doc["glossary"])
    warnings = "".join(f'<li class="warning">{_words(w)}</li>' for w in doc["warnings"])
    shown = f"<ul>{warnings}</ul>" if warnings else "<p>No warnings.</p>"
    return (
        '<section aria-labelledby="h-terms"><h2 id="h-terms">Words used here</h2>'
        f'<dl>{terms}</dl></section><section aria-labelledby="h-warn">'
        f'<h2 id="h-warn">Warnings</h2>{shown}</section>'
    )


def report_html(doc: dict[str, Any]) -> str:
    """The whole page, from a `jsscheck.report/1` document."""
    rules = doc["rules"]["name"]
    title = f"Job Success Score report, {doc['as_of']}"
    body = "".join(
        section(doc)
        for section in (_summary, _explain, _chart, _forecast, _close_open, _contracts, _glossary)
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(_CSP)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light dark">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head>\n<body>"
        f'<header><h1>{_e(title)}</h1><p class="muted">Computed by jsscheck {_e(__version__)}'
        f" from your own contract history with the {_e(rules)} rules. This is an estimate of "
        "Upwork's formula, not Upwork's own number.</p></header>"
        f"<main>{body}</main>"
        f"<script>{SCRIPT}</script></body></html>\n"
    )
