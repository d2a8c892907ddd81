"""`jsscheck timeline`: the displayed JSS and every window over a date range, as a chart."""

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

#: Show a progress bar only once the work has taken this long (CLI.md "Output").
PROGRESS_AFTER_SECONDS = 1.0
# No default: piped output without --format is the data (CSV), on a terminal the chart.
TimelineFormat = format_choice("table", "json", "csv", "markdown")


@with_rules
@with_input
def timeline(
    history: HistoryArg,
    rules: RuleChoice,
    reading: InputChoice,
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
    output_format: Annotated[str | None, TimelineFormat] = None,
    quiet: QuietOpt = False,
) -> None:
    """The displayed JSS and every window over a date range: a chart on a terminal."""
    from jsscheck.analyses.timeline import (
        compute_timeline,
        default_first,
        largest_moves,
        parse_every,
    )
    from jsscheck.cli.environment import current
    from jsscheck.cli.output import Result, emit, note, progress
    from jsscheck.engine.calendar import short_coverage
    from jsscheck.errors import UsageError
    from jsscheck.render import timeline as words
    from jsscheck.render.chart import render_timeline
    from jsscheck.render.phrases import coverage_warnings
    from jsscheck.render.rows import data_table

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

    arrays, read = reading.load(history, quiet=quiet)
    resolved = rules.resolve()
    # MODEL.md 11 at the first date, whose windows start earliest.
    coverage = coverage_warnings(short_coverage(read.covered_from, resolved, first))
    chosen = output_format or ("table" if current().stdout_isatty else "csv")
    needs_moves = chosen == "table" or plot is not None
    with progress("Scoring dates", after_seconds=PROGRESS_AFTER_SECONDS) as report:
        result = compute_timeline(
            arrays, resolved, first, last, step, report, with_steps=needs_moves
        )
    moves = largest_moves(arrays, resolved, result.steps) if needs_moves else []
    titles = arrays.contracts.titles_by_id()
    if plot is not None:
        from jsscheck.files import write_atomic
        from jsscheck.render.plot import plot_timeline

        write_atomic(plot, plot_timeline(result, moves, plot, titles))
        if not quiet:
            note(f"wrote {plot}")
    emit(
        Result(
            document=words.timeline_document(result, coverage),
            draw=lambda out: render_timeline(out, result, moves, titles),
            csv=data_table(words.csv_header(result), words.csv_rows(result)),
            text={"markdown": words.timeline_markdown(result)} if chosen == "markdown" else {},
            warnings=coverage,
        ),
        chosen,
        quiet=quiet,
    )


def register(app: typer.Typer) -> None:
    app.command(
        "timeline",
        help="The displayed JSS and every window over a date range: a chart on a terminal, "
        "CSV or JSON for scripts, --plot FILE.png/.svg for an image.",
    )(timeline)
