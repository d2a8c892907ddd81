"""`jsscheck goal`: how many new contracts reach --target now, or when waiting does."""

from __future__ import annotations

from typing import Annotated

import typer

from jsscheck.cli.cmd_forecast import HorizonOpt, UntilOpt, forecast_until
from jsscheck.cli.inputs import InputChoice, with_input
from jsscheck.cli.options import (
    AsOfOpt,
    HistoryArg,
    QuietOpt,
    RuleChoice,
    finite_number,
    format_choice,
    parse_date_option,
    whole_number,
    with_rules,
)

GoalFormat = format_choice("table", "json", "markdown")
#: The longest --pace: one new contract every ten years.
MAX_PACE_DAYS = 3_650


@with_rules
@with_input
def goal(
    history: HistoryArg,
    rules: RuleChoice,
    reading: InputChoice,
    target: Annotated[
        int, typer.Option("--target", metavar="PERCENT", help="The JSS to reach (1-100).")
    ] = 90,
    earnings: Annotated[
        float | None,
        typer.Option(
            "--earnings",
            metavar="USD",
            help="Earnings of each new contract. Default: the median of your counted contracts.",
        ),
    ] = None,
    stars: Annotated[
        float,
        typer.Option(
            "--stars",
            metavar="STARS",
            help="The public feedback (1-5 stars) each new contract gets.",
        ),
    ] = 5.0,
    max_new: Annotated[
        int,
        typer.Option("--max-new", metavar="N", help="Try at most this many new contracts."),
    ] = 200,
    pace: Annotated[
        int,
        typer.Option(
            "--pace",
            metavar="DAYS",
            help="The plan finishes one new contract every this many days (default 14).",
        ),
    ] = 14,
    until: UntilOpt = None,
    horizon: HorizonOpt = None,
    as_of: AsOfOpt = None,
    output_format: Annotated[str, GoalFormat] = "table",
    quiet: QuietOpt = False,
) -> None:
    """What it takes to reach --target: how many new contracts, or when waiting gets you there."""
    from jsscheck.analyses.goal import goal as run_goal
    from jsscheck.cli.output import Result, emit
    from jsscheck.engine.calendar import short_coverage
    from jsscheck.errors import UsageError
    from jsscheck.history.values import MAX_AMOUNT
    from jsscheck.render import goal as words
    from jsscheck.render.phrases import coverage_warnings

    if not 0 <= max_new <= 10_000:
        raise UsageError("--max-new must be between 0 and 10000")
    if earnings is not None:
        finite_number(earnings, "--earnings", 0, MAX_AMOUNT, " (USD)")
    whole_number(pace, "--pace", 1, MAX_PACE_DAYS)
    finite_number(stars, "--stars", 1, 5, " stars")
    day = parse_date_option(as_of, "--as-of")
    last = forecast_until(day, until, horizon)
    _, read = reading.load(history, quiet=quiet)
    result = run_goal(
        read.contracts,
        rules.resolve(),
        day,
        target=target,
        earnings=earnings,
        public=stars,
        until=last,
        max_new=max_new,
        pace=pace,
    )
    # MODEL.md 11 at as_of (the engine's rule, the render's sentence).
    coverage = coverage_warnings(short_coverage(read.covered_from, rules.resolve(), day))
    emit(
        Result(
            document=words.goal_document(result, coverage),
            draw=lambda out: words.render_goal(out, result),
            text={"markdown": words.goal_markdown(result)},
            warnings=coverage,
        ),
        output_format,
        quiet=quiet,
    )


def register(app: typer.Typer) -> None:
    app.command(
        "goal",
        help="What it takes to reach --target (default 90): how many new contracts now, the "
        "date waiting gets you there (and from when it stays), or a plan of one new contract "
        "every --pace days.",
    )(goal)
