"""Plain sentences about a change of the score, for people who are not programmers.

Pure text from the data of `jsscheck.engine.attribution`; no terminal code. Where the effect of a
contract depends on a contested rule (no-feedback, $0, long-term, idle open contracts), the
sentence says what another preset would do with it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from jsscheck.engine.arrays import ContractArrays
from jsscheck.engine.attribution import Contribution, Explanation
from jsscheck.engine.evaluate import evaluate
from jsscheck.engine.outcomes import Outcome, Reason
from jsscheck.model.rules import PRESETS, RuleSet

CONTESTED_REASONS = {"no_feedback", "zero_dollar", "long_term", "long_term_active"}

_PRESET_WORDS = {
    "upwork": "the current Upwork rules",
    "legacy": "the pre-2020 rules",
    "public-only": "the public-feedback-only rules",
    "fair": "the 'fair' rules",
}
_A_OUTCOME = {
    "success": "it was a success",
    "negative": "it was a negative outcome",
    "neutral": "it was a neutral outcome",
}
_OUTCOME_WORDS = {
    "excluded": "not count at all",
    "negative": "count as a negative outcome",
    "success": "count as a success",
    "neutral": "count as a neutral outcome",
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


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _points(value: float) -> str:
    sign = "−" if value < 0 else "+"
    return f"{sign}{abs(value):.1f} points"


def contract_name(c: Contribution) -> str:
    """`contract 'Logo redesign' (Acme)`."""
    title = f"'{c.contract.title}'" if c.contract.title else c.contract_id
    return f"contract {title} ({c.contract.client})"


def _feedback_words(c: Contribution) -> str:
    contract = c.contract
    parts = []
    if contract.public_feedback is not None:
        stars = contract.public_feedback
        parts.append(f"a {stars:g}-star review")
    if contract.private_feedback is not None:
        parts.append(f"private score {contract.private_feedback}")
    return " and ".join(parts) if parts else "no feedback"


def why_words(c: Contribution, attributed_in: str | None) -> str:
    """What happened to the contract, in words."""
    after, before = c.after, c.before
    money = "with $0 earned" if c.contract.earnings == 0 else ""
    if c.reason == "entered" and after is not None:
        if after.reason == "no_feedback":
            tail = f"it closed {money} and no feedback".replace("  ", " ")
            return f"{tail}, and under these rules that counts as a {after.outcome} outcome"
        if after.reason == "dispute":
            return "it ended in a dispute, which counts as a negative outcome"
        if after.reason in ("long_term", "long_term_active"):
            return "it has run for more than 90 days with earnings, so it counts as a success"
        if after.reason == "feedback":
            closed = f"it closed {money} with" if money else "it got"
            return f"{closed} {_feedback_words(c)}, which counts as a {after.outcome} outcome"
        return f"it now counts ({after.outcome}, {after.reason.replace('_', ' ')})"
    if c.reason == "aged_out":
        what = _A_OUTCOME.get(before.outcome if before else "", "an outcome")
        return f"{what} that aged out of {candidate_words(attributed_in)} and no longer counts"
    if c.reason == "left" and after is not None:
        return f"it no longer counts ({after.reason.replace('_', ' ')})"
    if c.reason == "left":
        return "it is no longer in the history"
    if c.reason == "outcome_changed" and before and after:
        return (
            f"its outcome changed from {before.outcome} to {after.outcome} "
            f"({after.reason.replace('_', ' ')})"
        )
    if before and after and before.weight is not None and after.weight is not None:
        return f"its weight changed from {before.weight:g} to {after.weight:g}"
    return c.reason.replace("_", " ")


def rule_contrast(c: Contribution, arrays: ContractArrays, rules: RuleSet, day: date) -> str | None:
    """What another preset would do with this contract, when a contested rule decides it."""
    state = c.after if c.after is not None and c.after.in_window else c.before
    if state is None:
        return None
    contested = state.reason in CONTESTED_REASONS or c.contract.earnings == 0
    if not contested:
        return None
    current = state.outcome
    alternatives = ["upwork", "legacy"] if rules.name != "upwork" else ["legacy", "fair"]
    index = arrays.index_of.get(c.contract_id)
    if index is None:
        return None
    for name in alternatives:
        alt = replace(PRESETS[name], cadence="daily")
        if alt.params() == replace(rules, cadence="daily").params():
            continue
        evaluation = evaluate(arrays, alt, day)
        if Reason(int(evaluation.reason[index])) is Reason.NOT_STARTED:
            continue
        outcome = Outcome(int(evaluation.outcome[index])).label
        if outcome != current:
            return (
                f"Under {_PRESET_WORDS[name]} (`--rules {name}`) it would "
                f"{_OUTCOME_WORDS[outcome]}."
            )
    return None


def movement_sentence(x: Explanation, since: date, as_of: date, step_days: list[date]) -> str:
    """`Your JSS fell from 91% to 80% on 2026-11-02.` and the like."""
    before, after = x.before.jss, x.after.jss
    if x.status == "none":
        return (
            f"You had no JSS on {since} nor on {as_of}: not enough history "
            "(see `jsscheck score` for what a window needs)."
        )
    if x.status == "appeared":
        return (
            f"You had no JSS on {since}: not enough history. On {as_of} it is {after}% "
            f"({candidate_words(x.after.best)})."
        )
    if x.status == "disappeared":
        return (
            f"Your JSS was {before}% on {since}; on {as_of} you have none: no window has "
            "enough counted contracts and clients any more."
        )
    when = f"on {step_days[0]}" if len(step_days) == 1 else f"between {since} and {as_of}"
    assert x.change is not None
    if before == after:
        if abs(x.change) < 0.005:
            return f"Your JSS stayed at {after}% from {since} to {as_of}."
        return (
            f"Your JSS stayed at {after}% from {since} to {as_of}, though the unrounded score "
            f"moved {_points(x.change)} ({x.before.best_score:.2f} → {x.after.best_score:.2f})."
        )
    verb = "fell" if after is not None and before is not None and after < before else "rose"
    return f"Your JSS {verb} from {before}% to {after}% {when}."


def cause_sentence(x: Explanation) -> str | None:
    """The contract that did most of it, or the window switch when nothing else moved."""
    if x.change is None:
        return None
    total = sum(abs(c.effect) for c in x.contributions)
    if x.contributions:
        top = x.contributions[0]
        share = abs(top.effect) / total if total else 1.0
        why = why_words(top, x.attributed_in)
        if len(x.contributions) == 1:
            return f"It comes from {contract_name(top)} ({_points(top.effect)}): {why}."
        lead = "Almost all of it" if share >= 0.8 else "The largest part"
        return f"{lead} ({_points(top.effect)}) is {contract_name(top)}: {why}."
    if x.window_switch is not None:
        return (
            f"No contract changed: {candidate_words(x.window_switch.source)} was best before, "
            f"now {candidate_words(x.window_switch.target)} is."
        )
    return None


def switch_sentence(x: Explanation) -> str | None:
    """`The 24-month window was best before; now the 12-month one is (−1.1 points).`"""
    ws = x.window_switch
    if ws is None or not x.contributions or abs(ws.effect) < 0.005:
        return None
    return (
        f"{_capital(candidate_words(ws.source))} was best before; now "
        f"{candidate_words(ws.target)} is ({_points(ws.effect)} from the switch)."
    )


def floor_sentence(x: Explanation) -> str | None:
    """When the 0% floor absorbed part of the change."""
    if abs(x.floor_effect) < 0.005:
        return None
    return (
        f"The score is floored at 0%: {_points(x.floor_effect)} of the contracts' effect "
        "is absorbed by the floor."
    )


def summary(
    x: Explanation,
    since: date,
    as_of: date,
    step_days: list[date],
    arrays: ContractArrays,
    rules: RuleSet,
) -> str:
    """The headline paragraph: movement, main cause, rule contrast, switch, floor."""
    sentences = [movement_sentence(x, since, as_of, step_days)]
    cause = cause_sentence(x)
    if cause:
        sentences.append(cause)
        if x.contributions:
            contrast = rule_contrast(x.contributions[0], arrays, rules, x.after.day)
            if contrast:
                sentences.append(contrast)
    for extra in (switch_sentence(x), floor_sentence(x)):
        if extra:
            sentences.append(extra)
    return " ".join(sentences)
