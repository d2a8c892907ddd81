"""`jsscheck import`: merge Upwork exports and your own files into one canonical history."""

from __future__ import annotations

from typing import Annotated

import typer

from jsscheck.cli.options import (
    DayfirstOpt,
    HistoryArg,
    IncludeAgencyOpt,
    InputFormatOpt,
    QuietOpt,
)

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
ForceOpt = Annotated[
    bool,
    typer.Option("--force", help="Replace an existing FILE (your edits in it are lost)."),
]
UpdateOpt = Annotated[
    bool,
    typer.Option(
        "--update",
        help="Read an existing FILE as your own file and keep its edits: the exports only fill "
        "in what it lacks (each difference is a warning).",
    ),
]


def import_histories(
    exports: HistoryArg,
    output: OutputOpt = None,
    output_format: ImportFormatOpt = None,
    dayfirst: DayfirstOpt = False,
    input_format: InputFormatOpt = None,
    quiet: QuietOpt = False,
    force: ForceOpt = False,
    update: UpdateOpt = False,
    include_agency: IncludeAgencyOpt = False,
) -> None:
    import os

    from jsscheck.cli.environment import current
    from jsscheck.cli.output import warn
    from jsscheck.errors import OutputError, UsageError
    from jsscheck.history import read_histories
    from jsscheck.render import count
    from jsscheck.render.history_file import (
        OUTPUT_FORMATS,
        format_for_path,
        render_contracts,
        write_contracts,
    )
    from jsscheck.render.text import for_terminal

    to_stdout = output is None or output == "-"
    chosen = (output_format or format_for_path(None if to_stdout else output)).strip().lower()
    if chosen not in OUTPUT_FORMATS:
        raise UsageError(
            f"'{output_format}' is not an import format", hint="use --format csv or --format json"
        )
    if force and update:
        raise UsageError(
            "--force and --update cannot be used together",
            hint="--update keeps your edits in FILE, --force throws them away: choose one",
        )
    sources = list(exports)
    if not to_stdout and output is not None and os.path.exists(output):
        if update:
            # Your file is read last, as your own canonical file: it wins every difference.
            if output not in sources:
                sources.append(output)
        elif not force:
            raise OutputError(
                f"{output} already exists: not replaced, so your edits in it are kept",
                hint="pass --update to merge the exports into it (its edits win), --force to "
                "replace it, or choose another -o FILE",
            )
    result = read_histories(
        sources, dayfirst=dayfirst, input_format=input_format, include_agency=include_agency
    )
    if not quiet:
        for message in result.warnings:
            warn(message)
    if to_stdout:
        text = render_contracts(result.contracts, chosen)
        # On a terminal a title's escape sequences would drive it; piped, the bytes are data.
        current().stdout.write(for_terminal(text) if current().stdout_isatty else text)
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

  jsscheck import weekly-summary.csv transactions.csv -o history.csv --update

An existing FILE is never replaced silently: --update keeps its edits, --force replaces it.
"""


def register(app: typer.Typer) -> None:
    app.command("import", help=HELP)(import_histories)
