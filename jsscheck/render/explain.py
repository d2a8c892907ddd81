"""People's and scripts' view of `explain`: the headline, the tables, `jsscheck.explain/2`.

The headline names the contract that moved the score most by its title and says what happened
to it; the contributions table and the steps table show the same effect for it (one number per
contract per period, MODEL.md 9.3). Tables are built once as plain rows (`Rows`) and turned into
a rich table (cells escaped with `markup()`) or a markdown table from those same rows.
"""

from __future__ import annotations

import shlex
from datetime import date
from typing import TYPE_CHECKING, Any

from jsscheck.render import schemas
from jsscheck.render.attribution import (
    Contracts,
    attribution_json,
    contracts_of,
    effects_rows,
    leverage_json,
    leverage_sentence,
    private_until,
    reading_of,
    shown_steps,
    steps_rows,
    to_markdown,
    to_rich,
)
from jsscheck.render.phrases import (
    candidate_words,
    capital,
    coverage_warning,
    event_words,
    pct,
    plural,
    points,
    score_pct,
    warning_lines,
)
from jsscheck.render.text import plain

if TYPE_CHECKING:
    from rich.console import Console

    from jsscheck.analyses.explain import (
        Contrast,
        ExplainResult,
        StepWindows,
    )
    from jsscheck.engine.attribution import Attribution
    from jsscheck.engine.changes import Step as ShownStep

EXPLAIN_SCHEMA = schemas.EXPLAIN
#: Contracts listed in the contributions table (the JSON lists every one).
SHOWN_CONTRACTS = 20
#: Causes listed per day in the steps table.
SHOWN_CAUSES = 3


def bare_step_json(step: ShownStep) -> dict[str, Any]:
    """A day the shown JSS changed when the score appeared or disappeared (nothing attributed)."""
    return {
        "date": step.day.isoformat(),
        "jss_before": step.jss_before,
        "jss_after": step.jss_after,
        "score_before": step.score_before,
        "score_after": step.score_after,
        "causes": [],
    }


def explain_document(result: ExplainResult, *, encoded: bool = False) -> dict[str, Any]:
    """The `jsscheck.explain/2` document of CLI.md (`encoded`: see `attribution_json`)."""
    contracts = contracts_of(result.attribution)
    return {
        "schema": EXPLAIN_SCHEMA,
        "since": result.since.isoformat(),
        "as_of": result.as_of.isoformat(),
        "rules": result.rules.to_json(),
        **attribution_json(result.attribution, encoded=encoded),
        **({"steps": [bare_step_json(s) for s in result.bare_steps]} if result.bare_steps else {}),
        "leverage": leverage_json(result.leverage),
        "warnings": explain_warnings(result, contracts),
        "summary": headline(result),
    }


# --------------------------------------------------------------------------- sentences


def loss_clause(windows: StepWindows, rules: Any) -> str | None:
    """`With only 1 client left in those 3 months, the Trending score (91%) no longer exists`."""
    best0 = windows.best_before
    if best0 is None or windows.best_after == best0:
        return None
    gone = windows.stat("after", best0)
    if gone is None or gone.score is not None:
        return None
    parts = ["3m", "6m"] if best0 == "trending" else [best0]
    for name in parts:
        stat = windows.stat("after", name)
        if stat is None or stat.score is not None:
            continue
        months = name.removesuffix("m")
        if stat.clients < rules.min_clients:
            short = plural(stat.clients, "client")
        elif stat.contracts < rules.min_outcomes:
            short = plural(stat.contracts, "counted contract")
        else:
            short = "no weight"
        lost = windows.stat("before", best0)
        score = score_pct(lost.score if lost else None)
        return (
            f"With only {short} left in those {months} months, {candidate_words(best0)} "
            f"({score}) no longer exists"
        )
    return None


