"""`explain` (MODEL.md section 9): attribution, window switch, floor, steps, sentences.

Every expected number is worked out by hand in the comment beside it. Unless said otherwise a
contract earns $100 over a few days (tiers weight 1) and has its own client.
"""

from __future__ import annotations

import math
from datetime import date

import pytest
from helpers import make_contract

from jsscheck.analyses.explain import explain_report
from jsscheck.engine.arrays import ContractArrays
from jsscheck.engine.attribution import explain_change
from jsscheck.engine.evaluate import evaluate
from jsscheck.model.contract import Contract
from jsscheck.model.rules import preset, with_overrides

SINCE = date(2026, 10, 24)
AS_OF = date(2026, 11, 21)
UPWORK = preset("upwork")
SIX_MONTHS_ONLY = with_overrides(UPWORK, {"windows": "6", "trending": False})


def ended(day: str, stars: float | None = 5.0, **more: object) -> Contract:
    """A short $100 contract ending (and last paid) on `day`."""
    end = date.fromisoformat(day)
    start = date.fromordinal(end.toordinal() - 5)
    return make_contract(
        start_date=start,
        end_date=end,
        last_payment_date=end,
        earnings=100,
        public_feedback=stars,
        **more,
    )


def explain(contracts: list[Contract], rules=UPWORK, since=SINCE, as_of=AS_OF):
    arrays = ContractArrays.from_contracts(contracts)
    return explain_report(arrays, rules, since, as_of)


def effects(report) -> dict[str, float]:
    return {c.contract_id: c.effect for c in report.explanation.contributions}


def assert_sums_to_change(report) -> None:
    x = report.explanation
    switch = x.window_switch.effect if x.window_switch else 0.0
    total = sum(c.effect for c in x.contributions) + switch + x.floor_effect
    assert total == pytest.approx(x.change, abs=1e-9)


def test_a_single_new_negative_contract_takes_all_of_the_fall() -> None:
    # Before: three successes in every window: 100·3/3 = 100 (all windows tie → 24m is best).
    # After: a 2-star contract ends on 2026-11-10: 100·(3 − 1)/4 = 50. Change −50, all of it
    # the new contract (the Shapley share of the only contract that changed is the change).
    history = [ended("2026-10-01"), ended("2026-10-05"), ended("2026-10-10")]
    bad = ended("2026-11-10", stars=2.0, contract_id="bad", title="Logo redesign")
    report = explain([*history, bad])
    x = report.explanation
    assert (x.before.jss, x.after.jss) == (100, 50)
    assert x.change == pytest.approx(-50.0)
    assert x.attributed_in == "24m"
    assert x.window_switch is None
    assert effects(report) == {"bad": pytest.approx(-50.0)}
    assert x.contributions[0].reason == "entered"
    assert x.contributions[0].before is None  # it had not started on the since date
    assert x.contributions[0].after.outcome == "negative"
    assert [
        (s.step.day, s.step.jss_before, s.step.jss_after, s.top_cause) for s in report.steps
    ] == [(date(2026, 11, 10), 100, 50, "bad")]
    assert report.summary.startswith("Your JSS fell from 100% to 50% on 2026-11-10.")
    assert "'Logo redesign'" in report.summary
    assert_sums_to_change(report)


def test_an_old_success_aging_out_lowers_the_score_with_nothing_new() -> None:
    # 6-month window only. Anchors: S1 2026-05-10, S2 07-01, S3 08-01, N 09-01 (2 stars).
    # 2026-11-01: window starts 05-01, all four in: 100·(3 − 1)/4 = 50.
    # 2026-11-21: window starts 05-21, S1 is out: 100·(2 − 1)/3 = 33.33.
    # S1 leaves on 2026-11-11 (05-10 + 6 months + 1 day). Its contribution is the whole change.
    contracts = [
        ended("2026-05-10", contract_id="S1"),
        ended("2026-07-01"),
        ended("2026-08-01"),
        ended("2026-09-01", stars=2.0),
    ]
    report = explain(contracts, SIX_MONTHS_ONLY, since=date(2026, 11, 1))
    x = report.explanation
    assert x.change == pytest.approx(100 / 3 - 50)
    assert effects(report) == {"S1": pytest.approx(100 / 3 - 50)}
    assert x.contributions[0].reason == "aged_out"
    assert [(s.step.day, s.step.jss_before, s.step.jss_after) for s in report.steps] == [
        (date(2026, 11, 11), 50, 33)
    ]
    assert "aged out of the 6-month window" in report.summary


