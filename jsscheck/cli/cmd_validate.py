"""`jsscheck validate`: read the inputs and report every problem, or what was read."""

from __future__ import annotations

from typing import Annotated

import typer

from jsscheck.cli.options import (
    DayfirstOpt,
    HistoryArg,
    InputFormatOpt,
    QuietOpt,
    format_choice,
    load_history,
)
from jsscheck.cli.output import OutputFormat

ValidateFormat = format_choice("table", "json", "markdown")

HELP = """Check the history files: every problem with file, line and field, or a one-line summary.

Examples:

  jsscheck validate history.csv

  jsscheck validate upwork-export.json my-extra-contracts.csv --format json
"""


def validate(
    history: HistoryArg,
    output_format: Annotated[str, ValidateFormat] = OutputFormat.TABLE,
    dayfirst: DayfirstOpt = False,
    input_format: InputFormatOpt = None,
    quiet: QuietOpt = False,
) -> None:
    from jsscheck.cli.output import Result, emit
    from jsscheck.render.validate import validate_document, validate_sentence

    _, read = load_history(history, dayfirst=dayfirst, input_format=input_format, quiet=quiet)
    doc = validate_document(read)
    emit(Result(document=doc, blocks=[validate_sentence(doc)]), output_format)


def register(app: typer.Typer) -> None:
    app.command("validate", help=HELP)(validate)
