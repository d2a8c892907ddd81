"""`forecast` (MODEL.md section 10): hand-worked cases and a brute-force day-by-day comparison.

Every contract below earns $500 over about a month unless said otherwise, so under `tiers` its
weight is 1.25 (250 < $500 ≤ 1,000, fewer than 90 active days: no bonus). Without a last
payment, the window anchor is the end date.
"""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import date, timedelta

import pytest
from helpers import make_contract

from jsscheck.analyses.forecast import TopRatedChange, forecast, freeze, horizon_end
from jsscheck.engine.arrays import ContractArrays
from jsscheck.engine.calendar import update_day
from jsscheck.engine.evaluate import evaluate, evaluate_dates
from jsscheck.errors import UsageError
from jsscheck.model.contract import Contract
from jsscheck.model.rules import PRESETS
from jsscheck.render.forecast import (
    causes,
    event_lines,
    event_sentence,
    forecast_document,
    forecast_markdown,
    render_forecast,
    summary,
)

UPWORK = PRESETS["upwork"]
T = date(2026, 6, 30)


def ended(cid: str, end: str, stars: float | None = 5.0, **extra: object) -> Contract:
    """A $500 contract of 30 days ending on `end`, its own client."""
    finish = date.fromisoformat(end)
    return make_contract(
        contract_id=cid,
        client=f"client-{cid}",
        start_date=finish - timedelta(days=30),
        end_date=finish,
        public_feedback=stars,
        **extra,
    )


def window_exit_history() -> list[Contract]:
    # X (1 star, negative) anchored 2025-08-01; Y and Z (5 stars) on 2025-09-01 and 2025-10-01.
    return [
        ended("X", "2025-08-01", 1.0, title="Logo redesign"),
        ended("Y", "2025-09-01"),
        ended("Z", "2025-10-01"),
    ]


def events_of(result) -> list[tuple[date, int | None, int | None]]:
    return [(e.day, e.change.jss_before, e.change.jss_after) for e in result.events]


def test_negative_contract_leaving_the_12_month_window_raises_the_jss() -> None:
    # On 2026-06-30 the 6-month window (from 2025-12-30) is empty; 12 and 24 months hold
    # X, Y, Z: 100·(2.5 − 1.25)/3.75 = 33.33 → 33% (24m wins the tie).
    # 2026-08-02: start(t, 12) = 2025-08-02 > X's anchor, so X is out of 12m:
    #   12m = Y, Z = 100·2.5/2.5 = 100 → 100%.
    # 2026-09-02: Y leaves 12m; Z alone is one contract → 12m not eligible → 24m 33.33 → 33%.
    # 2027-08-02: X leaves 24m → Y, Z → 100%. 2027-09-02: Y leaves 24m → no window → no JSS.
    result = forecast(window_exit_history(), UPWORK, T, date(2027, 12, 31))
    assert result.jss == 33
    assert events_of(result) == [
        (date(2026, 8, 2), 33, 100),
        (date(2026, 9, 2), 100, 33),
        (date(2027, 8, 2), 33, 100),
        (date(2027, 9, 2), 100, None),
    ]
    first = result.events[0]
    assert first.change.score_before == pytest.approx(100 / 3)
    assert first.change.score_after == pytest.approx(100.0)
    # One player (X leaves 12m): its Shapley effect is the whole change, 100 − 33.33 = +66.67.
    [top] = causes(first)
    assert (top.contract_id, top.reason) == ("X", "aged_out")
    assert top.before is not None and top.after is not None
    assert 12 in top.before.windows and 12 not in top.after.windows
    assert top.effect == pytest.approx(200 / 3)
    assert event_sentence(first, result.titles, UPWORK) == (
        "On 2026-08-02 'Logo redesign' leaves your 12-month window (+66.7 points): Upwork shows "
        "the 12-month window instead of the 24-month window, and your JSS rises from 33% to 100%."
    )
    # 2026-09-02: Y leaves 12m, which loses its score (Z alone): 24m's 33.33 shows again.
    # MODEL.md v2 (9.2): the one player Y carries the whole −66.67 (v1 called it a window
    # switch with no contract).
    second = result.events[1]
    assert [(c.contract_id, c.reason) for c in causes(second)] == [("Y", "aged_out")]
    assert causes(second)[0].effect == pytest.approx(-200 / 3)
    assert event_lines(second, result.titles, UPWORK) == [
        "contract Y leaves your 12-month window: −66.7 points",
        "Upwork now shows the 24-month window (was the 12-month window).",
    ]


