"""Rendering results for people: sentences, rich tables and markdown. No computation here."""

from __future__ import annotations

from jsscheck.render.phrases import window_name as candidate_words  # noqa: F401 (re-export)

REASON_WORDS: dict[str, str] = {
    "manual": "excluded by you",
    "long_term_active": "active long-term contract",
    "in_progress": "in progress",
    "dispute": "dispute",
    "pending_feedback": "waiting for feedback",
    "long_term": "long-term contract",
    "zero_dollar": "$0 contract",
    "no_feedback": "ended without feedback",
    "feedback": "feedback",
}


def percent(value: float | None, digits: int = 2) -> str:
    """A score for people: `83.87%`, or `—` when there is none."""
    return "—" if value is None else f"{value:.{digits}f}%"


def money(value: float) -> str:
    """`$4,200` (cents only when there are some)."""
    return f"${value:,.2f}" if value != int(value) else f"${value:,.0f}"


def signed(value: float, digits: int = 1) -> str:
    """`+2.3` / `−1.0` with a real minus sign."""
    text = f"{abs(value):.{digits}f}"
    return ("−" if value < 0 else "+") + text


def count(number: int, noun: str, plural: str | None = None) -> str:
    """`1 warning`, `2 warnings`, `1 client` — the number with its noun, in agreement."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"
