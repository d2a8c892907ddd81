"""`jsscheck snapshot` and `jsscheck snapshots ...`: output, alerts' exit codes, export, diff,
the store's exit codes through the CLI, and a run under cron's bare environment."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

GOLDEN = Path("/work/shared/data/golden/explain-1050-upwork")
HISTORY_CSV = """contract_id,client,title,start_date,end_date,earnings,public_feedback
c1,Acme,=HYPERLINK("x"),2026-01-05,2026-02-01,500,5
c2,Beta,Logo,2026-02-01,2026-03-01,800,5
c3,Gamma,API,2026-03-01,2026-04-01,1200,4.9
c4,Delta,Docs,2026-05-01,2026-06-01,300,2
c5,Acme,Fixes,2026-07-01,2026-08-01,400,5
"""

# Until the lead lists cmd_snapshot in jsscheck.cli.COMMAND_MODULES, register it here.
BOOT = """
import sys
import jsscheck.cli as cli
from jsscheck.cli.app import app, run
cli.register_commands()
if "cmd_snapshot" not in cli.COMMAND_MODULES:
    from jsscheck.cli import cmd_snapshot
    cmd_snapshot.register(app)
sys.exit(run(sys.argv[1:]))
"""


@pytest.fixture(scope="module", autouse=True)
def _snapshot_commands_registered() -> None:
    import jsscheck.cli as cli
    from jsscheck.cli.app import app

    cli.register_commands()
    names = {command.name for command in app.registered_commands}
    if "snapshot" not in names:
        from jsscheck.cli import cmd_snapshot

        cmd_snapshot.register(app)


@pytest.fixture
def history(tmp_path: Path) -> Path:
    path = tmp_path / "history.csv"
    path.write_text(HISTORY_CSV)
    return path


def jsscheck(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    from jsscheck.cli.app import run

    code = run([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_snapshot_prints_one_line_and_the_change_since_the_previous(
    capsys: pytest.CaptureFixture[str], history: Path
) -> None:
    code, out, err = jsscheck(capsys, "snapshot", history, "--as-of", "2026-08-15")
    assert (code, err) == (0, "")
    assert out.startswith("2026-08-15 default: JSS ")
    assert out.count("\n") == 1
    code, out, _ = jsscheck(
        capsys, "snapshot", history, "--as-of", "2026-08-22", "--observed", "91"
    )
    assert code == 0
    assert " since 2026-08-15" in out
    assert out.rstrip().endswith("Upwork shows 91%")


def test_snapshot_quiet_prints_nothing(capsys: pytest.CaptureFixture[str], history: Path) -> None:
    assert jsscheck(capsys, "snapshot", history, "--as-of", "2026-08-15", "--quiet") == (0, "", "")


def test_snapshot_json_is_the_snapshot_document(
    capsys: pytest.CaptureFixture[str], history: Path
) -> None:
    code, out, _ = jsscheck(capsys, "snapshot", history, "--as-of", "2026-08-15", "-f", "json")
    document = json.loads(out)
    assert code == 0
    assert document["schema"] == "jsscheck.snapshot/1"
    assert set(document) == {
        "schema", "id", "profile", "taken_at", "as_of", "rules", "jss", "best",
        "observed_jss", "change_since_previous", "source_sha256", "warnings",
    }  # fmt: skip
    assert document["warnings"] == []
    assert len(document["source_sha256"]) == 64


def test_fail_below_exits_1_and_says_why_even_when_quiet(
    capsys: pytest.CaptureFixture[str], history: Path
) -> None:
    code, out, err = jsscheck(
        capsys, "snapshot", history, "--as-of", "2026-08-15", "--fail-below", "100", "--quiet"
    )
    assert code == 1
    assert out == ""
    assert "--fail-below" in err
    code, out, _ = jsscheck(capsys, "snapshots", "list", "-f", "json")
    assert [s["id"] for s in json.loads(out)["snapshots"]] == [1]  # stored though it tripped
    code, _, _ = jsscheck(capsys, "snapshot", history, "--as-of", "2026-08-15", "--fail-below", "1")
    assert code == 0
    code, out, _ = jsscheck(capsys, "snapshots", "list", "-f", "json")
    # The rerun for the same day replaced the first snapshot (one per profile per day).
    assert [s["id"] for s in json.loads(out)["snapshots"]] == [2]


def test_fail_on_drop_exits_1_only_when_the_jss_fell(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    history = tmp_path / "h.csv"
    history.write_text(HISTORY_CSV)
    assert jsscheck(capsys, "snapshot", history, "--as-of", "2026-08-15", "--fail-on-drop")[0] == 0
    assert jsscheck(capsys, "snapshot", history, "--as-of", "2026-08-16", "--fail-on-drop")[0] == 0
    history.write_text(HISTORY_CSV + "c6,Echo,Oops,2026-08-01,2026-08-10,900,1\n")
    code, out, err = jsscheck(
        capsys, "snapshot", history, "--as-of", "2026-08-16", "--fail-on-drop"
    )
    assert code == 1
    assert "fell from" in err
    # Snapshot 3 replaced snapshot 2 (the same day): the drop is against the 15th's snapshot 1.
    assert "on 2026-08-15" in err
    assert "snapshots diff 1 3" in err
    assert "(replaces snapshot 2 of the same day)" in out


def test_list_export_show_forget_and_path(
    capsys: pytest.CaptureFixture[str], history: Path, hermetic_environment: Path
) -> None:
    for day in ("2026-08-01", "2026-08-08"):
        jsscheck(capsys, "snapshot", history, "--as-of", day)
    jsscheck(capsys, "snapshot", history, "--as-of", "2026-08-08", "--profile", "=agency")

    code, out, _ = jsscheck(capsys, "snapshots", "list")
    assert code == 0
    assert "2026-08-01" in out and "2026-08-08" in out

    code, out, _ = jsscheck(capsys, "snapshots", "list", "--profile", "default", "-f", "json")
    assert [s["id"] for s in json.loads(out)["snapshots"]] == [1, 2]

    code, out, _ = jsscheck(capsys, "snapshots", "export")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["profile"] for row in rows] == ["default", "default", "'=agency"]

    code, out, _ = jsscheck(capsys, "snapshots", "export", "-f", "json")
    exported = json.loads(out)["snapshots"]
    assert exported[0]["score"]["schema"] == "jsscheck.score/1"

    code, out, _ = jsscheck(capsys, "snapshots", "show", "2", "-f", "json")
    shown = json.loads(out)
    assert shown["id"] == 2 and shown["change_since_previous"]["previous_id"] == 1

    code, out, _ = jsscheck(capsys, "snapshots", "forget", "1")
    assert code == 0 and "Forgot snapshot 1" in out
    code, _, err = jsscheck(capsys, "snapshots", "show", "1")
    assert code == 2
    assert "the ids are 2, 3" in err

    code, out, _ = jsscheck(capsys, "snapshots", "path")
    assert out.strip() == str(hermetic_environment)


def test_path_does_not_create_the_store(
    capsys: pytest.CaptureFixture[str], hermetic_environment: Path
) -> None:
    code, out, err = jsscheck(capsys, "snapshots", "path")
    assert code == 0
    assert "does not exist yet" in err
    assert jsscheck(capsys, "snapshots", "list", "-f", "json")[0] == 0
    assert not hermetic_environment.exists()


@pytest.mark.skipif(not GOLDEN.exists(), reason="needs the shared golden data")
def test_diff_attributes_like_explain(capsys: pytest.CaptureFixture[str]) -> None:
    """`snapshots diff A B` is ONE MODEL.md 9.2 step between the two stored evaluations; `explain
    --since A --as-of B` walks the change points in between. With the same history and rules
    (only time passed) and a period whose events all fall on one day (one step: checked below),
    both give the same status and change, the same contracts with the same effects and reasons,
    and the same unattributed terms; only the event date differs (the diff's step is dated B,
    explain's the day it happened). Here contract c1050-13 ages out of the window on
    2026-11-16, so the whole change of the best score is its effect."""
    history = GOLDEN / "history.csv"
    jsscheck(capsys, "snapshot", history, "--as-of", "2026-10-24")
    jsscheck(capsys, "snapshot", history, "--as-of", "2026-11-21")
    code, out, _ = jsscheck(capsys, "snapshots", "diff", "1", "2", "-f", "json")
    assert code == 0
    diff = json.loads(out)
    assert diff["schema"] == "jsscheck.snapshot-diff/2"
    code, out, _ = jsscheck(
        capsys, "explain", history, "--since", "2026-10-24", "--as-of", "2026-11-21", "-f", "json"
    )
    explained = json.loads(out)
    days = {e["date"] for c in explained["contributions"] for e in c["events"]}
    assert days == {"2026-11-16"}  # one step: the precondition of the comparison
    assert diff["status"] == explained["status"] == "changed"
    assert math.isclose(diff["change"], explained["change"], abs_tol=1e-9)

    def effects(document: dict[str, Any]) -> dict[str, tuple[float, list[str]]]:
        return {
            c["contract_id"]: (c["effect"], [e["reason"] for e in c["events"]])
            for c in document["contributions"]
        }

    by_diff, by_explain = effects(diff), effects(explained)
    assert list(by_diff) == list(by_explain) == ["c1050-13"]
    for contract_id, (effect, reasons) in by_explain.items():
        assert math.isclose(by_diff[contract_id][0], effect, abs_tol=1e-9)
        assert by_diff[contract_id][1] == reasons == ["aged_out"]
    assert diff["unattributed"] == explained["unattributed"] == []
    # The single contract carries the whole change (effects sum to the change, MODEL.md 9.3).
    assert math.isclose(by_diff["c1050-13"][0], diff["change"], abs_tol=1e-9)
    assert diff["jss_change"] == diff["to"]["jss"] - diff["from"]["jss"]


def test_a_store_that_is_not_ours_exits_74_and_is_untouched(
    capsys: pytest.CaptureFixture[str], history: Path, hermetic_environment: Path
) -> None:
    hermetic_environment.parent.mkdir()
    connection = sqlite3.connect(hermetic_environment)
    connection.execute("CREATE TABLE notes (text TEXT)")
    connection.commit()
    connection.close()
    before = hermetic_environment.read_bytes()
    code, out, err = jsscheck(capsys, "snapshot", history, "--as-of", "2026-08-15")
    assert code == 74
    assert str(hermetic_environment) in err
    assert hermetic_environment.read_bytes() == before


def test_a_busy_store_exits_75(
    capsys: pytest.CaptureFixture[str],
    history: Path,
    hermetic_environment: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from jsscheck.cli import cmd_snapshot
    from jsscheck.store import SnapshotStore

    jsscheck(capsys, "snapshot", history, "--as-of", "2026-08-15")
    monkeypatch.setattr(
        cmd_snapshot, "_open", lambda store: SnapshotStore(store, busy_timeout=0.05)
    )
    holder = sqlite3.connect(hermetic_environment, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        code, _, err = jsscheck(capsys, "snapshot", history, "--as-of", "2026-08-22")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 75
    assert "busy" in err


def test_snapshot_works_under_crons_bare_environment(history: Path, tmp_path: Path) -> None:
    home = tmp_path / "cronhome"
    home.mkdir()
    # What cron gives a job: HOME, a minimal PATH, no TTY, no locale, no JSSCHECK_STORE.
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-c", BOOT]
    installed = Path(sys.executable).parent / "jsscheck"
    import jsscheck.cli as cli

    if "cmd_snapshot" in cli.COMMAND_MODULES and installed.exists():
        command = [str(installed)]  # the installed console script, once it lists snapshot
    result = subprocess.run(
        ["/usr/bin/env", "-i", *(f"{k}={v}" for k, v in env.items()), *command,
         "snapshot", str(history), "--as-of", "2026-08-15"],
        capture_output=True, stdin=subprocess.DEVNULL, timeout=60, cwd=home,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().startswith("2026-08-15 default: JSS ")
    assert b"\x1b[" not in result.stdout  # no colour codes in cron's mail
    stores = list(home.rglob("snapshots.sqlite"))
    assert len(stores) == 1
    assert oct(stores[0].stat().st_mode & 0o777) == "0o600"
    assert oct(stores[0].parent.stat().st_mode & 0o777) == "0o700"


def test_a_rerun_for_the_same_day_replaces_it_and_keeps_what_upwork_showed(
    capsys: pytest.CaptureFixture[str], history: Path
) -> None:
    jsscheck(capsys, "snapshot", history, "--as-of", "2026-08-15", "--observed", "62")
    code, out, _ = jsscheck(capsys, "snapshot", history, "--as-of", "2026-08-15", "-f", "json")
    rerun = json.loads(out)
    assert code == 0
    assert (rerun["id"], rerun["observed_jss"]) == (2, 62)
    code, out, _ = jsscheck(capsys, "snapshots", "list", "-f", "json")
    assert [(s["id"], s["as_of"]) for s in json.loads(out)["snapshots"]] == [(2, "2026-08-15")]


def computed_jss(capsys: pytest.CaptureFixture[str], history: Path, day: str) -> int:
    code, out, _ = jsscheck(capsys, "snapshot", history, "--as-of", day, "-f", "json")
    assert code == 0
    jss = json.loads(out)["jss"]
    assert isinstance(jss, int)
    return jss


def test_model_and_upwork_disagreeing_by_3_points_is_a_warning(
    capsys: pytest.CaptureFixture[str], history: Path
) -> None:
    # MODEL.md 11: an observed JSS 3 points or more from the computed one. Observed = computed
    # ± 2 agrees; ± 3 disagrees (in either direction).
    jss = computed_jss(capsys, history, "2026-08-15")
    near, far = (jss + 2, jss + 3) if jss <= 97 else (jss - 2, jss - 3)
    code, out, err = jsscheck(
        capsys, "snapshot", history, "--as-of", "2026-08-15", "--observed", near, "-f", "json"
    )
    assert (code, err, json.loads(out)["warnings"]) == (0, "", [])
    code, out, err = jsscheck(
        capsys, "snapshot", history, "--as-of", "2026-08-15", "--observed", far, "-f", "json"
    )
    warnings = json.loads(out)["warnings"]
    assert code == 0
    assert len(warnings) == 1
    assert f"Upwork shows {far}%" in warnings[0] and f"{jss}%" in warnings[0]
    assert "3 points" in warnings[0]
    assert "jsscheck calibrate" in warnings[0]
    assert err == f"jsscheck: warning: {warnings[0]}\n"
    # list and show carry the warning too (it is about the stored snapshot).
    stored = json.loads(out)["id"]
    code, out, _ = jsscheck(capsys, "snapshots", "show", stored, "-f", "json")
    assert json.loads(out)["warnings"] == warnings
    code, out, _ = jsscheck(capsys, "snapshots", "list", "-f", "json")
    assert json.loads(out)["snapshots"][-1]["warnings"] == warnings
    code, out, _ = jsscheck(capsys, "snapshots", "show", stored)
    assert out.splitlines()[1] == f"note: {warnings[0]}"


def test_an_alert_says_when_the_model_and_upwork_disagree(
    capsys: pytest.CaptureFixture[str], history: Path
) -> None:
    jss = computed_jss(capsys, history, "2026-08-15")
    code, out, err = jsscheck(
        capsys, "snapshot", history, "--as-of", "2026-08-15", "--quiet",
        "--observed", jss + 10, "--fail-below", jss + 1,
    )  # fmt: skip
    assert (code, out) == (1, "")
    assert f"JSS {jss}% is below {jss + 1}% (--fail-below)" in err
    assert f"Upwork shows {jss + 10}%" in err
    assert "jsscheck calibrate" in err


def test_profiles_with_markup_and_escapes_print_exactly(
    capsys: pytest.CaptureFixture[str], history: Path
) -> None:
    for profile in ("Beta [bold]Corp", "tweaks [/red]", "bell\x1b]0;x\x07"):
        code, out, _ = jsscheck(capsys, "snapshot", history, "--as-of", "2026-08-15", "-p", profile)
        assert code == 0
    code, out, err = jsscheck(capsys, "snapshots", "list")
    assert (code, err) == (0, "")
    assert "Beta [bold]Corp" in out and "tweaks [/red]" in out
    assert "bell\\x1b]0;x\\x07" in out and "\x1b" not in out
    code, out, _ = jsscheck(capsys, "snapshots", "show", "2")
    assert code == 0
    assert out.startswith("Snapshot 2: 2026-08-15 tweaks [/red]: JSS ")


@pytest.fixture
def damaged_store(
    capsys: pytest.CaptureFixture[str], history: Path, hermetic_environment: Path
) -> Path:
    """A store whose latest snapshot (2) has a document that is not JSON any more."""
    for day in ("2026-08-01", "2026-08-08"):
        assert jsscheck(capsys, "snapshot", history, "--as-of", day)[0] == 0
    connection = sqlite3.connect(hermetic_environment)
    connection.execute("UPDATE snapshot SET document = '{\"candidates\": ' WHERE id = 2")
    connection.commit()
    connection.close()
    return hermetic_environment


@pytest.mark.parametrize(
    "command",
    [
        ["snapshots", "list"],
        ["snapshots", "list", "-f", "json"],
        ["snapshots", "show", "2"],
        ["snapshots", "export"],
        ["snapshots", "export", "-f", "json"],
        ["snapshots", "diff", "1", "2"],
        ["explain", "HISTORY", "--as-of", "2026-08-15"],  # --since defaults to the latest
    ],
    ids=" ".join,
)
def test_a_damaged_snapshot_exits_74_and_says_to_forget_it(
    capsys: pytest.CaptureFixture[str], history: Path, damaged_store: Path, command: list[str]
) -> None:
    args = [history if arg == "HISTORY" else arg for arg in command]
    code, out, err = jsscheck(capsys, *args)
    assert code == 74, err
    assert "snapshot 2" in err and str(damaged_store) in err
    assert "jsscheck snapshots forget 2" in err
    assert "Traceback" not in err
    code, out, _ = jsscheck(capsys, "snapshots", "forget", "2")
    assert (code, out) == (0, "Forgot snapshot 2 (it was damaged).\n")
    assert jsscheck(capsys, *args)[0] in (0, 2)  # 2: show/diff of the forgotten id


@pytest.mark.parametrize("kind", ["fifo", "dev-null"])
def test_a_store_that_is_not_a_regular_file_exits_74_without_hanging(
    capsys: pytest.CaptureFixture[str],
    history: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
) -> None:
    if kind == "fifo":
        store = tmp_path / "pipe"
        os.mkfifo(store)
    else:
        store = Path("/dev/null")
    monkeypatch.setenv("JSSCHECK_STORE", str(store))
    journal = Path(f"{store}-journal")
    # A subprocess, so that a hang fails the test after 60 seconds instead of stopping the suite.
    result = subprocess.run(
        [sys.executable, "-c", BOOT, "snapshot", str(history), "--as-of", "2026-08-15"],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert result.returncode == 74, result.stderr
    assert str(store) in result.stderr and "not a regular file" in result.stderr
    assert "--store" in result.stderr
    assert not journal.exists()
    code, _, err = jsscheck(capsys, "snapshots", "list")
    assert code == 74
    assert not journal.exists()


def test_a_foreign_wal_database_as_the_store_stays_byte_identical(
    capsys: pytest.CaptureFixture[str], history: Path, hermetic_environment: Path
) -> None:
    hermetic_environment.parent.mkdir()
    script = (
        "import os, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('PRAGMA journal_mode = WAL'); c.execute('PRAGMA wal_autocheckpoint = 0')\n"
        "c.execute('CREATE TABLE notes (text TEXT)')\n"
        "c.execute(\"INSERT INTO notes VALUES ('x')\")\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(hermetic_environment)], check=True)
    before = {p.name: p.read_bytes() for p in hermetic_environment.parent.iterdir()}
    assert hermetic_environment.name + "-wal" in before
    for command in (["snapshot", history, "--as-of", "2026-08-15"], ["snapshots", "list"]):
        code, _, err = jsscheck(capsys, *command)
        assert code == 74
        assert str(hermetic_environment) in err and "--store" in err
        assert {p.name: p.read_bytes() for p in hermetic_environment.parent.iterdir()} == before


@pytest.mark.parametrize(
    "document", ['{"candidates": {}}', '{"schema": "jsscheck.score/1", "as_of": "2026-08-08"}']
)
def test_a_stored_score_without_its_detail_is_shown_and_diffed_without_it(
    capsys: pytest.CaptureFixture[str],
    history: Path,
    hermetic_environment: Path,
    document: str,
) -> None:
    # A JSON object, but not the whole score (an older or hand-edited store): never exit 70.
    for day in ("2026-08-01", "2026-08-08"):
        assert jsscheck(capsys, "snapshot", history, "--as-of", day)[0] == 0
    connection = sqlite3.connect(hermetic_environment)
    connection.execute("UPDATE snapshot SET document = ? WHERE id = 2", (document,))
    connection.commit()
    connection.close()
    code, out, err = jsscheck(capsys, "snapshots", "show", "2")
    assert (code, err) == (0, "")
    assert "holds no score detail" in out and "snapshots show 2 -f json" in out
    code, out, err = jsscheck(capsys, "snapshots", "diff", "1", "2")
    assert (code, err) == (0, "")
    assert "no per-contract detail" in out
    code, out, _ = jsscheck(capsys, "snapshots", "diff", "1", "2", "-f", "json")
    assert code == 0 and "contributions" not in json.loads(out)
    assert jsscheck(capsys, "snapshots", "show", "1")[0] == 0
