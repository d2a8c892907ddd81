"""The bad-input corpus (issue 9): every file gives its documented exit code and a message
naming file, line (or [index]) and field, through the command line (run in-process; a few
smoke tests start a real interpreter), and never a traceback.

The corpus lives in tests/data/bad/ and its expectations in tests/data/bad/EXPECTED.json. The
two huge inputs the issue names (100,000 columns, a 10 MB single line) are generated here into
tmp_path instead of being committed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers import Invocation, hermetic_env, invoke_in_process

CORPUS = Path(__file__).resolve().parent / "data" / "bad"
EXPECTED: list[dict[str, Any]] = json.loads((CORPUS / "EXPECTED.json").read_text("utf-8"))["cases"]
#: Files in the corpus directory that are not inputs.
NOT_INPUTS = {"EXPECTED.json", "make_corpus.py"}
AS_OF = "2026-11-21"
#: CLI.md "Exit codes" a history can legitimately give: done, invalid data, missing file.
INPUT_EXIT_CODES = {0, 65, 66}


def jsscheck(args: list[str], *, cwd: Path) -> Invocation:
    """`jsscheck ARGS` run in this process from `cwd` (so messages name files as typed)."""
    return invoke_in_process(*args, cwd=cwd)


def jsscheck_process(args: list[str], *, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The same in a fresh `python -m jsscheck` (the smoke tests: a real interpreter exit)."""
    return subprocess.run(
        [sys.executable, "-m", "jsscheck", *args],
        cwd=cwd,
        env=hermetic_env(cwd),
        capture_output=True,
        text=True,
        timeout=120,
    )


def command_line(case: dict[str, Any], command: str) -> list[str]:
    args = [command, case["file"], *case.get("args", [])]
    if command != "validate":
        args += ["--as-of", AS_OF]
    return args


def case_id(case: dict[str, Any], command: str) -> str:
    return " ".join([command, case["file"], *case.get("args", [])])


RUNS = [(case, command) for case in EXPECTED for command in case.get("commands", ["validate"])]


def _params() -> list[Any]:
    params = []
    for case, command in RUNS:
        marks = []
        if "xfail" in case:
            marks.append(pytest.mark.xfail(strict=True, reason=case["xfail"]))
        params.append(pytest.param(case, command, id=case_id(case, command), marks=marks))
    return params


@pytest.fixture(scope="module")
def corpus_runs() -> dict[str, Invocation]:
    """Every (case, command) of EXPECTED.json, run once in this process: case id → run."""
    return {
        case_id(case, command): jsscheck(command_line(case, command), cwd=CORPUS)
        for case, command in RUNS
    }


@pytest.mark.parametrize(("case", "command"), _params())
def test_corpus_file_gives_its_documented_exit_code_and_message(
    corpus_runs: dict[str, Invocation], case: dict[str, Any], command: str
) -> None:
    run = corpus_runs[case_id(case, command)]
    assert "Traceback" not in run.stderr
    assert run.returncode == case["exit"], run.stderr
    for expected in case["stderr"]:
        assert expected in run.stderr, f"{expected!r} not in stderr:\n{run.stderr}"
    for unwanted in case.get("stderr_absent", []):
        assert unwanted not in run.stderr, f"{unwanted!r} in stderr:\n{run.stderr}"
    if case["exit"] == 65:
        # FORMATS.md 3: one line per problem, FILE:LOCATION: ..., nothing on stdout.
        assert run.stdout == ""
        problems = [line for line in run.stderr.splitlines() if "warning:" not in line]
        assert problems
        assert all(line.startswith(f"jsscheck: {case['file']}") or "more problem" in line
                   for line in problems), run.stderr  # fmt: skip
    elif case["exit"] == 0:
        assert run.stdout.strip(), "a valid history gives a result on stdout"


def test_no_corpus_run_prints_a_traceback(corpus_runs: dict[str, Invocation]) -> None:
    """The issue's "Done when": grep stderr across the corpus for a Python traceback."""
    offenders = {key: run.stderr for key, run in corpus_runs.items() if "Traceback" in run.stderr}
    assert not offenders
    assert {run.returncode for run in corpus_runs.values()} <= INPUT_EXIT_CODES
    assert not any("internal error" in run.stderr for run in corpus_runs.values())


def test_every_corpus_file_has_an_expectation_and_every_expectation_a_file() -> None:
    files = {p.name for p in CORPUS.iterdir() if p.is_file() and p.name not in NOT_INPUTS}
    described = {case["file"] for case in EXPECTED}
    assert files == described
    assert len(files) >= 40


def test_cp1252_client_names_are_read_with_their_accents(tmp_path: Path) -> None:
    run = jsscheck(["import", "cp1252_accents.csv", "--format", "json"], cwd=CORPUS)
    assert run.returncode == 0, run.stderr
    clients = {c["client"] for c in json.loads(run.stdout)["contracts"]}
    assert clients == {"Café Müller", "Société Générale", "Zoë Björk"}


def test_excel_unicode_text_and_semicolon_files_read_the_same_contracts(tmp_path: Path) -> None:
    documents = [
        json.loads(jsscheck(["import", name, "-f", "json"], cwd=CORPUS).stdout)
        for name in ("excel_unicode_text.txt", "bom_semicolons.csv", "trailing_empty_lines.csv")
    ]
    assert documents[0] == documents[1] == documents[2]
    assert len(documents[0]["contracts"]) == 3


