"""The search space of `calibrate`: which rule parameters are searched, over which values.

Parameters split by where they act:
- reading parameters (`READING_VALUES` and the star / 0-10 cut-off grids) decide only what each
  contract's feedback says. Every grid point maps, through the engine's `feedback_signals`, to
  the signal of every contract at every computation date; grid points giving the same signals
  are one *signal class* (no observation can separate them) and are evaluated once;
- outcome parameters (`OUTCOME_PARAMS`) decide each contract's outcome, weight and anchor;
- score and display parameters (`SCORE_PARAMS`, `DISPLAY_PARAMS`) act on the window sums.

Parameters that cannot change any score of this history are pruned: either a plain fact of the
data (no private feedback, no $0 contract, every observation on a biweekly update day) or the
engine's own outcomes show that no contract is ever touched by the rule on an observation date.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import Enum
from typing import Any

import numpy as np

from jsscheck.analyses.calibrate.observations import Observation
from jsscheck.engine.arrays import ContractArrays
from jsscheck.engine.calendar import update_day
from jsscheck.engine.outcomes import (
    Outcome,
    Reason,
    Signal,
    feedback_signals,
    outcome_columns,
    outcomes_at,
)
from jsscheck.errors import InternalError
from jsscheck.model.days import to_days
from jsscheck.model.rules import RuleSet, coerce_param

PUBLIC_SUCCESS_GRID: tuple[float, ...] = tuple(round(4.0 + i / 10, 1) for i in range(11))
PUBLIC_NEGATIVE_GRID: tuple[float, ...] = tuple(round(3.0 + i / 10, 1) for i in range(16))
PRIVATE_SUCCESS_GRID: tuple[int, ...] = (7, 8, 9, 10)
PRIVATE_NEGATIVE_GRID: tuple[int, ...] = (4, 5, 6, 7)
CUTOFF_GRIDS: dict[str, tuple[Any, ...]] = {
    "public_success": PUBLIC_SUCCESS_GRID,
    "public_negative": PUBLIC_NEGATIVE_GRID,
    "private_success": PRIVATE_SUCCESS_GRID,
    "private_negative": PRIVATE_NEGATIVE_GRID,
}
#: The day Upwork reportedly stopped collecting private feedback (MODEL.md 8, `upwork`).
PRIVATE_STOPPED = date(2026, 3, 31)
#: On/off parameters of how feedback is read, searched beside the cut-offs. A rule parameter
#: of the engine that changes what feedback says joins here with one line (and its place in
#: `SEARCHED`).
READING_VALUES: dict[str, tuple[Any, ...]] = {
    "use_private": (True, False),
    "private_until": (PRIVATE_STOPPED, None),
}
#: Parameters that decide each contract's outcome, weight and anchor (one engine pass each).
OUTCOME_PARAMS: tuple[str, ...] = (
    "weighting",
    "no_feedback",
    "zero_dollar",
    "anchor",
    "long_term_days",
    "idle_open_days",
)
#: Parameters applied to the window sums, and to the best score.
SCORE_PARAMS: tuple[str, ...] = ("formula", "trending")
DISPLAY_PARAMS: tuple[str, ...] = ("rounding", "cadence")
CUTOFF_PARAMS: tuple[str, ...] = (*READING_VALUES, *CUTOFF_GRIDS)
CATEGORICAL_VALUES: dict[str, tuple[Any, ...]] = {
    "formula": ("net", "share"),
    "weighting": ("tiers", "count", "dollars"),
    "no_feedback": ("exclude", "negative", "neutral"),
    "zero_dollar": ("negative_only", "exclude", "count"),
    "anchor": ("last_payment", "end_date"),
    "trending": (True, False),
    "long_term_days": (90, None),
    "idle_open_days": (None, 90),
    "rounding": ("half_up", "floor"),
    "cadence": ("daily", "biweekly"),
}
#: Every searched parameter, in the order reports list them.
SEARCHED: tuple[str, ...] = (
    "no_feedback",
    "zero_dollar",
    "use_private",
    "private_until",
    "public_success",
    "public_negative",
    "private_success",
    "private_negative",
    "formula",
    "weighting",
    "anchor",
    "trending",
    "long_term_days",
    "idle_open_days",
    "rounding",
    "cadence",
)
_PRIVATE_CUTOFFS = ("private_success", "private_negative")


class Unused(Enum):
    """Why a parameter cannot change any score of this history (renderers word it)."""

    NO_PRIVATE_FEEDBACK = "no_private_feedback"
    PUBLIC_NOT_READ = "public_not_read"
    NO_ZERO_DOLLAR = "no_zero_dollar"
    NO_LONG_TERM = "no_long_term"
    NO_IDLE_OPEN = "no_idle_open"
    PAID_ON_END_DATE = "paid_on_end_date"
    ALL_HAVE_FEEDBACK = "all_have_feedback"
    ON_UPDATE_DAYS = "on_update_days"


@dataclass(frozen=True)
class CutOffs:
    """One point of the reading grid: `use_private` (…) and the four cut-offs.

    Private cut-offs are None when private feedback is not read.
    """

    values: tuple[tuple[str, Any], ...]

    def params(self) -> dict[str, Any]:
        return dict(self.values)

    def __getitem__(self, name: str) -> Any:
        return self.params()[name]


@dataclass(frozen=True)
class SignalClass:
    """Grid points that give every contract the same signal at every computation date.

    `signals`: D×U values of `Signal`, one column per prototype (`SearchSpace.prototype_of`
    gives each contract's), rows the search's computation dates.
    """

    signals: np.ndarray
    cutoffs: tuple[CutOffs, ...]


@dataclass(frozen=True)
class SearchSpace:
    """What is searched: values per categorical parameter and the cut-off classes."""

    values: dict[str, tuple[Any, ...]]
    classes: tuple[SignalClass, ...]
    #: parameter → why it cannot change any score of this history (undecidable by design).
    irrelevant: dict[str, Unused]
    #: parameters the user fixed with a flag.
    pinned: dict[str, Any]
    #: the computation dates of both cadences (days since 1970-01-01), ascending.
    days: np.ndarray
    #: cadence → for each observation, its row in `days`.
    rows: dict[str, np.ndarray]
    #: contract → its prototype: contracts with one prototype get equal signals in any class.
    prototype_of: np.ndarray

    @property
    def rule_sets(self) -> int:
        """How many grid rule sets the space stands for (classes expanded)."""
        return sum(len(c.cutoffs) for c in self.classes) * self._product()

    @property
    def evaluations(self) -> int:
        """How many distinct candidates are actually scored."""
        return len(self.classes) * self._product()

    def _product(self) -> int:
        count = 1
        for name in OUTCOME_PARAMS + SCORE_PARAMS + DISPLAY_PARAMS:
            count *= len(self.values[name])
        return count

    def ordered(self, name: str) -> tuple[Any, ...]:
        """Every value `name` can take in a report, in search order."""
        if name in CATEGORICAL_VALUES:
            return CATEGORICAL_VALUES[name]
        ordered = READING_VALUES.get(name) or CUTOFF_GRIDS[name]
        pinned = self.pinned.get(name)
        return ordered if pinned is None or pinned in ordered else (*ordered, pinned)

    def searched_values(self, name: str) -> tuple[Any, ...]:
        """Every value of `name` the search tried."""
        if name in self.values:
            return self.values[name]
        found = {p[name] for c in self.classes for p in c.cutoffs if p[name] is not None}
        return tuple(sorted(found))

    def contested(self, name: str) -> bool:
        """Whether the search could vary `name` (neither pinned nor irrelevant)."""
        return name not in self.pinned and name not in self.irrelevant


def computation_rows(observations: Sequence[Observation]) -> tuple[np.ndarray, dict[str, Any]]:
    """The computation dates of both cadences (days) and, per cadence, each observation's row."""
    per_cadence = {
        cadence: [update_day(o.day, cadence) for o in observations]
        for cadence in CATEGORICAL_VALUES["cadence"]
    }
    unique = sorted({d for days in per_cadence.values() for d in days})
    position = {d: i for i, d in enumerate(unique)}
    rows = {c: np.array([position[d] for d in days]) for c, days in per_cadence.items()}
    return np.array([to_days(d) for d in unique], dtype=np.int64), rows


def build_space(
    arrays: ContractArrays,
    base: RuleSet,
    observations: Sequence[Observation],
    pinned: dict[str, Any] | None = None,
) -> SearchSpace:
    """The values to search for each parameter, the cut-off classes, and what is pruned.

    `pinned` maps parameters the user fixed (command-line rule flags) to their values; those
    are searched at that value only.
    """
    pinned = {k: coerce_param(k, v) for k, v in (pinned or {}).items() if k in SEARCHED}
    days, rows = computation_rows(observations)
    irrelevant = _plain_facts(arrays, base, observations)
    grid = _cutoff_grid(base, pinned, irrelevant)
    prototypes, prototype_of = _prototypes(arrays, days)
    classes = _signal_classes(prototypes, base, grid, days)
    silent = np.any([c.signals == Signal.NONE for c in classes], axis=0)[:, prototype_of]
    # Contracts equal in what outcomes_at reads and in `silent` are probed once.
    first, _ = dense_ids(np.column_stack([outcome_columns(arrays), np.packbits(silent, axis=0).T]))
    for name, why in _untouched(arrays.select(first), base, days, silent[:, first], pinned).items():
        irrelevant.setdefault(name, why)
    values: dict[str, tuple[Any, ...]] = {}
    for name, options in CATEGORICAL_VALUES.items():
        if name in pinned:
            values[name] = (pinned[name],)
        elif name in irrelevant:
            values[name] = (getattr(base, name),)
        else:
            values[name] = options
    for name in READING_VALUES:
        values[name] = tuple(v for v in READING_VALUES[name] if v in {p[name] for p in grid})
    return SearchSpace(values, classes, irrelevant, pinned, days, rows, prototype_of)


def _axis(
    name: str,
    grid: tuple[Any, ...],
    base: RuleSet,
    pinned: dict[str, Any],
    irrelevant: dict[str, Unused],
) -> tuple[Any, ...]:
    if name in pinned:
        return (pinned[name],)
    if name in irrelevant:
        return (getattr(base, name),)
    return grid


def _cutoff_grid(
    base: RuleSet, pinned: dict[str, Any], irrelevant: dict[str, Unused]
) -> list[CutOffs]:
    def axis(name: str, grid: tuple[Any, ...]) -> tuple[Any, ...]:
        return _axis(name, grid, base, pinned, irrelevant)

    public = [
        (s, n)
        for s in axis("public_success", PUBLIC_SUCCESS_GRID)
        for n in axis("public_negative", PUBLIC_NEGATIVE_GRID)
        if n <= s
    ]
    private_pairs = [
        (s, n)
        for s in axis("private_success", PRIVATE_SUCCESS_GRID)
        for n in axis("private_negative", PRIVATE_NEGATIVE_GRID)
        if s is not None and n is not None and n <= s
    ]
    reading = [axis(name, values) for name, values in READING_VALUES.items()]
    points: list[CutOffs] = []
    for choice in itertools.product(*reading):
        settings = dict(zip(READING_VALUES, choice, strict=True))
        unread = not settings["use_private"] and settings["private_until"] is not None
        if unread and None in reading[1]:
            continue  # private feedback unread: when it stops being read cannot matter
        private = private_pairs if settings["use_private"] else [(None, None)]
        for (ps, pn), (vs, vn) in itertools.product(public, private):
            cutoffs = {
                "public_success": ps,
                "public_negative": pn,
                "private_success": vs,
                "private_negative": vn,
            }
            points.append(CutOffs(tuple({**settings, **cutoffs}.items())))
    if not points:
        raise InternalError("the cut-off grid is empty")
    return points


def dense_ids(columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(first row of each distinct row, each row's distinct id) of an N×C integer array."""
    ids = np.zeros(columns.shape[0], dtype=np.int64)
    for column in columns.T:
        _, low = np.unique(column, return_inverse=True)
        _, ids = np.unique(ids * (int(low.max(initial=0)) + 1) + low, return_inverse=True)
        ids = ids.reshape(-1)
    _, first = np.unique(ids, return_index=True)
    return first, ids


def _plain_facts(
    arrays: ContractArrays, base: RuleSet, observations: Sequence[Observation]
) -> dict[str, Unused]:
    """Parameters that plainly cannot matter: the data has nothing they read."""
    reasons: dict[str, Unused] = {}
    if not np.any(~np.isnan(arrays.private)):
        for name in ("use_private", "private_until", *_PRIVATE_CUTOFFS):
            reasons[name] = Unused.NO_PRIVATE_FEEDBACK
    if not base.use_public:
        reasons["public_success"] = reasons["public_negative"] = Unused.PUBLIC_NOT_READ
    if not np.any(arrays.earnings == 0):
        reasons["zero_dollar"] = Unused.NO_ZERO_DOLLAR
    if all(update_day(o.day, "biweekly") == o.day for o in observations):
        reasons["cadence"] = Unused.ON_UPDATE_DAYS
    return reasons


def _signal_classes(
    prototypes: ContractArrays, base: RuleSet, grid: Sequence[CutOffs], days: np.ndarray
) -> tuple[SignalClass, ...]:
    """Group grid points by the signals the engine gives every prototype at every date."""
    t = days[:, None]
    classes: dict[bytes, list[CutOffs]] = {}
    vectors: dict[bytes, np.ndarray] = {}
    for point in grid:
        signals = feedback_signals(prototypes, replace(base, **point.params()), t)
        key = signals.tobytes()
        vectors.setdefault(key, signals)
        classes.setdefault(key, []).append(point)
    return tuple(SignalClass(vectors[k], tuple(points)) for k, points in classes.items())


def _prototypes(arrays: ContractArrays, days: np.ndarray) -> tuple[ContractArrays, np.ndarray]:
    """One contract for each distinct reading situation, and each contract's prototype.

    A prototype stands for every contract equal in what `feedback_signals` depends on
    (feedback, flag, and where the feedback day falls among the dates): the engine reads
    feedback on the prototypes only, and each contract takes its prototype's signals.
    """
    if arrays.size == 0:
        return arrays, np.zeros(0, dtype=np.int64)
    feedback_day = np.where(arrays.has_feedback_day, arrays.feedback_day, np.iinfo(np.int64).max)
    key = np.column_stack(
        [
            np.nan_to_num(arrays.public, nan=-1.0),
            np.nan_to_num(arrays.private, nan=-1.0),
            arrays.flagged,
            arrays.has_feedback_day,
            # Contracts with the same pair have feedback days equal to the same date or
            # strictly between the same two dates: no comparison with a date separates them.
            np.searchsorted(days, feedback_day, side="left"),
            np.searchsorted(days, feedback_day, side="right"),
        ]
    ).astype(np.float64)
    _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    return arrays.select(first), inverse.reshape(-1)


def _untouched(
    arrays: ContractArrays,
    base: RuleSet,
    days: np.ndarray,
    silent: np.ndarray,
    pinned: dict[str, Any],
) -> dict[str, Unused]:
    """Outcome parameters no contract is touched by on any computation date, by the engine.

    Each is probed where it could matter most (the other rules as permissive as searched);
    a parameter that could matter somewhere is kept, so pruning never loses a fit.
    """
    t = days[:, None]
    probe = replace(
        base,
        weighting="count",  # the probes read reasons and anchors, not weights
        zero_dollar="count",
        no_feedback="neutral",
        long_term_days=None,
        idle_open_days=None,
    )
    positive = np.int8(Signal.POSITIVE)

    def run(signal: Any, **params: Any) -> Any:
        return outcomes_at(arrays, replace(probe, **params), t, signal)

    def idle_values() -> tuple[Any, ...]:
        return (pinned["idle_open_days"],) if "idle_open_days" in pinned else (None, 90)

    reasons: dict[str, Unused] = {}
    if "idle_open_days" not in pinned:
        idle_off, idle_on = run(positive), run(positive, idle_open_days=90)
        if np.array_equal(idle_off.reason, idle_on.reason):
            reasons["idle_open_days"] = Unused.NO_IDLE_OPEN
    idles = (None,) if "idle_open_days" in reasons else idle_values()
    long_term = (Reason.LONG_TERM_ACTIVE, Reason.LONG_TERM)
    if not any(
        np.isin(run(positive, long_term_days=90, idle_open_days=i).reason, long_term).any()
        for i in idles
    ):
        reasons["long_term_days"] = Unused.NO_LONG_TERM
    moved = False
    for idle, signal in itertools.product(idles, (positive, np.int8(Signal.NONE))):
        paid = run(signal, idle_open_days=idle, anchor="last_payment")
        ended = run(signal, idle_open_days=idle, anchor="end_date")
        counted = paid.outcome != Outcome.EXCLUDED
        moved = moved or bool(np.any(counted & (paid.anchor != ended.anchor)))
    if not moved:
        reasons["anchor"] = Unused.PAID_ON_END_DATE
    # `silent`: where any reading of the grid leaves a contract without a signal.
    without = np.where(silent, np.int8(Signal.NONE), positive)
    if not any((run(without, idle_open_days=i).reason == Reason.NO_FEEDBACK).any() for i in idles):
        reasons["no_feedback"] = Unused.ALL_HAVE_FEEDBACK
    return reasons
