"""The `jsscheck.score/1` JSON document of CLI.md, and its inverse for stored snapshots."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from jsscheck.analyses.score import ScoreReport, window_scores
from jsscheck.engine.evaluate import Evaluation
from jsscheck.engine.outcomes import Outcome, Reason
from jsscheck.model.candidate import candidate_name
from jsscheck.model.days import from_days, to_days
from jsscheck.model.unique import unique_ints
from jsscheck.render import schemas
from jsscheck.render.jsondoc import Streamed
from jsscheck.render.phrases import contract_title, coverage_warning, warning_lines

if TYPE_CHECKING:
    import numpy as np

#: Contracts turned into rows at a time by `iter_contract_rows`.
ROW_CHUNK = 5_000


def _number(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def candidates_json(evaluation: Evaluation) -> dict[str, dict[str, Any]]:
    """Every window of the rules (plus 3m, 6m and Trending when Trending is on)."""
    out: dict[str, dict[str, Any]] = {}
    for window in window_scores(evaluation):
        if window.contracts is None:  # Trending: a mean of two windows, no sums of its own
            out[window.name] = {"eligible": window.eligible, "score": window.score}
            continue
        out[window.name] = {
            "eligible": window.eligible,
            "score": window.score,
            "success": window.success,
            "negative": window.negative,
            "neutral": window.neutral,
            "total": window.total,
            "contracts": window.contracts,
            "clients": window.clients,
        }
    return out


def contract_rows(evaluation: Evaluation) -> list[dict[str, Any]]:
    """Each contract started by the computation date: outcome, reason, weight, anchor, windows."""
    return list(iter_contract_rows(evaluation))


def iter_contract_rows(
    evaluation: Evaluation, chosen: np.ndarray | None = None
) -> Iterator[dict[str, Any]]:
    """`contract_rows`, made a chunk at a time (`score` streams them: 1.5 million rows as
    dicts would take gigabytes); with `chosen`, the rows of those contracts (positions in
    the history) in that order.

    Built from whole columns (labels, ISO dates and window lists looked up once per distinct
    value), because agencies' histories hold 100,000 contracts.
    """
    import numpy as np

    arrays = evaluation.arrays
    table = arrays.contracts
    months = sorted(evaluation.members)
    started = np.flatnonzero(evaluation.reason != Reason.NOT_STARTED) if chosen is None else chosen
    counted = evaluation.outcome != Outcome.EXCLUDED
    outcome_labels = np.array([o.label for o in Outcome], dtype=object)
    reason_labels = np.array([r.label for r in Reason], dtype=object)
    mask = np.zeros(arrays.size, dtype=np.int64)
    for bit, m in enumerate(months):
        mask |= evaluation.members[m].astype(np.int64) << bit
    window_lists = {
        value: [candidate_name(m) for bit, m in enumerate(months) if value >> bit & 1]
        for value in unique_ints(mask).tolist()
    }
    anchor_text = {
        day: from_days(day).isoformat() for day in unique_ints(evaluation.anchor[counted]).tolist()
    }
    ids, titles, clients = table.ids, table.titles, table.clients
    for first in range(0, len(started), ROW_CHUNK):
        chunk = started[first : first + ROW_CHUNK]
        outcomes = outcome_labels[evaluation.outcome[chunk]].tolist()
        reasons = reason_labels[evaluation.reason[chunk]].tolist()
        is_counted = counted[chunk].tolist()
        weights = evaluation.weight[chunk].tolist()
        anchors = evaluation.anchor[chunk].tolist()
        masks = mask[chunk].tolist()
        codes = table.client_code[chunk].tolist()
        for k, i in enumerate(chunk.tolist()):
            yield {
                "contract_id": ids[i],
                "client": clients[codes[k]],
                "title": titles[i],
                "outcome": outcomes[k],
                "reason": reasons[k],
                "weight": weights[k] if is_counted[k] else None,
                "anchor": anchor_text[anchors[k]] if is_counted[k] else None,
                "windows": window_lists[masks[k]],
            }


def started_count(evaluation: Evaluation) -> int:
    """How many contracts had started by the computation date (the rows `score` lists)."""
    return int((evaluation.reason != Reason.NOT_STARTED).sum())


def newest_first(evaluation: Evaluation, limit: int) -> np.ndarray:
    """The positions of at most `limit` contracts started by the computation date, newest
    first, the history's order among equals: a contract that counts by its anchor, one that
    does not (in progress, $0, no feedback) by its last known date (payment, end or start, on
    or before the computation date), so an open contract is not left out as old."""
    import numpy as np

    table = evaluation.arrays.contracts
    day = to_days(evaluation.day)
    latest = table.start
    for known, value in ((table.has_end, table.end), (table.has_last_payment, table.last_payment)):
        latest = np.where(known & (value <= day), np.maximum(latest, value), latest)
    key = np.where(evaluation.outcome != Outcome.EXCLUDED, evaluation.anchor, latest)
    started = np.flatnonzero(evaluation.reason != Reason.NOT_STARTED)
    order = np.argsort(-key[started], kind="stable")[:limit]
    chosen: np.ndarray = started[order]
    return chosen


def best_json(evaluation: Evaluation) -> dict[str, Any] | None:
    """`{"candidate": "12m", "score": 83.87}` or None."""
    if evaluation.best is None:
        return None
    return {"candidate": evaluation.best, "score": _number(evaluation.best_score)}


def score_document(report: ScoreReport, *, stream_contracts: bool = False) -> dict[str, Any]:
    """The `jsscheck.score/1` JSON document of CLI.md.

    With `stream_contracts`, "contracts" is a `jsondoc.Streamed` array, made while written.
    """
    evaluation = report.evaluation
    top = report.top_rated
    return {
        "schema": schemas.SCORE,
        "as_of": report.as_of.isoformat(),
        "computed_on": report.computed_on.isoformat(),
        "rules": report.rules.to_json(),
        "jss": report.jss,
        "best": best_json(evaluation),
        "candidates": candidates_json(evaluation),
        "contracts": (
            Streamed(lambda: iter_contract_rows(evaluation))
            if stream_contracts
            else contract_rows(evaluation)
        ),
        "top_rated": {
            "eligible_weeks": top.eligible_weeks,
            "weeks": top.weeks,
            "earnings_12m": top.earnings_12m,
            "eligible": top.eligible,
        },
        "review_risk": report.review_risk,
        "warnings": [*report.warnings, *credit_warnings(report)],
    }


def compare_document(as_of: date, documents: list[dict[str, Any]]) -> dict[str, Any]:
    """The `jsscheck.compare/1` document: one score document per rule set."""
    return {"schema": schemas.COMPARE, "as_of": as_of.isoformat(), "results": documents}


def credit_warnings(report: ScoreReport) -> list[str]:
    """MODEL.md 11 warnings beside a score: short coverage, then "open contracts credited"
    one sentence each (as explain says them)."""
    import numpy as np

    coverage = [coverage_warning(report.short_coverage)] if report.short_coverage else []
    if not report.open_credits:
        return coverage
    # Only the credited contracts: a lookup over the whole history would index every id.
    credited = report.evaluation.arrays.select(np.array([w.index for w in report.open_credits]))
    titles = dict(zip(credited.contracts.ids, credited.contracts.titles, strict=True))
    return coverage + warning_lines(
        report.open_credits, lambda i: contract_title(titles.get(i), i), report.as_of
    )
