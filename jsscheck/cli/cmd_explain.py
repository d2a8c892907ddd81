"""`jsscheck explain`: why the score moved between two dates, contract by contract."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer

from jsscheck.cli.options import (
    AsOfOpt,
    DayfirstOpt,
    HistoryArg,
    InputFormatOpt,
    ProfileOpt,
    QuietOpt,
    RuleChoice,
    StoreOpt,
    format_option,
    latest_snapshot_day,
    load_history,
    parse_date_option,
    with_rules,
)

ExplainFormat = format_option("table", "json", "markdown")
DEFAULT_LOOKBACK_DAYS = 28


@with_rules
def explain(
    history: HistoryArg,
    rules: RuleChoice,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            help="Compare with this date. Default: your latest snapshot, else 28 days earlier.",
        ),
    ] = None,
    as_of: AsOfOpt = None,
    output_format: ExplainFormat = "table",
    profile: ProfileOpt = "default",
    store: StoreOpt = None,
    dayfirst: DayfirstOpt = False,
    input_format: InputFormatOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Why your JSS moved between --since and --as-of, contract by contract."""
    from jsscheck.analyses.explain import explain_report
    from jsscheck.cli.output import console, write_json, write_text
    from jsscheck.errors import UsageError

    day = parse_date_option(as_of, "--as-of")
    if since is None:
        earlier = latest_snapshot_day(store, profile)
        if earlier is None or earlier >= day:
            earlier = day - timedelta(days=DEFAULT_LOOKBACK_DAYS)
    else:
        earlier = parse_date_option(since, "--since")
    if earlier >= day:
        raise UsageError(
            f"--since {earlier} is not before --as-of {day}", hint="give an earlier --since"
        )
    arrays, read = load_history(history, dayfirst=dayfirst, input_format=input_format, quiet=quiet)
    report = explain_report(arrays, rules.resolve(), earlier, day)
    if output_format == "json":
        write_json(report.to_json())
        return
    from jsscheck.render.explain import explain_markdown, render_explain

    if output_format == "markdown":
        write_text(explain_markdown(report))
        return
    render_explain(console(), report)


def register(app: typer.Typer) -> None:
    app.command(
        "explain",
        help="Why your JSS moved between --since and --as-of: each contract's part, the "
        "window switch, and the days it changed.",
    )(explain)
