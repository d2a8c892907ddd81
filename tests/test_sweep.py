"""The sweep over constant segments (engine/sweep.py) gives exactly the window sums of
evaluating every contract at every date, on random histories, presets and overrides."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_engine_reference import PROPERTY_SETTINGS, rule_sets, scenarios

from jsscheck.engine import sweep as sweep_module
from jsscheck.engine.arrays import ContractArrays
from jsscheck.engine.outcomes import outcomes_at
from jsscheck.engine.sweep import window_sums_swept
from jsscheck.engine.windows import ClientCounter, WindowSums, window_sums
from jsscheck.model.contract import Contract
from jsscheck.model.days import to_days
from jsscheck.model.rules import PRESETS, RuleSet, with_overrides
from jsscheck.model.table import DAY

_FIELDS = ("success", "negative", "neutral", "contracts", "clients")


def _per_date(arrays: ContractArrays, rules: RuleSet, days: np.ndarray) -> WindowSums:
    grouped, starts = arrays.grouped_by_client
    t = days[:, None]
    outcomes = outcomes_at(grouped, rules, t)
    sums, _ = window_sums(
        grouped, outcomes, t, rules.candidate_windows, ClientCounter(starts, grouped.size)
    )
    return sums


def _swept(arrays: ContractArrays, rules: RuleSet, days: np.ndarray) -> WindowSums | None:
    grouped, starts = arrays.grouped_by_client
    return window_sums_swept(grouped, starts, rules, days)


def _assert_same(swept: WindowSums, expected: WindowSums) -> None:
    for field in _FIELDS:
        # Exactly equal, not close: the sweep must not move a score by float dust.
        np.testing.assert_array_equal(getattr(swept, field), getattr(expected, field), field)


def _whole_dollars(history: list[Contract]) -> list[Contract]:
    return [replace(c, earnings=float(round(c.earnings))) for c in history]


@settings(PROPERTY_SETTINGS, max_examples=300)
@given(
    scenario=scenarios(),
    rules=rule_sets(),
    offsets=st.lists(st.integers(min_value=-500, max_value=500), min_size=1, max_size=40),
    whole=st.booleans(),
)
def test_sweep_equals_evaluating_every_date(
    scenario: tuple[list[Contract], date], rules: RuleSet, offsets: list[int], whole: bool
) -> None:
    history, as_of = scenario
    if whole:  # whole-dollar earnings: dollar weights sum exactly, so the sweep takes them too
        history = _whole_dollars(history)
    arrays = ContractArrays.from_contracts(history)
    days = np.unique(np.array([to_days(as_of + timedelta(days=o)) for o in offsets], dtype=DAY))
    swept = _swept(arrays, rules, days)
    if rules.weighting != "dollars" or whole:
        # Quarter weights (tiers, count) and whole dollars always sum exactly: swept.
        assert swept is not None
    if swept is not None:
        _assert_same(swept, _per_date(arrays, rules, days))


@settings(PROPERTY_SETTINGS, max_examples=60)
@given(scenario=scenarios(min_size=20, max_size=40), rules=rule_sets())
def test_sweep_in_blocks_of_whole_clients_equals_one_block(
    scenario: tuple[list[Contract], date], rules: RuleSet
) -> None:
    history, as_of = scenario
    arrays = ContractArrays.from_contracts(_whole_dollars(history))
    days = np.arange(to_days(as_of) - 400, to_days(as_of) + 60, 3, dtype=DAY)
    whole = _swept(arrays, rules, days)
    saved = sweep_module._BLOCK_CONTRACTS
    sweep_module._BLOCK_CONTRACTS = 3  # a block every few contracts, cut between clients
    try:
        blocked = _swept(arrays, rules, days)
    finally:
        sweep_module._BLOCK_CONTRACTS = saved
    assert whole is not None and blocked is not None
    _assert_same(blocked, whole)
    _assert_same(blocked, _per_date(arrays, rules, days))


def test_cents_in_dollar_weights_fall_back_to_evaluating_every_date() -> None:
    from helpers import make_contract

    history = [
        make_contract(contract_id="a", earnings=100.10, public_feedback=5.0),
        make_contract(contract_id="b", earnings=200.20, public_feedback=5.0),
    ]
    arrays = ContractArrays.from_contracts(history)
    rules = with_overrides(PRESETS["upwork"], {"weighting": "dollars"})
    days = np.arange(to_days(date(2026, 2, 1)), to_days(date(2026, 5, 1)), dtype=DAY)
    # 100.10 is not a multiple of 1/1024: summed in another order it could differ in the last
    # bit, so the sweep declines and the caller evaluates date by date.
    assert _swept(arrays, rules, days) is None


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_a_two_year_daily_sweep_counts_a_contract_inside_its_windows(preset: str) -> None:
    from helpers import make_contract

    # One 5-star $500 contract of 2025-03-01 … 2025-04-10 (40 days), paid on its end.
    contract = make_contract(
        contract_id="a",
        client="acme",
        start_date=date(2025, 3, 1),
        end_date=date(2025, 4, 10),
        last_payment_date=date(2025, 4, 10),
        earnings=500.0,
        public_feedback=5.0,
    )
    arrays = ContractArrays.from_contracts([contract])
    rules = PRESETS[preset]
    days = np.arange(to_days(date(2024, 11, 21)), to_days(date(2026, 11, 22)), dtype=DAY)
    swept = _swept(arrays, rules, days)
    assert swept is not None
    _assert_same(swept, _per_date(arrays, rules, days))
    # Counted from its end 2025-04-10 (anchor) until the window start passes it: in the 12-month
    # window from 2025-04-10 through 2026-04-10 (start(2026-04-10, 12) = 2025-04-10), 366 days.
    if 12 in rules.candidate_windows:
        k = rules.candidate_windows.index(12)
        assert int(swept.contracts[:, k].sum()) == 366
        assert int(swept.clients[:, k].sum()) == 366


@settings(PROPERTY_SETTINGS, max_examples=150)
@given(
    scenario=scenarios(max_size=30),
    rules=rule_sets(),
    back=st.integers(min_value=1, max_value=800),
    whole=st.booleans(),
)
def test_steps_from_the_sweep_equal_steps_evaluating_every_contract_at_every_date(
    scenario: tuple[list[Contract], date], rules: RuleSet, back: int, whole: bool
) -> None:
    from jsscheck.engine.changes import change_points
    from jsscheck.engine.period import sweep, sweep_by_rows

    history, as_of = scenario
    if whole:
        history = _whole_dollars(history)
    arrays = ContractArrays.from_contracts(history)
    first = as_of - timedelta(days=back)
    days = [first, *(d for d in change_points(arrays, rules, first, as_of) if d < as_of), as_of]
    ends = (1.5, 2.5)  # any values: both ways must put them on the first and last date
    fast = list(sweep(arrays, rules, days, ends))
    slow = list(sweep_by_rows(arrays, rules, days, ends))
    # The same steps, players, footprints and effects to the last bit (frozen dataclasses).
    assert fast == slow
