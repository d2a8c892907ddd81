"""The engine against numbers worked by hand from MODEL.md (the arithmetic is in the comments).

Each test builds a small history with `make_contract` (defaults: started 2026-01-01, ended
2026-03-01, $500, public 5.0, a client of its own) and reads the `jsscheck.score/1` document.
Every test runs twice, against the engine and against the reference oracle (tests/reference.py),
so the hand-worked numbers also vouch for the oracle that the property tests trust.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from helpers import make_contract
from reference import months_before, reference_score

from jsscheck.analyses.score import score_report
from jsscheck.engine.arrays import ContractArrays
from jsscheck.engine.evaluate import evaluate, evaluate_shown, shown_jss, shown_scores
from jsscheck.model.contract import Contract
from jsscheck.model.rules import RuleSet, preset, with_overrides
from jsscheck.render.score_document import score_document


def day(text: str) -> date:
    """An ISO date."""
    return date.fromisoformat(text)


def rules(base: str = "upwork", **overrides: Any) -> RuleSet:
    """A preset with single-parameter overrides."""
    return with_overrides(preset(base), overrides)


#: Which implementation `document` reads: the engine, or tests/reference.py (set per test by
#: the autouse fixture below, so every hand-worked number also checks the oracle).
_implementation = "engine"


@pytest.fixture(autouse=True, params=["engine", "reference"])
def implementation(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run each test against the engine and against the reference oracle."""
    global _implementation
    _implementation = request.param
    yield request.param
    _implementation = "engine"


def document(contracts: list[Contract], rule_set: RuleSet, as_of: str) -> dict[str, Any]:
    """The score document as of `as_of`, from the engine or the reference oracle."""
    if _implementation == "reference":
        return reference_score(contracts, rule_set, day(as_of))
    arrays = ContractArrays.from_contracts(contracts)
    return score_document(score_report(arrays, rule_set, day(as_of)))


def judged(contract: Contract, rule_set: RuleSet, as_of: str) -> dict[str, Any]:
    """The contract's row (outcome, reason, weight, anchor, windows) when it is alone."""
    (row,) = document([contract], rule_set, as_of)["contracts"]
    return row


def verdict(contract: Contract, rule_set: RuleSet, as_of: str) -> tuple[str, str]:
    """(outcome, reason) of a contract on its own."""
    row = judged(contract, rule_set, as_of)
    return row["outcome"], row["reason"]


UPWORK = preset("upwork")
#: No automatic credit for long contracts, so weights and feedback rows can be seen alone.
NO_LONG_TERM = rules(long_term_days=None)


# --- MODEL.md 3: the outcome table -------------------------------------------------------------


def test_row1_manual_exclusion_beats_everything_even_a_dispute() -> None:
    contract = make_contract(excluded=True, disputed=True, public_feedback=1.0)
    assert verdict(contract, UPWORK, "2026-06-01") == ("excluded", "manual")
    assert judged(contract, UPWORK, "2026-06-01")["weight"] is None
    assert judged(contract, UPWORK, "2026-06-01")["windows"] == []


def test_contract_that_has_not_started_is_not_listed() -> None:
    later = make_contract(start_date="2026-07-01", end_date="2026-08-01")
    assert document([later], UPWORK, "2026-06-30")["contracts"] == []
    assert len(document([later], UPWORK, "2026-07-01")["contracts"]) == 1


def test_row2_open_long_term_contract_is_a_success_anchored_today() -> None:
    contract = make_contract(start_date="2026-01-01", end_date=None, public_feedback=None)
    row = judged(contract, UPWORK, "2026-05-01")
    # active_days = 2026-05-01 − 2026-01-01 = 120 > 90 → long-term; weight = 1.25 ($500) +
    # floor(120/90) = 1 → 2.25; anchored at t.
    assert (row["outcome"], row["reason"]) == ("success", "long_term_active")
    assert row["weight"] == 2.25
    assert row["anchor"] == "2026-05-01"


def test_row2_long_term_needs_more_than_long_term_days_active() -> None:
    contract = make_contract(start_date="2026-01-01", end_date=None, public_feedback=None)
    # 2026-04-01 − 2026-01-01 = 90 days: not more than 90 → row 4.
    assert verdict(contract, UPWORK, "2026-04-01") == ("excluded", "in_progress")
    # 91 days → long-term.
    assert verdict(contract, UPWORK, "2026-04-02") == ("success", "long_term_active")


def test_row2_open_long_term_contract_with_visible_negative_feedback_is_in_progress() -> None:
    contract = make_contract(
        start_date="2026-01-01", end_date=None, public_feedback=2.0, feedback_date="2026-04-15"
    )
    # Before the feedback date the signal is invisible: row 2 applies.
    assert verdict(contract, UPWORK, "2026-04-14") == ("success", "long_term_active")
    # From it on the signal is negative: row 2 fails, no idle rule → row 4.
    assert verdict(contract, UPWORK, "2026-04-15") == ("excluded", "in_progress")


def test_row2_open_zero_dollar_contract_is_never_long_term() -> None:
    contract = make_contract(start_date="2025-01-01", end_date=None, earnings=0)
    assert verdict(contract, UPWORK, "2026-06-01") == ("excluded", "in_progress")


def test_row4_open_short_contract_is_in_progress() -> None:
    contract = make_contract(start_date="2026-05-01", end_date="2026-07-01")
    # end_date 2026-07-01 > t: open at t.
    assert verdict(contract, UPWORK, "2026-06-01") == ("excluded", "in_progress")


IDLE = rules(idle_open_days=90, long_term_days=None, no_feedback="negative", anchor="end_date")


def test_row3_idle_open_contract_counts_after_idle_open_days_without_payment() -> None:
    contract = make_contract(
        start_date="2026-01-01",
        end_date=None,
        last_payment_date="2026-01-10",
        public_feedback=None,
    )
    # 2026-04-10 − 2026-01-10 = 90 days: not more than 90 → still in progress.
    assert verdict(contract, IDLE, "2026-04-10") == ("excluded", "in_progress")
    # 91 days → ended without feedback on the idle date 2026-01-10 + 90 = 2026-04-10; t − idle
    # date = 1 < 14 → pending.
    assert verdict(contract, IDLE, "2026-04-11") == ("excluded", "pending_feedback")
    # 2026-04-23 − 2026-04-10 = 13 < 14: still pending; 14 days on: counts (no_feedback=negative).
    assert verdict(contract, IDLE, "2026-04-23") == ("excluded", "pending_feedback")
    row = judged(contract, IDLE, "2026-04-24")
    assert (row["outcome"], row["reason"]) == ("negative", "no_feedback")
    assert row["anchor"] == "2026-04-10"  # anchor = end_date → the idle date


def test_row3_idle_contract_without_payments_is_idle_from_its_start() -> None:
    contract = make_contract(start_date="2026-01-01", end_date=None, public_feedback=None)
    # 2026-04-02 − 2026-01-01 = 91 > 90 → idle date 2026-04-01; 14 days later it counts.
    assert verdict(contract, IDLE, "2026-04-02") == ("excluded", "pending_feedback")
    assert judged(contract, IDLE, "2026-04-15")["anchor"] == "2026-04-01"


