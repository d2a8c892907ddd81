"""The sample Upwork exports agree with the sample history they were made from."""

from __future__ import annotations

from pathlib import Path

from jsscheck.history import read_histories

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
UPWORK = SAMPLE / "upwork"


def _history_2026() -> dict[str, dict]:
    history = read_histories([str(SAMPLE / "history.csv")]).contracts
    return {c.contract_id: c.to_dict() for c in history if c.start_date.year == 2026}


def test_sample_exports_import_to_the_2026_rows_of_the_sample_history() -> None:
    # Every export plus what must be typed by hand (my_additions.csv: the $0 Logo redesign with
    # its 1-star review, which no export lists, and the late review's date).
    names = ("work_history.json", "weekly_summary_2026.csv", "transaction_history_2026.csv",
             "my_additions.csv")  # fmt: skip
    imported = read_histories([str(UPWORK / name) for name in names])
    assert imported.warnings == []
    expected = _history_2026()
    assert sorted(c.contract_id for c in imported.contracts) == sorted(expected)
    for contract in imported.contracts:
        row = expected[contract.contract_id]
        if row["paid_periods"] is None and row["last_payment_date"] is not None:
            row["paid_periods"] = 0  # the Weekly Summary counts them for every payee
        assert contract.to_dict() == row


def test_weekly_summary_and_transactions_give_every_client_and_earning() -> None:
    # Without the work history: clients come from the Transaction History's Client team,
    # earnings from the Weekly Summary; end dates and feedback are unknown.
    names = ("weekly_summary_2026.csv", "transaction_history_2026.csv", "my_additions.csv")
    imported = read_histories([str(UPWORK / name) for name in names])
    assert imported.warnings == []
    expected = _history_2026()
    got = {c.contract_id: (c.client, c.earnings) for c in imported.contracts}
    assert got == {cid: (row["client"], row["earnings"]) for cid, row in expected.items()}
    # The Weekly Summary starts on 2026-02-02 (its first row); hourly paid dates are estimated.
    assert imported.covered_from.isoformat() == "2026-02-02"
    assert imported.assumptions == ("hourly-paid-next-monday",)


def test_the_work_history_lists_no_zero_dollar_contract() -> None:
    # Upwork hides contracts with no money exchanged: the sample does too.
    text = (UPWORK / "work_history.json").read_text()
    assert "Logo redesign" not in text
    assert '"amount": 0' not in text
