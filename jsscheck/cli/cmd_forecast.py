"""`jsscheck forecast`: the future days the JSS changes if nothing new happens, and why."""

from __future__ import annotations

from datetime import date
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

ForecastFormat = format_choice("table", "json", "markdown", "csv")

UntilOpt = Annotated[
    str | None,
    typer.Option("--until", metavar="DATE", help="Forecast up to this date (YYYY-MM-DD)."),
]
HorizonOpt = Annotated[
    str | None,
    typer.Option(
        "--horizon", metavar="LENGTH", help="Forecast this far ahead: 24m (default), 2y, 12w, 90d."
    ),
]


def forecast_until(as_of: date, until: str | None, horizon: str | None) -> date:
    """The last forecast day from `--until` or `--horizon` (not both)."""
    from jsscheck.analyses.forecast import DEFAULT_HORIZON, horizon_end
    from jsscheck.errors import UsageError

    if until is not None and horizon is not None:
        raise UsageError("give --until or --horizon, not both")
    if until is not None:
        return parse_date_option(until, "--until")
    return horizon_end(as_of, horizon or DEFAULT_HORIZON)


@with_rules
@with_input
def forecast(
    history: HistoryArg,
    rules: RuleChoice,
    reading: InputChoice,
    until: UntilOpt = None,
    horizon: HorizonOpt = None,
    as_of: AsOfOpt = None,
    output_format: Annotated[str, ForecastFormat] = "table",
    quiet: QuietOpt = False,
) -> None:
    """Every future date on which your JSS changes if nothing new happens, and why."""
    from jsscheck.analyses.forecast import forecast as run_forecast
    from jsscheck.cli.output import Result, emit
    from jsscheck.render import forecast as words

    day = parse_date_option(as_of, "--as-of")
    last = forecast_until(day, until, horizon)
    _, read = reading.load(history, quiet=quiet)
    result = run_forecast(read.contracts, rules.resolve(), day, last, read.covered_from)
    emit(
        Result(
            document=words.forecast_document(result),
            draw=lambda out: words.render_forecast(out, result),
            csv=words.events_table(result) if output_format == "csv" else None,
            text={"markdown": words.forecast_markdown(result)}
            if output_format == "markdown"
            else {},
            warnings=words.forecast_warnings(result),
        ),
        output_format,
        quiet=quiet,
    )


def register(app: typer.Typer) -> None:
    app.command(
        "forecast",
        help="The future dates on which your JSS changes if nothing new happens (contracts "
        "aging out of windows, feedback waits ending, long contracts gaining weight), which "
        "contract causes each, and the dates Top Rated eligibility is gained or lost.",
    )(forecast)
