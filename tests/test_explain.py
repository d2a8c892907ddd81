"""`explain` (MODEL.md version 2, section 9): effects along time, steps, sentences, JSON.

Every expected number is worked out by hand in the comment beside it. Unless said otherwise a
contract earns $100 over a few days (tiers weight 1) and has its own client.
"""

from __future__ import annotations

import json
import math
from datetime import date

import pytest
from helpers import STORY_ROWS, make_contract

from jsscheck.analyses.explain import ExplainResult, default_since
from jsscheck.analyses.explain import explain as explain_period
from jsscheck.engine.arrays import ContractArrays
from jsscheck.engine.attribution import attribute_period
from jsscheck.model.contract import Contract
from jsscheck.model.rules import preset, with_overrides
from jsscheck.render.explain import explain_document, explain_markdown, headline

SINCE = date(2026, 10, 24)
AS_OF = date(2026, 11, 21)
UPWORK = preset("upwork")
SIX_MONTHS_ONLY = with_overrides(UPWORK, {"windows": "6", "trending": False})


def ended(day: str, stars: float | None = 5.0, **more: object) -> Contract:
    """A short $100 contract ending (and last paid) on `day`."""
    end = date.fromisoformat(day)
    start = date.fromordinal(end.toordinal() - 5)
    values: dict[str, object] = {"earnings": 100, **more}
    return make_contract(
        start_date=start, end_date=end, last_payment_date=end, public_feedback=stars, **values
    )


def explain(contracts: list[Contract], rules=UPWORK, since=SINCE, as_of=AS_OF) -> ExplainResult:
    arrays = ContractArrays.from_contracts(contracts)
    return explain_period(arrays, rules, since, as_of)


def effects(result: ExplainResult) -> dict[str | None, float]:
    return {e.contract_id: e.effect for e in result.attribution.effects}


def steps(result: ExplainResult) -> list[tuple[date, int | None, int | None, str | None]]:
    """The shown steps: date, JSS before and after, the contract with the largest effect."""
    return [
        (s.day, s.jss_before, s.jss_after, s.events[0].contract_id if s.events else None)
        for s in result.attribution.steps
        if s.jss_before != s.jss_after
    ]


def summary(result: ExplainResult) -> str:
    return headline(result)


def assert_sums_to_change(result: ExplainResult) -> None:
    x = result.attribution
    total = sum(e.effect for e in x.effects) + sum(u.effect for u in x.unattributed)
    assert total == pytest.approx(x.change, abs=1e-9)


def test_a_single_new_negative_contract_takes_all_of_the_fall() -> None:
    # Before: three successes in every window: 100·3/3 = 100 (all windows tie → 24m is best).
    # After: a 2-star contract ends on 2026-11-10: 100·(3 − 1)/4 = 50. Change −50, all of it
    # the new contract (the only player of the only step: its Shapley value is the change).
    history = [ended("2026-10-01"), ended("2026-10-05"), ended("2026-10-10")]
    bad = ended("2026-11-10", stars=2.0, contract_id="bad", title="Logo redesign")
    result = explain([*history, bad])
    x = result.attribution
    assert (x.before.jss, x.after.jss) == (100, 50)
    assert x.change == pytest.approx(-50.0)
    assert effects(result) == {"bad": pytest.approx(-50.0)}
    (event,) = x.effects[0].events
    assert event.reason == "entered"
    assert event.before is None  # it had not started on the since date
    assert event.after is not None and event.after.outcome == "negative"
    assert steps(result) == [(date(2026, 11, 10), 100, 50, "bad")]
    # The first sentence names the contract; the movement follows.
    assert summary(result).startswith("'Logo redesign' started counting as a negative outcome")
    assert "Your JSS fell from 100% on 2026-10-24 to 50% on 2026-11-21." in summary(result)
    assert_sums_to_change(result)


