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
from hypothesis import given
from hypothesis import strategies as st
from test_properties import BOUNDED, histories, rule_sets

from jsscheck.analyses.goal import Plan, Unreachable, Wait, WaitNever, goal
from jsscheck.errors import UsageError
from jsscheck.model.contract import Contract
from jsscheck.model.rules import PRESETS
from jsscheck.render.goal import goal_document, goal_lines, render_goal, why_words

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


def _why(result) -> str:
    why = result.new_contracts.why
    return "" if why is None else why_words(why, result)


def test_three_new_contracts_are_needed() -> None:
    # In units of 1.25: S = 4, N = 1, T = 5. With k new successes: 100·(3 + k)/(5 + k):
    # k = 1: 4/6 = 66.67 → 67; k = 2: 5/7 = 71.43 → 71; k = 3: 6/8 = 75 → 75 ≥ 75.
    result = goal(late_negative(), UPWORK, T, target=75)
    assert result.jss == 60
    assert result.earnings == 500.0
    assert (result.new_contracts.count, result.new_contracts.jss_after) == (3, 75)
    assert goal(late_negative(), UPWORK, T, target=75, max_new=1).new_contracts.jss_after == 67
    # Waiting: successes leave 3m first (3m falls), later 12m and 24m lose successes before
    # the negative; the best never exceeds 60% within 24 months.
    assert result.wait == WaitNever(60)
    lines = goal_lines(result)
    assert lines[0] == "Your JSS is 60% as of 2026-06-30. To reach 75%:"
    assert lines[1].startswith("New work now: 3 new $500 contracts with 5-star feedback")
    assert lines[2] == "Waiting: with no new work your JSS gets no higher than 60% by 2028-06-30."


def test_waiting_reaches_it_in_six_days() -> None:
    # Same numbers now (60%, 3 new contracts for 75%). But N leaves 3m on 2026-07-06
    # (start(2026-07-06, 3) = 2026-04-06 > 2026-04-05): 3m = 4 successes = 100, 6m = 60,
    # Trending = (100 + 60)/2 = 80 → 80% ≥ 75. S1 leaves 3m on 2026-07-11: 3m = 3 successes,
    # still 100; … S3 leaves on 2026-08-02: 3m = S4 alone, no Trending: 6m = 60% < 75 (falls).
    result = goal(early_negative(), UPWORK, T, target=75)
    assert result.new_contracts.count == 3
    assert isinstance(result.wait, Wait)
    assert (result.wait.day, result.wait.jss) == (date(2026, 7, 6), 80)
    assert result.wait.falls_on == date(2026, 8, 2)


def test_already_there() -> None:
    result = goal(late_negative(), UPWORK, T, target=60)
    assert result.new_contracts.count == 0 and result.new_contracts.jss_after == 60
    assert isinstance(result.wait, Wait) and result.wait.day == T
    assert isinstance(result.plan, Plan) and (result.plan.day, result.plan.contracts) == (T, 0)


def test_neutral_new_contracts_cannot_reach_it() -> None:
    # 4 stars: 4.0 ≤ 4 < 4.5 → neutral. k = 1: 100·3/6 = 50 → lower; never reached.
    result = goal(late_negative(), UPWORK, T, target=75, public=4.0)
    assert result.new_contracts.count is None
    assert result.new_contracts.why == Unreachable("not_success", "neutral", "feedback")
    assert "neutral outcome" in _why(result)
    assert isinstance(result.plan, Unreachable) and result.plan.kind == "not_success"


def test_share_formula_with_neutral_contracts() -> None:
    # share: 100·S/T. Now 100·4/5 = 80; a neutral adds to T only: 4/6 = 66.67.
    rules = replace(UPWORK, formula="share")
    result = goal(late_negative(), rules, T, target=90, public=4.0)
    assert result.jss == 80
    assert result.new_contracts.count is None
    assert "do not raise your score" in _why(result)


def test_zero_dollar_contracts_do_not_count() -> None:
    result = goal(late_negative(), UPWORK, T, target=75, earnings=0.0)
    assert result.new_contracts.count is None
    assert "$0 contract does not count" in _why(result)