def test_grace_end_makes_a_no_feedback_contract_count() -> None:
    # no_feedback = negative. Y (5 stars, 2026-03-01), Z (5 stars, 2026-04-01), G ended
    # 2026-06-25 without feedback: pending while t − 2026-06-25 < 14, i.e. up to 2026-07-08.
    # Before: 6/12/24m = Y, Z = 100% (3m: Z alone, not eligible, so no Trending).
    # 2026-07-09: G is negative (weight 1.25): 100·(2.5 − 1.25)/3.75 = 33.33 → 33%.
    # (3m now Z, G = 0; Trending (0 + 33.33)/2 = 16.67 loses to 24m.)
    rules = replace(UPWORK, no_feedback="negative")
    history = [ended("Y", "2026-03-01"), ended("Z", "2026-04-01"), ended("G", "2026-06-25", None)]
    result = forecast(history, rules, T, date(2026, 8, 31))
    assert events_of(result) == [(date(2026, 7, 9), 100, 33)]
    [cause] = causes(result.events[0])
    assert cause.contract_id == "G"
    assert cause.reason == "entered"
    assert cause.effect == pytest.approx(100 / 3 - 100)
    assert event_lines(result.events[0], result.titles, rules)[0] == (
        "contract G got no feedback within 14 days and now counts as a negative outcome: "
        "−66.7 points"
    )


def test_biweekly_cadence_shows_changes_on_the_next_update_day() -> None:
    # legacy: count weights, end-date anchor, 4 outcomes from 3 clients needed, updates every
    # 14th day from 2020-11-08 (…, 2026-06-28, 2026-07-26, 2026-08-09, 2026-08-23, 2026-09-06).
    # X negative (1 star, 2025-08-01), four successes 2025-09-01, -09-15, -10-01, -10-15.
    # Computed 2026-06-28: 12m = 24m = 100·(4 − 1)/5 = 60 → 60%.
    # X leaves 12m on 2026-08-02 (12m = 4/4 = 100) → shown from update day 2026-08-09.
    # S1 leaves 12m on 2026-09-02 (12m has 3 contracts < 4, 24m 60) → shown 2026-09-06.
    history = [ended("X", "2025-08-01", 1.0)] + [
        ended(f"S{i}", day)
        for i, day in enumerate(["2025-09-01", "2025-09-15", "2025-10-01", "2025-10-15"], 1)
    ]
    legacy = PRESETS["legacy"]
    result = forecast(history, legacy, T, date(2026, 9, 30))
    assert result.jss == 60
    assert events_of(result) == [(date(2026, 8, 9), 60, 100), (date(2026, 9, 6), 100, 60)]
    assert result.events[0].change.previous_day == date(2026, 7, 26)
    daily = forecast(history, replace(legacy, cadence="daily"), T, date(2026, 9, 30))
    assert events_of(daily) == [(date(2026, 8, 2), 60, 100), (date(2026, 9, 2), 100, 60)]


def test_open_long_term_contract_gains_weight_every_90_days() -> None:
    # L open since 2026-03-01 ($500): long-term active (success, anchored on t) with weight
    # 1.25 + floor(days/90). N negative (1 star, 2026-05-01), same 6/12/24m windows.
    # On 2026-06-30 L has 121 days → weight 2.25: 100·(2.25 − 1.25)/3.5 = 28.57 → 29%.
    # 3m holds L and N too (Trending 28.57, a tie). 2026-08-02: N leaves 3m, L alone is one
    # contract, Trending is gone: 24m is still 28.57, no change.
    # 2026-08-28 (180 days): weight 3.25 → 100·(3.25 − 1.25)/4.5 = 44.44 → 44%.
    history = [
        make_contract(contract_id="L", client="cl", start_date="2026-03-01", end_date=None),
        ended("N", "2026-05-01", 1.0),
    ]
    result = forecast(history, UPWORK, T, date(2026, 9, 30))
    assert result.jss == 29
    assert events_of(result) == [(date(2026, 8, 28), 29, 44)]
    [cause] = causes(result.events[0])
    assert (cause.contract_id, cause.reason) == ("L", "weight_changed")
    assert cause.effect == pytest.approx(100 * 2 / 4.5 - 100 / 3.5)
    assert (
        "now weighs 3.25 jobs instead of 2.25"
        in event_lines(result.events[0], result.titles, UPWORK)[0]
    )


