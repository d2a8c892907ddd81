"""The snapshot store (CLI.md, "The snapshot store"): SQLite, one transaction per write.

This is the only part of jsscheck that keeps state, so it is written to never lose or damage it:

- The directory is created 0700 and the file 0600 *at creation* (``os.open`` with a mode), never
  ``chmod``-ed afterwards: there is no moment when another user could read the contract data.
- The file carries ``PRAGMA application_id`` (a fixed number) and ``PRAGMA user_version`` (the
  schema version). Both live in the 100-byte SQLite header, so a file that is not ours is
  recognised by reading that header with plain ``open()`` before SQLite touches it; a foreign or
  corrupt file is refused with `IOFailure` and left byte-for-byte as it was.
- Older schema versions are migrated in place inside the same single transaction as the write
  that needed them, so a store is either wholly at the old version or wholly at the new one.
- Every write is one ``BEGIN IMMEDIATE`` transaction behind SQLite's own file lock with a busy
  timeout; a store still locked after the timeout raises `StoreBusyError` (exit 75).

Reading never creates anything: listing a store that does not exist gives no snapshots.
Core module: raises `JsscheckError` subclasses, never prints.
"""

from __future__ import annotations

import builtins
import contextlib
import json
import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any, TypeVar

from jsscheck.errors import IOFailure, OutputError, StoreBusyError, UsageError
from jsscheck.render.csvsafe import safe_cell, writer

#: ``PRAGMA application_id`` of a jsscheck store: "JSSK" in ASCII. A SQLite file with any
#: other id belongs to another program and is never written to.
APPLICATION_ID = 0x4A53534B
#: The schema version this jsscheck writes (``PRAGMA user_version``).
SCHEMA_VERSION = 2
#: How long a write waits for another jsscheck to release the store before giving up (75).
DEFAULT_BUSY_TIMEOUT = 10.0
SNAPSHOT_SCHEMA = "jsscheck.snapshot/1"
DEFAULT_PROFILE = "default"

_SQLITE_MAGIC = b"SQLite format 3\x00"
_HEADER_SIZE = 100
# Offsets of the big-endian 32-bit fields in the SQLite file header (sqlite.org/fileformat.html).
_USER_VERSION_OFFSET = 60
_APPLICATION_ID_OFFSET = 68

# Version 1 of the schema, kept verbatim: a new store is built by running every migration from
# version 0, so the path an old store takes is exercised on every fresh store too, and the tests
# build a genuine version 1 store from it. AUTOINCREMENT: an id is never reused after `forget`,
# so an id quoted in an old cron mail can never point at a different snapshot.
SCHEMA_V1 = """
CREATE TABLE snapshot (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    profile TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    as_of TEXT NOT NULL,
    rules_name TEXT NOT NULL,
    rules_fingerprint TEXT NOT NULL,
    jss INTEGER,
    best_candidate TEXT,
    best_score REAL,
    windows TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE INDEX snapshot_by_profile ON snapshot (profile, as_of, id);
"""

# Version 2 records what Upwork showed (to check the model against reality) and the sha256 of
# the inputs (to tell "the score moved" from "the history file changed"). Snapshots migrated
# from version 1 keep NULL in both: that information was never recorded, and NULL says so.
_MIGRATE_1_TO_2 = """
ALTER TABLE snapshot ADD COLUMN observed_jss INTEGER;
ALTER TABLE snapshot ADD COLUMN source_sha256 TEXT;
"""

#: Statements that take a store from version ``n - 1`` to version ``n``, by ``n``.
MIGRATIONS: dict[int, str] = {1: SCHEMA_V1, 2: _MIGRATE_1_TO_2}

# The columns of a snapshot, per stored schema version: a version 1 store is read as it is
# (reading needs no write access), and is migrated only by the first write.
_COLUMNS_V2 = (
    "id, profile, taken_at, as_of, rules_name, rules_fingerprint, jss, best_candidate, "
    "best_score, windows, observed_jss, source_sha256, document"
)
_SELECT_COLUMNS: dict[int, str] = {
    1: _COLUMNS_V2.replace("observed_jss, source_sha256", "NULL, NULL"),
    2: _COLUMNS_V2,
}

_T = TypeVar("_T")


