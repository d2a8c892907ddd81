"""MODEL.md 11 warnings: "open contracts credited" and "short coverage" in score, explain,
forecast and the report."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import Invoke

HISTORY = """contract_id,client,title,start_date,end_date,last_payment_date,earnings,public_feedback
1,Acme,Retainer [URGENT],2025-01-01,,2026-03-01,5000,
2,Beta,Logo,2026-06-01,2026-07-01,2026-07-01,300,5
3,Gamma,Site,2026-05-01,2026-06-01,2026-06-01,300,5
4,Delta,Support,2025-01-01,,2026-10-01,5000,
"""


def _history(tmp_path: Path) -> Path:
    path = tmp_path / "history.csv"
    path.write_text(HISTORY)
    return path


def test_score_warns_about_an_open_contract_credited_though_unpaid_for_over_90_days(
    tmp_path: Path, invoke: Invoke
) -> None:
    # Contract 1 runs since 2025-01-01 (> 90 days, earnings > 0): long-term, open, counted as a
    # success (MODEL.md 3 row 3), anchored at its last payment 2026-03-01 (§5), which is in the
    # 12- and 24-month windows on 2026-11-21. 2026-03-01 → 2026-11-21 is 30 + 30 + 31 + 30 + 31
    # + 31 + 30 + 31 + 21 = 265 days > 90: warned. Contract 4 was paid 51 days before: not warned.
    result = invoke("score", _history(tmp_path), "--as-of", "2026-11-21", "--format", "json")
    assert result.code == 0, result.stderr
    warnings = json.loads(result.stdout)["warnings"]
    assert len(warnings) == 1
    assert warnings[0].startswith("'Retainer [URGENT]' is open and counted as a success")
    assert "2026-03-01 (265 days before 2026-11-21)" in warnings[0]

    table = invoke("score", _history(tmp_path), "--as-of", "2026-11-21")
    assert "'Retainer [URGENT]' is open and counted as a success" in table.stderr
    quiet = invoke("score", _history(tmp_path), "--as-of", "2026-11-21", "--quiet")
    assert "open and counted" not in quiet.stderr


def test_only_payments_known_on_the_date_count_for_the_warning(
    tmp_path: Path, invoke: Invoke
) -> None:
    # On 2026-05-01 contract 1's last payment (2026-03-01) is 61 days old: no warning. Contract
    # 4's payment of 2026-10-01 is not known yet, so its last known payment is its start
    # (MODEL.md 3): 2025-01-01 → 2026-05-01 is 365 + 31 + 28 + 31 + 30 = 485 days: warned.
    result = invoke("score", _history(tmp_path), "--as-of", "2026-05-01", "--format", "json")
    warnings = json.loads(result.stdout)["warnings"]
    assert len(warnings) == 1
    assert warnings[0].startswith("'Support' is open")
    assert "2025-01-01 (485 days before 2026-05-01)" in warnings[0]


ROOT = Path(__file__).resolve().parents[1]
EXPORTS = [
    ROOT / "sample_data" / "upwork" / name
    for name in ("weekly_summary_2026.csv", "transaction_history_2026.csv", "my_additions.csv")
]


def test_score_warns_when_the_exports_start_after_the_longest_window(invoke: Invoke) -> None:
    # The sample Weekly Summary's first row is dated 2026-02-02; the 24-month window of
    # 2026-11-21 starts on 2024-11-21 (MODEL.md 5), before it: short coverage (MODEL.md 11).
    result = invoke("score", *EXPORTS, "--as-of", "2026-11-21", "--format", "json")
    assert result.code == 0, result.stderr
    warnings = json.loads(result.stdout)["warnings"]
    assert warnings[0].startswith("Your Upwork exports start on 2026-02-02, after the start")


def test_no_coverage_warning_for_a_history_of_ones_own(invoke: Invoke) -> None:
    history = ROOT / "sample_data" / "history.csv"
    result = invoke("score", history, "--as-of", "2026-11-21", "--format", "json")
    assert not any("exports start" in w for w in json.loads(result.stdout)["warnings"])


def test_validate_names_the_coverage_and_the_weekly_summary_assumption(invoke: Invoke) -> None:
    result = invoke("validate", *EXPORTS)
    assert result.code == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "Your Upwork exports cover payments from 2026-02-02 on." in text
    assert "taken as paid on the Monday after their week" in text
    document = json.loads(invoke("validate", *EXPORTS, "--format", "json").stdout)
    assert document["covered_from"] == "2026-02-02"
    assert len(document["assumptions"]) == 1


COVERAGE = "Your Upwork exports start on 2026-02-02, after the start of your longest window"


def test_every_question_about_a_score_warns_about_short_coverage_too(invoke: Invoke) -> None:
    # As in score: 2026-02-02 is after 2024-11-21, the start of the 24-month window on
    # 2026-11-21 (on 2026-10-01 for timeline's first date: 2024-10-01). explain, forecast,
    # goal, whatif and timeline say it in their JSON and, as tables, on stderr.
    for command in (
        ["explain", "--since", "2026-10-24"],
        ["forecast"],
        ["goal"],
        ["whatif", "--no-feedback", "negative"],
        ["timeline", "--from", "2026-10-01"],
    ):
        args = [command[0], *EXPORTS, "--as-of", "2026-11-21", *command[1:]]
        document = json.loads(invoke(*args, "--format", "json").stdout)
        assert document["warnings"][0].startswith(COVERAGE), command
        table = invoke(*args)
        assert table.code == 0, table.stderr
        assert COVERAGE in " ".join(table.stderr.split()), command
        assert COVERAGE not in invoke(*args, "--quiet").stderr


def test_no_coverage_warning_once_the_longest_window_starts_after_the_exports(
    invoke: Invoke,
) -> None:
    # On 2028-03-01 the 24-month window starts on 2026-03-01, after 2026-02-02: the exports
    # cover it all, so nothing is said (forecast looks from its --as-of).
    for command in ("score", "forecast"):
        document = json.loads(
            invoke(command, *EXPORTS, "--as-of", "2028-03-01", "--format", "json").stdout
        )
        assert not any("exports start" in w for w in document["warnings"]), command


def test_the_report_says_each_warning_once(invoke: Invoke) -> None:
    result = invoke("report", *EXPORTS, "--as-of", "2026-11-21", "--format", "json")
    assert result.code == 0, result.stderr
    warnings = json.loads(result.stdout)["warnings"]
    assert sum(w.startswith(COVERAGE) for w in warnings) == 1
    assert len(warnings) == len(set(warnings))
