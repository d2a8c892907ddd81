"""`jsscheck calibrate`: which rules reproduce the JSS Upwork actually showed you?"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from jsscheck.cli.inputs import InputChoice, with_input
from jsscheck.cli.options import (
    HistoryArg,
    QuietOpt,
    RuleChoice,
    StoreOpt,
    format_choice,
    parse_date_option,
    typed_jss,
    with_rules,
)

if TYPE_CHECKING:
    from jsscheck.analyses.calibrate import ConflictingSnapshots, Observation

CalibrateFormat = format_choice("table", "json", "markdown", "csv")


@with_rules
@with_input
def calibrate(
    history: HistoryArg,
    rules: RuleChoice,
    reading: InputChoice,
    observed: Annotated[
        str | None,
        typer.Option(
            "--observed",
            metavar="N|FILE",
            help="The JSS your Upwork profile shows today (92); a CSV of date,jss rows (the JSS "
            "Upwork showed on each date); or a saved profile response of Upwork's API holding "
            "jobSuccessScore (counted as today's).",
        ),
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile",
            metavar="NAME",
            help="Use the snapshots of this profile that recorded an observed JSS "
            "(the default, with profile 'default', when --observed is not given).",
        ),
    ] = None,
    store: StoreOpt = None,
    write_rules: Annotated[
        str | None,
        typer.Option(
            "--write-rules",
            metavar="FILE.toml",
            help="Write the best fit as a rules file for --rules-file.",
        ),
    ] = None,
    output_format: Annotated[str, CalibrateFormat] = "table",
    quiet: QuietOpt = False,
) -> None:
    """Which rules reproduce the JSS Upwork showed you? Fits the unknown parameters.

    --rules/--rules-file give the parameters that are not searched (windows, minimums, grace
    days) and break ties; a single-parameter flag (e.g. --no-feedback exclude) fixes that
    parameter instead of searching it.
    """
    from jsscheck.analyses.calibrate import calibrate as run_calibration
    from jsscheck.cli.output import Result, emit, progress, warn
    from jsscheck.errors import UsageError
    from jsscheck.render import calibrate as words

    if observed is not None and profile is not None:
        raise UsageError(
            "--observed and --profile both say where the observations are",
            hint="give one of them",
        )
    observations, conflicts = _observations(observed, profile, store, reading.dayfirst)
    arrays, _ = reading.load(history, quiet=quiet)
    with progress("searching rule sets") as report:
        result = run_calibration(
            arrays, rules.base(), observations, pinned=rules.overrides, progress=report
        )
    warnings = [words.conflict_warning(c) for c in conflicts]
    warnings += [words.undated_warning(o) for o in observations if o.undated]
    if not quiet:
        for message in warnings:
            warn(message)
    missed_last = words.last_observation_warning(result, write_rules)
    if missed_last is not None:
        warnings.append(missed_last)
    if write_rules is not None:
        from jsscheck.files import write_atomic

        write_atomic(write_rules, result.winner.to_toml().encode("utf-8"))
        # Said even with --quiet: the file written is not what Upwork shows now.
        if missed_last is not None:
            warn(missed_last)
        if not quiet and result.best.matches < len(observations):
            warn(
                f"{write_rules}: the rules written reproduce only {result.best.matches} of "
                f"{len(observations)} observations"
            )
    emit(
        Result(
            document=words.calibration_document(result, warnings),
            draw=lambda out: words.render_calibration(out, result),
            csv=words.observations_csv(result),
            text={"markdown": words.calibration_markdown(result)},
        ),
        output_format,
    )


def _observations(
    observed: str | None, profile: str | None, store: str | None, dayfirst: bool = False
) -> tuple[list[Observation], list[ConflictingSnapshots]]:
    from jsscheck.analyses.calibrate import (
        Observation,
        observations_from_snapshots,
        read_observations,
    )
    from jsscheck.errors import UsageError
    from jsscheck.store import SnapshotStore

    if observed is not None:
        today = parse_date_option(None, "--observed")
        typed = typed_jss(observed)
        if typed is not None:  # `--observed 92`: what the profile shows today
            return [Observation(today, typed, "--observed", undated=True)], []
        return read_observations(observed, dayfirst=dayfirst, today=today), []
    name = profile or "default"
    with SnapshotStore(store) as snapshots:
        found, conflicts = observations_from_snapshots(snapshots.list(name))
    if not found:
        raise UsageError(
            f"no snapshot of profile '{name}' recorded an observed JSS",
            hint="record what Upwork shows with `jsscheck snapshot HISTORY --observed N`, "
            "or give a CSV of date,jss rows (or a saved profile response) with --observed FILE",
        )
    return found, conflicts


def register(app: typer.Typer) -> None:
    app.command(
        "calibrate",
        help="Which rules reproduce the JSS Upwork showed you? Fits the unknown parameters "
        "to observed values (--observed FILE or your snapshots).",
    )(calibrate)
