"""What-if edits: parsing the edit specs of CLI.md ("Edit specs") and applying them.

An edit spec is `ID[,key=value...]` or `key=value,...`. Edits are parsed into `Edit` values and
applied to a copy of the history (`apply_edits`); `jsscheck.analyses.whatif` scores the result.
No typer or rich here: invalid edits raise `UsageError` (exit 2) naming what is valid.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Literal

import numpy as np

from jsscheck.engine.credits import open_on
from jsscheck.errors import UsageError
from jsscheck.history.values import MAX_AMOUNT, MAX_PAID_PERIODS
from jsscheck.model.contract import DATE_FIELDS, FIELDS, Contract
from jsscheck.model.days import option_day_problem, parse_iso, to_days
from jsscheck.model.table import ContractTable
from jsscheck.model.text import visible

EditKind = Literal["close", "add", "drop", "set"]

#: The command-line option of each edit kind (for error messages).
OPTION = {
    "close": "--close-contract",
    "add": "--add-contract",
    "drop": "--drop-contract",
    "set": "--set",
}
#: Keys each kind accepts after the id.
CLOSE_KEYS = ("public", "private", "on")
ADD_KEYS = ("earnings", "public", "client", "days", "id", "private", "on", "title")
ADD_REQUIRED = ("earnings", "client", "days")
#: The longest what-if contract: 36,500 days (100 years) is longer than any career.
MAX_DAYS = 36_500

#: `--set` short names for the feedback fields (CLI.md writes `--set "4521,public=3.5"`).
SET_ALIASES = {"public": "public_feedback", "private": "private_feedback"}
SET_FIELDS = tuple(f for f in FIELDS if f != "contract_id")
_SHOWN_IDS = 12


@dataclass(frozen=True)
class Edit:
    """One parsed edit: `kind`, the contract it names (None for add) and its key=value pairs."""

    kind: EditKind
    spec: str
    contract_id: str | None = None
    values: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- parsing


def parse_edit(kind: EditKind, spec: str) -> Edit:
    """Parse one edit spec of CLI.md; a usage error says what the grammar is."""
    option = OPTION[kind]
    parts = [p.strip() for p in spec.split(",")]
    if not spec.strip() or any(p == "" for p in parts):
        raise UsageError(
            f"{option} '{spec}': empty part", hint="write ID[,key=value...] or key=value,..."
        )
    contract_id: str | None = None
    if "=" not in parts[0]:
        contract_id, parts = parts[0], parts[1:]
    values: dict[str, str] = {}
    for part in parts:
        if "=" not in part:
            raise UsageError(
                f"{option} '{spec}': '{part}' is not key=value",
                hint="only the first part may be a contract id",
            )
        key, value = (s.strip() for s in part.split("=", 1))
        key = key.lower()
        if key in values:
            raise UsageError(f"{option} '{spec}': '{key}' given twice")
        values[key] = value
    if kind == "add":
        if contract_id is not None:
            raise UsageError(
                f"{option} '{spec}': a new contract has no id to start with",
                hint="give its id as id=..., e.g. "
                '--add-contract "earnings=500,public=5,client=Acme,days=30"',
            )
        _check_keys(option, spec, values, ADD_KEYS)
        missing = [k for k in ADD_REQUIRED if k not in values]
        if missing:
            raise UsageError(
                f"{option} '{spec}': missing {', '.join(missing)}",
                hint='e.g. --add-contract "earnings=500,public=5,client=Acme,days=30"',
            )
        return Edit(kind, spec, values.get("id"), values)
    if contract_id is None:
        raise UsageError(
            f"{option} '{spec}': start with the contract id", hint=f"e.g. {option} 4521"
        )
    if kind == "close":
        _check_keys(option, spec, values, CLOSE_KEYS)
    elif kind == "drop":
        _check_keys(option, spec, values, ())
    else:
        values = {SET_ALIASES.get(k, k): v for k, v in values.items()}
        _check_keys(option, spec, values, SET_FIELDS)
        if not values:
            raise UsageError(
                f"{option} '{spec}': nothing to set", hint=f'e.g. --set "{contract_id},public=3.5"'
            )
    return Edit(kind, spec, contract_id, values)


def _check_keys(option: str, spec: str, values: dict[str, str], valid: Sequence[str]) -> None:
    unknown = [k for k in values if k not in valid]
    if unknown:
        allowed = ", ".join(valid) if valid else "none (just the contract id)"
        raise UsageError(
            f"{option} '{spec}': unknown key {', '.join(unknown)}", hint=f"valid keys: {allowed}"
        )


def parse_edits(
    close: Sequence[str] = (),
    add: Sequence[str] = (),
    drop: Sequence[str] = (),
    set_fields: Sequence[str] = (),
) -> list[Edit]:
    """Every edit of the command line, in the order they are applied: add, close, set, drop."""
    edits = [parse_edit("add", s) for s in add]
    edits += [parse_edit("close", s) for s in close]
    edits += [parse_edit("set", s) for s in set_fields]
    edits += [parse_edit("drop", s) for s in drop]
    return edits


# --------------------------------------------------------------------------- values


def _number(edit: Edit, key: str, *, low: float | None = None, high: float | None = None) -> float:
    text = edit.values[key]
    try:
        value = float(text.replace("$", "").replace("_", ""))
    except ValueError:
        value = math.nan
    if math.isnan(value) or math.isinf(value):
        raise UsageError(f"{OPTION[edit.kind]} '{edit.spec}': {key} must be a number (got {text})")
    if (low is not None and value < low) or (high is not None and value > high):
        raise UsageError(
            f"{OPTION[edit.kind]} '{edit.spec}': {key} = {text} is out of range",
            hint=f"{key} must be between {_shown(low)} and {_shown(high)}"
            if high is not None
            else f"{key} must be at least {_shown(low)}",
        )
    return value


def _shown(value: float | None) -> str:
    """A bound as people write it: 1,000,000,000,000 rather than 1e+12."""
    if value is None:
        return ""
    return f"{value:,.0f}" if value == int(value) else f"{value:g}"


def _public(edit: Edit, key: str = "public") -> float:
    return _number(edit, key, low=1.0, high=5.0)


def _private(edit: Edit, key: str = "private") -> int:
    value = _number(edit, key, low=0, high=10)
    if value != int(value):
        raise UsageError(
            f"{OPTION[edit.kind]} '{edit.spec}': {key} must be a whole number from 0 to 10"
        )
    return int(value)


def _date(edit: Edit, key: str) -> date:
    text = edit.values[key]
    try:
        day = parse_iso(text)
    except ValueError:
        raise UsageError(
            f"{OPTION[edit.kind]} '{edit.spec}': {key} is not a date (got {visible(text)})",
            hint="use YYYY-MM-DD",
        ) from None
    problem = option_day_problem(day)
    if problem is not None:
        raise UsageError(
            f"{OPTION[edit.kind]} '{edit.spec}': {key} = {day} is out of range",
            hint=f"the date {problem}",
        )
    return day


def _bool(edit: Edit, key: str) -> bool:
    text = edit.values[key].lower()
    if text in ("true", "yes", "1", "y"):
        return True
    if text in ("false", "no", "0", "n", ""):
        return False
    raise UsageError(f"{OPTION[edit.kind]} '{edit.spec}': {key} must be true or false")


def _set_value(edit: Edit, key: str) -> Any:
    """A `--set` value converted to the field's type; empty or `none` clears an optional field."""
    text = edit.values[key]
    empty = text == "" or text.lower() == "none"
    optional = key in ("end_date", "last_payment_date", "feedback_date", "paid_periods") or key in (
        "public_feedback",
        "private_feedback",
    )
    if empty and optional:
        return None
    if key in DATE_FIELDS:
        return _date(edit, key)
    if key == "earnings":
        return _number(edit, key, low=0.0, high=MAX_AMOUNT)
    if key == "public_feedback":
        return _public(edit, key)
    if key == "private_feedback":
        return _private(edit, key)
    if key == "paid_periods":
        value = _number(edit, key, low=0, high=MAX_PAID_PERIODS)
        if value != int(value):
            raise UsageError(f"{OPTION[edit.kind]} '{edit.spec}': paid_periods is a whole number")
        return int(value)
    if key in ("disputed", "client_flagged", "excluded"):
        return _bool(edit, key)
    if key == "client" and empty:
        raise UsageError(f"{OPTION[edit.kind]} '{edit.spec}': client cannot be empty")
    return text