def test_row3_idle_contract_anchored_on_its_last_payment_with_last_payment_anchor() -> None:
    contract = make_contract(
        start_date="2026-01-01", end_date=None, last_payment_date="2026-01-10", public_feedback=None
    )
    row = judged(contract, rules("legacy", anchor="last_payment", cadence="daily"), "2026-05-01")
    assert row["anchor"] == "2026-01-10"


def test_row3_idle_disputed_contract_is_negative_without_waiting_for_grace() -> None:
    contract = make_contract(
        start_date="2026-01-01", end_date=None, public_feedback=None, disputed=True
    )
    # Idle from 2026-04-02 (91 days); row 5 comes before the grace period of row 6.
    assert verdict(contract, IDLE, "2026-04-02") == ("negative", "dispute")


def test_row3_idle_rule_off_keeps_open_contracts_in_progress_forever() -> None:
    contract = make_contract(start_date="2024-01-01", end_date=None, public_feedback=None)
    assert verdict(contract, NO_LONG_TERM, "2026-06-01") == ("excluded", "in_progress")


def test_row5_dispute_is_negative_whatever_the_feedback() -> None:
    contract = make_contract(disputed=True, public_feedback=5.0, private_feedback=10)
    assert verdict(contract, UPWORK, "2026-03-01") == ("negative", "dispute")


def test_row5_dispute_with_a_flagged_client_does_not_count_against() -> None:
    contract = make_contract(disputed=True, client_flagged=True, public_feedback=5.0)
    assert verdict(contract, UPWORK, "2026-03-01") == ("success", "feedback")


def test_row6_feedback_grace_period_boundary() -> None:
    contract = make_contract(end_date="2026-03-01", public_feedback=None)
    # t − end = 13 days < 14 → pending; 14 days → no longer pending (no_feedback = exclude).
    assert verdict(contract, UPWORK, "2026-03-14") == ("excluded", "pending_feedback")
    assert verdict(contract, UPWORK, "2026-03-15") == ("excluded", "no_feedback")
    assert verdict(contract, rules(no_feedback="negative"), "2026-03-15") == (
        "negative",
        "no_feedback",
    )


def test_row6_late_feedback_is_not_visible_before_its_feedback_date() -> None:
    contract = make_contract(end_date="2026-03-01", feedback_date="2026-04-01", public_feedback=2)
    lenient = rules(no_feedback="neutral")
    # 2026-03-31: feedback date after t → no signal, grace over → row 12.
    assert verdict(contract, lenient, "2026-03-31") == ("neutral", "no_feedback")
    assert verdict(contract, lenient, "2026-04-01") == ("negative", "feedback")


def test_row6_flagged_client_negative_feedback_leaves_no_signal() -> None:
    contract = make_contract(client_flagged=True, public_feedback=1.0)
    # The negative signal is dropped: no signal → pending within the grace period, then row 10.
    assert verdict(contract, UPWORK, "2026-03-05") == ("excluded", "pending_feedback")
    assert verdict(contract, UPWORK, "2026-03-20") == ("excluded", "no_feedback")


def test_row7_ended_long_term_contract_without_feedback_is_a_success() -> None:
    contract = make_contract(start_date="2026-01-01", end_date="2026-05-01", public_feedback=None)
    # active_days = 120 > 90; grace over on 2026-05-15.
    assert verdict(contract, UPWORK, "2026-05-14") == ("excluded", "pending_feedback")
    assert verdict(contract, UPWORK, "2026-05-15") == ("success", "long_term")


def test_row7_ended_long_term_contract_with_negative_feedback_is_negative() -> None:
    contract = make_contract(start_date="2026-01-01", end_date="2026-05-01", public_feedback=3.0)
    assert verdict(contract, UPWORK, "2026-06-01") == ("negative", "feedback")


def test_row7_ended_long_term_contract_with_neutral_feedback_is_a_success() -> None:
    contract = make_contract(start_date="2026-01-01", end_date="2026-05-01", public_feedback=4.2)
    assert verdict(contract, UPWORK, "2026-06-01") == ("success", "long_term")


def test_row8_zero_dollar_exclude_drops_even_negative_feedback() -> None:
    contract = make_contract(earnings=0, public_feedback=1.0)
    assert verdict(contract, rules(zero_dollar="exclude"), "2026-03-01") == (
        "excluded",
        "zero_dollar",
    )


def test_row9_zero_dollar_negative_only_counts_only_negative_feedback() -> None:
    positive = make_contract(earnings=0, public_feedback=5.0)
    negative = make_contract(earnings=0, public_feedback=1.0)
    silent = make_contract(earnings=0, public_feedback=None)
    assert verdict(positive, UPWORK, "2026-03-01") == ("excluded", "zero_dollar")
    row = judged(negative, UPWORK, "2026-03-01")
    assert (row["outcome"], row["reason"], row["weight"]) == ("negative", "feedback", 1.0)
    # No signal is "not negative" → row 9 before the no-feedback rows, even when they'd count it.
    assert verdict(silent, rules(no_feedback="negative"), "2026-03-20") == (
        "excluded",
        "zero_dollar",
    )


def test_zero_dollar_count_counts_a_positive_zero_dollar_contract_with_base_weight_1() -> None:
    row = judged(make_contract(earnings=0), rules(zero_dollar="count"), "2026-03-01")
    assert (row["outcome"], row["reason"], row["weight"]) == ("success", "feedback", 1.0)


@pytest.mark.parametrize(
    ("no_feedback", "expected"),
    [
        ("exclude", ("excluded", "no_feedback")),  # row 10
        ("negative", ("negative", "no_feedback")),  # row 11
        ("neutral", ("neutral", "no_feedback")),  # row 12
    ],
)
def test_rows10_to_12_no_feedback_setting(no_feedback: str, expected: tuple[str, str]) -> None:
    contract = make_contract(end_date="2026-03-01", public_feedback=None)
    assert verdict(contract, rules(no_feedback=no_feedback), "2026-04-01") == expected


@pytest.mark.parametrize(
    ("public", "private", "outcome"),
    [
        (4.5, None, "success"),  # ≥ 4.5
        (4.49, None, "neutral"),  # < 4.5, ≥ 4.0
        (4.0, None, "neutral"),  # not < 4.0
        (3.99, None, "negative"),  # < 4.0
        (None, 9, "success"),  # ≥ 9
        (None, 8, "neutral"),
        (None, 7, "neutral"),  # > 6
        (None, 6, "negative"),  # ≤ 6
        (5.0, 6, "negative"),  # worst of positive and negative
        (4.2, 10, "neutral"),  # worst of neutral and positive
        (5.0, 10, "success"),
    ],
)
def test_row13_feedback_signal_is_the_worst_of_public_and_private(
    public: float | None, private: int | None, outcome: str
) -> None:
    contract = make_contract(public_feedback=public, private_feedback=private)
    assert verdict(contract, UPWORK, "2026-03-01") == (outcome, "feedback")


