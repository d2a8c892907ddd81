"""`jsscheck rules list|show`: the presets and every parameter, assumptions marked."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from jsscheck.cli.options import format_option

rules_app = typer.Typer(
    help="The rule presets and their parameters.", no_args_is_help=True, rich_markup_mode=None
)
RulesFormat = format_option("table", "json", "toml")


def _value(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@rules_app.command("list")
def list_presets(output_format: RulesFormat = "table") -> None:
    """The presets, each in one line."""
    from jsscheck.cli.output import console, write_json
    from jsscheck.model.rules import PRESET_SUMMARIES, PRESETS

    if output_format == "json":
        write_json(
            {
                "schema": "jsscheck.rules/1",
                "presets": [
                    {**PRESETS[n].to_json(), "summary": PRESET_SUMMARIES[n]} for n in PRESETS
                ],
            }
        )
        return
    from rich.table import Table

    table = Table(title="Rule presets (jsscheck rules show NAME for every parameter)")
    table.add_column("Preset")
    table.add_column("What it is")
    for name in PRESETS:
        table.add_row(name + (" (default)" if name == "upwork" else ""), PRESET_SUMMARIES[name])
    console().print(table)


@rules_app.command("show")
def show(
    name: Annotated[str, typer.Argument(help="A preset name, or a TOML rules file.")] = "upwork",
    output_format: RulesFormat = "table",
) -> None:
    """Every parameter of a preset or rules file, marking the assumptions."""
    from pathlib import Path

    from jsscheck.cli.output import console, write_json, write_text
    from jsscheck.model.rules import ASSUMPTIONS, PARAM_HELP, load_rules_file, preset

    rules = load_rules_file(name) if Path(name).suffix == ".toml" else preset(name)
    if output_format == "json":
        write_json({"schema": "jsscheck.rules/1", **rules.to_json(), "assumptions": ASSUMPTIONS})
        return
    if output_format == "toml":
        write_text(rules.to_toml())
        return
    from rich.table import Table

    table = Table(title=f"Rules: {rules.name} (fingerprint {rules.fingerprint})")
    table.add_column("Parameter")
    table.add_column("Value")
    table.add_column("Meaning")
    table.add_column("Published?")
    for key, value in rules.params().items():
        status = f"assumption: {ASSUMPTIONS[key]}" if key in ASSUMPTIONS else "published"
        table.add_row(key, _value(value), PARAM_HELP[key], status)
    out = console()
    out.print(table)
    out.print(
        "Assumptions are jsscheck's best guesses where Upwork publishes nothing; "
        "`jsscheck calibrate` tests them against the scores Upwork shows you.",
        markup=False,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(rules_app, name="rules", help="List the rule presets, or show one in full.")