# --- missing inputs (exit 66) ------------------------------------------------------------------


def test_a_missing_file_exits_66_with_its_path(tmp_path: Path) -> None:
    run = jsscheck_process(["validate", "no_such_history.csv"], cwd=tmp_path)
    assert run.returncode == 66
    assert "no_such_history.csv" in run.stderr and "Traceback" not in run.stderr


def test_a_directory_exits_66_with_its_path(tmp_path: Path) -> None:
    (tmp_path / "exports").mkdir()
    run = jsscheck(["score", "exports", "--as-of", AS_OF], cwd=tmp_path)
    assert run.returncode == 66
    assert "exports" in run.stderr and "Traceback" not in run.stderr


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_exits_66(tmp_path: Path) -> None:
    path = tmp_path / "locked.csv"
    path.write_text("contract_id,client,start_date,earnings\n1,A,2026-01-01,5\n")
    path.chmod(0)
    run = jsscheck(["validate", "locked.csv"], cwd=tmp_path)
    assert run.returncode == 66
    assert "locked.csv" in run.stderr


# --- huge inputs, generated at test time ------------------------------------------------------

COLUMNS = 100_000
TEN_MB = 10 * 1024 * 1024
HEADER = "contract_id,client,title,start_date,end_date,earnings,public_feedback,private_feedback"


def _wide_row(path: Path) -> None:
    path.write_text(HEADER + "\n" + ",".join(["1001", "Acme"] + ["x"] * (COLUMNS - 2)) + "\n")


def _wide_unknown_header(path: Path) -> None:
    path.write_text(",".join(f"column {i}" for i in range(COLUMNS)) + "\n" + "1," * COLUMNS + "\n")


def _wide_header(path: Path) -> None:
    names = ["contract_id", "client", "start_date", "earnings"]
    names += [f"extra {i}" for i in range(COLUMNS - 4)]
    values = ["1001", "Acme", "2026-01-05", "850"] + [""] * (COLUMNS - 4)
    path.write_text(",".join(names) + "\n" + ",".join(values) + "\n")


def _long_title(path: Path) -> None:
    title = "a pasted job description " * (TEN_MB // 25)
    path.write_text(
        HEADER + f'\n1001,Acme,"{title}",2026-01-05,2026-02-10,850,5,10\n'
        "1002,Globex,SEO,2025-09-01,,4200,,\n"
    )


def _long_value(path: Path) -> None:
    path.write_text(HEADER + "\n1001,Acme,SEO,2026-01-05,,850" + "x" * TEN_MB + ",,\n")


def _long_single_line(path: Path) -> None:
    path.write_text("contract_id " * (TEN_MB // 12))  # one 10 MB line, no newline, no delimiter


def _long_json_line(path: Path) -> None:
    contracts = [
        {
            "contract_id": str(100_000 + i),
            "client": f"client {i % 977}",
            "start_date": "2025-03-01",
            "end_date": "2025-04-01",
            "earnings": 120.5,
            "public_feedback": 5.0 if i != 31_337 else 9.5,
        }
        for i in range(TEN_MB // 150)
    ]
    path.write_text(json.dumps(contracts))  # a single line of ~10 MB


@dataclass(frozen=True)
class Huge:
    name: str
    make: Any
    exit: int
    stderr: tuple[str, ...] = ()
    max_stderr_lines: int | None = None


HUGE = [
    Huge("wide_row.csv", _wide_row, 65, ("wide_row.csv:2:", f"{COLUMNS} cells", "8 columns")),
    Huge("wide_unknown_header.csv", _wide_unknown_header, 65, (":1:", "no known column")),
    Huge("long_title.csv", _long_title, 0),
    Huge("long_value.csv", _long_value, 65, ("long_value.csv:2:", "earnings:", "…")),
    Huge("long_single_line.csv", _long_single_line, 65, ("long_single_line.csv:1:",)),
    Huge("long_json_line.json", _long_json_line, 65, ("[31337]:", "public_feedback:", "'9.5'")),
]
WIDE_HEADER = Huge("wide_header.csv", _wide_header, 0, ("extra 0",), max_stderr_lines=25)


def _check_huge(case: Huge, tmp_path: Path) -> Invocation:
    case.make(tmp_path / case.name)
    run = jsscheck(["validate", case.name], cwd=tmp_path)
    assert "Traceback" not in run.stderr
    assert run.returncode == case.exit, run.stderr[:2000]
    for expected in case.stderr:
        assert expected in run.stderr, run.stderr[:2000]
    # Only the offending value, shortened: a 10 MB cell must not come back on stderr.
    assert len(run.stderr) < 50_000 or case.max_stderr_lines is not None
    if case.max_stderr_lines is not None:
        assert len(run.stderr.splitlines()) <= case.max_stderr_lines
    return run


@pytest.mark.slow
@pytest.mark.parametrize("case", HUGE, ids=[case.name for case in HUGE])
def test_huge_input_gives_its_documented_result(case: Huge, tmp_path: Path) -> None:
    _check_huge(case, tmp_path)


@pytest.mark.slow
def test_100000_columns_with_the_required_ones_warn_in_a_few_lines(tmp_path: Path) -> None:
    _check_huge(WIDE_HEADER, tmp_path)