def test_row13_private_feedback_is_ignored_when_use_private_is_off() -> None:
    contract = make_contract(public_feedback=5.0, private_feedback=0)
    assert verdict(contract, preset("public-only"), "2026-03-01") == ("success", "feedback")
    only_private = make_contract(public_feedback=None, private_feedback=10)
    assert verdict(only_private, preset("public-only"), "2026-03-20") == ("excluded", "no_feedback")


def test_row13_flagged_client_drops_only_the_negative_signal() -> None:
    contract = make_contract(client_flagged=True, public_feedback=2.0, private_feedback=10)
    # Public negative dropped, private 10 positive remains → success.
    assert verdict(contract, UPWORK, "2026-03-01") == ("success", "feedback")
    neutral = make_contract(client_flagged=True, public_feedback=4.2, private_feedback=0)
    assert verdict(neutral, UPWORK, "2026-03-01") == ("neutral", "feedback")


# --- MODEL.md 4: weights -----------------------------------------------------------------------


def weight(
    contract: Contract, rule_set: RuleSet = NO_LONG_TERM, as_of: str = "2026-12-01"
) -> float:
    """The weight of a counted contract on its own."""
    row = judged(contract, rule_set, as_of)
    assert row["outcome"] != "excluded", row
    return row["weight"]


def test_count_weighting_is_one_per_contract() -> None:
    assert weight(make_contract(earnings=5000, start_date="2025-01-01"), rules("legacy")) == 1.0


def test_dollars_weighting_is_earnings_with_a_floor_of_one() -> None:
    dollars = rules(weighting="dollars", zero_dollar="count")
    assert weight(make_contract(earnings=1234.5), dollars) == 1234.5
    assert weight(make_contract(earnings=0.5), dollars) == 1.0  # max(0.5, 1)
    assert weight(make_contract(earnings=0), dollars) == 1.0  # max(0, 1)


@pytest.mark.parametrize(
    ("earnings", "base"),
    [(0.01, 1.0), (250, 1.0), (250.01, 1.25), (1000, 1.25), (1000.01, 1.5), (50_000, 1.5)],
)
def test_tier_boundaries(earnings: float, base: float) -> None:
    # Started 2026-01-01, ended 2026-03-01: 59 active days → no 90-day bonus.
    assert weight(make_contract(earnings=earnings)) == base


@pytest.mark.parametrize(
    ("active_days", "expected"),
    [(89, 1.25), (90, 2.25), (179, 2.25), (180, 3.25)],  # 1.25 + floor(days / 90)
)
def test_tiers_add_one_per_complete_90_day_period(active_days: int, expected: float) -> None:
    start = day("2025-01-01")
    contract = make_contract(start_date=start, end_date=start + timedelta(days=active_days))
    assert weight(contract) == expected


def test_open_long_term_contract_bonus_grows_with_t() -> None:
    contract = make_contract(start_date="2026-01-01", end_date=None, public_feedback=None)
    # t − start: 179 days → 1.25 + 1; 180 days → 1.25 + 2.
    assert judged(contract, UPWORK, "2026-06-29")["weight"] == 2.25
    assert judged(contract, UPWORK, "2026-06-30")["weight"] == 3.25


@pytest.mark.parametrize(("paid_periods", "expected"), [(0, 1.25), (1, 2.25), (2, 3.25), (9, 3.25)])
def test_paid_periods_limit_the_90_day_bonus(paid_periods: int, expected: float) -> None:
    # 180 active days → 2 complete periods; bonus = min(paid_periods, 2).
    contract = make_contract(
        start_date="2025-01-01", end_date="2025-06-30", paid_periods=paid_periods
    )
    assert weight(contract) == expected


def test_tiers_weight_is_capped() -> None:
    # 2020-01-01 → 2026-01-01 = 2192 days → bonus 24; 1.5 + 24 = 25.5 → cap 8 (or 3).
    contract = make_contract(start_date="2020-01-01", end_date="2026-01-01", earnings=2000)
    assert weight(contract) == 8.0
    assert weight(contract, rules(long_term_days=None, weight_cap=3)) == 3.0


# --- MODEL.md 5: anchors and windows -----------------------------------------------------------


def test_last_payment_anchor_uses_a_last_payment_on_or_before_t() -> None:
    contract = make_contract(end_date="2026-03-01", last_payment_date="2026-02-15")
    assert judged(contract, UPWORK, "2026-03-20")["anchor"] == "2026-02-15"
    assert judged(contract, preset("fair"), "2026-03-20")["anchor"] == "2026-03-01"


def test_last_payment_anchor_ignores_a_last_payment_after_t() -> None:
    contract = make_contract(end_date="2026-03-01", last_payment_date="2026-04-01")
    # 2026-04-01 > t → the end date; from 2026-04-01 on, the last payment.
    assert judged(contract, UPWORK, "2026-03-20")["anchor"] == "2026-03-01"
    assert judged(contract, UPWORK, "2026-04-01")["anchor"] == "2026-04-01"


def test_contract_leaves_6m_window_six_months_and_one_day_after_its_anchor() -> None:
    contract = make_contract(start_date="2026-05-01", end_date="2026-05-21")
    # start(2026-11-21, 6) = 2026-05-21 ≤ anchor → in; start(2026-11-22, 6) = 2026-05-22 → out.
    assert judged(contract, UPWORK, "2026-11-21")["windows"] == ["6m", "12m", "24m"]
    assert judged(contract, UPWORK, "2026-11-22")["windows"] == ["12m", "24m"]


def test_window_start_clips_to_the_last_day_of_the_month() -> None:
    assert months_before(day("2026-08-31"), 6) == day("2026-02-28")
    assert months_before(day("2028-08-31"), 6) == day("2028-02-29")
    assert months_before(day("2026-05-31"), 3) == day("2026-02-28")
    assert months_before(day("2026-03-15"), 24) == day("2024-03-15")


def test_month_end_clipping_decides_6m_membership() -> None:
    # t = 2026-08-31: start(t, 6) = 2026-02-28 (Feb has no 31st), so 02-28 is in, 02-27 out.
    on_start = make_contract(start_date="2026-01-01", end_date="2026-02-28")
    before = make_contract(start_date="2026-01-01", end_date="2026-02-27")
    assert "6m" in judged(on_start, UPWORK, "2026-08-31")["windows"]
    assert "6m" not in judged(before, UPWORK, "2026-08-31")["windows"]
    # 2026-08-29 and 08-30 minus 6 months (02-29, 02-30) clip to 02-28 as well: a 02-28 anchor
    # stays in until 2026-08-31 and leaves on 2026-09-01 (start = 03-01).
    assert "6m" in judged(on_start, UPWORK, "2026-08-29")["windows"]
    assert "6m" in judged(on_start, UPWORK, "2026-08-30")["windows"]
    assert "6m" not in judged(on_start, UPWORK, "2026-09-01")["windows"]
    # A 02-27 anchor leaves on 2026-08-28 (start = 02-28), as any anchor leaves six months and
    # one day after it.
    assert "6m" in judged(before, UPWORK, "2026-08-27")["windows"]
    assert "6m" not in judged(before, UPWORK, "2026-08-28")["windows"]


# --- MODEL.md 5: window scores and eligibility -------------------------------------------------

COUNT = rules(weighting="count")


