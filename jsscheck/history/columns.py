"""Rows of the inputs stored by field, before merging (the reader's side of `ContractTable`).

A row as a tuple of Python objects costs about 700 bytes; a 200 MB export has 1.5 million of
them. `Columns` keeps the text fields as lists of strings and every other field as a numpy
array with a "missing" code, so reading takes little more memory than the contracts' text.
`row(i)` gives the old tuple (`tables.Row`) back for the few rows that need one: those that
are merged or reported.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from jsscheck.history.tables import ROW_FIELDS, Row
from jsscheck.model.days import EPOCH_ORDINAL
from jsscheck.model.table import TextColumn

#: A missing date in a day column.
NO_DAY = np.iinfo(np.int32).min
#: A missing yes/no value in a flag column (0 is no, 1 is yes).
NO_FLAG = -1
#: A missing count in an integer column.
NO_COUNT = -1

TEXT = ("contract_id", "client", "title")
DATES = ("start_date", "end_date", "last_payment_date", "feedback_date", "first_payment_date")
FLAGS = ("disputed", "client_flagged", "excluded")
NUMBERS = ("earnings", "public_feedback", "private_feedback")
COUNTS = ("paid_periods",)
assert set(TEXT + DATES + FLAGS + NUMBERS + COUNTS) == set(ROW_FIELDS)


def _days(values: Sequence[date | None]) -> np.ndarray:
    lookup: dict[date | None, int] = {
        day: day.toordinal() - EPOCH_ORDINAL for day in set(values) if day is not None
    }
    lookup[None] = NO_DAY
    return np.fromiter(map(lookup.__getitem__, values), np.int32, len(values))


def _flags(values: Sequence[bool | None]) -> np.ndarray:
    lookup = {None: NO_FLAG, False: 0, True: 1}
    return np.fromiter(map(lookup.__getitem__, values), np.int8, len(values))


def _numbers(values: Sequence[float | None]) -> np.ndarray:
    return np.array(values, dtype=np.float64)  # None converts to NaN


def _counts(values: Sequence[int | None]) -> np.ndarray:
    lookup: dict[int | None, int] = {v: v for v in set(values) if v is not None}
    lookup[None] = NO_COUNT
    return np.fromiter(map(lookup.__getitem__, values), np.int64, len(values))


_ENCODERS: dict[str, Any] = {
    **dict.fromkeys(DATES, _days),
    **dict.fromkeys(FLAGS, _flags),
    **dict.fromkeys(NUMBERS, _numbers),
    **dict.fromkeys(COUNTS, _counts),
}
#: Each non-text field's missing code and dtype.
MISSING: dict[str, tuple[Any, Any]] = {
    **dict.fromkeys(DATES, (NO_DAY, np.int32)),
    **dict.fromkeys(FLAGS, (NO_FLAG, np.int8)),
    **dict.fromkeys(NUMBERS, (math.nan, np.float64)),
    **dict.fromkeys(COUNTS, (NO_COUNT, np.int64)),
}


def encode_values(name: str, values: Sequence[Any]) -> np.ndarray:
    """Parsed values of a non-text field as its column holds them (None as the missing code)."""
    encoded: np.ndarray = _ENCODERS[name](values)
    return encoded


def _decoder(name: str) -> Any:
    if name in TEXT:
        return lambda column, i: column[i]
    if name in DATES:

        def day(column: np.ndarray, i: int) -> date | None:
            value = int(column[i])
            return None if value == NO_DAY else date.fromordinal(value + EPOCH_ORDINAL)

        return day
    if name in FLAGS:
        return lambda column, i: None if column[i] == NO_FLAG else bool(column[i])
    if name == "private_feedback":
        return lambda column, i: None if math.isnan(column[i]) else int(column[i])
    if name in NUMBERS:
        return lambda column, i: None if math.isnan(column[i]) else float(column[i])
    return lambda column, i: None if column[i] == NO_COUNT else int(column[i])


_DECODERS = [(name, _decoder(name)) for name in ROW_FIELDS]


@dataclass
class Columns:
    """Rows by field (every name of `ROW_FIELDS`), with where each row came from.

    `origins` lists the (input name, reader kind) of the inputs; `source[i]` is the origin of
    row i and `locations[i]` its place in that input (a line number, or a JSON path).
    """

    values: dict[str, Any]
    locations: np.ndarray | list[Any]
    origins: list[tuple[str, str]]
    source: np.ndarray

    def __len__(self) -> int:
        return len(self.values["contract_id"])

    @property
    def ids(self) -> TextColumn:
        return self.values["contract_id"]  # type: ignore[no-any-return]

    @classmethod
    def encode(
        cls,
        parsed: dict[str, list[Any]],
        locations: list[Any] | np.ndarray,
        file: str,
        kind: str,
    ) -> Columns:
        """Columns from parsed values per field (fields not given are missing in every row)."""
        n = len(locations)
        values: dict[str, Any] = {}
        for name in ROW_FIELDS:
            given = parsed.get(name)
            if name in TEXT:
                if given is None:
                    values[name] = TextColumn("", np.zeros(n + 1, np.int64), np.ones(n, bool))
                else:
                    values[name] = TextColumn.of(given)
            elif given is None:
                missing, dtype = MISSING[name]
                values[name] = np.full(n, missing, dtype=dtype)
            else:
                values[name] = _ENCODERS[name](given)
        if isinstance(locations, np.ndarray):
            where: np.ndarray | list[Any] = locations.astype(np.int64, copy=False)
        elif all(type(location) is int for location in locations):
            where = np.array(locations, dtype=np.int64)
        else:
            where = list(locations)
        return cls(values, where, [(file, kind)], np.zeros(n, dtype=np.int16))

    @classmethod
    def of_values(
        cls, values: dict[str, Any], locations: np.ndarray, file: str, kind: str
    ) -> Columns:
        """Columns from columns encoded already (fields not given are missing in every row)."""
        n = len(locations)
        full: dict[str, Any] = {}
        for name in ROW_FIELDS:
            given = values.get(name)
            if given is not None:
                full[name] = given
            elif name in TEXT:
                full[name] = TextColumn("", np.zeros(n + 1, np.int64), np.ones(n, bool))
            else:
                missing, dtype = MISSING[name]
                full[name] = np.full(n, missing, dtype=dtype)
        where = np.asarray(locations, dtype=np.int64)
        return cls(full, where, [(file, kind)], np.zeros(n, dtype=np.int16))

    @classmethod
    def from_rows(cls, rows: list[Row]) -> Columns:
        """Columns from row tuples (the Upwork readers build rows one at a time)."""
        file_slot = len(ROW_FIELDS)
        by_field = {name: [row[slot] for row in rows] for slot, name in enumerate(ROW_FIELDS)}
        columns = cls.encode(by_field, [row[file_slot + 1] for row in rows], "", "")
        codes: dict[tuple[str, str], int] = {}
        columns.source = np.fromiter(
            (codes.setdefault((row[file_slot], row[file_slot + 2]), len(codes)) for row in rows),
            np.int16,
            len(rows),
        )
        columns.origins = list(codes)
        return columns

    @classmethod
    def concat(cls, parts: Sequence[Columns]) -> Columns:
        """The rows of `parts`, one after the other (a single part is returned as it is).

        The parts are emptied column by column as they are joined, so that a large input is
        not held twice: do not use them afterwards.
        """
        if len(parts) == 1:
            return parts[0]
        values: dict[str, Any] = {}
        for name in ROW_FIELDS:
            columns = [part.values.pop(name) for part in parts]
            if name in TEXT:
                values[name] = TextColumn.concat(columns)
            else:
                values[name] = np.concatenate(columns)
        if all(isinstance(part.locations, np.ndarray) for part in parts):
            locations: np.ndarray | list[Any] = np.concatenate([p.locations for p in parts])
        else:
            locations = [
                location
                for part in parts
                for location in (
                    part.locations.tolist()
                    if isinstance(part.locations, np.ndarray)
                    else part.locations
                )
            ]
        origins: list[tuple[str, str]] = []
        sources = []
        for part in parts:
            sources.append(part.source + len(origins))
            origins.extend(part.origins)
        return cls(values, locations, origins, np.concatenate(sources).astype(np.int16))

    def take(self, index: np.ndarray) -> Columns:
        """The rows at positions `index`, in that order."""
        values = {
            name: column.take(index) if name in TEXT else column[index]
            for name, column in self.values.items()
        }
        if isinstance(self.locations, np.ndarray):
            locations: np.ndarray | list[Any] = self.locations[index]
        else:
            locations = [self.locations[i] for i in index.tolist()]
        return Columns(values, locations, self.origins, self.source[index])

    def row(self, i: int) -> Row:
        """Row i as a tuple: decoded values, then its input's name, its location and kind."""
        file, kind = self.origins[int(self.source[i])]
        location = self.locations[i]
        return (
            *(decode(self.values[name], i) for name, decode in _DECODERS),
            file,
            int(location) if isinstance(self.locations, np.ndarray) else location,
            kind,
        )

    def set_values(self, changes: dict[int, Sequence[Any]]) -> None:
        """Overwrite the field values of some rows with those of (merged) rows."""
        for slot, name in enumerate(ROW_FIELDS):
            if name in TEXT:
                column = self.values[name]
                self.values[name] = column.replaced({i: row[slot] for i, row in changes.items()})
                continue
            positions = np.fromiter(changes, np.int64, len(changes))
            self.values[name][positions] = _ENCODERS[name]([row[slot] for row in changes.values()])
