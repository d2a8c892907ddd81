"""The contracts of a history as numpy columns, the form every engine computation reads.

(MODEL.md section 1: dates are days since 1970-01-01; feedback without its own date is visible
from the end date.)
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from jsscheck.model.contract import Contract
from jsscheck.model.table import ContractTable


@dataclass(frozen=True)
class ContractArrays:
    """The contracts of a history as columns (dates as days since 1970-01-01).

    Missing dates hold 0 and a False `has_*` flag; `paid_periods` is -1 when not given.
    """

    contracts: ContractTable
    client_code: np.ndarray
    n_clients: int
    start: np.ndarray
    end: np.ndarray
    has_end: np.ndarray
    last_payment: np.ndarray
    has_last_payment: np.ndarray
    feedback_day: np.ndarray
    has_feedback_day: np.ndarray
    earnings: np.ndarray
    public: np.ndarray
    private: np.ndarray
    disputed: np.ndarray
    flagged: np.ndarray
    excluded: np.ndarray
    paid_periods: np.ndarray

    @property
    def size(self) -> int:
        return len(self.contracts)

    @functools.cached_property
    def grouped_by_client(self) -> tuple[ContractArrays, np.ndarray]:
        """The same contracts reordered so each client's are adjacent, and where groups start.

        Evaluations over many dates count distinct clients per window on this order, instead
        of copying a D×N selection into client order for every window.
        """
        order, starts = self.client_groups
        if np.array_equal(order, np.arange(self.size)):
            return self, starts
        return self.select(order), starts

    @functools.cached_property
    def client_groups(self) -> tuple[np.ndarray, np.ndarray]:
        """The contract order that puts each client's together, and where each group starts."""
        order = np.argsort(self.client_code, kind="stable")
        return order, group_starts(self.client_code[order])

    def select(self, index: np.ndarray) -> ContractArrays:
        """The contracts at positions `index`, in that order (client codes are kept)."""
        columns = {
            f.name: getattr(self, f.name)[index]
            for f in dataclasses.fields(self)
            if isinstance(getattr(self, f.name), np.ndarray)
        }
        return dataclasses.replace(self, contracts=self.contracts.take(index), **columns)

    @functools.cached_property
    def contract_ids(self) -> list[str]:
        """The contract ids, in history order."""
        return list(self.contracts.ids)

    @functools.cached_property
    def index_of(self) -> dict[str, int]:
        """contract_id → position in the history."""
        return {cid: i for i, cid in enumerate(self.contract_ids)}

    @classmethod
    def from_contracts(cls, contracts: Sequence[Contract]) -> ContractArrays:
        """Build the columns once; every evaluation reuses them.

        A `ContractTable` (what the reader gives) is used as it is: its columns are shared,
        not copied, and no Contract object is made.
        """
        table = ContractTable.of(contracts)
        return cls(
            contracts=table,
            client_code=table.client_code,
            n_clients=len(table.clients),
            start=table.start,
            end=table.end,
            has_end=table.has_end,
            last_payment=table.last_payment,
            has_last_payment=table.has_last_payment,
            # MODEL.md section 1: feedback without its own date is visible from the end date.
            feedback_day=np.where(table.has_feedback_date, table.feedback_date, table.end),
            has_feedback_day=table.has_feedback_date | table.has_end,
            earnings=table.earnings,
            public=table.public,
            private=table.private,
            disputed=table.disputed,
            flagged=table.flagged,
            excluded=table.excluded,
            paid_periods=table.paid_periods,
        )


def group_starts(sorted_codes: np.ndarray) -> np.ndarray:
    """Where each run of equal codes starts in `sorted_codes`."""
    if len(sorted_codes) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
