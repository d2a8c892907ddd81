"""The store's SQLite file (CLI.md, "The snapshot store"): identity, locking, migrations.

This is the only part of jsscheck that keeps state, so it is written to never lose or damage it:

- The directory is created 0700 and the file 0600 *at creation* (``os.open`` with a mode), never
  ``chmod``-ed afterwards: there is no moment when another user could read the contract data.
- Whether a file is ours is decided from its bytes before SQLite opens it: it must be a regular
  file (a FIFO would hang, ``/dev/null`` would get a ``-journal`` beside it), with SQLite's magic,
  our ``application_id`` and a ``user_version`` we know in its 100-byte header, and nothing of
  another program's beside it (a ``-wal`` file). SQLite opening a foreign database read-write
  would checkpoint its WAL or roll back its hot journal; such a file is refused with `IOFailure`
  before SQLite sees it, so it and its siblings stay byte-for-byte as they were.
- The identity is read again by SQLite inside one read transaction, so another jsscheck creating
  the store at that moment is seen either wholly before or wholly after its first commit.
- Older schema versions are migrated in place inside the same single transaction as the write
  that needed them, so a store is either wholly at the old version or wholly at the new one.
- Every write is one ``BEGIN IMMEDIATE`` transaction behind SQLite's own file lock with a busy
  timeout; a store still locked after the timeout raises `StoreBusyError` (exit 75).

Reading never creates anything. Core module: raises `JsscheckError` subclasses, never prints.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

from jsscheck.errors import IOFailure, OutputError, StoreBusyError

#: ``PRAGMA application_id`` of a jsscheck store: "JSSK" in ASCII. A SQLite file with any
#: other id belongs to another program and is never opened read-write.
APPLICATION_ID = 0x4A53534B
#: The schema version this jsscheck writes (``PRAGMA user_version``).
SCHEMA_VERSION = 3
#: How long a write waits for another jsscheck to release the store before giving up (75).
DEFAULT_BUSY_TIMEOUT = 10.0

_SQLITE_MAGIC = b"SQLite format 3\x00"
_HEADER_SIZE = 100
# Offsets in the SQLite file header (sqlite.org/fileformat.html): the write/read format versions
# (2 = WAL) and the big-endian 32-bit user_version and application_id.
_FORMAT_VERSION_OFFSETS = (18, 19)
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

# Version 3 keeps one snapshot per profile per as-of date (a rerun replaces it). Of duplicates
# the latest stored (highest id) stays; when it has no observed JSS it takes the latest one an
# earlier duplicate recorded, so no observation Upwork showed is lost.
_MIGRATE_2_TO_3 = """
UPDATE snapshot SET observed_jss = (
    SELECT older.observed_jss FROM snapshot AS older
    WHERE older.profile = snapshot.profile AND older.as_of = snapshot.as_of
      AND older.observed_jss IS NOT NULL
    ORDER BY older.id DESC LIMIT 1)
WHERE observed_jss IS NULL AND id = (
    SELECT max(same.id) FROM snapshot AS same
    WHERE same.profile = snapshot.profile AND same.as_of = snapshot.as_of);
DELETE FROM snapshot WHERE id < (
    SELECT max(same.id) FROM snapshot AS same
    WHERE same.profile = snapshot.profile AND same.as_of = snapshot.as_of);
DROP INDEX snapshot_by_profile;
CREATE UNIQUE INDEX snapshot_by_profile_day ON snapshot (profile, as_of);
"""

#: Statements that take a store from version ``n - 1`` to version ``n``, by ``n``.
MIGRATIONS: dict[int, str] = {1: SCHEMA_V1, 2: _MIGRATE_1_TO_2, 3: _MIGRATE_2_TO_3}

_T = TypeVar("_T")


def default_store_path() -> Path:
    """Where the store lives: ``$JSSCHECK_STORE``, else the user data directory of jsscheck."""
    override = os.environ.get("JSSCHECK_STORE")
    if override:
        return Path(override).expanduser()
    import platformdirs  # only commands that use the store pay for it

    return Path(platformdirs.user_data_dir("jsscheck")) / "snapshots.sqlite"


def _between_identity_reads() -> None:
    """Nothing; the tests replace it to let another process commit between the identity reads."""


class ClosedOnExit:
    """`with X(...) as x:` closes x at the end (its `close()`), whatever happened inside."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:  # pragma: no cover - every subclass has its own
        raise NotImplementedError


