"""Upwork's own exports (FORMATS.md section 2): the profile work history (JSON), the Weekly
Summary (CSV), and the Transaction History (CSV), which is recognised only to be refused."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from jsscheck.errors import Problem
from jsscheck.history.tables import (
    ParsedFile,
    Row,
    TextInput,
    UnclosedQuote,
    csv_rows,
    make_row,
    normalize_column,
)
from jsscheck.history.values import (
    ValueProblem,
    is_empty,
    parse_date,
    parse_earnings,
    parse_money,
    parse_public_feedback,
    parse_text,
    shown,
)

WEEKLY_HEADER = ("date", "contract", "hours", "amount", "payment type")
WEEKLY_KIND = "weekly-summary"
WORK_HISTORY_KIND = "upwork-json"
#: What the Weekly Summary cannot tell, for the "still missing" error (FORMATS.md 2b).
WEEKLY_LACKS = ("client", "end_date", "public_feedback", "private_feedback")

_CONTRACT_ID = re.compile(r"(.*?)\s*\((\d+)\)\s*")
TRANSACTION_FIX = (
    "the Transaction History has no contract ids: export Reports → Weekly Summary (CSV) "
    "and/or your profile's work history (JSON) instead"
)


def is_weekly_header(cells: Iterable[str]) -> bool:
    """True when a CSV header is the Weekly Summary's."""
    return set(WEEKLY_HEADER) <= {normalize_column(cell) for cell in cells}


def is_transaction_header(cells: Iterable[str]) -> bool:
    """True for either Transaction History layout (legacy ledger or the newer report)."""
    names = {normalize_column(cell) for cell in cells}
    return {"ref id", "balance"} <= names or bool(
        names & {"transaction type", "transaction summary", "amount $"}
    )


def is_work_history(document: Any) -> bool:
    """True for a work-history page (`pageItems`) or an array of pages."""
    if isinstance(document, dict):
        return "pageItems" in document
    return (
        isinstance(document, list)
        and bool(document)
        and isinstance(document[0], dict)
        and "pageItems" in document[0]
    )


# ---------------------------------------------------------------------------------------------
# 2a. Profile work history


def _upwork_date(raw: Any, dayfirst: bool) -> date | None:
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


def read_work_history(document: Any, name: str, dayfirst: bool) -> ParsedFile:
    """Read a work-history page object, or an array of them, into Upwork records."""
    parsed = ParsedFile(name, WORK_HISTORY_KIND)
    parsed.provides = {"contract_id", "title", "client", "start_date", "end_date", "earnings"}
    pages = document if isinstance(document, list) else [document]
    prefix_pages = isinstance(document, list)
    items_seen = 0
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
            row = _work_history_item(parsed, item, f"{page_at}[{index}]", dayfirst)
            if row is not None:
                parsed.rows.append(row)
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
    values: dict[str, Any] = {}
    failed: list[str] = []

    def take(canonical: str, upwork_name: str, raw: Any, parse: Any) -> None:
        try:
            values[canonical] = parse(raw)
        except ValueProblem as exc:
            parsed.problems.append(
                Problem(parsed.name, location, upwork_name, exc.problem, shown(raw), exc.fix)
            )
            failed.append(canonical)

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
    take("start_date", "startedOn", item.get("startedOn"), lambda r: _upwork_date(r, dayfirst))
    take("end_date", "endedOn", item.get("endedOn"), lambda r: _upwork_date(r, dayfirst))
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
                lambda r: _upwork_date(r, dayfirst),
            )
    for canonical in failed:
        parsed.invalid.add((contract_id, canonical))
    return make_row(values, parsed.name, location, WORK_HISTORY_KIND)


# ---------------------------------------------------------------------------------------------
# 2b. Weekly Summary


@dataclass
class WeeklyRow:
    """One payment row: the key that identifies it across overlapping exports, and more."""

    key: tuple[date, str, str, float, str]
    title: str
    line: int


