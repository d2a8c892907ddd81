"""The rule presets and one rule set's parameters, for `jsscheck rules list|show`."""

from __future__ import annotations

from typing import Any

from jsscheck.model.rules import ASSUMPTIONS, PARAM_HELP, PRESET_SUMMARIES, PRESETS, RuleSet
from jsscheck.render import schemas
from jsscheck.render.rows import Column, PlainTable, table

ASSUMPTION_NOTE = (
    "Assumptions are jsscheck's best guesses where Upwork publishes nothing; "
    "`jsscheck calibrate` tests them against the scores Upwork shows you."
)


def value_words(value: Any) -> str:
    """A parameter value for people: `6, 12, 24`, `yes`, `none`."""
    if value is None:
        return "none"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).replace("_", "-") if isinstance(value, str) else str(value)


def presets_document() -> dict[str, Any]:
    """`jsscheck.rules/1` listing every preset."""
    return {
        "schema": schemas.RULES,
        "presets": [{**PRESETS[n].to_json(), "summary": PRESET_SUMMARIES[n]} for n in PRESETS],
    }


def presets_table() -> PlainTable:
    """The presets, each in one line."""
    return table(
        "Rule presets (jsscheck rules show NAME for every parameter)",
        [Column("Preset"), Column("What it is")],
        [
            [name + (" (default)" if name == "upwork" else ""), PRESET_SUMMARIES[name]]
            for name in PRESETS
        ],
    )


def rules_document(rules: RuleSet) -> dict[str, Any]:
    """`jsscheck.rules/1` for one rule set, with the assumptions."""
    return {"schema": schemas.RULES, **rules.to_json(), "assumptions": ASSUMPTIONS}


def rules_table(rules: RuleSet) -> PlainTable:
    """Every parameter: value, meaning, and whether Upwork publishes it."""
    rows = [
        [
            key,
            value_words(value),
            PARAM_HELP.get(key, ""),
            f"assumption: {ASSUMPTIONS[key]}" if key in ASSUMPTIONS else "published",
        ]
        for key, value in rules.params().items()
    ]
    return table(
        f"Rules: {rules.name} (fingerprint {rules.fingerprint})",
        [
            Column("Parameter"),
            Column("Value"),
            Column("Meaning"),
            Column("Published?"),
        ],
        rows,
    )