def _main_sentences(
    result_attr: Attribution,
    readings: Any,
    windows: StepWindows | None,
    contracts: Contracts,
    rules: Any,
) -> list[str]:
    """The main contract, what happened to it and what that did (its total effect)."""
    top = result_attr.effects[0]
    event = max(top.events, key=lambda e: abs(e.effect))
    name = contracts.name(top.contract_id)
    if top.contract_id is None:
        first = f"The rule change moved your score by {points(top.effect)}."
        return [first]
    what = event_words(event)
    after_reading = reading_of(readings, event, "after")
    detail = ""
    if event.reason in ("entered", "outcome_changed", "left") or event.before is None:
        why = contracts.why(top.contract_id, event.after, after_reading, private_until(rules))
        detail = f": {why}"
    head, _, tail = what.partition(", so ")
    tail = f", so {tail}" if tail else ""
    first = f"{capital(name)} {head} on {event.day}{tail}{detail}."
    total = points(top.effect)
    if len(top.events) > 1:
        total += f" in all, over its {len(top.events)} changes in this period"
    loss = loss_clause(windows, rules) if windows is not None else None
    if loss is not None and windows is not None:
        after_stat = windows.stat("after", windows.best_after) if windows.best_after else None
        shows = (
            f"so Upwork shows {candidate_words(windows.best_after)} "
            f"({score_pct(after_stat.score if after_stat else None)})"
            if windows.best_after
            else "so no JSS is shown"
        )
        return [first, f"{loss}, {shows}: {total}."]
    if windows is not None and windows.best_after and windows.best_before != windows.best_after:
        now = windows.stat("after", windows.best_after)
        was = windows.stat("before", windows.best_before) if windows.best_before else None
        return [
            first,
            f"From that day Upwork shows {candidate_words(windows.best_after)} "
            f"({score_pct(now.score if now else None)}) instead of "
            f"{candidate_words(windows.best_before)} ({score_pct(was.score if was else None)}): "
            f"{total}.",
        ]
    verb = "cost you" if top.effect < 0 else "added"
    return [first, f"That {verb} {points(abs(top.effect)).lstrip('+')}."]


_PRESET_WORDS = {
    "upwork": "the current Upwork rules",
    "legacy": "the pre-2020 rules",
    "public-only": "the public-feedback-only rules",
    "fair": "the 'fair' rules",
}
_WOULD = {
    "excluded": "not count at all",
    "negative": "count as a negative outcome",
    "success": "count as a success",
    "neutral": "count as a neutral outcome",
}


def contrast_sentence(contrast: Contrast) -> str:
    """`Under the 'fair' rules (`--rules fair`) it would not count at all.`"""
    words = _PRESET_WORDS.get(contrast.preset, f"the {contrast.preset} rules")
    return (
        f"Under {words} (`--rules {contrast.preset}`) it would "
        f"{_WOULD.get(contrast.outcome, contrast.outcome)}."
    )


def movement_sentence(attribution: Attribution, since: date, as_of: date) -> str:
    """`Your JSS fell from 91% on 2026-10-24 to 84% on 2026-11-21.` and the like."""
    status = attribution.status
    before, after = attribution.before.jss, attribution.after.jss
    if status == "no_score":
        return (
            f"You had no JSS on {since} nor on {as_of}: not enough history "
            "(`jsscheck help terms` says what a window needs)."
        )
    if status == "appeared":
        return (
            f"You had no JSS on {since}: not enough history. On {as_of} it is {pct(after)} "
            f"({candidate_words(attribution.after.best)})."
        )
    if status == "disappeared":
        return (
            f"Your JSS was {pct(before)} on {since}; on {as_of} you have none: no window has "
            "enough counted contracts and clients any more."
        )
    change = attribution.change or 0.0
    if before == after:
        if abs(change) < 0.05:
            return f"Your JSS stayed at {pct(after)} from {since} to {as_of}."
        return (
            f"Your JSS stayed at {pct(after)} from {since} to {as_of}; the unrounded score "
            f"moved {points(change)}."
        )
    verb = "fell" if after is not None and before is not None and after < before else "rose"
    return f"Your JSS {verb} from {pct(before)} on {since} to {pct(after)} on {as_of}."


