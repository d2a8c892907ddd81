"""Upwork's own exports (FORMATS.md section 2): what they are called and how each is recognised.

The readers live beside this module, one per export: `work_history` (the profile's JSON),
`weekly` (the Weekly Summary CSV), `transactions` (the Transaction History CSV, read only to
enrich the Weekly Summary) and `graphql` (saved `talentWorkHistory` responses).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jsscheck.history.tables import normalize_column

WEEKLY_HEADER = ("date", "contract", "hours", "amount", "payment type")
WEEKLY_KIND = "weekly-summary"
WORK_HISTORY_KIND = "upwork-json"
GRAPHQL_KIND = "upwork-graphql"
TRANSACTIONS_KIND = "transactions"
#: What the Weekly Summary cannot tell, for the "still missing" error (FORMATS.md 2b).
WEEKLY_LACKS = ("client", "end_date", "public_feedback", "private_feedback")

#: Codes of the assumptions a read made (ReadResult.assumptions); render/ words them.
#: An hourly Weekly Summary row is a day of work, taken as paid on the Monday after its work
#: week (the day Upwork bills the client): see `weekly.paid_on`.
ASSUMPTION_HOURLY_PAID_MONDAY = "hourly-paid-next-monday"


def is_weekly_header(cells: Iterable[str]) -> bool:
    """True when a CSV header is the Weekly Summary's (customised reports add columns)."""
    return set(WEEKLY_HEADER) <= {normalize_column(cell) for cell in cells}


def is_transaction_header(cells: Iterable[str]) -> bool:
    """True for either Transaction History layout (legacy ledger or the newer report)."""
    names = {normalize_column(cell) for cell in cells}
    return {"ref id", "balance"} <= names or bool(
        names & {"transaction type", "transaction summary", "amount $"}
    )


def is_work_history(document: Any) -> bool:
    """True for a work-history page (`pageItems`) or an array of pages."""
    if isinstance(document, dict):
        return "pageItems" in document
    return (
        isinstance(document, list)
        and bool(document)
        and isinstance(document[0], dict)
        and "pageItems" in document[0]
    )
