"""calibrate's reduction (contracts summed by reading pattern and footprint, clients kept up to
min_clients) against the engine's own evaluation of each candidate rule set, on random
histories: every number the search ranks by must be what `evaluate_dates` gives."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest
from helpers import make_contract
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jsscheck.analyses.calibrate import Observation, calibrate
from jsscheck.analyses.calibrate.reduce import reduce_contracts
from jsscheck.analyses.calibrate.search import (
    MISSING_SCORE_ERROR,
    _months,
    _score_combinations,
    outcome_combinations,
)
from jsscheck.analyses.calibrate.space import DISPLAY_PARAMS, SCORE_PARAMS, build_space
from jsscheck.engine.arrays import ContractArrays
from jsscheck.engine.calendar import update_day
from jsscheck.engine.evaluate import evaluate_dates
from jsscheck.engine.outcomes import (
    Signal,
    contract_weights,
    feedback_readings,
    feedback_signals,
    feedback_visible,
    outcome_columns,
    outcome_of,
    outcomes_at,
)
from jsscheck.model.contract import Contract
from jsscheck.model.days import to_days
from jsscheck.model.rules import PRESETS

PUBLIC = (None, None, 5.0, 5.0, 4.9, 4.6, 4.3, 3.5, 2.0, 1.0)
PRIVATE = (None, None, None, 10, 9, 7, 3)


def history(seed: int, count: int, clients: int) -> list[Contract]:
    """Contracts of every kind the rules disagree about, on a few clients (min_clients)."""
    rng = random.Random(seed)
    contracts: list[Contract] = []
    for number in range(count):
        if contracts and rng.random() < 0.3:
            # The same contract for another client: one footprint and pattern, two clients.
            twin = replace(rng.choice(contracts), contract_id=f"k{number}")
            contracts.append(replace(twin, client=f"client-{rng.randrange(clients)}"))
            continue
        start = date(2024, 1, 1) + timedelta(days=rng.randrange(900))
        length = rng.choice([1, 7, 20, 45, 91, 100, 200, 400])
        end = start + timedelta(days=length)
        is_open = rng.random() < 0.15
        paid = end - timedelta(days=rng.choice([0, 0, 5, 30, 120]))
        feedback_date = None
        if rng.random() < 0.2:
            feedback_date = start + timedelta(days=rng.randrange(length + 30))
        contracts.append(
            make_contract(
                contract_id=f"k{number}",
                client=f"client-{rng.randrange(clients)}",
                start_date=start,
                end_date=None if is_open else end,
                last_payment_date=None if rng.random() < 0.1 else max(paid, start),
                earnings=rng.choice([0.0, 45.0, 250.0, 600.0, 2500.0, 1234.56]),
                public_feedback=rng.choice(PUBLIC),
                private_feedback=rng.choice(PRIVATE),
                feedback_date=feedback_date,
                client_flagged=rng.random() < 0.1,
                disputed=rng.random() < 0.05,
                excluded=rng.random() < 0.05,
                paid_periods=rng.choice([None, None, None, 0, 2]),
            )
        )
    return contracts


@settings(
    # Each example scores the whole search space (about 1 s): 12 keep the suite's time.
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    seed=st.integers(min_value=0, max_value=10**6),
    count=st.integers(min_value=0, max_value=12),
    clients=st.integers(min_value=1, max_value=4),
    preset=st.sampled_from(sorted(PRESETS)),
    min_clients=st.sampled_from([None, 0, 1, 2, 2, 3, 4]),
    min_outcomes=st.sampled_from([None, 1, 2]),
    observed=st.lists(
        st.tuples(
            st.dates(min_value=date(2024, 3, 1), max_value=date(2027, 3, 1)),
            st.integers(min_value=0, max_value=100),
        ),
        min_size=1,
        max_size=4,
        unique_by=lambda o: o[0],
    ),
)
@pytest.mark.slow
def test_the_reduced_search_scores_candidates_as_the_engine_does(
    seed: int,
    count: int,
    clients: int,
    preset: str,
    min_clients: int | None,
    min_outcomes: int | None,
    observed: list[tuple[date, int]],
) -> None:
    base = PRESETS[preset]
    if min_clients is not None:
        base = replace(base, min_clients=min_clients)
    if min_outcomes is not None:
        base = replace(base, min_outcomes=min_outcomes)
    arrays = ContractArrays.from_contracts(history(seed, count, clients))
    observations = sorted((Observation(d, j, "test") for d, j in observed), key=lambda o: o.day)
    space = build_space(arrays, base, observations)
    combos = outcome_combinations(space)
    reduction = reduce_contracts(arrays, base, space, _months(base))
    expected = np.array([o.jss for o in observations])
    tables = _score_combinations(reduction, base, space, combos, expected, None)

    axes = [space.values[name] for name in SCORE_PARAMS + DISPLAY_PARAMS]
    shape = (len(combos), len(space.classes), *(len(a) for a in axes))
    rng = random.Random(seed)
    for flat in rng.sample(range(int(np.prod(shape))), min(16, int(np.prod(shape)))):
        q, k, *rest = (int(i) for i in np.unravel_index(flat, shape))
        point = rng.choice(space.classes[k].cutoffs)
        names = SCORE_PARAMS + DISPLAY_PARAMS
        settings_ = {name: a[i] for name, a, i in zip(names, axes, rest, strict=True)}
        cap = base.weight_cap if base.weight_cap is not None else 8.0
        rules = replace(base, **combos[q], **point.params(), **settings_, weight_cap=cap)
        days = [update_day(o.day, rules.cadence) for o in observations]
        scores = evaluate_dates(arrays, rules, days)
        hits = scores.jss == expected
        errors = np.where(
            np.isnan(scores.best_score), MISSING_SCORE_ERROR, np.abs(scores.best_score - expected)
        )
        table = tables[q]
        index = (k, *rest)
        assert table.matches[index] == hits.sum(), rules
        assert table.mae[index] == pytest.approx(errors.mean(), abs=1e-9), rules
        reproduced = np.unpackbits(table.patterns[index])[: len(observations)].astype(bool)
        assert reproduced.tolist() == hits.tolist(), rules


@pytest.mark.parametrize(("clients", "matches"), [(("A", "B"), 1), (("A", "A"), 0)])
def test_twin_contracts_of_two_clients_count_two_clients(
    clients: tuple[str, str], matches: int
) -> None:
    # Two contracts alike in everything but the client: one group of the reduction. Each ran
    # 2026-01-01 → 2026-02-01 for $500 with 5 stars: a success of weight 1.25 (MODEL.md 4:
    # $250 < 500 ≤ $1000, no 90-day bonus in 31 days). On 2026-03-01 every window holds both:
    # net (2.5 − 0) / 2.5 = 100%, shown when the window has 2 clients (upwork: min_clients 2,
    # min_outcomes 2). One client for both: no rule set searched shows any JSS.
    contracts = [
        make_contract(
            contract_id=str(i),
            client=client,
            start_date=date(2026, 1, 1),
            end_date=date(2026, 2, 1),
            earnings=500.0,
            public_feedback=5.0,
        )
        for i, client in enumerate(clients)
    ]
    result = calibrate(
        ContractArrays.from_contracts(contracts),
        PRESETS["upwork"],
        [Observation(date(2026, 3, 1), 100, "test")],
    )
    assert result.best.matches == matches


def test_the_search_runs_blas_on_one_thread() -> None:
    # threadpoolctl reports what the BLAS library numpy loaded is set to, inside and after.
    from threadpoolctl import threadpool_info, threadpool_limits

    from jsscheck.analyses.calibrate.search import one_blas_thread

    def blas_threads() -> list[int]:
        return [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]

    with threadpool_limits(limits=2, user_api="blas"):
        before = blas_threads()
        assert before, "numpy's BLAS is not visible to threadpoolctl"
        with one_blas_thread():
            assert blas_threads() == [1] * len(before)
        assert blas_threads() == before


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=10**6),
    preset=st.sampled_from(sorted(PRESETS)),
    weighting=st.sampled_from(["tiers", "count", "dollars"]),
    idle=st.sampled_from([None, 90]),
)
def test_the_engine_primitives_calibrate_sums_with_agree_with_outcomes_at(
    seed: int, preset: str, weighting: str, idle: int | None
) -> None:
    rules = replace(PRESETS[preset], weighting=weighting, idle_open_days=idle, weight_cap=8.0)
    contracts = history(seed, 12, 4)
    # Each contract again, differing only in what outcome_columns leaves out.
    others = [
        replace(
            c,
            contract_id=f"other-{c.contract_id}",
            client="someone else",
            earnings=c.earnings * 3,
            public_feedback=None if c.public_feedback else 2.0,
            private_feedback=None if c.private_feedback else 4,
            feedback_date=c.start_date,
            client_flagged=not c.client_flagged and not c.disputed,
            paid_periods=1,
        )
        for c in contracts
    ]
    arrays = ContractArrays.from_contracts(contracts + others)
    t = np.array([[to_days(date(2024, 6, 1) + timedelta(days=45 * i))] for i in range(20)])
    shape = (len(t), arrays.size)
    full = outcomes_at(arrays, rules, t)
    weights = contract_weights(arrays, rules, t)
    assert np.array_equal(np.broadcast_to(weights, shape), np.broadcast_to(full.weight, shape))
    signals = np.where(
        feedback_visible(arrays, t), feedback_readings(arrays, rules, t), np.int8(Signal.NONE)
    )
    assert np.array_equal(signals, feedback_signals(arrays, rules, t))
    assert np.array_equal(outcome_of(full.reason, signals, rules), full.outcome)
    # Contracts equal in outcome_columns: equal outcome, reason and anchor under any signal.
    _, first, same = np.unique(
        outcome_columns(arrays), axis=0, return_index=True, return_inverse=True
    )
    assert len(first) <= len(contracts)
    for signal in Signal:
        forced = outcomes_at(arrays, rules, t, np.array(int(signal), dtype=np.int8))
        for name in ("outcome", "reason", "anchor"):
            values = np.broadcast_to(getattr(forced, name), shape)
            assert np.array_equal(values, values[:, first[same.reshape(-1)]]), name