def test_nothing_new_happens_after_as_of() -> None:
    # A contract ending after t, its feedback, and one starting after t are not foreseen.
    history = [
        ended("Y", "2026-03-01"),
        ended("Z", "2026-04-01"),
        make_contract(
            contract_id="O",
            start_date="2026-06-01",
            end_date="2026-07-10",
            public_feedback=1.0,
            last_payment_date="2026-07-10",
        ),
        make_contract(contract_id="F", start_date="2026-07-01", end_date="2026-07-20"),
    ]
    frozen = freeze(history, T)
    assert [c.contract_id for c in frozen] == ["Y", "Z", "O"]
    assert frozen[2].end_date is None and frozen[2].public_feedback is None
    assert frozen[2].last_payment_date == T
    result = forecast(history, UPWORK, T, date(2026, 12, 31))
    # O stays open with no feedback: never counts (30 + ... days < 90 until 2026-08-31, then
    # long-term active success: still 100%). Y and Z keep 100% until Y leaves 6m (2026-09-02):
    # 6m = Z, O → still 100%. No change of the displayed JSS at all.
    assert result.events == ()
    assert "stays at 100%" in summary(result)


def test_no_history_has_no_jss_and_says_so() -> None:
    result = forecast([], UPWORK, T, date(2027, 6, 30))
    assert (result.jss, result.events, result.top_rated_now) == (None, (), False)
    assert summary(result) == (
        "If nothing new happens, you have no JSS from 2026-06-30 through 2027-06-30: no window "
        "has enough counted contracts and clients."
    )


def test_until_must_be_after_as_of_and_horizon_parses() -> None:
    with pytest.raises(UsageError):
        forecast([], UPWORK, T, T)
    assert horizon_end(T, "24m") == date(2028, 6, 30)
    assert horizon_end(T, "2y") == date(2028, 6, 30)
    assert horizon_end(T, "90d") == date(2026, 9, 28)
    with pytest.raises(UsageError):
        horizon_end(T, "soon")


def test_forecast_json_document() -> None:
    doc = forecast_document(forecast(window_exit_history(), UPWORK, T, date(2027, 12, 31)))
    assert doc["schema"] == "jsscheck.forecast/2"
    assert doc["as_of"] == "2026-06-30" and doc["until"] == "2027-12-31"
    event = doc["events"][0]
    assert set(event) >= {"date", "jss_before", "jss_after", "score_before", "score_after"}
    assert event["causes"][0]["contract_id"] == "X"
    assert set(event["causes"][0]) >= {"contract_id", "reason", "effect"}
    assert event["causes"][0]["effect"] == pytest.approx(200 / 3)
    assert doc["top_rated"] == []
    json.dumps(doc)


def test_the_table_prints_each_day_once_naming_the_contract() -> None:
    from rich.console import Console

    result = forecast(window_exit_history(), UPWORK, T, date(2027, 12, 31))
    console = Console(width=200, record=True, no_color=True)
    render_forecast(console, result)
    text = console.export_text()
    assert text.startswith("On 2026-08-02 'Logo redesign' leaves your 12-month window")
    assert text.count("2026-09-02") == 1 and text.count("2027-08-02") == 1
    assert "window switch" not in text
    markdown = forecast_markdown(result)
    assert "| 2026-08-02 | 33% → 100% | 'Logo redesign' leaves your 12-month window" in markdown


def test_titles_with_markup_print_exactly() -> None:
    from rich.console import Console

    history = [*window_exit_history()[1:], ended("X", "2025-08-01", 1.0, title="[URGENT] fix")]
    result = forecast(history, UPWORK, T, date(2027, 12, 31))
    console = Console(width=200, record=True, no_color=True)
    render_forecast(console, result)
    assert "'[URGENT] fix' leaves your 12-month window" in console.export_text()


# --------------------------------------------------------------------------- Top Rated