class Database(ClosedOnExit):
    """The store's SQLite file: opened only once its bytes say it is ours.

    Nothing is opened or created by the constructor. `read()` gives no connection when there is
    no store; `write()` creates it. `busy_timeout` is how many seconds a write (or a read meeting
    a committing writer) waits for another process before `StoreBusyError`.
    """

    def __init__(self, path: Path, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> None:
        self.path = path
        self.busy_timeout = busy_timeout
        self._connection: sqlite3.Connection | None = None

    def close(self) -> None:
        """Close the connection, if one was opened. The store can be used again afterwards."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def read(self) -> tuple[sqlite3.Connection | None, int]:
        """The connection and the stored schema version; (None, 0) when there is no store."""
        if self._connection is None:
            if not _exists(self.path):
                return None, 0
            self._connection = self._connect()
        with self.translate_errors(writing=False):
            return self._connection, _schema_version(self._connection)

    def write(self, change: Callable[[sqlite3.Connection], _T]) -> _T:
        """Run `change` in one BEGIN IMMEDIATE transaction, migrating an older schema first."""
        if not _exists(self.path):
            self._create_file()
        if self._connection is None:
            self._connection = self._connect()
        connection = self._connection
        with self.translate_errors(writing=True):
            # IMMEDIATE takes the write lock up front (waiting up to the busy timeout): two
            # writers never both read and then both try to upgrade, which SQLite would answer
            # with an immediate SQLITE_BUSY that bypasses the timeout.
            connection.execute("BEGIN IMMEDIATE")
            try:
                # Read the identity again under the lock: another process may have created,
                # migrated or replaced the store since we opened it.
                version = self._check_identity(connection)
                _migrate(connection, version)
                result = change(connection)
                connection.execute("COMMIT")
            except BaseException:
                # ROLLBACK can itself fail if SQLite already rolled back (e.g. on SQLITE_FULL).
                with contextlib.suppress(sqlite3.Error):
                    connection.execute("ROLLBACK")
                raise
        return result

    @contextlib.contextmanager
    def translate_errors(self, *, writing: bool) -> Iterator[None]:
        """Turn SQLite's errors into jsscheck's documented exit codes (73, 74, 75)."""
        try:
            yield
        except sqlite3.Error as error:
            raise _translate(error, self.path, writing=writing) from error

    # -- opening ---------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        """Open an existing file, having made sure from its bytes alone that it is ours."""
        check_file(self.path)
        # mode=rw: never create the file here (creation is `_create_file`'s job, with 0600).
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so one write is one transaction.
        uri = "file:" + _uri_path(self.path) + "?mode=rw"
        with self.translate_errors(writing=False):
            connection = sqlite3.connect(
                uri, uri=True, timeout=self.busy_timeout, isolation_level=None
            )
        try:
            with self.translate_errors(writing=False):
                # One read transaction: another jsscheck's first commit is seen wholly or not
                # at all by the identity reads (its COMMIT waits for our shared lock).
                connection.execute("BEGIN")
                try:
                    self._check_identity(connection)
                finally:
                    connection.execute("COMMIT")
                # A damaged store is refused by every command, not only by writes (SQLite
                # writing into a corrupt b-tree can make the damage worse, and a read served
                # from an intact index would hide it). The store is small: milliseconds.
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

    def _check_identity(self, connection: sqlite3.Connection) -> int:
        """Refuse a database that is not a jsscheck store or is from a newer jsscheck.

        The caller holds a transaction, so the three reads see one state of the file.
        Returns the schema version (0: an empty file another jsscheck has just created).
        """
        application_id = int(connection.execute("PRAGMA application_id").fetchone()[0])
        _between_identity_reads()
        version = _schema_version(connection)
        tables = int(connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
        if application_id == 0 and version == 0 and tables == 0:
            # The file exists between `os.open` and its first commit: ours to initialise.
            return 0
        if application_id != APPLICATION_ID:
            raise _not_ours(self.path, "a SQLite database of another program")
        if version > SCHEMA_VERSION:
            raise _newer(self.path, version)
        return version

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


def _exists(path: Path) -> bool:
    """Whether anything is at `path` (a dangling symlink counts: SQLite must not create it)."""
    return os.path.lexists(path)


def _schema_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


# -- deciding from the bytes -----------------------------------------------------------------


def check_file(path: Path) -> None:
    """Refuse, without SQLite opening anything, a file that is not provably a jsscheck store.

    Reads the 100-byte header with a non-blocking plain ``open`` (a FIFO never hangs it) and
    looks beside the file for a ``-wal`` (jsscheck never uses WAL). An empty file is a store
    another jsscheck is creating. Raises `IOFailure` (74) naming the path and what to do.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except IsADirectoryError as error:  # pragma: no cover - Linux opens directories
        raise _directory(path) from error
    except OSError as error:
        raise IOFailure(
            f"cannot read the snapshot store {path}: {error.strerror or error}",
            hint="check its permissions, or pass --store PATH to use another store",
        ) from error
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise _directory(path)
        if not stat.S_ISREG(mode):
            raise _not_regular(path, mode)
        header = os.read(descriptor, _HEADER_SIZE)
    except OSError as error:
        raise IOFailure(
            f"cannot read the snapshot store {path}: {error.strerror or error}",
            hint="check its permissions, or pass --store PATH to use another store",
        ) from error
    finally:
        os.close(descriptor)
    wal = _sibling(path, "-wal")
    if not header:
        if _has_content(wal):
            raise _not_ours(path, "an empty file beside the write-ahead log of another program")
        return
    if len(header) < _HEADER_SIZE or not header.startswith(_SQLITE_MAGIC):
        raise _not_ours(path, "not a SQLite database")
    application_id = int.from_bytes(header[_APPLICATION_ID_OFFSET : _APPLICATION_ID_OFFSET + 4])
    user_version = int.from_bytes(header[_USER_VERSION_OFFSET : _USER_VERSION_OFFSET + 4])
    if application_id != APPLICATION_ID:
        # A store of ours carries its id from its first commit on; before that the file is
        # empty. So a non-empty file without our id is another program's, with its journal.
        wal_mode = any(header[offset] == 2 for offset in _FORMAT_VERSION_OFFSETS)
        kind = "in write-ahead-log mode" if wal_mode or _has_content(wal) else ""
        raise _not_ours(path, f"a SQLite database of another program{' ' if kind else ''}{kind}")
    if user_version > SCHEMA_VERSION:
        raise _newer(path, user_version)


def _sibling(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _has_content(path: Path) -> bool:
    try:
        return os.stat(path).st_size > 0
    except OSError:
        return False


def _uri_path(path: Path) -> str:
    """`path` made absolute and escaped for a ``file:`` URI (``?`` and ``#`` are special)."""
    text = str(path.absolute())
    return re.sub(r"[%?#]", lambda match: f"%{ord(match.group()):02X}", text)


# -- migrations ------------------------------------------------------------------------------


def _migrate(connection: sqlite3.Connection, version: int) -> None:
    """Bring the store from `version` to SCHEMA_VERSION; the caller holds the transaction."""
    if version == 0:
        # A new store: claim it before anything else, so it is recognised as ours.
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    for target in range(version + 1, SCHEMA_VERSION + 1):
        for statement in statements(MIGRATIONS[target]):
            connection.execute(statement)
        # user_version lives in the database header, so it commits or rolls back with the rest.
        connection.execute(f"PRAGMA user_version = {target}")


def statements(script: str) -> list[str]:
    """The statements of `script`, to run one by one inside an open transaction.

    (``executescript()`` would COMMIT the open transaction first.)
    """
    return [statement.strip() for statement in script.split(";") if statement.strip()]


# -- errors ----------------------------------------------------------------------------------


def _translate(error: sqlite3.Error, path: Path, *, writing: bool) -> Exception:
    code: Any = getattr(error, "sqlite_errorcode", None)
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


def _newer(path: Path, version: int) -> IOFailure:
    return IOFailure(
        f"the snapshot store {path} was written by a newer jsscheck "
        f"(store schema {version}; this jsscheck knows up to {SCHEMA_VERSION})",
        hint="upgrade jsscheck, or pass --store PATH to use another store; "
        "the store was left untouched",
    )


def _directory(path: Path) -> IOFailure:
    return IOFailure(
        f"the snapshot store {path} is a directory",
        hint=f"pass --store PATH with a file name, e.g. --store '{path / 'snapshots.sqlite'}'",
    )


def _not_regular(path: Path, mode: int) -> IOFailure:
    if stat.S_ISFIFO(mode):
        what = "a named pipe"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "a device"
    elif stat.S_ISSOCK(mode):
        what = "a socket"
    else:
        what = "not a regular file"
    return IOFailure(
        f"{path} is not a jsscheck snapshot store (it is {what}, not a regular file)",
        hint="pass --store PATH (or set JSSCHECK_STORE) with the name of a regular file, "
        "e.g. --store ~/jsscheck/snapshots.sqlite; it was left untouched",
    )


__all__ = [
    "APPLICATION_ID",
    "DEFAULT_BUSY_TIMEOUT",
    "MIGRATIONS",
    "SCHEMA_V1",
    "SCHEMA_VERSION",
    "Database",
    "check_file",
    "default_store_path",
    "statements",
]
