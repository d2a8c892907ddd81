"""People's and scripts' view of `whatif` and `whatif --close-open`.

`jsscheck.whatif/2` shares its attribution part with `jsscheck.explain/2`
(`jsscheck.render.attribution`); the headline says what the edits do, then which contract (or
the rule change) moved the score most, with the same effect as the table.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from jsscheck.render import percent, schemas
from jsscheck.render.attribution import (
    Rows,
    attribution_json,
    contracts_of,
    effects_rows,
    leverage_json,
    private_until,
    reading_of,
    to_markdown,
    to_rich,
)
from jsscheck.render.explain import loss_clause
from jsscheck.render.phrases import (
    candidate_words,
    coverage_warnings,
    effect,
    event_words,
    join_words,
    pct,
    points,
    score_pct,
    warning_lines,
    window_name,
)
from jsscheck.render.text import plain

if TYPE_CHECKING:
    from rich.console import Console

    from jsscheck.analyses.edits import Edit
    from jsscheck.analyses.whatif import ClosingAdvice, WhatifResult
    from jsscheck.model.contract import Contract
    from jsscheck.model.rules import RuleSet

WHATIF_SCHEMA = schemas.WHATIF
CLOSE_OPEN_SCHEMA = schemas.CLOSE_OPEN


# --------------------------------------------------------------------------- edits in words


def _when(day: date, as_of: date) -> str:
    return "now" if day == as_of else f"on {day}"


def _label(titles: Mapping[str, str | None], contract_id: str | None) -> str:
    title = titles.get(contract_id) if contract_id is not None else None
    return f"contract '{plain(title)}'" if title else f"contract {plain(contract_id)}"


def _feedback_phrase(values: dict[str, str]) -> str:
    parts = []
    if "public" in values:
        parts.append(f"{float(values['public']):g} stars")
    if "private" in values:
        parts.append(f"private score {plain(values['private'])}")
    return "with " + " and ".join(parts) if parts else "without feedback"


def describe_edit(edit: Edit, titles: Mapping[str, str | None], as_of: date) -> str:
    """`close contract 'Logo redesign' now without feedback` and the like."""
    if edit.kind == "close":
        on = date.fromisoformat(edit.values["on"]) if "on" in edit.values else as_of
        name = _label(titles, edit.contract_id)
        return f"close {name} {_when(on, as_of)} {_feedback_phrase(edit.values)}"
    if edit.kind == "add":
        on = date.fromisoformat(edit.values["on"]) if "on" in edit.values else as_of
        earned = float(edit.values["earnings"].replace("$", "").replace("_", ""))
        ending = "ending now" if on == as_of else f"ending on {on}"
        return (
            f"add a ${earned:,.0f} contract with {plain(edit.values['client'])} "
            f"{_feedback_phrase(edit.values)}, {ending}"
        )
    name = _label(titles, edit.contract_id)
    if edit.kind == "drop":
        return f"drop {name}"
    changes = ", ".join(
        f"{k.replace('_', ' ')} to {plain(v) or 'empty'}" for k, v in edit.values.items()
    )
    return f"set {changes} on {name}"  # not "'Logo redesign''s"


def rule_phrase(baseline: RuleSet, scenario: RuleSet) -> str | None:
    """`use no_feedback = negative` for the parameters the scenario changes."""
    base = baseline.params()
    changed = [f"{k} = {v}" for k, v in scenario.params().items() if base[k] != v]
    return "use " + ", ".join(changed) if changed else None


# --------------------------------------------------------------------------- headline


def _outcome(result: WhatifResult) -> str:
    x = result.attribution
    before, after = x.before.jss, x.after.jss
    if before == after is None:
        return "you still have no JSS (no window has enough history)"
    if before == after:
        text = f"your JSS stays at {pct(after)}"
        b, a = x.before.best_score, x.after.best_score
        if x.change is not None and abs(x.change) >= 0.05 and b is not None and a is not None:
            text += f" (the unrounded score moves {points(x.change)})"
        return text
    if after is None:
        return f"you go from {pct(before)} to no JSS (no window has enough history)"
    if before is None:
        return f"you go from no JSS to {after}%"
    return f"your JSS goes from {before}% to {after}%"


def _main_sentence(result: WhatifResult) -> str | None:
    x = result.attribution
    if not x.effects:
        return None
    top = x.effects[0]
    event = top.events[0]
    lead = "It all comes from" if len(x.effects) == 1 else "The largest part comes from"
    if top.contract_id is None:
        return (
            f"{lead} the rule change itself (the formula, the windows, Trending or the "
            f"minimums of a window): {points(top.effect)}."
        )
    contracts = contracts_of(x)
    state = contracts.why(
        top.contract_id,
        event.after,
        reading_of(result.readings, event, "after"),
        private_until(result.scenario_rules),
    )
    what = f"{contracts.name(top.contract_id)}, which {event_words(event)} ({state})"
    loss = loss_clause(result.main_step, result.scenario_rules) if result.main_step else None
    if loss is not None and result.main_step is not None:
        shown = result.main_step.best_after
        stat = result.main_step.stat("after", shown) if shown else None
        then = (
            f"so Upwork would show {candidate_words(shown)} "
            f"({score_pct(stat.score if stat else None)})"
            if shown
            else "so no JSS would be shown"
        )
        return f"{lead} {what}: {points(top.effect)}. {loss}, {then}."
    return f"{lead} {what}: {points(top.effect)}."


def whatif_headline(result: WhatifResult) -> str:
    """`If you close contract 'X' now without feedback, your JSS goes from 91% to 88%. …`"""
    phrases = [describe_edit(e, result.titles, result.as_of) for e in result.edits]
    rule = rule_phrase(result.baseline_rules, result.scenario_rules)
    if rule:
        phrases.append(rule)
    condition = f"If you {join_words(phrases)}" if phrases else "With no edits"
    sentences = [f"{condition}, {_outcome(result)}."]
    main = _main_sentence(result)
    if main:
        sentences.append(main)
    computed = result.after.day
    if computed < result.as_of:
        sentences.append(
            f"With the biweekly cadence the score shown on {result.as_of} was computed on "
            f"{computed}; changes after that show from the update on "
            f"{computed + timedelta(days=14)}."
        )
    return " ".join(sentences)


# --------------------------------------------------------------------------- JSON


def edit_json(edit: Edit) -> dict[str, Any]:
    return {
        "kind": edit.kind,
        "spec": edit.spec,
        "contract_id": edit.contract_id,
        "values": dict(edit.values),
    }


def whatif_document(result: WhatifResult, *, encoded: bool = False) -> dict[str, Any]:
    """The `jsscheck.whatif/2` document of CLI.md (`encoded`: see `attribution_json`)."""
    from jsscheck.analyses.whatif import candidate_scores

    x = result.attribution
    shared = attribution_json(x, encoded=encoded)
    shared["before"]["candidates"] = candidate_scores(x.before)
    shared["after"]["candidates"] = candidate_scores(x.after)
    return {
        "schema": WHATIF_SCHEMA,
        "as_of": result.as_of.isoformat(),
        "rules": {
            "baseline": result.baseline_rules.to_json(),
            "scenario": result.scenario_rules.to_json(),
        },
        **shared,
        "leverage": leverage_json(result.leverage),
        "warnings": whatif_warnings(result),
        "edits": [edit_json(e) for e in result.edits],
        "summary": whatif_headline(result),
    }


def whatif_warnings(result: WhatifResult) -> list[str]:
    """MODEL.md 11 warnings of the scenario: short coverage, then the open contracts credited."""
    x = result.attribution
    lines = warning_lines(result.warnings, contracts_of(x).name, x.after.day)
    return coverage_warnings(result.short_coverage) + lines


# --------------------------------------------------------------------------- tables


def windows_rows(result: WhatifResult) -> Rows:
    """Every candidate's score before and after, the best of each side marked."""
    from jsscheck.analyses.whatif import candidate_scores

    before = candidate_scores(result.before)
    after = candidate_scores(result.after)
    rows = []
    for name in dict.fromkeys([*before, *after]):
        b, a = before.get(name), after.get(name)
        mark_b = " *" if name == result.before.best else ""
        mark_a = " *" if name == result.after.best else ""
        change = effect(a - b) if a is not None and b is not None else ""
        rows.append((window_name(name), percent(b) + mark_b, percent(a) + mark_a, change))
    rows.append(("Displayed JSS", pct(result.before.jss), pct(result.after.jss), ""))
    return Rows(
        "Windows (* the one Upwork shows)",
        ("Window", "Before", "After", "Change"),
        frozenset({1, 2, 3}),
        tuple(rows),
    )


