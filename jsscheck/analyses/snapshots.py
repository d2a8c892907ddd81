"""Questions about stored snapshots, as data: how the score moved since the previous snapshot,
whether Upwork's observed JSS disagrees with the model (MODEL.md 11), which cron alerts trip,
and the contract-by-contract difference between two snapshots (`snapshots diff`).

A diff between two stored snapshots uses only what is stored: each snapshot keeps its whole
``jsscheck.score/1`` document, which holds every candidate window's sums and every contract's
outcome, reason, weight and windows, exactly what MODEL.md 9 attributes with: the diff is ONE
step (9.2) between the two stored evaluations, contracts matched by id, as `whatif` attributes
a scenario. Nothing is re-evaluated from a history. The snapshots are taken by structure
(`StoredScore`), so this module does not depend on the store. Frozen dataclasses; no
sentences, no JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from jsscheck.engine.attribution import Attribution
    from jsscheck.engine.evaluate import Evaluation

#: MODEL.md 11 "Model and Upwork disagree": an observed JSS this many points or more away from
#: the computed one.
DISAGREEMENT_POINTS = 3


class StoredScore(Protocol):
    """What a stored snapshot offers (`jsscheck.store.Snapshot` has it)."""

    @property
    def id(self) -> int | None: ...
    @property
    def as_of(self) -> str: ...
    @property
    def rules_fingerprint(self) -> str: ...
    @property
    def jss(self) -> int | None: ...
    @property
    def best_score(self) -> float | None: ...
    @property
    def observed_jss(self) -> int | None: ...
    @property
    def windows(self) -> Mapping[str, float | None]: ...
    @property
    def document(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class SnapshotChange:
    """How the score moved since `previous_id` (taken as of `since`): `jss` in whole points of
    the displayed JSS, `score` of the unrounded best score; either None when one of the two
    snapshots has no score."""

    previous_id: int | None
    since: str
    jss: int | None
    score: float | None


def change_between(previous: StoredScore | None, snapshot: StoredScore) -> SnapshotChange | None:
    """How `snapshot` moved since `previous` (same profile, earlier), or None without one."""
    if previous is None:
        return None
    return SnapshotChange(
        previous_id=previous.id,
        since=previous.as_of,
        jss=_difference(snapshot.jss, previous.jss),
        score=_difference(snapshot.best_score, previous.best_score),
    )


@dataclass(frozen=True)
class Disagreement:
    """The JSS Upwork showed is `observed`, the model computed `computed` (None: no JSS)."""

    observed: int
    computed: int | None

    @property
    def points(self) -> int | None:
        """observed − computed, or None when the model computed no JSS."""
        return None if self.computed is None else self.observed - self.computed


def disagreement(snapshot: StoredScore) -> Disagreement | None:
    """MODEL.md 11: the snapshot's observed JSS is 3 points or more from the computed one (or
    Upwork shows a JSS where the model computes none); None when they agree or nothing was
    observed."""
    observed = snapshot.observed_jss
    if observed is None:
        return None
    if snapshot.jss is not None and abs(observed - snapshot.jss) < DISAGREEMENT_POINTS:
        return None
    return Disagreement(observed=observed, computed=snapshot.jss)


@dataclass(frozen=True)
class BelowAlert:
    """`--fail-below`: the JSS `jss` is below `threshold`."""

    jss: int
    threshold: int


@dataclass(frozen=True)
class DropAlert:
    """`--fail-on-drop`: the JSS fell from `before` (snapshot as of `since`) to `after` (None:
    there is no JSS any more)."""

    before: int
    since: str
    after: int | None


Alert = BelowAlert | DropAlert


def alerts(
    snapshot: StoredScore,
    previous: StoredScore | None,
    *,
    fail_below: int | None,
    fail_on_drop: bool,
) -> tuple[Alert, ...]:
    """The alerts the user asked for that trip on `snapshot` (previous: the one before it)."""
    found: list[Alert] = []
    if fail_below is not None and snapshot.jss is not None and snapshot.jss < fail_below:
        found.append(BelowAlert(snapshot.jss, fail_below))
    if (
        fail_on_drop
        and previous is not None
        and previous.jss is not None
        and (snapshot.jss is None or snapshot.jss < previous.jss)
    ):
        found.append(DropAlert(previous.jss, previous.as_of, snapshot.jss))
    return tuple(found)


@dataclass(frozen=True)
class WindowChange:
    """One candidate window's score in each snapshot (None: not eligible or not stored)."""

    name: str
    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        """after − before, or None."""
        if self.after is None or self.before is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class SnapshotDiff:
    """What changed between two stored snapshots.

    `attribution` is MODEL.md 9's single step between the two stored evaluations, or None
    when a snapshot holds no per-contract detail.
    """

    before: StoredScore
    after: StoredScore
    windows: tuple[WindowChange, ...]
    attribution: Attribution | None

    @property
    def jss_change(self) -> int | None:
        """The change of the displayed JSS in whole points, or None."""
        after, before = self.after.jss, self.before.jss
        return None if after is None or before is None else after - before

    @property
    def same_rules(self) -> bool:
        """Whether both snapshots were computed with the same rules (fingerprint)."""
        return self.before.rules_fingerprint == self.after.rules_fingerprint


def diff_snapshots(
    before: StoredScore,
    after: StoredScore,
    evaluations: tuple[Evaluation | None, Evaluation | None] = (None, None),
) -> SnapshotDiff:
    """The difference between two stored snapshots, attributed from the evaluations they
    stored (`jsscheck.store.document.stored_evaluation`; None where a snapshot lacks them)."""
    names = dict.fromkeys([*before.windows, *after.windows])
    windows = tuple(
        WindowChange(name, before.windows.get(name), after.windows.get(name)) for name in names
    )
    return SnapshotDiff(
        before=before,
        after=after,
        windows=windows,
        attribution=_attribute(*evaluations),
    )


def _attribute(before: Evaluation | None, after: Evaluation | None) -> Attribution | None:
    """MODEL.md 9.2: one step between two stored evaluations, or None when one is missing."""
    from jsscheck.engine.attribution import attribute_whatif

    if before is None or after is None:
        return None
    return attribute_whatif(before, after)


def _difference(after: Any, before: Any) -> Any:
    return None if after is None or before is None else after - before


__all__ = [
    "DISAGREEMENT_POINTS",
    "Alert",
    "BelowAlert",
    "Disagreement",
    "DropAlert",
    "SnapshotChange",
    "SnapshotDiff",
    "StoredScore",
    "WindowChange",
    "alerts",
    "change_between",
    "diff_snapshots",
    "disagreement",
]
