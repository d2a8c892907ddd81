"""The snapshot store: semantics, durability under concurrency and crashes, refusal of files
that are not ours, permissions, migration, and CSV export (CLI.md, "The snapshot store")."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from jsscheck.errors import IOFailure, OutputError, StoreBusyError, UsageError
from jsscheck.render.csvsafe import safe_cell, writer
from jsscheck.render.snapshots import csv_table, snapshot_json
from jsscheck.store import sqlite as store_module
from jsscheck.store.document import snapshot_from_document
from jsscheck.store.snapshots import Snapshot, SnapshotStore
from jsscheck.store.sqlite import (
    APPLICATION_ID,
    SCHEMA_V1,
    SCHEMA_VERSION,
    default_store_path,
)

SHA = "ab" * 32


@pytest.fixture(autouse=True)
def _hermetic_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never touch the real user data directory."""
    path = tmp_path / "default-store" / "snapshots.sqlite"
    monkeypatch.setenv("JSSCHECK_STORE", str(path))
    return path


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "snapshots.sqlite"


def score_document(as_of: str = "2026-11-21", jss: int | None = 84, score: float = 83.87) -> dict:
    best = {"candidate": "12m", "score": score} if jss is not None else None
    return {
        "schema": "jsscheck.score/1",
        "as_of": as_of,
        "computed_on": as_of,
        "rules": {"name": "upwork", "fingerprint": "0123456789ab", "params": {}},
        "jss": jss,
        "best": best,
        "candidates": {
            "3m": {"eligible": False, "score": None},
            "6m": {"eligible": True, "score": 90.5},
            "12m": {"eligible": jss is not None, "score": score if jss is not None else None},
            "24m": {"eligible": True, "score": 80.25},
            "trending": {"eligible": False, "score": None},
        },
        "contracts": [],
        "warnings": [],
    }


def make_snapshot(
    as_of: str = "2026-11-21",
    *,
    profile: str = "default",
    jss: int | None = 84,
    score: float = 83.87,
    observed: int | None = None,
) -> Snapshot:
    return snapshot_from_document(
        score_document(as_of, jss, score),
        source_sha256=SHA,
        profile=profile,
        observed_jss=observed,
        taken_at="2026-11-21T06:55:00Z",
    )


def run_child(code: str, *args: str, **kwargs: Any) -> subprocess.Popen[str]:
    """A real second process running `code` (with the store module imported)."""
    script = (
        "import sys, json, time\nfrom jsscheck.store import *\n"
        "from jsscheck.store.sqlite import *\n"
    )
    script += textwrap.dedent(code)
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def sidecar_files(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name != path.name)


# -- where the store lives ---------------------------------------------------------------------


def test_default_store_path_follows_jsscheck_store(_hermetic_store: Path) -> None:
    assert default_store_path() == _hermetic_store
    assert SnapshotStore().path == _hermetic_store