def test_a_window_switch_is_its_own_term() -> None:
    # Windows 6 and 12 months, no Trending. N (2 stars) anchored 2026-05-10; successes on
    # 07-01, 08-01, 09-01 and an older one on 2026-02-01 (in 12m, never in 6m).
    # 10-24: 6m = 100·(3 − 1)/4 = 50; 12m = 100·(4 − 1)/5 = 60 → best 12m (60).
    # 11-21: N left the 6m window (starts 05-21): 6m = 100·3/3 = 100; 12m still 60 → best 6m.
    # A rise, and 6m was eligible before: c = 6m, its change 100 − 50 = +50 is N's;
    # switch = s_6m(0) − s_12m(0) = 50 − 60 = −10; total 100 − 60 = +40.
    rules = with_overrides(UPWORK, {"windows": "6,12", "trending": False})
    contracts = [
        ended("2026-05-10", stars=2.0, contract_id="N"),
        ended("2026-07-01"),
        ended("2026-08-01"),
        ended("2026-09-01"),
        ended("2026-02-01"),
    ]
    x = explain(contracts, rules).explanation
    assert x.change == pytest.approx(40.0)
    assert x.attributed_in == "6m"
    assert {c.contract_id: c.effect for c in x.contributions} == {"N": pytest.approx(50.0)}
    assert (x.window_switch.source, x.window_switch.target) == ("12m", "6m")
    assert x.window_switch.effect == pytest.approx(-10.0)


def test_a_fall_where_the_old_best_keeps_its_score_is_cushioned_by_the_switch() -> None:
    # Mirror image: at 10-24 the 6-month window is best, at 11-21 a negative enters both.
    # Windows 6 and 12. Successes 09-01, 09-15 (6m) and negatives 2026-02-01, 2026-03-01 (12m).
    # 10-24: 6m = 100·2/2 = 100; 12m = 100·(2 − 2)/4 = 0 → best 6m.
    # 11-21: N3 (2 stars, 11-10) enters: 6m = 100·(2 − 1)/3 = 33.33; 12m = 100·(2 − 3)/5 → 0.
    # A fall; 6m still eligible → c = 6m, no switch (best stays 6m). Change −66.67, all N3.
    rules = with_overrides(UPWORK, {"windows": "6,12", "trending": False})
    contracts = [
        ended("2026-09-01"),
        ended("2026-09-15"),
        ended("2026-02-01", stars=2.0),
        ended("2026-03-01", stars=2.0),
        ended("2026-11-10", stars=2.0, contract_id="N3"),
    ]
    x = explain(contracts, rules).explanation
    assert x.attributed_in == "6m" and x.window_switch is None
    assert x.change == pytest.approx(100 / 3 - 100)
    assert {c.contract_id: c.effect for c in x.contributions} == {"N3": pytest.approx(-200 / 3)}


def test_the_shapley_shares_of_two_changes_split_the_interaction() -> None:
    # 6m only. Before: S1, S2 successes, N negative: A = 1, B = 3 → 33.33.
    # After: N's feedback turns into... nothing changes for N; instead S3 enters (+1 a, +1 b)
    # and S1 ages out (−1 a, −1 b): A = 1, B = 3 again → change 0, the shares cancel:
    # ΔB = 0 → L = 1/B0 = 1/3, M = (A0 + ΔA/2)/B0² = 1/9;
    # c(S3) = 100·(1·1/3 − 1·1/9) = 22.22, c(S1) = 100·(−1/3 + 1/9) = −22.22.
    contracts = [
        ended("2026-05-10", contract_id="S1"),
        ended("2026-07-01"),
        ended("2026-08-01", stars=2.0),
        ended("2026-11-15", contract_id="S3"),
    ]
    x = explain(contracts, SIX_MONTHS_ONLY, since=date(2026, 11, 1)).explanation
    assert x.change == pytest.approx(0.0)
    assert {c.contract_id: c.effect for c in x.contributions} == {
        "S3": pytest.approx(200 / 9),
        "S1": pytest.approx(-200 / 9),
    }


