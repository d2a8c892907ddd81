"""The stored snapshots: the `Snapshot` type and the queries over the store (CLI.md).

One snapshot per profile per as-of date: storing another for the same profile and date replaces
it in the same transaction, keeping the observed JSS it recorded unless the new one has its own.
A row that cannot be read back (its document, jss or as_of damaged) raises `IOFailure` (74)
naming the snapshot and `jsscheck snapshots forget ID`, which still works on it.
Core module: raises `JsscheckError` subclasses, never prints.
"""

from __future__ import annotations

import builtins
import json
import math
import os
import sqlite3
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from jsscheck.errors import IOFailure, UsageError
from jsscheck.store.sqlite import (
    DEFAULT_BUSY_TIMEOUT,
    SCHEMA_VERSION,
    ClosedOnExit,
    Database,
    default_store_path,
)

DEFAULT_PROFILE = "default"
# The range of SQLite's INTEGER (and so of snapshot ids).
_SQLITE_MIN, _SQLITE_MAX = -(2**63), 2**63 - 1

# The columns of a snapshot, per stored schema version: an older store is read as it is
# (reading needs no write access), and is migrated only by the first write.
_COLUMNS = (
    "id, profile, taken_at, as_of, rules_name, rules_fingerprint, jss, best_candidate, "
    "best_score, windows, observed_jss, source_sha256, document"
)
_SELECT_COLUMNS: dict[int, str] = {
    1: _COLUMNS.replace("observed_jss, source_sha256", "NULL, NULL"),
    2: _COLUMNS,
    3: _COLUMNS,
}


def utc_timestamp(moment: datetime | None = None) -> str:
    """A UTC timestamp as stored in ``taken_at``: ``2026-11-21T06:55:00Z``."""
    moment = moment or datetime.now(UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, kw_only=True)
class Snapshot:
    """One stored score. `id` is None until `SnapshotStore.add` has stored it.

    `windows` holds every candidate window's score (None when not eligible); `document` is the
    full ``jsscheck.score/1`` JSON document the score was computed as. `source_sha256` is None
    only for snapshots migrated from schema version 1, which did not record it.
    """

    id: int | None = None
    profile: str = DEFAULT_PROFILE
    taken_at: str
    as_of: str
    rules_name: str
    rules_fingerprint: str
    jss: int | None
    best_candidate: str | None
    best_score: float | None
    windows: dict[str, float | None] = field(default_factory=dict)
    observed_jss: int | None = None
    source_sha256: str | None
    document: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Saved:
    """What `SnapshotStore.save` did: the stored snapshot, and the id of the one it replaced
    (the same profile's snapshot of the same as-of date), if any."""

    snapshot: Snapshot
    replaced_id: int | None = None


@dataclass(frozen=True)
class Forgotten:
    """What `SnapshotStore.forget` deleted: its id, and the snapshot when it was readable."""

    id: int
    snapshot: Snapshot | None