def render_whatif(console: Console, result: WhatifResult) -> None:
    """Headline, windows before/after, what moved the score."""
    console.print(whatif_headline(result), markup=False, highlight=False)
    console.print()
    console.print(to_rich(windows_rows(result)))
    x = result.attribution
    if x.effects or x.unattributed:
        rows = effects_rows(
            x, result.readings, result.scenario_rules, title="What the scenario changes"
        )
        console.print(to_rich(rows))


# --------------------------------------------------------------------------- closing advice


def _name(contract: Contract) -> str:
    return f"'{plain(contract.title)}'" if contract.title else plain(contract.contract_id)


def _cell(contract: Contract) -> str:
    cid = plain(contract.contract_id)
    return f"{cid} {plain(contract.title)}" if contract.title else cid


def advice_summary(advice: ClosingAdvice) -> str:
    """`Closing 'X', then 'Y' without feedback never lowers your JSS (…). Leave 'Z' open: …`"""
    if advice.open_count == 0:
        return f"You have no open contracts on {advice.as_of}: nothing to close."
    parts = []
    if advice.order:
        names = ", then ".join(_name(s.contract) for s in advice.order)
        parts.append(
            f"Closing {names} without feedback never lowers your JSS "
            f"({pct(advice.jss)} → {pct(advice.order[-1].jss)})."
        )
    if advice.leave_open:
        names = join_words([_name(lo.contract) for lo in advice.leave_open])
        if advice.order:
            it = "it" if len(advice.leave_open) == 1 else "any of them"
            parts.append(f"Leave {names} open: closing {it} next would lower the score.")
        else:
            parts.append(
                f"Leave {names} open: closing any of them without feedback lowers your JSS "
                f"(at best to {pct(advice.leave_open[0].jss)} from {pct(advice.jss)})."
            )
    if advice.not_assessed:
        assessed = advice.open_count - advice.not_assessed
        parts.append(
            f"Of your {advice.open_count:,} open contracts, only the {assessed} unpaid the "
            f"longest were assessed; for any of the other {advice.not_assessed:,}, try "
            "`jsscheck whatif HISTORY --close-contract ID`."
        )
    return " ".join(parts)