def test_default_store_path_without_override_is_the_user_data_dir(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import platformdirs

    monkeypatch.delenv("JSSCHECK_STORE")
    expected = Path(platformdirs.user_data_dir("jsscheck")) / "snapshots.sqlite"
    assert default_store_path() == expected


# -- semantics ---------------------------------------------------------------------------------


def test_reading_a_missing_store_does_not_create_it(store_path: Path) -> None:
    with SnapshotStore(store_path) as store:
        assert store.list() == []
        assert store.latest("default") is None
        assert store.profiles() == []
        with pytest.raises(UsageError, match="no snapshots yet"):
            store.get(1)
        with pytest.raises(UsageError):
            store.forget(1)
    assert not store_path.parent.exists()


def test_add_returns_the_snapshot_with_its_id_and_get_reads_it_back(store_path: Path) -> None:
    with SnapshotStore(store_path) as store:
        added = store.add(make_snapshot(observed=83))
        assert added.id == 1
        got = store.get(1)
    assert got == added
    assert got.windows == {"3m": None, "6m": 90.5, "12m": 83.87, "24m": 80.25, "trending": None}
    assert got.document == score_document()
    assert (got.jss, got.best_candidate, got.best_score, got.observed_jss) == (84, "12m", 83.87, 83)


def test_list_orders_by_as_of_then_id_and_filters_by_profile(store_path: Path) -> None:
    with SnapshotStore(store_path) as store:
        store.add(make_snapshot("2026-11-21"))
        store.add(make_snapshot("2026-11-07"))
        store.add(make_snapshot("2026-11-14", profile="agency"))
        store.add(make_snapshot("2026-11-07", profile="agency"))
        assert [(s.id, s.as_of) for s in store.list()] == [
            (2, "2026-11-07"),
            (4, "2026-11-07"),
            (3, "2026-11-14"),
            (1, "2026-11-21"),
        ]
        assert [s.id for s in store.list("default")] == [2, 1]
        assert [s.id for s in store.list("agency")] == [4, 3]
        assert store.profiles() == ["agency", "default"]


def test_latest_and_previous_stay_within_the_profile(store_path: Path) -> None:
    with SnapshotStore(store_path) as store:
        first = store.add(make_snapshot("2026-11-07", jss=90, score=90.2))
        store.add(make_snapshot("2026-11-10", profile="agency"))
        second = store.add(make_snapshot("2026-11-14", jss=87, score=86.6))
        third = store.add(make_snapshot("2026-11-21", jss=84, score=83.87))
        assert store.latest("default") == third
        assert store.latest("nobody") is None
        assert store.previous(third) == second
        assert store.previous(second) == first
        assert store.previous(first) is None


def test_unknown_id_names_the_ids_that_exist(store_path: Path) -> None:
    with SnapshotStore(store_path) as store:
        store.add(make_snapshot("2026-11-14"))
        store.add(make_snapshot("2026-11-21"))
        with pytest.raises(UsageError) as caught:
            store.get(7)
    assert caught.value.exit_code == 2
    assert "the ids are 1, 2" in caught.value.message
    assert "jsscheck snapshots list" in (caught.value.hint or "")


def test_forget_deletes_one_snapshot_and_its_id_is_never_reused(store_path: Path) -> None:
    with SnapshotStore(store_path) as store:
        store.add(make_snapshot("2026-11-07"))
        store.add(make_snapshot("2026-11-14"))
        forgotten = store.forget(2)
        assert forgotten.id == 2
        assert forgotten.snapshot is not None and forgotten.snapshot.as_of == "2026-11-14"
        assert [s.id for s in store.list()] == [1]
        with pytest.raises(UsageError, match="the ids are 1"):
            store.forget(2)
        assert store.add(make_snapshot("2026-11-21")).id == 3


def test_snapshot_document_has_every_key_and_the_change_since_the_previous(
    store_path: Path,
) -> None:
    with SnapshotStore(store_path) as store:
        first = store.add(make_snapshot("2026-11-14", jss=87, score=86.5))
        second = store.add(make_snapshot("2026-11-21", jss=84, score=83.75, observed=85))
        document = snapshot_json(second, store.previous(second))
        assert snapshot_json(first, store.previous(first))["change_since_previous"] is None
    assert document == {
        "schema": "jsscheck.snapshot/1",
        "id": 2,
        "profile": "default",
        "taken_at": "2026-11-21T06:55:00Z",
        "as_of": "2026-11-21",
        "rules": {"name": "upwork", "fingerprint": "0123456789ab"},
        "jss": 84,
        "best": {"candidate": "12m", "score": 83.75},
        "observed_jss": 85,
        "change_since_previous": {
            "previous_id": 1,
            "since": "2026-11-14",
            "jss": -3,
            "score": -2.75,
        },
        "source_sha256": SHA,
        "warnings": [],  # Upwork's 85% is 1 point from the computed 84%: they agree
    }
    json.dumps(document)


def test_a_snapshot_without_a_score_has_no_best_and_no_change(store_path: Path) -> None:
    with SnapshotStore(store_path) as store:
        store.add(make_snapshot("2026-11-14"))
        none = store.add(make_snapshot("2026-11-21", jss=None))
        document = snapshot_json(none, store.previous(none))
    assert document["jss"] is None
    assert document["best"] is None
    assert document["change_since_previous"]["jss"] is None
    assert document["change_since_previous"]["score"] is None


def test_taken_at_defaults_to_now_in_utc() -> None:
    snapshot = snapshot_from_document(score_document(), source_sha256=SHA)
    assert len(snapshot.taken_at) == 20
    assert snapshot.taken_at.endswith("Z")
    assert snapshot.taken_at[10] == "T"


# -- permissions -------------------------------------------------------------------------------


def test_new_store_directory_is_0700_and_file_0600(store_path: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        with SnapshotStore(store_path) as store:
            store.add(make_snapshot())
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(store_path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(store_path.stat().st_mode) == 0o600
    assert sidecar_files(store_path) == []


def test_store_file_is_never_chmod_ed(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the store must be created with its mode, not chmod-ed")

    monkeypatch.setattr(os, "chmod", refuse)
    monkeypatch.setattr(os, "fchmod", refuse)
    monkeypatch.setattr(Path, "chmod", refuse)
    with SnapshotStore(store_path) as store:
        store.add(make_snapshot())
    assert stat.S_IMODE(store_path.stat().st_mode) == 0o600


def test_an_existing_directory_keeps_its_mode(tmp_path: Path) -> None:
    directory = tmp_path / "shared"
    directory.mkdir(mode=0o755)
    os.chmod(directory, 0o755)
    with SnapshotStore(directory / "s.sqlite") as store:
        store.add(make_snapshot())
    assert stat.S_IMODE(directory.stat().st_mode) == 0o755


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_an_unwritable_location_is_an_output_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        with pytest.raises(OutputError) as caught, SnapshotStore(locked / "s.sqlite") as store:
            store.add(make_snapshot())
    finally:
        os.chmod(locked, 0o700)
    assert caught.value.exit_code == 73
    assert "--store" in (caught.value.hint or "")


def test_a_store_path_under_a_file_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    with pytest.raises(OutputError) as caught, SnapshotStore(blocker / "s.sqlite") as store:
        store.add(make_snapshot())
    assert caught.value.exit_code == 73
    assert str(blocker) in caught.value.message


@pytest.mark.parametrize("failing", ["mkdir", "open"])
def test_a_permission_error_creating_the_store_is_an_output_error(
    store_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    # The same as a read-only directory, but also when the tests run as root.
    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    if failing == "mkdir":
        monkeypatch.setattr(Path, "mkdir", denied)
    else:
        monkeypatch.setattr(store_module.os, "open", denied)
    with pytest.raises(OutputError) as caught, SnapshotStore(store_path) as store:
        store.add(make_snapshot())
    assert "Permission denied" in caught.value.message


# -- files that are not ours are refused and left untouched ------------------------------------


def build_store(path: Path, count: int = 3) -> None:
    with SnapshotStore(path) as store:
        for day in range(count):
            store.add(make_snapshot(f"2026-11-{day + 1:02d}"))


def files_beside(path: Path) -> dict[str, bytes]:
    """The bytes of `path` and of every file beside it (its -journal, -wal, -shm)."""
    return {p.name: p.read_bytes() for p in sorted(path.parent.iterdir()) if p.is_file()}


def assert_refused_untouched(path: Path, *, match: str) -> IOFailure:
    """Every operation on `path` raises IOFailure (74) and leaves it and its siblings (journal,
    write-ahead log) byte-for-byte the same."""
    before = files_beside(path)
    operations = [
        lambda s: s.add(make_snapshot()),
        lambda s: s.list(),
        lambda s: s.latest("default"),
        lambda s: s.profiles(),
        lambda s: s.forget(1),
    ]
    failure: IOFailure | None = None
    for operation in operations:
        with pytest.raises(IOFailure, match=match) as caught, SnapshotStore(path) as store:
            operation(store)
        failure = caught.value
        assert failure.exit_code == 74
        assert str(path) in failure.message
        assert "left untouched" in (failure.hint or "")
        # No -journal, -wal or -shm created, removed or changed beside it.
        assert files_beside(path) == before
    assert failure is not None
    return failure


def test_a_file_that_is_not_sqlite_is_refused_and_untouched(store_path: Path) -> None:
    store_path.parent.mkdir()
    store_path.write_bytes(b"id,profile\n1,default\n" * 50)
    assert_refused_untouched(store_path, match="not a SQLite database")


def test_a_short_file_that_is_not_sqlite_is_refused_and_untouched(store_path: Path) -> None:
    store_path.parent.mkdir()
    store_path.write_bytes(b"SQLite")
    assert_refused_untouched(store_path, match="not a SQLite database")


@pytest.mark.parametrize("journal_mode", ["delete", "wal"])
def test_a_sqlite_file_of_another_program_is_refused_and_untouched(
    store_path: Path, journal_mode: str
) -> None:
    store_path.parent.mkdir()
    connection = sqlite3.connect(store_path)
    connection.execute(f"PRAGMA journal_mode = {journal_mode}")
    connection.execute("CREATE TABLE snapshot (id INTEGER PRIMARY KEY, note TEXT)")
    connection.execute("INSERT INTO snapshot (note) VALUES ('mine')")
    connection.commit()
    connection.close()
    failure = assert_refused_untouched(store_path, match="not a jsscheck snapshot store")
    assert "--store" in (failure.hint or "")
    # The header still says what the other program set: we changed no pragma of it.
    connection = sqlite3.connect(store_path)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == journal_mode
    connection.close()


def test_a_sqlite_file_with_another_application_id_is_refused(store_path: Path) -> None:
    store_path.parent.mkdir()
    connection = sqlite3.connect(store_path)
    connection.execute("PRAGMA application_id = 1234")
    connection.commit()
    connection.close()
    assert_refused_untouched(store_path, match="not a jsscheck snapshot store")


def test_a_store_from_a_newer_jsscheck_is_refused(store_path: Path) -> None:
    build_store(store_path, 1)
    connection = sqlite3.connect(store_path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.commit()
    connection.close()
    failure = assert_refused_untouched(store_path, match="newer jsscheck")
    assert "upgrade" in (failure.hint or "")


def test_a_corrupt_store_is_refused_and_untouched(store_path: Path) -> None:
    build_store(store_path, 3)
    data = bytearray(store_path.read_bytes())
    page_size = int.from_bytes(data[16:18])
    # Scribble over the second page (a b-tree page of the schema) but keep the header: the file
    # still looks like our store until SQLite reads it.
    data[page_size : page_size + 64] = b"\xde\xad\xbe\xef" * 16
    store_path.write_bytes(bytes(data))
    failure = assert_refused_untouched(store_path, match="damaged")
    assert "move it aside" in (failure.hint or "")


def test_a_truncated_store_is_refused_and_untouched(store_path: Path) -> None:
    with SnapshotStore(store_path) as store:
        for day in range(1, 20):
            big = make_snapshot(f"2026-11-{day:02d}")
            store.add(Snapshot(**{**big.__dict__, "document": {"pad": "x" * 5000}}))
    data = store_path.read_bytes()
    store_path.write_bytes(data[: len(data) // 2])
    with pytest.raises(IOFailure, match="damaged"), SnapshotStore(store_path) as store:
        store.add(make_snapshot())
    assert store_path.read_bytes() == data[: len(data) // 2]
    assert sidecar_files(store_path) == []


def test_a_directory_in_place_of_the_store_is_refused(store_path: Path) -> None:
    store_path.mkdir(parents=True)
    with pytest.raises(IOFailure, match="is a directory"), SnapshotStore(store_path) as store:
        store.list()


def test_an_empty_file_becomes_a_store(store_path: Path) -> None:
    # What another jsscheck leaves for an instant between creating the file and its first commit.
    store_path.parent.mkdir()
    store_path.touch()
    with SnapshotStore(store_path) as store:
        assert store.list() == []
        assert store.add(make_snapshot()).id == 1


def test_the_store_carries_its_application_id_and_schema_version(store_path: Path) -> None:
    build_store(store_path, 1)
    connection = sqlite3.connect(store_path)
    assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    connection.close()


# -- migration ---------------------------------------------------------------------------------


def build_v1_store(path: Path) -> None:
    """A store as jsscheck wrote it with schema version 1 (no observed_jss, no source_sha256)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN")
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    for statement in SCHEMA_V1.split(";"):
        if statement.strip():
            connection.execute(statement)
    connection.execute("PRAGMA user_version = 1")
    for day in ("07", "14"):
        connection.execute(
            "INSERT INTO snapshot (profile, taken_at, as_of, rules_name, rules_fingerprint, jss, "
            "best_candidate, best_score, windows, document) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                "default",
                f"2026-11-{day}T06:00:00Z",
                f"2026-11-{day}",
                "upwork",
                "0123456789ab",
                88,
                "12m",
                87.5,
                json.dumps({"12m": 87.5, "24m": None}),
                json.dumps(score_document(f"2026-11-{day}", 88, 87.5)),
            ),
        )
    connection.execute("COMMIT")
    connection.close()


def stored_version_and_columns(path: Path) -> tuple[int, list[str]]:
    connection = sqlite3.connect(path)
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    columns = [row[1] for row in connection.execute("PRAGMA table_info(snapshot)")]
    connection.close()
    return version, columns


def test_a_version_1_store_is_read_as_it_is(store_path: Path) -> None:
    build_v1_store(store_path)
    before = store_path.read_bytes()
    with SnapshotStore(store_path) as store:
        snapshots = store.list()
    assert [(s.id, s.jss, s.observed_jss, s.source_sha256) for s in snapshots] == [
        (1, 88, None, None),
        (2, 88, None, None),
    ]
    assert store_path.read_bytes() == before  # reading needs no write access, so no migration


def test_a_version_1_store_is_migrated_in_place_by_the_first_write(store_path: Path) -> None:
    build_v1_store(store_path)
    with SnapshotStore(store_path) as store:
        added = store.add(make_snapshot("2026-11-21", observed=82))
        snapshots = store.list()
    assert added.id == 3
    version, columns = stored_version_and_columns(store_path)
    assert version == SCHEMA_VERSION
    assert {"observed_jss", "source_sha256"} <= set(columns)
    assert [(s.id, s.observed_jss, s.source_sha256) for s in snapshots] == [
        (1, None, None),
        (2, None, None),
        (3, 82, SHA),
    ]
    assert snapshots[0].windows == {"12m": 87.5, "24m": None}
    assert stat.S_IMODE(store_path.stat().st_mode) == 0o600


def test_a_failing_migration_leaves_the_store_at_its_old_version(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_v1_store(store_path)
    broken = store_module.MIGRATIONS[2] + "\nALTER TABLE no_such_table ADD COLUMN x INTEGER;"
    monkeypatch.setitem(store_module.MIGRATIONS, 2, broken)
    with pytest.raises(IOFailure), SnapshotStore(store_path) as store:
        store.add(make_snapshot())
    version, columns = stored_version_and_columns(store_path)
    assert version == 1
    assert "observed_jss" not in columns  # the first ALTER was rolled back with the rest
    with SnapshotStore(store_path) as store:
        assert len(store.list()) == 2


def test_a_new_store_is_built_by_the_same_migrations(store_path: Path) -> None:
    build_store(store_path, 1)
    fresh_version, fresh_columns = stored_version_and_columns(store_path)
    migrated = store_path.with_name("migrated.sqlite")
    build_v1_store(migrated)
    with SnapshotStore(migrated) as store:
        store.add(make_snapshot())
    assert stored_version_and_columns(migrated) == (fresh_version, fresh_columns)


# -- export ------------------------------------------------------------------------------------


def test_export_rows_have_every_window_as_a_column(store_path: Path) -> None:
    with SnapshotStore(store_path) as store:
        store.add(make_snapshot("2026-11-14", observed=85))
        store.add(make_snapshot("2026-11-21", jss=None))
        header, rows = csv_table(store.list())
    assert header == [
        "id",
        "profile",
        "taken_at",
        "as_of",
        "rules",
        "fingerprint",
        "jss",
        "best",
        "score",
        "3m",
        "6m",
        "12m",
        "24m",
        "trending",
        "observed_jss",
    ]
    first, second = (dict(zip(header, row, strict=True)) for row in rows)
    assert first["12m"] == 83.87
    assert first["observed_jss"] == 85
    assert second["jss"] is None
    assert second["best"] is None


def test_export_csv_neutralises_formula_like_text_but_keeps_numbers(store_path: Path) -> None:
    with SnapshotStore(store_path) as store:
        store.add(make_snapshot(profile="=cmd|' /C calc'!A0", jss=84))
        for profile in ("+1", "-2", "@SUM(A1)", "\tx", "\rx", "plain"):
            store.add(make_snapshot(profile=profile))
        header, rows = csv_table(store.list())
    header += ["delta", "ratio"]
    rows = [row + ([-3, -0.5] if n == 0 else [None, None]) for n, row in enumerate(rows)]
    stream = io.StringIO()
    out = writer(stream)
    out.writerow(header)
    out.writerows([safe_cell(cell) for cell in row] for row in rows)
    import csv

    parsed = list(csv.DictReader(io.StringIO(stream.getvalue())))
    profiles = [row["profile"] for row in parsed]
    assert profiles == ["'=cmd|' /C calc'!A0", "'+1", "'-2", "'@SUM(A1)", "'\tx", "'\rx", "plain"]
    assert parsed[0]["delta"] == "-3"  # numbers are written as numbers, unprefixed
    assert parsed[0]["ratio"] == "-0.5"
    assert parsed[0]["jss"] == "84"
    assert parsed[0]["score"] == "83.87"
    assert parsed[0]["3m"] == ""  # None is an empty cell
    assert parsed[1]["delta"] == ""


# -- two processes at once, a lock held elsewhere, a crash mid-write ---------------------------

# A child that adds `count` snapshots as soon as the go-file appears, printing each id, and
# exits 75 (like the CLI) when the store stays busy past its timeout.
ADDER = """
import os
from jsscheck.errors import StoreBusyError
path, count, timeout, go, label, document = sys.argv[1:]
document = json.loads(document)
print("ready", flush=True)
while not os.path.exists(go):
    time.sleep(0.001)
with SnapshotStore(path, busy_timeout=float(timeout)) as store:
    for n in range(int(count)):
        # One snapshot per profile per day: each of this child's snapshots is of another day.
        document["as_of"] = f"2027-01-{n + 1:02d}"
        snapshot = snapshot_from_document(document, source_sha256="cd" * 32, profile=label)
        try:
            added = store.add(snapshot)
        except StoreBusyError as error:
            print(json.dumps({"busy": error.message}), flush=True)
            sys.exit(75)
        print(json.dumps({"ok": added.id}), flush=True)
"""


def start_adders(
    path: Path, tmp_path: Path, *, processes: int, count: int, timeout: float
) -> list[subprocess.Popen[str]]:
    go = tmp_path / "go"
    document = json.dumps(score_document())
    children = [
        run_child(ADDER, str(path), str(count), str(timeout), str(go), f"cron{i}", document)
        for i in range(processes)
    ]
    for child in children:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
    go.touch()  # both start writing at the same moment
    return children


def finish(child: subprocess.Popen[str]) -> tuple[int, list[dict[str, Any]]]:
    stdout, stderr = child.communicate(timeout=30)
    assert child.returncode in (0, 75), stderr
    return child.returncode, [json.loads(line) for line in stdout.splitlines() if line]


def assert_intact(path: Path) -> list[int]:
    """`PRAGMA integrity_check` is ok and no journal is left; return the stored ids."""
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    ids = [row[0] for row in connection.execute("SELECT id FROM snapshot ORDER BY id")]
    connection.close()
    assert sidecar_files(path) == []
    return ids


@pytest.mark.parametrize("store_exists", [True, False], ids=["existing", "new"])
def test_two_processes_writing_at_once_both_succeed(
    store_path: Path, tmp_path: Path, store_exists: bool
) -> None:
    if store_exists:
        build_store(store_path, 2)
    children = start_adders(store_path, tmp_path, processes=2, count=10, timeout=10.0)
    results = [finish(child) for child in children]
    assert [code for code, _ in results] == [0, 0]
    added = [line["ok"] for _, lines in results for line in lines]
    assert len(added) == len(set(added)) == 20
    ids = assert_intact(store_path)
    assert set(added) <= set(ids)
    assert len(ids) == 20 + (2 if store_exists else 0)
    assert stat.S_IMODE(store_path.stat().st_mode) == 0o600


def test_two_processes_with_a_short_timeout_each_succeed_or_exit_75(
    store_path: Path, tmp_path: Path
) -> None:
    build_store(store_path, 1)
    children = start_adders(store_path, tmp_path, processes=2, count=15, timeout=0.01)
    results = [finish(child) for child in children]
    ids = assert_intact(store_path)
    for code, lines in results:
        assert all("ok" in line for line in lines[:-1])
        assert (code == 75) == ("busy" in lines[-1])
    added = [line["ok"] for _, lines in results for line in lines if "ok" in line]
    assert sorted(ids) == sorted([1, *added])  # every reported success is there, nothing else


# Holds the store's lock like a jsscheck that is slow to finish, until its stdin closes.
LOCK_HOLDER = """
import sqlite3
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN " + sys.argv[2])
connection.execute("SELECT count(*) FROM snapshot").fetchall()
print("locked", flush=True)
sys.stdin.read()
connection.execute("ROLLBACK")
"""


@pytest.mark.parametrize("lock", ["IMMEDIATE", "EXCLUSIVE"])
def test_writers_exit_75_while_another_process_holds_the_store(
    store_path: Path, tmp_path: Path, lock: str
) -> None:
    build_store(store_path, 2)
    holder = run_child(LOCK_HOLDER, str(store_path), lock, stdin=subprocess.PIPE)
    assert holder.stdout is not None and holder.stdin is not None
    try:
        assert holder.stdout.readline().strip() == "locked"
        children = start_adders(store_path, tmp_path, processes=2, count=1, timeout=0.2)
        results = [finish(child) for child in children]
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    for code, lines in results:
        assert code == 75
        assert "busy" in lines[-1]["busy"]
    assert assert_intact(store_path) == [1, 2]
    with SnapshotStore(store_path, busy_timeout=0.2) as store:
        assert store.add(make_snapshot()).id == 3  # free again once the holder is gone


def test_a_busy_store_raises_store_busy_error_in_process(store_path: Path) -> None:
    build_store(store_path, 1)
    holder = sqlite3.connect(store_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        with (
            pytest.raises(StoreBusyError) as caught,
            SnapshotStore(store_path, busy_timeout=0.1) as store,
        ):
            store.add(make_snapshot())
        assert time.monotonic() - started < 5
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert caught.value.exit_code == 75
    assert str(store_path) in caught.value.message
    assert "try again later" in (caught.value.hint or "")


# A jsscheck that is inside its write transaction (row inserted, store file already changed by a
# cache spill, journal hot) when it is killed.
KILLED_WRITER = """
import jsscheck.store.snapshots as store_module
insert = store_module._insert

def insert_then_hang(connection, snapshot):
    connection.execute("PRAGMA cache_size = 1")  # spill to the store file before COMMIT
    new_id = insert(connection, snapshot)
    print("inside", new_id, flush=True)
    time.sleep(60)
    return new_id

store_module._insert = insert_then_hang
document = json.loads(sys.argv[2])
document["padding"] = "x" * 2_000_000
with SnapshotStore(sys.argv[1]) as store:
    store.add(snapshot_from_document(document, source_sha256="ef" * 32))
"""


@pytest.mark.parametrize("day", ["2026-12-01", "2026-11-03"], ids=["new-day", "replacing"])
def test_a_writer_killed_mid_write_leaves_the_earlier_snapshots_intact(
    store_path: Path, day: str
) -> None:
    # "replacing": the killed write had already deleted the snapshot of 2026-11-03 it replaces.
    build_store(store_path, 3)
    with SnapshotStore(store_path) as store:
        before = store.list()
    before_bytes = store_path.read_bytes()
    child = run_child(KILLED_WRITER, str(store_path), json.dumps(score_document(day)))
    assert child.stdout is not None
    try:
        assert child.stdout.readline().split() == ["inside", "4"]
        # The crash hits a store that is genuinely half-written, with its journal beside it.
        assert (store_path.parent / (store_path.name + "-journal")).exists()
        assert store_path.read_bytes() != before_bytes
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=10)
    assert child.returncode == -signal.SIGKILL
    with SnapshotStore(store_path) as store:
        assert store.list() == before
        assert store.add(make_snapshot("2026-12-01")).id == 4
    assert assert_intact(store_path) == [1, 2, 3, 4]


# -- one snapshot per profile per as-of date (issue 19) ----------------------------------------


def test_a_rerun_for_the_same_day_replaces_the_snapshot_and_keeps_the_observed_jss(
    store_path: Path,
) -> None:
    with SnapshotStore(store_path) as store:
        store.add(make_snapshot("2026-11-14"))
        first = store.save(make_snapshot("2026-11-21", jss=84, observed=85))
        assert (first.snapshot.id, first.replaced_id) == (2, None)
        # Rerun without --observed: the 85 Upwork showed that day is kept.
        rerun = store.save(make_snapshot("2026-11-21", jss=83, score=82.9))
        assert (rerun.snapshot.id, rerun.replaced_id) == (3, 2)
        assert (rerun.snapshot.jss, rerun.snapshot.observed_jss) == (83, 85)
        # Rerun with a new --observed: the new one wins.
        again = store.save(make_snapshot("2026-11-21", jss=83, score=82.9, observed=86))
        assert (again.snapshot.id, again.replaced_id, again.snapshot.observed_jss) == (4, 3, 86)
        # Another profile's snapshot of the same day is its own.
        other = store.save(make_snapshot("2026-11-21", profile="agency"))
        assert other.replaced_id is None
        assert [(s.id, s.profile, s.as_of, s.observed_jss) for s in store.list()] == [
            (1, "default", "2026-11-14", None),
            (4, "default", "2026-11-21", 86),
            (5, "agency", "2026-11-21", None),
        ]
        assert store.get(4) == again.snapshot
        with pytest.raises(UsageError, match="the ids are 1, 4, 5"):
            store.get(2)  # a replaced id is gone, never reused


def build_v2_store(path: Path, rows: list[tuple[str, str, int | None]]) -> None:
    """A store as jsscheck wrote it with schema version 2, which allowed several snapshots of
    one profile and day; `rows` are (profile, as_of, observed_jss), stored with ids 1, 2, ..."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN")
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    for version in (1, 2):
        for statement in store_module.statements(store_module.MIGRATIONS[version]):
            connection.execute(statement)
    connection.execute("PRAGMA user_version = 2")
    for n, (profile, as_of, observed) in enumerate(rows, start=1):
        connection.execute(
            "INSERT INTO snapshot (profile, taken_at, as_of, rules_name, rules_fingerprint, jss, "
            "best_candidate, best_score, windows, observed_jss, source_sha256, document) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                profile,
                f"2026-11-21T06:{n:02d}:00Z",
                as_of,
                "upwork",
                "0123456789ab",
                80 + n,
                "12m",
                80.0 + n,
                json.dumps({"12m": 80.0 + n}),
                observed,
                SHA,
                json.dumps(score_document(as_of, 80 + n, 80.0 + n)),
            ),
        )
    connection.execute("COMMIT")
    connection.close()


V2_ROWS: list[tuple[str, str, int | None]] = [
    ("default", "2026-11-07", 85),  # 1
    ("default", "2026-11-07", None),  # 2
    ("default", "2026-11-14", None),  # 3: alone on its day
    ("agency", "2026-11-07", None),  # 4: another profile, same day as 1, 2, 5
    ("default", "2026-11-07", None),  # 5: latest of 1, 2, 5; takes 1's observed 85
    ("default", "2026-11-21", 80),  # 6
    ("default", "2026-11-21", 82),  # 7: the latest observation of 6, 7, 8
    ("default", "2026-11-21", None),  # 8: latest of 6, 7, 8; takes 7's 82
    ("agency", "2026-11-14", 70),  # 9
    ("agency", "2026-11-14", 75),  # 10: latest, keeps its own 75
]


def test_a_version_2_store_keeps_the_latest_snapshot_per_profile_and_day(
    store_path: Path,
) -> None:
    build_v2_store(store_path, V2_ROWS)
    before = store_path.read_bytes()
    with SnapshotStore(store_path) as store:
        assert len(store.list()) == 10  # reading migrates nothing
    assert store_path.read_bytes() == before
    with SnapshotStore(store_path) as store:
        added = store.add(make_snapshot("2026-11-28"))
        kept = [(s.id, s.profile, s.as_of, s.jss, s.observed_jss) for s in store.list()]
    assert added.id == 11  # AUTOINCREMENT: the deleted duplicates' ids are never reused
    # jss = 80 + id (build_v2_store), so each kept row is recognisably the latest one.
    assert kept == [
        (4, "agency", "2026-11-07", 84, None),
        (5, "default", "2026-11-07", 85, 85),
        (3, "default", "2026-11-14", 83, None),
        (10, "agency", "2026-11-14", 90, 75),
        (8, "default", "2026-11-21", 88, 82),
        (11, "default", "2026-11-28", 84, None),
    ]
    assert stored_version_and_columns(store_path)[0] == SCHEMA_VERSION == 3
    connection = sqlite3.connect(store_path)
    with pytest.raises(sqlite3.IntegrityError):  # the store itself now refuses duplicates
        connection.execute(
            "INSERT INTO snapshot (profile, taken_at, as_of, rules_name, rules_fingerprint, "
            "windows, document) VALUES ('default', 'x', '2026-11-07', 'u', 'f', '{}', '{}')"
        )
    connection.close()
    assert assert_intact(store_path) == [3, 4, 5, 8, 10, 11]


def test_a_failing_deduplication_leaves_the_version_2_store_whole(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_v2_store(store_path, V2_ROWS)
    broken = store_module.MIGRATIONS[3] + "\nUPDATE no_such_table SET x = 1;"
    monkeypatch.setitem(store_module.MIGRATIONS, 3, broken)
    with pytest.raises(IOFailure), SnapshotStore(store_path) as store:
        store.add(make_snapshot("2026-11-28"))
    assert stored_version_and_columns(store_path)[0] == 2
    with SnapshotStore(store_path) as store:
        assert [s.id for s in store.list()] == [1, 2, 4, 5, 3, 9, 10, 6, 7, 8]
        assert store.get(1).observed_jss == 85  # the deletions were rolled back too


def test_a_version_1_store_with_duplicates_migrates_through_every_version(
    store_path: Path,
) -> None:
    build_v1_store(store_path)
    connection = sqlite3.connect(store_path)
    connection.execute(
        "INSERT INTO snapshot (profile, taken_at, as_of, rules_name, rules_fingerprint, jss, "
        "best_candidate, best_score, windows, document) SELECT profile, taken_at, as_of, "
        "rules_name, rules_fingerprint, 90, best_candidate, best_score, windows, document "
        "FROM snapshot WHERE id = 2"
    )
    connection.commit()
    connection.close()
    with SnapshotStore(store_path) as store:
        store.add(make_snapshot("2026-11-21"))
        assert [(s.id, s.as_of, s.jss) for s in store.list()] == [
            (1, "2026-11-07", 88),
            (3, "2026-11-14", 90),  # the copy (id 3) is the latest of the 14th
            (4, "2026-11-21", 84),
        ]


# -- another jsscheck creating the store at the same moment (issue 20, item 2) ------------------


def test_a_store_created_between_the_identity_reads_is_not_taken_for_a_foreign_one(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both processes find no store; this one creates the empty file and starts reading its
    # identity (application_id 0: empty). Between that read and the next, the other jsscheck
    # initialises the store and tries to commit. Read outside a transaction, this process would
    # then see application_id 0 with user_version 3 and exit 74 ("another program's database").
    # Read inside one, the other's COMMIT waits for this read to finish: it either succeeds or
    # gives up busy (75), and this process goes on to create the store itself.
    other: list[str] = []

    def other_jsscheck_commits() -> None:
        monkeypatch.setattr(store_module, "_between_identity_reads", lambda: None)
        try:
            with SnapshotStore(store_path, busy_timeout=0) as racer:
                racer.add(make_snapshot("2026-11-14", profile="racer"))
            other.append("stored")
        except StoreBusyError as error:
            assert error.exit_code == 75
            other.append("busy")

    monkeypatch.setattr(store_module, "_between_identity_reads", other_jsscheck_commits)
    with SnapshotStore(store_path) as store:
        added = store.add(make_snapshot("2026-11-21"))
        profiles = store.profiles()
    assert other in (["stored"], ["busy"])
    assert added.profile == "default"
    assert profiles == (["default", "racer"] if other == ["stored"] else ["default"])
    assert assert_intact(store_path) == ([1, 2] if other == ["stored"] else [1])


# -- a foreign database with a write-ahead log or a hot journal (issue 20, item 3) --------------

# Another program's database, left by a crash: with its committed rows still in the -wal (WAL
# mode, never checkpointed), or halfway through a transaction with a hot -journal.
FOREIGN_WAL = """
import os, sqlite3
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("PRAGMA journal_mode = WAL")
connection.execute("PRAGMA wal_autocheckpoint = 0")
connection.execute("CREATE TABLE notes (text TEXT)")
connection.execute("INSERT INTO notes VALUES ('mine')")
os._exit(0)
"""
FOREIGN_HOT_JOURNAL = """
import os, sqlite3
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("PRAGMA application_id = %s")
connection.execute("CREATE TABLE notes (text BLOB)")
connection.execute("INSERT INTO notes VALUES (randomblob(100000))")
connection.execute("PRAGMA cache_size = 1")
connection.execute("BEGIN")
connection.execute("UPDATE notes SET text = randomblob(100000)")
os._exit(0)
"""


@pytest.mark.parametrize(
    ("script", "sibling"),
    [
        (FOREIGN_WAL, "-wal"),
        (FOREIGN_HOT_JOURNAL % 0, "-journal"),
        (FOREIGN_HOT_JOURNAL % 1234, "-journal"),
    ],
    ids=["wal", "hot-journal", "hot-journal-with-an-id"],
)
def test_a_foreign_database_and_its_log_or_journal_stay_byte_identical(
    store_path: Path, script: str, sibling: str
) -> None:
    store_path.parent.mkdir()
    child = run_child(script, str(store_path))
    assert child.wait(timeout=30) == 0, child.communicate()[1]
    assert (store_path.parent / (store_path.name + sibling)).stat().st_size > 0
    failure = assert_refused_untouched(store_path, match="not a jsscheck snapshot store")
    assert "--store" in (failure.hint or "")


def test_an_empty_file_beside_a_foreign_write_ahead_log_is_refused(store_path: Path) -> None:
    store_path.parent.mkdir()
    store_path.touch()
    (store_path.parent / (store_path.name + "-wal")).write_bytes(b"\x37\x7f\x06\x82" + bytes(28))
    assert_refused_untouched(store_path, match="write-ahead log of another program")


# -- paths that are not regular files (issue 20, item 10) ---------------------------------------


@pytest.fixture
def alarm() -> Any:
    """Fail (instead of hanging the suite) when an operation blocks for 10 seconds."""

    def timed_out(signum: int, frame: object) -> None:
        raise TimeoutError("the store operation hung")

    previous = signal.signal(signal.SIGALRM, timed_out)
    signal.setitimer(signal.ITIMER_REAL, 10)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


def test_a_fifo_as_the_store_is_refused_without_hanging(store_path: Path, alarm: None) -> None:
    store_path.parent.mkdir()
    os.mkfifo(store_path)
    for operation in (
        lambda s: s.list(),
        lambda s: s.add(make_snapshot()),
        lambda s: s.forget(1),
    ):
        with (
            pytest.raises(IOFailure, match="named pipe") as caught,
            SnapshotStore(store_path) as store,
        ):
            operation(store)
        assert caught.value.exit_code == 74
        assert "regular file" in caught.value.message
        assert "--store" in (caught.value.hint or "")
    assert stat.S_ISFIFO(store_path.stat().st_mode)
    assert sidecar_files(store_path) == []


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
def test_dev_null_as_the_store_is_refused_and_gets_no_journal() -> None:
    journal = Path("/dev/null-journal")
    assert not journal.exists()
    for operation in (lambda s: s.add(make_snapshot()), lambda s: s.list()):
        with (
            pytest.raises(IOFailure, match="a device") as caught,
            SnapshotStore("/dev/null") as store,
        ):
            operation(store)
        assert caught.value.exit_code == 74
    assert not journal.exists()


# -- a damaged row (issue 20, item 6) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "what"),
    [
        ("document", "'{\"schema\": '", "score document"),
        ("document", "'[1, 2]'", "score document"),
        ("jss", "'eighty'", "JSS"),
        ("jss", "250", "JSS"),
        ("as_of", "'2026-13-45'", "as-of date"),
        ("observed_jss", "-4", "observed JSS"),
        ("windows", '\'{"12m": "high"}\'', "window scores"),
    ],
)
def test_a_damaged_row_is_an_io_error_naming_it_and_forget_removes_it(
    store_path: Path, column: str, value: str, what: str
) -> None:
    build_store(store_path, 3)
    connection = sqlite3.connect(store_path)
    connection.execute(f"UPDATE snapshot SET {column} = {value} WHERE id = 2")
    connection.commit()
    connection.close()
    with SnapshotStore(store_path) as store:
        third = store.get(3)
        # The query that meets row 2: "2026-13-45" sorts after the 3rd's date, so latest().
        neighbour = store.latest if column == "as_of" else lambda: store.previous(third)
        for operation in (lambda: store.list(), lambda: store.get(2), neighbour):
            with pytest.raises(IOFailure, match=f"snapshot 2 .* is damaged: its {what}") as caught:
                operation()
            assert caught.value.exit_code == 74
            assert "jsscheck snapshots forget 2" in (caught.value.hint or "")
        forgotten = store.forget(2)
        assert (forgotten.id, forgotten.snapshot) == (2, None)
        assert [s.id for s in store.list()] == [1, 3]


def test_an_id_beyond_sqlite_integers_is_an_unknown_id(store_path: Path) -> None:
    build_store(store_path, 1)
    with SnapshotStore(store_path) as store:
        for huge in (2**63, -(2**63) - 1, 10**30):
            with pytest.raises(UsageError, match="the ids are 1"):
                store.get(huge)
            with pytest.raises(UsageError, match="the ids are 1"):
                store.forget(huge)


# -- questions about snapshots, as data (analyses/snapshots.py) ---------------------------------


@pytest.mark.parametrize(
    ("computed", "observed", "expected"),
    [
        (84, None, None),  # nothing observed
        (84, 84, None),
        (84, 86, None),  # 86 − 84 = 2 < 3: agrees
        (84, 82, None),  # 82 − 84 = −2
        (84, 87, 3),  # 87 − 84 = 3: disagrees (MODEL.md 11: "3 points or more")
        (84, 81, -3),  # 81 − 84 = −3
        (62, 99, 37),
    ],
)
def test_disagreement_starts_at_3_points_either_way(
    computed: int, observed: int | None, expected: int | None
) -> None:
    from jsscheck.analyses.snapshots import Disagreement, disagreement

    found = disagreement(make_snapshot(jss=computed, observed=observed))
    if expected is None:
        assert found is None
    else:
        assert found == Disagreement(observed=observed or 0, computed=computed)
        assert found.points == expected


def test_upwork_showing_a_jss_where_the_model_has_none_is_a_disagreement() -> None:
    from jsscheck.analyses.snapshots import disagreement
    from jsscheck.render.snapshots import snapshot_warnings

    found = disagreement(make_snapshot(jss=None, observed=95))
    assert found is not None and (found.observed, found.computed, found.points) == (95, None, None)
    (warning,) = snapshot_warnings(make_snapshot(jss=None, observed=95))
    assert "Upwork shows 95% on 2026-11-21 but jsscheck computes no JSS" in warning
    assert "jsscheck calibrate" in warning


def test_alerts_trip_below_the_threshold_and_on_a_drop_only() -> None:
    from jsscheck.analyses.snapshots import BelowAlert, DropAlert, alerts

    before = make_snapshot("2026-11-14", jss=87)
    after = make_snapshot("2026-11-21", jss=84)
    assert alerts(after, before, fail_below=84, fail_on_drop=False) == ()  # 84 is not below 84
    assert alerts(after, before, fail_below=85, fail_on_drop=False) == (BelowAlert(84, 85),)
    assert alerts(after, before, fail_below=None, fail_on_drop=True) == (
        DropAlert(87, "2026-11-14", 84),
    )
    assert alerts(before, after, fail_below=None, fail_on_drop=True) == ()  # 87 ≥ 84: a rise
    assert alerts(after, None, fail_below=None, fail_on_drop=True) == ()  # nothing to drop from
    gone = make_snapshot("2026-11-21", jss=None)
    assert alerts(gone, before, fail_below=90, fail_on_drop=True) == (
        DropAlert(87, "2026-11-14", None),  # no JSS is not "below 90": only the drop trips
    )


def test_a_diff_of_snapshots_without_contract_detail_compares_windows_only() -> None:
    from jsscheck.analyses.snapshots import WindowChange, change_between, diff_snapshots

    before = make_snapshot("2026-11-14", jss=87, score=86.5)
    after = make_snapshot("2026-11-21", jss=84, score=83.75)
    diff = diff_snapshots(before, after)
    assert diff.jss_change == -3  # 84 − 87
    assert diff.same_rules
    # score_document gives 6m 90.5 and 24m 80.25 to both, 12m the best score.
    assert diff.windows == (
        WindowChange("3m", None, None),
        WindowChange("6m", 90.5, 90.5),
        WindowChange("12m", 86.5, 83.75),
        WindowChange("24m", 80.25, 80.25),
        WindowChange("trending", None, None),
    )
    assert [w.change for w in diff.windows] == [None, 0.0, -2.75, 0.0, None]
    assert diff.attribution is None  # the test documents hold no per-contract sums
    change = change_between(before, after)
    assert change is not None and (change.since, change.jss, change.score) == (
        "2026-11-14",
        -3,
        -2.75,
    )