@dataclass
class WeeklyFile:
    """The rows of one Weekly Summary export, before exports are combined."""

    name: str
    rows: list[WeeklyRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_weekly_rows(source: TextInput, dayfirst: bool) -> WeeklyFile:
    """Read the payment rows of one Weekly Summary CSV."""
    name = source.name
    weekly = WeeklyFile(name)
    rows = csv_rows(source.lines(), ",")
    try:
        header = next(rows, None)
        if header is None or not is_weekly_header(header[1]):
            weekly.problems.append(
                Problem(
                    name,
                    "1",
                    "",
                    "not a Weekly Summary export",
                    None,
                    'its header must be "Date","Contract","Hours","Amount","Payment type"',
                )
            )
            return weekly
        position = {normalize_column(cell): i for i, cell in enumerate(header[1])}
        at = [position[column] for column in WEEKLY_HEADER]
        for line, cells, _spans in rows:
            cells = cells + [""] * (len(header[1]) - len(cells))
            parsed_row = _weekly_row(weekly, [cells[i] for i in at], line, dayfirst)
            if parsed_row is not None:
                weekly.rows.append(parsed_row)
    except UnclosedQuote as exc:
        weekly.problems.append(
            Problem(
                name,
                str(exc.line),
                "",
                "a quoted value is never closed",
                None,
                "export the Weekly Summary again",
            )
        )
    if not weekly.rows and not weekly.problems:
        weekly.problems.append(
            Problem(
                name,
                "",
                "",
                "no contracts: the Weekly Summary has no payment rows",
                None,
                "export a period in which you were paid",
            )
        )
    return weekly


def _weekly_row(
    weekly: WeeklyFile, cells: list[str], line: int, dayfirst: bool
) -> WeeklyRow | None:
    day_raw, contract_raw, hours, amount_raw, payment_type = cells
    if not any(cell.strip() for cell in cells):
        return None
    ok = True
    try:
        day = parse_date(day_raw, dayfirst)
        if day is None:
            raise ValueProblem("required value is empty", "every payment row has a date")
    except ValueProblem as exc:
        weekly.problems.append(
            Problem(weekly.name, str(line), "Date", exc.problem, shown(day_raw), exc.fix)
        )
        ok = False
    try:
        amount = parse_money(amount_raw)
        if amount is None:
            raise ValueProblem("required value is empty", "every payment row has an amount")
    except ValueProblem as exc:
        weekly.problems.append(
            Problem(weekly.name, str(line), "Amount", exc.problem, shown(amount_raw), exc.fix)
        )
        ok = False
    match = _CONTRACT_ID.fullmatch(contract_raw.strip())
    if match is None:
        weekly.problems.append(
            Problem(
                weekly.name,
                str(line),
                "Contract",
                "no contract id in final parentheses",
                shown(contract_raw),
                "the Weekly Summary writes 'Job title (12345678)'",
            )
        )
        ok = False
    if not ok or match is None or day is None or amount is None:
        return None
    return WeeklyRow((day, match[2], hours.strip(), amount, payment_type.strip()), match[1], line)


def combine_weekly(files: list[WeeklyFile]) -> ParsedFile:
    """One Upwork record per contract from every Weekly Summary export together.

    Exports overlap: a row found in several files counts once (as many times as the file holding
    it most often has it).
    """
    name = files[0].name
    parsed = ParsedFile(name, WEEKLY_KIND)
    parsed.provides = {"contract_id", "title", "earnings", "last_payment_date", "paid_periods"}
    for weekly in files:
        parsed.problems.extend(weekly.problems)
        parsed.warnings.extend(weekly.warnings)
    counts: Counter[tuple[date, str, str, float, str]] = Counter()
    first_row: dict[tuple[date, str, str, float, str], tuple[str, WeeklyRow]] = {}
    for weekly in files:
        here = Counter(row.key for row in weekly.rows)
        for key, count in here.items():
            counts[key] = max(counts[key], count)
        for row in weekly.rows:
            first_row.setdefault(row.key, (weekly.name, row))
    by_contract: dict[str, list[tuple[date, float, int]]] = {}
    titles: dict[str, tuple[date, str]] = {}
    where: dict[str, tuple[str, int]] = {}
    for key, (file_name, row) in first_row.items():
        day, contract_id, _hours, amount, _type = key
        by_contract.setdefault(contract_id, []).append((day, amount, counts[key]))
        where.setdefault(contract_id, (file_name, row.line))
        if contract_id not in titles or day >= titles[contract_id][0]:
            titles[contract_id] = (day, row.title)
    for contract_id, payments in by_contract.items():
        days = [day for day, _amount, _count in payments]
        first, last = min(days), max(days)
        # Rounded to cents: float sums of many payments drift (0.1 + 0.2).
        earnings = round(sum(amount * count for _day, amount, count in payments), 2)
        periods = len({(day - first).days // 90 for day in days}) - 1
        file_name, line = where[contract_id]
        if earnings < 0:
            parsed.problems.append(
                Problem(
                    file_name,
                    str(line),
                    "Amount",
                    f"contract {contract_id}'s payments sum to a negative amount",
                    f"{earnings:.2f}",
                    "check for refunds without their payment; pass the export that holds it",
                )
            )
            continue
        values = {
            "contract_id": contract_id,
            "title": titles[contract_id][1] or None,
            "earnings": earnings,
            "last_payment_date": last,
            "first_payment_date": first,
            "paid_periods": periods,
        }
        parsed.rows.append(make_row(values, file_name, line, WEEKLY_KIND))
    return parsed
