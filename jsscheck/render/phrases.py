"""Words shared by the renderers of explanations: windows, points, contracts, outcomes, events.

Plain text for a freelancer who is not a programmer. Every piece of user text (titles, client
names, ids) goes through `plain()` here; a rich renderer escapes whole cells with `markup()`.
One formatter per kind of number (`points`, `effect`) so the headline, the tables and the
steps show a contract's effect the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from jsscheck.render.text import plain

if TYPE_CHECKING:
    from jsscheck.analyses.explain import Reading
    from jsscheck.engine.attribution import Event, Footprint
    from jsscheck.engine.credits import OpenCredit

#: Open contracts named in the warnings (MODEL.md 11); one sentence counts the rest.
SHOWN_WARNINGS = 10

_OUTCOME = {
    "success": "a success",
    "negative": "a negative outcome",
    "neutral": "a neutral outcome",
    "excluded": "not counted",
}


def window_name(name: str | None) -> str:
    """`12m` → `12-month window`, `trending` → `Trending score`, None → `no window`."""
    if name is None:
        return "no window"
    if name == "trending":
        return "Trending score"
    return f"{name.removesuffix('m')}-month window"


def candidate_words(name: str | None) -> str:
    """`12m` → `the 12-month window`, `trending` → `the Trending score`."""
    return "no window" if name is None else f"the {window_name(name)}"


def months_words(months: Sequence[int]) -> str:
    """(3,) → `3-month window`; (3, 6) → `3- and 6-month windows`; (3, 6, 12) → `3-, 6- and …`."""
    ordered = sorted(months)
    if len(ordered) == 1:
        return f"{ordered[0]}-month window"
    head = ", ".join(f"{m}-" for m in ordered[:-1])
    return f"{head} and {ordered[-1]}-month windows"


def plural(count: float, word: str, many: str | None = None) -> str:
    """`1 client`, `2 clients`, `16.75 jobs`."""
    text = f"{count:g}"
    return f"{text} {word if count == 1 else many or word + 's'}"


def effect(value: float) -> str:
    """An effect in points for a table cell: `+2.3` / `−10.0` (one decimal, a real minus)."""
    return ("−" if value < 0 else "+") + f"{abs(value):.1f}"


def points(value: float) -> str:
    """An effect in a sentence: `−10.0 points`, `+0.03 points` (two decimals below 0.05),
    `+less than 0.01 points`, `+1.0 point`."""
    size = abs(value)
    sign = "−" if value < 0 else "+"
    if size < 0.005:
        return f"{sign}less than 0.01 points"
    digits = 1 if size >= 0.05 else 2
    return f"{sign}{size:.{digits}f} point{'' if round(size, digits) == 1 else 's'}"


def pct(jss: int | None) -> str:
    """A displayed JSS: `91%`, or `no JSS`."""
    return "no JSS" if jss is None else f"{jss}%"


def score_pct(score: float | None) -> str:
    """A candidate's score rounded for a sentence: `(91%)`-style text, `—` when none."""
    return "—" if score is None else f"{score:.0f}%"


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def join_words(phrases: Sequence[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    if len(phrases) <= 1:
        return "".join(phrases)
    return ", ".join(phrases[:-1]) + " and " + phrases[-1]


def contract_title(title: str | None, contract_id: str | None) -> str:
    """`'Logo redesign'`, or `contract 4521` when it has no title; `the rule change` for None."""
    if contract_id is None:
        return "the rule change"
    if title:
        return f"'{plain(title)}'"
    return f"contract {plain(contract_id)}"


def stars(value: float) -> str:
    return f"{value:g}★"


# --------------------------------------------------------------------------- states


def feedback_words(public: float | None, private: int | None) -> str:
    """`a 4.7★ review and private score 5`, `no feedback`."""
    parts = []
    if public is not None:
        parts.append(f"a {stars(public)} review")
    if private is not None:
        parts.append(f"private score {private}")
    return " and ".join(parts) if parts else "no feedback"


def why_words(
    outcome: str,
    reason: str,
    reading: Reading | None,
    public: float | None,
    private: int | None,
    private_until: date | None,
) -> str:
    """Why a contract has its outcome, e.g. `the private score 5 made it negative`.

    A flagged client's dropped review and the private score are named when the `reading`
    shows they decided the outcome (or, after `private_until`, that the private score no
    longer counts).
    """
    if reading is not None and reading.without_flag is not None:
        return "flagged client: their negative feedback does not count"
    if reading is not None and reading.without_private is not None and private is not None:
        review = f"the {stars(public)} review alone" if public is not None else "without it it"
        return (
            f"the private score {private} made it {outcome}; {review} would be "
            f"{_OUTCOME[reading.without_private]}"
        )
    if reading is not None and reading.private_unread and private is not None:
        since = f" after {private_until}" if private_until else ""
        return f"the private score {private} no longer counts{since}"
    if reason == "feedback":
        return feedback_words(
            public, private if reading is None or not reading.private_unread else None
        )
    from jsscheck.render import REASON_WORDS  # the package imports this module first

    return REASON_WORDS.get(reason, reason.replace("_", " "))


def state_words(
    footprint: Footprint | None,
    reading: Reading | None,
    public: float | None,
    private: int | None,
    private_until: date | None,
    zero_dollar: bool = False,
) -> str:
    """One side of an event: `negative (ended without feedback), weight 1.25` or why not counted.

    `zero_dollar`: the contract earned nothing (said, since $0 contracts are a contested rule).
    """
    if footprint is None:
        if reading is None:
            return "not counted"
        if reading.outcome == "absent":
            return "not in the history"
        if reading.outcome == "not_started":
            return "not started yet"
        if reading.without_flag is not None:
            return "not counted: flagged client"
        why = why_words(reading.outcome, reading.reason, reading, public, private, private_until)
        return f"not counted: {why}"
    why = why_words(footprint.outcome, footprint.reason, reading, public, private, private_until)
    if zero_dollar and footprint.reason != "zero_dollar":
        why = f"$0 earned, {why}"
    return f"{footprint.outcome} ({why}), weight {footprint.weight:g}"


def event_words(event: Event) -> str:
    """What happened to a contract in one step, e.g. `left the 3-month window`."""
    before, after = event.before, event.after
    if event.reason == "rules":
        return "the formula, windows, Trending or minimums changed"
    if event.reason == "entered":
        if before is None and after is not None:
            return f"started counting as {_OUTCOME[after.outcome]}"
        gained = _gained(before, after)
        return f"entered the {months_words(gained)}" if gained else "started counting"
    if event.reason == "aged_out":
        lost = _gained(after, before)
        what = f"left the {months_words(lost)}" if lost else "aged out"
        if after is not None and not after.windows:
            what += ", so it no longer counts in any window"
        return what
    if event.reason == "left":
        return "stopped counting"
    if event.reason == "outcome_changed" and before is not None and after is not None:
        return f"changed from {_OUTCOME[before.outcome]} to {_OUTCOME[after.outcome]}"
    if event.reason == "weight_changed" and before is not None and after is not None:
        return f"weight changed from {before.weight:g} to {after.weight:g}"
    return event.reason.replace("_", " ")


def _gained(before: Footprint | None, after: Footprint | None) -> list[int]:
    """Windows `after` is in and `before` is not."""
    was = set(before.windows) if before is not None else set()
    now = set(after.windows) if after is not None else set()
    return sorted(now - was)


def coverage_warning(first_day: date) -> str:
    """MODEL.md 11 "short coverage": the Upwork exports start after the longest window does."""
    return (
        f"Your Upwork exports start on {first_day}, after the start of your longest window: "
        "contracts paid earlier may be missing (add the earlier years' exports, or those "
        "contracts by hand)."
    )


def coverage_warnings(first_day: date | None) -> list[str]:
    """`[coverage_warning(first_day)]` when the exports start too late, else nothing."""
    return [coverage_warning(first_day)] if first_day is not None else []


def warning_lines(
    warnings: Sequence[OpenCredit], name: Callable[[str], str], day: date
) -> list[str]:
    """MODEL.md 11 "open contracts credited": one sentence each, the longest unpaid first,
    at most `SHOWN_WARNINGS` named (`name` gives a contract's name from its id) and one
    sentence for the rest."""
    lines = [
        f"{capital(name(w.contract_id))} is open and counted as a success, but its "
        f"last payment was on {w.last_payment} ({w.days} days before {day}); Upwork may no "
        "longer count it (an assumption of the model)."
        for w in warnings[:SHOWN_WARNINGS]
    ]
    rest = len(warnings) - SHOWN_WARNINGS
    if rest > 0:
        counted = "is counted as a success" if rest == 1 else "are counted as successes"
        lines.append(
            f"{plural(rest, 'more open contract')} unpaid for more than 90 days {counted} too "
            "(`jsscheck score --format json` lists them)."
        )
    return lines
