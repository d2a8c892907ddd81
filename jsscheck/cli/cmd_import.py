"""`jsscheck import`: merge Upwork exports and your own files into one canonical history."""

from __future__ import annotations

from typing import Annotated

import typer

from jsscheck.cli.options import DayfirstOpt, HistoryArg, InputFormatOpt, QuietOpt

OutputOpt = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the history to FILE (history.csv or history.json); default: stdout.",
    ),
]
ImportFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        metavar="csv|json",
        help="Output format: csv or json. Default: json for a .json FILE, else csv.",
        show_default=False,
    ),
]


def import_histories(
    exports: HistoryArg,
    output: OutputOpt = None,
    output_format: ImportFormatOpt = None,
    dayfirst: DayfirstOpt = False,
    input_format: InputFormatOpt = None,
    quiet: QuietOpt = False,
) -> None:
    from jsscheck.cli.environment import current
    from jsscheck.cli.output import warn
    from jsscheck.errors import UsageError
    from jsscheck.history import read_histories
    from jsscheck.render import count
    from jsscheck.render.history_file import (
        OUTPUT_FORMATS,
        format_for_path,
        render_contracts,
        write_contracts,
    )

    to_stdout = output is None or output == "-"
    chosen = (output_format or format_for_path(None if to_stdout else output)).strip().lower()
    if chosen not in OUTPUT_FORMATS:
        raise UsageError(
            f"'{output_format}' is not an import format", hint="use --format csv or --format json"
        )
    result = read_histories(exports, dayfirst=dayfirst, input_format=input_format)
    if not quiet:
        for message in result.warnings:
            warn(message)
    if to_stdout:
        current().stdout.write(render_contracts(result.contracts, chosen))
        return
    assert output is not None
    write_contracts(result.contracts, output, chosen)
    if not quiet:
        current().stderr.write(
            f"wrote {count(len(result.contracts), 'contract')} to {output}: edit it, then "
            f"run `jsscheck validate {output}`\n"
        )


HELP = """Merge inputs (Upwork exports + your own file) into one canonical CSV or JSON to edit.

Examples:

  jsscheck import upwork-contracts.json -o history.csv

  jsscheck import upwork-contracts.json weekly-summary.csv my-extras.csv -o history.json
"""


def register(app: typer.Typer) -> None:
    app.command("import", help=HELP)(import_histories)
