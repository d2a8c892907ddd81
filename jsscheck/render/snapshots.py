"""Stored snapshots for people and scripts: the cron line, the tables of `snapshots list`,
`show` and `diff`, the ``jsscheck.snapshot/1``, ``jsscheck.snapshots/1`` and
``jsscheck.snapshot-diff/1`` documents, the CSV export, and the warnings and alert messages.

Profiles and rules names are typed by the user: they pass through `plain()` (plain text) or
`markup()` (rich cells) like every text that came from outside.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from jsscheck.analyses.snapshots import (
    Alert,
    BelowAlert,
    Disagreement,
    SnapshotChange,
    SnapshotDiff,
    change_between,
    disagreement,
)
from jsscheck.render import percent, signed
from jsscheck.render.text import markup, plain
from jsscheck.store.document import score_document_of
from jsscheck.store.snapshots import Forgotten, Snapshot

SNAPSHOT_SCHEMA = "jsscheck.snapshot/1"
SNAPSHOTS_SCHEMA = "jsscheck.snapshots/1"
DIFF_SCHEMA = "jsscheck.snapshot-diff/1"

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
    """The ``jsscheck.snapshot-diff/1`` document, with explain's attribution when stored."""
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
    if diff.explanation is not None:
        document.update(diff.explanation.to_json())
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


def list_table(found: Iterable[Snapshot], previous: Previous) -> Table:
    """`snapshots list`: one row per snapshot, with the change since the previous one."""
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
        change = change_between(previous[s.id], s)
        moved = "" if change is None or change.jss is None else signed(change.jss, 0)
        table.add_row(
            str(s.id),
            s.as_of,
            markup(s.profile),
            "—" if s.jss is None else f"{s.jss}%",
            moved,
            s.best_candidate or "—",
            percent(s.best_score),
            "" if s.observed_jss is None else f"{s.observed_jss}%",
            markup(s.rules_name),
            markup(s.taken_at.replace("T", " ").removesuffix("Z")),
        )
    return table


def render_show(console: Console, snapshot: Snapshot, previous: Snapshot | None) -> None:
    """`snapshots show`: the snapshot's line, then the score it stored."""
    line = f"Snapshot {snapshot.id}: {snapshot_line(snapshot, previous)}"
    console.print(line, markup=False, emoji=False, soft_wrap=True)
    for warning in snapshot_warnings(snapshot):
        console.print(f"note: {warning}", markup=False, emoji=False, soft_wrap=True)
    document = score_document_of(snapshot)
    if document is None:
        console.print(
            "(This snapshot holds no score detail to show; "
            f"`jsscheck snapshots show {snapshot.id} -f json` shows what it holds.)",
            markup=False,
            emoji=False,
            soft_wrap=True,
        )
        return
    from jsscheck.render.score import render_score

    render_score(console, document)


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


def render_diff(console: Console, diff: SnapshotDiff) -> None:
    """`snapshots diff`: the headline, the windows, and explain's contributions table."""
    console.print(diff_headline(diff), markup=False, emoji=False, soft_wrap=True)
    table = Table(title="Windows", title_justify="left")
    for column in ("Window", "Before", "After", "Change"):
        table.add_column(column, justify="left" if column == "Window" else "right")
    for w in diff.windows:
        change = w.change
        table.add_row(
            markup(w.name),
            percent(w.before),
            percent(w.after),
            "" if change is None else signed(change, 2),
        )
    console.print(table)
    x = diff.explanation
    if x is None:
        console.print(
            "(These snapshots hold no per-contract detail to attribute the change to.)",
            markup=False,
            emoji=False,
            soft_wrap=True,
        )
    elif x.contributions or x.window_switch or x.floor_effect:
        from jsscheck.render.explain import contributions_table

        console.print(contributions_table(x))


__all__ = [
    "DIFF_SCHEMA",
    "SNAPSHOTS_SCHEMA",
    "SNAPSHOT_SCHEMA",
    "alert_hint",
    "alert_message",
    "csv_table",
    "diff_headline",
    "diff_json",
    "different_rules_warning",
    "disagreement_sentence",
    "forgotten_sentence",
    "jss_words",
    "list_table",
    "no_snapshots_sentence",
    "render_diff",
    "render_show",
    "show_json",
    "snapshot_json",
    "snapshot_line",
    "snapshot_warnings",
    "snapshots_json",
]
