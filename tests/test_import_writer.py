"""`import`'s CSV writer works from the table's columns (issue 16); its bytes are exactly those
of the writer it replaced, which wrote `safe_cell` of each `Contract`'s values row by row."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

from helpers import hostile_text, make_contract
from hypothesis import given, settings
from hypothesis import strategies as st

from jsscheck.history import read_histories
from jsscheck.model.contract import FIELDS, Contract
from jsscheck.render.csvsafe import safe_cell, writer
from jsscheck.render.history_file import contracts_to_csv, write_contracts

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "history"
UPWORK = ROOT / "sample_data" / "upwork"


def _row_by_row(contracts: Iterable[Contract]) -> str:
    """The writer before issue 16: one Contract at a time."""
    buffer = io.StringIO()
    out = writer(buffer)
    out.writerow(FIELDS)
    for contract in contracts:
        out.writerow([safe_cell(getattr(contract, name)) for name in FIELDS])
    return buffer.getvalue()


def test_the_sample_exports_are_written_byte_for_byte_as_before(tmp_path: Path) -> None:
    inputs = [
        [str(UPWORK / "work_history.json")],
        [str(p) for p in sorted(UPWORK.iterdir()) if p.suffix in (".json", ".csv")],
        [str(ROOT / "sample_data" / "history.csv")],
        [str(DATA / "canonical.csv")],
    ]
    for sources in inputs:
        contracts = read_histories(sources).contracts
        expected = _row_by_row(contracts)
        assert contracts_to_csv(contracts) == expected
        target = tmp_path / "out.csv"
        write_contracts(contracts, target, "csv")
        assert target.read_bytes() == expected.encode("utf-8")
        target.unlink()


def test_awkward_text_is_written_as_before() -> None:
    titles = [
        'Say "hello", world',  # quotes and a comma
        "two\nlines",
        "cr\rinside",
        "Café — naïve 日本語 ✓",
        "=SUM(A1)",
        "+1 fix",
        "-minus",
        "@mention",
        "\u200b=1+1",  # a formula after an invisible character
        " =spaced",
        "\uff1dfull width",
        "",
        "plain",
    ]
    contracts = [
        make_contract(
            contract_id=f"id{k}" if k % 3 else f"=id{k}",
            client="Beta, Inc." if k % 2 else "-Client",
            title=title,
            end_date=None if k % 4 == 0 else date(2026, 3, 1) + timedelta(days=k),
            public_feedback=None if k % 5 == 0 else 4.3,
            private_feedback=None if k % 2 else k % 11,
            feedback_date=date(2026, 4, 1) if k % 3 == 0 else None,
            disputed=k % 2 == 0,
            client_flagged=k % 3 == 0,
            excluded=k == 7,
            paid_periods=None if k % 2 else k,
            last_payment_date=date(2026, 2, 1) if k % 2 else None,
            earnings=[0.0, 0.1, 1234.5, 1e12, 2.675][k % 5],
        )
        for k, title in enumerate(titles)
    ]
    text = contracts_to_csv(contracts)
    assert text == _row_by_row(contracts)
    # By hand: the fourth cell of the header row's successor… spot checks of the rules.
    assert "'=SUM(A1)" in text and "'+1 fix" in text and "'\u200b=1+1" in text
    assert '"Say ""hello"", world"' in text and '"two\nlines"' in text


def test_chunks_join_seamlessly(monkeypatch) -> None:
    from jsscheck.render import history_file

    contracts = list(read_histories([str(ROOT / "sample_data" / "history.csv")]).contracts)
    expected = _row_by_row(contracts)
    for rows in (1, 7, len(contracts) - 1, len(contracts)):
        monkeypatch.setattr(history_file, "CSV_ROWS", rows)
        assert contracts_to_csv(contracts) == expected


def test_no_contracts_write_only_the_header() -> None:
    assert contracts_to_csv([]) == ",".join(FIELDS) + "\r\n"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(hostile_text, hostile_text, hostile_text, st.booleans(), st.integers(0, 400)),
        min_size=1,
        max_size=12,
    )
)
def test_any_text_is_written_as_before(rows: list[tuple[str, str, str, bool, int]]) -> None:
    contracts = [
        make_contract(
            contract_id=cid,
            client=client,
            title=title,
            end_date=None if flag else date(2026, 1, 1) + timedelta(days=days),
            paid_periods=days if flag else None,
        )
        for cid, client, title, flag, days in rows
    ]
    assert contracts_to_csv(contracts) == _row_by_row(contracts)