def test_net_score_is_success_minus_negative_over_total() -> None:
    history = [
        make_contract(public_feedback=5.0),
        make_contract(public_feedback=5.0),
        make_contract(public_feedback=4.2),
        make_contract(public_feedback=1.0),
    ]
    candidate = document(history, COUNT, "2026-03-20")["candidates"]["6m"]
    # S = 2, N = 1, U = 1, T = 4 → 100·(2 − 1)/4 = 25.
    assert (candidate["success"], candidate["negative"], candidate["neutral"]) == (2, 1, 1)
    assert candidate["total"] == 4
    assert candidate["score"] == pytest.approx(25.0)
    # share: 100·2/4 = 50.
    share = document(history, rules(weighting="count", formula="share"), "2026-03-20")
    assert share["candidates"]["6m"]["score"] == pytest.approx(50.0)


def test_net_score_is_clamped_at_zero() -> None:
    history = [make_contract(public_feedback=5.0)] + [
        make_contract(public_feedback=1.0) for _ in range(3)
    ]
    document_ = document(history, COUNT, "2026-03-20")
    # 100·(1 − 3)/4 = −50 → clamped to 0; share would be 100·1/4 = 25.
    assert document_["candidates"]["6m"]["score"] == 0.0
    assert document_["jss"] == 0
    share = document(history, rules(weighting="count", formula="share"), "2026-03-20")
    assert share["candidates"]["6m"]["score"] == pytest.approx(25.0)


def test_weighted_net_score() -> None:
    history = [
        make_contract(earnings=2000),  # success, 1.5
        make_contract(earnings=500, public_feedback=1.0),  # negative, 1.25
        make_contract(earnings=100, public_feedback=4.2),  # neutral, 1
    ]
    document_ = document(history, NO_LONG_TERM, "2026-03-20")
    # 100·(1.5 − 1.25)/(1.5 + 1.25 + 1) = 25/3.75 = 6.666…
    assert document_["candidates"]["6m"]["score"] == pytest.approx(100 * 0.25 / 3.75)
    assert document_["jss"] == 7


def test_eligibility_min_clients_and_min_outcomes_exactly_met_or_one_short() -> None:
    same_client = [make_contract(client="acme"), make_contract(client="acme")]
    two_clients = [make_contract(client="acme"), make_contract(client="globex")]
    one = [make_contract(client="acme")]
    # upwork: 2 clients / 2 outcomes.
    assert document(two_clients, UPWORK, "2026-03-20")["jss"] == 100
    assert document(same_client, UPWORK, "2026-03-20")["jss"] is None  # 1 client
    assert document(one, UPWORK, "2026-03-20")["jss"] is None  # 1 outcome
    six = document(same_client, UPWORK, "2026-03-20")["candidates"]["6m"]
    assert (six["eligible"], six["score"], six["contracts"], six["clients"]) == (False, None, 2, 1)


def test_legacy_eligibility_three_clients_four_outcomes() -> None:
    legacy = rules("legacy", cadence="daily")
    clients = ["a", "b", "c", "c"]
    four = [make_contract(client=c) for c in clients]
    assert document(four, legacy, "2026-03-20")["jss"] == 100  # 4 outcomes, 3 clients
    assert document(four[:3], legacy, "2026-03-20")["jss"] is None  # 3 outcomes
    two_clients = [make_contract(client=c) for c in ["a", "b", "b", "b"]]
    assert document(two_clients, legacy, "2026-03-20")["jss"] is None  # 2 clients


def test_neutral_outcomes_count_toward_min_outcomes() -> None:
    history = [make_contract(public_feedback=5.0), make_contract(public_feedback=4.2)]
    # S = 1.25, U = 1.25 → 100·1.25/2.5 = 50.
    assert document(history, NO_LONG_TERM, "2026-03-20")["jss"] == 50


# --- MODEL.md 5-6: Trending and the best-of ----------------------------------------------------


def _three_and_six_month_history() -> list[Contract]:
    """At 2026-12-31 (3m from 2026-09-30, 6m from 2026-06-30): two successes in both windows,
    one negative in the 6-month window only."""
    return [
        make_contract(start_date="2026-11-01", end_date="2026-12-01"),
        make_contract(start_date="2026-10-01", end_date="2026-11-01"),
        make_contract(start_date="2026-07-01", end_date="2026-08-01", public_feedback=1.0),
    ]


def test_trending_is_the_mean_of_3m_and_6m_and_can_win() -> None:
    document_ = document(_three_and_six_month_history(), COUNT, "2026-12-31")
    candidates = document_["candidates"]
    # 3m: 100·2/2 = 100. 6m: 100·(2 − 1)/3 = 33.33…; Trending = (100 + 33.33…)/2 = 66.66….
    assert candidates["3m"]["score"] == pytest.approx(100.0)
    assert candidates["6m"]["score"] == pytest.approx(100 / 3)
    assert candidates["trending"]["score"] == pytest.approx(200 / 3)
    # 3 is not in `windows`: 3m (100) is computed for Trending but does not compete.
    assert document_["best"]["candidate"] == "trending"
    assert document_["best"]["score"] == pytest.approx(200 / 3)
    assert document_["jss"] == 67  # floor(66.67 + 0.5)


def test_trending_needs_both_3m_and_6m_eligible() -> None:
    history = _three_and_six_month_history()
    history[1] = make_contract(start_date="2026-06-01", end_date="2026-07-15")  # out of 3m
    document_ = document(history, COUNT, "2026-12-31")
    # 3m holds one contract → not eligible → no Trending; 6m: 100·(2 − 1)/3.
    assert document_["candidates"]["3m"]["eligible"] is False
    assert document_["candidates"]["trending"] == {"eligible": False, "score": None}
    assert document_["best"]["candidate"] == "24m"


def test_no_trending_candidate_when_trending_is_off() -> None:
    document_ = document(
        _three_and_six_month_history(), rules("legacy", cadence="daily"), "2026-12-31"
    )
    assert "trending" not in document_["candidates"]
    assert "3m" not in document_["candidates"]


def test_equal_scores_go_to_the_longest_window_and_trending_last() -> None:
    history = [make_contract(), make_contract()]
    document_ = document(history, UPWORK, "2026-03-20")
    # Every window and Trending score 100: 24m wins.
    assert {c["score"] for c in document_["candidates"].values()} == {100.0}
    assert document_["best"]["candidate"] == "24m"
    only_short = rules(windows="6")
    # With windows = [6], 6m and Trending tie at 100 → 6m (Trending last).
    assert document(history, only_short, "2026-03-20")["best"]["candidate"] == "6m"


def _near_tie_history(success_dollars: float) -> list[Contract]:
    """12m: two successes of `success_dollars` each; 24m adds a $1 negative 18 months back."""
    return [
        make_contract(start_date="2026-05-01", end_date="2026-06-01", earnings=success_dollars),
        make_contract(start_date="2026-05-01", end_date="2026-06-01", earnings=success_dollars),
        make_contract(
            start_date="2025-05-01", end_date="2025-06-01", earnings=1, public_feedback=1
        ),
    ]