def test_an_old_success_aging_out_lowers_the_score_with_nothing_new() -> None:
    # 6-month window only. Anchors: S1 2026-05-10, S2 07-01, S3 08-01, N 09-01 (2 stars).
    # 2026-11-01: window starts 05-01, all four in: 100·(3 − 1)/4 = 50.
    # 2026-11-21: window starts 05-21, S1 is out: 100·(2 − 1)/3 = 33.33.
    # S1 leaves on 2026-11-11 (05-10 + 6 months + 1 day). Its effect is the whole change.
    contracts = [
        ended("2026-05-10", contract_id="S1", title="Old success"),
        ended("2026-07-01"),
        ended("2026-08-01"),
        ended("2026-09-01", stars=2.0),
    ]
    result = explain(contracts, SIX_MONTHS_ONLY, since=date(2026, 11, 1))
    x = result.attribution
    assert x.change == pytest.approx(100 / 3 - 50)
    assert effects(result) == {"S1": pytest.approx(100 / 3 - 50)}
    assert x.effects[0].events[0].reason == "aged_out"
    assert steps(result) == [(date(2026, 11, 11), 50, 33, "S1")]
    assert summary(result).startswith(
        "'Old success' left the 6-month window on 2026-11-11, so it no longer counts in any window."
    )
    assert "That cost you 16.7 points." in summary(result)


def test_a_best_window_change_belongs_to_the_contract_that_caused_it() -> None:
    # Windows 6 and 12 months, no Trending. N (2 stars) anchored 2026-05-10; successes on
    # 07-01, 08-01, 09-01 and an older one on 2026-02-01 (in 12m, never in 6m).
    # 10-24: 6m = 100·(3 − 1)/4 = 50; 12m = 100·(4 − 1)/5 = 60 → best 12m (60).
    # 11-11: N leaves the 6m window: 6m = 100·3/3 = 100; 12m still 60 → best 6m.
    # Version 1 split this into +50 for N and −10 for a "window switch"; version 2 gives the
    # whole step to its only player: N +40 (= 100 − 60), nothing unattributed.
    rules = with_overrides(UPWORK, {"windows": "6,12", "trending": False})
    contracts = [
        ended("2026-05-10", stars=2.0, contract_id="N", title="Bad review"),
        ended("2026-07-01"),
        ended("2026-08-01"),
        ended("2026-09-01"),
        ended("2026-02-01"),
    ]
    result = explain(contracts, rules)
    x = result.attribution
    assert x.change == pytest.approx(40.0)
    assert effects(result) == {"N": pytest.approx(40.0)}
    assert x.unattributed == ()
    assert summary(result).startswith("'Bad review' left the 6-month window on 2026-11-11.")
    assert (
        "From that day Upwork shows the 6-month window (100%) instead of the 12-month window "
        "(60%): +40.0 points." in summary(result)
    )
    assert "window switch" not in summary(result)


def test_a_fall_where_the_old_best_keeps_its_score() -> None:
    # Windows 6 and 12. Successes 09-01, 09-15 (6m) and negatives 2026-02-01, 2026-03-01 (12m).
    # 10-24: 6m = 100·2/2 = 100; 12m = 100·(2 − 2)/4 = 0 → best 6m.
    # 11-21: N3 (2 stars, 11-10) enters: 6m = 100·(2 − 1)/3 = 33.33; 12m = 100·(2 − 3)/5 → 0.
    # One player: N3 takes the whole −66.67.
    rules = with_overrides(UPWORK, {"windows": "6,12", "trending": False})
    contracts = [
        ended("2026-09-01"),
        ended("2026-09-15"),
        ended("2026-02-01", stars=2.0),
        ended("2026-03-01", stars=2.0),
        ended("2026-11-10", stars=2.0, contract_id="N3"),
    ]
    result = explain(contracts, rules)
    assert result.attribution.change == pytest.approx(100 / 3 - 100)
    assert effects(result) == {"N3": pytest.approx(-200 / 3)}