def advice_document(advice: ClosingAdvice) -> dict[str, Any]:
    """The `jsscheck.close_open/1` document."""

    def step(s: Any) -> dict[str, Any]:
        return {"contract_id": s.contract.contract_id, "jss": s.jss, "score": s.score}

    return {
        "schema": CLOSE_OPEN_SCHEMA,
        "as_of": advice.as_of.isoformat(),
        "computed_on": advice.computed_on.isoformat(),
        "rules": advice.rules.to_json(),
        "jss": advice.jss,
        "score": advice.score,
        "options": [
            {
                "contract_id": o.contract.contract_id,
                "title": plain(o.contract.title),
                "client": plain(o.contract.client),
                "no_feedback": {"jss": o.jss_no_feedback, "score": o.score_no_feedback},
                "five_stars": {"jss": o.jss_five_stars, "score": o.score_five_stars},
            }
            for o in advice.options
        ],
        "order": [step(s) for s in advice.order],
        "leave_open": [step(s) for s in advice.leave_open],
        "open_count": advice.open_count,
        "not_assessed": advice.not_assessed,
        "summary": advice_summary(advice),
    }


def advice_rows(advice: ClosingAdvice) -> Rows:
    """Each open contract closed alone, best first."""
    rows = [
        (
            _cell(o.contract),
            plain(o.contract.client),
            f"{pct(o.jss_no_feedback)} ({percent(o.score_no_feedback)})",
            f"{pct(o.jss_five_stars)} ({percent(o.score_five_stars)})",
        )
        for o in advice.options
    ]
    return Rows(
        f"Closing one open contract now (JSS today {pct(advice.jss)})",
        ("Contract", "Client", "No feedback", "5 stars"),
        frozenset({2, 3}),
        tuple(rows),
    )


def order_rows(advice: ClosingAdvice) -> Rows:
    """The suggested order, then what to leave open."""
    rows = [
        (str(n), _cell(s.contract), f"{pct(s.jss)} ({percent(s.score)})")
        for n, s in enumerate(advice.order, 1)
    ]
    rows += [
        ("—", f"leave open: {_cell(lo.contract)}", f"would be {pct(lo.jss)} ({percent(lo.score)})")
        for lo in advice.leave_open
    ]
    return Rows(
        "Suggested closing order (without feedback)",
        ("Step", "Close", "JSS after"),
        frozenset({0, 2}),
        tuple(rows),
    )


def render_advice(console: Console, advice: ClosingAdvice) -> None:
    console.print(advice_summary(advice), markup=False, highlight=False)
    if advice.options:
        console.print()
        console.print(to_rich(advice_rows(advice)))
        console.print(to_rich(order_rows(advice)))


def whatif_markdown(result: WhatifResult) -> str:
    """The same headline and tables as `render_whatif`, in markdown."""
    parts = [plain(whatif_headline(result)), to_markdown(windows_rows(result))]
    x = result.attribution
    if x.effects or x.unattributed:
        rows = effects_rows(
            x, result.readings, result.scenario_rules, title="What the scenario changes"
        )
        parts.append(to_markdown(rows))
    return "\n\n".join(parts)


def advice_markdown(advice: ClosingAdvice) -> str:
    """The same summary and tables as `render_advice`, in markdown."""
    parts = [plain(advice_summary(advice))]
    if advice.options:
        parts += [to_markdown(advice_rows(advice)), to_markdown(order_rows(advice))]
    return "\n\n".join(parts)