def test_scores_within_1e_9_are_a_tie_that_the_longer_window_wins() -> None:
    dollars = rules(weighting="dollars", trending=False)
    # 12m = 100. 24m = 100·(x − 1)/(x + 1) with x = 4e11 → 100 − 200/(4e11 + 1) ≈ 100 − 5e-10:
    # within 1e-9 → tie → 24m.
    tie = document(_near_tie_history(2e11), dollars, "2026-12-01")
    assert 0 < 100 - tie["candidates"]["24m"]["score"] < 1e-9
    assert tie["best"]["candidate"] == "24m"
    assert tie["jss"] == 100
    # x = 4e10 → 24m ≈ 100 − 5e-9: a real difference → 12m.
    apart = document(_near_tie_history(2e10), dollars, "2026-12-01")
    assert apart["best"]["candidate"] == "12m"


# --- MODEL.md 6: rounding ----------------------------------------------------------------------


def _share_history(success_dollars: float, neutral_dollars: float) -> list[Contract]:
    """A success and a neutral (4.2 stars) contract weighted by dollars."""
    return [
        make_contract(earnings=success_dollars, public_feedback=5.0),
        make_contract(earnings=neutral_dollars, public_feedback=4.2),
    ]


def _share_rules(rounding: str) -> RuleSet:
    return rules(weighting="dollars", formula="share", rounding=rounding, long_term_days=None)


@pytest.mark.parametrize(
    ("success", "neutral", "rounding", "jss"),
    [
        (179, 21, "half_up", 90),  # 100·179/200 = 89.5 → 90
        (179, 21, "floor", 89),
        (8999, 1001, "floor", 89),  # 100·8999/10000 = 89.99 → 89
        (8999, 1001, "half_up", 90),
        (1789, 211, "half_up", 89),  # 89.45 → 89
    ],
)
def test_rounding_of_the_best_score(
    success: float, neutral: float, rounding: str, jss: int
) -> None:
    document_ = document(_share_history(success, neutral), _share_rules(rounding), "2026-03-20")
    assert document_["jss"] == jss


@pytest.mark.parametrize(
    ("success", "neutral", "rounding", "boundary"),
    [
        # 100·9.45/10.5 is exactly 90 but evaluates to 89.99999999999999 in floating point.
        (9.45, 1.05, "floor", 90),
        # 100·8.95/10 is exactly 89.5 but evaluates to 89.49999999999999.
        (8.95, 1.05, "half_up", 90),
    ],
)
def test_rounding_treats_a_score_a_hair_below_a_boundary_as_on_it(
    success: float, neutral: float, rounding: str, boundary: int
) -> None:
    document_ = document(_share_history(success, neutral), _share_rules(rounding), "2026-03-20")
    score = document_["best"]["score"]
    threshold = boundary if rounding == "floor" else boundary - 0.5
    assert threshold - 1e-9 < score < threshold  # below the boundary by ~1e-14
    assert document_["jss"] == boundary


# --- MODEL.md 7: cadence -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "computed_on"),
    [
        # 2026-11-15 − 2020-11-08 = 2198 days = 157·14: an update day (a Sunday).
        ("2026-11-15", "2026-11-15"),
        ("2026-11-21", "2026-11-15"),
        ("2026-11-28", "2026-11-15"),
        ("2026-11-29", "2026-11-29"),
        ("2020-11-08", "2020-11-08"),
        # Before the epoch: 2020-11-07 → 2020-10-25 (= 2020-11-08 − 14).
        ("2020-11-07", "2020-10-25"),
        ("2020-10-25", "2020-10-25"),
        # 2020-01-01 − 2020-11-08 = −312 days; −312 mod 14 = 10 → 2020-01-01 − 10 = 2019-12-22.
        ("2020-01-01", "2019-12-22"),
    ],
)
def test_biweekly_computed_on_is_the_latest_update_day(as_of: str, computed_on: str) -> None:
    document_ = document([make_contract()], preset("legacy"), as_of)
    assert document_["computed_on"] == computed_on
    daily = document([make_contract()], UPWORK, as_of)
    assert daily["computed_on"] == as_of


def test_biweekly_scores_and_contracts_are_those_of_the_update_day() -> None:
    legacy = preset("legacy")
    history = [
        make_contract(client=c, start_date="2026-09-01", end_date="2026-10-01") for c in "abcd"
    ]
    # A negative ending after the update day 2026-11-15 is not seen on 2026-11-21.
    history.append(
        make_contract(start_date="2026-11-01", end_date="2026-11-20", public_feedback=1.0)
    )
    history.append(make_contract(start_date="2026-11-16", end_date=None))  # started after 11-15
    shown = document(history, legacy, "2026-11-21")
    assert shown["jss"] == 100
    assert len(shown["contracts"]) == 5  # the contract started on 11-16 is not listed
    # On the next update day, 2026-11-29: 4 successes, 1 negative → 100·3/5 = 60.
    assert document(history, legacy, "2026-11-29")["jss"] == 60


def test_the_engine_applies_the_cadence_for_shown_dates() -> None:
    # The history above, asked for by shown date: 2026-11-21 shows the update day 2026-11-15
    # (100), 2026-11-29 is an update day itself (60: 4 successes, 1 negative, 100·3/5).
    legacy = preset("legacy")
    history = [
        make_contract(client=c, start_date="2026-09-01", end_date="2026-10-01") for c in "abcd"
    ]
    history.append(
        make_contract(start_date="2026-11-01", end_date="2026-11-20", public_feedback=1.0)
    )
    arrays = ContractArrays.from_contracts(history)
    shown = evaluate_shown(arrays, legacy, day("2026-11-21"))
    assert (shown.day, shown.jss) == (day("2026-11-15"), 100)
    days = [day("2026-11-21"), day("2026-11-29"), day("2026-11-16")]
    scores = shown_scores(arrays, legacy, days)
    assert scores.computed_on == (day("2026-11-15"), day("2026-11-29"), day("2026-11-15"))
    assert [scores.jss(i) for i in range(3)] == [100, 60, 100]
    assert shown_jss(arrays, legacy, days) == [100, 60, 100]


# --- MODEL.md 6: Top Rated and review risk -----------------------------------------------------


def _top_rated_history(negative_end: str | None, earnings: float = 600) -> list[Contract]:
    """Two successes ended 2026-08-01, plus a negative $100 contract ending on `negative_end`."""
    history = [
        make_contract(start_date="2026-07-01", end_date="2026-08-01", earnings=earnings),
        make_contract(start_date="2026-07-01", end_date="2026-08-01", earnings=earnings),
    ]
    if negative_end:
        history.append(
            make_contract(
                start_date="2026-07-01", end_date=negative_end, earnings=100, public_feedback=1
            )
        )
    return history


def test_top_rated_counts_weekly_dates_with_jss_of_90_or_more() -> None:
    # Weekly dates 2026-11-21 back to 2026-08-08 (−105 days): all after 2026-08-01 → 16 of 16.
    top = document(_top_rated_history(None), UPWORK, "2026-11-21")["top_rated"]
    # earnings_12m = 600 + 600 (payment date = end date 2026-08-01, inside 12 months).
    assert top == {"eligible_weeks": 16, "weeks": 16, "earnings_12m": 1200.0, "eligible": True}