def default_store_path() -> Path:
    """Where the store lives: ``$JSSCHECK_STORE``, else the user data directory of jsscheck."""
    override = os.environ.get("JSSCHECK_STORE")
    if override:
        return Path(override).expanduser()
    import platformdirs  # only commands that use the store pay for it

    return Path(platformdirs.user_data_dir("jsscheck")) / "snapshots.sqlite"


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

    @classmethod
    def from_document(
        cls,
        document: Mapping[str, Any],
        *,
        source_sha256: str,
        profile: str = DEFAULT_PROFILE,
        observed_jss: int | None = None,
        taken_at: str | None = None,
    ) -> Snapshot:
        """A snapshot (without id) of a ``jsscheck.score/1`` document (CLI.md)."""
        best = document.get("best")
        candidates = document.get("candidates") or {}
        return cls(
            profile=profile,
            taken_at=taken_at or utc_timestamp(),
            as_of=str(document["as_of"]),
            rules_name=str(document["rules"]["name"]),
            rules_fingerprint=str(document["rules"]["fingerprint"]),
            jss=document.get("jss"),
            best_candidate=best["candidate"] if best else None,
            best_score=best["score"] if best else None,
            windows={name: window.get("score") for name, window in candidates.items()},
            observed_jss=observed_jss,
            source_sha256=source_sha256,
            document=dict(document),
        )

    @property
    def best(self) -> dict[str, Any] | None:
        """The ``best`` object of the JSON documents, or None when no window is eligible."""
        if self.best_candidate is None:
            return None
        return {"candidate": self.best_candidate, "score": self.best_score}

    def change_since(self, previous: Snapshot | None) -> dict[str, Any] | None:
        """How the score moved since `previous` (same profile, earlier), or None without one.

        ``jss`` is the change of the displayed percent, ``score`` of the unrounded best score;
        either is None when one of the two snapshots has no score.
        """
        if previous is None:
            return None
        jss = None if self.jss is None or previous.jss is None else self.jss - previous.jss
        score = (
            None
            if self.best_score is None or previous.best_score is None
            else self.best_score - previous.best_score
        )
        return {"previous_id": previous.id, "since": previous.as_of, "jss": jss, "score": score}

    def to_json(self, previous: Snapshot | None = None) -> dict[str, Any]:
        """The ``jsscheck.snapshot/1`` document; pass `SnapshotStore.previous` of it."""
        return {
            "schema": SNAPSHOT_SCHEMA,
            "id": self.id,
            "profile": self.profile,
            "taken_at": self.taken_at,
            "as_of": self.as_of,
            "rules": {"name": self.rules_name, "fingerprint": self.rules_fingerprint},
            "jss": self.jss,
            "best": self.best,
            "observed_jss": self.observed_jss,
            "change_since_previous": self.change_since(previous),
            "source_sha256": self.source_sha256,
        }


