"""What `validate` says: about a history that reads without errors, or its problems once each."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from jsscheck.errors import MAX_PROBLEMS_SHOWN, Problem
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
        "assumptions": [ASSUMPTION_WORDS.get(code, code) for code in read.assumptions],
        "covered_from": read.covered_from.isoformat() if read.covered_from else None,
        "source_sha256": read.source_sha256,
    }


#: What each assumption code of the reader (history.upwork.ASSUMPTION_*) means, in words.
ASSUMPTION_WORDS: dict[str, str] = {
    "hourly-paid-next-monday": "hourly days of work in the Weekly Summary are taken as paid on "
    "the Monday after their week (Upwork bills the week then); this is an assumption",
}


def validate_sentence(doc: dict[str, Any]) -> str:
    """`OK: 4 contracts (0 open) with 4 clients from 2026-09-01 to 2026-11-06.`"""
    first, last = doc["first_date"], doc["last_date"]
    span = f" from {first} to {last}" if first and last else ""
    warnings = len(doc["warnings"])
    sentence = (
        f"OK: {count(doc['contracts'], 'contract')} ({doc['open']} open) with "
        f"{count(doc['clients'], 'client')}{span}"
        + (f", {count(warnings, 'warning')}" if warnings else "")
        + "."
    )
    if doc.get("covered_from"):
        sentence += f" Your Upwork exports cover payments from {doc['covered_from']} on."
    for words in doc.get("assumptions") or ():
        sentence += f" Note: {words}."
    return sentence


#: A contract id inside a problem's text (`not known for contract 38245257: …`).
_CONTRACT_IN_TEXT = re.compile(r"\bcontract (\S*\d\S*?)(?=[:,;]?(?:\s|$))")


def problem_lines(problems: list[Problem]) -> list[str]:
    """One line per problem (FORMATS.md section 3), each distinct problem's fix said once.

    A Weekly Summary alone gives the same "client not known" problem for each contract: the
    first says it in full with `(the same for 15 more contracts below)`, the others name their
    contract and `— the same as line 2`, instead of the same long fix sixteen times.
    """
    groups: dict[tuple[str, str, str, str], list[Problem]] = {}
    for problem in problems:
        groups.setdefault(_key(problem), []).append(problem)
    lines: list[str] = []
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        group = groups[_key(problem)]
        first = group[0]
        if len(group) == 1 or not problem.fix:
            lines.append(str(problem))
        elif problem is first:
            lines.append(f"{problem} ({_the_same_below(group[1:])})")
        else:
            where = f"{_where(first.location)}" if first.location else "above"
            found = _CONTRACT_IN_TEXT.search(problem.problem)
            short = problem.problem[: found.end()] if found else problem.problem
            lines.append(f"{replace(problem, problem=short, fix=None)} — the same as {where}")
    rest = len(problems) - MAX_PROBLEMS_SHOWN
    if rest > 0:
        lines.append(f"… and {count(rest, 'more problem')}")
    return lines


def _key(problem: Problem) -> tuple[str, str, str, str]:
    """What makes two problems the same: file, field, the words (contract ids aside), fix."""
    masked = _CONTRACT_IN_TEXT.sub("contract …", problem.problem)
    return (problem.file, problem.field, masked, problem.fix or "")


def _the_same_below(others: list[Problem]) -> str:
    """`the same for 15 more contracts below` (or lines, or places in a JSON file)."""
    if all(_CONTRACT_IN_TEXT.search(p.problem) for p in others):
        return f"the same for {count(len(others), 'more contract')} below"
    if all(p.location.isdigit() for p in others):
        return f"the same on {count(len(others), 'more line')} below"
    return f"the same in {count(len(others), 'more place')} below"


def _where(location: str) -> str:
    """`line 3` for a CSV line, `[3]` as it is for a JSON element."""
    return f"line {location}" if location.isdigit() else location
