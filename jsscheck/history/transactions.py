"""The Transaction History (CSV, FORMATS.md 2c): read to enrich the Weekly Summary.

It has no contract id, but each earning's `Transaction summary` (legacy: `Description`) is the
contract's title and its `Client team` (legacy: `Team`) the client: the one field the Weekly
Summary lacks. Each earning is matched to a Weekly Summary contract by its exact title, and where
titles repeat by an equal payment (amount) within a week of its date. Nothing is guessed: a title
that matches no contract, or several, or a contract paid by two different client teams, is named
in a warning and its client left for the user to add. `Refund to client` rows reduce earnings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jsscheck.errors import Problem
from jsscheck.history.tables import (
    SLOT,
    ParsedFile,
    Row,
    TextInput,
    UnclosedQuote,
    csv_rows,
    normalize_column,
    sniff_delimiter,
)
from jsscheck.history.values import ValueProblem, parse_date, parse_money, shown
from jsscheck.history.weekly import WeeklyLedger
from jsscheck.model.text import brief

#: The error when no Weekly Summary comes with it.
ALONE_FIX = (
    "the Transaction History has no contract ids: also pass the Weekly Summary export "
    "(Manage finances → Your reports → Weekly summary report, CSV), which it adds clients to, "
    "or your profile's work history (JSON)"
)
_COLUMNS = {
    "date": ("date",),
    "type": ("transaction type", "type"),
    "title": ("transaction summary", "description"),
    "client": ("client team", "team"),
    "amount": ("amount $", "amount"),
}
#: How far (days) a Transaction History date may be from the Weekly Summary's paid date.
DATE_SLACK = 7
_PREFIX = "invoice for "


@dataclass
class Transaction:
    """One earning or refund row: where it is, the contract title, client team and amount."""

    line: int
    day: date
    title: str
    client: str
    amount: float
    refund: bool


@dataclass
class TransactionFile:
    """The earnings and refunds of one Transaction History export."""

    name: str
    rows: list[Transaction] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    first_date: date | None = None


def _kind(type_text: str, amount: float) -> str | None:
    """ "earning", "refund", or None for fees, withdrawals and the rest."""
    text = type_text.strip().lower()
    if "refund" in text:
        return "refund"
    if "fee" in text or "withdraw" in text or amount <= 0:
        return None
    if any(word in text for word in ("hourly", "fixed", "milestone", "bonus", "payment")):
        return "earning"
    return None


def read_transactions(source: TextInput, dayfirst: bool) -> TransactionFile:
    """Read the earning and refund rows of a Transaction History CSV (either layout)."""
    result = TransactionFile(source.name)
    lines = list(source.lines())
    delimiter = sniff_delimiter(lines[0] if lines else ",")
    try:
        rows = csv_rows(lines, delimiter)
        header = next(rows, None)
        if header is None:
            return result
        names = [normalize_column(cell) for cell in header[1]]
        at: dict[str, int] = {}
        for key, aliases in _COLUMNS.items():
            for alias in aliases:
                if alias in names:
                    at[key] = names.index(alias)
                    break
        missing = [key for key in ("date", "title", "amount") if key not in at]
        if missing:
            result.problems.append(
                Problem(
                    source.name,
                    "1",
                    "",
                    f"a Transaction History without the column{'s' if len(missing) > 1 else ''}"
                    f" {', '.join(missing)}",
                    None,
                    "export the Transaction History again, unchanged",
                )
            )
            return result
        for line, cells, _spans in rows:
            _read_row(result, at, cells, line, dayfirst)
    except UnclosedQuote as exc:
        result.problems.append(
            Problem(
                source.name,
                str(exc.line),
                "",
                "a quoted value is never closed",
                None,
                "export the Transaction History again",
            )  # fmt: skip
        )
    return result


def _read_row(
    result: TransactionFile, at: dict[str, int], cells: list[str], line: int, dayfirst: bool
) -> None:
    def cell(key: str) -> str:
        index = at.get(key)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    if not any(c.strip() for c in cells):
        return
    try:
        amount = parse_money(cell("amount"))
    except ValueProblem as exc:
        result.problems.append(
            Problem(result.name, str(line), "Amount", exc.problem, shown(cell("amount")), exc.fix)
        )
        return
    if amount is None:
        return
    kind = _kind(cell("type") or cell("title"), amount)
    if kind is None:
        return
    try:
        day = parse_date(cell("date"), dayfirst)
    except ValueProblem as exc:
        result.problems.append(
            Problem(result.name, str(line), "Date", exc.problem, shown(cell("date")), exc.fix)
        )
        return
    if day is None or not cell("title"):
        return
    if result.first_date is None or day < result.first_date:
        result.first_date = day
    result.rows.append(
        Transaction(line, day, cell("title"), cell("client"), abs(amount), kind == "refund")
    )


def _titles(title: str) -> list[str]:
    """The title as written, and without Upwork's "Invoice for " prefix when it has one."""
    names = [title]
    if title.lower().startswith(_PREFIX):
        names.append(title[len(_PREFIX) :].strip())
    return names