def _weekly_history(second_end: str, start: str = "2026-07-01") -> list[Contract]:
    """Two $600 5-star contracts of two clients: one ends 2026-08-01, the other `second_end`."""
    return [
        make_contract(start_date=start, end_date="2026-08-01", earnings=600),
        make_contract(start_date=start, end_date=second_end, earnings=600),
    ]


def test_top_rated_needs_13_of_16_weeks() -> None:
    # t = 2026-11-21; t − 84 days = 2026-08-29, t − 91 = 2026-08-22. A JSS exists (2 clients,
    # 2 outcomes, 100%) from the day the second contract ends. Ending 08-29: weeks t, t−7, …,
    # t−84 = 13 weekly dates show 100 → eligible. Ending 08-30: t−84 has no JSS → 12 → not.
    top = document(_weekly_history("2026-08-29"), UPWORK, "2026-11-21")["top_rated"]
    assert (top["eligible_weeks"], top["eligible"]) == (13, True)
    top = document(_weekly_history("2026-08-30"), UPWORK, "2026-11-21")["top_rated"]
    assert (top["eligible_weeks"], top["eligible"]) == (12, False)


def test_top_rated_needs_the_jss_shown_at_t_to_be_90_or_more() -> None:
    # MODEL.md v2 §6. The $100 negative (07-01 → 11-20, 142 days) is an open long-term
    # success until it ends; on t = 11-21 it is negative with weight 1 + floor(142/90) = 2:
    # 100·(1.25 + 1.25 − 2)/4.5 = 11.1 → 11. The 15 earlier weekly dates show 100 → 15 weeks,
    # but the JSS at t is 11 < 90 → not eligible.
    top = document(_top_rated_history("2026-11-20"), UPWORK, "2026-11-21")["top_rated"]
    assert (top["eligible_weeks"], top["eligible"]) == (15, False)


def test_top_rated_needs_a_first_contract_more_than_90_days_before_t() -> None:
    # MODEL.md v2 §6. Two one-day $600 contracts of two clients starting and ending on the same
    # day. On 2026-08-22 (t − 91): weekly dates t … t−91 show 100 → 14 weeks; first start is 91
    # days before t → eligible. On 2026-08-23 (t − 90): 13 weeks, but 90 is not more than 90.
    def history(on: str) -> list[Contract]:
        return [make_contract(start_date=on, end_date=on, earnings=600) for _ in range(2)]

    top = document(history("2026-08-22"), UPWORK, "2026-11-21")["top_rated"]
    assert (top["eligible_weeks"], top["eligible"]) == (14, True)
    top = document(history("2026-08-23"), UPWORK, "2026-11-21")["top_rated"]
    assert (top["eligible_weeks"], top["eligible"]) == (13, False)


def test_top_rated_needs_1000_dollars_in_12_months() -> None:
    exactly = document(_top_rated_history(None, earnings=500), UPWORK, "2026-11-21")["top_rated"]
    assert (exactly["earnings_12m"], exactly["eligible"]) == (1000.0, True)
    short = document(_top_rated_history(None, earnings=499.99), UPWORK, "2026-11-21")["top_rated"]
    assert short["eligible"] is False


def test_earnings_12m_payment_date_is_last_payment_then_end_then_t() -> None:
    t = "2026-11-21"  # 12-month window from 2025-11-21
    history = [
        # Last payment 2025-11-20 (before the window) wins over a recent end date → out.
        make_contract(
            start_date="2025-10-01",
            end_date="2026-02-01",
            last_payment_date="2025-11-20",
            earnings=1,
        ),
        # Last payment after t is ignored → end date 2026-02-01 → in.
        make_contract(
            start_date="2025-10-01",
            end_date="2026-02-01",
            last_payment_date="2026-12-01",
            earnings=10,
        ),
        # Open and unpaid → payment date t → in.
        make_contract(start_date="2024-01-01", end_date=None, earnings=100),
        # Last payment exactly on the window start → in.
        make_contract(
            start_date="2025-10-01",
            end_date="2025-11-01",
            last_payment_date="2025-11-21",
            earnings=1000,
        ),
        # Ended before the window, no payment date → out.
        make_contract(start_date="2025-01-01", end_date="2025-11-20", earnings=10_000),
        # Not started at t → out.
        make_contract(start_date="2026-11-22", end_date=None, earnings=100_000),
    ]
    # 10 + 100 + 1000 = 1110.
    assert document(history, UPWORK, t)["top_rated"]["earnings_12m"] == 1110.0


def test_review_risk_below_70() -> None:
    def history(successes: int, negatives: int) -> list[Contract]:
        return [make_contract() for _ in range(successes)] + [
            make_contract(public_feedback=1.0) for _ in range(negatives)
        ]

    # 100·(27 − 3)/30 = 80 → no risk; 100·(23 − 4)/27 = 70.37 → 70, no risk;
    # 100·(11 − 2)/13 = 69.2 → 69, risk.
    assert document(history(27, 3), COUNT, "2026-03-20")["review_risk"] is False
    assert document(history(23, 4), COUNT, "2026-03-20")["jss"] == 70
    assert document(history(23, 4), COUNT, "2026-03-20")["review_risk"] is False
    assert document(history(11, 2), COUNT, "2026-03-20")["jss"] == 69
    assert document(history(11, 2), COUNT, "2026-03-20")["review_risk"] is True
    assert document(history(1, 0), COUNT, "2026-03-20")["review_risk"] is False  # no JSS


def test_evaluate_reports_outcome_enum_and_members_per_contract() -> None:
    history = [make_contract(), make_contract(end_date=None, start_date="2026-02-01")]
    evaluation = evaluate(ContractArrays.from_contracts(history), UPWORK, day("2026-03-20"))
    assert evaluation.outcome[0] != evaluation.outcome[1]
    assert bool(evaluation.members[6][0]) and not bool(evaluation.members[6][1])


# --- MODEL.md version 2: private_until, idle before long-term, open anchors, T > 0 ------------


def test_private_feedback_is_read_only_before_private_until() -> None:
    # 5 stars public, private 3 (≤ 6 → negative): the worst signal is negative while private
    # feedback is read. upwork: private_until = 2026-03-31, so read on 03-30, not on 03-31.
    contract = make_contract(public_feedback=5.0, private_feedback=3)
    assert verdict(contract, UPWORK, "2026-03-30") == ("negative", "feedback")
    assert verdict(contract, UPWORK, "2026-03-31") == ("success", "feedback")
    # private_until = none: always read; another date moves the switch.
    assert verdict(contract, rules(private_until="none"), "2027-01-01") == ("negative", "feedback")
    later = rules(private_until="2026-06-01")
    assert verdict(contract, later, "2026-05-31") == ("negative", "feedback")
    assert verdict(contract, later, "2026-06-01") == ("success", "feedback")


def test_private_until_changes_the_jss_on_that_day() -> None:
    # Two clients: a 5-star and the 5-star/private-3 contract. Before 03-31: 1 success and 1
    # negative of weight 1.25 each → 100·0/2.5 = 0. From 03-31: 2 successes → 100.
    history = [make_contract(), make_contract(private_feedback=3)]
    assert document(history, UPWORK, "2026-03-30")["jss"] == 0
    assert document(history, UPWORK, "2026-03-31")["jss"] == 100