def test_two_changes_on_two_days_each_keep_their_own_step() -> None:
    # 6m only. Before (11-01): S1, S2 successes, N negative: 100·(2 − 1)/3 = 33.33.
    # 11-11: S1 ages out (anchor 05-10): 100·(1 − 1)/2 = 0 → S1 −33.33.
    # 11-15: S3 enters: 100·(2 − 1)/3 = 33.33 → S3 +33.33. Change 0, two effects that cancel
    # (version 1 split the net change ±22.22 between them in one step).
    contracts = [
        ended("2026-05-10", contract_id="S1"),
        ended("2026-07-01"),
        ended("2026-08-01", stars=2.0),
        ended("2026-11-15", contract_id="S3"),
    ]
    result = explain(contracts, SIX_MONTHS_ONLY, since=date(2026, 11, 1))
    assert result.attribution.change == pytest.approx(0.0)
    assert effects(result) == {"S3": pytest.approx(100 / 3), "S1": pytest.approx(-100 / 3)}
    assert steps(result) == [
        (date(2026, 11, 11), 33, 0, "S1"),
        (date(2026, 11, 15), 0, 33, "S3"),
    ]


def test_a_change_under_the_floor_moves_nothing() -> None:
    # 6m only. Before: 1 success, 2 negatives: 100·(1 − 2)/3 = −33.33 → shown 0.
    # After: a third negative: 100·(1 − 3)/4 = −50 → still 0. The value of a state is its
    # clamped best score, so the only player's effect is 0 − 0 = 0 (version 1 gave it −16.67
    # and a +16.67 floor term): nothing to attribute.
    contracts = [
        ended("2026-08-01"),
        ended("2026-09-01", stars=2.0),
        ended("2026-09-15", stars=2.0),
        ended("2026-11-10", stars=2.0, contract_id="N3"),
    ]
    result = explain(contracts, SIX_MONTHS_ONLY)
    assert result.attribution.change == pytest.approx(0.0)
    assert effects(result) == {}
    assert result.attribution.status == "unchanged"
    assert summary(result) == "Your JSS stayed at 0% from 2026-10-24 to 2026-11-21."
    assert_sums_to_change(result)


def test_no_score_on_the_since_date_is_said_in_words() -> None:
    # One contract (one client) before 10-24: no window has 2 clients → no JSS.
    # A second client's success ends 11-01 → 100% on 11-21.
    result = explain([ended("2026-09-01"), ended("2026-11-01")])
    x = result.attribution
    assert x.status == "appeared" and x.change is None
    assert x.effects == ()
    assert summary(result).startswith("You had no JSS on 2026-10-24: not enough history.")
    assert explain_document(result)["change"] is None


def test_losing_the_score_is_said_in_words() -> None:
    # Two clients in the 6m window on 11-01; by 11-21 one has aged out (anchor 2026-05-10).
    result = explain(
        [ended("2026-05-10"), ended("2026-07-01")], SIX_MONTHS_ONLY, since=date(2026, 11, 1)
    )
    assert result.attribution.status == "disappeared"
    assert "on 2026-11-21 you have none" in summary(result)


def test_nothing_changed_is_said_plainly() -> None:
    result = explain([ended("2026-09-01"), ended("2026-09-10")])
    assert result.attribution.change == pytest.approx(0.0)
    assert result.attribution.effects == ()
    assert steps(result) == []
    assert summary(result) == "Your JSS stayed at 100% from 2026-10-24 to 2026-11-21."


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
    result = explain([*history, cancelled])
    assert result.attribution.change == pytest.approx(-50.0)
    assert summary(result).startswith(
        "'Logo redesign' started counting as a negative outcome on 2026-11-01: $0 earned, "
        "a 1★ review. That cost you 50.0 points."
    )
    assert "Under the 'fair' rules (`--rules fair`) it would not count at all." in summary(result)


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
    result = explain([*history, cancelled], preset("legacy"))
    x = result.attribution
    assert (x.before.jss, x.after.jss) == (100, 60)
    assert x.before.day == date(2026, 10, 18)
    assert x.after.day == date(2026, 11, 15)
    assert (
        "started counting as a negative outcome on 2026-11-15: $0 earned, ended without feedback."
        in summary(result)
    )
    assert "current Upwork rules (`--rules upwork`) it would not count at all" in summary(result)
    # The biweekly step shows on the update day after the grace period (11-01 + 14 = 11-15).
    assert [(d, after) for d, _, after, _ in steps(result)] == [(date(2026, 11, 15), 60)]


