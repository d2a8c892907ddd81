"""People's tables of one row per contract stop at `TABLE_ROWS` rows (issue 16): the rest is
one line saying how many more there are and how to see them; JSON, CSV and --all list all."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from helpers import write_csv_history

from jsscheck.render.rows import TABLE_ROWS, more_rows_line

AS_OF = ("--as-of", "2026-11-21")


def _history(path: Path, counted: int, old: int) -> Path:
    """`counted` contracts ended in 2026 (each its own client, 5 stars: each counts in the 12m
    and 24m windows), contract cK ending K days after 2026-03-01; then `old` contracts ended in
    2020, older than the widest (24-month) window, so they count in no window."""
    rows = []
    for k in range(counted):
        end = date(2026, 3, 1) + timedelta(days=k)
        rows.append(f"c{k},client {k},Job {k},2026-01-01,{end},{end},500,5.0,,,,,,")
    for k in range(old):
        rows.append(
            f"old{k},old client {k},Old job {k},2020-01-01,2020-02-01,2020-02-01,500,5.0,,,,,,"
        )
    return write_csv_history(path, rows)


def _contract_rows(markdown: str) -> list[str]:
    section = markdown.split("**Contracts", 1)[1].split("\n\n", 2)[1]
    return [line for line in section.splitlines() if line.startswith("| ")][1:]


def test_the_table_shows_the_newest_50_then_says_how_many_more(invoke, tmp_path: Path) -> None:
    history = _history(tmp_path / "h.csv", counted=60, old=5)
    result = invoke("score", str(history), *AS_OF, "--format", "markdown")
    assert result.code == 0, result.stderr
    rows = _contract_rows(result.stdout)
    assert TABLE_ROWS == 50
    # Counted contracts newest first: c59 (ends 2026-04-29) down to c10; c9 … c0 and the 5
    # old ones are left out: 65 contracts - 50 shown = 15 more.
    assert len(rows) == 50
    assert rows[0].startswith("| c59 Job 59 |")
    assert rows[-1].startswith("| c10 Job 10 |")
    assert (
        "15 more contracts — use --format json or --format csv to see them all, or --all."
        in result.stdout
    )
    assert "in no window" not in result.stdout  # the one line says it all
    table = invoke("score", str(history), *AS_OF)
    assert table.code == 0, table.stderr
    assert "15 more contracts — use --format json or --format csv" in table.stdout
    assert "c10 Job 10" in table.stdout and "c9 Job 9" not in table.stdout


def test_all_lists_every_contract(invoke, tmp_path: Path) -> None:
    history = _history(tmp_path / "h.csv", counted=60, old=5)
    result = invoke("score", str(history), *AS_OF, "--format", "markdown", "--all")
    assert result.code == 0, result.stderr
    rows = _contract_rows(result.stdout)
    assert len(rows) == 65  # 60 counted + 5 in no window
    assert "more contract" not in result.stdout


def test_json_and_csv_are_never_cut(invoke, tmp_path: Path) -> None:
    history = _history(tmp_path / "h.csv", counted=60, old=5)
    doc = json.loads(invoke("score", str(history), *AS_OF, "--format", "json").stdout)
    assert len(doc["contracts"]) == 65
    csv_text = invoke("score", str(history), *AS_OF, "--format", "csv").stdout
    assert len(csv_text.strip().splitlines()) == 1 + 65


def test_up_to_50_rows_print_as_before(invoke, tmp_path: Path) -> None:
    history = _history(tmp_path / "h.csv", counted=50, old=2)
    result = invoke("score", str(history), *AS_OF, "--format", "markdown")
    assert len(_contract_rows(result.stdout)) == 50
    assert "2 more contracts count in no window" in result.stdout
    assert "--format json or --format csv" not in result.stdout


def test_one_more_row_is_singular() -> None:
    assert more_rows_line(1, "contract") == (
        "1 more contract — use --format json or --format csv to see them all, or --all."
    )
    assert more_rows_line(99_950, "contract").startswith("99,950 more contracts — ")


def test_snapshots_show_caps_the_stored_score_as_score_does(invoke, tmp_path: Path) -> None:
    # The same history as above, stored as a snapshot: `snapshots show` listed all 65 rows
    # whatever the size; now as score: c59 … c10, then "15 more", and --all lists all 65.
    history = _history(tmp_path / "h.csv", counted=60, old=5)
    assert invoke("snapshot", str(history), *AS_OF).code == 0
    for fmt in ("table", "markdown"):
        shown = invoke("snapshots", "show", "1", "--format", fmt)
        assert shown.code == 0, shown.stderr
        # (snapshots show prints no CSV: only the formats it takes are named)
        assert "15 more contracts — use --format json to see them all, or --all." in (
            " ".join(shown.stdout.split())
        ), fmt
        assert "c10 Job 10" in shown.stdout and "c9 Job 9" not in shown.stdout, fmt
    every = invoke("snapshots", "show", "1", "--format", "markdown", "--all")
    assert len(_contract_rows(every.stdout)) == 65
    assert "more contracts" not in every.stdout
    document = json.loads(invoke("snapshots", "show", "1", "--format", "json").stdout)
    assert len(document["score"]["contracts"]) == 65
