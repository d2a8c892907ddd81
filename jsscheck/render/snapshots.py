"""Stored snapshots for people and scripts: the cron line, the tables of `snapshots list`,
`show` and `diff`, the ``jsscheck.snapshot/1``, ``jsscheck.snapshots/1`` and
``jsscheck.snapshot-diff/2`` documents, the CSV export, and the warnings and alert messages.

Profiles and rules names are typed by the user: they pass through `plain()` (plain text) or
`markup()` (rich cells) like every text that came from outside.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console

from jsscheck.analyses.snapshots import (
    Alert,
    BelowAlert,
    Disagreement,
    SnapshotChange,
    SnapshotDiff,
    change_between,
    disagreement,
)
from jsscheck.render import percent, schemas, signed
from jsscheck.render.attribution import Rows, attribution_json, effects_rows, to_markdown
from jsscheck.render.attribution import to_rich as attribution_rich
from jsscheck.render.markdown import table_markdown
from jsscheck.render.rows import Column, PlainTable, table, to_rich
from jsscheck.render.text import plain
from jsscheck.store.document import score_document_of
from jsscheck.store.snapshots import Forgotten, Snapshot

SNAPSHOT_SCHEMA = schemas.SNAPSHOT
SNAPSHOTS_SCHEMA = schemas.SNAPSHOTS
DIFF_SCHEMA = schemas.SNAPSHOT_DIFF

#: A sentence or a table, in the order shown.
Block = str | PlainTable
#: Each snapshot's previous snapshot of the same profile, by id.
Previous = Mapping[int | None, Snapshot | None]


# -- words -----------------------------------------------------------------------------------


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def jss_words(jss: int | None, best: str | None) -> str:
    """`JSS 84% (12m)`, or what no JSS means."""
    return "no JSS (no window has enough contracts)" if jss is None else f"JSS {jss}% ({best})"


def _title(snapshot: Snapshot) -> str:
    return f"{snapshot.as_of} {plain(snapshot.profile)}"


def snapshot_line(
    snapshot: Snapshot, previous: Snapshot | None, replaced_id: int | None = None
) -> str:
    """`2026-11-21 default: JSS 84% (12m), −3 since 2026-11-14` — what cron mails."""
    line = f"{_title(snapshot)}: {jss_words(snapshot.jss, snapshot.best_candidate)}"
    if previous is not None:
        if snapshot.jss is not None and previous.jss is not None:
            delta = snapshot.jss - previous.jss
            moved = "unchanged" if delta == 0 else signed(delta, 0)
            line += f", {moved} since {previous.as_of}"
        elif previous.jss is not None:
            line += f", down from {previous.jss}% on {previous.as_of}"
    if snapshot.observed_jss is not None:
        line += f"; Upwork shows {snapshot.observed_jss}%"
    if replaced_id is not None:
        line += f" (replaces snapshot {replaced_id} of the same day)"
    return line


def disagreement_sentence(found: Disagreement, as_of: str) -> str:
    """MODEL.md 11 "Model and Upwork disagree", with what to do about it."""
    if found.computed is None or found.points is None:
        gap = f"Upwork shows {found.observed}% on {as_of} but jsscheck computes no JSS"
    else:
        direction = "above" if found.points > 0 else "below"
        gap = (
            f"Upwork shows {found.observed}% on {as_of}, "
            f"{_plural(abs(found.points), 'point')} {direction} the {found.computed}% "
            "jsscheck computes"
        )
    return (
        f"{gap}: the model's assumptions may not fit your account; "
        "`jsscheck calibrate HISTORY` finds the rules that match what Upwork shows"
    )


def snapshot_warnings(snapshot: Snapshot) -> list[str]:
    """The warnings about the snapshot itself (not those of the score it stored)."""
    found = disagreement(snapshot)
    return [] if found is None else [disagreement_sentence(found, snapshot.as_of)]


def alert_message(snapshot: Snapshot, tripped: Sequence[Alert]) -> str:
    """The one line `--fail-below` / `--fail-on-drop` print (exit 1), with the disagreement."""
    parts = []
    for alert in tripped:
        if isinstance(alert, BelowAlert):
            parts.append(f"JSS {alert.jss}% is below {alert.threshold}% (--fail-below)")
        elif alert.after is None:
            parts.append(f"the JSS of {alert.before}% on {alert.since} is gone (--fail-on-drop)")
        else:
            parts.append(
                f"JSS fell from {alert.before}% on {alert.since} to {alert.after}% (--fail-on-drop)"
            )
    text = f"{_title(snapshot)}: " + "; ".join(parts)
    found = disagreement(snapshot)
    if found is not None:
        text += f"; but note: {disagreement_sentence(found, snapshot.as_of)}"
    return text


def alert_hint(snapshot: Snapshot, previous: Snapshot | None) -> str | None:
    """Where to see why, when there is an earlier snapshot to compare with."""
    if previous is None:
        return None
    return f"see why with `jsscheck snapshots diff {previous.id} {snapshot.id}`"


def no_snapshots_sentence(path: Path, profile: str | None) -> str:
    """What `snapshots list` says about an empty store."""
    whose = f" of profile '{plain(profile)}'" if profile else ""
    return f"No snapshots{whose} in {plain(path)} yet. Take one with `jsscheck snapshot HISTORY`."


def forgotten_sentence(forgotten: Forgotten) -> str:
    """`Forgot snapshot 3 (2026-11-21 default: JSS 84% (12m)).`"""
    snapshot = forgotten.snapshot
    if snapshot is None:
        return f"Forgot snapshot {forgotten.id} (it was damaged)."
    return (
        f"Forgot snapshot {forgotten.id} ({_title(snapshot)}: "
        f"{jss_words(snapshot.jss, snapshot.best_candidate)})."
    )


def different_rules_warning(diff: SnapshotDiff) -> str | None:
    """The warning `snapshots diff` gives when the two were taken with different rules."""
    if diff.same_rules:
        return None
    before, after = diff.before, diff.after
    assert isinstance(before, Snapshot) and isinstance(after, Snapshot)
    return (
        f"snapshots {before.id} and {after.id} were taken with different rules "
        f"({plain(before.rules_name)} {before.rules_fingerprint}, "
        f"{plain(after.rules_name)} {after.rules_fingerprint}): part of the change is the rules"
    )


# -- JSON ------------------------------------------------------------------------------------


def _best_json(snapshot: Snapshot) -> dict[str, Any] | None:
    if snapshot.best_candidate is None:
        return None
    return {"candidate": snapshot.best_candidate, "score": snapshot.best_score}


def _change_json(change: SnapshotChange | None) -> dict[str, Any] | None:
    if change is None:
        return None
    return {
        "previous_id": change.previous_id,
        "since": change.since,
        "jss": change.jss,
        "score": change.score,
    }


def snapshot_json(snapshot: Snapshot, previous: Snapshot | None = None) -> dict[str, Any]:
    """The ``jsscheck.snapshot/1`` document (CLI.md); `previous`: the one before it.

    `warnings` holds the warnings of the stored score and MODEL.md 11's disagreement.
    """
    stored = snapshot.document.get("warnings")
    warnings = [w for w in stored if isinstance(w, str)] if isinstance(stored, list) else []
    return {
        "schema": SNAPSHOT_SCHEMA,
        "id": snapshot.id,
        "profile": snapshot.profile,
        "taken_at": snapshot.taken_at,
        "as_of": snapshot.as_of,
        "rules": {"name": snapshot.rules_name, "fingerprint": snapshot.rules_fingerprint},
        "jss": snapshot.jss,
        "best": _best_json(snapshot),
        "observed_jss": snapshot.observed_jss,
        "change_since_previous": _change_json(change_between(previous, snapshot)),
        "source_sha256": snapshot.source_sha256,
        "warnings": [*warnings, *snapshot_warnings(snapshot)],
    }


def show_json(snapshot: Snapshot, previous: Snapshot | None) -> dict[str, Any]:
    """`snapshots show -f json`: the snapshot document with the full stored score."""
    return {**snapshot_json(snapshot, previous), "score": snapshot.document}


def snapshots_json(
    path: Path, found: Iterable[Snapshot], previous: Previous, *, scores: bool = False
) -> dict[str, Any]:
    """The ``jsscheck.snapshots/1`` document of `list` (and of `export` with `scores`)."""
    return {
        "schema": SNAPSHOTS_SCHEMA,
        "store": str(path),
        "snapshots": [
            show_json(s, previous[s.id]) if scores else snapshot_json(s, previous[s.id])
            for s in found
        ],
    }


def diff_json(diff: SnapshotDiff) -> dict[str, Any]:
    """The ``jsscheck.snapshot-diff/2`` document: explain's attribution keys (status, change,
    contributions, unattributed, steps) for the one step between the two stored scores."""
    before, after = diff.before, diff.after
    assert isinstance(before, Snapshot) and isinstance(after, Snapshot)
    document: dict[str, Any] = {
        "schema": DIFF_SCHEMA,
        "from": snapshot_json(before),
        "to": snapshot_json(after),
        "jss_change": diff.jss_change,
        "windows": {
            w.name: {"before": w.before, "after": w.after, "change": w.change} for w in diff.windows
        },
    }
    if diff.attribution is not None:
        document.update(attribution_json(diff.attribution))
    return document


# -- CSV -------------------------------------------------------------------------------------


def _window_order(name: str) -> tuple[int, int, str]:
    # "3m" < "6m" < "12m" < "24m" by months, then anything else (e.g. "trending") by name.
    match = re.fullmatch(r"(\d+)m", name)
    return (0, int(match.group(1)), name) if match else (1, 0, name)


def csv_table(found: Iterable[Snapshot]) -> tuple[list[str], list[list[Any]]]:
    """The header and rows of `snapshots export`: every window of any snapshot is a column.

    Cells are raw values; the CSV writer neutralises formula-like text (render.csvsafe).
    """
    snapshots = list(found)
    windows = sorted({name for s in snapshots for name in s.windows}, key=_window_order)
    header = ["id", "profile", "taken_at", "as_of", "rules", "fingerprint", "jss", "best"]
    header += ["score", *windows, "observed_jss"]
    rows = [
        [
            s.id,
            s.profile,
            s.taken_at,
            s.as_of,
            s.rules_name,
            s.rules_fingerprint,
            s.jss,
            s.best_candidate,
            s.best_score,
            *(s.windows.get(name) for name in windows),
            s.observed_jss,
        ]
        for s in snapshots
    ]
    return header, rows


# -- tables ----------------------------------------------------------------------------------


def list_table(found: Iterable[Snapshot], previous: Previous) -> PlainTable:
    """`snapshots list`: one row per snapshot, with the change since the previous one."""
    columns = [
        Column("ID", "right"),
        Column("As of"),
        Column("Profile"),
        Column("JSS", "right"),
        Column("Change", "right"),
        Column("Best"),
        Column("Score", "right"),
        Column("Upwork shows", "right"),
        Column("Rules"),
        Column("Taken (UTC)"),
    ]
    rows = []
    for s in found:
        change = change_between(previous[s.id], s)
        rows.append(
            (
                str(s.id),
                s.as_of,
                s.profile,
                "—" if s.jss is None else f"{s.jss}%",
                "" if change is None or change.jss is None else signed(change.jss, 0),
                s.best_candidate or "—",
                percent(s.best_score),
                "" if s.observed_jss is None else f"{s.observed_jss}%",
                s.rules_name,
                s.taken_at.replace("T", " ").removesuffix("Z"),
            )
        )
    return table("", columns, rows)


def list_blocks(
    found: Sequence[Snapshot], previous: Previous, path: Path, profile: str | None
) -> list[Block]:
    """What `snapshots list` shows people: the table, or a sentence when there is nothing."""
    if not found:
        return [no_snapshots_sentence(path, profile)]
    return [list_table(found, previous)]


#: The formats `snapshots show` prints all of a stored score in (besides --all).
SHOW_FORMATS = ("json",)


def show_blocks(snapshot: Snapshot, previous: Snapshot | None, every: bool = False) -> list[Block]:
    """`snapshots show` as blocks (markdown): the snapshot's line, then the score it stored
    (its contracts as `score` lists them: at most `TABLE_ROWS` unless `every`)."""
    blocks: list[Block] = [f"Snapshot {snapshot.id}: {snapshot_line(snapshot, previous)}"]
    blocks += [f"note: {warning}" for warning in snapshot_warnings(snapshot)]
    document = score_document_of(snapshot)
    if document is None:
        return [*blocks, _no_detail(snapshot)]
    from jsscheck.render.score import score_blocks

    return [*blocks, *score_blocks(document, every, SHOW_FORMATS)]


def _no_detail(snapshot: Snapshot) -> str:
    return (
        "(This snapshot holds no score detail to show; "
        f"`jsscheck snapshots show {snapshot.id} -f json` shows what it holds.)"
    )


def render_show(
    console: Console, snapshot: Snapshot, previous: Snapshot | None, every: bool = False
) -> None:
    """`snapshots show`: the snapshot's line, then the score it stored (as `show_blocks`)."""
    line = f"Snapshot {snapshot.id}: {snapshot_line(snapshot, previous)}"
    console.print(line, markup=False, emoji=False, soft_wrap=True)
    for warning in snapshot_warnings(snapshot):
        console.print(f"note: {warning}", markup=False, emoji=False, soft_wrap=True)
    document = score_document_of(snapshot)
    if document is None:
        console.print(
            _no_detail(snapshot),
            markup=False,
            emoji=False,
            soft_wrap=True,
        )
        return
    from jsscheck.render.score import render_score

    render_score(console, document, every, SHOW_FORMATS)