def test_steps_over_two_months_list_each_day_the_jss_changed() -> None:
    # 6m only. S1 anchored 2026-05-10, S2 07-01, S3 08-01; N (2 stars) ends 2026-10-10.
    # 09-21: 100. 10-10: N enters: 100·(3 − 1)/4 = 50. 11-11: S1 leaves: 100·(2 − 1)/3 = 33.
    contracts = [
        ended("2026-05-10", contract_id="S1"),
        ended("2026-07-01"),
        ended("2026-08-01"),
        ended("2026-10-10", stars=2.0, contract_id="N"),
    ]
    result = explain(contracts, SIX_MONTHS_ONLY, since=date(2026, 9, 21))
    assert steps(result) == [
        (date(2026, 10, 10), 100, 50, "N"),
        (date(2026, 11, 11), 50, 33, "S1"),
    ]
    assert result.attribution.change == pytest.approx(100 / 3 - 100)
    # Each its own step: N −50, S1 33.33 − 50 = −16.67.
    assert effects(result) == {"N": pytest.approx(-50.0), "S1": pytest.approx(100 / 3 - 50)}


def test_a_new_negative_in_both_trending_windows_carries_the_trending_change() -> None:
    # Only Trending and 24m compete; make Trending best by old negatives in 24m only.
    # before (10-24): 3m (from 07-24) S 09-01, S 09-15: 100; 6m adds S 06-01: 100 → Trending 100.
    # after: N (2 stars) on 11-10 enters both: 3m = 100·(2 − 1)/3 = 33.33;
    # 6m = 100·(3 − 1)/4 = 50 → Trending 41.67. 24m has two old negatives: lower in both.
    rules = with_overrides(UPWORK, {"windows": "24"})
    contracts = [
        ended("2026-09-01"),
        ended("2026-09-15"),
        ended("2026-06-01"),
        ended("2025-06-01", stars=2.0),
        ended("2025-07-01", stars=2.0),
        ended("2026-11-10", stars=2.0, contract_id="N"),
    ]
    result = explain(contracts, rules)
    x = result.attribution
    assert (x.before.best, x.after.best) == ("trending", "trending")
    assert x.change == pytest.approx((100 / 3 + 50) / 2 - 100)
    assert effects(result) == {"N": pytest.approx((100 / 3 + 50) / 2 - 100)}


def test_explain_json_has_the_cli_md_keys() -> None:
    result = explain(
        [ended("2026-10-01"), ended("2026-10-05"), ended("2026-11-10", 2.0, contract_id="n")]
    )
    doc = explain_document(result)
    assert doc["schema"] == "jsscheck.explain/2"
    assert set(doc) >= {
        "since",
        "as_of",
        "before",
        "after",
        "status",
        "change",
        "contributions",
        "unattributed",
        "steps",
        "leverage",
        "warnings",
        "summary",
    }
    assert set(doc["before"]) == {"jss", "computed_on", "best"}
    (contribution,) = doc["contributions"]
    assert set(contribution) == {"contract_id", "title", "client", "effect", "events"}
    (event,) = contribution["events"]
    assert set(event) == {
        "date",
        "reason",
        "effect",
        "windows_before",
        "windows_after",
        "before",
        "after",
    }
    # 100·2/2 = 100 → 100·(2 − 1)/3 = 33.33 on 11-10, in the 3-, 6-, 12- and 24-month windows.
    assert event["windows_before"] == []
    assert event["windows_after"] == ["3m", "6m", "12m", "24m"]
    assert event["before"] is None
    assert event["after"] == {"outcome": "negative", "reason": "feedback", "weight": 1.0}
    (step,) = doc["steps"]
    assert set(step) == {"date", "jss_before", "jss_after", "score_before", "score_after", "causes"}
    assert step["causes"] == [
        {"contract_id": "n", "reason": "entered", "effect": pytest.approx(100 / 3 - 100)}
    ]
    assert set(doc["leverage"]) == {"candidate", "gain", "cost"}
    assert doc["warnings"] == []


