"""`goal` (MODEL.md section 10), worked out by hand.

All contracts earn $500 over 30 days: weight 1.25 under `tiers`. The default new contract is
then $500 (the median of the counted ones), 5 stars, 30 days ending on t: also a 1.25 success,
anchored on t (its last payment), so it sits in every window.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers import make_contract

from jsscheck.analyses.forecast import goal
from jsscheck.errors import UsageError
from jsscheck.model.contract import Contract
from jsscheck.model.rules import PRESETS

UPWORK = PRESETS["upwork"]
T = date(2026, 6, 30)


def ended(cid: str, end: str, stars: float = 5.0, **extra: object) -> Contract:
    finish = date.fromisoformat(end)
    return make_contract(
        contract_id=cid,
        client=f"client-{cid}",
        start_date=finish - timedelta(days=30),
        end_date=finish,
        public_feedback=stars,
        **extra,
    )


def late_negative() -> list[Contract]:
    # Four successes (2026-04-10, -04-20, -05-01, -05-10) and a 1-star negative on 2026-06-20,
    # all inside 3m (from 2026-03-30), so 3m = 6m = 12m = 24m and Trending equals them:
    # 100·(5 − 1.25)/6.25 = 60 → 60%.
    return [
        ended("S1", "2026-04-10"),
        ended("S2", "2026-04-20"),
        ended("S3", "2026-05-01"),
        ended("S4", "2026-05-10"),
        ended("N", "2026-06-20", 1.0),
    ]


def early_negative() -> list[Contract]:
    # The same, but the negative is the oldest (2026-04-05).
    return [
        ended("N", "2026-04-05", 1.0),
        ended("S1", "2026-04-10"),
        ended("S2", "2026-04-20"),
        ended("S3", "2026-05-01"),
        ended("S4", "2026-05-10"),
    ]


def test_three_new_contracts_are_needed() -> None:
    # In units of 1.25: S = 4, N = 1, T = 5. With k new successes: 100·(3 + k)/(5 + k):
    # k = 1: 4/6 = 66.67 → 67; k = 2: 5/7 = 71.43 → 71; k = 3: 6/8 = 75 → 75 ≥ 75.
    result = goal(late_negative(), UPWORK, T, target=75)
    assert result.jss == 60
    assert result.earnings == 500.0
    assert result.count == 3
    assert result.jss_after == [67, 71, 75]
    # Waiting: successes leave 3m first (3m falls), later 12m and 24m lose successes before
    # the negative; the best never exceeds 60% within 24 months.
    assert result.wait_date is None
    assert result.wait_why == "by 2028-06-30 the JSS gets no higher than 60%"
    assert result.summary().startswith(
        "You need 3 new $500 contracts with 5-star feedback (each with a new client, finished "
        "by 2026-06-30) to reach 75% — you have 60%."
    )
    assert not result.waiting_faster


def test_waiting_is_faster() -> None:
    # Same numbers now (60%, 3 new contracts for 75%). But N leaves 3m on 2026-07-06
    # (start(2026-07-06, 3) = 2026-04-06 > 2026-04-05): 3m = 4 successes = 100, 6m = 60,
    # Trending = (100 + 60)/2 = 80 → 80% ≥ 75, six days from now (< 30 days of new work).
    result = goal(early_negative(), UPWORK, T, target=75)
    assert result.count == 3
    assert (result.wait_date, result.wait_jss) == (date(2026, 7, 6), 80)
    assert result.waiting_faster
    assert "Waiting is faster." in result.summary()


def test_already_there() -> None:
    result = goal(late_negative(), UPWORK, T, target=60)
    assert result.count == 0 and result.jss_after == []
    assert result.wait_date == T


def test_neutral_new_contracts_cannot_reach_it() -> None:
    # 4 stars: 4.0 ≤ 4 < 4.5 → neutral. k = 1: 100·3/6 = 50 → lower; never reached.
    result = goal(late_negative(), UPWORK, T, target=75, public=4.0)
    assert result.count is None
    assert result.jss_after[0] == 50
    assert "neutral outcome" in (result.why or "")


def test_share_formula_with_neutral_contracts() -> None:
    # share: 100·S/T. Now 100·4/5 = 80; a neutral adds to T only: 4/6 = 66.67.
    rules = replace(UPWORK, formula="share")
    result = goal(late_negative(), rules, T, target=90, public=4.0)
    assert result.jss == 80
    assert result.count is None
    assert "share formula" in (result.why or "")


def test_zero_dollar_contracts_do_not_count() -> None:
    result = goal(late_negative(), UPWORK, T, target=75, earnings=0.0)
    assert result.count is None
    assert "$0 contract does not count" in (result.why or "")


def test_search_cap() -> None:
    # Three are needed; a cap of 2 reaches only 71%.
    result = goal(late_negative(), UPWORK, T, target=75, max_new=2)
    assert result.count is None
    assert result.jss_after == [67, 71]
    assert result.why == "even 2 new contracts (the most searched) only reach 71%"


def test_exactly_100_with_floor_rounding_is_out_of_reach() -> None:
    # N stays in every window: (3 + k)/(5 + k) < 1 for every k.
    rules = replace(UPWORK, rounding="floor")
    result = goal(late_negative(), rules, T, target=100, max_new=20)
    assert result.count is None
    assert "floor rounding" in (result.why or "")


def test_no_history_gets_a_jss_from_two_new_contracts() -> None:
    # No contracts: default $500; k = 1 is one client (min 2): no JSS; k = 2: 100%.
    result = goal([], UPWORK, T, target=90)
    assert result.earnings == 500.0
    assert result.jss_after == [None, 100]
    assert result.count == 2
    assert result.wait_why == "no window becomes eligible by 2028-06-30"


def test_invalid_arguments() -> None:
    with pytest.raises(UsageError):
        goal([], UPWORK, T, target=101)
    with pytest.raises(UsageError):
        goal([], UPWORK, T, public=6)
    with pytest.raises(UsageError):
        goal([], UPWORK, T, earnings=-1)


def test_goal_json_document() -> None:
    doc = goal(early_negative(), UPWORK, T, target=75).to_json()
    assert doc["schema"] == "jsscheck.goal/1"
    assert doc["target"] == 75 and doc["jss"] == 60
    assert doc["new_contracts"]["count"] == 3
    assert doc["new_contracts"]["jss_after"] == [67, 71, 75]
    assert doc["new_contracts"]["earnings"] == 500.0
    assert doc["new_contracts"]["public_feedback"] == 5.0
    assert doc["wait"] == {"date": "2026-07-06", "jss": 80}
    unreachable = goal(late_negative(), UPWORK, T, target=75, public=4.0).to_json()
    assert unreachable["new_contracts"]["count"] is None
    assert unreachable["new_contracts"]["why"]
    json.dumps(doc)


def test_cli_goal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import importlib

    from jsscheck.cli import register_commands
    from jsscheck.cli.app import app, run

    register_commands()
    if "goal" not in {c.name for c in app.registered_commands}:
        importlib.import_module("jsscheck.cli.cmd_goal").register(app)
    lines = ["contract_id,client,start_date,end_date,earnings,public_feedback"]
    for c in late_negative():
        lines.append(
            f"{c.contract_id},{c.client},{c.start_date},{c.end_date},500,{c.public_feedback}"
        )
    path = tmp_path / "h.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = run(["goal", str(path), "--as-of", "2026-06-30", "--target", "75", "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    assert doc["new_contracts"]["count"] == 3
    code = run(["goal", str(path), "--as-of", "2026-06-30", "--target", "75"])
    out = capsys.readouterr().out
    assert code == 0 and "You need 3 new $500 contracts" in out