def _others_sentence(attribution: Attribution) -> str | None:
    others = attribution.effects.total[1:].tolist()
    parts = []
    if others:
        total = sum(others)
        parts.append(
            f"{plural(len(others), 'other contract')} moved it by {points(total)} (see the table)"
        )
    lost = sum(u.effect for u in attribution.unattributed)
    if attribution.unattributed and abs(lost) >= 0.05:
        parts.append(
            f"{points(lost)} could not be given to single contracts (more than 12 changed on "
            "one day)"
        )
    return capital("; ".join(parts)) + "." if parts else None


def headline(result: ExplainResult) -> str:
    """The headline paragraph: the main contract first, then the overall movement."""
    x = result.attribution
    if not x.effects:
        return movement_sentence(x, result.since, result.as_of)
    contracts = contracts_of(x)
    sentences = _main_sentences(x, result.readings, result.main_step, contracts, result.rules)
    if result.contrast is not None:
        sentences.append(contrast_sentence(result.contrast))
    sentences.append(movement_sentence(x, result.since, result.as_of))
    others = _others_sentence(x)
    if others:
        sentences.append(others)
    return " ".join(sentences)


def next_steps(attribution: Attribution, contracts: Contracts) -> str | None:
    """Commands that answer the next question."""
    if attribution.after.jss is None:
        return None
    steps = ["`jsscheck forecast` shows when your contracts age out and the score moves next"]
    if attribution.after.jss < 90:
        steps.append("`jsscheck goal` what it takes to reach 90%")
    if attribution.effects:
        top = attribution.effects[0]
        last = top.events[-1]
        negative = last.after is not None and last.after.outcome == "negative"
        if top.contract_id is not None and negative and top.effect < 0:
            cid = shlex.quote(plain(top.contract_id))
            steps.append(
                f"`jsscheck whatif --drop-contract {cid}` your score if Upwork removes "
                f"the feedback of {contracts.name(top.contract_id)}"
            )
    return "Next: " + "; ".join(steps) + "."


def _paragraphs(result: ExplainResult) -> list[str]:
    contracts = contracts_of(result.attribution)
    paragraphs = [headline(result)]
    extra = [
        s
        for s in (leverage_sentence(result.leverage), next_steps(result.attribution, contracts))
        if s
    ]
    if extra:
        paragraphs.append(" ".join(extra))
    return paragraphs


def render_explain(console: Console, result: ExplainResult) -> None:
    """Headline, leverage and next steps, the contributions, the days it changed."""
    for paragraph in _paragraphs(result):
        console.print(paragraph, markup=False, highlight=False)
    x = result.attribution
    if x.effects or x.unattributed:
        console.print()
        console.print(to_rich(effects_rows(x, result.readings, result.rules)))
    if shown_steps(x):
        console.print(to_rich(steps_rows(x)))


def explain_markdown(result: ExplainResult) -> str:
    """For pasting into a support ticket or a forum post (the same rows as the table)."""
    parts = [
        f"### JSS from {result.since} to {result.as_of} ({plain(result.rules.name)} rules)",
        *_paragraphs(result),
    ]
    x = result.attribution
    if x.effects or x.unattributed:
        parts.append(to_markdown(effects_rows(x, result.readings, result.rules)))
    if shown_steps(x):
        parts.append(to_markdown(steps_rows(x)))
    parts.append("_Computed with jsscheck from my own contract history._")
    return "\n\n".join(parts) + "\n"


def explain_warnings(result: ExplainResult, contracts: Contracts | None = None) -> list[str]:
    """The warnings of MODEL.md 11: short coverage, then the open contracts credited."""
    x = result.attribution
    coverage = [coverage_warning(result.short_coverage)] if result.short_coverage else []
    return coverage + warning_lines(
        result.warnings, (contracts or contracts_of(x)).name, x.after.day
    )
