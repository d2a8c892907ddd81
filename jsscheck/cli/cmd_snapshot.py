"""`jsscheck snapshot` (store today's score, for cron) and `jsscheck snapshots ...` (CLI.md).

Only typer is imported at load time; the engine, the store and rich inside the command bodies.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from jsscheck.cli.options import (
    AsOfOpt,
    DayfirstOpt,
    HistoryArg,
    InputFormatOpt,
    RuleChoice,
    StoreOpt,
    format_option,
    load_history,
    parse_date_option,
    with_rules,
)

if TYPE_CHECKING:
    from pathlib import Path

    from jsscheck.store.sqlite import Snapshot, SnapshotStore

SnapshotFormat = format_option("table", "json")
ListFormat = format_option("table", "json", "csv")
ExportFormat = format_option("csv", "json", default="csv")
ShowFormat = format_option("table", "json")
DiffFormat = format_option("table", "json")

SNAPSHOTS_SCHEMA = "jsscheck.snapshots/1"
DIFF_SCHEMA = "jsscheck.snapshot-diff/1"

ProfileOpt = Annotated[
    str,
    typer.Option("--profile", "-p", metavar="NAME", help="Which profile the snapshot belongs to."),
]
ProfileFilterOpt = Annotated[
    str | None,
    typer.Option("--profile", "-p", metavar="NAME", help="Only this profile's snapshots."),
]
SnapshotIdArg = Annotated[int, typer.Argument(metavar="ID", help="A snapshot id (see `list`).")]


def _open(store: str | None) -> SnapshotStore:
    from jsscheck.store.sqlite import SnapshotStore

    return SnapshotStore(store)


def _jss_words(jss: int | None, best: str | None) -> str:
    return "no JSS (no window has enough contracts)" if jss is None else f"JSS {jss}% ({best})"


def snapshot_line(snapshot: Snapshot, previous: Snapshot | None) -> str:
    """`2026-11-21 default: JSS 84% (12m), −3 since 2026-11-14` — what cron mails."""
    from jsscheck.render import signed

    line = (
        f"{snapshot.as_of} {snapshot.profile}: {_jss_words(snapshot.jss, snapshot.best_candidate)}"
    )
    if previous is not None:
        if snapshot.jss is not None and previous.jss is not None:
            delta = snapshot.jss - previous.jss
            moved = "unchanged" if delta == 0 else signed(delta, 0)
            line += f", {moved} since {previous.as_of}"
        elif previous.jss is not None:
            line += f", down from {previous.jss}% on {previous.as_of}"
    if snapshot.observed_jss is not None:
        line += f"; Upwork shows {snapshot.observed_jss}%"
    return line


# --------------------------------------------------------------------------- snapshot


@with_rules
def snapshot(
    history: HistoryArg,
    rules: RuleChoice,
    as_of: AsOfOpt = None,
    profile: ProfileOpt = "default",
    observed: Annotated[
        int | None,
        typer.Option(
            "--observed",
            min=0,
            max=100,
            metavar="N",
            help="The JSS Upwork shows you today, to check the model against reality later.",
        ),
    ] = None,
    fail_below: Annotated[
        int | None,
        typer.Option(
            "--fail-below",
            min=0,
            max=100,
            metavar="N",
            help="Exit 1 (so cron mails you) when the JSS is below N.",
        ),
    ] = None,
    fail_on_drop: Annotated[
        bool,
        typer.Option(
            "--fail-on-drop",
            help="Exit 1 (so cron mails you) when the JSS fell since the previous snapshot.",
        ),
    ] = False,
    store: StoreOpt = None,
    output_format: SnapshotFormat = "table",
    dayfirst: DayfirstOpt = False,
    input_format: InputFormatOpt = None,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help="Print nothing unless an alert trips or something fails."
        ),
    ] = False,
) -> None:
    """Compute the score and store it as a snapshot: one line for cron, or nothing (--quiet)."""
    from jsscheck.analyses.score import score_report
    from jsscheck.cli.output import write_json, write_text
    from jsscheck.errors import AlertTripped
    from jsscheck.render.score_document import score_document
    from jsscheck.store.sqlite import Snapshot

    day = parse_date_option(as_of, "--as-of")
    arrays, read = load_history(history, dayfirst=dayfirst, input_format=input_format, quiet=quiet)
    document = score_document(score_report(arrays, rules.resolve(), day, tuple(read.warnings)))
    taken = Snapshot.from_document(
        document, source_sha256=read.source_sha256, profile=profile, observed_jss=observed
    )
    with _open(store) as snapshots:
        stored = snapshots.add(taken)
        previous = snapshots.previous(stored)
    if not quiet:
        if output_format == "json":
            write_json(stored.to_json(previous))
        else:
            write_text(snapshot_line(stored, previous))

    # Alerts come last: the snapshot is stored whatever they say. Their message goes to stderr
    # even with --quiet, because output is what makes cron send its mail.
    alerts = []
    if fail_below is not None and stored.jss is not None and stored.jss < fail_below:
        alerts.append(f"JSS {stored.jss}% is below {fail_below}% (--fail-below)")
    if fail_on_drop and previous is not None and previous.jss is not None:
        if stored.jss is None:
            alerts.append(
                f"the JSS of {previous.jss}% on {previous.as_of} is gone (--fail-on-drop)"
            )
        elif stored.jss < previous.jss:
            alerts.append(
                f"JSS fell from {previous.jss}% on {previous.as_of} to {stored.jss}% "
                "(--fail-on-drop)"
            )
    if alerts:
        raise AlertTripped(
            f"{stored.as_of} {stored.profile}: " + "; ".join(alerts),
            hint=f"see why with `jsscheck snapshots diff {previous.id} {stored.id}`"
            if previous is not None
            else None,
        )


# --------------------------------------------------------------------------- snapshots ...

snapshots_app = typer.Typer(
    name="snapshots",
    help="The stored snapshots: list, show, diff, export, forget, and where the store is.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


def _snapshots_with_previous(
    store: str | None, profile: str | None
) -> tuple[list[Snapshot], dict[int | None, Snapshot | None], Path]:
    """The profile's snapshots, each one's previous snapshot, and the store's path."""
    with _open(store) as snapshots:
        found = snapshots.list(profile)
        previous = {s.id: snapshots.previous(s) for s in found}
        return found, previous, snapshots.path


