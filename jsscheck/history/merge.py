"""Merging the records of every input into validated contracts (FORMATS.md sections 3-4)."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any

from jsscheck.errors import Problem
from jsscheck.history.tables import ParsedFile, accepted_names
from jsscheck.history.upwork import WEEKLY_KIND, WEEKLY_LACKS, WORK_HISTORY_KIND
from jsscheck.model import REQUIRED_FIELDS, Contract, SourceRecord

_REQUIRED_VALUE_FIX = {
    "client": "write the client's name or id (it counts distinct clients)",
    "start_date": "write the date the contract started, e.g. 2026-08-21",
    "earnings": "write the total paid in USD, 0 if nothing was paid",
}


_NO_ORIGIN: dict[str, SourceRecord] = {}


class _Entry:
    """One contract being merged: its values and which record gave each value."""

    __slots__ = ("values", "first", "origin", "kinds", "part", "part_record")

    def __init__(self, record: SourceRecord, part: int, part_kind: str) -> None:
        # The readers made this dict for this record alone: merging may update it in place.
        self.values: dict[str, Any] = record.values
        self.first = record
        # field → record, only for fields that came from a record other than `first`.
        self.origin: dict[str, SourceRecord] = _NO_ORIGIN
        self.kinds = frozenset((part_kind,))
        self.part = part
        self.part_record = record

    def source_of(self, field_name: str) -> SourceRecord:
        return self.origin.get(field_name, self.first)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _where(record: SourceRecord) -> str:
    return f"{record.file}:{record.location}" if record.location else record.file


def merge(parts: list[ParsedFile]) -> tuple[list[Contract], list[Problem], list[str]]:
    """Merge the records of `parts` (in input order) and validate every contract.

    Returns the contracts in first-seen order, every problem and every warning.
    """
    problems: list[Problem] = []
    warnings: list[str] = []
    invalid: set[tuple[str, str]] = set()
    entries: dict[str, _Entry] = {}
    for index, part in enumerate(parts):
        problems.extend(part.problems)
        warnings.extend(part.warnings)
        invalid |= part.invalid
        for record in part.records:
            contract_id = record.values["contract_id"]
            entry = entries.get(contract_id)
            if entry is None:
                entries[contract_id] = _Entry(record, index, part.kind)
            elif entry.part == index:
                _same_file_duplicate(entry.part_record, record, problems, warnings)
            else:
                entry.part, entry.part_record = index, record
                entry.kinds = entry.kinds | {part.kind}
                _merge_record(entry, record, warnings)
    upwork_given = any(part.kind in (WEEKLY_KIND, WORK_HISTORY_KIND) for part in parts)
    column_missing: set[str] = set()
    with_records = [part for part in parts if part.records]
    if with_records and not upwork_given:
        # No input has the column at all: one problem per file rather than one per contract.
        provided = set().union(*(part.provides for part in with_records))
        for field_name in REQUIRED_FIELDS:
            if field_name not in provided:
                column_missing.add(field_name)
                problems.extend(
                    Problem(
                        part.name,
                        part.header_location,
                        field_name,
                        "required column missing",
                        None,
                        f"add a column named {accepted_names(field_name)}",
                    )
                    for part in with_records
                )
    contracts: list[Contract] = []
    for contract_id, entry in entries.items():
        contract = _finish(contract_id, entry, invalid, column_missing, problems)
        if contract is not None:
            contracts.append(contract)
    return contracts, problems, warnings


def _same_file_duplicate(
    earlier: SourceRecord, record: SourceRecord, problems: list[Problem], warnings: list[str]
) -> None:
    contract_id = record.values["contract_id"]
    if _comparable(earlier.values) == _comparable(record.values):
        warnings.append(
            f"{_where(record)}: contract {contract_id} appears again, identical to "
            f"{earlier.location}; counted once"
        )
        return
    differing = sorted(
        name
        for name in earlier.values.keys() | record.values.keys()
        if earlier.values.get(name) != record.values.get(name)
    )
    problems.append(
        Problem(
            record.file,
            record.location,
            "contract_id",
            f"contract {contract_id} appears twice with different values "
            f"(also at {earlier.location}; {', '.join(differing)} differ)",
            None,
            "keep one row per contract, or give different contracts different ids",
        )
    )


def _comparable(values: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value is not None}


def _merge_record(entry: _Entry, record: SourceRecord, warnings: list[str]) -> None:
    if entry.origin is _NO_ORIGIN:
        entry.origin = {}
        # The first record's dict may be compared again (same-file duplicates): copy it now.
        entry.values = dict(entry.values)
    values = entry.values
    for field_name, new in record.values.items():
        if new is None:
            continue
        old = values.get(field_name)
        if old is None:
            values[field_name] = new
            entry.origin[field_name] = record
            continue
        if old == new:
            continue
        old_record = entry.source_of(field_name)
        if old_record.kind == "canonical" and record.kind == "upwork":
            winner, reason = old, "your own file wins over an Upwork export"
        else:
            winner = new
            reason = (
                "your own file wins over an Upwork export"
                if record.kind == "canonical" and old_record.kind == "upwork"
                else "the later file wins"
            )
            values[field_name] = new
            entry.origin[field_name] = record
        warnings.append(
            f"contract {values['contract_id']}: {field_name} is {_text(old)} in "
            f"{_where(old_record)} but {_text(new)} in {_where(record)}; using {_text(winner)} "
            f"({reason})"
        )


def _finish(
    contract_id: str,
    entry: _Entry,
    invalid: set[tuple[str, str]],
    column_missing: set[str],
    problems: list[Problem],
) -> Contract | None:
    values = entry.values
    first_payment = values.pop("first_payment_date", None)
    if values.get("start_date") is None and first_payment is not None:
        # FORMATS.md 2b: the first payment stands in for a start date no other source gives.
        values["start_date"] = first_payment
    missing = [
        name
        for name in REQUIRED_FIELDS
        if values.get(name) is None
        and (contract_id, name) not in invalid
        and name not in column_missing
    ]
    if missing:
        problems.append(_missing_problem(contract_id, entry, missing))
    if any(values.get(name) is None for name in REQUIRED_FIELDS):
        return None
    start = values["start_date"]
    ok = True
    for later in ("end_date", "feedback_date"):
        value = values.get(later)
        if value is not None and value < start:
            source = entry.source_of(later)
            start_source = entry.source_of("start_date")
            start_where = "" if start_source is source else f" in {_where(start_source)}"
            problems.append(
                Problem(
                    source.file,
                    source.location,
                    later,
                    f"before start_date {start.isoformat()}{start_where}",
                    value.isoformat(),
                    "correct either date: it cannot be before the contract started",
                )
            )
            ok = False
    if not ok:
        return None
    # Positional: a million keyword calls cost a second more (FIELDS_BY_POSITION checks order).
    return Contract(
        contract_id,
        values["client"],
        start,
        values["earnings"],
        values.get("title") or "",
        values.get("end_date"),
        values.get("last_payment_date"),
        values.get("public_feedback"),
        values.get("private_feedback"),
        values.get("feedback_date"),
        bool(values.get("disputed")),
        bool(values.get("client_flagged")),
        bool(values.get("excluded")),
        values.get("paid_periods"),
    )


_POSITIONAL_ORDER = (
    "contract_id", "client", "start_date", "earnings", "title", "end_date", "last_payment_date",
    "public_feedback", "private_feedback", "feedback_date", "disputed", "client_flagged",
    "excluded", "paid_periods",
)  # fmt: skip
if tuple(f.name for f in fields(Contract)) != _POSITIONAL_ORDER:  # pragma: no cover
    raise ImportError("jsscheck.model.Contract changed its field order: update merge._finish")


def _missing_problem(contract_id: str, entry: _Entry, missing: list[str]) -> Problem:
    record = entry.first
    if entry.kinds == {"canonical"}:
        if len(missing) == 1:
            return Problem(
                record.file,
                record.location,
                missing[0],
                "required value is empty",
                None,
                _REQUIRED_VALUE_FIX.get(missing[0]),
            )
        return Problem(
            record.file,
            record.location,
            ", ".join(missing),
            "required values are empty",
            None,
            f"fill in {', '.join(missing)} of contract {contract_id}",
        )
    if entry.kinds == {WEEKLY_KIND}:
        lacking = [name for name in WEEKLY_LACKS if entry.values.get(name) is None]
        why = (
            f"contract {contract_id} is only in the Weekly Summary, which has no client, "
            "end date or feedback"
        )
        columns = ",".join(["contract_id", *lacking])
    else:
        why = f"no input gives contract {contract_id} a {' or '.join(missing)}"
        columns = ",".join(["contract_id", *missing])
    return Problem(
        record.file,
        record.location,
        ", ".join(missing),
        f"missing: {why}",
        None,
        f"add a CSV of your own keyed by contract_id with the columns {columns} "
        "(or also pass the profile's work-history JSON)",
    )
