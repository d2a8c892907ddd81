"""The Weekly Summary (CSV, FORMATS.md 2b): payment rows combined into one record per contract.

Rows are per *work day* for hourly contracts (hours logged that day, as decimals such as
`0.33333`) and per payment for fixed-price payments and bonuses. The report can be customised
with more columns: only the five documented ones are read, the others are ignored.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from jsscheck.errors import Problem
from jsscheck.history.tables import (
    ParsedFile,
    TextInput,
    UnclosedQuote,
    csv_rows,
    make_row,
    normalize_column,
)
from jsscheck.history.upwork import WEEKLY_HEADER, WEEKLY_KIND, is_weekly_header
from jsscheck.history.values import ValueProblem, parse_date, parse_money, shown

_CONTRACT_ID = re.compile(r"(.*?)\s*\((\d+)\)\s*")


def paid_on(day: date, hourly: bool) -> date:
    """When a Weekly Summary row was paid, as far as the export tells (an ASSUMPTION).

    A fixed-price payment or a bonus is dated the day it was paid. An hourly row is a day of
    *work*: Upwork's work week runs Monday to Sunday and the client is billed on the following
    Monday, so the work of day D is taken as paid on the first Monday after D's week (a Monday's
    work one week later, a Sunday's the next day). The money then waits in review before the
    freelancer can withdraw it; that delay does not matter to the score and is not modelled.
    """
    if not hourly:
        return day
    return day + timedelta(days=7 - day.weekday())


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


@dataclass
class WeeklyLedger:
    """What the combined Weekly Summary exports tell beyond one record per contract."""

    #: Per contract id: (paid date, amount) of every payment, hourly work days summed by the
    #: Monday that bills them (what the Transaction History shows as one earning).
    payments: dict[str, list[tuple[date, float]]] = field(default_factory=dict)
    #: Per contract id: its title (the latest row's).
    titles: dict[str, str] = field(default_factory=dict)
    #: The first date any export covers (its earliest row), for the short-coverage warning.
    first_date: date | None = None
    #: Whether any row is hourly, i.e. a paid date was estimated with `paid_on`.
    estimated: bool = False


def combine_weekly(files: list[WeeklyFile]) -> tuple[ParsedFile, WeeklyLedger]:
    """One Upwork record per contract from every Weekly Summary export together.

    Exports overlap: a row found in several files counts once (as many times as the file holding
    it most often has it). Within one file, identical rows are separate payments (a customised
    report may hide the column that tells them apart).
    """
    name = files[0].name
    parsed = ParsedFile(name, WEEKLY_KIND)
    parsed.provides = {"contract_id", "title", "earnings", "last_payment_date", "paid_periods"}
    ledger = WeeklyLedger()
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
    by_contract: dict[str, list[tuple[date, date, float, int]]] = {}
    titles: dict[str, tuple[date, str]] = {}
    where: dict[str, tuple[str, int]] = {}
    for key, (file_name, row) in first_row.items():
        day, contract_id, hours, amount, payment_type = key
        # Hourly: no payment type, and the hours worked that day.
        hourly = payment_type == "" and hours != ""
        ledger.estimated |= hourly
        paid = paid_on(day, hourly)
        by_contract.setdefault(contract_id, []).append((day, paid, amount, counts[key]))
        where.setdefault(contract_id, (file_name, row.line))
        if contract_id not in titles or day >= titles[contract_id][0]:
            titles[contract_id] = (day, row.title)
        if ledger.first_date is None or day < ledger.first_date:
            ledger.first_date = day
    for contract_id, payments in by_contract.items():
        worked = [day for day, _paid, _amount, _count in payments]
        paid_days = [paid for _day, paid, _amount, _count in payments]
        first_paid, last = min(paid_days), max(paid_days)
        # Rounded to cents: float sums of many payments drift (0.1 + 0.2).
        earnings = round(sum(amount * count for *_days, amount, count in payments), 2)
        periods = len({(day - first_paid).days // 90 for day in paid_days}) - 1
        by_paid_day: dict[date, float] = {}
        for _day, paid, amount, count in payments:
            by_paid_day[paid] = by_paid_day.get(paid, 0.0) + amount * count
        ledger.payments[contract_id] = sorted(
            (paid, round(total, 2)) for paid, total in by_paid_day.items()
        )
        ledger.titles[contract_id] = titles[contract_id][1]
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
            # The first day of work (or payment): the contract had started by then.
            "first_payment_date": min(worked),
            "paid_periods": periods,
        }
        parsed.rows.append(make_row(values, file_name, line, WEEKLY_KIND))
    return parsed, ledger
