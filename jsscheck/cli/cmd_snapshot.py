"""`jsscheck snapshot` (store today's score, for cron) and `jsscheck snapshots ...` (CLI.md).

Only typer is imported at load time; the engine, the store and rich inside the command bodies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from jsscheck.cli.inputs import InputChoice, with_input
from jsscheck.cli.options import (
    ArgumentType,
    AsOfOpt,
    HistoryArg,
    RuleChoice,
    StoreOpt,
    format_choice,
    observed_option,
    parse_date_option,
    with_rules,
)

if TYPE_CHECKING:
    from pathlib import Path

    from jsscheck.store import Snapshot, SnapshotStore

SnapshotFormat = format_choice("table", "json", "markdown")
ListFormat = format_choice("table", "json", "markdown", "csv")
ExportFormat = format_choice("csv", "json", "markdown", "table")
ShowFormat = format_choice("table", "json", "markdown")
DiffFormat = format_choice("table", "json", "markdown")

ProfileOpt = Annotated[
    str,
    typer.Option("--profile", "-p", metavar="NAME", help="Which profile the snapshot belongs to."),
]
ProfileFilterOpt = Annotated[
    str | None,
    typer.Option("--profile", "-p", metavar="NAME", help="Only this profile's snapshots."),
]
SnapshotIdArg = Annotated[
    int,
    typer.Argument(
        metavar="ID", help="A snapshot id (see `list`).", click_type=ArgumentType(whole=True)
    ),
]


def _open(store: str | None) -> SnapshotStore:
    from jsscheck.store import SnapshotStore

    return SnapshotStore(store)


# --------------------------------------------------------------------------- snapshot


@with_rules
@with_input
def snapshot(
    history: HistoryArg,
    rules: RuleChoice,
    reading: InputChoice,
    as_of: AsOfOpt = None,
    profile: ProfileOpt = "default",
    observed: Annotated[
        str | None,
        typer.Option(
            "--observed",
            metavar="N|FILE",
            help="The JSS Upwork shows you today, to check the model against reality later: "
            "a number (92), or a saved profile response of Upwork's API holding "
            "jobSuccessScore.",
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
    output_format: Annotated[str, SnapshotFormat] = "table",
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help="Print nothing unless an alert trips or something fails."
        ),
    ] = False,
) -> None:
    """Compute the score and store it as a snapshot: one line for cron, or nothing (--quiet)."""
    from jsscheck.analyses.score import score_report
    from jsscheck.analyses.snapshots import alerts
    from jsscheck.cli.output import Result, emit, note, warn
    from jsscheck.errors import AlertTripped, ExitCode, UsageError
    from jsscheck.files import interrupts_deferred
    from jsscheck.render import snapshots as words
    from jsscheck.render.score_document import score_document
    from jsscheck.store import snapshot_from_document

    day = parse_date_option(as_of, "--as-of")
    if observed == "-" and "-" in history:
        raise UsageError(
            "the history and --observed cannot both be read from standard input",
            hint="save one of them to a file",
        )
    observed_jss = observed_option(observed)
    arrays, read = reading.load(history, quiet=quiet)
    report = score_report(arrays, rules.resolve(), day, tuple(read.warnings), read.covered_from)
    taken = snapshot_from_document(
        score_document(report),
        source_sha256=read.source_sha256,
        profile=profile,
        observed_jss=observed_jss,
    )
    # A Ctrl-C once the snapshot may be committed must not read as "nothing happened": it waits
    # until the confirmation is out, and then says the snapshot was stored.
    with interrupts_deferred() as deferred:
        with _open(store) as snapshots:
            saved = snapshots.save(taken)
            stored = saved.snapshot
            previous = snapshots.previous(stored)
        if not quiet:
            line = words.snapshot_line(stored, previous, saved.replaced_id)
            document = words.snapshot_json(stored, previous)
            emit(Result(document=document, blocks=[line]), output_format)
            for message in words.snapshot_warnings(stored):
                warn(message)
    if deferred.interrupted:
        note(f"interrupted, but only after snapshot {stored.id} was stored")
        raise typer.Exit(ExitCode.INTERRUPTED)

    # Alerts come last: the snapshot is stored whatever they say. Their message goes to stderr
    # even with --quiet, because output is what makes cron send its mail.
    tripped = alerts(stored, previous, fail_below=fail_below, fail_on_drop=fail_on_drop)
    if tripped:
        raise AlertTripped(
            words.alert_message(stored, tripped), hint=words.alert_hint(stored, previous)
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
    output_format: Annotated[str, ListFormat] = "table",
) -> None:
    """Every stored snapshot, oldest first, with the change since the previous one."""
    from jsscheck.cli.output import Result, emit
    from jsscheck.render import snapshots as words
    from jsscheck.render.rows import data_table

    found, previous, path = _snapshots_with_previous(store, profile)
    result = Result(
        document=words.snapshots_json(path, found, previous),
        blocks=words.list_blocks(found, previous, path, profile),
        csv=data_table(*words.csv_table(found)),
    )
    emit(result, output_format)


@snapshots_app.command("show")
def show_snapshot(
    snapshot_id: SnapshotIdArg,
    store: StoreOpt = None,
    output_format: Annotated[str, ShowFormat] = "table",
    every: Annotated[
        bool,
        typer.Option(
            "--all",
            help="List every contract of the stored score (JSON always does; the table "
            "otherwise shows the newest 50 that count).",
        ),
    ] = False,
) -> None:
    """One snapshot with the score it stored."""
    from jsscheck.cli.output import Result, emit
    from jsscheck.render import snapshots as words

    with _open(store) as snapshots:
        found = snapshots.get(snapshot_id)
        previous = snapshots.previous(found)
    result = Result(
        document=words.show_json(found, previous),
        blocks=words.show_blocks(found, previous, every),
        draw=lambda out: words.render_show(out, found, previous, every),
    )
    emit(result, output_format)


@snapshots_app.command("diff")
def diff_snapshots(
    first: Annotated[
        int,
        typer.Argument(
            metavar="A", help="The earlier snapshot's id.", click_type=ArgumentType(whole=True)
        ),
    ],
    second: Annotated[
        int,
        typer.Argument(
            metavar="B", help="The later snapshot's id.", click_type=ArgumentType(whole=True)
        ),
    ],
    store: StoreOpt = None,
    output_format: Annotated[str, DiffFormat] = "table",
) -> None:
    """What changed between two snapshots, contract by contract (as `explain` attributes it)."""
    from jsscheck.analyses.snapshots import diff_snapshots as diff_of
    from jsscheck.cli.output import Result, emit, warn
    from jsscheck.render import snapshots as words
    from jsscheck.store.document import stored_evaluation

    with _open(store) as snapshots:
        before, after = snapshots.get(first), snapshots.get(second)
    diff = diff_of(before, after, (stored_evaluation(before), stored_evaluation(after)))
    different = words.different_rules_warning(diff)
    if different is not None:
        warn(different)
    result = Result(
        document=words.diff_json(diff),
        draw=lambda out: words.render_diff(out, diff),
        text={"markdown": words.diff_markdown(diff)},
    )
    emit(result, output_format)


@snapshots_app.command("export")
def export_snapshots(
    profile: ProfileFilterOpt = None,
    store: StoreOpt = None,
    output_format: Annotated[str, ExportFormat] = "csv",
) -> None:
    """All snapshots on stdout: CSV for a spreadsheet, or JSON with every stored score."""
    from jsscheck.cli.output import Result, emit
    from jsscheck.render import snapshots as words
    from jsscheck.render.rows import data_table

    found, previous, path = _snapshots_with_previous(store, profile)
    result = Result(
        document=words.snapshots_json(path, found, previous, scores=True),
        blocks=words.list_blocks(found, previous, path, profile),
        csv=data_table(*words.csv_table(found)),
    )
    emit(result, output_format)


@snapshots_app.command("forget")
def forget_snapshot(snapshot_id: SnapshotIdArg, store: StoreOpt = None) -> None:
    """Delete one snapshot for good (its id is never reused); a damaged one too."""
    from jsscheck.cli.output import write_text
    from jsscheck.render import snapshots as words

    with _open(store) as snapshots:
        forgotten = snapshots.forget(snapshot_id)
    write_text(words.forgotten_sentence(forgotten))


@snapshots_app.command("path")
def store_path(store: StoreOpt = None) -> None:
    """Where the snapshot store is (the path alone on stdout, for scripts)."""
    from jsscheck.cli.output import warn, write_text

    with _open(store) as snapshots:
        path = snapshots.path
    write_text(str(path))
    if not path.exists():
        warn("it does not exist yet: `jsscheck snapshot HISTORY` creates it")


def register(app: typer.Typer) -> None:
    """Attach `snapshot` and `snapshots` to the app."""
    app.command(
        "snapshot",
        help="Compute today's score and store it (for cron): --observed records what Upwork "
        "shows (a rerun for the same day replaces that day's snapshot); --fail-below N and "
        "--fail-on-drop exit 1 so cron mails you.",
    )(snapshot)
    app.add_typer(snapshots_app, name="snapshots")
