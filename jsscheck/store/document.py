"""The snapshot document round trip: a ``jsscheck.score/1`` document ↔ a `Snapshot`.

The score document itself is built by `jsscheck.render` and reaches the store as a dict; the
store keeps it whole (``Snapshot.document``) beside the columns drawn from it here, so the
stored snapshot can be shown, exported and diffed without the history it was computed from.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any

from jsscheck.engine.arrays import ContractArrays
from jsscheck.engine.evaluate import Evaluation
from jsscheck.engine.outcomes import Outcome, Reason
from jsscheck.engine.windows import WindowSums, scores_from_sums
from jsscheck.model.candidate import candidate_name
from jsscheck.model.contract import Contract
from jsscheck.model.days import to_days
from jsscheck.model.rules import RuleSet
from jsscheck.store.snapshots import DEFAULT_PROFILE, Snapshot, utc_timestamp


def snapshot_from_document(
    document: Mapping[str, Any],
    *,
    source_sha256: str,
    profile: str = DEFAULT_PROFILE,
    observed_jss: int | None = None,
    taken_at: str | None = None,
) -> Snapshot:
    """A snapshot (without id) of a ``jsscheck.score/1`` document (CLI.md).

    `source_sha256` is the sha256 of the inputs scored; `taken_at` defaults to now (UTC).
    """
    best = document.get("best")
    candidates = document.get("candidates") or {}
    return Snapshot(
        profile=profile,
        taken_at=taken_at or utc_timestamp(),
        as_of=str(document["as_of"]),
        rules_name=str(document["rules"]["name"]),
        rules_fingerprint=str(document["rules"]["fingerprint"]),
        jss=document.get("jss"),
        best_candidate=best["candidate"] if best else None,
        best_score=best["score"] if best else None,
        windows={name: window.get("score") for name, window in candidates.items()},
        observed_jss=observed_jss,
        source_sha256=source_sha256,
        document=dict(document),
    )


def score_document_of(snapshot: Snapshot) -> dict[str, Any] | None:
    """The ``jsscheck.score/1`` document `snapshot` stored, when it has the whole shape that
    `snapshots show` prints (CLI.md); None for one stored without it (or damaged inside)."""
    document = snapshot.document
    return document if _is_score_document(document) else None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _has(mapping: object, **types: Any) -> bool:
    """`mapping` is a dict whose keys `types` hold values of those types (a tuple: any of)."""
    if not isinstance(mapping, dict):
        return False
    for key, kind in types.items():
        value = mapping.get(key, _MISSING)
        if kind is _NUMBER:
            if not _is_number(value):
                return False
        elif kind is _OPTIONAL_NUMBER:
            if value is not None and not _is_number(value):
                return False
        elif not isinstance(value, kind):
            return False
    return True


_MISSING = object()
_NUMBER = object()
_OPTIONAL_NUMBER = object()
_TEXT_OR_NONE = (str, type(None))


def _is_score_document(document: Mapping[str, Any]) -> bool:
    rules = document.get("rules")
    params = rules.get("params") if isinstance(rules, dict) else None
    best = document.get("best")
    candidates = document.get("candidates")
    contracts = document.get("contracts")
    return (
        _has(document, as_of=str, computed_on=str, review_risk=bool, warnings=list)
        and _has(rules, name=str, params=dict)
        and _has(params, min_outcomes=_NUMBER, min_clients=_NUMBER)
        and (document.get("jss") is None or _is_number(document.get("jss")))
        and (best is None or _has(best, candidate=str, score=_NUMBER))
        and _has(
            document.get("top_rated"),
            eligible_weeks=_NUMBER,
            weeks=_NUMBER,
            earnings_12m=_NUMBER,
            eligible=bool,
        )
        and isinstance(candidates, dict)
        and all(
            _has(c, score=_OPTIONAL_NUMBER)
            and (
                name == "trending"
                or _has(
                    c,
                    eligible=bool,
                    success=_NUMBER,
                    negative=_NUMBER,
                    neutral=_NUMBER,
                    total=_NUMBER,
                    contracts=_NUMBER,
                    clients=_NUMBER,
                )
            )
            for name, c in candidates.items()
        )
        and isinstance(contracts, list)
        and all(
            _has(
                row,
                contract_id=str,
                client=str,
                outcome=str,
                reason=str,
                weight=_OPTIONAL_NUMBER,
                anchor=_TEXT_OR_NONE,
                windows=list,
            )
            and row["outcome"] in ("success", "negative", "neutral", "excluded")
            for row in contracts
        )
    )


def evaluation_from_document(document: dict[str, Any]) -> Evaluation:
    """Rebuild the `Evaluation` a `jsscheck.score/1` document was made from (its inverse).

    A stored document keeps every candidate's sums and every contract's outcome, reason,
    weight, anchor and windows: all that MODEL.md 9 attributes with. It does not keep start
    dates or earnings, so the rebuilt contracts carry the computation date and NaN earnings
    (nothing downstream may take them for $0 contracts). Raises KeyError/ValueError on a
    document that lacks the detail.
    """
    import numpy as np

    params = dict(document["rules"]["params"])
    params["windows"] = tuple(params["windows"])
    rules = RuleSet(name=document["rules"]["name"], **params)
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


def stored_evaluation(snapshot: Snapshot) -> Evaluation | None:
    """The evaluation `snapshot` stored, or None when its document lacks the detail."""
    try:
        return evaluation_from_document(dict(snapshot.document))
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return None
