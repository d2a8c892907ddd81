"""ContractTable: contracts as columns, Contract objects only when asked for."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from helpers import make_contract
from hypothesis import given
from hypothesis import strategies as st
from test_properties import BOUNDED, CLIENTS, histories, public_values

from jsscheck.analyses.edits import closed
from jsscheck.engine.arrays import ContractArrays
from jsscheck.model.contract import Contract
from jsscheck.model.table import ContractTable, TextColumn

FULL = Contract(
    contract_id="A-1",
    client="Acme",
    start_date=date(2026, 1, 31),
    earnings=1234.5,
    title="Logo",
    end_date=date(2026, 3, 1),
    last_payment_date=date(2026, 2, 28),
    public_feedback=4.8,
    private_feedback=0,
    feedback_date=date(2026, 3, 2),
    disputed=True,
    client_flagged=True,
    excluded=True,
    paid_periods=0,
)
BARE = Contract(contract_id="B-2", client="Zed", start_date=date(1999, 12, 31), earnings=0.0)


def test_every_field_survives_the_columns_including_zeros_and_missing_values() -> None:
    table = ContractTable.from_contracts([FULL, BARE, FULL])
    assert list(table) == [FULL, BARE, FULL]
    assert table[1] == BARE and table[-1] == FULL
    assert table[0:2] == [FULL, BARE]
    # private 0 and paid_periods 0 are values, not "missing"
    assert table[0].private_feedback == 0 and table[0].paid_periods == 0
    assert table[1].public_feedback is None and table[1].paid_periods is None


def test_dates_are_days_since_1970_and_clients_are_codes_in_first_seen_order() -> None:
    table = ContractTable.from_contracts([FULL, BARE, FULL])
    assert table.start.tolist() == [20484, 10956, 20484]  # 2026-01-31, 1999-12-31
    assert table.has_end.tolist() == [True, False, True]
    assert table.clients == ["Acme", "Zed"]
    assert table.client_code.tolist() == [0, 1, 0]
    assert table.client_names == ["Acme", "Zed", "Acme"]


def test_take_reorders_every_column_together() -> None:
    a, b, c = (make_contract(client=name) for name in ("x", "y", "x"))
    table = ContractTable.from_contracts([a, b, c]).take(np.array([2, 0]))
    assert list(table) == [c, a]
    assert list(table.ids) == [c.contract_id, a.contract_id]
    assert table.ids[-1] == a.contract_id and table.ids[0:1] == [c.contract_id]
    assert list(table.take(np.array([1])).titles) == [a.title]  # a reordering of a reordering


def test_equality_with_lists_and_out_of_range_index() -> None:
    table = ContractTable.from_contracts([FULL])
    assert table == [FULL]
    assert [FULL] == table  # noqa: SIM300 (the reflected comparison is what is tested)
    assert table != [BARE] and table != [FULL, FULL]
    with pytest.raises(IndexError):
        table[1]


def test_arrays_share_the_tables_columns_and_see_feedback_from_the_end_date() -> None:
    no_feedback_date = make_contract(end_date="2026-03-01", feedback_date=None)
    table = ContractTable.from_contracts([FULL, no_feedback_date, BARE])
    arrays = ContractArrays.from_contracts(table)
    assert arrays.contracts is table
    assert arrays.earnings is table.earnings
    assert arrays.has_feedback_day.tolist() == [True, True, False]
    assert arrays.feedback_day[:2].tolist() == [20514, 20513]  # 2026-03-02, 2026-03-01


def test_text_column_packs_values_and_keeps_missing_ones_apart_from_empty_ones() -> None:
    column = TextColumn.of(["ab", None, "", "Café ☕"])
    assert column.text == "abCafé ☕"
    assert column.bounds.tolist() == [0, 2, 2, 2, 8]
    assert list(column) == ["ab", None, "", "Café ☕"]
    assert column[1] is None and column[2] == "" and column[-1] == "Café ☕"
    assert None in column and "x" not in column
    with pytest.raises(IndexError):
        column[4]


def test_text_columns_concatenate_take_and_replace() -> None:
    joined = TextColumn.concat([TextColumn.of(["a", "bc"]), TextColumn.of([None, "d"])])
    assert list(joined) == ["a", "bc", None, "d"]
    assert joined.bounds.tolist() == [0, 1, 3, 3, 4]
    assert list(joined.take(np.array([3, 0]))) == ["d", "a"]
    assert list(joined.replaced({2: "x", 0: None})) == [None, "bc", "x", "d"]
    assert TextColumn.of(["a"]).missing is None  # no mask when nothing is missing


def test_concat_recodes_clients_and_keeps_every_column_in_order() -> None:
    a = make_contract(client="x")
    b = make_contract(client="y")
    c = make_contract(client="y", end_date=None)
    table = ContractTable.concat(
        [ContractTable.from_contracts([a, b]), ContractTable.from_contracts([c, a])]
    )
    assert list(table) == [a, b, c, a]
    assert table.clients == ["x", "y"]
    assert table.client_code.tolist() == [0, 1, 1, 0]
    assert table.has_end.tolist() == [True, True, False, True]


def test_overview_counts_open_contracts_distinct_clients_and_the_date_span() -> None:
    table = ContractTable.from_contracts([FULL, BARE, FULL])
    assert table.overview() == {
        "contracts": 3,
        "open": 1,  # BARE has no end date
        "clients": 2,
        "first_date": date(1999, 12, 31),
        "last_date": date(2026, 3, 1),  # FULL's end; BARE counts by its start
    }
    assert ContractTable.from_contracts([]).overview()["first_date"] is None


def test_titles_by_id_reads_the_columns() -> None:
    table = ContractTable.from_contracts([FULL, BARE])
    assert table.titles_by_id() == {"A-1": "Logo", "B-2": ""}
    assert table.take(np.array([1, 0])).titles_by_id() == {"B-2": "", "A-1": "Logo"}


# --- model/candidate.py: the candidates of MODEL.md 6 ------------------------------------------


def test_candidate_names_parse_back_and_order_for_ties() -> None:
    from jsscheck.model.candidate import TRENDING, Candidate, candidates_in_order

    six = Candidate.parse("6m")
    assert (six, six.name, six.windows, six.is_trending) == (Candidate(6), "6m", (6,), False)
    assert Candidate.parse("trending") is TRENDING
    assert (TRENDING.name, TRENDING.windows) == ("trending", (3, 6))
    # MODEL.md 6: ties go to the longer window, Trending last.
    ordered = candidates_in_order((12, 6, 24), trending=True)
    assert [c.name for c in ordered] == ["24m", "12m", "6m", "trending"]
    assert [c.name for c in candidates_in_order((6,), trending=False)] == ["6m"]
    for bad in ("", "m", "six", "0m", "-3m"):
        with pytest.raises(ValueError):
            Candidate.parse(bad)


def test_one_columnar_history_derives_the_engine_columns_and_still_takes() -> None:
    a1 = make_contract(contract_id="a1", client="A")
    b1 = make_contract(contract_id="b1", client="B")
    a2 = make_contract(contract_id="a2", client="A")
    table = ContractTable.from_contracts([a1, b1, a2])
    assert ContractArrays is ContractTable
    assert ContractTable.from_contracts(table) is table
    _ = table.feedback_day  # cached in the instance: taking must not mistake it for a column
    grouped, starts = table.grouped_by_client
    # Clients A (codes 0) then B (1): order a1, a2, b1, groups start at 0 and 2.
    assert list(grouped.ids) == ["a1", "a2", "b1"] and starts.tolist() == [0, 2]
    picked = table.select(np.array([1]))
    assert list(picked.ids) == ["b1"] and picked.n_clients == 2  # codes kept
    assert table.index_of == {"a1": 0, "b1": 1, "a2": 2}
    assert ContractTable.concat([table, picked]).size == 4


@BOUNDED
@given(histories, st.data())
def test_with_rows_is_the_table_rebuilt_with_those_contracts(drawn, data) -> None:  # type: ignore[no-untyped-def]
    # whatif --close-open evaluates dozens of edited histories: with_rows copies the columns
    # and writes a few rows; it must equal rebuilding the table from the edited contracts,
    # and the client groups it carries over must be those of the edited table.
    contracts, as_of = drawn
    table = ContractTable.from_contracts(contracts)
    table.client_groups  # noqa: B018 (worked out, so with_rows may carry it over)
    table.index_of  # noqa: B018
    positions = data.draw(st.sets(st.integers(0, len(contracts) - 1), max_size=4))
    changes = {}
    for i in positions:
        kind = data.draw(st.sampled_from(["close", "client", "title"]))
        if kind == "close":
            changes[i] = closed(contracts[i], as_of, public=data.draw(public_values))
        elif kind == "client":
            changes[i] = replace(
                contracts[i], client=data.draw(st.sampled_from(["New Co", *CLIENTS]))
            )
        else:
            changes[i] = replace(contracts[i], title="Renamed")
    edited = [changes.get(i, c) for i, c in enumerate(contracts)]
    result = table.with_rows(changes)
    assert list(result) == edited
    rebuilt = ContractTable.from_contracts(edited)
    order, starts = result.client_groups
    codes = result.client_code[order]
    assert np.array_equal(np.sort(order), np.arange(len(edited)))
    assert np.all(np.diff(codes) >= 0)  # each client's contracts together
    assert len(starts) == len(set(rebuilt.clients))
    assert result.index_of == {c.contract_id: k for k, c in enumerate(edited)}
    assert table.with_rows({}) is table
    assert list(table) == contracts  # the original is not changed


def test_with_columns_keeps_what_does_not_depend_on_the_changed_columns() -> None:
    table = ContractTable.from_contracts([FULL, BARE, FULL])
    groups, lookup = table.client_groups, table.index_of
    later = table.with_columns(start=table.start + 1)
    assert later.client_groups is groups and later.index_of is lookup  # carried over
    assert int(later.start[1]) == int(table.start[1]) + 1
    moved = table.with_columns(client_code=np.array([1, 0, 1], dtype=np.int32))
    assert moved.client_groups is not groups  # worked out again for the new codes
    assert moved.client_groups[0].tolist() == [1, 0, 2]
    assert moved.index_of is lookup
