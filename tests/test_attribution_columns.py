"""Attribution as arrays (issue 16): the same answers and the same bytes as the object path.

explain and forecast carry a period's events as columns (`engine.events.Events`) and write
explain's contributions as JSON text from them. These tests pin that nothing moved: the JSON
of a seeded mid-size history is byte-for-byte what the code wrote before the columns (its
SHA-256 was taken from that code's output), the text written from the columns is exactly
`json.dumps` of the dicts, the per-contract totals are the dict-and-fsum grouping they
replaced, every vectorised event reason is the scalar rule of MODEL.md 9.5, forecast's one
sweep gives the same steps as evaluating each day on its own, and batching steps changes
nothing.
"""

from __future__ import annotations

import hashlib
import json
import math
from datetime import date
from pathlib import Path

import pytest
from helpers import Invoke, write_large_history

from jsscheck.analyses.explain import explain
from jsscheck.analyses.forecast import forecast_event, forecast_events
from jsscheck.engine import period
from jsscheck.engine.arrays import ContractArrays
from jsscheck.engine.attribution import attribute_period, state_value
from jsscheck.engine.calendar import update_day
from jsscheck.engine.changes import change_points, shown_steps
from jsscheck.engine.evaluate import evaluate
from jsscheck.engine.steps import event_reason
from jsscheck.history import read_histories
from jsscheck.model.rules import PRESETS
from jsscheck.render.attribution import attribution_json, contributions_json
from jsscheck.render.eventjson import contributions_text
from jsscheck.render.explain import explain_document
from jsscheck.render.jsondoc import Encoded, dump, materialized

AS_OF, SINCE = date(2026, 11, 21), date(2024, 11, 21)
UPWORK = PRESETS["upwork"]


def _history(tmp_path: Path) -> Path:
    """300 seeded contracts plus 20 that start and end on the same days (2025-01-10 to
    2025-03-01), so some steps have more than 12 players and go through MODEL.md 9.4."""
    path = write_large_history(tmp_path / "history.csv", 300, seed=11)
    rows = [
        f"{20_000_000 + i},Batch client {i % 7},Batch job {i},2025-01-10,2025-03-01,2025-03-01,"
        f"{100 + i * 37}.50,{['5.0', '4.0', '1.0', '5.0'][i % 4]},,,false,false,false,\n"
        for i in range(20)
    ]
    with path.open("a", encoding="utf-8") as handle:
        handle.write("".join(rows))
    return path


def _arrays(path: Path) -> ContractArrays:
    return ContractArrays.from_contracts(read_histories([path]).contracts)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# SHA-256 of the stdout of the commands below, written by the code before the columns
# (commit cf62379, one Event object per player and json.dumps of dicts).
EXPLAIN_SHA = "3f1f535fd2d8226974dc57e109b5023e18a8759901c97e14189897e70861ed1e"
FORECAST_SHA = "a4b334846555911205c844b4071d6c396b32dcac1ad61cba125639ae0e10aa36"


def test_explain_json_is_the_same_bytes_as_before(tmp_path: Path, invoke: Invoke) -> None:
    path = _history(tmp_path)
    args = ("explain", path, "--as-of", AS_OF, "--since", SINCE, "--format", "json")
    result = invoke(*args)
    assert result.code == 0, result.stderr
    document = json.loads(result.stdout)
    # It is a period with a 9.4 step, so the pin covers the fallback's terms too.
    assert document["unattributed"] and len(document["contributions"]) > 150
    assert _sha(result.stdout) == EXPLAIN_SHA


def test_forecast_json_is_the_same_bytes_as_before(tmp_path: Path, invoke: Invoke) -> None:
    path = _history(tmp_path)
    args = ("forecast", path, "--as-of", "2025-02-01", "--horizon", "24m", "--format", "json")
    result = invoke(*args)
    assert result.code == 0, result.stderr
    events = json.loads(result.stdout)["events"]
    assert any(c["reason"] == "window_switch" for e in events for c in e["causes"])
    # The document has since gained MODEL.md 11's "warnings" (none here): without it, the
    # bytes are cf62379's.
    assert '"warnings": [], ' in result.stdout
    assert _sha(result.stdout.replace('"warnings": [], ', "", 1)) == FORECAST_SHA