class SnapshotStore(ClosedOnExit):
    """The snapshots in the SQLite store; ``with SnapshotStore(path) as store: ...``.

    Nothing is opened or created by the constructor. Reads of a store that does not exist give
    nothing; the first write creates it. `busy_timeout` is how many seconds a write (or a read
    meeting a committing writer) waits for another process before `StoreBusyError`.
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
    ) -> None:
        self.path = Path(path) if path is not None else default_store_path()
        self._database = Database(self.path, busy_timeout=busy_timeout)

    def close(self) -> None:
        """Close the connection, if one was opened. The store can be used again afterwards."""
        self._database.close()

    # -- reading ---------------------------------------------------------------------------

    def list(self, profile: str | None = None) -> builtins.list[Snapshot]:
        """Every snapshot (of `profile`, or of all profiles), by as_of then id."""
        if profile is None:
            return self._select("ORDER BY as_of, id")
        return self._select("WHERE profile = ? ORDER BY as_of, id", (profile,))

    def get(self, snapshot_id: int) -> Snapshot:
        """The snapshot with this id; an unknown id is a usage error naming the known ones."""
        if not _SQLITE_MIN <= snapshot_id <= _SQLITE_MAX:  # SQLite cannot even look it up
            raise self._unknown_id(snapshot_id)
        found = self._select("WHERE id = ?", (snapshot_id,))
        if found:
            return found[0]
        raise self._unknown_id(snapshot_id)

    def latest(self, profile: str = DEFAULT_PROFILE) -> Snapshot | None:
        """The snapshot of `profile` with the latest as_of (then highest id), or None."""
        found = self._select("WHERE profile = ? ORDER BY as_of DESC, id DESC LIMIT 1", (profile,))
        return found[0] if found else None

    def previous(self, snapshot: Snapshot) -> Snapshot | None:
        """The snapshot of the same profile just before `snapshot` (by as_of then id), or None."""
        found = self._select(
            "WHERE profile = ? AND (as_of < ? OR (as_of = ? AND id < ?)) "
            "ORDER BY as_of DESC, id DESC LIMIT 1",
            (snapshot.profile, snapshot.as_of, snapshot.as_of, snapshot.id),
        )
        return found[0] if found else None

    def profiles(self) -> builtins.list[str]:
        """The profiles that have snapshots, sorted."""
        rows = self._rows("SELECT DISTINCT profile FROM snapshot ORDER BY profile")
        return [str(row[0]) for row in rows]

    # -- writing ---------------------------------------------------------------------------

    def save(self, snapshot: Snapshot) -> Saved:
        """Store `snapshot` in one transaction, creating the store if needed.

        The profile's snapshot of the same as-of date, if any, is replaced (the new one gets a
        new id: an id never points at a different snapshot); its observed JSS is kept when
        `snapshot` has none.
        """

        def put(connection: sqlite3.Connection) -> Saved:
            old = connection.execute(
                "SELECT id, observed_jss FROM snapshot WHERE profile = ? AND as_of = ?",
                (snapshot.profile, snapshot.as_of),
            ).fetchone()
            stored = snapshot
            replaced_id = None
            if old is not None:
                replaced_id = int(old[0])
                if snapshot.observed_jss is None and _is_percent(old[1]):
                    stored = replace(snapshot, observed_jss=old[1])
                connection.execute("DELETE FROM snapshot WHERE id = ?", (replaced_id,))
            new_id = _insert(connection, stored)
            return Saved(replace(stored, id=new_id), replaced_id)

        return self._database.write(put)

    def add(self, snapshot: Snapshot) -> Snapshot:
        """`save` `snapshot` and return it with its id (and any observed JSS it kept)."""
        return self.save(snapshot).snapshot

    def forget(self, snapshot_id: int) -> Forgotten:
        """Delete the snapshot with this id, even a damaged one; an unknown id is a usage error."""
        if snapshot_id not in self._ids():
            raise self._unknown_id(snapshot_id)  # refused before anything is written

        def delete(connection: sqlite3.Connection) -> Forgotten | None:
            rows = connection.execute(
                f"SELECT {_SELECT_COLUMNS[SCHEMA_VERSION]} FROM snapshot WHERE id = ?",
                (snapshot_id,),
            ).fetchall()
            if not rows:
                return None
            connection.execute("DELETE FROM snapshot WHERE id = ?", (snapshot_id,))
            try:
                return Forgotten(snapshot_id, _row_to_snapshot(rows[0], self.path))
            except IOFailure:
                return Forgotten(snapshot_id, None)

        forgotten = self._database.write(delete)
        if forgotten is None:  # another process forgot it in the meantime
            raise self._unknown_id(snapshot_id)
        return forgotten

    # -- internals -------------------------------------------------------------------------

    def _rows(self, sql: str, parameters: tuple[Any, ...] = ()) -> builtins.list[Any]:
        connection, version = self._database.read()
        if connection is None or version == 0:
            return []
        with self._database.translate_errors(writing=False):
            return connection.execute(
                sql.format(columns=_SELECT_COLUMNS[version]), parameters
            ).fetchall()

    def _select(self, where: str, parameters: tuple[Any, ...] = ()) -> builtins.list[Snapshot]:
        rows = self._rows("SELECT {columns} FROM snapshot " + where, parameters)
        return [_row_to_snapshot(row, self.path) for row in rows]

    def _ids(self) -> builtins.list[int]:
        return [int(row[0]) for row in self._rows("SELECT id FROM snapshot ORDER BY id")]

    def _unknown_id(self, snapshot_id: int) -> UsageError:
        ids = self._ids()
        if not ids:
            return UsageError(
                f"no snapshot with id {snapshot_id}: the store {self.path} has no snapshots yet",
                hint="run `jsscheck snapshot HISTORY` to take the first one",
            )
        shown = ", ".join(str(i) for i in ids[-20:])
        more = f" (and {len(ids) - 20} earlier)" if len(ids) > 20 else ""
        return UsageError(
            f"no snapshot with id {snapshot_id} in {self.path}; the ids are {shown}{more}",
            hint="see `jsscheck snapshots list`",
        )


def _is_percent(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100


def _insert(connection: sqlite3.Connection, snapshot: Snapshot) -> int:
    cursor = connection.execute(
        "INSERT INTO snapshot (profile, taken_at, as_of, rules_name, rules_fingerprint, jss, "
        "best_candidate, best_score, windows, observed_jss, source_sha256, document) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            snapshot.profile,
            snapshot.taken_at,
            snapshot.as_of,
            snapshot.rules_name,
            snapshot.rules_fingerprint,
            snapshot.jss,
            snapshot.best_candidate,
            snapshot.best_score,
            json.dumps(snapshot.windows, allow_nan=False),
            snapshot.observed_jss,
            snapshot.source_sha256,
            json.dumps(snapshot.document, allow_nan=False),
        ),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _row_to_snapshot(row: tuple[Any, ...], path: Path) -> Snapshot:
    """The snapshot a row holds; a row that is not what jsscheck wrote raises `IOFailure`."""
    (
        snapshot_id,
        profile,
        taken_at,
        as_of,
        rules_name,
        rules_fingerprint,
        jss,
        best_candidate,
        best_score,
        windows,
        observed_jss,
        source_sha256,
        document,
    ) = row

    def damaged(what: str) -> IOFailure:
        return IOFailure(
            f"snapshot {snapshot_id} in the store {path} is damaged: its {what}",
            hint=f"remove it with `jsscheck snapshots forget {snapshot_id}` (the other snapshots "
            "are fine), or restore the store from a backup",
        )

    if not isinstance(as_of, str) or not _is_iso_date(as_of):
        raise damaged("as-of date is not a date")
    if jss is not None and not _is_percent(jss):
        raise damaged("JSS is not a whole percent")
    if observed_jss is not None and not _is_percent(observed_jss):
        raise damaged("observed JSS is not a whole percent")
    if best_score is not None and not (
        isinstance(best_score, int | float) and math.isfinite(best_score)
    ):
        raise damaged("best score is not a number")
    parsed_windows = _json_object(windows)
    if parsed_windows is None or not all(
        value is None or (isinstance(value, int | float) and not isinstance(value, bool))
        for value in parsed_windows.values()
    ):
        raise damaged("window scores are not readable")
    parsed_document = _json_object(document)
    if parsed_document is None:
        raise damaged("score document is not readable")
    texts = (profile, taken_at, rules_name, rules_fingerprint)
    if not all(isinstance(text, str) for text in texts):
        raise damaged("profile, time taken or rules are not text")
    return Snapshot(
        id=snapshot_id,
        profile=profile,
        taken_at=taken_at,
        as_of=as_of,
        rules_name=rules_name,
        rules_fingerprint=rules_fingerprint,
        jss=jss,
        best_candidate=best_candidate if isinstance(best_candidate, str) else None,
        best_score=None if best_score is None else float(best_score),
        windows=parsed_windows,
        observed_jss=observed_jss,
        source_sha256=source_sha256 if isinstance(source_sha256, str) else None,
        document=parsed_document,
    )


def _is_iso_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _json_object(text: object) -> dict[str, Any] | None:
    if not isinstance(text, str):
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


__all__ = [
    "DEFAULT_PROFILE",
    "Forgotten",
    "Saved",
    "Snapshot",
    "SnapshotStore",
    "utc_timestamp",
]