def test_search_cap() -> None:
    # Three are needed; a cap of 2 reaches only 71%.
    result = goal(late_negative(), UPWORK, T, target=75, max_new=2)
    assert result.new_contracts.count is None
    assert result.new_contracts.jss_after == 71
    assert _why(result) == "even 2 new contracts (the most tried) only reach 71%"


def test_exactly_100_with_floor_rounding_is_out_of_reach() -> None:
    # N stays in every window: (3 + k)/(5 + k) < 1 for every k.
    rules = replace(UPWORK, rounding="floor")
    result = goal(late_negative(), rules, T, target=100, max_new=20)
    assert result.new_contracts.count is None
    assert "floor rounding" in _why(result)


def test_no_history_gets_a_jss_from_two_new_contracts() -> None:
    # No contracts: default $500; k = 1 is one client (min 2): no JSS; k = 2: 100%.
    result = goal([], UPWORK, T, target=90)
    assert result.earnings == 500.0
    assert (result.new_contracts.count, result.new_contracts.jss_after) == (2, 100)
    assert goal([], UPWORK, T, target=90, max_new=1).new_contracts.jss_after is None
    assert result.wait == WaitNever(None)
    assert goal_lines(result)[0] == "You have no JSS as of 2026-06-30. To reach 90%:"


def test_invalid_arguments() -> None:
    with pytest.raises(UsageError):
        goal([], UPWORK, T, target=101)
    with pytest.raises(UsageError):
        goal([], UPWORK, T, public=6)
    with pytest.raises(UsageError):
        goal([], UPWORK, T, earnings=-1)
    with pytest.raises(UsageError):
        goal([], UPWORK, T, pace=0)


# --------------------------------------------------------------------------- wait and plan


def up_and_down() -> list[Contract]:
    # X (1 star, negative) ended 2025-07-15; S1, S2, S3 (5 stars) ended 2025-09-01,
    # 2025-12-01, 2026-01-01; each $500 over 30 days (weight 1.25), its own client.
    # On 2026-06-30: 6m (from 2025-12-30) = S3 alone (1 contract: not eligible), no 3m, so no
    # Trending; 12m = 24m = X, S1, S2, S3: 100·(3.75 − 1.25)/5 = 50 → 50%.
    # 2026-07-16: X leaves 12m (start 2025-07-16 > 2025-07-15): 12m = 3 successes = 100%.
    # 2026-09-02: S1 leaves 12m: S2, S3 = 100%, no change.
    # 2026-12-02: S2 leaves 12m: S3 alone, not eligible: 24m = 50 → 50%.
    # 2027-07-16: X leaves 24m: 24m = S1, S2, S3 = 100%.
    # 2027-09-02: S1 leaves 24m: S2, S3 = 100%. 2027-12-02: S2 leaves 24m: no JSS.
    return [
        ended("X", "2025-07-15", 1.0, title="Logo redesign"),
        ended("S1", "2025-09-01"),
        ended("S2", "2025-12-01"),
        ended("S3", "2026-01-01"),
    ]


def test_wait_first_reaches_then_falls_back_then_stays() -> None:
    result = goal(up_and_down(), UPWORK, T, target=90, until=date(2027, 11, 30))
    assert result.jss == 50
    assert result.wait == Wait(date(2026, 7, 16), 100, date(2027, 7, 16), date(2026, 12, 2))
    lines = goal_lines(result)
    assert lines[2] == (
        "Waiting: with no new work your JSS first shows 100% on 2026-07-16, falls back below "
        "90% on 2026-12-02, and stays at 90% or more from 2027-07-16 on."
    )
    # To 2028-06-30 (24 months) it disappears on 2027-12-02: it does not stay.
    longer = goal(up_and_down(), UPWORK, T, target=90)
    assert isinstance(longer.wait, Wait) and longer.wait.stays_from is None


def test_new_contracts_count_with_the_6_month_window() -> None:
    # One new $500 5-star contract ending 2026-06-30: 6m = S3 and it, 2 clients, 2.5/2.5 →
    # 100%. (3m holds it alone: no Trending.)
    result = goal(up_and_down(), UPWORK, T, target=90)
    assert (result.new_contracts.count, result.new_contracts.jss_after) == (1, 100)


