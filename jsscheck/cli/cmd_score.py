"""`jsscheck score`: the JSS as of a date, every window, every contract, Top Rated weeks."""

from __future__ import annotations

from typing import Annotated

import typer

from jsscheck.cli.inputs import InputChoice, with_input
from jsscheck.cli.options import (
    AsOfOpt,
    HistoryArg,
    QuietOpt,
    RuleChoice,
    format_choice,
    parse_date_option,
    with_rules,
)
from jsscheck.cli.output import OutputFormat

ScoreFormat = format_choice("table", "json", "markdown", "csv")
CompareOpt = Annotated[
    bool, typer.Option("--compare", help="Put all presets (or those of --rules a,b) side by side.")
]
AllOpt = Annotated[
    bool,
    typer.Option(
        "--all",
        help="List every contract, also those that count in no window, however many (CSV and "
        "JSON always do; the table otherwise shows the newest 50 that count).",
    ),
]

HELP = """The JSS as of a date: every window, each contract's outcome and weight, Top Rated weeks.

Examples:

  jsscheck score history.csv

  jsscheck score history.csv --as-of 2026-11-21 --format markdown

  jsscheck score history.csv --compare

Lists the newest 50 contracts that count in a window; --all lists every one.
"""


@with_rules
@with_input
def score(
    history: HistoryArg,
    rules: RuleChoice,
    reading: InputChoice,
    as_of: AsOfOpt = None,
    compare: CompareOpt = False,
    every: AllOpt = False,
    output_format: Annotated[str, ScoreFormat] = OutputFormat.TABLE,
    quiet: QuietOpt = False,
) -> None:
    from jsscheck.analyses.score import score_report
    from jsscheck.cli.output import Result, emit
    from jsscheck.errors import UsageError
    from jsscheck.render import score_document as documents

    day = parse_date_option(as_of, "--as-of")
    if "," in rules.preset and not compare:
        raise UsageError("--rules takes one preset", hint="several are for --compare")
    arrays, read = reading.load(history, quiet=quiet)
    warnings = tuple(read.warnings)
    if compare:
        from jsscheck.render.score import compare_blocks

        docs = [
            documents.score_document(score_report(arrays, r, day, warnings))
            for r in rules.compared()
        ]
        result = Result(document=documents.compare_document(day, docs), blocks=compare_blocks(docs))
        emit(result, output_format)
        return
    report = score_report(arrays, rules.resolve(), day, warnings, read.covered_from)
    if output_format == OutputFormat.JSON:
        emit(Result(document=documents.score_document(report, stream_contracts=True)), "json")
        return
    from jsscheck.render.score import contracts_table, score_blocks  # tables for people

    doc = documents.score_document(report)
    said = documents.credit_warnings(report)
    if output_format == OutputFormat.CSV:  # every contract, never cut
        emit(Result(csv=contracts_table(doc), warnings=said), output_format, quiet=quiet)
        return
    emit(Result(blocks=score_blocks(doc, every), warnings=said), output_format, quiet=quiet)


def register(app: typer.Typer) -> None:
    app.command("score", help=HELP)(score)
