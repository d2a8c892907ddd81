"""The profile's work history (JSON, FORMATS.md 2a): one record per contract.

Items with `agencyName` set are agency contracts: they count toward the agency's JSS, not the
freelancer's, so they are left out (with a warning naming them) unless `include_agency`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from jsscheck.errors import Problem
from jsscheck.history.tables import ParsedFile, Row, make_row
from jsscheck.history.upwork import WORK_HISTORY_KIND
from jsscheck.history.values import (
    ValueProblem,
    is_empty,
    parse_date,
    parse_earnings,
    parse_public_feedback,
    parse_text,
    shown,
)
from jsscheck.model.text import brief


class ItemValues:
    """The canonical values read from one item of an Upwork export: a value that does not parse
    is a problem located at the item and named by the export's own field (`contract.id`)."""

    def __init__(self, parsed: ParsedFile, location: str) -> None:
        self.parsed, self.location = parsed, location
        self.values: dict[str, Any] = {}
        self.failed: list[str] = []

    def take(self, canonical: str, upwork_name: str, raw: Any, parse: Any) -> None:
        try:
            self.values[canonical] = parse(raw)
        except ValueProblem as exc:
            self.parsed.problems.append(
                Problem(
                    self.parsed.name, self.location, upwork_name, exc.problem, shown(raw), exc.fix
                )
            )
            self.failed.append(canonical)


def upwork_date(raw: Any, dayfirst: bool) -> date | None:
    """An ISO timestamp (date part) or epoch milliseconds (as a UTC date)."""
    if raw is None:
        return None
    if isinstance(raw, str) and raw.strip().isdigit() and len(raw.strip()) > 8:
        raw = int(raw.strip())
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        try:
            return datetime.fromtimestamp(raw / 1000, tz=UTC).date()
        except (OverflowError, OSError, ValueError) as exc:
            raise ValueProblem("not a timestamp", "epoch milliseconds or an ISO date") from exc
    return parse_date(raw, dayfirst)


def read_work_history(
    document: Any, name: str, dayfirst: bool, include_agency: bool = False
) -> ParsedFile:
    """Read a work-history page object, or an array of them, into Upwork records.

    Agency contracts (`agencyName` set) are left out with one warning naming them, unless
    `include_agency` (an agency passing the files of all its members together).
    """
    parsed = ParsedFile(name, WORK_HISTORY_KIND)
    parsed.provides = {"contract_id", "title", "client", "start_date", "end_date", "earnings"}
    pages = document if isinstance(document, list) else [document]
    prefix_pages = isinstance(document, list)
    items_seen = 0
    agency: list[str] = []
    for page_index, page in enumerate(pages):
        page_at = f"[{page_index}]" if prefix_pages else ""
        items = page.get("pageItems") if isinstance(page, dict) else None
        if not isinstance(items, list):
            parsed.problems.append(
                Problem(
                    name,
                    page_at,
                    "pageItems",
                    "not a work-history page (no pageItems list)",
                    None,
                    "pass the JSON the profile page loads, one page or an array of pages",
                )
            )
            continue
        for index, item in enumerate(items):
            items_seen += 1
            if (
                not include_agency
                and isinstance(item, dict)
                and not is_empty(item.get("agencyName"))
            ):
                agency.append("'" + brief(str(item.get("title") or item.get("id"))) + "'")
                continue
            row = _work_history_item(parsed, item, f"{page_at}[{index}]", dayfirst)
            if row is not None:
                parsed.rows.append(row)
    if agency:
        parsed.warnings.append(
            f"{name}: left out {len(agency)} agency contract{'s' if len(agency) != 1 else ''}"
            f" (they count toward the agency's score, not yours): {', '.join(agency)}"
            " — pass --include-agency to keep them"
        )
    if not items_seen and not parsed.problems:
        parsed.problems.append(
            Problem(
                name,
                "",
                "",
                "no contracts: the work history has no items",
                None,
                "export the pages that list your contracts",
            )
        )
    return parsed


def _work_history_item(parsed: ParsedFile, item: Any, location: str, dayfirst: bool) -> Row | None:
    if not isinstance(item, dict):
        parsed.problems.append(
            Problem(
                parsed.name,
                location,
                "",
                "not a work-history item (an object)",
                None,
                "pass the work-history JSON unchanged",
            )
        )
        return None
    reader = ItemValues(parsed, location)
    values, failed, take = reader.values, reader.failed, reader.take

    take("contract_id", "id", item.get("id"), parse_text)
    contract_id = values.get("contract_id")
    if contract_id is None:
        if "contract_id" not in failed:
            parsed.problems.append(
                Problem(
                    parsed.name,
                    location,
                    "id",
                    "work-history item has no id",
                    None,
                    "pass the work-history JSON unchanged: every item has an id",
                )
            )
        return None
    take("title", "title", item.get("title"), parse_text)
    given = item.get("client")
    client: dict[str, Any] = given if isinstance(given, dict) else {}
    for key, raw in (
        ("clientId", item.get("clientId")),
        ("client.id", client.get("id")),
        ("client.name", client.get("name")),
    ):
        if not is_empty(raw):
            take("client", key, raw, parse_text)
            break
    take("start_date", "startedOn", item.get("startedOn"), lambda r: upwork_date(r, dayfirst))
    take("end_date", "endedOn", item.get("endedOn"), lambda r: upwork_date(r, dayfirst))
    charges = item.get("totalCharges")
    if isinstance(charges, dict):
        currency = charges.get("currencyCode")
        if not is_empty(currency) and str(currency).strip().upper() != "USD":
            parsed.problems.append(
                Problem(
                    parsed.name,
                    location,
                    "totalCharges.currencyCode",
                    "only USD amounts are supported",
                    shown(currency),
                    "give the USD earnings of this contract in a canonical file keyed by "
                    "contract_id",
                )
            )
            failed.append("earnings")
        else:
            take("earnings", "totalCharges.amount", charges.get("amount"), parse_earnings)
    feedback = item.get("feedback")
    if isinstance(feedback, dict):
        score = feedback.get("score")
        # Upwork writes 0 (or nothing) when there is no feedback.
        if not is_empty(score) and score not in (0, "0"):
            take("public_feedback", "feedback.score", score, parse_public_feedback)
            take(
                "feedback_date",
                "feedback.creationTs",
                feedback.get("creationTs"),
                lambda r: upwork_date(r, dayfirst),
            )
    for canonical in failed:
        parsed.invalid.add((contract_id, canonical))
    return make_row(values, parsed.name, location, WORK_HISTORY_KIND)
