"""Property tests: the vectorized engine agrees with the plain-Python reference (tests/reference.py)
on random histories, presets, overrides and dates, and keeps MODEL.md's invariants."""

from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import numpy as np
from helpers import make_contract
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference import reference_score

from jsscheck.analyses.score import score_report
from jsscheck.engine.arrays import ContractArrays
from jsscheck.engine.calendar import BIWEEKLY_ORIGIN
from jsscheck.engine.changes import change_points
from jsscheck.engine.evaluate import evaluate, evaluate_dates
from jsscheck.model.contract import Contract
from jsscheck.model.rules import PRESETS, RuleSet, with_overrides
from jsscheck.render.score_document import score_document

TOLERANCE = 1e-9
#: As-of dates; contracts are placed relative to them (up to ~26 months before, a month after).
FIRST_DAY = date(2024, 6, 1)
LAST_DAY = date(2027, 12, 31)

PROPERTY_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

days_in_range = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)
#: Values that sit on the tier and cut-off boundaries, plus anything in between.
earnings_values = st.one_of(
    st.sampled_from([0.0, 0.5, 1.0, 100.0, 250.0, 250.01, 999.99, 1000.0, 1000.01, 5000.0]),
    st.integers(min_value=0, max_value=2_000_000).map(lambda cents: cents / 100),
)
#: Around the star cut-offs that the presets and overrides use (3.0, 4.0, 4.5, 5.0), with 5.0
#: most often so that high scores (and Top Rated weeks) happen; None = empty.
public_values = st.sampled_from(
    [None, None, 1.0, 3.0, 3.5, 3.99, 4.0, 4.2, 4.4, 4.5, 4.8, 4.9] + [5.0] * 8
)
#: Private feedback, -1 = empty (most often: it is reportedly no longer collected).
private_values = st.sampled_from([-1, -1, -1, -1, 0, 3, 6, 7, 8, 9, 10, 10])
OVERRIDE_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "formula": st.sampled_from(["net", "share"]),
    "weighting": st.sampled_from(["tiers", "count", "dollars"]),
    "weight_cap": st.sampled_from([1.0, 1.5, 3.0, 8.0]),
    "windows": st.sampled_from([(6, 12, 24), (3, 6, 12), (1, 6), (24,), (12, 24), (3,)]),
    "trending": st.booleans(),
    "anchor": st.sampled_from(["last_payment", "end_date"]),
    "no_feedback": st.sampled_from(["exclude", "negative", "neutral"]),
    "zero_dollar": st.sampled_from(["negative_only", "exclude", "count"]),
    "long_term_days": st.sampled_from([None, 0, 30, 90, 180]),
    "idle_open_days": st.sampled_from([None, 0, 30, 90]),
    "feedback_grace_days": st.sampled_from([0, 1, 14, 30]),
    "use_public": st.booleans(),
    "use_private": st.booleans(),
    "private_until": st.sampled_from([None, "2025-01-01", "2026-03-31", "2027-06-01"]),
    "public_success": st.sampled_from([4.0, 4.5, 5.0]),
    "public_negative": st.sampled_from([3.0, 4.0, 4.5]),
    "min_clients": st.integers(min_value=1, max_value=4),
    "min_outcomes": st.integers(min_value=1, max_value=5),
    "rounding": st.sampled_from(["half_up", "floor"]),
    "cadence": st.sampled_from(["daily", "biweekly"]),
}


#: One contract as a flat tuple of cheap draws (a composite with a draw per field makes
#: hypothesis ten times slower), placed relative to the as-of date: days started before it
#: (negative: starts after it), length (-1 = open), days the last payment falls before the end
#: (-1 = empty), earnings, public, private, feedback-date shift (-1 = empty), flag bits, paid
#: periods (-1 = empty).
contract_rows = st.tuples(
    st.integers(min_value=-30, max_value=800),
    st.sampled_from(["acme", "globex", "initech", "umbrella", "hooli", "stark"]),
    st.integers(min_value=-1, max_value=420),
    st.integers(min_value=-40, max_value=120),
    earnings_values,
    public_values,
    private_values,
    st.integers(min_value=-1, max_value=60),
    st.integers(min_value=0, max_value=255),
    st.integers(min_value=-1, max_value=10),
)