@snapshots_app.command("list")
def list_snapshots(
    profile: ProfileFilterOpt = None,
    store: StoreOpt = None,
    output_format: ListFormat = "table",
) -> None:
    """Every stored snapshot, oldest first, with the change since the previous one."""
    from jsscheck.cli.output import write_json, write_text
    from jsscheck.store.sqlite import snapshots_to_rows, write_csv

    found, previous, path = _snapshots_with_previous(store, profile)
    if output_format == "json":
        write_json(
            {
                "schema": SNAPSHOTS_SCHEMA,
                "store": str(path),
                "snapshots": [s.to_json(previous[s.id]) for s in found],
            }
        )
        return
    if output_format == "csv":
        write_csv(snapshots_to_rows(found), sys.stdout)
        return
    if not found:
        whose = f" of profile '{profile}'" if profile else ""
        write_text(f"No snapshots{whose} in {path} yet. Take one with `jsscheck snapshot HISTORY`.")
        return
    _print_table(found, previous)


def _print_table(found: list[Snapshot], previous: dict[int | None, Snapshot | None]) -> None:
    from rich.table import Table

    from jsscheck.cli.output import console
    from jsscheck.render import percent, signed

    table = Table()
    for column, justify in (
        ("ID", "right"),
        ("As of", "left"),
        ("Profile", "left"),
        ("JSS", "right"),
        ("Change", "right"),
        ("Best", "left"),
        ("Score", "right"),
        ("Upwork shows", "right"),
        ("Rules", "left"),
        ("Taken (UTC)", "left"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for s in found:
        change = s.change_since(previous[s.id])
        moved = "" if change is None or change["jss"] is None else signed(change["jss"], 0)
        table.add_row(
            str(s.id),
            s.as_of,
            s.profile,
            "—" if s.jss is None else f"{s.jss}%",
            moved,
            s.best_candidate or "—",
            percent(s.best_score),
            "" if s.observed_jss is None else f"{s.observed_jss}%",
            s.rules_name,
            s.taken_at.replace("T", " ").removesuffix("Z"),
        )
    console().print(table)


@snapshots_app.command("show")
def show_snapshot(
    snapshot_id: SnapshotIdArg,
    store: StoreOpt = None,
    output_format: ShowFormat = "table",
) -> None:
    """One snapshot with the full score it stored."""
    from jsscheck.cli.output import console, write_json, write_text

    with _open(store) as snapshots:
        found = snapshots.get(snapshot_id)
        previous = snapshots.previous(found)
    if output_format == "json":
        write_json({**found.to_json(previous), "score": found.document})
        return
    write_text(f"Snapshot {found.id}: {snapshot_line(found, previous)}")
    if found.document.get("candidates") is not None:
        from jsscheck.render.score import render_score

        render_score(console(), found.document)


@snapshots_app.command("diff")
def diff_snapshots(
    first: Annotated[int, typer.Argument(metavar="A", help="The earlier snapshot's id.")],
    second: Annotated[int, typer.Argument(metavar="B", help="The later snapshot's id.")],
    store: StoreOpt = None,
    output_format: DiffFormat = "table",
) -> None:
    """What changed between two snapshots, contract by contract (as `explain` attributes it)."""
    from jsscheck.cli.output import console, warn, write_json, write_text

    with _open(store) as snapshots:
        before = snapshots.get(first)
        after = snapshots.get(second)
    if before.rules_fingerprint != after.rules_fingerprint:
        warn(
            f"snapshots {before.id} and {after.id} were taken with different rules "
            f"({before.rules_name} {before.rules_fingerprint}, "
            f"{after.rules_name} {after.rules_fingerprint}): part of the change is the rules"
        )
    explanation = _explain_documents(before.document, after.document)
    windows = {
        name: {
            "before": before.windows.get(name),
            "after": after.windows.get(name),
            "change": _difference(after.windows.get(name), before.windows.get(name)),
        }
        for name in dict.fromkeys([*before.windows, *after.windows])
    }
    if output_format == "json":
        document: dict[str, Any] = {
            "schema": DIFF_SCHEMA,
            "from": before.to_json(),
            "to": after.to_json(),
            "jss_change": _difference(after.jss, before.jss),
            "windows": windows,
        }
        if explanation is not None:
            document.update(explanation.to_json())
        write_json(document)
        return
    from jsscheck.render import percent, signed

    jss_change = _difference(after.jss, before.jss)
    moved = (
        ""
        if jss_change is None
        else f" ({'unchanged' if jss_change == 0 else signed(jss_change, 0)})"
    )
    write_text(
        f"Snapshot {before.id} ({before.as_of} {before.profile}): "
        f"{_jss_words(before.jss, before.best_candidate)} → snapshot {after.id} "
        f"({after.as_of} {after.profile}): {_jss_words(after.jss, after.best_candidate)}{moved}"
    )
    from rich.table import Table

    out = console()
    table = Table(title="Windows", title_justify="left")
    for column in ("Window", "Before", "After", "Change"):
        table.add_column(column, justify="left" if column == "Window" else "right")
    for name, row in windows.items():
        change = row["change"]
        table.add_row(
            name,
            percent(row["before"]),
            percent(row["after"]),
            "" if change is None else signed(change, 2),
        )
    out.print(table)
    if explanation is None:
        write_text("(These snapshots hold no per-contract detail to attribute the change to.)")
    elif explanation.contributions or explanation.window_switch or explanation.floor_effect:
        from jsscheck.render.explain import contributions_table

        out.print(contributions_table(explanation))


def _difference(after: float | None, before: float | None) -> Any:
    return None if after is None or before is None else after - before


@snapshots_app.command("export")
def export_snapshots(
    profile: ProfileFilterOpt = None,
    store: StoreOpt = None,
    output_format: ExportFormat = "csv",
) -> None:
    """All snapshots on stdout: CSV for a spreadsheet, or JSON with every stored score."""
    from jsscheck.cli.output import write_json
    from jsscheck.store.sqlite import snapshots_to_rows, write_csv

    found, previous, path = _snapshots_with_previous(store, profile)
    if output_format == "json":
        write_json(
            {
                "schema": SNAPSHOTS_SCHEMA,
                "store": str(path),
                "snapshots": [{**s.to_json(previous[s.id]), "score": s.document} for s in found],
            }
        )
        return
    write_csv(snapshots_to_rows(found), sys.stdout)


@snapshots_app.command("forget")
def forget_snapshot(snapshot_id: SnapshotIdArg, store: StoreOpt = None) -> None:
    """Delete one snapshot for good (its id is never reused)."""
    from jsscheck.cli.output import write_text

    with _open(store) as snapshots:
        forgotten = snapshots.forget(snapshot_id)
    write_text(
        f"Forgot snapshot {forgotten.id} ({forgotten.as_of} {forgotten.profile}: "
        f"{_jss_words(forgotten.jss, forgotten.best_candidate)})."
    )


@snapshots_app.command("path")
def store_path(store: StoreOpt = None) -> None:
    """Where the snapshot store is (the path alone on stdout, for scripts)."""
    from jsscheck.cli.output import warn, write_text

    with _open(store) as snapshots:
        path = snapshots.path
    write_text(str(path))
    if not path.exists():
        warn("it does not exist yet: `jsscheck snapshot HISTORY` creates it")


# --------------------------------------------------------------------------- diff attribution


def _explain_documents(before: dict[str, Any], after: dict[str, Any]) -> Any:
    """`explain_change` between two stored score documents, or None when they lack the detail.

    The stored `jsscheck.score/1` documents hold every candidate window's sums and every
    contract's outcome, reason, weight and windows: exactly what MODEL.md 9 attributes with.
    """
    from jsscheck.engine.attribution import explain_change
    from jsscheck.render.score_document import evaluation_from_document

    try:
        return explain_change(evaluation_from_document(before), evaluation_from_document(after))
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def register(app: typer.Typer) -> None:
    """Attach `snapshot` and `snapshots` to the app."""
    app.command(
        "snapshot",
        help="Compute today's score and store it (for cron): --observed records what Upwork "
        "shows; --fail-below N and --fail-on-drop exit 1 so cron mails you.",
    )(snapshot)
    app.add_typer(snapshots_app, name="snapshots")
