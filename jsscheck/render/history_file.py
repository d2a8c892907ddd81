"""Writing contracts as a canonical history (FORMATS.md section 1): CSV or JSON.

What `jsscheck import` produces for the user to edit: every canonical column in order, dates
`YYYY-MM-DD`, booleans `true`/`false`, numbers as numbers. Reading the output back gives the
same contracts (text cells aside that had to be protected against spreadsheet formulas).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from jsscheck.files import write_atomic
from jsscheck.model.contract import FIELDS, Contract
from jsscheck.model.days import EPOCH_ORDINAL
from jsscheck.model.table import ContractTable
from jsscheck.render import schemas
from jsscheck.render.csvsafe import FORMULA_START, INVISIBLE, safe_cell, writer

OUTPUT_FORMATS: tuple[str, ...] = ("csv", "json")
JSON_SCHEMA = schemas.HISTORY


def format_for_path(path: str | None) -> str:
    """The output format a file name suggests: json for `.json`, else csv."""
    return "json" if path is not None and path.lower().endswith(".json") else "csv"


def contracts_to_csv(contracts: Iterable[Contract]) -> str:
    """The contracts as canonical CSV text (header = every field, in canonical order).

    Written from the table's columns, CSV_ROWS rows at a time (each distinct date, client and
    flag made text once), never a `Contract` per row: a million contracts take seconds, not
    twenty, and the cells of one chunk only are Python objects at a time. The cells are
    exactly `safe_cell` of each contract's values.
    """
    table = ContractTable.of(contracts)
    buffer = io.StringIO()
    out = writer(buffer)
    out.writerow(FIELDS)
    clients = [_safe_text(client) for client in table.clients]
    ids, titles = iter(table.ids), iter(table.titles)
    for first in range(0, len(table), CSV_ROWS):
        rows = slice(first, min(first + CSV_ROWS, len(table)))
        columns = _csv_columns(table, rows, clients, ids, titles)
        out.writerows(zip(*columns, strict=True))
    return buffer.getvalue()


#: Rows made into cells at a time by `contracts_to_csv`.
CSV_ROWS = 50_000


def _csv_columns(
    table: ContractTable,
    rows: slice,
    clients: list[str],
    ids: Iterator[str | None],
    titles: Iterator[str | None],
) -> list[list[Any]]:
    """The cells of `rows`, field by field in FIELDS order (`ids` and `titles` iterate the
    table's columns from the first of `rows` on)."""
    n = rows.stop - rows.start
    paid = table.paid_periods[rows]
    by_field: dict[str, list[Any]] = {
        "contract_id": [_safe_text(value) for value in islice(ids, n)],
        "client": list(map(clients.__getitem__, table.client_code[rows].tolist())),
        "title": [_safe_text(value) for value in islice(titles, n)],
        "start_date": _dates(table.start[rows], None),
        "end_date": _dates(table.end[rows], table.has_end[rows]),
        "last_payment_date": _dates(table.last_payment[rows], table.has_last_payment[rows]),
        "earnings": table.earnings[rows].tolist(),
        "public_feedback": _numbers(table.public[rows], float),
        "private_feedback": _numbers(table.private[rows], int),
        "feedback_date": _dates(table.feedback_date[rows], table.has_feedback_date[rows]),
        "disputed": _flags(table.disputed[rows]),
        "client_flagged": _flags(table.flagged[rows]),
        "excluded": _flags(table.excluded[rows]),
        "paid_periods": _numbers(np.where(paid < 0, np.nan, paid), int),
    }
    return [by_field[name] for name in FIELDS]


#: First characters after which `safe_cell` may change a text cell (the rest pass as they are).
_LOOK_CLOSER = frozenset(FORMULA_START) | frozenset(INVISIBLE + " \n\v\f\u00a0\u3000")


def _safe_text(value: str | None) -> str:
    if value is None:
        return ""
    return value if value[:1] not in _LOOK_CLOSER else str(safe_cell(value))


def _dates(days: np.ndarray, present: np.ndarray | None) -> list[str]:
    text = {
        day: date.fromordinal(day + EPOCH_ORDINAL).isoformat() for day in np.unique(days).tolist()
    }
    cells: list[str] = list(map(text.__getitem__, days.tolist()))
    if present is not None:
        for i in np.flatnonzero(~present).tolist():
            cells[i] = ""
    return cells


def _numbers(values: np.ndarray, kind: type[float] | type[int]) -> list[Any]:
    """The values as Python numbers of `kind`, NaN as an empty cell."""
    missing = np.isnan(values)
    cells = np.full(len(values), "", dtype=object)
    given = values[~missing]
    cells[~missing] = (given.astype(np.int64) if kind is int else given).astype(object)
    result: list[Any] = cells.tolist()
    return result


def _flags(values: np.ndarray) -> list[str]:
    flags: list[str] = np.where(values, "true", "false").tolist()
    return flags


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def contracts_to_json(contracts: Iterable[Contract]) -> str:
    """The contracts as canonical JSON: `{"schema": ..., "contracts": [...]}`."""
    document = {
        "schema": JSON_SCHEMA,
        "contracts": [
            {name: _json_value(getattr(contract, name)) for name in FIELDS}
            for contract in contracts
        ],
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def render_contracts(contracts: Iterable[Contract], output_format: str) -> str:
    """The contracts as text in `output_format` ("csv" or "json")."""
    if output_format == "json":
        return contracts_to_json(contracts)
    if output_format == "csv":
        return contracts_to_csv(contracts)
    raise ValueError(f"unknown output format {output_format!r}")


def write_contracts(contracts: Iterable[Contract], path: str | Path, output_format: str) -> None:
    """Write the contracts to `path` atomically, as a 0600 file (they are the user's data).

    A crash leaves the previous file or none, never half of one. Raises `OutputError` (exit 73)
    when the file cannot be created or written.
    """
    write_atomic(path, render_contracts(contracts, output_format).encode("utf-8"), mode=0o600)
