"""People's view of a `jsscheck.score/1` document (and of `--compare`)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from jsscheck.render import REASON_WORDS, candidate_words, money, percent


def headline(doc: dict[str, Any]) -> str:
    """One sentence a non-programmer understands."""
    rules = doc["rules"]["name"]
    when = doc["as_of"]
    if doc["computed_on"] != doc["as_of"]:
        when += f" (last computed on {doc['computed_on']})"
    top = doc["top_rated"]
    tail = (
        f" Top Rated: {top['eligible_weeks']} of the last {top['weeks']} weeks at 90% or more "
        f"(13 needed), {money(top['earnings_12m'])} earned in 12 months ($1,000 needed) — "
        + ("eligible." if top["eligible"] else "not eligible.")
    )
    if doc["jss"] is None:
        widest = max(
            (c for c in doc["candidates"].values() if "contracts" in c),
            key=lambda c: c["contracts"],
            default=None,
        )
        have = (
            f" (the widest window has {widest['contracts']} counted contracts from "
            f"{widest['clients']} clients)"
            if widest
            else ""
        )
        params = doc["rules"]["params"]
        return (
            f"You have no JSS as of {when}: not enough history under the {rules} rules — a "
            f"window needs at least {params['min_outcomes']} counted contracts from "
            f"{params['min_clients']} clients{have}."
        )
    best = doc["best"]
    text = (
        f"Your JSS is {doc['jss']}% as of {when} ({candidate_words(best['candidate'])}, "
        f"{best['score']:.2f} unrounded, {rules} rules)."
    )
    if doc["review_risk"]:
        text += " It is below 70%: a long stay there may trigger an account review."
    return text + tail


def windows_table(doc: dict[str, Any]) -> Table:
    """Every candidate's sums and score; the best one marked."""
    table = Table(title="Windows", title_justify="left")
    for column in ("Window", "Score", "Success", "Negative", "Neutral", "Total", "Contracts"):
        table.add_column(column, justify="right" if column != "Window" else "left")
    table.add_column("Clients", justify="right")
    best = (doc["best"] or {}).get("candidate")
    for name, c in doc["candidates"].items():
        label = candidate_words(name) + ("  ← best" if name == best else "")
        if name == "trending":
            table.add_row(label, percent(c["score"]), "", "", "", "", "", "")
            continue
        score = percent(c["score"]) if c["eligible"] else "not eligible"
        table.add_row(
            label,
            score,
            f"{c['success']:g}",
            f"{c['negative']:g}",
            f"{c['neutral']:g}",
            f"{c['total']:g}",
            str(c["contracts"]),
            str(c["clients"]),
        )
    return table


_OUTCOME_STYLE = {"success": "green", "negative": "red", "neutral": "yellow", "excluded": "dim"}


def contracts_table(doc: dict[str, Any]) -> Table:
    """Each contract's outcome, reason, weight and windows; counted ones first, newest first."""
    table = Table(title="Contracts", title_justify="left")
    for column in ("Contract", "Client", "Outcome", "Why", "Weight", "Anchor", "Windows"):
        table.add_column(column, justify="right" if column == "Weight" else "left")
    rows = sorted(
        doc["contracts"],
        key=lambda r: (r["outcome"] == "excluded", r["anchor"] or ""),
        reverse=False,
    )
    counted = sorted(
        (r for r in rows if r["outcome"] != "excluded"), key=lambda r: r["anchor"], reverse=True
    )
    excluded = [r for r in rows if r["outcome"] == "excluded"]
    for r in counted + excluded:
        name = r["contract_id"] + (f" {r['title']}" if r.get("title") else "")
        style = _OUTCOME_STYLE[r["outcome"]]
        table.add_row(
            name,
            r["client"],
            f"[{style}]{r['outcome']}[/]",
            REASON_WORDS.get(r["reason"], r["reason"]),
            "" if r["weight"] is None else f"{r['weight']:g}",
            r["anchor"] or "",
            " ".join(r["windows"]),
        )
    return table


def render_score(console: Console, doc: dict[str, Any]) -> None:
    """The headline, then the windows and the contracts."""
    console.print(headline(doc), markup=False)
    console.print()
    console.print(windows_table(doc))
    console.print(contracts_table(doc))
    for warning in doc.get("warnings", []):
        console.print(f"note: {warning}", markup=False)


def compare_table(docs: list[dict[str, Any]]) -> Table:
    """The same history under several rule sets, side by side."""
    table = Table(title="The same history under each rule set", title_justify="left")
    names: list[str] = []
    for doc in docs:
        for name in doc["candidates"]:
            if name not in names:
                names.append(name)
    table.add_column("Rules")
    table.add_column("JSS", justify="right")
    table.add_column("Best")
    for name in names:
        table.add_column(name, justify="right")
    table.add_column("vs first", justify="right")
    first = docs[0]["jss"] if docs else None
    for doc in docs:
        jss = doc["jss"]
        delta = "" if jss is None or first is None else f"{jss - first:+d}"
        table.add_row(
            doc["rules"]["name"],
            "—" if jss is None else f"{jss}%",
            (doc["best"] or {}).get("candidate", "—"),
            *[
                percent(doc["candidates"].get(name, {}).get("score"), 1)
                if name in doc["candidates"]
                else ""
                for name in names
            ],
            delta,
        )
    return table


def compare_headline(docs: list[dict[str, Any]]) -> str:
    """`Under upwork your JSS is 84%; under legacy 71%, …`."""
    parts = []
    for doc in docs:
        value = "no score" if doc["jss"] is None else f"{doc['jss']}%"
        parts.append(f"{doc['rules']['name']}: {value}")
    return f"Your JSS as of {docs[0]['as_of']} under each rule set — " + "; ".join(parts) + "."
