"""The sample Upwork exports agree with the sample history they were made from."""

from __future__ import annotations

from pathlib import Path

from jsscheck.history import read_histories

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


def test_sample_exports_import_to_the_2026_rows_of_the_sample_history() -> None:
    imported = read_histories(
        [
            str(SAMPLE / "upwork" / "work_history.json"),
            str(SAMPLE / "upwork" / "weekly_summary_2026.csv"),
        ]
    )
    assert imported.warnings == []
    history = {c.contract_id: c for c in read_histories([str(SAMPLE / "history.csv")]).contracts}
    expected_ids = [cid for cid, c in history.items() if c.start_date.year == 2026]
    assert sorted(c.contract_id for c in imported.contracts) == sorted(expected_ids)
    for contract in imported.contracts:
        expected = history[contract.contract_id].to_dict()
        if expected["paid_periods"] is None and expected["last_payment_date"] is not None:
            expected["paid_periods"] = 0  # the Weekly Summary counts them for every payee
        assert contract.to_dict() == expected
