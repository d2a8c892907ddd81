"""Merging the rows of every input into validated contracts (FORMATS.md sections 3-4)."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any

from jsscheck.errors import Problem
from jsscheck.history.tables import (
    FILE_SLOT,
    KIND_SLOT,
    LOCATION_SLOT,
    ROW_FIELDS,
    SLOT,
    ParsedFile,
    Row,
    accepted_names,
)
from jsscheck.history.upwork import WEEKLY_KIND, WEEKLY_LACKS, WORK_HISTORY_KIND
from jsscheck.model import REQUIRED_FIELDS, Contract

_REQUIRED_VALUE_FIX = {
    "client": "write the client's name or id (it counts distinct clients)",
    "start_date": "write the date the contract started, e.g. 2026-08-21",
    "earnings": "write the total paid in USD, 0 if nothing was paid",
}
_ID, _CLIENT, _START, _EARNINGS = (SLOT[name] for name in REQUIRED_FIELDS)
_END, _FEEDBACK_DATE, _FIRST_PAYMENT = (
    SLOT["end_date"],
    SLOT["feedback_date"],
    SLOT["first_payment_date"],
)
_VALUE_SLOTS = range(len(ROW_FIELDS))

# Contracts are built positionally from the row (a million keyword calls cost a second more):
# the row's field order must be Contract's.
if (
    tuple(f.name for f in fields(Contract)) != ROW_FIELDS[: len(fields(Contract))]
):  # pragma: no cover
    raise ImportError("jsscheck.model.Contract changed its field order: update ROW_FIELDS")


class _Merged:
    """A contract with rows from several inputs: which row gave each field, and every row."""

    __slots__ = ("origin", "rows")

    def __init__(self, first: Row) -> None:
        self.origin: dict[int, Row] = {}
        self.rows = [first]


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _where(row: Row) -> str:
    location = row[LOCATION_SLOT]
    return f"{row[FILE_SLOT]}:{location}" if location != "" else row[FILE_SLOT]


def merge(parts: list[ParsedFile]) -> tuple[list[Contract], list[Problem], list[str]]:
    """Merge the rows of `parts` (in input order) and validate every contract.

    Returns the contracts in first-seen order, every problem and every warning.
    """
    problems: list[Problem] = []
    warnings: list[str] = []
    invalid: set[tuple[str, str]] = set()
    current: dict[str, Row | list[Any]] = {}
    merged: dict[str, _Merged] = {}
    for part in parts:
        problems.extend(part.problems)
        warnings.extend(part.warnings)
        invalid |= part.invalid
        rows = part.rows
        ids = [row[_ID] for row in rows]
        if len(set(ids)) < len(ids):
            rows = _drop_same_file_duplicates(rows, problems, warnings)
        if not current:
            current = {row[_ID]: row for row in rows}
            continue
        for row in rows:
            contract_id = row[_ID]
            earlier = current.get(contract_id)
            if earlier is None:
                current[contract_id] = row
                continue
            state = merged.get(contract_id)
            if state is None:
                state = merged[contract_id] = _Merged(earlier)
                earlier = list(earlier)
            state.rows.append(row)
            current[contract_id] = _merge_row(contract_id, earlier, row, state, warnings)

    column_missing = _missing_columns(parts, problems)
    contracts: list[Contract] = []
    for contract_id, row in current.items():
        contract = _finish(
            contract_id, row, merged.get(contract_id), invalid, column_missing, problems
        )
        if contract is not None:
            contracts.append(contract)
    return contracts, problems, warnings


def _drop_same_file_duplicates(
    rows: list[Row], problems: list[Problem], warnings: list[str]
) -> list[Row]:
    """The rows of one input with repeated contract ids removed: identical repeats are merged
    with a warning, different ones are problems (FORMATS.md section 3)."""
    kept: dict[str, Row] = {}
    for row in rows:
        contract_id = row[_ID]
        earlier = kept.get(contract_id)
        if earlier is None:
            kept[contract_id] = row
            continue
        differing = [name for slot, name in enumerate(ROW_FIELDS) if earlier[slot] != row[slot]]
        if not differing:
            warnings.append(
                f"{_where(row)}: contract {contract_id} appears again, identical to "
                f"{earlier[LOCATION_SLOT]}; counted once"
            )
            continue
        problems.append(
            Problem(
                row[FILE_SLOT],
                str(row[LOCATION_SLOT]),
                "contract_id",
                f"contract {contract_id} appears twice with different values "
                f"(also at {earlier[LOCATION_SLOT]}; {', '.join(differing)} differ)",
                None,
                "keep one row per contract, or give different contracts different ids",
            )
        )
    return list(kept.values())


def _merge_row(
    contract_id: str, values: list[Any], row: Row, state: _Merged, warnings: list[str]
) -> list[Any]:
    """Merge `row` into `values` field by field (FORMATS.md section 4)."""
    first = state.rows[0]
    for slot in _VALUE_SLOTS:
        new = row[slot]
        if new is None:
            continue
        old = values[slot]
        if old is None:
            values[slot] = new
            state.origin[slot] = row
            continue
        if old == new:
            continue
        old_row = state.origin.get(slot, first)
        old_kind, new_kind = old_row[KIND_SLOT], row[KIND_SLOT]
        if old_kind == "canonical" and new_kind != "canonical":
            winner, reason = old, "your own file wins over an Upwork export"
        else:
            winner = new
            reason = (
                "your own file wins over an Upwork export"
                if new_kind == "canonical" and old_kind != "canonical"
                else "the later file wins"
            )
            values[slot] = new
            state.origin[slot] = row
        warnings.append(
            f"contract {contract_id}: {ROW_FIELDS[slot]} is {_text(old)} in {_where(old_row)} "
            f"but {_text(new)} in {_where(row)}; using {_text(winner)} ({reason})"
        )
    return values


def _missing_columns(parts: list[ParsedFile], problems: list[Problem]) -> set[str]:
    """Required fields no input has a column for: one problem per file, not one per contract.

    Only when every input is canonical: with an Upwork export, each contract says what it lacks.
    """
    with_rows = [part for part in parts if part.rows]
    if not with_rows or any(part.kind in (WEEKLY_KIND, WORK_HISTORY_KIND) for part in parts):
        return set()
    provided = set().union(*(part.provides for part in with_rows))
    missing = {name for name in REQUIRED_FIELDS if name not in provided}
    for name in REQUIRED_FIELDS:
        if name in missing:
            problems.extend(
                Problem(
                    part.name,
                    part.header_location,
                    name,
                    "required column missing",
                    None,
                    f"add a column named {accepted_names(name)}",
                )
                for part in with_rows
            )
    return missing


def _finish(
    contract_id: str,
    row: Row | list[Any],
    state: _Merged | None,
    invalid: set[tuple[str, str]],
    column_missing: set[str],
    problems: list[Problem],
) -> Contract | None:
    start = row[_START]
    if start is None:
        # FORMATS.md 2b: the first payment stands in for a start date no other source gives.
        start = row[_FIRST_PAYMENT]
    if start is None or row[_CLIENT] is None or row[_EARNINGS] is None:
        values = {name: row[SLOT[name]] for name in REQUIRED_FIELDS}
        values["start_date"] = start
        missing = [
            name
            for name in REQUIRED_FIELDS
            if values[name] is None
            and (contract_id, name) not in invalid
            and name not in column_missing
        ]
        if missing:
            kinds = {r[KIND_SLOT] for r in state.rows} if state else {row[KIND_SLOT]}
            problems.append(_missing_problem(contract_id, row, kinds, missing))
        return None
    end, feedback_day = row[_END], row[_FEEDBACK_DATE]
    if (end is not None and end < start) or (feedback_day is not None and feedback_day < start):
        _date_order_problems(row, state, start, problems)
        return None
    return Contract(
        contract_id,
        row[_CLIENT],
        start,
        row[_EARNINGS],
        row[4] or "",
        *row[5:10],
        row[10] is True,
        row[11] is True,
        row[12] is True,
        row[13],
    )


def _date_order_problems(
    row: Row | list[Any], state: _Merged | None, start: date, problems: list[Problem]
) -> None:
    first = state.rows[0] if state else row
    start_source = state.origin.get(_START, first) if state else first
    for slot in (_END, _FEEDBACK_DATE):
        value = row[slot]
        if value is None or value >= start:
            continue
        source = state.origin.get(slot, first) if state else first
        start_where = "" if start_source is source else f" in {_where(start_source)}"
        problems.append(
            Problem(
                source[FILE_SLOT],
                str(source[LOCATION_SLOT]),
                ROW_FIELDS[slot],
                f"before start_date {start.isoformat()}{start_where}",
                value.isoformat(),
                "correct either date: it cannot be before the contract started",
            )
        )


def _contract_ref(contract_id: str) -> str:
    """How a message names a contract: by its id, unless the id cell is really a whole row
    (a file split on the wrong delimiter), which must not be echoed (privacy, readability)."""
    looks_like_row = len(contract_id) > 40 or any(ch in contract_id for ch in ",;\t\n")
    return "the contract on this line" if looks_like_row else f"contract {contract_id}"


def _missing_problem(
    contract_id: str, row: Row | list[Any], kinds: set[str], missing: list[str]
) -> Problem:
    file_name, location = row[FILE_SLOT], str(row[LOCATION_SLOT])
    if kinds == {"canonical"}:
        if len(missing) == 1:
            return Problem(
                file_name,
                location,
                missing[0],
                "required value is empty",
                None,
                _REQUIRED_VALUE_FIX.get(missing[0]),
            )
        return Problem(
            file_name,
            location,
            ", ".join(missing),
            "required values are empty",
            None,
            f"fill in {', '.join(missing)} of {_contract_ref(contract_id)}",
        )
    if kinds == {WEEKLY_KIND}:
        lacking = [name for name in WEEKLY_LACKS if row[SLOT[name]] is None]
        why = (
            f"not known for contract {contract_id}: it is only in the Weekly Summary, which has "
            "no client, end date or feedback"
        )
        columns = ",".join(["contract_id", *lacking])
    else:
        why = f"not known for contract {contract_id}: no input gives it"
        columns = ",".join(["contract_id", *missing])
    return Problem(
        file_name,
        location,
        ", ".join(missing),
        why,
        None,
        f"add a CSV of your own keyed by contract_id with the columns {columns}"
        + ("" if WORK_HISTORY_KIND in kinds else " (or also pass the profile's work-history JSON)"),
    )