def up_and_down() -> list[Contract]:
    # X (1 star) ended 2025-07-15 (started 2025-06-15); S1, S2, S3 (5 stars) ended 2025-09-01,
    # 2025-12-01, 2026-01-01; $500 each (weight 1.25), each its own client, no last payment.
    # 2026-06-30: 6m = S3 alone (not eligible); 12m = 24m = 100·(3.75 − 1.25)/5 = 50 → 50%.
    # 2026-07-16: X leaves 12m → 12m = 100%. 2026-12-02: S2 leaves 12m, S3 alone → 24m 50%.
    # 2027-07-16: X leaves 24m → 100%. 2027-12-02: S2 leaves 24m → no JSS.
    return [
        ended("X", "2025-07-15", 1.0, title="Logo redesign"),
        ended("S1", "2025-09-01"),
        ended("S2", "2025-12-01"),
        ended("S3", "2026-01-01"),
    ]


def test_top_rated_is_gained_13_weeks_after_the_jss_reaches_90_and_lost_with_it() -> None:
    # Shown JSS ≥ 90 from 2026-07-16 to 2026-12-01. On t the count of the 16 weekly dates
    # t, t − 7, …, t − 105 showing ≥ 90 is the number of them ≥ 2026-07-16: 13 first when
    # t − 84 = 2026-07-16, i.e. t = 2026-10-08. Then: JSS(t) = 100 ≥ 90; first start
    # 2025-06-15 is > 90 days before; earnings_12m (from 2025-10-08): S2 + S3 = $1,000 ≥ 1,000.
    # So eligible from 2026-10-08. On 2026-12-02 the JSS falls to 50 (< 90) and S2's payment
    # leaves the 12 months: not eligible. From 2027-07-16 (100%) the count reaches 13 on
    # 2027-10-08, but earnings_12m is $0 then (S3's 2026-01-01 left on 2027-01-02).
    result = forecast(up_and_down(), UPWORK, T, date(2028, 6, 30))
    assert result.top_rated_now is False
    assert result.top_rated == (
        TopRatedChange(date(2026, 10, 8), True),
        TopRatedChange(date(2026, 12, 2), False),
    )
    assert forecast_document(result)["top_rated"] == [
        {"date": "2026-10-08", "eligible": True},
        {"date": "2026-12-02", "eligible": False},
    ]
    [first] = causes(result.events[0])
    assert (first.contract_id, first.reason) == ("X", "aged_out")
    assert first.effect == pytest.approx(50.0)


def test_top_rated_is_lost_when_the_weekly_count_drops_below_13() -> None:
    # As of 2026-11-01 the JSS has been 100% since 2026-07-16 (16 weekly dates back to
    # 2026-07-19 are all ≥ 90: 16). Earnings: S2 + S3 = $1,000. Eligible now. On 2026-12-02
    # the JSS falls to 50%: lost that day (JSS at t < 90).
    result = forecast(up_and_down(), UPWORK, date(2026, 11, 1), date(2027, 3, 1))
    assert result.top_rated_now is True
    assert result.top_rated == (TopRatedChange(date(2026, 12, 2), False),)


# --------------------------------------------------------------------------- brute force


def _random_history(rng: random.Random, as_of: date) -> list[Contract]:
    contracts = []
    for i in range(rng.randint(2, 12)):
        start = as_of - timedelta(days=rng.randint(-20, 800))
        length = rng.choice([0, 5, 30, 60, 89, 90, 91, 120, 200, 400])
        end: date | None = start + timedelta(days=length)
        if rng.random() < 0.25:
            end = None
        last_payment = None
        if rng.random() < 0.4:
            span = length if end is not None else rng.randint(0, 300)
            last_payment = start + timedelta(days=rng.randint(0, max(span, 0)))
        feedback_date = None
        if end is not None and rng.random() < 0.3:
            feedback_date = end + timedelta(days=rng.randint(0, 30))
        contracts.append(
            make_contract(
                contract_id=f"r{i}",
                client=f"client-{rng.randint(1, 6)}",
                start_date=start,
                end_date=end,
                last_payment_date=last_payment,
                feedback_date=feedback_date,
                earnings=rng.choice([0, 100, 250, 300, 800, 1000, 1500, 5000]),
                public_feedback=rng.choice([None, None, 1.0, 3.0, 4.0, 4.2, 4.5, 5.0, 5.0]),
                private_feedback=rng.choice([None, None, None, 2, 6, 7, 9, 10]),
                disputed=rng.random() < 0.05,
                client_flagged=rng.random() < 0.05,
                excluded=rng.random() < 0.03,
                paid_periods=rng.choice([None, None, None, 0, 1, 3]),
            )
        )
    return contracts