def diff_headline(diff: SnapshotDiff) -> str:
    """`Snapshot 1 (2026-10-24 default): JSS 91% (12m) → snapshot 2 (…): JSS 84% (12m) (−7)`."""
    before, after = diff.before, diff.after
    assert isinstance(before, Snapshot) and isinstance(after, Snapshot)
    change = diff.jss_change
    moved = "" if change is None else f" ({'unchanged' if change == 0 else signed(change, 0)})"
    return (
        f"Snapshot {before.id} ({_title(before)}): "
        f"{jss_words(before.jss, before.best_candidate)} → snapshot {after.id} "
        f"({_title(after)}): {jss_words(after.jss, after.best_candidate)}{moved}"
    )


def windows_table(diff: SnapshotDiff) -> PlainTable:
    """Each candidate window's score in both snapshots."""
    columns = [Column("Window"), Column("Before", "right"), Column("After", "right")]
    columns.append(Column("Change", "right"))
    rows = [
        (
            w.name,
            percent(w.before),
            percent(w.after),
            "" if w.change is None else signed(w.change, 2),
        )
        for w in diff.windows
    ]
    return table("Windows", columns, rows)


NO_DETAIL = "(These snapshots hold no per-contract detail to attribute the change to.)"


def diff_effects(diff: SnapshotDiff) -> Rows | None:
    """explain's table of what moved the score, for the one step between the snapshots."""
    x = diff.attribution
    if x is None or not (x.effects or x.unattributed):
        return None
    return effects_rows(x, {}, x.after.rules, title="What moved the score")