def test_contributions_text_is_json_dumps_of_the_dicts(tmp_path: Path) -> None:
    arrays = _arrays(_history(tmp_path))
    result = explain(arrays, UPWORK, SINCE, AS_OF)
    attribution = result.attribution
    plain_list = contributions_json(attribution)
    encoded = attribution_json(attribution, encoded=True)["contributions"]
    assert isinstance(encoded, Encoded)
    assert "".join(encoded.text()) == json.dumps(plain_list, ensure_ascii=False)
    assert list(encoded) == plain_list  # read as items, it is the same list
    # The whole document: written from the columns, or json.dumps of the plain document.
    pieces: list[str] = []
    dump(explain_document(result, encoded=True), pieces.append)
    plain_doc = explain_document(result)
    assert "".join(pieces) == json.dumps(plain_doc, ensure_ascii=False) + "\n"
    assert materialized(explain_document(result, encoded=True)) == plain_doc


def test_contributions_text_of_an_empty_period(tmp_path: Path) -> None:
    arrays = _arrays(_history(tmp_path))
    attribution = attribute_period(arrays, UPWORK, AS_OF, AS_OF)
    assert "".join(contributions_text(attribution, lambda code, cid: (None, None))) == "[]"


def test_totals_are_the_grouping_they_replaced(tmp_path: Path) -> None:
    """Each contract's total is math.fsum of its events in date order; contracts sorted by
    |total|, the one seen first first among equals; zero totals left out (as before)."""
    arrays = _arrays(_history(tmp_path))
    attribution = attribute_period(arrays, UPWORK, SINCE, AS_OF)
    by_contract: dict[str | None, list] = {}  # type: ignore[type-arg]
    for step in attribution.steps:
        for event in step.events:
            by_contract.setdefault(event.contract_id, []).append(event)
    expected = [
        (cid, math.fsum(e.effect for e in events), tuple(events))
        for cid, events in by_contract.items()
    ]
    expected = [e for e in expected if abs(e[1]) > 1e-12]
    expected.sort(key=lambda e: -abs(e[1]))
    got = [(e.contract_id, e.effect, e.events) for e in attribution.effects]
    assert got == expected
    assert len(got) > 150


def test_every_event_reason_is_the_scalar_rule(tmp_path: Path) -> None:
    arrays = _arrays(_history(tmp_path))
    attribution = attribute_period(arrays, UPWORK, SINCE, AS_OF)
    events = [e for step in attribution.steps for e in step.events]
    assert len(events) > 600
    assert {e.reason for e in events} >= {"entered", "aged_out", "left", "weight_changed"}
    for event in events:
        assert event.reason == event_reason(event.before, event.after)
    for step in attribution.steps:  # largest |effect| first
        sizes = [abs(e.effect) for e in step.events]
        assert sizes == sorted(sizes, reverse=True)


@pytest.mark.parametrize("rules", ["upwork", "fair"])
def test_forecast_sweep_gives_each_days_own_step(tmp_path: Path, rules: str) -> None:
    """One sweep over all the days of a forecast = each day's two full evaluations."""
    arrays = _arrays(_history(tmp_path))
    as_of = date(2025, 2, 1)
    chosen = PRESETS[rules]
    changes = shown_steps(arrays, chosen, as_of, date(2027, 2, 1))
    assert len(changes) > 10
    swept = forecast_events(arrays, chosen, changes)
    alone = [forecast_event(arrays, chosen, change) for change in changes]
    for a, b in zip(swept, alone, strict=True):
        assert (a.change, a.best_before, a.best_after) == (b.change, b.best_before, b.best_after)
        x, y = a.causes, b.causes
        assert (x.day, x.previous_day, x.value_before, x.value_after) == (
            y.day,
            y.previous_day,
            y.value_before,
            y.value_after,
        )
        assert (x.jss_before, x.jss_after, x.unattributed) == (
            y.jss_before,
            y.jss_after,
            y.unattributed,
        )
        assert x.events == y.events


def test_batches_of_steps_change_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Steps evaluated a few contracts at a time (batches cut inside the period) give the
    same steps as one batch."""
    arrays = _arrays(_history(tmp_path))
    c0, c1 = update_day(SINCE, "daily"), update_day(AS_OF, "daily")
    days = [c0, *(d for d in change_points(arrays, UPWORK, c0, c1) if c0 < d < c1), c1]
    first, last = evaluate(arrays, UPWORK, c0), evaluate(arrays, UPWORK, c1)
    ends = (state_value(first), state_value(last))
    whole = list(period.sweep(arrays, UPWORK, days, ends))
    monkeypatch.setattr(period, "_BATCH_PAIRS", 5)
    pieces = list(period.sweep(arrays, UPWORK, days, ends))
    assert len(whole) == len(pieces) > 100
    for a, b in zip(whole, pieces, strict=True):
        assert (a.day, a.value_before, a.value_after, a.unattributed) == (
            b.day,
            b.value_before,
            b.value_after,
            b.unattributed,
        )
        assert a.events == b.events