def _rules(rng: random.Random):
    rules = PRESETS[rng.choice(list(PRESETS))]
    if rng.random() < 0.3:
        rules = replace(rules, cadence="biweekly" if rules.cadence == "daily" else "daily")
    if rng.random() < 0.2:
        rules = replace(rules, rounding="floor")
    if rng.random() < 0.2:
        rules = replace(rules, formula="share")
    return rules


def _brute_force_events(
    contracts: list[Contract], rules, as_of: date, until: date
) -> list[tuple[date, int | None, int | None]]:
    """Every shown day evaluated: the displayed JSS of day d is computed on update_day(d)."""
    arrays = ContractArrays.from_contracts(freeze(contracts, as_of))
    days = [as_of + timedelta(days=n) for n in range((until - as_of).days + 1)]
    computed = sorted({update_day(d, rules.cadence) for d in days})
    scores = evaluate_dates(arrays, rules, computed)
    by_day = {d: scores.jss_at(i) for i, d in enumerate(computed)}
    shown = [by_day[update_day(d, rules.cadence)] for d in days]
    return [
        (days[n], shown[n - 1], shown[n]) for n in range(1, len(days)) if shown[n] != shown[n - 1]
    ]


def test_forecast_matches_day_by_day_evaluation_on_random_histories() -> None:
    rng = random.Random(20260630)
    checked = 0
    for _ in range(220):
        as_of = date(2026, 1, 1) + timedelta(days=rng.randint(0, 365))
        until = as_of + timedelta(days=365)
        history = _random_history(rng, as_of)
        rules = _rules(rng)
        result = forecast(history, rules, as_of, until)
        expected = _brute_force_events(history, rules, as_of, until)
        assert events_of(result) == expected, (rules.name, as_of, history)
        for event in result.events:
            # The causes add up to the change of the value of the step (MODEL.md 9.2).
            step = event.causes
            total = sum(c.effect for c in step.events) + sum(u.effect for u in step.unattributed)
            assert total == pytest.approx(step.value_after - step.value_before, abs=1e-7)
            if None not in (event.change.score_before, event.change.score_after):
                change = event.change.score_after - event.change.score_before
                assert total == pytest.approx(change, abs=1e-7)
            checked += 1
    # Not vacuous: these seeded histories move the score hundreds of times (a generator
    # change that made them quiet would leave nothing compared).
    assert checked >= 250


def test_freezing_keeps_the_score_on_as_of() -> None:
    rng = random.Random(7)
    for _ in range(200):
        as_of = date(2026, 1, 1) + timedelta(days=rng.randint(0, 365))
        history = _random_history(rng, as_of)
        rules = _rules(rng)
        day = update_day(as_of, rules.cadence)
        # Only what is known on the computation day matters for the shown score, except the
        # one thing MODEL.md 10 changes on purpose: an open contract's payment recorded after
        # t counts as made on t (under version 2 a payment after t is not read at t, so
        # without this the contract could look idle on t).
        history = [
            replace(c, last_payment_date=day)
            if c.last_payment_date is not None
            and c.last_payment_date > day
            and (c.end_date is None or c.end_date > day)
            and c.start_date <= day
            else c
            for c in history
        ]
        original = evaluate(ContractArrays.from_contracts(history), rules, day)
        frozen = evaluate(ContractArrays.from_contracts(freeze(history, day)), rules, day)
        assert original.jss == frozen.jss
        assert original.best_score == pytest.approx(frozen.best_score, nan_ok=True)


def _brute_force_top_rated(contracts: list[Contract], rules, as_of: date, until: date):
    """MODEL.md 6 on every day: 13 of 16 weekly dates ≥ 90, JSS(t) ≥ 90, first start more
    than 90 days before t, earnings_12m ≥ $1,000."""
    from jsscheck.engine.evaluate import earnings_12m

    arrays = ContractArrays.from_contracts(freeze(contracts, as_of))
    first = as_of - timedelta(days=105)
    days = [first + timedelta(days=n) for n in range((until - first).days + 1)]
    computed = sorted({update_day(d, rules.cadence) for d in days})
    scores = evaluate_dates(arrays, rules, computed)
    by_day = {d: scores.jss_at(i) for i, d in enumerate(computed)}

    def good(d: date) -> bool:
        jss = by_day[update_day(d, rules.cadence)]
        return jss is not None and jss >= 90

    start = min((c.start_date for c in freeze(contracts, as_of)), default=None)

    def eligible(t: date) -> bool:
        weeks = sum(good(t - timedelta(days=7 * k)) for k in range(16))
        return (
            weeks >= 13
            and good(t)
            and start is not None
            and (t - start).days > 90
            and earnings_12m(arrays, t) >= 1000
        )

    state = eligible(as_of)
    flips = []
    for n in range(1, (until - as_of).days + 1):
        t = as_of + timedelta(days=n)
        if eligible(t) != state:
            state = not state
            flips.append(TopRatedChange(t, state))
    return eligible(as_of), tuple(flips)