def render_diff(console: Console, diff: SnapshotDiff) -> None:
    """`snapshots diff`: the headline, the windows, and explain's table of effects."""
    console.print(diff_headline(diff), markup=False, emoji=False, soft_wrap=True)
    console.print(to_rich(windows_table(diff)))
    effects = diff_effects(diff)
    if diff.attribution is None:
        console.print(NO_DETAIL, markup=False, emoji=False, soft_wrap=True)
    elif effects is not None:
        console.print(attribution_rich(effects))


def diff_markdown(diff: SnapshotDiff) -> str:
    """`snapshots diff --format markdown`: the same headline and tables."""
    parts = [plain(diff_headline(diff)), table_markdown(windows_table(diff))]
    effects = diff_effects(diff)
    if diff.attribution is None:
        parts.append(NO_DETAIL)
    elif effects is not None:
        parts.append(to_markdown(effects))
    return "\n\n".join(parts)


__all__ = [
    "DIFF_SCHEMA",
    "SNAPSHOTS_SCHEMA",
    "SNAPSHOT_SCHEMA",
    "alert_hint",
    "alert_message",
    "csv_table",
    "diff_headline",
    "diff_json",
    "diff_markdown",
    "different_rules_warning",
    "disagreement_sentence",
    "forgotten_sentence",
    "jss_words",
    "list_blocks",
    "list_table",
    "no_snapshots_sentence",
    "render_diff",
    "render_show",
    "show_blocks",
    "show_json",
    "snapshot_json",
    "snapshot_line",
    "snapshot_warnings",
    "snapshots_json",
]