def test_a_floored_score_reports_the_floor_term() -> None:
    # 6m only. Before: 1 success, 2 negatives: 100·(1 − 2)/3 = −33.33 → shown 0.
    # After: a third negative: 100·(1 − 3)/4 = −50 → still 0. Change 0.
    # The contract's share is the unclamped change −16.67; the floor gives it back: +16.67.
    contracts = [
        ended("2026-08-01"),
        ended("2026-09-01", stars=2.0),
        ended("2026-09-15", stars=2.0),
        ended("2026-11-10", stars=2.0, contract_id="N3"),
    ]
    report = explain(contracts, SIX_MONTHS_ONLY)
    x = report.explanation
    assert x.change == pytest.approx(0.0)
    assert {c.contract_id: c.effect for c in x.contributions} == {
        "N3": pytest.approx(-50 + 100 / 3)
    }
    assert x.floor_effect == pytest.approx(50 - 100 / 3)
    assert "floored at 0%" in report.summary
    assert_sums_to_change(report)


def test_no_score_on_the_since_date_is_said_in_words() -> None:
    # One contract (one client) before 10-24: no window has 2 clients → no JSS.
    # A second client's success ends 11-01 → 100% on 11-21.
    report = explain([ended("2026-09-01"), ended("2026-11-01")])
    x = report.explanation
    assert x.status == "appeared" and x.change is None and x.attributed_in is None
    assert x.contributions == []
    assert report.summary.startswith("You had no JSS on 2026-10-24: not enough history.")
    assert report.to_json()["change"] is None


def test_losing_the_score_is_said_in_words() -> None:
    # Two clients in the 6m window on 10-24; by 11-21 one has aged out (anchor 2026-05-10).
    report = explain(
        [ended("2026-05-10"), ended("2026-07-01")], SIX_MONTHS_ONLY, since=date(2026, 11, 1)
    )
    assert report.explanation.status == "disappeared"
    assert "on 2026-11-21 you have none" in report.summary


def test_nothing_changed_is_said_plainly() -> None:
    report = explain([ended("2026-09-01"), ended("2026-09-10")])
    assert report.explanation.change == pytest.approx(0.0)
    assert report.explanation.contributions == []
    assert report.steps == []
    assert report.summary == "Your JSS stayed at 100% from 2026-10-24 to 2026-11-21."


def test_a_zero_dollar_cancellation_names_the_contested_rule() -> None:
    # Under upwork a $0 contract counts only with negative feedback: its 1 star makes it a
    # negative outcome: 100·(3 − 1)/4 = 50. The 'fair' preset excludes every $0 contract.
    history = [ended("2026-10-01"), ended("2026-10-05"), ended("2026-10-10")]
    cancelled = make_contract(
        contract_id="logo",
        title="Logo redesign",
        client="Acme Studio",
        start_date=date(2026, 10, 31),
        end_date=date(2026, 11, 1),
        earnings=0,
        public_feedback=1.0,
    )
    report = explain([*history, cancelled])
    assert report.explanation.change == pytest.approx(-50.0)
    assert "closed with $0 earned with a 1-star review" in report.summary
    assert "Under the 'fair' rules (`--rules fair`) it would not count at all." in report.summary


def test_legacy_no_feedback_zero_dollar_contract_contrasts_with_upwork_rules() -> None:
    # legacy: no-feedback and $0 contracts count as negative; needs 3 clients / 4 outcomes.
    # Successes on 2026-09-06 … 09-20 (4 clients); the $0 contract ends 2026-11-01 without
    # feedback. Biweekly: 11-21 shows the 2026-11-15 update; 10-24 shows 2026-10-18.
    # 10-18: 4 successes → 100. 11-15: 100·(4 − 1)/5 = 60.
    history = [ended(f"2026-09-{d:02d}") for d in (6, 10, 15, 20)]
    cancelled = make_contract(
        contract_id="logo",
        title="Logo redesign",
        start_date=date(2026, 10, 31),
        end_date=date(2026, 11, 1),
        earnings=0,
        public_feedback=None,
    )
    report = explain([*history, cancelled], preset("legacy"))
    assert (report.explanation.before.jss, report.explanation.after.jss) == (100, 60)
    assert report.explanation.before.day == date(2026, 10, 18)
    assert report.explanation.after.day == date(2026, 11, 15)
    assert "no feedback, and under these rules that counts as a negative outcome" in report.summary
    assert "current Upwork rules (`--rules upwork`) it would not count at all" in report.summary
    # The biweekly step shows on the update day after the grace period (11-01 + 14 = 11-15).
    assert [(s.step.day, s.step.jss_after) for s in report.steps] == [(date(2026, 11, 15), 60)]