def test_effects_sum_to_the_change_on_the_golden_histories() -> None:
    from pathlib import Path

    here = Path(__file__).resolve()
    found = [p / "shared" / "data" / "golden" for p in here.parents[2:4]]
    golden = next((p for p in found if p.is_dir()), found[0])
    if not golden.is_dir():
        pytest.skip("../shared/data/golden is not beside this checkout")
    from jsscheck.history import read_histories

    checked = []
    for case in sorted(golden.iterdir()):
        contracts = read_histories([str(case / "history.csv")]).contracts
        arrays = ContractArrays.from_contracts(contracts)
        for name in ("upwork", "legacy", "fair", "public-only"):
            rules = preset(name)
            for since, as_of in ((date(2026, 1, 1), date(2026, 11, 21)), (SINCE, AS_OF)):
                x = attribute_period(arrays, rules, since, as_of)
                if x.change is None:
                    continue
                total = sum(e.effect for e in x.effects) + sum(u.effect for u in x.unattributed)
                assert math.isclose(total, x.change, abs_tol=1e-9), (case.name, name)
                checked.append(case.name)
    # Some histories have no score under some presets; most have one.
    assert len(set(checked)) >= len(list(golden.iterdir())) // 2


# --------------------------------------------------------------------------- issue 15's story


def story() -> list[Contract]:
    """'It dropped and I closed nothing' (upwork rules, as of 2025-10-15, since 2025-09-15).

    Every contract is short ($100 → weight 1, $500 → 1.25, 5 days: no 90-day bonus), one
    client each, anchored at its end (= last payment):
    - 'Instagram posts (monthly)' 5★, 2025-06-27: in the 3-month window until 2025-09-27
      (start(09-27, 3) = 06-27), out of it on 2025-09-28; in 6m until 12-27.
    - b1 5★ 2025-08-15 (3m and 6m); c1…c4 5★ $100 and d1…d3 5★ $500 between 04-20 and 06-06
      (6m only); n1 2★ $100 2025-05-01 (6m); o1 2★ 2025-02-01 (12m and 24m only).
    6m: S = 2 + 4 + 3·1.25 = 9.75, N = 1, T = 10.75 → 100·8.75/10.75 = 81.395.
    12m = 24m: S = 9.75, N = 2, T = 11.75 → 100·7.75/11.75 = 65.96.
    Before 09-28: 3m holds ig and b1 (2 clients): 100 → Trending (100 + 81.395)/2 = 90.698 →
    shown 91%. From 09-28: 3m holds b1 alone (1 client < 2): no score, no Trending → the
    6-month window shows 81%. One step, one player: ig's effect is 81.395 − 90.698 = −9.302.
    """
    return [
        ended(day, stars, contract_id=cid, title=title, earnings=earnings, client=f"client {cid}")
        for cid, title, day, earnings, stars in STORY_ROWS
    ]


STORY_CHANGE = 100 * 8.75 / 10.75 - (100 + 100 * 8.75 / 10.75) / 2  # −9.302


def ended_story() -> ExplainResult:
    return explain(story(), since=date(2025, 9, 15), as_of=date(2025, 10, 15))


def test_story_names_the_contract_in_the_first_sentence() -> None:
    result = ended_story()
    x = result.attribution
    assert (x.before.jss, x.after.jss) == (91, 81)
    assert (x.before.best, x.after.best) == ("trending", "6m")
    assert x.change == pytest.approx(STORY_CHANGE)
    assert effects(result) == {"ig": pytest.approx(STORY_CHANGE)}
    text = summary(result)
    first = text.split(". ")[0]
    assert first == "'Instagram posts (monthly)' left the 3-month window on 2025-09-28"
    assert text.startswith(
        "'Instagram posts (monthly)' left the 3-month window on 2025-09-28. With only 1 client "
        "left in those 3 months, the Trending score (91%) no longer exists, so Upwork shows the "
        "6-month window (81%): −9.3 points."
    )
    for word in ("window switch", "attributed in", "candidate"):
        assert word not in text


