"""`jsscheck report`: one self-contained HTML page — score, why it moved, chart, forecast,
goal, closing advice, contracts, rules, glossary and warnings."""

from __future__ import annotations

from typing import Annotated

import typer

from jsscheck.cli.inputs import InputChoice, with_input
from jsscheck.cli.options import (
    AsOfOpt,
    HistoryArg,
    ProfileOpt,
    QuietOpt,
    RuleChoice,
    SinceOpt,
    StoreOpt,
    with_rules,
)

FORMATS = ("html", "json")


def _check_format(value: str) -> str:
    chosen = value.strip().lower()
    if chosen not in FORMATS:
        raise typer.BadParameter(f"'{value}' is not one of {', '.join(FORMATS)}")
    return chosen


# Not the shared `format_choice`: html is this command's own format, no other prints it.
ReportFormat = typer.Option(
    "--format",
    "-f",
    help="Output format: html (the page, written to -o) or json (its data, on stdout).",
    callback=_check_format,
    metavar="html|json",
)

HELP = """One page to open in a browser, print or attach to a support ticket: your score, why it
moved, a two-year chart, when it recovers, what to do, and every contract in words.

Examples:

  jsscheck report history.csv -o jss-report.html --open

  jsscheck report history.csv --format json
"""


@with_rules
@with_input
def report(
    history: HistoryArg,
    rules: RuleChoice,
    reading: InputChoice,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the page here (default: jss-report.html).",
        ),
    ] = None,
    open_page: Annotated[
        bool, typer.Option("--open", help="Open the page in your default browser.")
    ] = False,
    since: SinceOpt = None,
    as_of: AsOfOpt = None,
    output_format: Annotated[str, ReportFormat] = "html",
    profile: ProfileOpt = "default",
    store: StoreOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Write the one-page HTML report (or print its JSON document with --format json)."""
    from jsscheck.analyses.report import gather
    from jsscheck.analyses.timeline import default_first
    from jsscheck.cli.cmd_explain import period_dates
    from jsscheck.cli.cmd_forecast import forecast_until
    from jsscheck.cli.output import note, write_json
    from jsscheck.errors import UsageError
    from jsscheck.render.html.document import report_document

    earlier, day = period_dates(since, as_of, store, profile)
    if output_format == "json" and (output is not None or open_page):
        raise UsageError("--format json prints the document", hint="drop -o and --open")
    arrays, read = reading.load(history, quiet=quiet)
    result = gather(
        read.contracts,
        arrays,
        rules.resolve(),
        as_of=day,
        since=earlier,
        until=forecast_until(day, None, None),
        chart_from=default_first(day),
        warnings=tuple(read.warnings),
        covered_from=read.covered_from,
    )
    document = report_document(result)
    if output_format == "json":
        write_json(document)
        return
    from pathlib import Path

    from jsscheck.files import write_atomic
    from jsscheck.render.html.page import report_html

    target = Path(output or "jss-report.html")
    write_atomic(target, report_html(document).encode("utf-8"))
    if not quiet:
        note(f"wrote {target}")
    if open_page:
        import webbrowser

        if not webbrowser.open(target.resolve().as_uri()):
            note(f"no browser found: open {target} yourself")


def register(app: typer.Typer) -> None:
    app.command("report", help=HELP)(report)
