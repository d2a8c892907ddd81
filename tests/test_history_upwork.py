"""Upwork's exports (FORMATS.md section 2): the profile work history (JSON), the Weekly Summary
(CSV) and the refused Transaction History, alone and merged with the user's own file."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from jsscheck.errors import InvalidInputError
from jsscheck.history import read_histories
from jsscheck.model.contract import Contract

DATA = Path(__file__).parent / "data" / "history"
WEEKLY_HEADER = '"Date","Contract","Hours","Amount","Payment type"\n'


def data(*names: str) -> list[str]:
    return [str(DATA / name) for name in names]


def problem_lines(sources: list[str], strip: str = f"{DATA}{os.sep}", **options) -> list[str]:
    with pytest.raises(InvalidInputError) as caught:
        read_histories(sources, **options)
    return [line.replace(strip, "") for line in caught.value.lines()]


def write(tmp_path: Path, text: str, name: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return str(path)


# ------------------------------------------------------------------------------ 2a work history

WORK_HISTORY_CONTRACTS = [
    Contract(
        contract_id="41234567", client="c-acme", title="Landing page, v2",
        start_date=date(2025, 11, 3), end_date=date(2026, 2, 10), earnings=850.0,
        public_feedback=5.0, feedback_date=date(2026, 2, 12),
    ),
    Contract(
        contract_id="41234568", client="Globex", title="Monthly SEO retainer",
        start_date=date(2025, 9, 1), earnings=4200.0,
    ),
    Contract(
        contract_id="41234569", client="c-initech", title="Fix (urgent) bug, WordPress (v2)",
        start_date=date(2026, 1, 20), end_date=date(2026, 3, 1), earnings=300.0,
    ),
    Contract(
        contract_id="41234571", client="c-umbrella", title="Old audit",
        start_date=date(2024, 5, 1), end_date=date(2024, 5, 20), earnings=120.0,
        public_feedback=4.6, feedback_date=date(2024, 5, 22),
    ),
]  # fmt: skip


def test_work_history_page_maps_every_documented_field() -> None:
    # clientId beats client.id and client.name; feedback.score 0 is no feedback; creationTs in
    # epoch milliseconds is a UTC date (23:30 UTC stays on the 12th); mid-contract feedback and
    # the freelancer's own feedback are ignored.
    result = read_histories(data("work_history.json"))
    assert result.contracts == WORK_HISTORY_CONTRACTS
    assert result.warnings == []


def test_an_array_of_pages_reads_like_one_page() -> None:
    assert read_histories(data("work_history_pages.json")).contracts == WORK_HISTORY_CONTRACTS


def test_work_history_is_detected_by_content(tmp_path: Path) -> None:
    text = (DATA / "work_history.json").read_text()
    assert read_histories([write(tmp_path, text, "export.csv")]).contracts == (
        WORK_HISTORY_CONTRACTS
    )


def page(*items: dict) -> str:
    return json.dumps([{"pageItems": list(items)}])


ITEM = {
    "id": "1", "title": "T", "clientId": "c", "startedOn": "2026-01-01T00:00:00.000Z",
    "endedOn": None, "totalCharges": {"amount": 10, "currencyCode": "USD"},
}  # fmt: skip


def test_work_history_problems_have_page_and_item_locations(tmp_path: Path) -> None:
    text = page(
        ITEM,
        {**ITEM, "id": None},
        {**ITEM, "id": "3", "totalCharges": {"amount": 10, "currencyCode": "EUR"}},
        {**ITEM, "id": "4", "feedback": {"score": 7, "creationTs": 1770939000000}},
        {**ITEM, "id": "5", "startedOn": "soon"},
    )
    assert problem_lines([write(tmp_path, text, "wh.json")], f"{tmp_path}{os.sep}") == [
        "wh.json:[0][1]: id: work-history item has no id — pass the work-history JSON unchanged: "
        "every item has an id",
        "wh.json:[0][2]: totalCharges.currencyCode: only USD amounts are supported (got 'EUR') — "
        "give the USD earnings of this contract in a canonical file keyed by contract_id",
        "wh.json:[0][3]: feedback.score: outside 1.0–5.0 (got '7') — write the stars from 1.0 to "
        "5.0, or leave it empty for no feedback",
        "wh.json:[0][4]: startedOn: not a date (got 'soon') — use YYYY-MM-DD, e.g. 2026-08-21",
    ]


def test_a_single_page_has_item_locations(tmp_path: Path) -> None:
    text = json.dumps({"pageItems": [ITEM, {**ITEM, "id": ""}]})
    assert problem_lines([write(tmp_path, text, "wh.json")], f"{tmp_path}{os.sep}")[0].startswith(
        "wh.json:[1]: id: work-history item has no id"
    )


def test_work_history_item_without_client_names_what_to_add(tmp_path: Path) -> None:
    text = page({**ITEM, "clientId": None})
    assert problem_lines([write(tmp_path, text, "wh.json")], f"{tmp_path}{os.sep}") == [
        "wh.json:[0][0]: client: not known for contract 1: no input gives it — add a CSV of your "
        "own keyed by contract_id with the columns contract_id,client"
    ]


# ------------------------------------------------------------------------------ 2b weekly summary


def test_weekly_summary_alone_says_what_is_missing_for_which_contract() -> None:
    assert problem_lines(data("weekly_2025.csv")) == [
        "weekly_2025.csv:2: client: not known for contract 41234568: it is only in the Weekly "
        "Summary, which has no client, end date or feedback — add a CSV of your own keyed by "
        "contract_id with the columns contract_id,client,end_date,public_feedback,"
        "private_feedback (or also pass the Transaction History, which gives clients, or the "
        "profile's work-history JSON)",
        "weekly_2025.csv:5: client: not known for contract 41234567: it is only in the Weekly "
        "Summary, which has no client, end date or feedback — add a CSV of your own keyed by "
        "contract_id with the columns contract_id,client,end_date,public_feedback,"
        "private_feedback (or also pass the Transaction History, which gives clients, or the "
        "profile's work-history JSON)",
    ]


def test_weekly_summary_with_a_file_adding_clients(tmp_path: Path) -> None:
    # BOM, CRLF, a title holding commas and parentheses, overlapping exports: the 2025-12-01
    # rows are in both files and count once.
    mine = write(
        tmp_path,
        "contract_id,client,end_date\n41234567,Acme,2026-02-11\n41234568,Globex,\n"
        "41234569,Initech,2026-03-01\n41234570,Hooli,2026-03-12\n",
        "mine.csv",
    )
    result = read_histories([*data("weekly_2025.csv", "weekly_2026.csv"), mine])
    assert result.warnings == []
    by_id = {c.contract_id: c for c in result.contracts}
    assert list(by_id) == ["41234568", "41234567", "41234569", "41234570"]
    landing = by_id["41234567"]
    assert landing.title == "Landing page, v2"
    assert landing.earnings == 850.0
    assert landing.start_date == date(2025, 11, 10)  # the first work day: no other start date
    # Hourly rows are work days, paid on the Monday after their work week: the work of Monday
    # 2026-02-09 is paid on Monday 2026-02-16 (it was 2026-02-09 before issue 17).
    assert landing.last_payment_date == date(2026, 2, 16)
    # Paid 2025-11-17, 2025-12-08, 2026-02-16: days 0, 21 and 91 → periods 0 and 1 → 1.
    assert landing.paid_periods == 1
    assert landing.end_date == date(2026, 2, 11)
    fix = by_id["41234569"]
    assert fix.title == "Fix (urgent) bug, WordPress (v2)"
    assert (fix.earnings, fix.paid_periods) == (300.0, 0)
    assert by_id["41234568"].earnings == 4200.0


def test_paid_periods_count_90_day_periods_after_the_first(tmp_path: Path) -> None:
    # Seven monthly payments from day 0 to day 181: periods 0, 1 and 2 hold payments.
    days = ["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01", "2026-05-01", "2026-06-01",
            "2026-07-01"]  # fmt: skip
    rows = "".join(f'"{day}","Retainer (9)","","100.00",""\n' for day in days)
    weekly = write(tmp_path, WEEKLY_HEADER + rows, "weekly.csv")
    mine = write(tmp_path, "contract_id,client\n9,Acme\n", "mine.csv")
    contract = read_histories([weekly, mine]).contracts[0]
    assert (contract.paid_periods, contract.earnings) == (2, 700.0)
    assert (contract.start_date, contract.last_payment_date) == (
        date(2026, 1, 1),
        date(2026, 7, 1),
    )


def test_day_89_is_still_the_first_period_and_day_90_the_second(tmp_path: Path) -> None:
    rows = '"2026-01-01","A (1)","","1",""\n"2026-03-31","A (1)","","1",""\n'  # day 89
    rows += '"2026-01-01","B (2)","","1",""\n"2026-04-01","B (2)","","1",""\n'  # day 90
    weekly = write(tmp_path, WEEKLY_HEADER + rows, "weekly.csv")
    mine = write(tmp_path, "contract_id,client\n1,X\n2,Y\n", "mine.csv")
    periods = [c.paid_periods for c in read_histories([weekly, mine]).contracts]
    assert periods == [0, 1]


def test_an_identical_row_within_one_export_counts_each_time(tmp_path: Path) -> None:
    # Two $50 bonuses on one day are two payments; overlapping exports repeat each only once.
    rows = '"2026-01-01","A (1)","","50.00","Bonus"\n' * 2
    one = write(tmp_path, WEEKLY_HEADER + rows, "one.csv")
    two = write(tmp_path, WEEKLY_HEADER + rows, "two.csv")
    mine = write(tmp_path, "contract_id,client\n1,X\n", "mine.csv")
    assert read_histories([one, two, mine]).contracts[0].earnings == 100.0


def test_weekly_rows_with_problems(tmp_path: Path) -> None:
    rows = (
        '"2026-01-01","No id here","","1",""\n'
        '"2026-02-30","A (1)","","1",""\n'
        '"2026-01-01","A (1)","","1,5",""\n'
    )
    lines = problem_lines([write(tmp_path, WEEKLY_HEADER + rows, "weekly.csv")], f"{tmp_path}/")
    assert lines == [
        "weekly.csv:2: Contract: no contract id in final parentheses (got 'No id here') — the "
        "Weekly Summary writes 'Job title (12345678)'",
        "weekly.csv:3: Date: not a date (got '2026-02-30') — use YYYY-MM-DD, e.g. 2026-02-28",
        "weekly.csv:4: Amount: a decimal comma is not read (it could be a thousands separator) "
        "(got '1,5') — write the amount with a decimal point: 1.5",
    ]


# ------------------------------------------------------------------------------ 2c transactions


@pytest.mark.parametrize("name", ["transactions_legacy.csv", "transactions_report.csv"])
def test_a_transaction_history_alone_says_which_export_to_add(name: str) -> None:
    # Issue 17: no longer refused, but alone it still cannot make a history.
    assert problem_lines(data(name)) == [
        f"{name}:1: a Transaction History alone cannot make a history — the Transaction History "
        "has no contract ids: also pass the Weekly Summary export (Manage finances → Your "
        "reports → Weekly summary report, CSV), which it adds clients to, or your profile's "
        "work history (JSON)"
    ]


# ------------------------------------------------------------------------------ merged


def test_exports_merged_with_my_file_equal_the_equivalent_canonical_file() -> None:
    merged = read_histories(
        data("work_history.json", "weekly_2025.csv", "weekly_2026.csv", "my_additions.csv")
    )
    assert merged.contracts == read_histories(data("upwork_equivalent.csv")).contracts
    assert merged.warnings == [
        f"contract 41234567: end_date is 2026-02-10 in {DATA}/work_history.json:[0] but "
        f"2026-02-11 in {DATA}/my_additions.csv:3; using 2026-02-11 (your own file wins over "
        "an Upwork export)"
    ]


def test_my_file_wins_even_when_given_first() -> None:
    merged = read_histories(
        data("my_additions.csv", "weekly_2026.csv", "weekly_2025.csv", "work_history.json")
    )
    landing = next(c for c in merged.contracts if c.contract_id == "41234567")
    assert landing.end_date == date(2026, 2, 11)
    # First-seen order: my file, then the weekly exports, then the work history.
    assert [c.contract_id for c in merged.contracts] == [
        "41234570", "41234567", "41234568", "41234569", "41234571",
    ]  # fmt: skip


def test_between_two_upwork_exports_the_later_wins_with_a_warning(tmp_path: Path) -> None:
    # The weekly sum (850) and the work history's total (900) disagree: the later file wins.
    text = (DATA / "work_history.json").read_text().replace('"amount": 850.0', '"amount": 900')
    history = write(tmp_path, text, "wh.json")
    weekly = data("weekly_2025.csv", "weekly_2026.csv")
    merged = read_histories([history, *weekly, str(DATA / "my_additions.csv")])
    landing = next(c for c in merged.contracts if c.contract_id == "41234567")
    assert landing.earnings == 850.0
    assert (
        f"contract 41234567: earnings is 900 in {tmp_path}/wh.json:[0] but 850 in "
        f"{DATA}/weekly_2025.csv:5; using 850 (the later file wins)"
    ) in merged.warnings


# ------------------------------------------------------------------------------ issue 17: 2026


def test_weekly_summary_and_transaction_history_together_give_every_required_field() -> None:
    # weekly_customised.csv: decimal hours, an extra "Memo" column, two rows identical but for
    # the memo (two payments of $10 within one file). transactions_2026.csv: the newer layout,
    # newest first, each earning sharing its Transaction ID with its fee, a withdrawal, a refund
    # and a title no contract has.
    result = read_histories(data("weekly_customised.csv", "transactions_2026.csv"))
    by_id = {c.contract_id: c for c in result.contracts}
    assert {cid: c.client for cid, c in by_id.items()} == {
        "50000001": "Northwind Labs",
        "50000004": "Harbor Dental",
        "50000005": "Quill Books",
        # Two "Logo pack" contracts: told apart by amount and date ($200 on Oct 2, $150 Oct 5).
        "50000002": "Quill Books",
        "50000003": "Ember Cafe",
    }
    landing = by_id["50000001"]
    # 50 + 6.67 + 10 + 10 = 76.67; the work of 2026-09-14..17 (Mon..Thu) is billed on Monday
    # 2026-09-21; the contract started by its first work day.
    assert (landing.earnings, landing.start_date) == (76.67, date(2026, 9, 14))
    assert (landing.last_payment_date, landing.paid_periods) == (date(2026, 9, 21), 0)
    assert landing.end_date is None  # no export tells: open
    assert by_id["50000004"].earnings == 250.0  # 300 paid − 50 "Refund to client"
    assert by_id["50000002"].last_payment_date == date(2026, 10, 2)  # fixed price: that day
    assert result.warnings == [
        f"{DATA}/transactions_2026.csv: 1 title matches no Weekly Summary contract, so it was "
        "not used: 'Old job not in the summary' — pass the Weekly Summary export that covers it"
    ]
    assert result.assumptions == ("hourly-paid-next-monday",)
    # The earliest date either export covers: the first work day of the Weekly Summary.
    assert result.covered_from == date(2026, 9, 14)


def test_a_title_that_two_contracts_share_is_warned_about_not_guessed(tmp_path: Path) -> None:
    # Both "Logo pack" contracts were paid $150 on 2026-10-05: the earning fits either.
    rows = (
        '"2026-10-05","Logo pack (1)","","150","Fixed Price Payment"\n'
        '"2026-10-05","Logo pack (2)","","150","Fixed Price Payment"\n'
    )
    weekly = write(tmp_path, WEEKLY_HEADER + rows, "weekly.csv")
    header = (DATA / "transactions_2026.csv").read_text().splitlines()[0]
    earning = (
        '"Oct 5, 2026",1,Fixed-price,Logo pack,,,,,,Ana,Ember Cafe,Ana,,2,150.00,150.00,USD,1,'
    )
    transactions = write(tmp_path, f"{header}\n{earning}\n", "tx.csv")
    with pytest.raises(InvalidInputError) as caught:
        read_histories([weekly, transactions])
    assert "client: not known for contract 1" in "\n".join(caught.value.lines())
    mine = write(tmp_path, "contract_id,client\n1,Ember Cafe\n2,Quill Books\n", "mine.csv")
    result = read_histories([weekly, transactions, mine])
    assert [c.client for c in result.contracts] == ["Ember Cafe", "Quill Books"]
    assert result.warnings == [
        f"{tmp_path}/tx.csv: 1 title matches several Weekly Summary contracts, which amount "
        "and date could not tell apart, so no client was taken from it: 'Logo pack' "
        "(contracts 1, 2) — add their clients in a CSV of your own keyed by contract_id"
    ]


def test_the_legacy_transaction_layout_gives_the_client_of_its_invoice(tmp_path: Path) -> None:
    # "Invoice for Monthly SEO retainer" is Upwork's description of that contract's invoice.
    mine = write(tmp_path, "contract_id,client\n41234567,Acme\n", "mine.csv")
    result = read_histories([*data("weekly_2025.csv", "transactions_legacy.csv"), mine])
    assert {c.contract_id: c.client for c in result.contracts} == {
        "41234568": "Globex",
        "41234567": "Acme",
    }


def test_a_graphql_talent_work_history_response_is_an_input() -> None:
    result = read_histories(data("talent_work_history.json"))
    assert result.contracts == [
        Contract(
            contract_id="60000001", client="1400000001", title="Shop migration",
            start_date=date(2026, 3, 2), end_date=date(2026, 4, 10), earnings=1250.5,
            public_feedback=4.75,
        ),
        Contract(
            contract_id="60000002", client="1400000002", title="Ongoing support",
            start_date=date(2026, 5, 4), earnings=312.0,
        ),
    ]  # fmt: skip
    # It lists the whole history: no short-coverage date, no assumption.
    assert (result.covered_from, result.assumptions) == (None, ())


def test_the_profile_job_success_score_is_read_as_the_observed_jss() -> None:
    from jsscheck.history.graphql import observed_jss

    assert observed_jss(json.loads((DATA / "profile_jss.json").read_text())) == 92.0
    assert observed_jss({"data": {"freelancerProfileByProfileKey": {"aggregates": {}}}}) is None
    with pytest.raises(ValueError, match="outside 0–100"):
        observed_jss({"freelancerProfileByProfileKey": {"aggregates": {"jobSuccessScore": 120}}})


def test_agency_contracts_are_left_out_with_a_warning_unless_asked(tmp_path: Path) -> None:
    agency = {**ITEM, "id": "2", "title": "Agency site build", "agencyName": "Pixel Crew"}
    path = write(tmp_path, page(ITEM, {**ITEM, "id": "3", "clientId": "d"}, agency), "wh.json")
    result = read_histories([path])
    assert [c.contract_id for c in result.contracts] == ["1", "3"]
    assert result.warnings == [
        f"{path}: left out 1 agency contract (they count toward the agency's score, not "
        "yours): 'Agency site build' — pass --include-agency to keep them"
    ]
    kept = read_histories([path], include_agency=True)
    assert [c.contract_id for c in kept.contracts] == ["1", "3", "2"]
    assert kept.warnings == []


def test_identical_rows_of_a_customised_report_count_once_across_files(tmp_path: Path) -> None:
    # The same export saved twice: the two $10 rows are two payments, but the second file
    # adds nothing: 76.67 as from one file.
    again = write(tmp_path, (DATA / "weekly_customised.csv").read_text(), "again.csv")
    result = read_histories(data("weekly_customised.csv", "transactions_2026.csv") + [again])
    assert next(c for c in result.contracts if c.contract_id == "50000001").earnings == 76.67


def test_an_hourly_work_day_is_paid_on_the_monday_after_its_work_week(tmp_path: Path) -> None:
    # Work weeks run Monday to Sunday and are billed the next Monday: Sunday 2026-03-08's work
    # is paid Monday 2026-03-09, Monday 2026-03-09's a week later, 2026-03-16. A bonus the same
    # Monday is paid that day.
    rows = '"2026-03-08","A (1)","1.5","30",""\n'
    rows += '"2026-03-09","B (2)","0.16667","5",""\n"2026-03-09","C (3)","","5","Bonus"\n'
    weekly = write(tmp_path, WEEKLY_HEADER + rows, "weekly.csv")
    mine = write(tmp_path, "contract_id,client\n1,X\n2,Y\n3,Z\n", "mine.csv")
    result = read_histories([weekly, mine])
    assert [(c.start_date, c.last_payment_date) for c in result.contracts] == [
        (date(2026, 3, 8), date(2026, 3, 9)),
        (date(2026, 3, 9), date(2026, 3, 16)),
        (date(2026, 3, 9), date(2026, 3, 9)),
    ]
    assert result.assumptions == ("hourly-paid-next-monday",)
    assert result.covered_from == date(2026, 3, 8)


def test_the_observed_jss_is_read_from_a_saved_profile_file(tmp_path: Path) -> None:
    from jsscheck.history.graphql import read_observed_jss

    assert read_observed_jss(str(DATA / "profile_jss.json")) == 92.0
    bad = write(tmp_path, "{not json", "profile.json")
    with pytest.raises(InvalidInputError) as caught:
        read_observed_jss(bad)
    assert caught.value.exit_code == 65