def contract_from_row(number: int, row: tuple[Any, ...], as_of: date) -> Contract:
    """A valid contract near `as_of` (FORMATS.md 3: no end or feedback date before the start).

    The last payment falls from 40 days after to 120 days before the end (or the as-of date when
    open: a payment not known yet at as_of) and the feedback date from 20 days before to 40 days
    after it, so late and in-grace feedback, and feedback given while open, occur.
    """
    (
        started_before,
        client,
        length,
        paid_before,
        earnings,
        public,
        private,
        shift,
        flags,
        periods,
    ) = row
    start = as_of - timedelta(days=started_before)
    end = None if length < 0 else start + timedelta(days=length)
    reference_day = end or as_of
    return make_contract(
        contract_id=f"k{number}",
        client=client,
        start_date=start,
        end_date=end,
        last_payment_date=(
            None if paid_before == -1 else max(start, reference_day - timedelta(days=paid_before))
        ),
        earnings=earnings,
        public_feedback=public,
        private_feedback=None if private < 0 else private,
        feedback_date=None if shift < 0 else max(start, reference_day + timedelta(days=shift - 20)),
        disputed=flags & 0b111 == 0,
        client_flagged=(flags >> 3) & 0b11 == 0,
        excluded=flags >> 5 == 0,
        paid_periods=None if periods < 0 else periods,
    )


def scenarios(
    min_size: int = 1, max_size: int = 40
) -> st.SearchStrategy[tuple[list[Contract], date]]:
    """An as-of date and 1-40 contracts (distinct ids) around it."""
    return st.tuples(
        st.lists(contract_rows, min_size=min_size, max_size=max_size), days_in_range
    ).map(
        lambda drawn: (
            [contract_from_row(i, row, drawn[1]) for i, row in enumerate(drawn[0])],
            drawn[1],
        )
    )


@st.composite
def rule_sets(draw: st.DrawFn) -> RuleSet:
    """A random preset with up to four random single-parameter overrides."""
    base = PRESETS[draw(st.sampled_from(sorted(PRESETS)))]
    keys = draw(st.lists(st.sampled_from(sorted(OVERRIDE_VALUES)), max_size=4, unique=True))
    overrides = {key: draw(OVERRIDE_VALUES[key]) for key in keys}
    if base.weight_cap is None and "weight_cap" in overrides and "weighting" not in overrides:
        del overrides["weight_cap"]  # a cap without tiers is meaningless; keep the preset's None
    return with_overrides(base, overrides)


