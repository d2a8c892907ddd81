"""The score as of a date, as data: what `score` prints and what snapshots store (CLI.md)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jsscheck.engine.arrays import ContractArrays
from jsscheck.engine.calendar import update_day
from jsscheck.engine.evaluate import Evaluation, TopRated, evaluate, top_rated
from jsscheck.engine.outcomes import Outcome, Reason
from jsscheck.model.candidate import candidate_name
from jsscheck.model.days import from_days
from jsscheck.model.rules import RuleSet
from jsscheck.render.jsondoc import Streamed

SCORE_SCHEMA = "jsscheck.score/1"
REVIEW_RISK_BELOW = 70


@dataclass(frozen=True)
class ScoreReport:
    """The score shown on `as_of` under `rules`, computed on `computed_on` (MODEL.md 7)."""

    as_of: date
    computed_on: date
    rules: RuleSet
    evaluation: Evaluation
    top_rated: TopRated
    warnings: tuple[str, ...] = field(default=())

    @property
    def jss(self) -> int | None:
        return self.evaluation.jss

    @property
    def review_risk(self) -> bool:
        return self.jss is not None and self.jss < REVIEW_RISK_BELOW


def score_report(
    arrays: ContractArrays, rules: RuleSet, as_of: date, warnings: tuple[str, ...] = ()
) -> ScoreReport:
    """Evaluate the history as shown on `as_of`."""
    computed_on = update_day(as_of, rules.cadence)
    evaluation = evaluate(arrays, rules, computed_on)
    return ScoreReport(
        as_of=as_of,
        computed_on=computed_on,
        rules=rules,
        evaluation=evaluation,
        top_rated=top_rated(arrays, rules, as_of),
        warnings=warnings,
    )


def _number(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def candidates_json(evaluation: Evaluation) -> dict[str, dict[str, Any]]:
    """Every window of the rules (plus 3m, 6m and Trending when Trending is on)."""
    sums = evaluation.scores.sums
    out: dict[str, dict[str, Any]] = {}
    for k, months in enumerate(sums.months):
        name = candidate_name(months)
        eligible = evaluation.window_eligible(months)
        out[name] = {
            "eligible": eligible,
            "score": evaluation.candidate_score(name) if eligible else None,
            "success": float(sums.success[0, k]),
            "negative": float(sums.negative[0, k]),
            "neutral": float(sums.neutral[0, k]),
            "total": float(sums.total[0, k]),
            "contracts": int(sums.contracts[0, k]),
            "clients": int(sums.clients[0, k]),
        }
    if evaluation.rules.trending:
        score = evaluation.candidate_score("trending")
        out["trending"] = {"eligible": score is not None, "score": score}
    return out


def contract_rows(evaluation: Evaluation) -> list[dict[str, Any]]:
    """Each contract started by the computation date: outcome, reason, weight, anchor, windows."""
    return list(iter_contract_rows(evaluation))


#: Contracts turned into rows at a time by `iter_contract_rows`.
ROW_CHUNK = 5_000


def iter_contract_rows(evaluation: Evaluation) -> Iterator[dict[str, Any]]:
    """`contract_rows`, made a chunk at a time (`score` streams them: 1.5 million rows as
    dicts would take gigabytes).

    Built from whole columns (labels, ISO dates and window lists looked up once per distinct
    value), because agencies' histories hold 100,000 contracts.
    """
    import numpy as np

    arrays = evaluation.arrays
    table = arrays.contracts
    months = sorted(evaluation.members)
    started = np.flatnonzero(evaluation.reason != Reason.NOT_STARTED)
    counted = evaluation.outcome != Outcome.EXCLUDED
    outcome_labels = np.array([o.label for o in Outcome], dtype=object)
    reason_labels = np.array([r.label for r in Reason], dtype=object)
    mask = np.zeros(arrays.size, dtype=np.int64)
    for bit, m in enumerate(months):
        mask |= evaluation.members[m].astype(np.int64) << bit
    window_lists = {
        value: [candidate_name(m) for bit, m in enumerate(months) if value >> bit & 1]
        for value in np.unique(mask).tolist()
    }
    anchor_text = {
        day: from_days(day).isoformat() for day in np.unique(evaluation.anchor[counted]).tolist()
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


def best_json(evaluation: Evaluation) -> dict[str, Any] | None:
    """`{"candidate": "12m", "score": 83.87}` or None."""
    if evaluation.best is None:
        return None
    return {"candidate": evaluation.best, "score": _number(evaluation.best_score)}


def score_document(report: ScoreReport, *, stream_contracts: bool = False) -> dict[str, Any]:
    """The `jsscheck.score/1` JSON document of CLI.md.

    With `stream_contracts`, "contracts" is a `jsonout.Streamed` array, made while written.
    """
    evaluation = report.evaluation
    top = report.top_rated
    return {
        "schema": SCORE_SCHEMA,
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
        "warnings": list(report.warnings),
    }


def evaluation_from_document(document: dict[str, Any]) -> Evaluation:
    """Rebuild the `Evaluation` a `jsscheck.score/1` document was made from (its inverse).

    A stored document keeps every candidate's sums and every contract's outcome, reason,
    weight, anchor and windows: all that MODEL.md 9 attributes with. It does not keep start
    dates or earnings, so the rebuilt contracts carry the computation date and NaN earnings
    (nothing downstream may take them for $0 contracts). Raises KeyError/ValueError on a
    document that lacks the detail.
    """
    import numpy as np

    from jsscheck.engine.windows import WindowSums, scores_from_sums
    from jsscheck.model.contract import Contract
    from jsscheck.model.days import to_days

    rules = RuleSet.from_params(document["rules"]["name"], document["rules"]["params"])
    day = date.fromisoformat(document["computed_on"])
    months = rules.candidate_windows
    candidates = document["candidates"]

    def column(key: str, dtype: type) -> np.ndarray:
        return np.array([[candidates[candidate_name(m)][key] for m in months]], dtype=dtype)

    sums = WindowSums(
        months=months,
        success=column("success", float),
        negative=column("negative", float),
        neutral=column("neutral", float),
        contracts=column("contracts", np.int64),
        clients=column("clients", np.int64),
    )
    rows = document["contracts"]
    contracts = [
        Contract(
            contract_id=row["contract_id"],
            client=row.get("client", ""),
            title=row.get("title", ""),
            start_date=day,
            earnings=math.nan,
        )
        for row in rows
    ]
    return Evaluation(
        rules=rules,
        day=day,
        arrays=ContractArrays.from_contracts(contracts),
        outcome=np.array([Outcome[row["outcome"].upper()] for row in rows], dtype=np.int8),
        reason=np.array([Reason[row["reason"].upper()] for row in rows], dtype=np.int8),
        weight=np.array([row["weight"] or 0.0 for row in rows], dtype=float),
        anchor=np.array(
            [to_days(date.fromisoformat(row["anchor"])) if row["anchor"] else 0 for row in rows],
            dtype=np.int64,
        ),
        members={
            m: np.array([candidate_name(m) in row["windows"] for row in rows], dtype=bool)
            for m in months
        },
        scores=scores_from_sums(rules, np.array([to_days(day)], dtype=np.int64), sums),
    )
