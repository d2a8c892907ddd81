"""Privacy (issue 9): no network, no whole rows in messages, no locals in tracebacks, and files
holding contract data created 0600.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import hermetic_env, invoke_in_process

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "history.csv"
UPWORK = ROOT / "sample_data" / "upwork"
AS_OF = "2026-11-21"
SECRET_CLIENT = "Zanzibar Secret Holdings"
SECRET_TITLE = "Covert merger microsite"
SECRET_AMOUNT = "8765.43"


def run_captured(argv: list[str]) -> tuple[int, str, str]:
    """`jsscheck ARGV` in this process (conftest's `invoke`): (exit code, stdout, stderr)."""
    done = invoke_in_process(*argv)
    return done.code, done.stdout, done.stderr


# --- no network --------------------------------------------------------------------------------


@pytest.fixture
def network_attempts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every way out of the machine raises, and is recorded."""
    attempts: list[str] = []

    def refuse(name: str) -> Any:
        def blocked(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{name}{args[1:] if name.startswith('socket.') else args}")
            raise OSError(f"network access blocked by test_privacy ({name})")

        return blocked

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    yield attempts


def cli_calls(tmp: Path) -> list[list[str]]:
    """One call of every command (and most formats) on the sample history."""
    observed = tmp / "observed.csv"
    observed.write_text("date,jss\n2026-10-24,92\n2026-11-21,81\n")
    h, d = str(SAMPLE), ["--as-of", AS_OF]
    calls = [
        ["--help"],
        ["--version"],
        ["rules", "list"],
        ["rules", "show", "upwork"],
        ["validate", h],
        ["validate", h, "-f", "json"],
        ["init", "-o", str(tmp / "template.csv")],
        ["import", h, str(UPWORK / "work_history.json"), str(UPWORK / "weekly_summary_2026.csv"),
         "-o", str(tmp / "merged.json")],
        ["snapshot", h, "--as-of", "2026-10-24", "--observed", "92"],
        ["snapshot", h, *d, "--observed", "81", "-f", "json"],
        ["snapshots", "list"],
        ["snapshots", "show", "1"],
        ["snapshots", "diff", "1", "2"],
        ["snapshots", "export", "-f", "json"],
        ["explain", h, *d],
        ["explain", h, "--since", "2026-10-24", *d, "-f", "markdown"],
        ["whatif", h, *d, "--add-contract", "earnings=500,public=5,client=Acme,days=30"],
        ["forecast", h, *d, "-f", "json"],
        ["goal", h, *d],
        ["timeline", h, *d, "-f", "json"],
        ["calibrate", h, "--observed", str(observed), "--write-rules", str(tmp / "fit.toml")],
    ]  # fmt: skip
    calls += [["score", h, *d, "-f", fmt] for fmt in ("table", "json", "markdown")]
    calls += [["score", h, *d, "--compare"]]
    with contextlib.suppress(ImportError):
        import matplotlib  # noqa: F401

        calls += [["timeline", h, *d, "--plot", str(tmp / "chart.png"), "-f", "csv"]]
    return calls


def test_every_command_works_with_the_network_blocked(
    network_attempts: list[str], tmp_path: Path
) -> None:
    failures = []
    for argv in cli_calls(tmp_path):
        code, stdout, stderr = run_captured(argv)
        if code != 0 or not stdout.strip() and argv[0] not in ("init", "import", "snapshot"):
            failures.append((argv, code, stderr[-500:]))
    assert not failures
    assert network_attempts == []


def test_the_network_block_itself_works(network_attempts: list[str]) -> None:
    with pytest.raises(OSError, match="blocked"):
        socket.create_connection(("example.com", 443))
    assert network_attempts


def test_no_module_of_jsscheck_imports_a_network_library() -> None:
    # Static backstop for code paths the calls above do not reach.
    forbidden = ("import socket", "import urllib", "import http", "import requests", "httpx",
                 "import ssl", "urlopen", "webbrowser", "import smtplib")  # fmt: skip
    # `report --open` hands its own file:// page to the local browser (test_report checks the
    # URI); nowhere else may jsscheck start a browser.
    allowed = {("jsscheck/cli/cmd_report.py", "webbrowser")}
    offenders = [
        f"{path.relative_to(ROOT)}: {word}"
        for path in (ROOT / "jsscheck").rglob("*.py")
        for word in forbidden
        if word in path.read_text("utf-8")
        and (path.relative_to(ROOT).as_posix(), word) not in allowed
    ]
    assert not offenders


# --- messages show the offending value only -------------------------------------------------

HEADER = "contract_id,client,title,start_date,end_date,earnings,public_feedback,private_feedback"
GOOD_ROW = "1001,Acme Ltd,Landing page,2026-01-05,2026-02-10,850.00,5.0,10"


def secret_row(**cells: str) -> str:
    """A row of the secret client, `cells` overriding its (valid) values."""
    values = {
        "contract_id": "1002",
        "client": SECRET_CLIENT,
        "title": SECRET_TITLE,
        "start_date": "2025-09-01",
        "end_date": "2025-12-01",
        "earnings": SECRET_AMOUNT,
        "public_feedback": "5.0",
        "private_feedback": "9",
    }
    values.update(cells)
    return ",".join(values[name] for name in HEADER.split(","))


BAD_ROWS = {
    "unparseable date": secret_row(start_date="someday"),
    "impossible date": secret_row(end_date="2025-02-30"),
    "end before start": secret_row(end_date="2025-08-01"),
    "stars": secret_row(public_feedback="6"),
    "private": secret_row(private_feedback="10.5"),
    "empty start": secret_row(start_date=""),
    "bad amount in another row": secret_row(contract_id="1003", earnings="12..5"),
    "day-first date": secret_row(start_date="21/08/2025"),
}
DISTINCTIVE = (SECRET_CLIENT, SECRET_TITLE, SECRET_AMOUNT)


@pytest.mark.parametrize("name", list(BAD_ROWS))
def test_a_bad_csv_row_is_reported_without_the_rest_of_the_row(name: str, tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    path.write_text(f"{HEADER}\n{GOOD_ROW}\n{BAD_ROWS[name]}\n")
    code, _, stderr = run_captured(["validate", str(path)])
    assert code == 65
    assert f"{path}:3:" in stderr
    # None of the secrets is the offending value: none may appear.
    assert all(secret not in stderr for secret in DISTINCTIVE), stderr


def test_a_bad_json_element_and_jsonl_line_are_reported_without_the_rest(tmp_path: Path) -> None:
    record = {
        "contract_id": "1002",
        "client": SECRET_CLIENT,
        "title": SECRET_TITLE,
        "start_date": "2025-09-01",
        "end_date": "2025-12-01",
        "earnings": float(SECRET_AMOUNT),
        "public_feedback": 7,
    }
    json_path, lines_path = tmp_path / "history.json", tmp_path / "history.jsonl"
    json_path.write_text(json.dumps({"contracts": [record]}))
    lines_path.write_text(json.dumps(record) + "\n")
    for path, where in ((json_path, "[0]"), (lines_path, "1")):
        code, _, stderr = run_captured(["validate", str(path)])
        assert code == 65
        assert f"{path}:{where}: public_feedback:" in stderr
        assert all(secret not in stderr for secret in DISTINCTIVE), stderr


def test_warnings_name_columns_and_contracts_never_values(tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    row = secret_row()
    path.write_bytes(
        f"{HEADER},notes\n{GOOD_ROW},\n{row},{SECRET_TITLE} café\n{row},{SECRET_TITLE} café\n"
        .encode("cp1252")
    )  # fmt: skip
    code, _, stderr = run_captured(["validate", str(path)])
    assert code == 0, stderr
    assert "notes" in stderr and "cp1252" in stderr
    assert all(secret not in stderr for secret in DISTINCTIVE), stderr


# --- tracebacks --------------------------------------------------------------------------------

BROKEN_ENGINE = textwrap.dedent(
    """
    import os
    import jsscheck.analyses.score

    def score_report(arrays, rules, as_of, warnings=(), covered_from=None):
        clients_seen = sorted(contract.client for contract in arrays.contracts)
        amounts_seen = [contract.earnings for contract in arrays.contracts]
        raise RuntimeError(os.environ.get("BROKEN_MESSAGE", "the engine broke"))

    jsscheck.analyses.score.score_report = score_report
    from jsscheck.cli import main
    main()
    """
)


def run_broken(
    tmp_path: Path, *args: str, message: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`jsscheck score` (the real entry point) with an engine that raises holding secrets."""
    path = tmp_path / "history.csv"
    path.write_text(f"{HEADER}\n{GOOD_ROW}\n{secret_row()}\n")
    env = hermetic_env(tmp_path)
    if message is not None:
        env["BROKEN_MESSAGE"] = message
    return subprocess.run(
        [sys.executable, "-c", BROKEN_ENGINE, "score", str(path), "--as-of", AS_OF, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_debug_tracebacks_never_show_local_variables(tmp_path: Path) -> None:
    done = run_broken(tmp_path, "--debug")
    assert done.returncode == 70
    assert "Traceback" in done.stderr and "RuntimeError: the engine broke" in done.stderr
    assert all(secret not in done.stderr for secret in DISTINCTIVE), done.stderr
    # Neither rich's nor typer's pretty tracebacks (boxes, "locals" panels).
    assert "locals" not in done.stderr and "│" not in done.stderr and "╭" not in done.stderr


def test_without_debug_an_internal_error_is_one_line_without_its_message(tmp_path: Path) -> None:
    done = run_broken(tmp_path, message=f"client {SECRET_CLIENT} broke it")
    assert done.returncode == 70
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and "internal error (RuntimeError)" in done.stderr
    assert SECRET_CLIENT not in done.stderr


# --- files holding contract data are 0600 ----------------------------------------------------


@pytest.fixture
def no_umask() -> Iterator[None]:
    """umask 0: a file not created 0600 on purpose would come out 0666 and be caught."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("no_umask")
@pytest.mark.parametrize(
    ("name", "argv"),
    [
        ("history.csv", ["import", str(SAMPLE), "-o", "{out}"]),
        ("history.json", ["import", str(SAMPLE), "-o", "{out}"]),
        ("template.csv", ["init", "-o", "{out}"]),
        ("fit.toml", ["calibrate", str(SAMPLE), "--observed", "{observed}", "--write-rules",
                      "{out}", "-q"]),
        ("chart.png", ["timeline", str(SAMPLE), "--as-of", AS_OF, "--plot", "{out}", "-f",
                       "csv"]),
    ],
)  # fmt: skip
def test_output_files_are_created_0600(name: str, argv: list[str], tmp_path: Path) -> None:
    if name.endswith(".png"):
        pytest.importorskip("matplotlib")
    observed = tmp_path / "observed.csv"
    observed.write_text("date,jss\n2026-10-24,92\n2026-11-21,81\n")
    out = tmp_path / name
    argv = [a.format(out=out, observed=observed) for a in argv]
    code, _, stderr = run_captured(argv)
    assert code == 0, stderr
    assert mode(out) == 0o600, oct(mode(out))


@pytest.mark.usefixtures("no_umask")
def test_the_snapshot_store_is_created_0700_and_its_files_0600(
    hermetic_environment: Path,
) -> None:
    store = hermetic_environment  # conftest: JSSCHECK_STORE, in a directory not yet created
    for as_of in ("2026-10-24", AS_OF):
        code, _, stderr = run_captured(["snapshot", str(SAMPLE), "--as-of", as_of, "-q"])
        assert code == 0, stderr
    assert mode(store.parent) == 0o700
    files = list(store.parent.iterdir())
    assert store in files
    assert {path.name: oct(mode(path)) for path in files} == {
        path.name: oct(0o600) for path in files
    }


# --- terminal escape sequences from a client's text (issue 20, item 9) --------------------------

#: A window-title OSC (ended by BEL), a colour CSI and an 8-bit CSI, as a work-history JSON
#: can carry them (`\u001b]0;…\u0007`).
ESCAPES = "\x1b]0;pwned\x07\x1b[31mRED\x9b2J"
RAW = ("\x1b", "\x07", "\x9b")
SAMPLE_JSON = Path(__file__).resolve().parents[1] / "sample_data" / "history.json"
ESC_AS_OF = ["--as-of", "2026-11-21"]


def _escaped_history(tmp_path: Path, **field: str) -> Path:
    data = json.loads(SAMPLE_JSON.read_text(encoding="utf-8"))
    for contract in data["contracts"]:
        contract["title"] += ESCAPES
        contract["client"] += ESCAPES
    data["contracts"][0].update(field)
    path = tmp_path / "history.json"
    path.write_text(json.dumps(data), encoding="utf-8")  # json.dumps writes \u001b escapes
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["score", *ESC_AS_OF],
        ["score", *ESC_AS_OF, "--format", "markdown"],
        ["explain", *ESC_AS_OF],
        ["explain", *ESC_AS_OF, "--format", "markdown"],
        ["whatif", *ESC_AS_OF, "--drop-contract", "33418207"],
        ["forecast", *ESC_AS_OF],
        ["forecast", *ESC_AS_OF, "--format", "markdown"],
        ["goal", *ESC_AS_OF],
        ["goal", *ESC_AS_OF, "--format", "markdown"],
        ["timeline", *ESC_AS_OF],
        ["validate"],
    ],
    ids=lambda args: "-".join(a for a in args if not a[0].isdigit()),
)
@pytest.mark.parametrize("tty", [False, True], ids=["piped", "terminal"])
def test_escape_sequences_in_titles_and_clients_never_reach_the_terminal(
    tmp_path: Path, args: list[str], tty: bool
) -> None:
    history = _escaped_history(tmp_path)
    result = invoke_in_process(args[0], history, *args[1:], tty=tty)
    assert result.code == 0, result.stderr
    shown = result.stdout + result.stderr
    assert not any(char in shown for char in RAW), repr(shown[:300])


def test_an_error_value_shows_its_escape_sequences_visibly(tmp_path: Path) -> None:
    history = _escaped_history(tmp_path, end_date="2023-11-20" + ESCAPES)
    result = invoke_in_process("validate", history)
    assert result.code == 65
    assert not any(char in result.stderr for char in RAW), repr(result.stderr)
    # Shown, not dropped: the reader of the message sees what is in the file.
    assert "(got '2023-11-20\\x1b]0;pwned\\x07\\x1b[31mRED\\x9b2J')" in result.stderr


def test_problem_values_are_shown_visibly_and_shortened() -> None:
    from jsscheck.errors import Problem

    problem = Problem("h.csv", "3", "title", "too odd", "\x1b[2J" + "x" * 100, "fix it")
    text = str(problem)
    assert "\x1b" not in text and "'\\x1b[2J" in text
    # 60 characters shown at most: \x1b[2J is 7 visible characters, then 52 x's and "…".
    assert "'\\x1b[2J" + "x" * 52 + "…'" in text