# --------------------------------------------------------------------------- applying


def is_open_at(contract: Contract, day: date) -> bool:
    """Started by `day` and not ended by it (MODEL.md section 1)."""
    return contract.start_date <= day and (contract.end_date is None or contract.end_date > day)


def _id_list(ids: Sequence[str]) -> str:
    if not ids:
        return "none"
    shown = ", ".join(ids[:_SHOWN_IDS])
    rest = len(ids) - _SHOWN_IDS
    return shown + (f" (and {rest} more)" if rest > 0 else "")


def _find(edited: _Edited, edit: Edit, as_of: date) -> int:
    found = edited.find(edit.contract_id)
    if found is not None:
        return found
    if edit.kind == "close":
        hint = f"open contracts on {as_of}: {_id_list(edited.open_ids(as_of))}"
    else:
        hint = f"contract ids: {_id_list(edited.ids())}"
    raise UsageError(f"{OPTION[edit.kind]}: unknown contract id '{edit.contract_id}'", hint=hint)


def _check_contract(edit: Edit, contract: Contract) -> Contract:
    """Reject an edit that makes a contract impossible (FORMATS.md rules, briefly)."""
    where = f"{OPTION[edit.kind]} '{edit.spec}'"
    if contract.end_date is not None and contract.end_date < contract.start_date:
        raise UsageError(
            f"{where}: the contract would end ({contract.end_date}) before it starts "
            f"({contract.start_date})"
        )
    if contract.earnings < 0:
        raise UsageError(f"{where}: earnings cannot be negative")
    return contract