def test_idle_open_contract_keeps_feedback_given_while_open() -> None:
    # MODEL.md v2 row 2: 5 stars visible from 2026-01-20 while open. No payment: the last known
    # payment is the start 2026-01-01; on 2026-05-01 that is 120 > 90 days → ended on the idle
    # date 2026-04-01 with its visible 5 stars → row 13 success (v1 dropped the feedback and
    # made it a no-feedback negative). Weight: active days stop at the idle date = 90 →
    # 1.25 + 1 = 2.25. anchor = end_date → the idle date.
    contract = make_contract(
        start_date="2026-01-01", end_date=None, public_feedback=5.0, feedback_date="2026-01-20"
    )
    row = judged(contract, IDLE, "2026-05-01")
    assert (row["outcome"], row["reason"]) == ("success", "feedback")
    assert (row["anchor"], row["weight"]) == ("2026-04-01", 2.25)


def test_idle_contract_weight_stops_growing_at_its_idle_date() -> None:
    # MODEL.md v2 §1/§3: active days end at the idle date 2025-01-01 + 90 = 2025-04-01, so on
    # 2026-01-01 the bonus is floor(90/90) = 1 → 1.25 + 1 = 2.25 (v1: 365 days → 5.25).
    idle_tiers = rules(idle_open_days=90, long_term_days=None, no_feedback="negative")
    contract = make_contract(start_date="2025-01-01", end_date=None, public_feedback=None)
    row = judged(contract, idle_tiers, "2026-01-01")
    assert (row["outcome"], row["anchor"], row["weight"]) == ("negative", "2025-04-01", 2.25)


def test_idle_rule_reads_only_payments_made_by_t() -> None:
    # MODEL.md v2: the last known payment is last_payment_date only when ≤ t. On 2026-01-01 the
    # payment of 2026-03-01 has not happened: known payment = start 2025-01-01, 365 > 90 days
    # → idle on 2025-04-01 → no feedback → negative (IDLE: no_feedback = negative), anchored on
    # the idle date. On 2026-03-01 the payment is known: 0 days → in progress.
    contract = make_contract(
        start_date="2025-01-01", end_date=None, last_payment_date="2026-03-01", public_feedback=None
    )
    row = judged(contract, IDLE, "2026-01-01")
    assert (row["outcome"], row["reason"], row["anchor"]) == (
        "negative",
        "no_feedback",
        "2025-04-01",
    )
    assert verdict(contract, IDLE, "2026-03-01") == ("excluded", "in_progress")


def test_idle_long_term_contract_keeps_its_negative_feedback() -> None:
    # Open since 2025-01-01, last paid 2025-06-01, 1 star visible from 2025-07-01. On 2026-01-01
    # the idle check comes first (v2): idle date 2025-06-01 + 90 = 2025-08-30; the 1 star is
    # kept → row 7 fails (negative) → row 13 negative (v1: the signal was dropped → long-term
    # success). Active days 2025-01-01 → 2025-08-30 = 241 → 1.25 + 2 = 3.25; anchor = the
    # last payment (upwork anchor).
    idle_long = rules(idle_open_days=90)
    contract = make_contract(
        start_date="2025-01-01",
        end_date=None,
        last_payment_date="2025-06-01",
        public_feedback=1.0,
        feedback_date="2025-07-01",
    )
    row = judged(contract, idle_long, "2026-01-01")
    assert (row["outcome"], row["reason"]) == ("negative", "feedback")
    assert (row["anchor"], row["weight"]) == ("2025-06-01", 3.25)


def test_idle_check_comes_before_the_long_term_credit() -> None:
    # Open since 2025-01-01, last paid 2025-03-01, no feedback. On 2026-01-01: 306 > 90 days
    # without payment → idle on 2025-03-01 + 90 = 2025-05-30 (row 2 before row 3, so not
    # long_term_active). Active days to the idle date: 149 > 90 → long-term, no negative signal
    # → row 7 long_term success. Weight 1.25 + floor(149/90) = 2.25; anchor = last payment
    # 2025-03-01: in 12m (from 2025-01-01) and 24m, not 6m (from 2025-07-01).
    contract = make_contract(
        start_date="2025-01-01", end_date=None, last_payment_date="2025-03-01", public_feedback=None
    )
    row = judged(contract, rules(idle_open_days=90), "2026-01-01")
    assert (row["outcome"], row["reason"], row["weight"]) == ("success", "long_term", 2.25)
    assert (row["anchor"], row["windows"]) == ("2025-03-01", ["12m", "24m"])
    # Without the idle rule it is an open long-term success, still anchored at its payment.
    row = judged(contract, UPWORK, "2026-01-01")
    assert (row["reason"], row["anchor"]) == ("long_term_active", "2025-03-01")


def test_open_long_term_contract_is_anchored_at_its_last_payment() -> None:
    # MODEL.md v2 §5, anchor = last_payment: last_payment_date when ≤ t, else t.
    contract = make_contract(start_date="2026-01-01", end_date=None, last_payment_date="2026-02-15")
    # On 2026-05-01 (120 days → long-term): anchored 2026-02-15, weight 1.25 + 1 = 2.25.
    row = judged(contract, UPWORK, "2026-05-01")
    assert (row["reason"], row["anchor"], row["weight"]) == ("long_term_active", "2026-02-15", 2.25)
    # It ages out like an ended contract: start(2026-08-15, 6) = 2026-02-15 → in the 6-month
    # window; start(2026-08-16, 6) = 2026-02-16 → out.
    assert "6m" in judged(contract, UPWORK, "2026-08-15")["windows"]
    assert judged(contract, UPWORK, "2026-08-16")["windows"] == ["12m", "24m"]
    # anchor = end_date: t.
    assert judged(contract, rules(anchor="end_date"), "2026-05-01")["anchor"] == "2026-05-01"


def test_open_long_term_contract_paid_after_t_is_anchored_at_t() -> None:
    contract = make_contract(start_date="2026-01-01", end_date=None, last_payment_date="2026-06-01")
    # The payment of 2026-06-01 is not known on 2026-05-01 → anchored at t.
    assert judged(contract, UPWORK, "2026-05-01")["anchor"] == "2026-05-01"
    assert judged(contract, UPWORK, "2026-06-10")["anchor"] == "2026-06-01"


def test_a_window_needs_a_positive_total() -> None:
    # min_outcomes = min_clients = 0: an empty window would meet both, but T = 0 → no score.
    # One 5-star contract ended 2026-01-01; on 2026-06-01 the 3-month window (from 2026-03-01)
    # is empty → not eligible, so no Trending; the 6-month window (from 2025-12-01) has it →
    # 100; 24m, 12m and 6m all 100 → the tie goes to 24m.
    zero = rules(min_outcomes=0, min_clients=0)
    shown = document([make_contract(end_date="2026-01-01")], zero, "2026-06-01")
    assert shown["candidates"]["3m"]["eligible"] is False
    assert shown["candidates"]["3m"]["score"] is None
    assert shown["candidates"]["trending"]["eligible"] is False
    assert shown["best"] == {"candidate": "24m", "score": 100.0}