def _close(a: float | None, b: float | None) -> bool:
    """Equal, or both numbers within TOLERANCE (absolute, scaled for dollar sums)."""
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def differences(engine: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """Every way the engine's score document differs from the reference's."""
    found: list[str] = []
    for key in ("as_of", "computed_on", "jss", "review_risk"):
        if engine[key] != expected[key]:
            found.append(f"{key}: engine {engine[key]!r}, reference {expected[key]!r}")
    eb, rb = engine["best"], expected["best"]
    if (eb is None) != (rb is None) or (
        eb is not None
        and (eb["candidate"] != rb["candidate"] or not _close(eb["score"], rb["score"]))
    ):
        found.append(f"best: engine {eb!r}, reference {rb!r}")
    if set(engine["candidates"]) != set(expected["candidates"]):
        found.append(
            f"candidate names: {sorted(engine['candidates'])} vs {sorted(expected['candidates'])}"
        )
    for name, ref in expected["candidates"].items():
        got = engine["candidates"].get(name, {})
        for field, value in ref.items():
            same = (
                _close(got.get(field), value)
                if isinstance(value, float) or field == "score"
                else got.get(field) == value
            )
            if not same:
                found.append(
                    f"candidate {name}.{field}: engine {got.get(field)!r}, reference {value!r}"
                )
    engine_rows = {row["contract_id"]: row for row in engine["contracts"]}
    expected_rows = {row["contract_id"]: row for row in expected["contracts"]}
    if list(engine_rows) != list(expected_rows):
        found.append(
            f"contracts listed: engine {list(engine_rows)}, reference {list(expected_rows)}"
        )
    for cid, ref in expected_rows.items():
        got = engine_rows.get(cid)
        if got is None:
            continue
        for field in ("outcome", "reason", "anchor", "windows"):
            if got[field] != ref[field]:
                found.append(
                    f"contract {cid}.{field}: engine {got[field]!r}, reference {ref[field]!r}"
                )
        if not _close(got["weight"], ref["weight"]):
            found.append(
                f"contract {cid}.weight: engine {got['weight']!r}, reference {ref['weight']!r}"
            )
    et, rt = engine["top_rated"], expected["top_rated"]
    for field in ("eligible_weeks", "weeks", "eligible"):
        if et[field] != rt[field]:
            found.append(f"top_rated.{field}: engine {et[field]!r}, reference {rt[field]!r}")
    if not _close(et["earnings_12m"], rt["earnings_12m"]):
        found.append(
            f"top_rated.earnings_12m: engine {et['earnings_12m']}, reference {rt['earnings_12m']}"
        )
    return found


def engine_document(history: list[Contract], rules: RuleSet, as_of: date) -> dict[str, Any]:
    """The engine's `jsscheck.score/1` document."""
    return score_document(score_report(ContractArrays.from_contracts(history), rules, as_of))


#: Days after the as-of date the contracts were placed around: mostly 0, else up to a year
#: either way, so payments and feedback after t, and contracts idle since long, occur.
day_offsets = st.one_of(st.just(0), st.integers(min_value=-200, max_value=400))


@settings(PROPERTY_SETTINGS, max_examples=300)
@given(scenario=scenarios(), rules=rule_sets(), offset=day_offsets)
def test_engine_score_document_equals_reference(
    scenario: tuple[list[Contract], date], rules: RuleSet, offset: int
) -> None:
    history, placed = scenario
    as_of = placed + timedelta(days=offset)
    found = differences(
        engine_document(history, rules, as_of), reference_score(history, rules, as_of)
    )
    assert not found, f"rules {rules.name}, as of {as_of}:\n" + "\n".join(found)


@settings(PROPERTY_SETTINGS, max_examples=100)
@given(
    scenario=scenarios(),
    rules=rule_sets(),
    offsets=st.lists(st.integers(min_value=-400, max_value=400), min_size=1, max_size=30),
)
def test_evaluate_dates_equals_evaluate_at_each_date(
    scenario: tuple[list[Contract], date], rules: RuleSet, offsets: list[int]
) -> None:
    history, as_of = scenario
    days = [as_of + timedelta(days=offset) for offset in offsets]
    arrays = ContractArrays.from_contracts(history)
    many = evaluate_dates(arrays, rules, days)
    for i, day in enumerate(days):
        single = evaluate(arrays, rules, day)
        assert many.names == single.scores.names
        assert many.jss_at(i) == single.jss, day
        assert many.best_name(i) == single.best, day
        assert _close(
            None if math.isnan(many.best_score[i]) else float(many.best_score[i]), single.best_score
        )
        np.testing.assert_allclose(many.score[i], single.scores.score[0], rtol=0, atol=TOLERANCE)
        for field in ("success", "negative", "neutral"):
            np.testing.assert_allclose(
                getattr(many.sums, field)[i], getattr(single.scores.sums, field)[0], atol=TOLERANCE
            )
        np.testing.assert_array_equal(many.sums.contracts[i], single.scores.sums.contracts[0])
        np.testing.assert_array_equal(many.sums.clients[i], single.scores.sums.clients[0])


@PROPERTY_SETTINGS
@given(scenario=scenarios(), rules=rule_sets())
def test_every_score_is_between_0_and_100_or_absent(
    scenario: tuple[list[Contract], date], rules: RuleSet
) -> None:
    history, as_of = scenario
    document = engine_document(history, rules, as_of)
    for name, candidate in document["candidates"].items():
        score = candidate["score"]
        assert score is None or 0.0 <= score <= 100.0, (name, score)
        assert (score is None) == (not candidate["eligible"]), name
    assert document["jss"] is None or 0 <= document["jss"] <= 100


@PROPERTY_SETTINGS
@given(scenario=scenarios(max_size=25), rules=rule_sets())
def test_adding_a_success_never_lowers_an_eligible_windows_unrounded_score(
    scenario: tuple[list[Contract], date], rules: RuleSet
) -> None:
    history, as_of = scenario
    # The new contract: a client never seen before, 5 stars (and private 10, so a success under
    # any cut-offs), started 30 days ago and ended yesterday. When the rules read no feedback at
    # as_of it is not a success (it is pending, or a no-feedback outcome), so skip those rules:
    # private feedback is read only on dates before private_until (MODEL.md 2, version 2).
    reads_private = rules.use_private and (
        rules.private_until is None or as_of < rules.private_until
    )
    if not (rules.use_public or reads_private):
        return
    yesterday = as_of - timedelta(days=1)
    success = make_contract(
        contract_id="new-success",
        client="a client never seen before",
        start_date=as_of - timedelta(days=30),
        end_date=yesterday,
        last_payment_date=yesterday,
        feedback_date=yesterday,
        earnings=500.0,
        public_feedback=5.0,
        private_feedback=10,
    )
    before = evaluate(ContractArrays.from_contracts(history), rules, as_of)
    after = evaluate(ContractArrays.from_contracts([*history, success]), rules, as_of)
    for months in before.scores.sums.months:
        if not before.window_eligible(months):
            continue
        assert after.window_eligible(months), months
        name = f"{months}m"
        old, new = before.candidate_score(name), after.candidate_score(name)
        assert old is not None and new is not None
        assert new >= old - TOLERANCE, (name, old, new)


def _scan_changes(arrays: ContractArrays, rules: RuleSet, first: date, last: date) -> list[date]:
    """Every day in (first, last] whose computed scores or window sums differ from the day
    before's, found by evaluating every single day."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    scores = evaluate_dates(arrays, rules, days)
    sums = scores.sums
    columns = [
        np.nan_to_num(scores.score, nan=-1.0),
        np.nan_to_num(scores.best_score, nan=-1.0)[:, None],
        scores.jss[:, None].astype(float),
        sums.success,
        sums.negative,
        sums.neutral,
        sums.contracts.astype(float),
        sums.clients.astype(float),
    ]
    table = np.concatenate(columns, axis=1)
    moved = np.any(np.abs(np.diff(table, axis=0)) > TOLERANCE, axis=1)
    return [days[i + 1] for i in np.flatnonzero(moved).tolist()]


@settings(PROPERTY_SETTINGS, max_examples=150)
@given(scenario=scenarios(max_size=25), rules=rule_sets(), offset=st.integers(-300, 100))
def test_change_points_contain_every_day_the_scores_change(
    scenario: tuple[list[Contract], date], rules: RuleSet, offset: int
) -> None:
    """MODEL.md 10: the change points are found, not scanned; they must miss no change."""
    history, placed = scenario
    daily = replace(rules, cadence="daily")
    first = placed + timedelta(days=offset)
    last = first + timedelta(days=500)
    arrays = ContractArrays.from_contracts(history)
    points = set(change_points(arrays, daily, first, last))
    missed = [d for d in _scan_changes(arrays, daily, first, last) if d not in points]
    assert not missed, f"rules {daily.name}: change points miss {missed[:5]}"
    if rules.cadence == "biweekly":
        # Each change shows on the first update day at or after it.
        shown = set(change_points(arrays, rules, first, last))
        for changed in _scan_changes(arrays, daily, first, last):
            update = changed + timedelta(days=(BIWEEKLY_ORIGIN - changed).days % 14)
            if update <= last:
                assert update in shown, (changed, update)


def test_top_rated_agrees_with_the_reference_and_both_answers_occur() -> None:
    """Mostly 5-star histories, so Top Rated is won and lost (JSS at t, 13 weeks, first
    contract 90 days old, $1,000): the engine's status equals the reference's every time."""
    rng = random.Random(15)
    seen = {True: 0, False: 0}
    for n in range(150):
        as_of = date(2026, 1, 1) + timedelta(days=rng.randint(0, 500))
        history = []
        for i in range(rng.randint(2, 10)):
            start = as_of - timedelta(days=rng.randint(0, 300))
            end = None if rng.random() < 0.2 else start + timedelta(days=rng.randint(0, 60))
            history.append(
                make_contract(
                    contract_id=f"t{n}-{i}",
                    client=rng.choice("abcd"),
                    start_date=start,
                    end_date=end,
                    earnings=rng.choice([100.0, 300.0, 600.0, 1500.0]),
                    public_feedback=rng.choice([5.0] * 12 + [1.0, 4.2]),
                    private_feedback=rng.choice([None, None, 3, 10]),
                )
            )
        rules = PRESETS[rng.choice(sorted(PRESETS))]
        engine = engine_document(history, rules, as_of)["top_rated"]
        reference = reference_score(history, rules, as_of)["top_rated"]
        assert engine["eligible"] == reference["eligible"], (rules.name, as_of, history)
        assert engine["eligible_weeks"] == reference["eligible_weeks"]
        seen[engine["eligible"]] += 1
    assert seen[True] >= 10 and seen[False] >= 10, seen
