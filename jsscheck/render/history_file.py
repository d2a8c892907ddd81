"""Writing contracts as a canonical history (FORMATS.md section 1): CSV or JSON.

What `jsscheck import` produces for the user to edit: every canonical column in order, dates
`YYYY-MM-DD`, booleans `true`/`false`, numbers as numbers. Reading the output back gives the
same contracts (text cells aside that had to be protected against spreadsheet formulas).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from jsscheck.files import write_atomic
from jsscheck.model.contract import FIELDS, Contract
from jsscheck.render import schemas
from jsscheck.render.csvsafe import safe_cell, writer

OUTPUT_FORMATS: tuple[str, ...] = ("csv", "json")
JSON_SCHEMA = schemas.HISTORY
#: A text cell starting with one of these is a formula to a spreadsheet (CLI.md, "Output").


def format_for_path(path: str | None) -> str:
    """The output format a file name suggests: json for `.json`, else csv."""
    return "json" if path is not None and path.lower().endswith(".json") else "csv"


def contracts_to_csv(contracts: Iterable[Contract]) -> str:
    """The contracts as canonical CSV text (header = every field, in canonical order)."""
    buffer = io.StringIO()
    out = writer(buffer)
    out.writerow(FIELDS)
    for contract in contracts:
        out.writerow([safe_cell(getattr(contract, name)) for name in FIELDS])
    return buffer.getvalue()


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