def test_story_shows_one_number_in_headline_table_and_steps() -> None:
    result = ended_story()
    out = explain_markdown(result)
    # −9.302 → "−9.3" in the headline, the contributions row and the steps row alike.
    assert "−9.3 points" in out
    assert "| −9.3 | 'Instagram posts (monthly)' | client ig | left the 3-month window" in out
    assert "| 2025-09-28 | 91% → 81% | −9.3 'Instagram posts (monthly)'" in out
    assert "−9.30" not in out and "window switch" not in out


def test_story_leverage_and_next_steps() -> None:
    # 6m at as_of: A = 8.75, B = 10.75. Gain = 100·9.75/11.75 − 81.395 = 82.979 − 81.395 = +1.58;
    # cost = 100·7.75/11.75 − 81.395 = 65.957 − 81.395 = −15.44.
    result = ended_story()
    assert result.leverage is not None
    lev = result.leverage.leverage
    assert lev.candidate == "6m"
    assert lev.gain == pytest.approx(100 * 9.75 / 11.75 - 100 * 8.75 / 10.75)
    assert lev.cost == pytest.approx(100 * 7.75 / 11.75 - 100 * 8.75 / 10.75)
    out = explain_markdown(result)
    assert (
        "In your 6-month window (10.75 jobs) one more 5-star job adds +1.6 points and one more "
        "negative outcome costs −15.4 points: the formula, not bad luck." in out
    )
    assert "`jsscheck forecast`" in out and "`jsscheck goal` what it takes to reach 90%" in out


def test_story_json_document() -> None:
    doc = explain_document(ended_story())
    assert doc["before"] == {
        "jss": 91,
        "computed_on": "2025-09-15",
        "best": {"candidate": "trending", "score": pytest.approx((100 + 100 * 8.75 / 10.75) / 2)},
    }
    assert doc["after"]["best"] == {"candidate": "6m", "score": pytest.approx(100 * 8.75 / 10.75)}
    (c,) = doc["contributions"]
    assert (c["contract_id"], c["title"], c["client"]) == (
        "ig",
        "Instagram posts (monthly)",
        "client ig",
    )
    (event,) = c["events"]
    assert event["date"] == "2025-09-28" and event["reason"] == "aged_out"
    assert event["windows_before"] == ["3m", "6m", "12m", "24m"]
    assert event["windows_after"] == ["6m", "12m", "24m"]
    assert doc["steps"][0]["date"] == "2025-09-28"
    assert (doc["steps"][0]["jss_before"], doc["steps"][0]["jss_after"]) == (91, 81)
    assert doc["unattributed"] == []
    assert doc["summary"].startswith("'Instagram posts (monthly)' left the 3-month window")


# --------------------------------------------------------------------------- reasons, warnings


def test_a_flagged_clients_one_star_is_not_counted_because_of_the_flag() -> None:
    # Under upwork a flagged client's 1★ (ended 11-01, 20 days ≥ the 14-day grace) gives no
    # signal (negative signals are dropped) → ended
    # without feedback → excluded. Two successes 10-01/10-05 (100%) are all that count; the
    # flagged contract is not a player. Dropping the flag (a what-if --set) makes it negative.
    from jsscheck.analyses.explain import read_contract

    flagged = ended("2026-11-01", stars=1.0, contract_id="f", client_flagged=True, title="Rush")
    contracts = [ended("2026-10-01"), ended("2026-10-05"), flagged]
    arrays = ContractArrays.from_contracts(contracts)
    reading = read_contract(arrays, UPWORK, AS_OF, "f")
    assert (reading.outcome, reading.reason) == ("excluded", "no_feedback")
    assert reading.without_flag == "negative"
    from jsscheck.render.phrases import state_words

    assert state_words(None, reading, 1.0, None, None) == "not counted: flagged client"


