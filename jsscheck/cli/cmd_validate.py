"""`jsscheck validate`: read the inputs and report every problem, or what was read."""

from __future__ import annotations

from typing import Annotated

import typer

from jsscheck.cli.inputs import InputChoice, with_input
from jsscheck.cli.options import (
    HistoryArg,
    QuietOpt,
    format_choice,
)
from jsscheck.cli.output import OutputFormat
from jsscheck.errors import InvalidInputError

ValidateFormat = format_choice("table", "json", "markdown")

HELP = """Check the history files: every problem with file, line and field, or a one-line summary.

Examples:

  jsscheck validate history.csv

  jsscheck validate upwork-export.json my-extra-contracts.csv --format json
"""


@with_input
def validate(
    history: HistoryArg,
    reading: InputChoice,
    output_format: Annotated[str, ValidateFormat] = OutputFormat.TABLE,
    quiet: QuietOpt = False,
) -> None:
    from jsscheck.cli.output import Result, emit
    from jsscheck.render.validate import validate_document, validate_sentence

    try:
        _, read = reading.load(history, quiet=quiet)
    except InvalidInputError as invalid:
        raise GroupedProblemsError(invalid.problems) from None
    doc = validate_document(read)
    emit(Result(document=doc, blocks=[validate_sentence(doc)]), output_format)


class GroupedProblemsError(InvalidInputError):
    """The same invalid history (exit 65), each distinct problem said once with the contracts
    or lines it applies to."""

    def lines(self) -> list[str]:
        from jsscheck.render.validate import problem_lines

        return problem_lines(self.problems)


def register(app: typer.Typer) -> None:
    app.command("validate", help=HELP)(validate)
