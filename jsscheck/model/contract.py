"""The contract record (MODEL.md section 1, FORMATS.md section 1)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

#: Canonical field names, in the canonical column order.
FIELDS: tuple[str, ...] = (
    "contract_id",
    "client",
    "title",
    "start_date",
    "end_date",
    "last_payment_date",
    "earnings",
    "public_feedback",
    "private_feedback",
    "feedback_date",
    "disputed",
    "client_flagged",
    "excluded",
    "paid_periods",
)
REQUIRED_FIELDS: tuple[str, ...] = ("contract_id", "client", "start_date", "earnings")
DATE_FIELDS: tuple[str, ...] = ("start_date", "end_date", "last_payment_date", "feedback_date")
BOOL_FIELDS: tuple[str, ...] = ("disputed", "client_flagged", "excluded")


@dataclass(frozen=True, slots=True)
class Contract:
    """One contract, fully validated. Dates are calendar dates; `None` means empty."""

    contract_id: str
    client: str
    start_date: date
    earnings: float
    title: str = ""
    end_date: date | None = None
    last_payment_date: date | None = None
    public_feedback: float | None = None
    private_feedback: int | None = None
    feedback_date: date | None = None
    disputed: bool = False
    client_flagged: bool = False
    excluded: bool = False
    paid_periods: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The contract as a plain dict keyed by canonical field name, in canonical order."""
        return {name: getattr(self, name) for name in FIELDS}

    @property
    def label(self) -> str:
        """How to name the contract to a person: its title when it has one, else its id."""
        return f"'{self.title}'" if self.title else f"contract {self.contract_id}"


assert {f.name for f in fields(Contract)} == set(FIELDS)
