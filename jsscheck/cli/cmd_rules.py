"""`jsscheck rules list|show`: the presets and every parameter, assumptions marked."""

from __future__ import annotations

from typing import Annotated

import typer

from jsscheck.cli.options import ArgumentType, format_choice
from jsscheck.cli.output import OutputFormat

rules_app = typer.Typer(
    help="The rule presets and their parameters.\n\nExamples:\n\n  jsscheck rules list\n\n"
    "  jsscheck rules show legacy\n\n  jsscheck rules show upwork --format toml > mine.toml",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)
ListFormat = format_choice("table", "json", "markdown", "csv")
ShowFormat = format_choice("table", "json", "markdown", "csv", "toml")


@rules_app.command("list")
def list_presets(output_format: Annotated[str, ListFormat] = OutputFormat.TABLE) -> None:
    """The presets, each in one line."""
    from jsscheck.cli.output import Result, emit
    from jsscheck.render.rules import presets_document, presets_table

    emit(Result(document=presets_document(), blocks=[presets_table()]), output_format)


@rules_app.command("show")
def show(
    name: Annotated[
        str,
        typer.Argument(
            help="A preset name, or a TOML rules file.",
            metavar="NAME|FILE",
            click_type=ArgumentType(),
        ),
    ] = "upwork",
    output_format: Annotated[str, ShowFormat] = OutputFormat.TABLE,
) -> None:
    """Every parameter of a preset or rules file, marking the assumptions."""
    from pathlib import Path

    from jsscheck.cli.output import Result, emit
    from jsscheck.model.rules import load_rules_file, preset
    from jsscheck.render.rules import ASSUMPTION_NOTE, rules_document, rules_table

    rules = load_rules_file(name) if Path(name).suffix == ".toml" else preset(name)
    result = Result(
        document=rules_document(rules),
        blocks=[rules_table(rules), ASSUMPTION_NOTE],
        csv=rules_table(rules),
        text={"toml": rules.to_toml()},
    )
    emit(result, output_format)


def register(app: typer.Typer) -> None:
    app.add_typer(rules_app, name="rules", help="List the rule presets, or show one in full.")
