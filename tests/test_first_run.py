"""A new user's first ten minutes: dates typed as in the history, output that fits, plain help.

Issue 19: `--as-of 11/21/2026` and observation files read dates like the history does; `score`
lists the contracts that count (`--all` for every one) and never cuts a number at 60 columns;
`validate` says each distinct problem's fix once; unknown columns get a "did you mean".
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from jsscheck.analyses.calibrate import read_observations_csv
from jsscheck.errors import InvalidInputError
from jsscheck.history.tables import closest_column

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "history.csv"
WEEKLY = ROOT / "sample_data" / "upwork" / "weekly_summary_2026.csv"


# --- one date parser: histories, options, observation files ---------------------------------


def _jss(invoke, *args: str) -> int:
    result = invoke("score", SAMPLE, *args, "--format", "json")
    assert result.code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["as_of"] == "2026-11-21"
    return doc["jss"]


@pytest.mark.parametrize(
    "typed",
    [
        ["--as-of", "11/21/2026"],
        ["--as-of", "Nov 21, 2026"],
        ["--as-of", "21 November 2026"],
        ["--as-of", "21/11/2026", "--dayfirst"],
        ["--dayfirst", "--as-of", "21/11/2026"],
    ],
)
def test_as_of_reads_every_date_form_a_history_accepts(invoke, typed: list[str]) -> None:
    assert _jss(invoke, *typed) == _jss(invoke, "--as-of", "2026-11-21")


def test_as_of_that_reads_only_day_first_says_to_pass_dayfirst(invoke) -> None:
    result = invoke("score", SAMPLE, "--as-of", "21/11/2026")
    assert result.code == 2
    assert "--as-of" in result.stderr and "--dayfirst" in result.stderr
    assert "Traceback" not in result.stderr


def test_as_of_that_is_no_date_is_a_usage_error_showing_the_format(invoke) -> None:
    result = invoke("score", SAMPLE, "--as-of", "yesterday")
    assert result.code == 2
    assert "--as-of: not a date (got 'yesterday')" in result.stderr
    assert "2026-08-21" in result.stderr  # an example of the format


def test_since_reads_us_dates_too(invoke) -> None:
    typed = invoke("explain", SAMPLE, "--since", "10/24/2026", "--as-of", "11/21/2026")
    iso = invoke("explain", SAMPLE, "--since", "2026-10-24", "--as-of", "2026-11-21")
    assert typed.code == iso.code == 0, typed.stderr
    assert typed.stdout == iso.stdout


def test_observation_files_read_dates_like_histories(tmp_path: Path) -> None:
    observed = tmp_path / "observed.csv"
    # (a date with a comma is quoted, as in any CSV)
    observed.write_text('date,jss\n11/21/2026,88\n"Oct 24, 2026",95\n2026-09-01,90\n')
    days = {o.day.isoformat(): o for o in read_observations_csv(observed)}
    assert set(days) == {"2026-11-21", "2026-10-24", "2026-09-01"}
    day_first = tmp_path / "day_first.csv"
    day_first.write_text("21/11/2026,88\n")
    assert [o.day.isoformat() for o in read_observations_csv(day_first, dayfirst=True)] == [
        "2026-11-21"
    ]
    with pytest.raises(InvalidInputError) as raised:
        read_observations_csv(day_first)
    (problem,) = raised.value.problems
    assert problem.location == "1" and problem.field == "date"
    assert "--dayfirst" in (problem.fix or "")


# --- score: the contracts that count, whole numbers at 60 columns ---------------------------


def _score_doc(invoke) -> dict:
    result = invoke("score", SAMPLE, "--as-of", "2026-11-21", "--format", "json")
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)


def _markdown_rows(text: str, title: str) -> list[str]:
    section = text.split(f"**{title}**", 1)[1].split("\n\n", 2)[1]
    return [line for line in section.splitlines() if line.startswith("| ")][1:]


def test_score_lists_the_contracts_that_count_and_says_how_many_more(invoke) -> None:
    doc = _score_doc(invoke)
    counting = [c for c in doc["contracts"] if c["outcome"] != "excluded" and c["windows"]]
    hidden = len(doc["contracts"]) - len(counting)
    assert counting and hidden  # the sample has both kinds
    result = invoke("score", SAMPLE, "--as-of", "2026-11-21", "--format", "markdown")
    rows = _markdown_rows(result.stdout, "Contracts that count")
    assert len(rows) == len(counting)
    assert f"{hidden} more contracts count in no window" in result.stdout
    assert "--all" in result.stdout
    every = invoke("score", SAMPLE, "--as-of", "2026-11-21", "--format", "markdown", "--all")
    assert len(_markdown_rows(every.stdout, "Contracts")) == len(doc["contracts"])
    assert "in no window" not in every.stdout


def test_score_csv_keeps_every_contract(invoke) -> None:
    doc = _score_doc(invoke)
    result = invoke("score", SAMPLE, "--as-of", "2026-11-21", "--format", "csv")
    assert len(result.stdout.strip().splitlines()) == 1 + len(doc["contracts"])


def test_score_at_60_columns_prints_every_number_whole(invoke) -> None:
    doc = _score_doc(invoke)
    result = invoke("score", SAMPLE, "--as-of", "2026-11-21", width=60)
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 60
    assert "…" not in result.stdout
    cells = {cell.strip() for line in lines for cell in line.split("│")}
    for name, candidate in doc["candidates"].items():
        if candidate.get("score") is not None and (candidate.get("eligible") or name == "trending"):
            assert f"{candidate['score']:.2f}%" in cells, name
    for contract in doc["contracts"]:
        if contract["windows"] and contract["outcome"] != "excluded":
            assert f"{contract['weight']:g}" in cells
            assert contract["anchor"] in cells  # dates stay whole too


# --- validate: each problem's fix once, "did you mean" -------------------------------------


def test_validate_a_weekly_summary_alone_says_the_fix_once(invoke) -> None:
    result = invoke("validate", WEEKLY)
    assert result.code == 65
    lines = result.stderr.splitlines()
    fix = "add a CSV of your own keyed by contract_id"
    assert result.stderr.count(fix) == 1
    # FORMATS.md 3: still one line per problem, FILE:LINE first; the 15 others point back.
    assert all(line.startswith(f"jsscheck: {WEEKLY}:") for line in lines)
    first, *others = lines
    assert first.endswith("(the same for 15 more contracts below)")
    assert len(others) == 15
    assert all(re.search(r":\d+: client: not known for contract \d+ — the same as line 2$", o)
               for o in others)  # fmt: skip
    assert max(len(o) for o in others) < 150


@pytest.mark.parametrize(
    ("column", "meant"),
    [
        ("Total earned", "total_earnings"),
        ("clinet", "client"),
        ("Strat Date", "start_date"),
        ("public feedbak", "public_feedback"),
        ("enddate", "end_date"),
    ],
)
def test_closest_column_names_the_known_spelling(column: str, meant: str) -> None:
    assert closest_column(column) == meant


@pytest.mark.parametrize("column", ["notes", "status", "earnings", "Start Date", ""])
def test_closest_column_is_silent_for_unrelated_or_known_names(column: str) -> None:
    assert closest_column(column) is None


def test_validate_suggests_the_column_an_unknown_one_meant(invoke, tmp_path: Path) -> None:
    history = tmp_path / "h.csv"
    history.write_text(
        "contract_id,client,start_date,earnings,end_date,public feedbak\n"
        "A1,Acme,2026-01-05,500,2026-02-01,5\n"
    )
    result = invoke("validate", history)
    assert result.code == 0
    assert "unknown column 'public feedbak' ignored — did you mean 'public_feedback'?" in (
        result.stderr
    )


def test_a_missing_required_column_names_the_close_unknown_one(invoke, tmp_path: Path) -> None:
    history = tmp_path / "h.csv"
    history.write_text("contract_id,client,start_date,Total earned\nA1,Acme,2026-01-05,500\n")
    result = invoke("validate", history)
    assert result.code == 65
    assert "earnings: required column missing — did you mean 'total_earnings'?" in result.stderr
    assert "Rename the column 'Total earned' to total_earnings" in result.stderr
