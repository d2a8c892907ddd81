"""Shared test helpers: building contracts with sensible defaults."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from jsscheck.model.contract import DATE_FIELDS, Contract

_ids = itertools.count(1)


def as_date(value: date | str | None) -> date | None:
    """`value` as a `date`; ISO strings are parsed, None stays None."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def make_contract(**overrides: Any) -> Contract:
    """A `Contract` with defaults, every field overridable by keyword.

    Defaults: a fresh id and a fresh client (so each contract is a new client unless `client`
    is given), started 2026-01-01, ended 2026-03-01, $500 earned, public feedback 5.0, nothing
    else. Date fields also accept ISO strings (`end_date="2026-05-21"`); pass `None` to empty one.
    """
    number = next(_ids)
    values: dict[str, Any] = {
        "contract_id": f"c{number}",
        "client": f"client-{number}",
        "start_date": date(2026, 1, 1),
        "end_date": date(2026, 3, 1),
        "earnings": 500.0,
        "public_feedback": 5.0,
    }
    values.update(overrides)
    for name in DATE_FIELDS:
        if name in values:
            values[name] = as_date(values[name])
    values["earnings"] = float(values["earnings"])
    return Contract(**values)