def test_steps_over_two_months_list_each_day_the_jss_changed() -> None:
    # 6m only. S1 anchored 2026-05-10, S2 07-01, S3 08-01; N (2 stars) ends 2026-10-10.
    # 09-21: 100. 10-10: N enters: 100·(3 − 1)/4 = 50. 11-11: S1 leaves: 100·(2 − 1)/3 = 33.
    contracts = [
        ended("2026-05-10", contract_id="S1"),
        ended("2026-07-01"),
        ended("2026-08-01"),
        ended("2026-10-10", stars=2.0, contract_id="N"),
    ]
    report = explain(contracts, SIX_MONTHS_ONLY, since=date(2026, 9, 21))
    assert [
        (s.step.day, s.step.jss_before, s.step.jss_after, s.top_cause) for s in report.steps
    ] == [(date(2026, 10, 10), 100, 50, "N"), (date(2026, 11, 11), 50, 33, "S1")]
    assert report.explanation.change == pytest.approx(100 / 3 - 100)


def test_trending_contributions_are_the_mean_of_the_3_and_6_month_ones() -> None:
    # Only Trending and 24m compete; make Trending best by an old negative in 24m only.
    # 3m (from 08-21) and 6m (from 05-21) at 11-21 hold the same contracts:
    # before (10-24): S 09-01, S 09-15 → 3m: 100, 6m: 100 (+ S 06-01 in 6m only: 100).
    # after: N (2 stars) on 11-10 enters both: 3m = 100·(2 − 1)/3 = 33.33;
    # 6m = 100·(3 − 1)/4 = 50 → Trending = 41.67. 24m has an old negative on 2025-06-01 making
    # it lower in both states, so Trending is best in both (tie order puts Trending last, so
    # the 24m window must be strictly lower).
    rules = with_overrides(UPWORK, {"windows": "24"})
    contracts = [
        ended("2026-09-01"),
        ended("2026-09-15"),
        ended("2026-06-01"),
        ended("2025-06-01", stars=2.0),
        ended("2025-07-01", stars=2.0),
        ended("2026-11-10", stars=2.0, contract_id="N"),
    ]
    x = explain(contracts, rules).explanation
    assert x.attributed_in == "trending"
    assert x.change == pytest.approx((100 / 3 + 50) / 2 - 100)
    # Each window's share is its own whole change (one contract moved): mean of −66.67 and −50.
    assert x.contributions[0].effect == pytest.approx(((100 / 3 - 100) + (50 - 100)) / 2)


def test_explain_json_has_the_cli_md_keys() -> None:
    doc = explain([ended("2026-10-01"), ended("2026-10-05"), ended("2026-11-10", 2.0)]).to_json()
    assert doc["schema"] == "jsscheck.explain/1"
    for key in (
        "since",
        "as_of",
        "before",
        "after",
        "change",
        "attributed_in",
        "window_switch",
        "floor_effect",
        "contributions",
        "steps",
        "summary",
    ):
        assert key in doc
    assert set(doc["contributions"][0]) >= {"contract_id", "effect", "reason", "before", "after"}
    assert set(doc["steps"][0]) >= {"date", "jss_before", "jss_after", "top_cause"}


def test_contributions_sum_to_the_change_on_the_golden_histories() -> None:
    from pathlib import Path

    golden = Path(__file__).resolve().parents[2] / "shared" / "data" / "golden"
    if not golden.is_dir():
        pytest.skip("../shared/data/golden is not beside this checkout")
    from jsscheck.history import read_histories

    checked = 0
    for case in sorted(golden.iterdir()):
        contracts = read_histories([str(case / "history.csv")]).contracts
        arrays = ContractArrays.from_contracts(contracts)
        for name in ("upwork", "legacy", "fair", "public-only"):
            rules = preset(name)
            for since, as_of in ((date(2026, 1, 1), date(2026, 11, 21)), (SINCE, AS_OF)):
                x = explain_change(evaluate(arrays, rules, since), evaluate(arrays, rules, as_of))
                if x.change is None:
                    continue
                switch = x.window_switch.effect if x.window_switch else 0.0
                total = sum(c.effect for c in x.contributions) + switch + x.floor_effect
                assert math.isclose(total, x.change, abs_tol=1e-9), (case.name, name)
                checked += 1
    assert checked > 50