def test_plan_one_contract_every_pace_days() -> None:
    # pace 7: new contracts end 2026-07-07, 07-14, … On 2026-07-07: 6m (from 2026-01-07) =
    # N1 alone; 12m = X, S1, S2, S3, N1: 100·(5 − 1.25)/6.25 = 60 → 60%. On 2026-07-14:
    # 3m = 6m = N1, N2 → 100; Trending 100 → 100% ≥ 90, after 2 contracts.
    result = goal(up_and_down(), UPWORK, T, target=90, pace=7)
    assert result.plan == Plan(7, date(2026, 7, 14), 100, 2)
    # pace 14 (default): N1 ends 2026-07-14 (12m: 60%), then X leaves 12m on 2026-07-16:
    # 12m = S1, S2, S3, N1 = 100% → reached on 2026-07-16 after 1 contract.
    default = goal(up_and_down(), UPWORK, T, target=90)
    assert default.plan == Plan(14, date(2026, 7, 16), 100, 1)
    assert goal_lines(default)[3] == (
        "A plan: finishing one new $500 contract with 5-star feedback every 14 days from "
        "2026-07-14, your JSS shows 100% on 2026-07-16, after the first one."
    )


def test_plan_not_reachable_within_the_horizon() -> None:
    # 4-star contracts are neutral: they never raise a score.
    result = goal(late_negative(), UPWORK, T, target=75, public=4.0, pace=30)
    assert isinstance(result.plan, Unreachable)
    assert goal_document(result)["plan"] is None and goal_document(result)["plan_why"]


def test_target_100_prints_a_few_lines_not_a_table() -> None:
    from rich.console import Console

    console = Console(width=200, record=True, no_color=True)
    render_goal(console, goal(late_negative(), UPWORK, T, target=100))
    text = console.export_text()
    assert len(text.strip().splitlines()) <= 6
    assert "┃" not in text and "│" not in text


