"""`jsscheck help terms`: the words jsscheck uses, in plain words (table, JSON, markdown)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jsscheck.render import schemas
from jsscheck.render.attribution import Rows, to_markdown, to_rich

if TYPE_CHECKING:
    from rich.console import Console

GLOSSARY_SCHEMA = schemas.TERMS

#: (term, what it means), in the order a newcomer meets them.
TERMS: tuple[tuple[str, str], ...] = (
    (
        "window",
        "The months of history a score looks at: the 6-, 12- and 24-month windows hold the "
        "contracts whose last payment (or end) falls in the last 6, 12 or 24 months. A contract "
        "leaves the 6-month window six months and one day after that date, even if nothing "
        "else happens. A window has a score only with at least 2 clients and 2 counted "
        "contracts in it.",
    ),
    (
        "Trending",
        "The average of the 3-month and the 6-month window's scores. It exists only while both "
        "have a score, so when the 3-month window drops below 2 clients, Trending disappears "
        "and Upwork shows the next best window. (Upwork confirmed it in 2023; the 2026 help "
        "text no longer mentions it, so it is an assumption.)",
    ),
    (
        "JSS",
        "Job Success Score: the best of the windows' scores and Trending, as a whole percent. "
        "A window's score is (successes − negative outcomes) / all counted outcomes, each "
        "contract counted by its weight.",
    ),
    (
        "outcome",
        "What a finished (or long) contract counts as: a success (good feedback, or a "
        "long-term contract), a negative outcome (bad feedback, a dispute), neutral (middling "
        "feedback), or not counted at all (no feedback, $0 with good feedback, still in "
        "progress, or a flagged client's bad review).",
    ),
    (
        "weight",
        "How many jobs a contract counts as: 1 up to $250, 1.25 up to $1,000, 1.5 above; one "
        "more for every 90 days it ran, at most 8. A large window (many jobs) moves little "
        "when one contract changes; a small one moves a lot.",
    ),
    (
        "anchor",
        "The date that places a contract in the windows: its last payment (Upwork's rule), or "
        "its end date under other rules. An open contract nobody pays any more is anchored at "
        "its last payment, so it ages out like a finished one.",
    ),
    (
        "effect",
        "How many points of a change belong to one contract. When several contracts change on "
        "the same day they share the change fairly (each one's average part over every order "
        "the changes could have happened in), so the effects always add up to the change and "
        "a contract's effect is the same whatever period you ask about.",
    ),
    (
        "Top Rated",
        "Upwork's badge: a JSS of 90% or more in at least 13 of the last 16 weeks and now, "
        "$1,000 earned in the last 12 months, and a first contract more than 90 days ago. "
        "Upwork reviews badges every two weeks, so the badge can lag by up to 14 days.",
    ),
    (
        "review risk",
        "A JSS below 70%. Staying below it for a while may make Upwork review the account.",
    ),
)


def terms_rows() -> Rows:
    return Rows("Terms jsscheck uses", ("Term", "What it means"), frozenset(), TERMS)


def terms_document() -> dict[str, Any]:
    return {
        "schema": GLOSSARY_SCHEMA,
        "terms": [{"term": term, "meaning": meaning} for term, meaning in TERMS],
    }


def terms_markdown() -> str:
    return to_markdown(terms_rows()) + "\n"


def render_terms(console: Console) -> None:
    console.print(to_rich(terms_rows()))
