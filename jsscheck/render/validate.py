"""What `validate` says about a history that reads without errors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jsscheck.render import count, schemas

if TYPE_CHECKING:
    from jsscheck.history import ReadResult


def validate_document(read: ReadResult) -> dict[str, Any]:
    """The `jsscheck.validate/1` document."""
    overview = read.contracts.overview()
    first, last = overview["first_date"], overview["last_date"]
    return {
        "schema": schemas.VALIDATE,
        "valid": True,
        "contracts": overview["contracts"],
        "open": overview["open"],
        "clients": overview["clients"],
        "first_date": first.isoformat() if first else None,
        "last_date": last.isoformat() if last else None,
        "warnings": list(read.warnings),
        "source_sha256": read.source_sha256,
    }


def validate_sentence(doc: dict[str, Any]) -> str:
    """`OK: 4 contracts (0 open) with 4 clients from 2026-09-01 to 2026-11-06.`"""
    first, last = doc["first_date"], doc["last_date"]
    span = f" from {first} to {last}" if first and last else ""
    warnings = len(doc["warnings"])
    return (
        f"OK: {count(doc['contracts'], 'contract')} ({doc['open']} open) with "
        f"{count(doc['clients'], 'client')}{span}"
        + (f", {count(warnings, 'warning')}" if warnings else "")
        + "."
    )