def test_goal_json_document() -> None:
    doc = goal_document(goal(early_negative(), UPWORK, T, target=75))
    assert doc["schema"] == "jsscheck.goal/2"
    assert {"as_of", "target", "jss", "new_contracts", "wait", "plan"} <= set(doc)
    assert doc["target"] == 75 and doc["jss"] == 60
    assert doc["new_contracts"] == {
        "count": 3,
        "earnings": 500.0,
        "public_feedback": 5.0,
        "jss_after": 75,
    }
    assert doc["wait"] == {"date": "2026-07-06", "jss": 80, "stays_from": None}
    assert set(doc["plan"]) >= {"pace_days", "date", "contracts"}
    unreachable = goal_document(goal(late_negative(), UPWORK, T, target=75, public=4.0))
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
    code = run(["goal", str(path), "--as-of", "2026-06-30", "--target", "75", "--pace", "7"])
    out = capsys.readouterr().out
    assert code == 0 and "3 new $500 contracts" in out and "every 7 days" in out
    code = run(["goal", str(path), "--as-of", "2026-06-30", "--target", "75", "-f", "markdown"])
    out = capsys.readouterr().out
    assert code == 0 and "| Way | Answer |" in out
    # --stars sets the new contracts' feedback: 4.0 stars is neutral under upwork (below 4.5,
    # not below 4.0), so new contracts cannot lift the score. (It was --public, which the rule
    # flag --public/--no-public shadowed: `--public 4` read "4" as a history file.)
    common = ["goal", str(path), "--as-of", "2026-06-30", "--target", "75", "-f", "json"]
    code = run([*common, "--stars", "4"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and doc["new_contracts"]["count"] is None
    assert run([*common, "--stars", "6"]) == 2
    assert "--stars: 6 is out of range" in capsys.readouterr().err


def test_wait_and_plan_match_day_by_day_evaluation_on_random_histories() -> None:
    import random

    from test_forecast import _random_history, _rules

    from jsscheck.analyses.forecast import freeze
    from jsscheck.analyses.goal import _new_contract
    from jsscheck.engine.arrays import ContractArrays
    from jsscheck.engine.calendar import update_day
    from jsscheck.engine.evaluate import evaluate_dates
    from jsscheck.model.table import ContractTable

    def shown(table: ContractTable, rules, days: list[date]) -> list[int | None]:
        arrays = ContractArrays.from_contracts(table)
        computed = sorted({update_day(d, rules.cadence) for d in days})
        scores = evaluate_dates(arrays, rules, computed)
        by_day = {d: scores.jss_at(i) for i, d in enumerate(computed)}
        return [by_day[update_day(d, rules.cadence)] for d in days]

    rng = random.Random(14)
    for _ in range(25):
        as_of = date(2026, 1, 1) + timedelta(days=rng.randint(0, 365))
        until = as_of + timedelta(days=200)
        history, rules = _random_history(rng, as_of), _rules(rng)
        target, pace = rng.choice([70, 80, 90, 95]), rng.choice([7, 14, 30])
        result = goal(history, rules, as_of, target=target, until=until, pace=pace)
        days = [as_of + timedelta(days=n) for n in range(201)]
        frozen = freeze(history, as_of)
        jss = shown(frozen, rules, days)
        ok = [j is not None and j >= target for j in jss]
        if not any(ok):
            assert isinstance(result.wait, WaitNever)
        else:
            first = days[ok.index(True)]
            stays = next((days[i] for i in range(len(days)) if all(ok[i:])), None)
            assert isinstance(result.wait, Wait)
            assert (result.wait.day, result.wait.stays_from) == (first, stays)
        ends = [as_of + timedelta(days=pace * j) for j in range(1, 200 // pace + 1)]
        extra = [_new_contract(j, end, result.earnings, 5.0) for j, end in enumerate(ends, 1)]
        planned = ContractTable.concat([frozen, ContractTable.from_contracts(extra)])
        ok = [j is not None and j >= target for j in shown(planned, rules, days)]
        if any(ok):
            day = days[ok.index(True)]
            assert isinstance(result.plan, Plan)
            assert (result.plan.day, result.plan.contracts) == (
                day,
                sum(1 for e in ends if e <= day),
            )
        else:
            assert isinstance(result.plan, Unreachable)


# --- the fewest new contracts, found by halving (issue 16: goal at 1M) -----------------------


def _fewest_by_counting(contracts, rules, day, target, earnings, public, max_new):  # type: ignore[no-untyped-def]
    """The search as it was: evaluate 1, 2, 3, … new contracts until the target shows (the
    reference the halving search must agree with)."""
    from jsscheck.analyses.goal import _new_contract, _out_of_reach, _reached, _why_not
    from jsscheck.engine.evaluate import evaluate
    from jsscheck.model.table import ContractTable

    n, last = len(contracts), None
    for k in range(1, max_new + 1):
        extra = [_new_contract(i + 1, day, earnings, public) for i in range(k)]
        evaluation = evaluate(ContractTable.from_contracts([*contracts, *extra]), rules, day)
        last = evaluation.jss
        if _reached(last, target):
            return k, last, None
        why = _why_not(evaluation, n)
        if why is not None and k >= max(rules.min_outcomes, rules.min_clients):
            return None, last, why
    return None, last, _out_of_reach(rules, target, max_new, last)


@BOUNDED
@given(
    histories,
    rule_sets(),
    st.integers(1, 100),
    st.sampled_from([0.0, 100.0, 500.0, 2500.0]),
    st.sampled_from([5.0, 4.8, 4.0, 3.0, 1.0]),
    st.integers(1, 9),
)
def test_halving_finds_the_count_that_counting_finds(  # type: ignore[no-untyped-def]
    drawn, rules, target, earnings, public, max_new
) -> None:
    from jsscheck.analyses.goal import new_contracts
    from jsscheck.engine.evaluate import evaluate
    from jsscheck.model.table import ContractTable

    contracts, day = drawn
    table = ContractTable.from_contracts(contracts)
    now = evaluate(table, rules, day)
    if now.jss is not None and now.jss >= target:
        return  # 0 new contracts: no search
    found = new_contracts(table, rules, day, now, target, earnings, public, max_new)
    expected = _fewest_by_counting(contracts, rules, day, target, earnings, public, max_new)
    assert (found.count, found.jss_after, found.why) == expected
