"""The snapshot document round trip: a ``jsscheck.score/1`` document ↔ a `Snapshot`.

The score document itself is built by `jsscheck.render` and reaches the store as a dict; the
store keeps it whole (``Snapshot.document``) beside the columns drawn from it here, so the
stored snapshot can be shown, exported and diffed without the history it was computed from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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
    """The ``jsscheck.score/1`` document `snapshot` stored, or None when it lacks the score
    detail (``candidates``) that `snapshots show` and `snapshots diff` need."""
    document = snapshot.document
    return document if isinstance(document.get("candidates"), dict) else None