def _pays(ledger: WeeklyLedger, contract_id: str, row: Transaction) -> bool:
    """Whether the Weekly Summary shows this contract paid `row.amount` near `row.day`."""
    return any(
        abs(amount - row.amount) < 0.005 and abs((paid - row.day).days) <= DATE_SLACK
        for paid, amount in ledger.payments.get(contract_id, [])
    )


def _listed_refund(ledger: WeeklyLedger, contract_id: str, row: Transaction) -> bool:
    return any(
        abs(amount + row.amount) < 0.005 and abs((paid - row.day).days) <= DATE_SLACK
        for paid, amount in ledger.payments.get(contract_id, [])
    )


def enrich(weekly: ParsedFile, ledger: WeeklyLedger, files: list[TransactionFile]) -> None:
    """Give the combined Weekly Summary records (`weekly.rows`) their clients and refunds.

    Problems and warnings go to `weekly`. A row's client is set only when every matched
    earning of the contract names the same client team.
    """
    by_title: dict[str, list[str]] = {}
    for contract_id, title in ledger.titles.items():
        by_title.setdefault(title, []).append(contract_id)
    clients: dict[str, set[str]] = {}
    refunds: dict[str, float] = {}
    unmatched: dict[str, None] = {}
    ambiguous: dict[str, list[str]] = {}
    for file in files:
        weekly.problems.extend(file.problems)
        weekly.warnings.extend(file.warnings)
        for row in file.rows:
            candidates: list[str] = []
            for title in _titles(row.title):
                candidates = by_title.get(title, [])
                if candidates:
                    break
            if len(candidates) > 1:
                paying = [cid for cid in candidates if _pays(ledger, cid, row)]
                if len(paying) != 1:
                    ambiguous.setdefault(row.title, candidates)
                    continue
                candidates = paying
            if not candidates:
                unmatched.setdefault(row.title)
                continue
            contract_id = candidates[0]
            if row.refund and _listed_refund(ledger, contract_id, row):
                continue  # the Weekly Summary already has it as a negative amount
            if row.refund:
                refunds[contract_id] = refunds.get(contract_id, 0.0) + row.amount
            elif row.client:
                clients.setdefault(contract_id, set()).add(row.client)
    _apply(weekly, clients, refunds)
    name = files[0].name
    if ambiguous:
        listed = "; ".join(
            f"'{brief(title)}' (contracts {', '.join(ids)})" for title, ids in ambiguous.items()
        )
        weekly.warnings.append(
            f"{name}: {_count(len(ambiguous), 'title')} "
            f"{_verb(len(ambiguous), 'matches', 'match')} several Weekly Summary contracts, "
            f"which amount and date could not tell apart, so no client was taken from "
            f"{_verb(len(ambiguous), 'it', 'them')}: {listed} — add their clients in a CSV of "
            "your own keyed by contract_id"
        )
    torn = {cid: sorted(names) for cid, names in clients.items() if len(names) > 1}
    if torn:
        listed = "; ".join(
            f"'{brief(ledger.titles[cid])}' ({' or '.join(map(brief, names))})"
            for cid, names in torn.items()
        )
        weekly.warnings.append(
            f"{name}: {_count(len(torn), 'contract')} "
            f"{_verb(len(torn), 'was', 'were')} paid by different client teams, so no "
            f"client was taken: {listed} — add their clients in a CSV of your own keyed by "
            "contract_id"
        )
    if unmatched:
        listed = ", ".join(f"'{brief(title)}'" for title in unmatched)
        weekly.warnings.append(
            f"{name}: {_count(len(unmatched), 'title')} "
            f"{_verb(len(unmatched), 'matches', 'match')} no Weekly Summary contract, so "
            f"{_verb(len(unmatched), 'it was', 'they were')} not used: {listed} — pass the "
            "Weekly Summary export that covers "
            f"{_verb(len(unmatched), 'it', 'them')}"
        )


def _verb(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _apply(weekly: ParsedFile, clients: dict[str, set[str]], refunds: dict[str, float]) -> None:
    id_slot, client_slot, earnings_slot = SLOT["contract_id"], SLOT["client"], SLOT["earnings"]
    rows: list[Row] = []
    for row in weekly.rows:
        contract_id = row[id_slot]
        names = clients.get(contract_id, set())
        values: list[Any] = list(row)
        if len(names) == 1 and values[client_slot] is None:
            values[client_slot] = next(iter(names))
        if contract_id in refunds:
            values[earnings_slot] = max(0.0, round(values[earnings_slot] - refunds[contract_id], 2))
        rows.append(tuple(values))
    weekly.rows = rows
    if clients:
        weekly.provides = weekly.provides | {"client"}