def test_best_is_the_longest_window_tied_with_the_highest_score(
    implementation: str, request: pytest.FixtureRequest
) -> None:
    # ENGINE DISAGREES WITH MODEL.md 6 ("The best is the candidate with the highest score; ties
    # go to the longer window … two scores within 1e-9 of each other are a tie").
    # Dollars, no Trending, as of 2026-12-01, x = 1.25e11:
    #   6m:  two successes of $x                       → 100
    #   12m: + a $1 negative (2026-02-01)              → 100·(2x − 1)/(2x + 1) ≈ 100 − 0.8e-9
    #   24m: + another $1 negative (2025-02-01)        → 100·(2x − 2)/(2x + 2) ≈ 100 − 1.6e-9
    # The highest is 6m (100); 12m is within 1e-9 of it, so they tie and the longer 12m is best.
    # (24m is 1.6e-9 below the highest: not a tie.) A scan that replaces the best only when a
    # score beats the *current* best by more than 1e-9 would answer 6m here.
    x = 1.25e11
    history = [
        make_contract(start_date="2026-09-01", end_date="2026-10-01", earnings=x),
        make_contract(start_date="2026-09-01", end_date="2026-10-01", earnings=x),
        make_contract(
            start_date="2026-01-01", end_date="2026-02-01", earnings=1, public_feedback=1
        ),
        make_contract(
            start_date="2025-01-01", end_date="2025-02-01", earnings=1, public_feedback=1
        ),
    ]
    document_ = document(history, rules(weighting="dollars", trending=False), "2026-12-01")
    scores = {name: document_["candidates"][name]["score"] for name in ("6m", "12m", "24m")}
    assert scores["6m"] == 100.0
    assert 0 < scores["6m"] - scores["12m"] < 1e-9 < scores["6m"] - scores["24m"]
    assert document_["best"]["candidate"] == "12m"
    assert document_["jss"] == 100


def test_contracts_no_window_can_reach_again_are_left_out_of_many_date_evaluations() -> None:
    from jsscheck.engine.evaluate import _still_countable, evaluate_dates

    rules = preset("upwork")
    old_bad = make_contract(
        start_date="2022-01-01", end_date="2022-02-01", last_payment_date="2022-03-01",
        public_feedback=1.0,
    )  # fmt: skip
    late_paid = make_contract(  # ended long ago, paid recently: its anchor is recent
        start_date="2022-01-01", end_date="2022-02-01", last_payment_date="2026-06-01",
        public_feedback=1.0,
    )  # fmt: skip
    recent = [make_contract(start_date="2026-01-01", end_date="2026-03-01") for _ in range(6)]
    arrays = ContractArrays.from_contracts([old_bad, late_paid, *recent])
    first = date(2026, 11, 21)
    # 24 months before 2026-11-21 is 2024-11-21: old_bad (anchor 2022-03-01) can never count
    kept = _still_countable(arrays, rules, (first - date(1970, 1, 1)).days)
    assert kept is not None and kept.tolist() == [False] + [True] * 7
    days = [first + timedelta(days=i) for i in range(0, 400, 7)]
    many = evaluate_dates(arrays, rules, days)
    for i, day in enumerate(days):
        assert many.jss_at(i) == evaluate(arrays, rules, day).jss
    # 6 successes and one 1-star in the window: net score (6 - 1) / 7
    assert many.jss_at(0) == 71


def test_a_share_of_all_successes_is_exactly_100_not_float_dust_above_it() -> None:
    # 1 + 1 + 3.94 is 5.9399999999999995, and 100 * s / s of it is 100.00000000000001
    rules = with_overrides(preset("upwork"), {"formula": "share", "weighting": "dollars"})
    history = [
        make_contract(earnings=e, start_date="2026-01-01", end_date="2026-02-01")
        for e in (1.0, 1.0, 3.94)
    ]
    evaluation = evaluate(ContractArrays.from_contracts(history), rules, date(2026, 3, 1))
    assert evaluation.best_score == 100.0


# --- MODEL.md 2 and 8: the private_until parameter --------------------------------------------


def test_private_until_presets_params_and_toml_round_trip(tmp_path: Any) -> None:
    from jsscheck.model.rules import PRESETS, load_rules_file

    assert UPWORK.private_until == day("2026-03-31")
    assert [PRESETS[n].private_until for n in ("public-only", "legacy", "fair")] == [None] * 3
    assert UPWORK.params()["private_until"] == "2026-03-31"
    assert PRESETS["fair"].params()["private_until"] is None
    # A rule set rebuilt from its JSON params reads the ISO string back as a date.
    rebuilt = RuleSet.from_params("x", UPWORK.params())
    assert rebuilt.private_until == day("2026-03-31")
    assert rebuilt.fingerprint == UPWORK.fingerprint
    # A document from before version 2 has no private_until: private feedback always read.
    old = {k: v for k, v in UPWORK.params().items() if k != "private_until"}
    assert RuleSet.from_params("old", old).private_until is None
    for rule_set in (UPWORK, rules(private_until="none"), rules(private_until="2025-02-03")):
        path = tmp_path / "rules.toml"
        path.write_text(rule_set.to_toml(), encoding="utf-8")
        assert load_rules_file(path).params() == rule_set.params()
    # A TOML date literal works as well as a string.
    path = tmp_path / "literal.toml"
    path.write_text("private_until = 2025-02-03\n", encoding="utf-8")
    assert load_rules_file(path).private_until == day("2025-02-03")
    assert rules(private_until="none").fingerprint != UPWORK.fingerprint


def test_private_until_rejects_what_is_not_a_date() -> None:
    from jsscheck.errors import UsageError

    with pytest.raises(UsageError, match="private_until: expected a date YYYY-MM-DD or none"):
        rules(private_until="March")


def test_numpy_operations_with_outcome_codes_run_no_python_code() -> None:
    # On Python 3.11 numpy's lookup of its special names on an IntEnum type ran
    # EnumType.__getattr__, and numpy clears what such a lookup raises: a Ctrl-C landing there
    # was lost (about one in a few hundred during `score`). engine.outcomes' codes skip it.
    import sys

    import numpy as np

    from jsscheck.engine.outcomes import Outcome, Reason, Signal

    reasons = np.array([Reason.FEEDBACK, Reason.NO_FEEDBACK])
    called: list[str] = []
    sys.setprofile(lambda frame, event, arg: called.append(frame.f_code.co_name))
    try:
        same = reasons == Reason.FEEDBACK
        picked = np.where(same, Outcome.SUCCESS, Outcome.EXCLUDED)
        worst = np.minimum(np.full(2, Signal.POSITIVE), Signal.NEGATIVE)
    finally:
        sys.setprofile(None)
    assert [name for name in called if name in ("__getattr__", "_is_dunder")] == []
    assert same.tolist() == [True, False] and picked.tolist() == [1, 0]
    assert worst.tolist() == [int(Signal.NEGATIVE)] * 2
    assert Reason(9) is Reason.FEEDBACK and Reason["FEEDBACK"].label == "feedback"
