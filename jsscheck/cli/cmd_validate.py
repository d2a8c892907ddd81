"""`jsscheck validate`: read the inputs and report every problem, or what was read."""

from __future__ import annotations

import typer

from jsscheck.cli.options import (
    DayfirstOpt,
    HistoryArg,
    InputFormatOpt,
    QuietOpt,
    format_option,
    load_history,
)

ValidateFormat = format_option("table", "json")


def validate(
    history: HistoryArg,
    output_format: ValidateFormat = "table",
    dayfirst: DayfirstOpt = False,
    input_format: InputFormatOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Check the history files: every problem with file, line and field, or a summary."""
    from jsscheck.cli.output import write_json, write_text

    arrays, read = load_history(history, dayfirst=dayfirst, input_format=input_format, quiet=quiet)
    overview = read.contracts.overview()
    count, open_count, clients = overview["contracts"], overview["open"], overview["clients"]
    first, last = overview["first_date"], overview["last_date"]
    if output_format == "json":
        write_json(
            {
                "schema": "jsscheck.validate/1",
                "valid": True,
                "contracts": count,
                "open": open_count,
                "clients": clients,
                "first_date": first.isoformat() if first else None,
                "last_date": last.isoformat() if last else None,
                "warnings": read.warnings,
                "source_sha256": read.source_sha256,
            }
        )
        return
    span = f" from {first} to {last}" if first and last else ""
    write_text(
        f"OK: {count} contracts ({open_count} open) with {clients} clients{span}"
        + (f", {len(read.warnings)} warnings" if read.warnings else "")
        + "."
    )


def register(app: typer.Typer) -> None:
    app.command(
        "validate", help="Read the inputs and report every problem, or a one-line summary."
    )(validate)
