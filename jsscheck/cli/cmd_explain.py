"""`jsscheck explain`: why the score moved between two dates, contract by contract."""

from __future__ import annotations

from datetime import date
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
    format_choice,
    parse_date_option,
    with_rules,
)

ExplainFormat = format_choice("table", "json", "markdown")
DEFAULT_LOOKBACK_DAYS = 28


@with_rules
@with_input
def explain(
    history: HistoryArg,
    rules: RuleChoice,
    reading: InputChoice,
    since: SinceOpt = None,
    as_of: AsOfOpt = None,
    output_format: Annotated[str, ExplainFormat] = "table",
    profile: ProfileOpt = "default",
    store: StoreOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Why your JSS moved between --since and --as-of, contract by contract."""
    from jsscheck.analyses.explain import explain
    from jsscheck.cli.output import Result, emit

    earlier, day = period_dates(since, as_of, store, profile)
    arrays, read = reading.load(history, quiet=quiet)
    result = explain(arrays, rules.resolve(), earlier, day, read.covered_from)
    from jsscheck.render import explain as words

    emit(
        Result(
            document=words.explain_document(result, encoded=True),
            draw=lambda out: words.render_explain(out, result),
            text={"markdown": words.explain_markdown(result)}
            if output_format == "markdown"
            else {},
            warnings=words.explain_warnings(result),
        ),
        output_format,
        quiet=quiet,
    )


def period_dates(
    since: str | None, as_of: str | None, store: str | None, profile: str
) -> tuple[date, date]:
    """`--since` and `--as-of` of a question about a period (explain, report): `--since`
    defaults to the profile's latest snapshot before `--as-of` (after a cron alert, the one
    before it), else `DEFAULT_LOOKBACK_DAYS` earlier; a usage error unless it is earlier."""
    from jsscheck.analyses.explain import default_since
    from jsscheck.errors import UsageError

    day = parse_date_option(as_of, "--as-of")
    if since is None:
        earlier = default_since(day, _snapshot_days(store, profile), DEFAULT_LOOKBACK_DAYS)
    else:
        earlier = parse_date_option(since, "--since")
    if earlier >= day:
        raise UsageError(
            f"--since {earlier} is not before --as-of {day}", hint="give an earlier --since"
        )
    return earlier, day


def _snapshot_days(store_path: str | None, profile: str) -> list[date]:
    """The as-of dates of the profile's stored snapshots (none when there is no store)."""
    from jsscheck.store import SnapshotStore

    with SnapshotStore(store_path) as store:
        if not store.path.exists():
            return []
        return [date.fromisoformat(s.as_of) for s in store.list(profile)]


def register(app: typer.Typer) -> None:
    app.command(
        "explain",
        help="Why your JSS moved between --since and --as-of: each contract's part, named by "
        "its title, and the days it changed.",
    )(explain)