def test_a_private_score_that_makes_a_good_review_negative_is_named() -> None:
    # 4.7★ public (≥ 4.5: positive) and private 5 (≤ 6: negative): the worst signal wins →
    # negative. Without the private score it would be a success. Rules without private_until
    # (so the private score is read on 2026-11-21): public-only's cut-offs with use_private on.
    from jsscheck.analyses.explain import read_contract

    rules = with_overrides(UPWORK, {"use_private": True})
    if getattr(rules, "private_until", None) is not None:
        rules = with_overrides(rules, {"private_until": "none"})
    bad = ended("2026-11-10", stars=4.7, contract_id="p", private_feedback=5, title="Shop")
    result = explain([ended("2026-10-01"), ended("2026-10-05"), bad], rules)
    # 100·(2 − 1)/3 = 33.33 after; 100 before: −66.67, all of it 'Shop'.
    assert effects(result) == {"p": pytest.approx(100 / 3 - 100)}
    reading = read_contract(result.attribution.after.arrays, rules, AS_OF, "p")
    assert reading.without_private == "success"
    assert summary(result).startswith(
        "'Shop' started counting as a negative outcome on 2026-11-10: the private score 5 made "
        "it negative; the 4.7★ review alone would be a success. That cost you 66.7 points."
    )


@pytest.mark.skipif(
    "private_until" not in preset("upwork").params(),
    reason="needs the engine's private_until rule (MODEL.md v2 §2, the engine branch)",
)
def test_after_private_until_the_private_score_no_longer_counts() -> None:
    # upwork: private_until = 2026-03-31. On 2026-04-10 the private 5 is not read: the 4.7★
    # review alone → success. Before 03-31 it was negative (worst of positive and negative).
    from jsscheck.analyses.explain import read_contract

    contract = ended("2026-03-10", stars=4.7, contract_id="p", private_feedback=5)
    arrays = ContractArrays.from_contracts([contract])
    before = read_contract(arrays, UPWORK, date(2026, 3, 30), "p")
    after = read_contract(arrays, UPWORK, date(2026, 4, 10), "p")
    assert before.outcome == "negative" and before.without_private == "success"
    assert after.outcome == "success" and after.private_unread and after.with_private == "negative"
    from jsscheck.render.phrases import why_words

    words = why_words("success", "feedback", after, 4.7, 5, date(2026, 3, 31))
    assert words == "the private score 5 no longer counts after 2026-03-31"


def test_an_open_contract_unpaid_for_over_90_days_is_warned_about() -> None:
    # Open since 2026-01-01, $500, last paid 2026-07-01: 324 active days > 90 → long-term,
    # counted as a success (open long-term). Last payment 143 days before 2026-11-21 > 90.
    idle = make_contract(
        contract_id="retainer",
        title="Monthly retainer",
        start_date="2026-01-01",
        end_date=None,
        last_payment_date="2026-07-01",
        public_feedback=None,
    )
    result = explain([ended("2026-10-01"), ended("2026-10-05"), idle])
    (warning,) = result.warnings
    assert (warning.contract_id, warning.last_payment, warning.days) == (
        "retainer",
        date(2026, 7, 1),
        143,
    )
    (line,) = explain_document(result)["warnings"]
    assert line.startswith(
        "'Monthly retainer' is open and counted as a success, but its last payment was on "
        "2026-07-01 (143 days before 2026-11-21)"
    )


def test_default_since_after_a_cron_alert_is_the_snapshot_before_today() -> None:
    today = date(2026, 11, 21)
    snapshots = [date(2026, 11, 7), date(2026, 11, 14), today]
    assert default_since(today, snapshots) == date(2026, 11, 14)
    assert default_since(today, [date(2026, 11, 14)]) == date(2026, 11, 14)
    assert default_since(today, []) == date(2026, 10, 24)  # 28 days earlier
    assert default_since(date(2026, 11, 10), snapshots) == date(2026, 11, 7)


