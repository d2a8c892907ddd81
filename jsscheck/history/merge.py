"""Merging the rows of every input into validated contracts (FORMATS.md sections 3-4)."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

from jsscheck.errors import Problem
from jsscheck.history.columns import NO_DAY, Columns
from jsscheck.history.distinct import codes_of
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
from jsscheck.model.contract import REQUIRED_FIELDS
from jsscheck.model.table import DAY, ContractTable, TextColumn
from jsscheck.model.text import brief, visible

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
#: At most this many "appears again, identical" warnings per input; the rest are counted.
MAX_IDENTICAL_ROW_WARNINGS = 20


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
    return brief(value)


def _where(row: Row | list[Any]) -> str:
    location = row[LOCATION_SLOT]
    return f"{row[FILE_SLOT]}:{location}" if location != "" else row[FILE_SLOT]


def merge(parts: list[ParsedFile]) -> tuple[ContractTable, list[Problem], list[str]]:
    """Merge the rows of `parts` (in input order) and validate every contract.

    Returns the contracts in first-seen order, every problem and every warning. Rows are
    handled as columns; only the rows of a contract id seen more than once become tuples to
    be merged field by field, and only invalid contracts are looked at one by one.
    """
    problems: list[Problem] = []
    warnings: list[str] = []
    invalid: set[tuple[str, str]] = set()
    tables = [part.take_columns() for part in parts]
    repeated = _repeated_ids([table.ids for table in tables])
    current: dict[str, Row | list[Any]] = {}
    merged: dict[str, _Merged] = {}
    for part, table in zip(parts, tables, strict=True):
        problems.extend(part.problems)
        warnings.extend(part.warnings)
        invalid |= part.invalid
        if not repeated:
            continue
        rows = [table.row(i) for i, cid in enumerate(table.ids) if cid in repeated]
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
                state = merged[contract_id] = _Merged(tuple(earlier))
            values = earlier if isinstance(earlier, list) else list(earlier)
            state.rows.append(row)
            current[contract_id] = _merge_row(contract_id, values, row, state, warnings)

    column_missing = _missing_columns(parts, problems)
    every = Columns.concat(tables)
    del tables
    if repeated:
        first: dict[str, int] = {}
        for position, contract_id in enumerate(every.ids):
            first.setdefault(contract_id, position)  # type: ignore[arg-type]
        every = every.take(np.fromiter(first.values(), np.int64, len(first)))
        every.set_values(
            {
                position: current[contract_id]
                for position, contract_id in enumerate(every.ids)
                if contract_id in current
            }
        )
    return _finish(every, current, merged, invalid, column_missing, problems), problems, warnings


def _repeated_ids(columns: list[TextColumn]) -> set[str]:
    """The contract ids found on more than one row of all the inputs together.

    Ids are compared by hash first (8 bytes a row, not a set of a million strings); only ids
    whose hash repeats are compared as strings.
    """
    if len(columns) == 1 and (found := codes_of(columns[0])) is not None:
        codes, first = found
        counts = np.bincount(codes, minlength=len(first))
        return {columns[0][i] for i in first[counts > 1].tolist()}
    empty = np.zeros(0, np.int64)
    hashes = np.concatenate(
        [np.fromiter(map(hash, ids), np.int64, len(ids)) for ids in columns] or [empty]
    )
    distinct, counts = np.unique(hashes, return_counts=True)
    suspects = set(distinct[counts > 1].tolist())
    repeated: set[str] = set()
    if suspects:
        seen: set[str] = set()
        for ids in columns:
            for cid in ids:
                if hash(cid) in suspects:
                    if cid in seen:
                        repeated.add(cid)
                    seen.add(cid)  # type: ignore[arg-type]
    return repeated


def _drop_same_file_duplicates(
    rows: list[Row], problems: list[Problem], warnings: list[str]
) -> list[Row]:
    """The rows of one input with repeated contract ids removed: identical repeats are merged
    with a warning, different ones are problems (FORMATS.md section 3)."""
    kept: dict[str, Row] = {}
    identical = 0
    for row in rows:
        contract_id = row[_ID]
        earlier = kept.get(contract_id)
        if earlier is None:
            kept[contract_id] = row
            continue
        differing = [name for slot, name in enumerate(ROW_FIELDS) if earlier[slot] != row[slot]]
        if not differing:
            identical += 1
            if identical <= MAX_IDENTICAL_ROW_WARNINGS:
                warnings.append(
                    f"{_where(row)}: contract {brief(contract_id)} appears again, identical to "
                    f"{earlier[LOCATION_SLOT]}; counted once"
                )
            continue
        problems.append(
            Problem(
                row[FILE_SLOT],
                str(row[LOCATION_SLOT]),
                "contract_id",
                f"contract {brief(contract_id)} appears twice with different values "
                f"(also at {earlier[LOCATION_SLOT]}; {', '.join(differing)} differ)",
                None,
                "keep one row per contract, or give different contracts different ids",
            )
        )
    extra = identical - MAX_IDENTICAL_ROW_WARNINGS
    if extra > 0:
        warnings.append(
            f"{rows[0][FILE_SLOT]}: … and {extra} more identical row{'s' if extra != 1 else ''} "
            "counted once"
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
            f"contract {brief(contract_id)}: {ROW_FIELDS[slot]} is {_text(old)} in "
            f"{_where(old_row)} but {_text(new)} in {_where(row)}; using {_text(winner)} ({reason})"
        )
    return values


def _missing_columns(parts: list[ParsedFile], problems: list[Problem]) -> set[str]:
    """Required fields no input has a column for: one problem per file, not one per contract.

    Only when every input is canonical: with an Upwork export, each contract says what it lacks.
    """
    with_rows = [part for part in parts if part.rows_read]
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
    every: Columns,
    current: dict[str, Row | list[Any]],
    merged: dict[str, _Merged],
    invalid: set[tuple[str, str]],
    column_missing: set[str],
    problems: list[Problem],
) -> ContractTable:
    """Validate every merged contract (required values, date order) into the final table."""
    values = every.values
    start = values["start_date"]
    # FORMATS.md 2b: the first payment stands in for a start date no other source gives.
    start = np.where(start == NO_DAY, values["first_payment_date"], start)
    end, feedback_day = values["end_date"], values["feedback_date"]
    bad = (start == NO_DAY) | np.isnan(values["earnings"])
    bad |= (end != NO_DAY) & (end < start)
    bad |= (feedback_day != NO_DAY) & (feedback_day < start)
    missing_client = values["client"].missing
    if missing_client is not None:
        bad |= missing_client
    if bad.any():
        ids = every.ids
        for position in np.flatnonzero(bad).tolist():
            contract_id = ids[position]
            row = current.get(contract_id) or every.row(position)  # type: ignore[arg-type]
            _problems_of(
                contract_id,  # type: ignore[arg-type]
                row,
                merged.get(contract_id),  # type: ignore[arg-type]
                invalid,
                column_missing,
                problems,
            )
        good = np.flatnonzero(~bad)
        every, start = every.take(good), start[good]
    return _table(every, start)


def _client_codes(clients: TextColumn) -> tuple[np.ndarray, list[str]]:
    """Each row's client code, and the distinct clients in first-seen order."""
    found = codes_of(clients)
    if found is not None:
        codes, first = found
        text, starts, ends = clients.text, clients.bounds[first].tolist(), clients.bounds[first + 1]
        return codes, [text[a:b] for a, b in zip(starts, ends.tolist(), strict=True)]
    names = list(clients)
    lookup = {client: code for code, client in enumerate(dict.fromkeys(names))}
    codes = np.fromiter(map(lookup.__getitem__, names), np.int32, len(names))
    return codes, list(lookup)  # type: ignore[arg-type]