def _close(contract: Contract, edit: Edit, as_of: date) -> Contract:
    on = _date(edit, "on") if "on" in edit.values else as_of
    if not is_open_at(contract, as_of):
        state = (
            f"ended on {contract.end_date}"
            if contract.end_date is not None and contract.end_date <= as_of
            else f"starts on {contract.start_date}"
        )
        raise UsageError(
            f"--close-contract: contract '{contract.contract_id}' is not open on {as_of} ({state})",
            hint="use --set to change an ended contract",
        )
    if on > as_of or on < contract.start_date:
        raise UsageError(
            f"--close-contract '{edit.spec}': on = {on} must be between the contract's start "
            f"({contract.start_date}) and --as-of ({as_of})"
        )
    return closed(
        contract,
        on,
        public=_public(edit) if "public" in edit.values else None,
        private=_private(edit) if "private" in edit.values else None,
    )


def closed(
    contract: Contract, day: date, public: float | None = None, private: int | None = None
) -> Contract:
    """`contract` ended on `day` with the given feedback (none by default): a payment recorded
    after `day` moves to it."""
    last_payment = contract.last_payment_date
    if last_payment is not None and last_payment > day:
        last_payment = day
    return replace(
        contract,
        end_date=day,
        last_payment_date=last_payment,
        public_feedback=public,
        private_feedback=private,
        feedback_date=None,
    )


