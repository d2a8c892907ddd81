"""The sample history in sample_data/: CSV and JSON agree, it has every kind of contract the
README promises, and `explain` tells its story (a $0 'Logo redesign' knocks the JSS down)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from jsscheck.model.contract import FIELDS

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_data"
CSV_PATH = SAMPLE / "history.csv"
JSON_PATH = SAMPLE / "history.json"
AS_OF = "2026-11-21"
SINCE = "2026-10-24"
CANONICAL_COLUMNS = list(FIELDS)


def run_cli(*args: str) -> dict[str, Any]:
    """Run `python -m jsscheck ARGS --format json` from the repository root; return the document."""
    result = subprocess.run(
        [sys.executable, "-m", "jsscheck", *args, "--format", "json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def json_contracts() -> list[dict[str, Any]]:
    return json.loads(JSON_PATH.read_text(encoding="utf-8"))["contracts"]


def test_csv_has_the_canonical_columns_in_order() -> None:
    with CSV_PATH.open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header == CANONICAL_COLUMNS


def test_csv_and_json_score_identically() -> None:
    from_csv = run_cli("score", str(CSV_PATH.relative_to(REPO)), "--as-of", AS_OF)
    from_json = run_cli("score", str(JSON_PATH.relative_to(REPO)), "--as-of", AS_OF)
    for key in ("jss", "best", "candidates", "contracts"):
        assert from_csv[key] == from_json[key], key
    assert from_csv["jss"] is not None


def test_json_holds_the_same_contracts_as_the_csv() -> None:
    with CSV_PATH.open(newline="", encoding="utf-8") as handle:
        csv_ids = [row["contract_id"] for row in csv.DictReader(handle)]
    assert [c["contract_id"] for c in json_contracts()] == csv_ids


def test_sample_has_every_required_kind_of_contract() -> None:
    contracts = json_contracts()
    assert 40 <= len(contracts) <= 80
    ids = [c["contract_id"] for c in contracts]
    assert len(set(ids)) == len(ids)
    assert all(i.isdigit() and len(i) == 8 for i in ids)

    def has_feedback(c: dict[str, Any]) -> bool:
        return c["public_feedback"] is not None or c["private_feedback"] is not None

    zero_dollar = [c for c in contracts if c["earnings"] == 0]
    assert [c["title"] for c in zero_dollar] == ["Logo redesign"]
    assert zero_dollar[0]["public_feedback"] < 4.0
    assert any(c["disputed"] for c in contracts)
    assert any(c["client_flagged"] and c["public_feedback"] is not None for c in contracts)
    assert any(c["end_date"] is None for c in contracts)
    ended_without_feedback = [c for c in contracts if c["end_date"] and not has_feedback(c)]
    assert len(ended_without_feedback) >= 3
    assert sum(c["private_feedback"] is not None for c in contracts) >= 2
    assert any(c["feedback_date"] for c in contracts)
    clients: dict[str, int] = {}
    for c in contracts:
        clients[c["client"]] = clients.get(c["client"], 0) + 1
    assert sum(n >= 3 for n in clients.values()) >= 2


@pytest.mark.parametrize("path", [CSV_PATH, JSON_PATH], ids=["csv", "json"])
def test_explain_blames_the_logo_redesign(path: Path) -> None:
    document = run_cli("explain", str(path.relative_to(REPO)), "--since", SINCE, "--as-of", AS_OF)
    assert document["before"]["jss"] - document["after"]["jss"] >= 5
    largest = max(document["contributions"], key=lambda c: abs(c["effect"]))
    assert largest["title"] == "Logo redesign"
    assert largest["effect"] < 0
