"""Merging several inputs by contract_id (FORMATS.md section 4)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jsscheck.errors import InvalidInputError
from jsscheck.history import read_histories


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_empty_fields_are_filled_from_the_other_file(tmp_path: Path) -> None:
    first = write(tmp_path, "a.csv", "contract_id,client,start_date,earnings,end_date\n"
                  "1,Acme,2026-01-01,100,\n")  # fmt: skip
    second = write(tmp_path, "b.csv", "contract_id,end_date,public_feedback\n1,2026-02-01,4.5\n")
    result = read_histories([first, second])
    contract = result.contracts[0]
    assert (contract.end_date, contract.public_feedback) == (date(2026, 2, 1), 4.5)
    assert result.warnings == []


def test_two_files_can_each_hold_some_required_columns(tmp_path: Path) -> None:
    ids = write(tmp_path, "a.csv", "contract_id,client\n1,Acme\n2,Globex\n")
    money = write(
        tmp_path, "b.csv", "contract_id,start_date,earnings\n2,2026-01-02,5\n1,2026-01-01,4\n"
    )
    result = read_histories([ids, money])
    assert [(c.contract_id, c.client, c.earnings) for c in result.contracts] == [
        ("1", "Acme", 4.0),
        ("2", "Globex", 5.0),
    ]


def test_between_two_files_of_the_same_kind_the_later_wins_with_a_warning(tmp_path: Path) -> None:
    header = "contract_id,client,start_date,earnings,public_feedback\n"
    first = write(tmp_path, "a.csv", header + "1,Acme,2026-01-01,100,4.0\n")
    second = write(tmp_path, "b.csv", header + "1,Acme,01/01/2026,$100.00,5\n")
    result = read_histories([first, second])
    assert result.contracts[0].public_feedback == 5.0
    assert result.warnings == [
        f"contract 1: public_feedback is 4 in {tmp_path}/a.csv:2 but 5 in {tmp_path}/b.csv:2; "
        "using 5 (the later file wins)"
    ]


def test_identical_values_in_two_files_merge_silently(tmp_path: Path) -> None:
    text = "contract_id,client,start_date,earnings\n1,Acme,2026-01-01,100\n"
    same = '[{"contract_id": 1, "client": "Acme", "start_date": "Jan 1, 2026", "earnings": 100}]'
    result = read_histories([write(tmp_path, "a.csv", text), write(tmp_path, "b.json", same)])
    assert len(result.contracts) == 1
    assert result.warnings == []


def test_contracts_keep_first_seen_order_across_files(tmp_path: Path) -> None:
    header = "contract_id,client,start_date,earnings\n"
    first = write(tmp_path, "a.csv", header + "3,A,2026-01-01,1\n1,A,2026-01-01,1\n")
    second = write(tmp_path, "b.csv", header + "2,A,2026-01-01,1\n3,A,2026-01-01,1\n")
    assert [c.contract_id for c in read_histories([first, second]).contracts] == ["3", "1", "2"]


def test_required_fields_missing_after_merging_name_the_contract(tmp_path: Path) -> None:
    first = write(tmp_path, "a.csv", "contract_id,client,start_date,earnings\n1,Acme,2026-01-01,\n")
    second = write(tmp_path, "b.csv", "contract_id,title\n1,Logo\n2,Other\n")
    with pytest.raises(InvalidInputError) as caught:
        read_histories([first, second])
    assert [str(p).replace(f"{tmp_path}/", "") for p in caught.value.problems] == [
        "a.csv:2: earnings: required value is empty — write the total paid in USD, 0 if nothing "
        "was paid",
        "b.csv:3: client, start_date, earnings: required values are empty — fill in client, "
        "start_date, earnings of contract 2",
    ]


def test_date_order_is_checked_after_merging_and_names_both_files(tmp_path: Path) -> None:
    first = write(tmp_path, "a.csv", "contract_id,client,start_date,earnings\n1,A,2026-03-01,5\n")
    second = write(tmp_path, "b.csv", "contract_id,end_date\n1,2026-02-01\n")
    with pytest.raises(InvalidInputError) as caught:
        read_histories([first, second])
    assert [str(p).replace(f"{tmp_path}/", "") for p in caught.value.problems] == [
        "b.csv:2: end_date: before start_date 2026-03-01 in a.csv:2 (got '2026-02-01') — correct "
        "either date: it cannot be before the contract started"
    ]


def test_problems_of_every_file_are_reported_together(tmp_path: Path) -> None:
    first = write(tmp_path, "a.csv", "contract_id,client,start_date,earnings\n1,A,2026-02-30,5\n")
    second = write(tmp_path, "b.csv", "")
    with pytest.raises(InvalidInputError) as caught:
        read_histories([first, second])
    assert [(p.file, p.location) for p in caught.value.problems] == [(first, "2"), (second, "")]


def test_the_same_file_twice_reads_like_once(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "contract_id,client,start_date,earnings\n1,A,2026-01-01,5\n")
    result = read_histories([path, path])
    assert len(result.contracts) == 1
    assert result.warnings == []
