"""Reading contract histories (FORMATS.md): detect, parse, validate and merge inputs.

The one entry point is `read_histories`; everything else in this package is its machinery.
"""

from __future__ import annotations

import gc
import hashlib
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from jsscheck.errors import InvalidInputError, Problem, UsageError
from jsscheck.history.merge import merge
from jsscheck.history.sources import RawInput, check_input_format, load_input, parse_input
from jsscheck.history.tables import ParsedFile
from jsscheck.history.upwork import ASSUMPTION_HOURLY_PAID_MONDAY
from jsscheck.model.table import ContractTable

if TYPE_CHECKING:
    # Upwork's exports are read by modules imported only when such an input is read (a few
    # milliseconds of every command's start-up otherwise).
    from jsscheck.history.transactions import TransactionFile
    from jsscheck.history.weekly import WeeklyFile


@dataclass
class ReadResult:
    """What was read: the merged, validated contracts (in first-seen order) and the warnings."""

    contracts: ContractTable
    warnings: list[str] = field(default_factory=list)
    #: sha256 over the raw bytes of every input, in order (the snapshot store records it).
    source_sha256: str = ""
    #: Codes of the assumptions the read made (history.upwork.ASSUMPTION_*), for render/ to
    #: word: "hourly-paid-next-monday" when a Weekly Summary hourly row's paid date was estimated.
    assumptions: tuple[str, ...] = ()
    #: The first date the date-bounded Upwork exports (Weekly Summary, Transaction History)
    #: cover, when the contracts come from them and no export lists the whole history (the
    #: profile's work history, a talentWorkHistory response): contracts paid earlier may be
    #: missing (MODEL.md §11 "Short coverage"). None otherwise.
    covered_from: date | None = None


__all__ = ["ReadResult", "read_histories"]


def read_histories(
    sources: list[str],
    *,
    dayfirst: bool = False,
    input_format: str | None = None,
    include_agency: bool = False,
) -> ReadResult:
    """Read, validate and merge the inputs named by `sources` (paths, or `-` for stdin).

    Raises `InvalidInputError` (exit 65) listing every problem, `InputNotFoundError` (exit 66)
    for a missing or unopenable file, `IOFailure` (exit 74) when reading one fails, and
    `UsageError` (exit 2) for an unknown `input_format`. Every input is read once, whole; the
    sha256 is of exactly the bytes parsed. Agency contracts of a work history are left out
    (with a warning) unless `include_agency`.
    """
    check_input_format(input_format)
    if not sources:
        raise UsageError("no history given", hint="pass one or more files, or - for stdin")
    if sources.count("-") > 1:
        raise UsageError("standard input (-) can be read only once")
    raw_inputs = [load_input(source) for source in sources]
    digest = hashlib.sha256()  # fed every input's bytes, in order, as they are parsed

    # Parsing creates millions of short-lived lists (a row's cells) and long-lived parse caches:
    # pausing the cyclic garbage collector, which would rescan them again and again, saves
    # time, and nothing read forms a cycle.
    collecting = gc.isenabled()
    gc.disable()
    try:
        contracts, warnings, facts = _read(
            raw_inputs, dayfirst, input_format, digest, include_agency
        )
    finally:
        if collecting:
            gc.enable()
    return ReadResult(
        contracts,
        _cap_unknown_columns(warnings),
        digest.hexdigest(),
        assumptions=facts.assumptions,
        covered_from=facts.covered_from,
    )


@dataclass
class _Facts:
    assumptions: tuple[str, ...] = ()
    covered_from: date | None = None


#: At most this many "unknown column" warnings per file; the rest are counted.
MAX_UNKNOWN_COLUMN_WARNINGS = 20


def _cap_unknown_columns(warnings: list[str]) -> list[str]:
    """A file with 100,000 stray columns gets 20 warnings and a count, not 100,000 lines."""
    kept: list[str] = []
    per_file: dict[str, int] = {}
    for warning in warnings:
        name, marker, _ = warning.partition(": unknown column '")
        if not marker:
            kept.append(warning)
            continue
        per_file[name] = per_file.get(name, 0) + 1
        if per_file[name] <= MAX_UNKNOWN_COLUMN_WARNINGS:
            kept.append(_with_suggestion(warning))
    for name, count in per_file.items():
        extra = count - MAX_UNKNOWN_COLUMN_WARNINGS
        if extra > 0:
            kept.append(f"{name}: … and {extra} more unknown columns ignored")
    return kept


