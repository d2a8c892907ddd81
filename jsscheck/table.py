"""A history as columns: `ContractTable`, a sequence of contracts that holds no Contract objects.

A `Contract` object with its strings, dates and floats takes about 500 bytes; a 200 MB export
holds 1.5 million contracts. The reader therefore fills columns (numpy for dates, amounts,
ratings and flags; Python lists only for the text) and the engine reads them as they are.
`table[i]` and iteration still give `Contract` objects, built when asked for, so code that
works on a few contracts (edits, scenarios, messages) keeps its plain dataclass.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, overload

import numpy as np

from jsscheck.dates import EPOCH_ORDINAL, to_days
from jsscheck.model import Contract

#: Days since 1970 fit in 32 bits.
DAY = np.int32


@dataclass(frozen=True, eq=False)
class ContractTable(Sequence[Contract]):
    """Contracts as columns, in history order.

    Dates are days since 1970-01-01 with a `has_*` mask where they may be missing (the day
    then holds 0); `public`/`private` hold NaN and `paid_periods` -1 when not given. Clients
    are codes into `clients`, the distinct names in first-seen order.
    """

    ids: list[str]
    titles: list[str]
    clients: list[str]
    client_code: np.ndarray
    start: np.ndarray
    end: np.ndarray
    has_end: np.ndarray
    last_payment: np.ndarray
    has_last_payment: np.ndarray
    feedback_date: np.ndarray
    has_feedback_date: np.ndarray
    earnings: np.ndarray
    public: np.ndarray
    private: np.ndarray
    disputed: np.ndarray
    flagged: np.ndarray
    excluded: np.ndarray
    paid_periods: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> Contract: ...

    @overload
    def __getitem__(self, index: slice) -> list[Contract]: ...

    def __getitem__(self, index: int | slice) -> Contract | list[Contract]:
        if isinstance(index, slice):
            return [self._contract(i) for i in range(*index.indices(len(self)))]
        size = len(self)
        if not -size <= index < size:
            raise IndexError("contract index out of range")
        return self._contract(index % size)

    def __iter__(self) -> Iterator[Contract]:
        return map(self._contract, range(len(self)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ContractTable({len(self)} contracts)"

    def _contract(self, i: int) -> Contract:
        def day(days: np.ndarray, present: np.ndarray) -> date | None:
            return date.fromordinal(int(days[i]) + EPOCH_ORDINAL) if present[i] else None

        public = float(self.public[i])
        private = float(self.private[i])
        paid = int(self.paid_periods[i])
        return Contract(
            contract_id=self.ids[i],
            client=self.clients[self.client_code[i]],
            start_date=date.fromordinal(int(self.start[i]) + EPOCH_ORDINAL),
            earnings=float(self.earnings[i]),
            title=self.titles[i],
            end_date=day(self.end, self.has_end),
            last_payment_date=day(self.last_payment, self.has_last_payment),
            public_feedback=None if math.isnan(public) else public,
            private_feedback=None if math.isnan(private) else int(private),
            feedback_date=day(self.feedback_date, self.has_feedback_date),
            disputed=bool(self.disputed[i]),
            client_flagged=bool(self.flagged[i]),
            excluded=bool(self.excluded[i]),
            paid_periods=None if paid < 0 else paid,
        )

    @property
    def client_names(self) -> list[str]:
        """Each contract's client name, in history order."""
        clients = self.clients
        return [clients[code] for code in self.client_code.tolist()]

    def take(self, order: np.ndarray) -> ContractTable:
        """The contracts at positions `order` (a permutation or a selection), in that order."""
        picked = order.tolist()
        columns = {
            name: value[order]
            for name, value in vars(self).items()
            if isinstance(value, np.ndarray)
        }
        return ContractTable(
            ids=[self.ids[i] for i in picked],
            titles=[self.titles[i] for i in picked],
            clients=self.clients,
            **columns,
        )

    @classmethod
    def of(cls, contracts: Iterable[Contract]) -> ContractTable:
        """`contracts` as a table (a table is returned as it is)."""
        if isinstance(contracts, ContractTable):
            return contracts
        return cls.from_contracts(contracts)

    @classmethod
    def from_contracts(cls, contracts: Iterable[Contract]) -> ContractTable:
        """Columns from Contract objects (edited histories, tests)."""
        items = list(contracts)
        n = len(items)
        codes: dict[str, int] = {}
        client_code = np.fromiter(
            (codes.setdefault(c.client, len(codes)) for c in items), np.int32, n
        )

        def days(values: list[date | None]) -> tuple[np.ndarray, np.ndarray]:
            column = np.fromiter((0 if v is None else to_days(v) for v in values), DAY, n)
            return column, np.fromiter((v is not None for v in values), bool, n)

        end, has_end = days([c.end_date for c in items])
        last_payment, has_last_payment = days([c.last_payment_date for c in items])
        feedback_date, has_feedback_date = days([c.feedback_date for c in items])

        def optional(values: Iterable[Any], missing: float, dtype: Any) -> np.ndarray:
            return np.fromiter((missing if v is None else v for v in values), dtype, n)

        return cls(
            ids=[c.contract_id for c in items],
            titles=[c.title for c in items],
            clients=list(codes),
            client_code=client_code,
            start=np.fromiter((to_days(c.start_date) for c in items), DAY, n),
            end=end,
            has_end=has_end,
            last_payment=last_payment,
            has_last_payment=has_last_payment,
            feedback_date=feedback_date,
            has_feedback_date=has_feedback_date,
            earnings=np.fromiter((c.earnings for c in items), np.float64, n),
            public=optional((c.public_feedback for c in items), math.nan, np.float64),
            private=optional((c.private_feedback for c in items), math.nan, np.float64),
            disputed=np.fromiter((c.disputed for c in items), bool, n),
            flagged=np.fromiter((c.client_flagged for c in items), bool, n),
            excluded=np.fromiter((c.excluded for c in items), bool, n),
            paid_periods=optional((c.paid_periods for c in items), -1, np.int64),
        )