def _add(edited: _Edited, edit: Edit, as_of: date) -> Contract:
    on = _date(edit, "on") if "on" in edit.values else as_of
    if on > as_of:
        raise UsageError(f"--add-contract '{edit.spec}': on = {on} is after --as-of ({as_of})")
    days = _number(edit, "days", low=0, high=MAX_DAYS)
    if days != int(days):
        raise UsageError(f"--add-contract '{edit.spec}': days is a whole number of days")
    contract_id = edit.values.get("id")
    if contract_id is None:
        number = 1
        while edited.find(f"new-{number}") is not None:
            number += 1
        contract_id = f"new-{number}"
    elif edited.find(contract_id) is not None:
        raise UsageError(
            f"--add-contract '{edit.spec}': contract id '{contract_id}' already exists",
            hint="choose another id=, or leave it out",
        )
    client = edit.values["client"]
    if not client:
        raise UsageError(f"--add-contract '{edit.spec}': client cannot be empty")
    return Contract(
        contract_id=contract_id,
        client=client,
        title=edit.values.get("title", "what-if contract"),
        start_date=on - timedelta(days=int(days)),
        end_date=on,
        last_payment_date=on,
        earnings=_number(edit, "earnings", low=0.0, high=MAX_AMOUNT),
        public_feedback=_public(edit) if "public" in edit.values else None,
        private_feedback=_private(edit) if "private" in edit.values else None,
    )


def apply_edits(contracts: Sequence[Contract], edits: Sequence[Edit], as_of: date) -> ContractTable:
    """The history after `edits`, in order, as a table; the input is not changed. Only the
    contracts the edits touch become Contract objects (an agency's history holds a million).
    Contract ids are unique in a history (the reader refuses repeats)."""
    edited = _Edited(ContractTable.of(contracts))
    for edit in edits:
        if edit.kind == "add":
            edited.append(_add(edited, edit, as_of))
            continue
        key = _find(edited, edit, as_of)
        if edit.kind == "drop":
            edited.drop(key)
        elif edit.kind == "close":
            edited.put(key, _close(edited.get(key), edit, as_of))
        else:
            changes = {name: _set_value(edit, name) for name in edit.values}
            edited.put(key, _check_contract(edit, replace(edited.get(key), **changes)))
    return edited.table()


class _Edited:
    """A history as the edits so far leave it: the table's rows (some replaced, some dropped)
    in order, then the contracts added. A key is a row's position in the table, or -1, -2, …
    for the contracts added. The table's ids are unique (the reader merges repeats)."""

    def __init__(self, table: ContractTable) -> None:
        self._table = table
        self._changed: dict[int, Contract] = {}
        self._dropped: set[int] = set()
        self._added: dict[int, Contract] = {}  # in the order added
        self._next_key = -1

    def get(self, key: int) -> Contract:
        if key < 0:
            return self._added[key]
        return self._changed[key] if key in self._changed else self._table[key]

    def put(self, key: int, contract: Contract) -> None:
        if key < 0:
            self._added[key] = contract
        else:
            self._changed[key] = contract

    def drop(self, key: int) -> None:
        if key < 0:
            del self._added[key]
        else:
            self._dropped.add(key)
            self._changed.pop(key, None)

    def append(self, contract: Contract) -> None:
        self._added[self._next_key] = contract
        self._next_key -= 1

    def find(self, contract_id: str | None) -> int | None:
        """The key of the contract with this id (`--set` never changes an id)."""
        if contract_id is None:
            return None
        found = self._table.index_of.get(contract_id)
        if found is not None and found not in self._dropped:
            return found
        return next((k for k, c in self._added.items() if c.contract_id == contract_id), None)

    def ids(self) -> list[str]:
        """Every contract id, in order."""
        return self.table().contract_ids

    def open_ids(self, day: date) -> list[str]:
        """The ids of the contracts open on `day` (MODEL.md section 1), in order."""
        table = self.table()
        ids = table.ids
        return [ids[i] for i in np.flatnonzero(open_on(table, to_days(day))).tolist()]

    def table(self) -> ContractTable:
        table = self._table.with_rows(self._changed)
        if self._dropped:
            kept = np.delete(np.arange(len(table)), np.fromiter(self._dropped, np.int64))
            table = table.take(kept)
        if self._added:
            table = ContractTable.concat(
                [table, ContractTable.from_contracts(self._added.values())]
            )
        return table
