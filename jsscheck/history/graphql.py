"""Saved responses of Upwork's GraphQL API: `talentWorkHistory` as an input, and the profile's
`jobSuccessScore` as the JSS Upwork shows (an observation, not a contract).

A response is `{"data": {"talentWorkHistory": {"workHistoryList": [...]}}}` (the `data` and
`talentWorkHistory` wrappers are optional; several responses may be saved as an array). Per item:
`contract{id startDate endDate status clientTeamId title}`, `contractAggregate{totalCharge hours}`
(`totalCharge` a string of USD) and `feedback{feedbackToFreelancer{score}}`.
"""

from __future__ import annotations

from typing import Any

from jsscheck.errors import InputNotFoundError, InvalidInputError, Problem
from jsscheck.history.tables import ParsedFile, make_row
from jsscheck.history.upwork import GRAPHQL_KIND
from jsscheck.history.values import (
    is_empty,
    parse_earnings,
    parse_public_feedback,
    parse_text,
)
from jsscheck.history.work_history import ItemValues, upwork_date


def _unwrap(document: Any) -> Any:
    if isinstance(document, dict) and isinstance(document.get("data"), dict):
        document = document["data"]
    if isinstance(document, dict) and isinstance(document.get("talentWorkHistory"), dict):
        document = document["talentWorkHistory"]
    return document


def _pages(document: Any) -> list[Any]:
    return document if isinstance(document, list) else [document]


def is_graphql(document: Any) -> bool:
    """True for a saved `talentWorkHistory` response (or an array of them)."""
    pages = _pages(document)
    return bool(pages) and all(
        isinstance(_unwrap(page), dict) and "workHistoryList" in _unwrap(page) for page in pages
    )


def observed_jss(document: Any) -> int | None:
    """The JSS Upwork shows, from a saved `freelancerProfileByProfileKey` response.

    `{"data": {"freelancerProfileByProfileKey": {"aggregates": {"jobSuccessScore": 92}}}}`
    (the `data` wrapper optional); None when the response holds no score. A whole percentage
    from 0 to 100, as the profile shows it (`92` or `92.0`); raises ValueError for anything else.
    """
    if isinstance(document, dict) and isinstance(document.get("data"), dict):
        document = document["data"]
    profile = document.get("freelancerProfileByProfileKey") if isinstance(document, dict) else None
    aggregates = profile.get("aggregates") if isinstance(profile, dict) else None
    raw = aggregates.get("jobSuccessScore") if isinstance(aggregates, dict) else None
    if raw is None or is_empty(raw):
        return None
    if isinstance(raw, bool):
        raise ValueError(f"jobSuccessScore is not a number (got {raw!r})")
    try:
        score = float(raw)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"jobSuccessScore is not a number (got {raw!r})") from exc
    if not 0 <= score <= 100:
        raise ValueError(f"jobSuccessScore is outside 0–100 (got {raw!r})")
    if not score.is_integer():
        raise ValueError(f"jobSuccessScore is not a whole percentage (got {raw!r})")
    return int(score)


def read_observed_jss(path: str) -> int:
    """`observed_jss` of a saved profile response file (for `snapshot --observed FILE` and
    `calibrate --observed FILE`).

    Raises `InputNotFoundError` (exit 66) for a missing file and `InvalidInputError` (exit 65)
    naming the file when it is not JSON, holds no `jobSuccessScore`, or its score is not a
    whole number from 0 to 100.
    """
    from jsscheck.history.jsontext import loads
    from jsscheck.history.sources import load_input

    try:
        raw = load_input(path)
    except InputNotFoundError as missing:
        raise InputNotFoundError(
            missing.message,
            hint="--observed takes the JSS as a number (92) or a saved profile response file",
        ) from None
    fix = (
        "save the freelancerProfileByProfileKey response unchanged, with "
        "aggregates { jobSuccessScore } in its query"
    )
    try:
        score = observed_jss(loads(raw.read().decode("utf-8-sig")))
    except (UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError is a ValueError
        problem = str(exc).split(" (got")[0]
        if not problem.startswith("jobSuccessScore"):
            problem = f"not a JSON file ({exc})"
        raise InvalidInputError(
            [Problem(raw.name, "", "jobSuccessScore", problem, None, fix)]
        ) from exc
    if score is None:
        raise InvalidInputError(
            [Problem(raw.name, "", "jobSuccessScore", "the response holds no JSS", None, fix)]
        )
    return score


def read_graphql(document: Any, name: str, dayfirst: bool) -> ParsedFile:
    """Read saved `talentWorkHistory` responses into Upwork records, one per contract."""
    parsed = ParsedFile(name, GRAPHQL_KIND)
    parsed.provides = {"contract_id", "title", "client", "start_date", "end_date", "earnings"}
    pages = _pages(document)
    many = isinstance(document, list)
    for page_index, page in enumerate(pages):
        items = _unwrap(page).get("workHistoryList")
        page_at = f"[{page_index}]" if many else ""
        if not isinstance(items, list):
            parsed.problems.append(
                Problem(
                    name,
                    page_at,
                    "workHistoryList",
                    "not a list",
                    None,
                    "save the talentWorkHistory response unchanged",
                )  # fmt: skip
            )
            continue
        for index, item in enumerate(items):
            _item(parsed, item, f"{page_at}[{index}]", dayfirst)
    if not parsed.rows and not parsed.problems:
        parsed.problems.append(
            Problem(
                name,
                "",
                "",
                "no contracts: workHistoryList is empty",
                None,
                "save a response that lists your contracts",
            )  # fmt: skip
        )
    return parsed


def _item(parsed: ParsedFile, item: Any, location: str, dayfirst: bool) -> None:
    contract = item.get("contract") if isinstance(item, dict) else None
    if not isinstance(contract, dict):
        parsed.problems.append(
            Problem(
                parsed.name,
                location,
                "contract",
                "not a work-history item",
                None,
                "save the talentWorkHistory response unchanged",
            )  # fmt: skip
        )
        return
    aggregate = item.get("contractAggregate") or {}
    feedback = (item.get("feedback") or {}).get("feedbackToFreelancer") or {}
    reader = ItemValues(parsed, location)
    values, failed, take = reader.values, reader.failed, reader.take

    take("contract_id", "contract.id", contract.get("id"), parse_text)
    if values.get("contract_id") is None:
        if not failed:
            parsed.problems.append(
                Problem(
                    parsed.name,
                    location,
                    "contract.id",
                    "item has no contract id",
                    None,
                    "save the talentWorkHistory response unchanged",
                )  # fmt: skip
            )
        return
    take("title", "contract.title", contract.get("title"), parse_text)
    take("client", "contract.clientTeamId", contract.get("clientTeamId"), parse_text)
    take("start_date", "contract.startDate", contract.get("startDate"),
         lambda r: upwork_date(r, dayfirst))  # fmt: skip
    take("end_date", "contract.endDate", contract.get("endDate"),
         lambda r: upwork_date(r, dayfirst))  # fmt: skip
    if isinstance(aggregate, dict):
        take("earnings", "contractAggregate.totalCharge", aggregate.get("totalCharge"),
             parse_earnings)  # fmt: skip
    score = feedback.get("score") if isinstance(feedback, dict) else None
    if not is_empty(score) and score not in (0, "0"):
        take("public_feedback", "feedback.feedbackToFreelancer.score", score,
             parse_public_feedback)  # fmt: skip
    for canonical in failed:
        parsed.invalid.add((values["contract_id"], canonical))
    parsed.rows.append(make_row(values, parsed.name, location, GRAPHQL_KIND))