def _table(every: Columns, start: np.ndarray) -> ContractTable:
    values = every.values
    client_code, names = _client_codes(values["client"])
    titles: TextColumn = values["title"]
    titles = TextColumn(titles.text, titles.bounds)  # a missing title is empty

    def day_column(name: str) -> tuple[np.ndarray, np.ndarray]:
        days = values[name]
        present = days != NO_DAY
        return np.where(present, days, 0).astype(DAY), present

    end, has_end = day_column("end_date")
    last_payment, has_last_payment = day_column("last_payment_date")
    feedback_date, has_feedback_date = day_column("feedback_date")
    return ContractTable(
        ids=values["contract_id"],
        titles=titles,  # type: ignore[arg-type]
        clients=names,
        client_code=client_code,
        start=start.astype(DAY),
        end=end,
        has_end=has_end,
        last_payment=last_payment,
        has_last_payment=has_last_payment,
        feedback_date=feedback_date,
        has_feedback_date=has_feedback_date,
        earnings=values["earnings"],
        public=values["public_feedback"],
        private=values["private_feedback"],
        disputed=values["disputed"] == 1,
        flagged=values["client_flagged"] == 1,
        excluded=values["excluded"] == 1,
        paid_periods=values["paid_periods"],
    )


def _problems_of(
    contract_id: str,
    row: Row | list[Any],
    state: _Merged | None,
    invalid: set[tuple[str, str]],
    column_missing: set[str],
    problems: list[Problem],
) -> None:
    """The problems of a contract that cannot be scored: required values, date order."""
    start = row[_START]
    if start is None:
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
        return
    _date_order_problems(row, state, start, problems)


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
    return "the contract on this line" if looks_like_row else f"contract {visible(contract_id)}"


def _export_hint(kinds: set[str], missing: list[str]) -> str:
    """Which other export could give what is missing (FORMATS.md 2)."""
    if WORK_HISTORY_KIND in kinds:
        return ""
    if kinds == {WEEKLY_KIND} and "client" in missing:
        return (
            " (or also pass the Transaction History, which gives clients, or the profile's "
            "work-history JSON)"
        )
    return " (or also pass the profile's work-history JSON)"


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
            f"not known for contract {brief(contract_id)}: it is only in the Weekly Summary, "
            "which has no client, end date or feedback"
        )
        columns = ",".join(["contract_id", *lacking])
    else:
        why = f"not known for contract {brief(contract_id)}: no input gives it"
        columns = ",".join(["contract_id", *missing])
    return Problem(
        file_name,
        location,
        ", ".join(missing),
        why,
        None,
        f"add a CSV of your own keyed by contract_id with the columns {columns}"
        + _export_hint(kinds, missing),
    )
