"""People's view of a `jsscheck.score/1` document (and of `--compare`).

Every table is a `PlainTable` of plain rows: the terminal table (`to_rich`), markdown and CSV
are all made from it, so titles and client names print exactly as written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jsscheck.render import REASON_WORDS, candidate_words, count, money, percent
from jsscheck.render.rows import TABLE_ROWS, Column, PlainTable, more_rows_line, table

if TYPE_CHECKING:
    from rich.console import Console

#: A block of people's output: a sentence (plain text) or a table.
Block = str | PlainTable


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
            f" (the widest window has {count(widest['contracts'], 'counted contract')} from "
            f"{count(widest['clients'], 'client')})"
            if widest
            else ""
        )
        params = doc["rules"]["params"]
        return (
            f"You have no JSS as of {when}: not enough history under the {rules} rules — a "
            f"window needs at least {count(params['min_outcomes'], 'counted contract')} from "
            f"{count(params['min_clients'], 'client')}{have}."
        )
    best = doc["best"]
    text = (
        f"Your JSS is {doc['jss']}% as of {when} ({candidate_words(best['candidate'])}, "
        f"{best['score']:.2f} unrounded, {rules} rules)."
    )
    if doc["review_risk"]:
        text += " It is below 70%: a long stay there may trigger an account review."
    return text + tail


_WINDOW_COLUMNS = (
    Column("Window"),
    *(
        Column(name, "right")
        for name in ("Score", "Success", "Negative", "Neutral", "Total", "Contracts", "Clients")
    ),
)


def windows_table(doc: dict[str, Any]) -> PlainTable:
    """Every candidate's sums and score; the best one marked."""
    best = (doc["best"] or {}).get("candidate")
    rows: list[list[str]] = []
    for name, c in doc["candidates"].items():
        label = candidate_words(name) + ("  ← best" if name == best else "")
        if name == "trending":
            rows.append([label, percent(c["score"]), "", "", "", "", "", ""])
            continue
        score = percent(c["score"]) if c["eligible"] else "not eligible"
        rows.append(
            [
                label,
                score,
                f"{c['success']:g}",
                f"{c['negative']:g}",
                f"{c['neutral']:g}",
                f"{c['total']:g}",
                str(c["contracts"]),
                str(c["clients"]),
            ]
        )
    return table("Windows", _WINDOW_COLUMNS, rows)


_OUTCOME_STYLE = {"success": "green", "negative": "red", "neutral": "yellow", "excluded": "dim"}
_CONTRACT_COLUMNS = (
    Column("Contract"),
    Column("Client"),
    Column("Outcome", styles=_OUTCOME_STYLE),
    Column("Why"),
    Column("Weight", "right"),
    Column("Anchor", keep=True),
    Column("Windows"),
)


def in_a_window(row: dict[str, Any]) -> bool:
    """Whether a contract counts in at least one window (what `score` lists without --all)."""
    return row["outcome"] != "excluded" and bool(row["windows"])


def contracts_table(
    doc: dict[str, Any], every: bool = True, limit: int | None = None
) -> PlainTable:
    """Each contract's outcome, reason, weight and windows; counted ones first, newest first.
    Without `every`, only the contracts that count in a window; with `limit`, only the first
    `limit` of them in that order."""
    contracts = doc["contracts"] if every else [r for r in doc["contracts"] if in_a_window(r)]
    counted = sorted(
        (r for r in contracts if r["outcome"] != "excluded"),
        key=lambda r: r["anchor"],
        reverse=True,
    )
    excluded = [r for r in contracts if r["outcome"] == "excluded"]
    listed = counted + excluded
    if limit is not None:
        listed = listed[:limit]
    rows = [
        [
            r["contract_id"] + (f" {r['title']}" if r.get("title") else ""),
            r["client"],
            r["outcome"],
            REASON_WORDS.get(r["reason"], r["reason"]),
            "" if r["weight"] is None else f"{r['weight']:g}",
            r["anchor"] or "",
            " ".join(r["windows"]),
        ]
        for r in listed
    ]
    title = "Contracts" if every else "Contracts that count"
    return table(title, _CONTRACT_COLUMNS, rows)


def hidden_line(doc: dict[str, Any]) -> str | None:
    """What the default view leaves out, and how to see it; None when nothing is left out."""
    hidden = sum(1 for r in doc["contracts"] if not in_a_window(r))
    if not hidden:
        return None
    verb = "counts" if hidden == 1 else "count"
    return (
        f"{count(hidden, 'more contract')} {verb} in no window (excluded, or older than the "
        "widest window): add --all to list every contract."
    )


def score_blocks(
    doc: dict[str, Any], every: bool = False, formats: tuple[str, ...] = ("json", "csv")
) -> list[Block]:
    """The headline, the windows, the contracts (those that count unless `every`) and the
    reading notes, in order.

    Without `every`, at most `TABLE_ROWS` contracts are listed (the newest that count), then
    how many more there are and how to see them all.
    """
    listed = len(doc["contracts"]) if every else sum(map(in_a_window, doc["contracts"]))
    capped = not every and listed > TABLE_ROWS
    contracts = contracts_table(doc, every, TABLE_ROWS if capped else None)
    blocks: list[Block] = [headline(doc), windows_table(doc), contracts]
    if capped:
        blocks.append(more_rows_line(len(doc["contracts"]) - TABLE_ROWS, "contract", None, formats))
    elif not every and (line := hidden_line(doc)):
        blocks.append(line)
    blocks += [f"note: {warning}" for warning in doc.get("warnings", [])]
    return blocks


def render_score(
    console: Console,
    doc: dict[str, Any],
    every: bool = False,
    formats: tuple[str, ...] = ("json", "csv"),
) -> None:
    """The headline, then the windows and the contracts (as `score_blocks`), on a rich
    console."""
    from jsscheck.render.rows import to_rich

    blocks = score_blocks(doc, every, formats)
    console.print(blocks[0], markup=False)
    console.print()
    for block in blocks[1:]:
        if isinstance(block, PlainTable):
            console.print(to_rich(block))
        else:
            console.print(block, markup=False)


def compare_table(docs: list[dict[str, Any]]) -> PlainTable:
    """The same history under several rule sets, side by side."""
    names: list[str] = []
    for doc in docs:
        for name in doc["candidates"]:
            if name not in names:
                names.append(name)
    columns = [
        Column("Rules"),
        Column("JSS", "right"),
        Column("Best"),
        *(Column(name, "right") for name in names),
        Column("vs first", "right"),
    ]
    first = docs[0]["jss"] if docs else None
    rows = []
    for doc in docs:
        jss = doc["jss"]
        delta = "" if jss is None or first is None else f"{jss - first:+d}"
        rows.append(
            [
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
            ]
        )
    return table("The same history under each rule set", columns, rows)


def compare_headline(docs: list[dict[str, Any]]) -> str:
    """`Your JSS as of … under each rule set — upwork: 84%; legacy: 71%, …`."""
    parts = []
    for doc in docs:
        value = "no score" if doc["jss"] is None else f"{doc['jss']}%"
        parts.append(f"{doc['rules']['name']}: {value}")
    return f"Your JSS as of {docs[0]['as_of']} under each rule set — " + "; ".join(parts) + "."


def compare_blocks(docs: list[dict[str, Any]]) -> list[Block]:
    """The `--compare` headline and table."""
    return [compare_headline(docs), compare_table(docs)]
