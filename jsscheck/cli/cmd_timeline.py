"""`jsscheck timeline`: the displayed JSS and every window over a date range, as a chart."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from jsscheck.cli.options import (
    AsOfOpt,
    DayfirstOpt,
    HistoryArg,
    InputFormatOpt,
    QuietOpt,
    RuleChoice,
    load_history,
    parse_date_option,
    with_rules,
)

if TYPE_CHECKING:
    from jsscheck.analyses.timeline import Progress

FORMATS = ("table", "json", "csv", "markdown")
#: Show a progress bar only once the work has taken this long (CLI.md "Output").
PROGRESS_AFTER_SECONDS = 1.0


def _check_format(value: str | None) -> str | None:
    if value is None:
        return None
    chosen = value.strip().lower()
    if chosen not in FORMATS:
        raise typer.BadParameter(f"'{value}' is not one of {', '.join(FORMATS)}")
    return chosen


# Not the shared `format_option`: "no --format given" must be told apart from "table", since
# piped output without --format is the data (CSV), and with --format table the chart.
TimelineFormat = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format: table (a chart; the default on a terminal), json, csv "
        "(the default when piped) or markdown.",
        callback=_check_format,
        metavar="table|json|csv|markdown",
        show_default=False,
    ),
]


@with_rules
def timeline(
    history: HistoryArg,
    rules: RuleChoice,
    from_: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="DATE",
            help="First date of the range (YYYY-MM-DD). Default: 24 months before --to.",
        ),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option(
            "--to", metavar="DATE", help="Last date of the range. Default: --as-of, else today."
        ),
    ] = None,
    every: Annotated[
        str | None,
        typer.Option(
            "--every",
            metavar="1d|7d|14d|update",
            help="One point every N days, counted back from --to, or on each update day. "
            "Default: 7d with daily rules, the update days with biweekly ones.",
        ),
    ] = None,
    as_of: AsOfOpt = None,
    plot: Annotated[
        str | None,
        typer.Option(
            "--plot",
            metavar="FILE.png|FILE.svg",
            help="Also draw the chart into an image (needs: pip install 'jsscheck[plot]').",
        ),
    ] = None,
    output_format: TimelineFormat = None,
    dayfirst: DayfirstOpt = False,
    input_format: InputFormatOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """The displayed JSS and every window over a date range: a chart on a terminal."""
    from jsscheck.analyses.timeline import compute_timeline, default_first, parse_every
    from jsscheck.errors import UsageError

    if plot is not None:
        from jsscheck.render.plot import check_plot_target

        check_plot_target(plot)
    step = parse_every(every)
    as_of_day = parse_date_option(as_of, "--as-of")
    last = parse_date_option(to, "--to", default=as_of_day)
    if to is not None and as_of is not None and last != as_of_day:
        raise UsageError(
            f"--to {last} and --as-of {as_of_day} disagree", hint="give only one of them"
        )
    first = parse_date_option(from_, "--from", default=default_first(last))
    if first > last:
        raise UsageError(f"--from {first} is after --to {last}", hint="give an earlier --from")

    arrays, _ = load_history(history, dayfirst=dayfirst, input_format=input_format, quiet=quiet)
    resolved = rules.resolve()
    chosen = output_format
    if chosen is None:
        chosen = "table" if sys.stdout.isatty() else "csv"
    needs_moves = chosen == "table" or plot is not None
    with _progress_bar() as progress:
        result = compute_timeline(
            arrays, resolved, first, last, step, progress, with_steps=needs_moves
        )
    moves = []
    if needs_moves:
        from jsscheck.analyses.timeline import largest_moves

        moves = largest_moves(arrays, resolved, result.steps)
    if plot is not None:
        from jsscheck.files import write_atomic
        from jsscheck.render.plot import plot_timeline

        titles = arrays.contracts.titles_by_id()
        write_atomic(plot, plot_timeline(result, moves, plot, titles))
        if not quiet:
            sys.stderr.write(f"jsscheck: wrote {plot}\n")

    if chosen == "json":
        from jsscheck.cli.output import write_json
        from jsscheck.render.timeline import timeline_document

        write_json(timeline_document(result))
    elif chosen == "csv":
        from jsscheck.cli.output import write_csv
        from jsscheck.render.timeline import csv_header, csv_rows

        write_csv(csv_header(result), csv_rows(result))
    elif chosen == "markdown":
        from jsscheck.cli.output import write_text
        from jsscheck.render.timeline import timeline_markdown

        write_text(timeline_markdown(result))
    else:
        from jsscheck.cli.output import console
        from jsscheck.render.chart import render_timeline

        titles = arrays.contracts.titles_by_id()
        render_timeline(console(), result, moves, titles)


@contextmanager
def _progress_bar() -> Iterator[Progress | None]:
    """A rich progress bar on stderr, shown only on a terminal and after a second of work."""
    if not sys.stderr.isatty():
        yield None
        return
    import time

    started = time.monotonic()
    shown: list = []  # the rich Progress and its task, once started

    def report(done: int, total: int) -> None:
        if not shown:
            if done >= total or time.monotonic() - started < PROGRESS_AFTER_SECONDS:
                return
            from rich.progress import Progress as Bar

            from jsscheck.cli.output import console

            bar = Bar(console=console(stderr=True), transient=True)
            bar.start()
            shown.extend([bar, bar.add_task("Scoring dates", total=total)])
        shown[0].update(shown[1], completed=done)

    try:
        yield report
    finally:
        if shown:
            shown[0].stop()


def register(app: typer.Typer) -> None:
    app.command(
        "timeline",
        help="The displayed JSS and every window over a date range: a chart on a terminal, "
        "CSV or JSON for scripts, --plot FILE.png/.svg for an image.",
    )(timeline)