class SnapshotStore:
    """The SQLite file holding the snapshots; ``with SnapshotStore(path) as store: ...``.

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
        self.busy_timeout = busy_timeout
        self._connection: sqlite3.Connection | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def __enter__(self) -> SnapshotStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection, if one was opened. The store can be used again afterwards."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    # -- reading ---------------------------------------------------------------------------

    def list(self, profile: str | None = None) -> builtins.list[Snapshot]:
        """Every snapshot (of `profile`, or of all profiles), by as_of then id."""
        if profile is None:
            return self._select("ORDER BY as_of, id")
        return self._select("WHERE profile = ? ORDER BY as_of, id", (profile,))

    def get(self, snapshot_id: int) -> Snapshot:
        """The snapshot with this id; an unknown id is a usage error naming the known ones."""
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
        connection, version = self._open_for_read()
        if connection is None or version == 0:
            return []
        with self._translate_errors(writing=False):
            rows = connection.execute(
                "SELECT DISTINCT profile FROM snapshot ORDER BY profile"
            ).fetchall()
        return [row[0] for row in rows]

    # -- writing ---------------------------------------------------------------------------

    def add(self, snapshot: Snapshot) -> Snapshot:
        """Store `snapshot` in one transaction, creating the store if needed; return it with id."""
        new_id = self._write(lambda connection: _insert_snapshot(connection, snapshot))
        return replace(snapshot, id=new_id)

    def forget(self, snapshot_id: int) -> Snapshot:
        """Delete the snapshot with this id and return it; an unknown id is a usage error."""
        self.get(snapshot_id)  # an unknown id (or no store at all) is refused before writing

        def delete(connection: sqlite3.Connection) -> Snapshot | None:
            rows = connection.execute(
                f"SELECT {_SELECT_COLUMNS[SCHEMA_VERSION]} FROM snapshot WHERE id = ?",
                (snapshot_id,),
            ).fetchall()
            connection.execute("DELETE FROM snapshot WHERE id = ?", (snapshot_id,))
            return _row_to_snapshot(rows[0]) if rows else None

        forgotten = self._write(delete)
        if forgotten is None:  # another process forgot it in the meantime
            raise self._unknown_id(snapshot_id)
        return forgotten

    # -- internals -------------------------------------------------------------------------

    def _exists(self) -> bool:
        return self.path.exists()

    def _ids(self) -> builtins.list[int]:
        connection, version = self._open_for_read()
        if connection is None or version == 0:
            return []
        with self._translate_errors(writing=False):
            rows = connection.execute("SELECT id FROM snapshot ORDER BY id").fetchall()
        return [row[0] for row in rows]

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

    def _select(self, where: str, parameters: tuple[Any, ...] = ()) -> builtins.list[Snapshot]:
        connection, version = self._open_for_read()
        if connection is None or version == 0:
            return []
        with self._translate_errors(writing=False):
            rows = connection.execute(
                f"SELECT {_SELECT_COLUMNS[version]} FROM snapshot {where}", parameters
            ).fetchall()
        return [_row_to_snapshot(row) for row in rows]

    def _open_for_read(self) -> tuple[sqlite3.Connection | None, int]:
        """The connection and the stored schema version; (None, 0) when there is no store."""
        if self._connection is None:
            if not self._exists():
                return None, 0
            self._connection = self._connect()
        return self._connection, self._schema_version(self._connection)

    def _connect(self) -> sqlite3.Connection:
        """Open an existing file, having made sure from its header alone that it is ours."""
        _check_header(self.path)
        # mode=rw: never create the file here (creation is `_create_file`'s job, with 0600).
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so one write is one transaction.
        uri = "file:" + _uri_path(self.path) + "?mode=rw"
        with self._translate_errors(writing=False):
            connection = sqlite3.connect(
                uri, uri=True, timeout=self.busy_timeout, isolation_level=None
            )
        try:
            with self._translate_errors(writing=False):
                self._check_identity(connection)
                # A damaged store is refused by every command, not only by writes (SQLite
                # writing into a corrupt b-tree can make the damage worse, and a read served
                # from an intact index would hide it). The store is small: this takes
                # milliseconds.
                result = connection.execute("PRAGMA quick_check").fetchall()
                if [tuple(row) for row in result] != [("ok",)]:
                    raise _corrupt(self.path, "; ".join(str(row[0]) for row in result[:3]))
                # Rollback journal with synchronous=FULL rather than WAL: the store is written
                # once a week, so WAL's concurrent readers buy nothing, while a rollback-journal
                # store is a single file at rest (easy to back up, or to move aside as the error
                # messages suggest), needs no shared-memory -shm file (which fails on network
                # home directories), and leaves nothing beside the store after a clean write.
                # FULL syncs the journal before the store is touched, so a crash or power loss
                # mid-write is rolled back by the next opener. These pragmas only affect this
                # connection; they are set after the identity check, so a foreign file is never
                # converted. DELETE is SQLite's default; it is named here so it cannot drift.
                connection.execute("PRAGMA synchronous = FULL")
                connection.execute("PRAGMA journal_mode = DELETE").fetchall()
                connection.execute("PRAGMA trusted_schema = OFF")
        except BaseException:
            connection.close()
            raise
        return connection

    def _check_identity(self, connection: sqlite3.Connection) -> None:
        """Refuse a SQLite file that is not a jsscheck store, or is from a newer jsscheck."""
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]
        version = self._schema_version(connection)
        if application_id == 0 and version == 0:
            # A database with no tables and no id is a store another jsscheck has just created
            # (the file exists between `os.open` and its first commit): ours to initialise.
            tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables == 0:
                return
        if application_id != APPLICATION_ID:
            raise _not_ours(self.path, "a SQLite database of another program")
        if version > SCHEMA_VERSION:
            raise IOFailure(
                f"the snapshot store {self.path} was written by a newer jsscheck "
                f"(store schema {version}; this jsscheck knows up to {SCHEMA_VERSION})",
                hint="upgrade jsscheck, or pass --store PATH to use another store; "
                "the store was left untouched",
            )

    @staticmethod
    def _schema_version(connection: sqlite3.Connection) -> int:
        return int(connection.execute("PRAGMA user_version").fetchone()[0])

    def _open_for_write(self) -> sqlite3.Connection:
        if not self._exists():
            self._create_file()
        if self._connection is None:
            self._connection = self._connect()
        return self._connection

    def _create_file(self) -> None:
        """Create the directory (0700) and an empty store file (0600), with those modes at birth."""
        directory = self.path.parent
        try:
            # Only the directories we create get 0700; an existing one (say the user's own
            # --store directory) is not ours to chmod.
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as error:
            raise OutputError(
                f"cannot create the snapshot store directory {directory}: "
                f"{error.strerror or error}",
                hint="check its permissions, or pass --store PATH (or set JSSCHECK_STORE) "
                "to a writable place",
            ) from error
        try:
            descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return  # another jsscheck created it a moment ago; _check_identity accepts it
        except OSError as error:
            raise OutputError(
                f"cannot create the snapshot store {self.path}: {error.strerror or error}",
                hint="check the permissions of its directory, or pass --store PATH "
                "(or set JSSCHECK_STORE) to a writable place",
            ) from error
        os.close(descriptor)

    def _write(self, change: Callable[[sqlite3.Connection], _T]) -> _T:
        """Run `change` in one BEGIN IMMEDIATE transaction, migrating an older schema first."""
        connection = self._open_for_write()
        with self._translate_errors(writing=True):
            # IMMEDIATE takes the write lock up front (waiting up to the busy timeout): two
            # writers never both read and then both try to upgrade, which SQLite would answer
            # with an immediate SQLITE_BUSY that bypasses the timeout.
            connection.execute("BEGIN IMMEDIATE")
            try:
                # Read the identity again under the lock: another process may have created,
                # migrated or replaced the store since we opened it.
                self._check_identity(connection)
                _migrate(connection, self._schema_version(connection))
                result = change(connection)
                connection.execute("COMMIT")
            except BaseException:
                # ROLLBACK can itself fail if SQLite already rolled back (e.g. on SQLITE_FULL).
                with contextlib.suppress(sqlite3.Error):
                    connection.execute("ROLLBACK")
                raise
        return result

    @contextlib.contextmanager
    def _translate_errors(self, *, writing: bool) -> Iterator[None]:
        """Turn SQLite's errors into jsscheck's documented exit codes (73, 74, 75)."""
        try:
            yield
        except sqlite3.Error as error:
            raise _translate(error, self.path, writing=writing) from error


def _translate(error: sqlite3.Error, path: Path, *, writing: bool) -> Exception:
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(error)
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in text:
        return StoreBusyError(
            f"the snapshot store {path} is busy: another jsscheck is writing to it",
            hint="try again later",
        )
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return _corrupt(path, text)
    if writing and primary in (
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_PERM,
        sqlite3.SQLITE_CANTOPEN,
    ):
        return OutputError(
            f"cannot write to the snapshot store {path}: {text}",
            hint="check the permissions of the file and its directory, or pass --store PATH "
            "(or set JSSCHECK_STORE) to a writable place",
        )
    if primary == sqlite3.SQLITE_FULL:
        return IOFailure(
            f"cannot write to the snapshot store {path}: the disk is full",
            hint="free some space and run it again; the store was left as it was",
        )
    return IOFailure(
        f"cannot {'write to' if writing else 'read'} the snapshot store {path}: {text}",
        hint="check the file and its directory, or pass --store PATH to use another store",
    )


def _corrupt(path: Path, detail: str) -> IOFailure:
    return IOFailure(
        f"the snapshot store {path} is damaged ({detail})",
        hint=f"it was left untouched; move it aside (mv '{path}' '{path}.damaged') so jsscheck "
        "starts a new store, or pass --store PATH",
    )


def _not_ours(path: Path, what: str) -> IOFailure:
    return IOFailure(
        f"{path} is not a jsscheck snapshot store (it is {what})",
        hint="pass --store PATH (or set JSSCHECK_STORE) to keep snapshots elsewhere, or "
        "move that file aside; it was left untouched",
    )


def _check_header(path: Path) -> None:
    """Refuse a file that is not SQLite, or is SQLite with another application id.

    This reads the header with plain ``open()`` so that SQLite never opens a file that is not
    ours (opening is harmless, but the pragmas we set afterwards must never reach one).
    """
    try:
        with open(path, "rb") as stream:
            header = stream.read(_HEADER_SIZE)
    except IsADirectoryError as error:
        raise IOFailure(
            f"the snapshot store {path} is a directory",
            hint=f"pass --store PATH with a file name, e.g. --store '{path / 'snapshots.sqlite'}'",
        ) from error
    except OSError as error:
        raise IOFailure(
            f"cannot read the snapshot store {path}: {error.strerror or error}",
            hint="check its permissions, or pass --store PATH to use another store",
        ) from error
    if not header:
        return  # created a moment ago by another jsscheck, not yet initialised
    if len(header) < _HEADER_SIZE or not header.startswith(_SQLITE_MAGIC):
        raise _not_ours(path, "not a SQLite database")
    application_id = int.from_bytes(header[_APPLICATION_ID_OFFSET : _APPLICATION_ID_OFFSET + 4])
    user_version = int.from_bytes(header[_USER_VERSION_OFFSET : _USER_VERSION_OFFSET + 4])
    # id 0 with version 0 may be an empty database another jsscheck is initialising;
    # _check_identity decides that one under SQLite's lock, by looking for tables.
    if application_id != APPLICATION_ID and not (application_id == 0 and user_version == 0):
        raise _not_ours(path, "a SQLite database of another program")


def _uri_path(path: Path) -> str:
    """`path` made absolute and escaped for a ``file:`` URI (``?`` and ``#`` are special)."""
    text = str(path.absolute())
    return re.sub(r"[%?#]", lambda match: f"%{ord(match.group()):02X}", text)


def _migrate(connection: sqlite3.Connection, version: int) -> None:
    """Bring the store from `version` to SCHEMA_VERSION; the caller holds the transaction."""
    if version == 0:
        # A new store: claim it before anything else, so it is recognised as ours.
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    for target in range(version + 1, SCHEMA_VERSION + 1):
        for statement in _statements(MIGRATIONS[target]):
            connection.execute(statement)
        # user_version lives in the database header, so it commits or rolls back with the rest.
        connection.execute(f"PRAGMA user_version = {target}")


def _statements(script: str) -> builtins.list[str]:
    # executescript() would COMMIT the open transaction first; run the statements one by one.
    return [statement.strip() for statement in script.split(";") if statement.strip()]


def _insert_snapshot(connection: sqlite3.Connection, snapshot: Snapshot) -> int:
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


def _row_to_snapshot(row: tuple[Any, ...]) -> Snapshot:
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
    return Snapshot(
        id=snapshot_id,
        profile=profile,
        taken_at=taken_at,
        as_of=as_of,
        rules_name=rules_name,
        rules_fingerprint=rules_fingerprint,
        jss=jss,
        best_candidate=best_candidate,
        best_score=best_score,
        windows=json.loads(windows),
        observed_jss=observed_jss,
        source_sha256=source_sha256,
        document=json.loads(document),
    )


# -- export ----------------------------------------------------------------------------------


def _window_order(name: str) -> tuple[int, int, str]:
    # "3m" < "6m" < "12m" < "24m" by months, then anything else (e.g. "trending") by name.
    match = re.fullmatch(r"(\d+)m", name)
    return (0, int(match.group(1)), name) if match else (1, 0, name)


def snapshots_to_rows(snapshots: Iterable[Snapshot]) -> builtins.list[dict[str, Any]]:
    """One flat row per snapshot for CSV export: every window of any snapshot is a column."""
    snapshots = builtins.list(snapshots)
    windows = sorted({name for s in snapshots for name in s.windows}, key=_window_order)
    rows = []
    for snapshot in snapshots:
        row: dict[str, Any] = {
            "id": snapshot.id,
            "profile": snapshot.profile,
            "taken_at": snapshot.taken_at,
            "as_of": snapshot.as_of,
            "rules": snapshot.rules_name,
            "fingerprint": snapshot.rules_fingerprint,
            "jss": snapshot.jss,
            "best": snapshot.best_candidate,
            "score": snapshot.best_score,
        }
        for name in windows:
            row[name] = snapshot.windows.get(name)
        row["observed_jss"] = snapshot.observed_jss
        rows.append(row)
    return rows


def write_csv(rows: Iterable[Mapping[str, Any]], stream: IO[str]) -> None:
    """Write `rows` as CSV with a header (the keys of the rows, in first-seen order)."""
    rows = builtins.list(rows)
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    out = writer(stream)
    out.writerow([safe_cell(name) for name in columns])
    for row in rows:
        out.writerow([safe_cell(row.get(name)) for name in columns])


__all__ = [
    "APPLICATION_ID",
    "DEFAULT_BUSY_TIMEOUT",
    "DEFAULT_PROFILE",
    "MIGRATIONS",
    "SCHEMA_V1",
    "SCHEMA_VERSION",
    "SNAPSHOT_SCHEMA",
    "Snapshot",
    "SnapshotStore",
    "default_store_path",
    "snapshots_to_rows",
    "utc_timestamp",
    "write_csv",
]
