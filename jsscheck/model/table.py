"""A history as columns: `ContractTable`, a sequence of contracts that holds no Contract objects.

A `Contract` object with its strings, dates and floats takes about 500 bytes; a 200 MB export
holds 1.5 million contracts. The reader therefore fills columns (numpy for dates, amounts,
ratings and flags; Python lists only for the text) and the engine reads them as they are.
`table[i]` and iteration still give `Contract` objects, built when asked for, so code that
works on a few contracts (edits, scenarios, messages) keeps its plain dataclass.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any, overload

import numpy as np

from jsscheck.model.contract import Contract
from jsscheck.model.days import EPOCH_ORDINAL, to_days

#: Days since 1970 fit in 32 bits.
DAY = np.int32


class TextColumn(Sequence[str | None]):
    """A column of strings packed into one: 8 bytes of offset a value instead of a str object.

    A million small `str` objects cost 60 bytes each and, kept while the reader's temporary
    strings come and go, leave the allocator's memory fragmented. Values are sliced out on
    demand; `None` (a missing value) is kept in a mask and reads as None.
    """

    __slots__ = ("bounds", "missing", "text")

    def __init__(self, text: str, bounds: np.ndarray, missing: np.ndarray | None = None) -> None:
        self.text = text
        #: value i is text[bounds[i]:bounds[i + 1]]
        self.bounds = bounds
        #: True where the value is missing (None when nothing is)
        self.missing = missing if missing is not None and missing.any() else None

    @classmethod
    def of(cls, values: Iterable[str | None]) -> TextColumn:
        items = values if isinstance(values, list) else list(values)
        missing = None
        if None in items:
            missing = np.fromiter((v is None for v in items), bool, len(items))
            items = ["" if v is None else v for v in items]
        bounds = np.zeros(len(items) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, items), np.int64, len(items)), out=bounds[1:])
        return cls("".join(items), bounds, missing)  # type: ignore[arg-type]

    @classmethod
    def concat(cls, columns: Sequence[TextColumn]) -> TextColumn:
        if len(columns) == 1:
            return columns[0]
        shifts = np.cumsum([0] + [len(c.text) for c in columns[:-1]])
        bounds = np.concatenate(
            [columns[0].bounds[:1]]
            + [c.bounds[1:] + shift for c, shift in zip(columns, shifts, strict=True)]
        )
        missing = None
        if any(c.missing is not None for c in columns):
            missing = np.concatenate([c.missing_mask for c in columns])
        return cls("".join(c.text for c in columns), bounds, missing)

    @property
    def missing_mask(self) -> np.ndarray:
        if self.missing is None:
            return np.zeros(len(self), dtype=bool)
        return self.missing

    def __len__(self) -> int:
        return len(self.bounds) - 1

    @overload
    def __getitem__(self, index: int) -> str | None: ...

    @overload
    def __getitem__(self, index: slice) -> list[str | None]: ...

    def __getitem__(self, index: int | slice) -> str | None | list[str | None]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        size = len(self)
        if not -size <= index < size:
            raise IndexError("text column index out of range")
        index %= size
        if self.missing is not None and self.missing[index]:
            return None
        return self.text[int(self.bounds[index]) : int(self.bounds[index + 1])]

    def __iter__(self) -> Iterator[str | None]:
        text, bounds = self.text, self.bounds.tolist()
        values = (text[a:b] for a, b in zip(bounds, bounds[1:]))  # noqa: B905 (one longer)
        if self.missing is None:
            return values
        return (None if gone else v for v, gone in zip(values, self.missing.tolist()))  # noqa: B905

    def __contains__(self, value: object) -> bool:
        if value is None:
            return self.missing is not None
        return any(v == value for v in self)

    def __repr__(self) -> str:
        return f"TextColumn({len(self)} values)"

    def take(self, index: np.ndarray) -> TextColumn:
        """The values at positions `index`, in that order."""
        values = list(self)
        return TextColumn.of([values[i] for i in index.tolist()])

    def replaced(self, changes: dict[int, str | None]) -> TextColumn:
        """A copy with the values at some positions replaced."""
        values = list(self)
        for position, value in changes.items():
            values[position] = value
        return TextColumn.of(values)


@dataclass(frozen=True, eq=False)
class ContractTable(Sequence[Contract]):
    """Contracts as columns, in history order: the one columnar history every layer reads.

    Dates are days since 1970-01-01 with a `has_*` mask where they may be missing (the day
    then holds 0); `public`/`private` hold NaN and `paid_periods` -1 when not given. Clients
    are codes into `clients`, the distinct names in first-seen order. The columns the engine
    derives (the feedback day, client groups, id lookup) are cached properties.
    """

    ids: Sequence[str]
    titles: Sequence[str]
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

    def overview(self) -> dict[str, Any]:
        """How many contracts (open ones too) and clients, and the first and last date."""
        if not len(self):
            return {"contracts": 0, "open": 0, "clients": 0, "first_date": None, "last_date": None}
        last = int(np.where(self.has_end, self.end, self.start).max())
        return {
            "contracts": len(self),
            "open": int(np.count_nonzero(~self.has_end)),
            "clients": int(np.count_nonzero(np.bincount(self.client_code))),  # codes are >= 0
            "first_date": date.fromordinal(int(self.start.min()) + EPOCH_ORDINAL),
            "last_date": date.fromordinal(last + EPOCH_ORDINAL),
        }

    # --- derived columns the engine reads (MODEL.md section 1) -------------------------------

    @property
    def size(self) -> int:
        return len(self.ids)

    @property
    def contracts(self) -> ContractTable:
        """The table itself (for code written when the engine's columns were a separate type)."""
        return self

    @property
    def n_clients(self) -> int:
        """How many client codes there are (a selection keeps the codes of its whole history)."""
        return len(self.clients)

    @functools.cached_property
    def feedback_day(self) -> np.ndarray:
        """The day feedback becomes visible: `feedback_date`, else the end date (MODEL.md 1)."""
        return np.where(self.has_feedback_date, self.feedback_date, self.end)

    @functools.cached_property
    def has_feedback_day(self) -> np.ndarray:
        found: np.ndarray = self.has_feedback_date | self.has_end
        return found

    @functools.cached_property
    def client_groups(self) -> tuple[np.ndarray, np.ndarray]:
        """The contract order that puts each client's together, and where each group starts."""
        order = np.argsort(self.client_code, kind="stable")
        return order, group_starts(self.client_code[order])

    @functools.cached_property
    def grouped_by_client(self) -> tuple[ContractTable, np.ndarray]:
        """The same contracts reordered so each client's are adjacent, and where groups start.

        Evaluations over many dates count distinct clients per window on this order, instead
        of copying a D×N selection into client order for every window.
        """
        order, starts = self.client_groups
        if np.array_equal(order, np.arange(self.size)):
            return self, starts
        return self.take(order), starts

    def select(self, index: np.ndarray) -> ContractTable:
        """The contracts at positions `index`, in that order (client codes are kept)."""
        return self.take(index)

    @functools.cached_property
    def contract_ids(self) -> list[str]:
        """The contract ids, in history order."""
        return list(self.ids)

    @functools.cached_property
    def index_of(self) -> dict[str, int]:
        """contract_id → position in the history."""
        return {cid: i for i, cid in enumerate(self.ids)}

    def titles_by_id(self) -> dict[str, str]:
        """contract_id → title, without building Contract objects."""
        return dict(zip(self.ids, self.titles, strict=True))

    @property
    def client_names(self) -> list[str]:
        """Each contract's client name, in history order."""
        clients = self.clients
        return [clients[code] for code in self.client_code.tolist()]

    def take(self, order: np.ndarray) -> ContractTable:
        """The contracts at positions `order` (a permutation or a selection), in that order."""
        columns = {name: getattr(self, name)[order] for name in _ARRAY_FIELDS}
        return ContractTable(
            ids=_take(self.ids, order),
            titles=_take(self.titles, order),
            clients=self.clients,
            **columns,
        )

    def with_rows(self, changes: Mapping[int, Contract]) -> ContractTable:
        """A copy with the contracts at some positions replaced (a contract closed or edited):
        the columns are copied and the few rows written, instead of a table rebuilt from a
        million Contract objects; the client groups carry over when no client changes."""
        if not changes:
            return self
        positions = np.fromiter(changes, np.int64, len(changes))
        rows = ContractTable.from_contracts(changes.values())
        clients = self.clients
        known = self._client_index
        new_names = [name for name in rows.clients if name not in known]
        if new_names:
            clients = [*clients, *new_names]
            known = {**known, **{name: len(self.clients) + k for k, name in enumerate(new_names)}}
        columns = {name: getattr(self, name).copy() for name in _ARRAY_FIELDS}
        for name in _ARRAY_FIELDS:
            if name != "client_code":
                columns[name][positions] = getattr(rows, name)
        codes = np.array([known[name] for name in rows.clients], dtype=np.int32)
        columns["client_code"][positions] = codes[rows.client_code]
        ids, titles = self.ids, self.titles
        if any(ids[i] != c.contract_id or titles[i] != c.title for i, c in changes.items()):
            ids, titles = list(ids), list(titles)
            for i, contract in changes.items():
                ids[i], titles[i] = contract.contract_id, contract.title
        table = ContractTable(ids=ids, titles=titles, clients=clients, **columns)
        changed = set(_ARRAY_FIELDS) | ({"ids"} if ids is not self.ids else set())
        if np.array_equal(columns["client_code"][positions], self.client_code[positions]):
            changed.discard("client_code")
        return self._carry_derived(table, changed)

    def with_columns(self, **columns: Any) -> ContractTable:
        """A copy with some columns replaced (goal's new contracts appearing one by one); what
        the engine derived from the other columns carries over."""
        return self._carry_derived(replace(self, **columns), set(columns))

    def _carry_derived(self, table: ContractTable, changed: set[str]) -> ContractTable:
        """`table` given the derived columns this table has worked out already (cached
        properties) that depend on none of the `changed` columns: argsorting a million client
        codes again for each of a hundred edited histories took most of goal's time."""
        for name, needs in _DERIVED_FROM.items():
            if name in self.__dict__ and not needs & changed:
                table.__dict__[name] = self.__dict__[name]
        return table

    @functools.cached_property
    def _client_index(self) -> dict[str, int]:
        return {name: code for code, name in enumerate(self.clients)}

    @classmethod
    def concat(cls, tables: Sequence[ContractTable]) -> ContractTable:
        """The contracts of `tables`, one table after the other."""
        clients: dict[str, int] = {}
        codes = []
        for table in tables:
            recode = np.array([clients.setdefault(c, len(clients)) for c in table.clients])
            codes.append(recode[table.client_code] if len(recode) else table.client_code)
        columns = {
            name: np.concatenate([getattr(table, name) for table in tables])
            for name in _ARRAY_FIELDS
            if name != "client_code"
        }
        return cls(
            ids=[cid for table in tables for cid in table.ids],
            titles=[title for table in tables for title in table.titles],
            clients=list(clients),
            client_code=np.concatenate(codes).astype(np.int32),
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
        """Columns from Contract objects (edited histories, tests); a table is kept as is."""
        if isinstance(contracts, ContractTable):
            return contracts
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


#: The cached properties a copy may take over, and the columns each is derived from
#: (`grouped_by_client` is a copy of every column, and `_client_index` depends on `clients`:
#: never taken over).
_DERIVED_FROM: dict[str, set[str]] = {
    "client_groups": {"client_code"},
    "index_of": {"ids"},
    "contract_ids": {"ids"},
    "feedback_day": {"feedback_date", "has_feedback_date", "end"},
    "has_feedback_day": {"has_feedback_date", "has_end"},
}

#: The numpy columns of a table (taken, concatenated and selected together).
_ARRAY_FIELDS: tuple[str, ...] = tuple(
    f.name for f in fields(ContractTable) if f.name not in ("ids", "titles", "clients")
)


def group_starts(sorted_codes: np.ndarray) -> np.ndarray:
    """Where each run of equal codes starts in `sorted_codes`."""
    if len(sorted_codes) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])


class _Reordered(Sequence[str]):
    """`base` read in the order `order`: reordering a million ids copies no string."""

    __slots__ = ("base", "order")

    def __init__(self, base: Sequence[str], order: np.ndarray) -> None:
        self.base, self.order = base, order

    def __len__(self) -> int:
        return len(self.order)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self.base[i] for i in self.order[index].tolist()]
        return self.base[int(self.order[index])]


def _take(values: Sequence[str], order: np.ndarray) -> Sequence[str]:
    if isinstance(values, _Reordered):
        return _Reordered(values.base, values.order[order])
    return _Reordered(values, order)