def test_top_rated_flips_match_day_by_day_evaluation_on_random_histories() -> None:
    from jsscheck.analyses.forecast import top_rated_changes

    rng = random.Random(90)
    flipped = 0
    for _ in range(40):
        as_of = date(2026, 1, 1) + timedelta(days=rng.randint(0, 365))
        until = as_of + timedelta(days=300)
        history = _random_history(rng, as_of)
        for c in history[:4]:  # mostly 5 stars and some money, so that Top Rated happens
            history[history.index(c)] = replace(c, public_feedback=5.0, earnings=1500.0)
        rules = _rules(rng)
        arrays = ContractArrays.from_contracts(freeze(history, as_of))
        expected = _brute_force_top_rated(history, rules, as_of, until)
        assert top_rated_changes(arrays, rules, as_of, until) == expected, (rules.name, as_of)
        # forecast() looks back only as far as needed: the same answer.
        result = forecast(history, rules, as_of, until)
        assert (result.top_rated_now, result.top_rated) == expected
        flipped += len(expected[1])
    assert flipped > 0


def test_dropped_and_i_closed_nothing_names_the_contract_first() -> None:
    # N (1 star) ended 2026-02-15, R (5 stars) 2026-01-15, P 'Instagram posts (monthly)'
    # (5 stars) 2026-04-05, Q (5 stars) 2026-05-01; $500 each (weight 1.25), 4 clients.
    # On 2026-06-30: 3m (from 2026-03-30) = P, Q = 100; 6m = 12m = 24m = N, R, P, Q:
    # 100·(3.75 − 1.25)/5 = 50; Trending (100 + 50)/2 = 75 → 75%.
    # 2026-07-06: P leaves 3m (start 2026-04-06 > 2026-04-05): Q alone, 1 client, so the
    # 3-month window and Trending lose their score; 24m (the tie's longest) shows 50%.
    # One player, P: its effect is the whole 50 − 75 = −25 (MODEL.md 9.2).
    history = [
        ended("N", "2026-02-15", 1.0),
        ended("R", "2026-01-15"),
        ended("P", "2026-04-05", title="Instagram posts (monthly)"),
        ended("Q", "2026-05-01"),
    ]
    result = forecast(history, UPWORK, T, date(2026, 7, 10))
    assert events_of(result) == [(date(2026, 7, 6), 75, 50)]
    [cause] = causes(result.events[0])
    assert (cause.contract_id, cause.reason, cause.effect) == ("P", "aged_out", pytest.approx(-25))
    assert summary(result).startswith(
        "On 2026-07-06 'Instagram posts (monthly)' leaves your 3-month window (−25.0 points): "
        "Upwork shows the 24-month window instead of the Trending score, and your JSS falls "
        "from 75% to 50%."
    )


def test_cli_forecast_json_and_markdown(tmp_path, capsys) -> None:
    from jsscheck.cli import register_commands
    from jsscheck.cli.app import run

    register_commands()
    lines = ["contract_id,client,title,start_date,end_date,earnings,public_feedback"]
    for c in window_exit_history():
        lines.append(
            f"{c.contract_id},{c.client},{c.title},{c.start_date},{c.end_date},500,"
            f"{c.public_feedback}"
        )
    path = tmp_path / "h.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["forecast", str(path), "--as-of", "2026-06-30", "--until", "2027-12-31"]
    assert run([*args, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema"] == "jsscheck.forecast/2"
    assert {"as_of", "until", "events", "top_rated"} <= set(doc)
    assert set(doc["events"][0]) >= {
        "date", "jss_before", "jss_after", "score_before", "score_after", "causes"
    }  # fmt: skip
    assert [e["date"] for e in doc["events"]] == [
        "2026-08-02", "2026-09-02", "2027-08-02", "2027-09-02"
    ]  # fmt: skip
    assert run([*args, "--format", "markdown"]) == 0
    assert "| Date | JSS | What happens |" in capsys.readouterr().out