# --------------------------------------------------------------------------- user text


ODD = [
    ("u1", "[URGENT] fix", "Beta [bold]Corp"),
    ("u2", "Landing page [/red] tweaks", "Acme\x1b[31m"),
]


def odd_history(tmp_path) -> str:
    lines = ["contract_id,client,title,start_date,end_date,earnings,public_feedback"]
    lines += [
        "a,Alpha,Site,2026-09-25,2026-10-01,100,5",
        "b,Bravo,Ads,2026-09-30,2026-10-05,100,5",
        '"u1","Beta [bold]Corp","[URGENT] fix",2026-11-05,2026-11-10,100,2',
        '"u2","Acme\x1b[31m","Landing page [/red] tweaks",2026-11-08,2026-11-12,100,2',
    ]
    path = tmp_path / "odd.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _run(args: list[str], capsys) -> tuple[int, str, str]:
    from jsscheck.cli import register_commands
    from jsscheck.cli.app import run

    register_commands()
    code = run(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("output", ["table", "markdown", "json"])
def test_titles_and_clients_print_exactly(tmp_path, capsys, output: str) -> None:
    path = odd_history(tmp_path)
    args = ["explain", path, "--since", "2026-10-24", "--as-of", "2026-11-21"]
    code, out, err = _run([*args, "--format", output], capsys)
    assert code == 0, err
    for text in ("[URGENT] fix", "Beta [bold]Corp", "Landing page [/red] tweaks", "Acme\\x1b[31m"):
        assert text in out.replace("\\\\", "\\"), (text, out)
    assert "\x1b" not in out


def test_explain_after_a_cron_alert_compares_with_the_snapshot_before_today(
    tmp_path, capsys
) -> None:
    # Snapshots as of 2026-11-14 and (the cron run that alerted) 2026-11-21: explain as of
    # 2026-11-21 without --since explains 11-14 → 11-21, not 28 days nor an empty period.
    path = odd_history(tmp_path)
    for day in ("2026-11-14", "2026-11-21"):
        code, _, err = _run(["snapshot", path, "--as-of", day, "--quiet"], capsys)
        assert code == 0, err
    code, out, err = _run(["explain", path, "--as-of", "2026-11-21", "--format", "json"], capsys)
    assert code == 0, err
    assert json.loads(out)["since"] == "2026-11-14"


@pytest.mark.parametrize("output", ["table", "markdown", "json"])
def test_help_terms_explains_the_words_in_plain_words(capsys, output: str) -> None:
    code, out, _ = _run(["help", "terms", "--format", output], capsys)
    assert code == 0
    for term in ("window", "Trending", "weight", "anchor", "outcome", "Top Rated", "review risk"):
        assert term in out
    if output == "json":
        doc = json.loads(out)
        assert doc["schema"] == "jsscheck.terms/1"
        assert {t["term"] for t in doc["terms"]} >= {"window", "Trending", "weight", "anchor"}


def test_open_contract_warnings_name_ten_and_count_the_rest() -> None:
    from jsscheck.engine.credits import OpenCredit
    from jsscheck.render.attribution import Contracts
    from jsscheck.render.phrases import warning_lines

    arrays = ContractArrays.from_contracts([ended("2026-10-01", contract_id="x0", title="Site")])
    warnings = [OpenCredit(f"x{k}", date(2026, 7, 1), 143) for k in range(12)]
    lines = warning_lines(warnings, Contracts(arrays).name, AS_OF)
    # 12 warnings: 10 named ('Site' has a title; x1 … x9 are named by id), then "2 more".
    assert len(lines) == 11
    assert lines[0].startswith("'Site' is open and counted as a success")
    assert lines[1].startswith("Contract x1 is open")
    assert lines[-1] == (
        "2 more open contracts unpaid for more than 90 days are counted as successes too "
        "(`jsscheck score --format json` lists them)."
    )