def _with_suggestion(warning: str) -> str:
    """`… unknown column 'Total earned' ignored — did you mean 'total_earnings'?` when a known
    column name is close to the unknown one."""
    from jsscheck.history.tables import closest_column

    column = warning.partition(": unknown column '")[2].rpartition("' ignored")[0]
    suggestion = closest_column(column) if column else None
    return f"{warning} — did you mean '{suggestion}'?" if suggestion else warning


def _read(
    raw_inputs: list[RawInput],
    dayfirst: bool,
    input_format: str | None,
    digest: Any,
    include_agency: bool,
) -> tuple[ContractTable, list[str], _Facts]:
    parts: list[ParsedFile] = []
    weekly_files: list[WeeklyFile] = []
    transaction_files: list[TransactionFile] = []
    weekly_position: int | None = None
    for raw in raw_inputs:
        parsed = parse_input(raw, dayfirst, input_format, digest, include_agency)
        raw.data = None  # the input's bytes, parsed: free them before the next input
        if isinstance(parsed, ParsedFile):
            parts.append(parsed)
            continue
        from jsscheck.history.weekly import WeeklyFile

        if isinstance(parsed, WeeklyFile):
            # Weekly Summary exports overlap: their rows are combined before merging, and the
            # combined records take the place of the first of them in the input order.
            if weekly_position is None:
                weekly_position = len(parts)
            weekly_files.append(parsed)
        else:
            transaction_files.append(parsed)  # enriches the Weekly Summary records
    facts = _Facts()
    if weekly_files:
        assert weekly_position is not None
        from jsscheck.history.transactions import enrich
        from jsscheck.history.weekly import combine_weekly

        combined, ledger = combine_weekly(weekly_files)
        if transaction_files:
            enrich(combined, ledger, transaction_files)
        parts.insert(weekly_position, combined)
        if ledger.estimated:
            facts.assumptions = (ASSUMPTION_HOURLY_PAID_MONDAY,)
        firsts = [ledger.first_date] + [t.first_date for t in transaction_files]
        whole = any(part.kind in _WHOLE_HISTORY for part in parts)
        known = [day for day in firsts if day is not None]
        if known and not whole:
            facts.covered_from = min(known)
    elif transaction_files:
        from jsscheck.history.transactions import ALONE_FIX

        first = transaction_files[0]
        for file in transaction_files:
            parts.append(_problems_only(file))
        if not parts or all(part.kind == "transactions" for part in parts):
            parts[0].problems.append(
                Problem(
                    first.name,
                    "1",
                    "",
                    "a Transaction History alone cannot make a history",
                    None,
                    ALONE_FIX,
                )
            )
        else:
            parts[0].warnings.append(
                f"{first.name}: the Transaction History only adds clients to Weekly Summary "
                "contracts; without a Weekly Summary it was not used"
            )

    contracts, problems, warnings = merge(parts)
    if problems:
        raise InvalidInputError(_suggest_renames(problems, warnings))
    return contracts, warnings, facts


#: Inputs that list every contract, not only those of a date range.
_WHOLE_HISTORY = ("upwork-json", "upwork-graphql")


def _problems_only(file: TransactionFile) -> ParsedFile:
    parsed = ParsedFile(file.name, "transactions")
    parsed.problems.extend(file.problems)
    parsed.warnings.extend(file.warnings)
    return parsed


def _suggest_renames(problems: list[Problem], warnings: list[str]) -> list[Problem]:
    """A required column missing while an unknown column of the same file is close to one of
    its names (`Total earned` for earnings): the fix says which column to rename, to what."""
    from jsscheck.history.tables import COLUMN_TO_FIELD, closest_column, normalize_column

    unknown: dict[tuple[str, str], tuple[str, str]] = {}  # (file, field) → (column, spelling)
    for warning in warnings:
        name, marker, rest = warning.partition(": unknown column '")
        column = rest.rpartition("' ignored")[0]
        spelling = closest_column(column) if marker and column else None
        if spelling:
            field_name = COLUMN_TO_FIELD[normalize_column(spelling)]
            unknown.setdefault((name, field_name), (column, spelling))
    result = []
    for problem in problems:
        close = unknown.get((problem.file, problem.field))
        if close and problem.problem == "required column missing":
            column, spelling = close
            fix = f"did you mean '{spelling}'? Rename the column '{column}' to {spelling}"
            problem = replace(problem, fix=fix + (f", or {problem.fix}" if problem.fix else ""))
        result.append(problem)
    return result
