"""Which rules reproduce the JSS Upwork showed? Fitting MODEL.md's unknown parameters.

The user records observations (a date and the JSS Upwork displayed on it); we search the rule
space for the rule sets whose displayed JSS equals every observation, rank them by how many
observations they reproduce exactly and then by the mean absolute error (MAE) of the unrounded
best score, and report what the data decides and what it cannot.

The searched space is the categorical parameters exhaustively (formula, weighting, no_feedback,
zero_dollar, anchor, trending, use_private, long_term_days none/90, idle_open_days none/90,
cadence, rounding: 3,456 combinations) times the cut-off grids (public success 4.0-5.0 and
negative 3.0-4.5 in 0.1 steps with negative ≤ success: 161 pairs; private success 7-10 and
negative 4-7: 16 pairs). The naive product is about nine million rule sets; at ~2.5 ms per
`evaluate_dates` call that is six hours. It is made small and exact like this:

1. **Cut-offs act only through the signal they give each contract.** Every grid point maps to a
   vector of per-contract feedback signals (negative/neutral/positive/none, after dropping a
   flagged client's negatives and taking the worst of public and private). Grid points with the
   same vector are one *equivalence class*: no observation can separate them. Contracts whose
   feedback is never visible on an observation date (or that are excluded) are held at "none"
   first, so thresholds between values that never count also collapse. One representative per
   class is evaluated, and a class is reported as the range of grid values it covers.
2. **Parameters that cannot matter for this history are pruned** and reported as
   undecidable by design: no private feedback → use_private; no $0 contract → zero_dollar; no
   contract active over 90 days → long_term_days; no open contract idle over 90 days on an
   observation date → idle_open_days; every last payment on the end date → anchor; every ended
   contract with visible public feedback → no_feedback; every observation on a biweekly update
   day → cadence.
3. **The score is additive over contracts.** For one combination of the parameters that decide
   outcomes (weighting, no_feedback, zero_dollar, anchor, long_term_days, idle_open_days), the
   engine's own outcome code (`engine.outcomes_at`) is run four times over all observation dates,
   once with every contract forced to each signal. A contract's part of each window's sums then
   depends only on its own signal, so the sums of *every* signal class are one matrix product
   (a one-hot of the class's signals times the per-contract parts); distinct clients are
   counted per client the same way. The engine's own section 5-6 code
   (`engine.scores_from_sums`) turns the sums of all classes into window scores, Trending and
   the best score for each formula × trending at once; rounding and cadence only pick from
   those (the rows for both cadences' computation dates are evaluated together).

So the cost is a few numpy calls per outcome combination (at most 216), whatever the number of
cut-off classes, instead of one engine call per rule set. The winner is then evaluated again
with the public `engine.evaluate_dates`, and any disagreement is an `InternalError`: the
shortcut is checked on every run.

Ranking and groups: rule sets reproducing exactly the same observations form one group (MAE
does not split a group: 83.6 and 84.4 both show 84, so among rule sets that reproduce an
observation MAE is not evidence). Groups are ranked by observations reproduced, then by their
lowest MAE; inside a group the member with the lowest MAE, then the fewest differences from the
base rules, represents it (and is what `--write-rules` writes).

Core module: no typer, no rich; raises `JsscheckError` subclasses.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from jsscheck.engine.arrays import ContractArrays
from jsscheck.engine.calendar import update_day, window_start
from jsscheck.engine.evaluate import evaluate_dates
from jsscheck.engine.outcomes import outcomes_at
from jsscheck.engine.windows import EPS, WindowSums, scores_from_sums
from jsscheck.errors import InputNotFoundError, InternalError, InvalidInputError, Problem
from jsscheck.model.days import from_days, to_days
from jsscheck.model.rules import RuleSet, check_consistent, coerce_param

SCHEMA = "jsscheck.calibrate/1"

PUBLIC_SUCCESS_GRID: tuple[float, ...] = tuple(round(4.0 + i / 10, 1) for i in range(11))
PUBLIC_NEGATIVE_GRID: tuple[float, ...] = tuple(round(3.0 + i / 10, 1) for i in range(16))
PRIVATE_SUCCESS_GRID: tuple[int, ...] = (7, 8, 9, 10)
PRIVATE_NEGATIVE_GRID: tuple[int, ...] = (4, 5, 6, 7)

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
CUTOFF_PARAMS: tuple[str, ...] = (
    "use_private",
    "public_success",
    "public_negative",
    "private_success",
    "private_negative",
)
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
#: MAE charged for an observation on which a rule set shows no JSS at all.
MISSING_SCORE_ERROR = 100.0
#: Groups kept in the result, best first.
GROUPS_KEPT = 5

# Signals as the engine orders them (worst = minimum), and public stars that force each one
# under cut-offs 4.5 / 4.0 with only public feedback read.
_NEG, _NEU, _POS, _NONE = 0, 1, 2, 3
_FORCING_STARS = (1.0, 4.2, 5.0, math.nan)
_FORCING_CUTOFFS = {"public_success": 4.5, "public_negative": 4.0}
_OUTCOME_SUCCESS, _OUTCOME_NEUTRAL, _OUTCOME_NEGATIVE, _OUTCOME_EXCLUDED = 1, 2, 3, 0


# --------------------------------------------------------------------------- observations


@dataclass(frozen=True)
class Observation:
    """The JSS Upwork displayed on `day`, and where we read it (`file:line` or snapshot id)."""

    day: date
    jss: int
    source: str


def read_observations_csv(path: str | Path) -> list[Observation]:
    """A CSV of `date,jss` rows (header optional): every bad row is a problem with its line.

    Raises `InputNotFoundError` (66) when the file cannot be opened, `InvalidInputError` (65)
    listing every problem otherwise.
    """
    file = Path(path)
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputNotFoundError(
            f"{file}: observations file not found", hint="give a CSV of date,jss rows"
        ) from None
    except IsADirectoryError:
        raise InputNotFoundError(f"{file}: is a directory, not an observations file") from None
    except OSError as exc:
        raise InputNotFoundError(f"{file}: cannot open the file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise InvalidInputError(
            [Problem(str(file), "", "", "not UTF-8 text", fix="save the CSV as UTF-8")]
        ) from None

    problems: list[Problem] = []
    found: dict[date, Observation] = {}
    name = str(file)
    fix_date = "write dates as YYYY-MM-DD, e.g. 2026-11-21"
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [cell.strip() for cell in row]
        while cells and cells[-1] == "":
            cells.pop()
        if not cells or cells[0].startswith("#"):
            continue
        if number == 1 and [c.lower() for c in cells] == ["date", "jss"]:
            continue
        where = str(number)
        if len(cells) != 2:
            problems.append(
                Problem(name, where, "", f"expected 2 columns (date,jss), found {len(cells)}")
            )
            continue
        raw_day, raw_jss = cells
        try:
            day = date.fromisoformat(raw_day)
        except ValueError:
            problems.append(Problem(name, where, "date", "not a date", raw_day, fix_date))
            continue
        value = _parse_percent(raw_jss)
        if value is None:
            problems.append(
                Problem(name, where, "jss", "not a whole percent from 0 to 100", raw_jss)
            )
            continue
        earlier = found.get(day)
        if earlier is not None and earlier.jss != value:
            problems.append(
                Problem(
                    name,
                    where,
                    "jss",
                    f"{day} is already observed as {earlier.jss}% on line {earlier.source}",
                    raw_jss,
                    "keep one value per date",
                )
            )
            continue
        found[day] = Observation(day, value, where)
    if problems:
        raise InvalidInputError(problems)
    if not found:
        raise InvalidInputError(
            [Problem(name, "", "", "no observations", fix="add rows like 2026-11-21,84")]
        )
    return [replace(o, source=f"{name}:{o.source}") for o in sorted(found.values(), key=_day)]


def _parse_percent(text: str) -> int | None:
    cleaned = text.removesuffix("%").strip()
    try:
        number = float(cleaned)
    except ValueError:
        return None
    if not math.isfinite(number) or number != int(number) or not 0 <= number <= 100:
        return None
    return int(number)


def _day(observation: Observation) -> date:
    return observation.day


def observations_from_snapshots(snapshots: Iterable[Any]) -> tuple[list[Observation], list[str]]:
    """The snapshots that recorded an observed JSS (`.as_of`, `.observed_jss`, `.id`).

    When one date was observed twice with different values, the latest snapshot wins and a
    warning says so.
    """
    found: dict[date, Observation] = {}
    warnings: list[str] = []
    for snapshot in snapshots:
        if snapshot.observed_jss is None:
            continue
        day = date.fromisoformat(snapshot.as_of)
        earlier = found.get(day)
        if earlier is not None and earlier.jss != snapshot.observed_jss:
            warnings.append(
                f"{day} was observed as {earlier.jss}% ({earlier.source}) and "
                f"{snapshot.observed_jss}% (snapshot {snapshot.id}); using the later one"
            )
        found[day] = Observation(day, int(snapshot.observed_jss), f"snapshot {snapshot.id}")
    return sorted(found.values(), key=_day), warnings


# --------------------------------------------------------------------------- the space


@dataclass(frozen=True)
class CutOffs:
    """One point of the cut-off grids (private cut-offs None when private feedback is off)."""

    use_private: bool
    public_success: float
    public_negative: float
    private_success: int | None
    private_negative: int | None

    def params(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in CUTOFF_PARAMS}


@dataclass(frozen=True)
class SignalClass:
    """Cut-off grid points that give every contract the same signal: one evaluation."""

    signals: np.ndarray
    cutoffs: tuple[CutOffs, ...]


@dataclass(frozen=True)
class SearchSpace:
    """What is searched: values per categorical parameter and the cut-off classes."""

    values: dict[str, tuple[Any, ...]]
    classes: tuple[SignalClass, ...]
    #: parameter → why it cannot change any score of this history (undecidable by design).
    irrelevant: dict[str, str]
    #: parameters the user fixed with a flag.
    pinned: dict[str, Any]

    @property
    def rule_sets(self) -> int:
        """How many grid rule sets the space stands for (classes expanded)."""
        count = sum(len(c.cutoffs) for c in self.classes)
        for name in OUTCOME_PARAMS + SCORE_PARAMS + DISPLAY_PARAMS:
            count *= len(self.values[name])
        return count

    @property
    def evaluations(self) -> int:
        """How many distinct candidates are actually scored."""
        count = len(self.classes)
        for name in OUTCOME_PARAMS + SCORE_PARAMS + DISPLAY_PARAMS:
            count *= len(self.values[name])
        return count


def _computation_rows(observations: Sequence[Observation]) -> tuple[np.ndarray, dict[str, Any]]:
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
    days, _ = _computation_rows(observations)
    irrelevant = _irrelevant(arrays, base, days, observations)
    values: dict[str, tuple[Any, ...]] = {}
    for name, options in CATEGORICAL_VALUES.items():
        if name in pinned:
            values[name] = (pinned[name],)
        elif name in irrelevant:
            values[name] = (getattr(base, name),)
        else:
            values[name] = options
    grid = _cutoff_grid(base, pinned, irrelevant)
    values["use_private"] = tuple(sorted({c.use_private for c in grid}, reverse=True))
    return SearchSpace(
        values=values,
        classes=_signal_classes(arrays, base, grid, int(days.max())),
        irrelevant=irrelevant,
        pinned=pinned,
    )


def _cutoff_grid(
    base: RuleSet, pinned: dict[str, Any], irrelevant: dict[str, str]
) -> list[CutOffs]:
    def axis(name: str, grid: tuple[Any, ...]) -> tuple[Any, ...]:
        if name in pinned:
            return (pinned[name],)
        if name in irrelevant:
            return (getattr(base, name),)
        return grid

    public = [
        (s, n)
        for s in axis("public_success", PUBLIC_SUCCESS_GRID)
        for n in axis("public_negative", PUBLIC_NEGATIVE_GRID)
        if n <= s
    ]
    private_choices = axis("use_private", (True, False))
    points: list[CutOffs] = []
    for use_private in private_choices:
        if use_private:
            private = [
                (s, n)
                for s in axis("private_success", PRIVATE_SUCCESS_GRID)
                for n in axis("private_negative", PRIVATE_NEGATIVE_GRID)
                if s is not None and n is not None and n <= s
            ]
        else:
            private = [(None, None)]
        for (ps, pn), (vs, vn) in itertools.product(public, private):
            points.append(CutOffs(use_private, ps, pn, vs, vn))
    if not points:
        raise InternalError("the cut-off grid is empty")
    return points


def _irrelevant(
    arrays: ContractArrays, base: RuleSet, days: np.ndarray, observations: Sequence[Observation]
) -> dict[str, str]:
    """Parameters that cannot change any score of this history on these dates, and why."""
    last = int(days.max())
    t = days[:, None]
    counts = ~arrays.excluded & (arrays.start <= last)
    ended_by = np.where(arrays.has_end, arrays.end, np.iinfo(np.int64).max)
    reasons: dict[str, str] = {}
    if not np.any(counts & ~np.isnan(arrays.private)):
        reasons["use_private"] = "your history has no private feedback"
        reasons["private_success"] = reasons["use_private"]
        reasons["private_negative"] = reasons["use_private"]
    if not base.use_public:
        why = "public feedback is not read (use_public = false)"
        reasons["public_success"] = reasons["public_negative"] = why
    if not np.any(counts & (arrays.earnings == 0)):
        reasons["zero_dollar"] = "your history has no $0 contracts"
    active = np.minimum(ended_by, last) - arrays.start
    if not np.any(counts & (arrays.earnings > 0) & (active > 90)):
        reasons["long_term_days"] = "no contract of yours was active more than 90 days"
    idle_base = np.where(arrays.has_last_payment, arrays.last_payment, arrays.start)
    is_open = (arrays.start <= t) & ~(ended_by <= t)
    idle = np.any(counts & is_open & (t - idle_base > 90))
    if not idle:
        reasons["idle_open_days"] = (
            "no open contract of yours went 90 days without payment by an observation date"
        )
    paid_apart = arrays.has_last_payment & arrays.has_end & (arrays.last_payment != arrays.end)
    open_paid = arrays.has_last_payment & ~(ended_by <= last)
    if not np.any(counts & paid_apart) and not (idle and np.any(counts & open_paid)):
        reasons["anchor"] = "every contract of yours was last paid on its end date"
    grace_over = (ended_by <= t - base.feedback_grace_days) & counts
    public_visible = ~np.isnan(arrays.public) & (arrays.feedback_day <= t) & ~arrays.flagged
    without = grace_over & ~(public_visible & base.use_public)
    if not idle and not np.any(without):
        reasons["no_feedback"] = "every ended contract of yours has public feedback"
    if all(update_day(o.day, "biweekly") == o.day for o in observations):
        reasons["cadence"] = (
            "every observation is on a biweekly update day, where both cadences agree"
        )
    return reasons


def _signal_classes(
    arrays: ContractArrays, base: RuleSet, grid: Sequence[CutOffs], last: int
) -> tuple[SignalClass, ...]:
    """Group grid points by the signal vector they give the contracts (see module docstring)."""
    matters = (
        ~arrays.excluded
        & (arrays.start <= last)
        & arrays.has_feedback_day
        & (arrays.feedback_day <= last)
    )
    public_present = ~np.isnan(arrays.public) & base.use_public
    private_present = ~np.isnan(arrays.private)

    def reading(values: np.ndarray, success: Any, negative: Any, public: bool) -> np.ndarray:
        below = values < negative if public else values <= negative
        return np.where(values >= success, _POS, np.where(below, _NEG, _NEU))

    classes: dict[bytes, list[CutOffs]] = {}
    vectors: dict[bytes, np.ndarray] = {}
    for point in grid:
        signal = np.full(arrays.size, _NONE, dtype=np.int8)
        readings = [
            (
                public_present,
                reading(arrays.public, point.public_success, point.public_negative, True),
            )
        ]
        if point.use_private:
            readings.append(
                (
                    private_present,
                    reading(arrays.private, point.private_success, point.private_negative, False),
                )
            )
        for present, value in readings:
            kept = present & ~(arrays.flagged & (value == _NEG))
            signal = np.where(kept, np.minimum(signal, value), signal).astype(np.int8)
        signal = np.where(matters, signal, _NONE).astype(np.int8)
        key = signal.tobytes()
        vectors.setdefault(key, signal)
        classes.setdefault(key, []).append(point)
    return tuple(SignalClass(vectors[k], tuple(points)) for k, points in classes.items())


# --------------------------------------------------------------------------- the search


@dataclass(frozen=True)
class _Tables:
    """Per candidate: observations reproduced, MAE, and which ones (bits packed)."""

    matches: np.ndarray
    mae: np.ndarray
    patterns: np.ndarray


def _outcome_combinations(space: SearchSpace) -> list[dict[str, Any]]:
    axes = [space.values[name] for name in OUTCOME_PARAMS]
    return [dict(zip(OUTCOME_PARAMS, combo, strict=True)) for combo in itertools.product(*axes)]


def _months(base: RuleSet) -> tuple[int, ...]:
    return tuple(sorted(set(base.windows) | {3, 6}))


def _window_starts(days: np.ndarray, months: tuple[int, ...]) -> np.ndarray:
    return np.array(
        [[to_days(window_start(from_days(int(d)), m)) for m in months] for d in days],
        dtype=np.int64,
    ).reshape(len(days), len(months))


def _evaluate_outcome_combination(
    arrays: ContractArrays,
    base: RuleSet,
    combo: dict[str, Any],
    space: SearchSpace,
    layout: _ClassLayout,
    days: np.ndarray,
    rows: dict[str, np.ndarray],
    observed: np.ndarray,
) -> _Tables:
    """Score every signal class × formula × trending × rounding × cadence for one combination."""
    months = _months(base)
    n, d, w = arrays.size, len(days), len(months)
    k_count = len(space.classes)
    t = days[:, None]
    starts = layout.window_starts
    weight_cap = base.weight_cap if base.weight_cap is not None else 8.0
    forced_rules = replace(
        base,
        **combo,
        **_FORCING_CUTOFFS,
        weight_cap=weight_cap,
        use_public=True,
        use_private=False,
        private_success=None,
        private_negative=None,
    )
    # parts[s, i, d, w, m]: contract i's part of the window sums when its signal is s
    # (m: success, negative, neutral weights and the count); member[s, i, d, w] likewise.
    parts = np.zeros((4, n, d, w, 4))
    member = np.zeros((4, n, d, w), dtype=bool)
    no_private = np.full(n, math.nan)
    for signal, stars in enumerate(_FORCING_STARS):
        forced = replace(arrays, public=np.full(n, stars), private=no_private)
        out = outcomes_at(forced, forced_rules, t)
        outcome = out.outcome.T
        weight = np.broadcast_to(out.weight, out.outcome.shape).T
        anchor = out.anchor.T[:, :, None]
        inside = (
            (outcome != _OUTCOME_EXCLUDED)[:, :, None]
            & (anchor >= starts[None, :, :])
            & (anchor <= days[None, :, None])
        )
        member[signal] = inside
        for m, code in enumerate((_OUTCOME_SUCCESS, _OUTCOME_NEGATIVE, _OUTCOME_NEUTRAL)):
            np.multiply(
                inside,
                np.where(outcome == code, weight, 0.0)[:, :, None],
                out=parts[signal, :, :, :, m],
            )
        parts[signal, :, :, :, 3] = inside

    flat = parts.reshape(4, n, d * w * 4)
    totals = flat[layout.fixed_signal, layout.fixed].sum(axis=0)
    if len(layout.varying):
        totals = totals + layout.onehot @ flat[:, layout.varying].reshape(-1, d * w * 4)
    else:
        totals = np.broadcast_to(totals, (k_count, d * w * 4))
    totals = totals.reshape(k_count, d, w, 4)
    clients = layout.count_clients(member)
    sums = WindowSums(
        months=months,
        success=totals[..., 0].reshape(k_count * d, w),
        negative=totals[..., 1].reshape(k_count * d, w),
        neutral=totals[..., 2].reshape(k_count * d, w),
        contracts=np.rint(totals[..., 3]).astype(np.int64).reshape(k_count * d, w),
        clients=clients.reshape(k_count * d, w),
    )
    row_days = np.tile(days, k_count)
    shape = (
        k_count,
        len(space.values["formula"]),
        len(space.values["trending"]),
        len(space.values["rounding"]),
        len(space.values["cadence"]),
    )
    count = len(observed)
    matches = np.zeros(shape, dtype=np.int32)
    mae = np.zeros(shape)
    patterns = np.zeros((*shape, (count + 7) // 8), dtype=np.uint8)
    for fi, formula in enumerate(space.values["formula"]):
        for ti, trending in enumerate(space.values["trending"]):
            scored = scores_from_sums(
                replace(base, formula=formula, trending=trending), row_days, sums
            )
            best = scored.best_score.reshape(k_count, d)
            for ri, rounding in enumerate(space.values["rounding"]):
                shown = displayed_jss(best, rounding)
                for ci, cadence in enumerate(space.values["cadence"]):
                    at = rows[cadence]
                    hit = shown[:, at] == observed
                    error = np.where(
                        np.isnan(best[:, at]), MISSING_SCORE_ERROR, np.abs(best[:, at] - observed)
                    )
                    matches[:, fi, ti, ri, ci] = hit.sum(axis=1)
                    mae[:, fi, ti, ri, ci] = error.mean(axis=1)
                    patterns[:, fi, ti, ri, ci] = np.packbits(hit, axis=1)
    return _Tables(matches, mae, patterns)


class _ClassLayout:
    """How the signal classes differ, precomputed once for every outcome combination.

    Contracts whose signal is the same in every class are *fixed* (summed once); the others
    are *varying* (a one-hot matrix picks each class's part). Distinct clients are not
    additive, so for each client the distinct combinations of its contracts' signals are found
    once; per outcome combination each is evaluated once and a 0/1 matrix adds them per class.
    """

    def __init__(
        self,
        arrays: ContractArrays,
        classes: Sequence[SignalClass],
        days: np.ndarray,
        months: tuple[int, ...],
    ) -> None:
        self.window_starts = _window_starts(days, months)
        self.signals = np.stack([c.signals for c in classes]).astype(np.int64)  # K × N
        k_count, n = self.signals.shape
        is_varying = np.any(self.signals != self.signals[0], axis=0)
        self.varying = np.flatnonzero(is_varying)
        self.fixed = np.flatnonzero(~is_varying)
        self.fixed_signal = self.signals[0, self.fixed]
        onehot = np.zeros((k_count, 4, len(self.varying)))
        for s in range(4):
            onehot[:, s, :] = self.signals[:, self.varying] == s
        self.onehot = onehot.reshape(k_count, -1)
        # Per client: its contracts and the distinct signal combinations they take.
        self.client_rows: list[tuple[np.ndarray, np.ndarray]] = []
        picks = []
        offset = 0
        for client in range(arrays.n_clients):
            own = np.flatnonzero(arrays.client_code == client)
            combos, inverse = np.unique(self.signals[:, own], axis=0, return_inverse=True)
            self.client_rows.append((own, combos))
            picks.append(offset + inverse.reshape(-1))
            offset += len(combos)
        self.pick = np.zeros((k_count, offset))
        for column in picks:
            self.pick[np.arange(k_count), column] = 1.0

    def count_clients(self, member: np.ndarray) -> np.ndarray:
        """Distinct clients with a contract in each window: K × D × W."""
        _, _, d, w = member.shape
        present = np.zeros((self.pick.shape[1], d * w))
        row = 0
        for own, combos in self.client_rows:
            # member[combos, own]: for each combination, each contract's membership.
            inside = member[combos, own[None, :]].reshape(len(combos), len(own), d * w)
            present[row : row + len(combos)] = inside.any(axis=1)
            row += len(combos)
        counts = self.pick @ present
        return np.rint(counts).astype(np.int64).reshape(-1, d, w)


def displayed_jss(best_score: np.ndarray, rounding: str) -> np.ndarray:
    """MODEL.md 6 rounding of best scores (NaN → -1), as the engine does it."""
    if rounding == "half_up":
        rounded = np.floor(best_score + 0.5 + EPS)
    else:
        rounded = np.floor(best_score + EPS)
    return np.where(np.isnan(best_score), -1, rounded).astype(np.int64)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Prediction:
    """What the representative rules show on an observation date (engine-verified)."""

    observation: Observation
    computed_on: date
    jss: int | None
    score: float | None
    window: str | None
    #: Whether any rule set of the search reproduces this observation.
    explainable: bool

    @property
    def matches(self) -> bool:
        return self.jss == self.observation.jss


@dataclass(frozen=True)
class Group:
    """Rule sets that reproduce exactly the same observations."""

    matches: int
    mae_min: float
    mae_max: float
    #: how many grid rule sets the group stands for.
    size: int
    #: parameter → every value found in the group (marginals), in search order.
    values: dict[str, tuple[Any, ...]]
    representative: RuleSet
    representative_mae: float
    reproduced: tuple[bool, ...]

    def agreed(self, space: SearchSpace) -> dict[str, Any]:
        """Parameters with one value in the group that the search could vary."""
        return {
            name: values[0]
            for name, values in self.values.items()
            if len(values) == 1 and _contested(space, name)
        }

    def undecided(self, space: SearchSpace) -> dict[str, tuple[Any, ...]]:
        """Parameters with several values in the group."""
        return {name: values for name, values in self.values.items() if len(values) > 1}


@dataclass(frozen=True)
class Calibration:
    """The result of `calibrate`: everything the renderers need."""

    base: RuleSet
    observations: tuple[Observation, ...]
    space: SearchSpace
    groups: tuple[Group, ...]
    predictions: tuple[Prediction, ...]
    elapsed: float
    conclusions: tuple[str, ...] = field(default=())

    @property
    def best(self) -> Group:
        return self.groups[0]

    @property
    def winner(self) -> RuleSet:
        return self.best.representative

    @property
    def unexplained(self) -> tuple[Observation, ...]:
        """Observations that no rule set of the search reproduces."""
        return tuple(p.observation for p in self.predictions if not p.explainable)

    @property
    def missed(self) -> tuple[Prediction, ...]:
        """Observations the representative of the best group does not reproduce."""
        return tuple(p for p in self.predictions if not p.matches)

    @property
    def undecided(self) -> list[str]:
        """Parameters the observations cannot settle: several fit, or none can matter."""
        names = set(self.best.undecided(self.space)) | set(self.space.irrelevant)
        return [name for name in SEARCHED if name in names and name not in self.space.pinned]

    def to_json(self) -> dict[str, Any]:
        """The `jsscheck.calibrate/1` document (CLI.md)."""
        return {
            "schema": SCHEMA,
            "base_rules": self.base.to_json(),
            "observations": [
                {
                    "date": p.observation.day.isoformat(),
                    "observed": p.observation.jss,
                    "predicted": p.jss,
                    "score": p.score,
                    "window": p.window,
                    "computed_on": p.computed_on.isoformat(),
                    "reproduced": p.matches,
                    "explainable": p.explainable,
                    "source": p.observation.source,
                }
                for p in self.predictions
            ],
            "best": [
                {
                    "params": g.representative.params(),
                    "fingerprint": g.representative.fingerprint,
                    "matches": g.matches,
                    "of": len(self.observations),
                    "mae": g.representative_mae,
                    "group": {
                        "rule_sets": g.size,
                        "mae_range": [g.mae_min, g.mae_max],
                        "agreed": _json_values(g.agreed(self.space)),
                        "undecided": {k: list(v) for k, v in g.undecided(self.space).items()},
                        "reproduced": [
                            o.day.isoformat()
                            for o, hit in zip(self.observations, g.reproduced, strict=True)
                            if hit
                        ],
                    },
                }
                for g in self.groups
            ],
            "undecided": self.undecided,
            "irrelevant": dict(self.space.irrelevant),
            "pinned": _json_values(self.space.pinned),
            "unexplained": [o.day.isoformat() for o in self.unexplained],
            "searched": {
                "rule_sets": self.space.rule_sets,
                "evaluated": self.space.evaluations,
                "cutoff_classes": len(self.space.classes),
                "seconds": round(self.elapsed, 3),
            },
            "conclusions": list(self.conclusions),
        }


def _json_values(values: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}


def _contested(space: SearchSpace, name: str) -> bool:
    return name not in space.pinned and name not in space.irrelevant


Progress = Callable[[int, int], None]


def calibrate(
    arrays: ContractArrays,
    base: RuleSet,
    observations: Sequence[Observation],
    *,
    pinned: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> Calibration:
    """Search the rule space for the rules that reproduce `observations` (see module docstring).

    `base` provides every parameter that is not searched (windows, weight_cap, grace days,
    minimums, use_public) and breaks ties between equally good rule sets (closest first).
    `progress(done, total)` is called after each outcome combination.
    """
    if not observations:
        raise InternalError("calibrate needs at least one observation")
    started = time.perf_counter()
    # The search's signal classes read private feedback on every date: it searches rule sets
    # without private_until (MODEL.md v2) until it learns to search that parameter (#15).
    base = replace(base, private_until=None)
    observations = tuple(sorted(observations, key=_day))
    space = build_space(arrays, base, observations, pinned)
    days, rows = _computation_rows(observations)
    observed = np.array([o.jss for o in observations], dtype=np.int64)
    combos = _outcome_combinations(space)
    layout = _ClassLayout(arrays, space.classes, days, _months(base))
    tables = []
    for done, combo in enumerate(combos, start=1):
        tables.append(
            _evaluate_outcome_combination(arrays, base, combo, space, layout, days, rows, observed)
        )
        if progress is not None:
            progress(done, len(combos))
    matches = np.stack([t.matches for t in tables])
    mae = np.stack([t.mae for t in tables])
    patterns = np.stack([t.patterns for t in tables])
    explainable = np.unpackbits(
        np.bitwise_or.reduce(patterns.reshape(-1, patterns.shape[-1]), axis=0)
    )[: len(observations)].astype(bool)

    groups = _groups(base, space, combos, matches, mae, patterns, len(observations))
    predictions = _predict(arrays, groups[0], observations, explainable)
    _check_agreement(groups[0], predictions)
    result = Calibration(
        base=base,
        observations=observations,
        space=space,
        groups=groups,
        predictions=predictions,
        elapsed=time.perf_counter() - started,
    )
    return replace(result, conclusions=tuple(conclusions(result)))


def _distances(base: RuleSet, space: SearchSpace, combos: list[dict[str, Any]]) -> np.ndarray:
    """Per candidate: how many parameters differ from `base` (cut-offs: nearest class member)."""

    def differs(name: str, value: Any) -> int:
        return int(getattr(base, name) != value)

    by_combo = np.array([sum(differs(k, v) for k, v in combo.items()) for combo in combos])
    by_class = np.array([min(_cutoff_distance(base, p) for p in c.cutoffs) for c in space.classes])
    axes = [
        np.array([differs(name, v) for v in space.values[name]])
        for name in SCORE_PARAMS + DISPLAY_PARAMS
    ]
    total = by_combo[:, None] + by_class[None, :]
    for axis in axes:
        total = total[..., None] + axis
    return total


def _cutoff_distance(base: RuleSet, point: CutOffs) -> float:
    distance = float(point.use_private != base.use_private)
    distance += abs(point.public_success - base.public_success)
    distance += abs(point.public_negative - base.public_negative)
    if point.use_private and base.private_success is not None:
        distance += abs((point.private_success or 0) - base.private_success) / 10
        distance += abs((point.private_negative or 0) - (base.private_negative or 0)) / 10
    return distance


def _groups(
    base: RuleSet,
    space: SearchSpace,
    combos: list[dict[str, Any]],
    matches: np.ndarray,
    mae: np.ndarray,
    patterns: np.ndarray,
    count: int,
) -> tuple[Group, ...]:
    shape = matches.shape
    flat_matches = matches.reshape(-1)
    flat_mae = mae.reshape(-1)
    flat_patterns = np.ascontiguousarray(patterns.reshape(flat_matches.size, -1))
    keys = flat_patterns.view(np.dtype((np.void, flat_patterns.shape[1]))).reshape(-1)
    unique, inverse = np.unique(keys, return_inverse=True)
    inverse = inverse.reshape(-1)
    group_matches = np.zeros(len(unique), dtype=np.int64)
    group_matches[inverse] = flat_matches
    group_mae = np.full(len(unique), np.inf)
    np.minimum.at(group_mae, inverse, flat_mae)
    order = np.lexsort((np.round(group_mae, 9), -group_matches))[:GROUPS_KEPT]
    distance = _distances(base, space, combos).reshape(-1)
    groups = []
    for g in order:
        members = np.flatnonzero(inverse == g)
        best = members[np.lexsort((distance[members], np.round(flat_mae[members], 9)))[0]]
        groups.append(
            _make_group(base, space, combos, shape, members, best, flat_mae, unique[g], count)
        )
    return tuple(groups)


def _make_group(
    base: RuleSet,
    space: SearchSpace,
    combos: list[dict[str, Any]],
    shape: tuple[int, ...],
    members: np.ndarray,
    best: int,
    flat_mae: np.ndarray,
    key: np.void,
    count: int,
) -> Group:
    q, k, f, tr, r, c = np.unravel_index(members, shape)
    found: dict[str, set[Any]] = {name: set() for name in SEARCHED}
    for qi in np.unique(q):
        for name, value in combos[qi].items():
            found[name].add(value)
    for name, index in zip(SCORE_PARAMS + DISPLAY_PARAMS, (f, tr, r, c), strict=True):
        for i in np.unique(index):
            found[name].add(space.values[name][i])
    for ki in np.unique(k):
        for point in space.classes[ki].cutoffs:
            for name, value in point.params().items():
                if value is not None:
                    found[name].add(value)
    # Group size: rule sets = members expanded by their classes' grid points.
    sizes = np.array([len(cls.cutoffs) for cls in space.classes])
    size = int(sizes[k].sum())
    values = {
        name: tuple(v for v in _ordered(space, name) if v in found[name])
        for name in SEARCHED
        if found[name]
    }
    bq, bk, bf, bt, br, bc = (int(i) for i in np.unravel_index(best, shape))
    point = min(space.classes[bk].cutoffs, key=lambda p: _cutoff_distance(base, p))
    params = {
        **combos[bq],
        **point.params(),
        "formula": space.values["formula"][bf],
        "trending": space.values["trending"][bt],
        "rounding": space.values["rounding"][br],
        "cadence": space.values["cadence"][bc],
    }
    if params["weighting"] == "tiers" and base.weight_cap is None:
        params["weight_cap"] = 8.0
    representative = replace(base, name="calibrated", **params)
    check_consistent(representative)
    reproduced = tuple(bool(b) for b in np.unpackbits(np.frombuffer(key.tobytes(), np.uint8)))
    mae = flat_mae[members]
    return Group(
        matches=sum(reproduced[:count]),
        mae_min=float(mae.min()),
        mae_max=float(mae.max()),
        size=size,
        values=values,
        representative=representative,
        representative_mae=float(flat_mae[best]),
        reproduced=reproduced[:count],
    )


def _ordered(space: SearchSpace, name: str) -> tuple[Any, ...]:
    if name in CATEGORICAL_VALUES:
        return CATEGORICAL_VALUES[name]
    grids: dict[str, tuple[Any, ...]] = {
        "use_private": (True, False),
        "public_success": PUBLIC_SUCCESS_GRID,
        "public_negative": PUBLIC_NEGATIVE_GRID,
        "private_success": PRIVATE_SUCCESS_GRID,
        "private_negative": PRIVATE_NEGATIVE_GRID,
    }
    ordered = grids[name]
    pinned = space.pinned.get(name)
    return ordered if pinned is None or pinned in ordered else (*ordered, pinned)


def _predict(
    arrays: ContractArrays,
    group: Group,
    observations: Sequence[Observation],
    explainable: np.ndarray,
) -> tuple[Prediction, ...]:
    """The representative's displayed JSS on each observation date, by the public engine."""
    rules = group.representative
    computed = [update_day(o.day, rules.cadence) for o in observations]
    unique = sorted(set(computed))
    scores = evaluate_dates(arrays, rules, unique)
    row = {d: i for i, d in enumerate(unique)}
    predictions = []
    for j, (observation, day) in enumerate(zip(observations, computed, strict=True)):
        i = row[day]
        best = float(scores.best_score[i])
        predictions.append(
            Prediction(
                observation=observation,
                computed_on=day,
                jss=scores.jss_at(i),
                score=None if math.isnan(best) else best,
                window=scores.best_name(i),
                explainable=bool(explainable[j]),
            )
        )
    return tuple(predictions)


def _check_agreement(group: Group, predictions: Sequence[Prediction]) -> None:
    """The search's shortcut must agree with the engine on the winner, observation by one."""
    reproduced = tuple(p.matches for p in predictions)
    if reproduced != group.reproduced:
        raise InternalError(
            "calibrate's fast search disagrees with the engine on "
            f"{group.representative.fingerprint}: {reproduced} vs {group.reproduced}"
        )


# --------------------------------------------------------------------------- conclusions

#: What each value of a searched parameter means, as a clause ("… if <clause>").
VALUE_WORDS: dict[str, dict[Any, str]] = {
    "no_feedback": {
        "exclude": "contracts that end without feedback are excluded",
        "negative": "contracts that end without feedback count as negative",
        "neutral": "contracts that end without feedback count as neutral (they dilute the total)",
    },
    "zero_dollar": {
        "negative_only": "$0 contracts count only with negative feedback",
        "exclude": "$0 contracts never count",
        "count": "$0 contracts count like any other",
    },
    "use_private": {True: "private feedback counts", False: "private feedback does not count"},
    "formula": {
        "net": "the score is (successes − negatives) / total",
        "share": "the score is successes / total",
    },
    "weighting": {
        "tiers": "contracts are weighted by job size and length",
        "count": "every contract counts once",
        "dollars": "contracts are weighted by their earnings",
    },
    "anchor": {
        "last_payment": "a contract's last payment places it in the windows",
        "end_date": "a contract's end date places it in the windows",
    },
    "trending": {True: "the Trending score competes", False: "the Trending score does not compete"},
    "long_term_days": {
        90: "contracts active more than 90 days count as successes",
        None: "long contracts get no automatic success",
    },
    "idle_open_days": {
        90: "open contracts unpaid for 90 days count as ended without feedback",
        None: "idle open contracts do not count",
    },
    "rounding": {"half_up": "the score is rounded half up", "floor": "the score is rounded down"},
    "cadence": {
        "daily": "the score is refreshed daily",
        "biweekly": "the score is refreshed every second Sunday",
    },
}
#: What a parameter decides, as the object of "the data cannot tell …".
QUESTION_WORDS: dict[str, str] = {
    "no_feedback": "how contracts that end without feedback count",
    "zero_dollar": "how $0 contracts count",
    "use_private": "whether private feedback counts",
    "public_success": "from how many stars a public rating is a success",
    "public_negative": "below how many stars a public rating is negative",
    "private_success": "from which private score (0-10) a contract is a success",
    "private_negative": "up to which private score (0-10) a contract is negative",
    "formula": "which formula is used (net or share)",
    "weighting": "how contracts are weighted",
    "anchor": "whether the end date or the last payment places a contract in the windows",
    "trending": "whether the Trending score competes",
    "long_term_days": "whether contracts over 90 days count as successes",
    "idle_open_days": "whether idle open contracts count",
    "rounding": "how the score is rounded",
    "cadence": "how often the score is refreshed",
}
_CUTOFF_WORDS = {
    "public_success": ("a public rating is a success from", "stars"),
    "public_negative": ("a public rating is negative below", "stars"),
    "private_success": ("a private score is a success from", ""),
    "private_negative": ("a private score is negative at or below", ""),
}
#: Fewer observations than this cannot separate much; say so.
FEW_OBSERVATIONS = 5


def describe_values(name: str, values: Sequence[Any]) -> str:
    """`4.3–4.5` for a run of grid values, `7, 9` otherwise; words for categorical values."""
    if name in _CUTOFF_WORDS:
        return _cutoff_range(name, values)
    return " or ".join(_value_text(v) for v in values)


def _value_text(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _cutoff_range(name: str, values: Sequence[Any]) -> str:
    grid = {
        "public_success": PUBLIC_SUCCESS_GRID,
        "public_negative": PUBLIC_NEGATIVE_GRID,
        "private_success": PRIVATE_SUCCESS_GRID,
        "private_negative": PRIVATE_NEGATIVE_GRID,
    }[name]
    ordered = sorted(values)
    positions = [grid.index(v) if v in grid else -1 for v in ordered]
    contiguous = -1 not in positions and positions == list(
        range(positions[0], positions[0] + len(positions))
    )
    shown = [f"{v:.1f}" if name.startswith("public") else f"{v:g}" for v in ordered]
    if len(ordered) > 1 and contiguous:
        return f"{shown[0]}–{shown[-1]}"
    return ", ".join(shown)


def _clause(name: str, values: Sequence[Any]) -> str:
    if name in _CUTOFF_WORDS:
        lead, unit = _CUTOFF_WORDS[name]
        text = f"{lead} {describe_values(name, values)}"
        return f"{text} {unit}".rstrip()
    return " or ".join(VALUE_WORDS[name][v] for v in values)


def conclusions(result: Calibration) -> list[str]:
    """Plain sentences: what the observations decide, what they cannot, and how sure we are."""
    best = result.best
    total = len(result.observations)
    space = result.space
    lines: list[str] = []
    if best.matches == total:
        lines.append(
            f"{best.size:,} of the {space.rule_sets:,} rule sets searched reproduce all {total} "
            f"of your observations. That makes them consistent with what Upwork showed you, "
            "not proven: Upwork's real rules may differ in ways these observations never test."
        )
        need = "your observations are only reproduced if"
    elif best.matches == 0:
        lines.append(
            f"No rule set of the {space.rule_sets:,} searched reproduces any of your {total} "
            "observations: check that the history is complete and that the dates are the days "
            "you read the JSS."
        )
        need = "the closest fit needs"
    else:
        lines.append(
            f"No rule set reproduces all {total} observations; the best fit reproduces "
            f"{best.matches}. Read what follows as the best partial fit, not as Upwork's rules."
        )
        need = f"the best fit ({best.matches} of {total}) needs"
    if result.unexplained:
        days = ", ".join(f"{o.day} ({o.jss}%)" for o in result.unexplained)
        lines.append(
            f"No rule set jsscheck can express reproduces the JSS you recorded on {days}: a "
            "mistyped value, a contract missing from the history, or a rule outside the model."
        )
    missed = [p for p in result.missed if p.explainable]
    if missed and best.matches:
        days = ", ".join(f"{p.observation.day} ({p.observation.jss}%)" for p in missed)
        lines.append(
            f"The best fit does not reproduce {days}; other rule sets do, but not together "
            "with the rest."
        )
    for name in SEARCHED:
        if (
            name in space.pinned
            or name in ("private_success", "private_negative")
            and (True not in best.values.get("use_private", ()))
        ):
            continue
        if name in space.irrelevant:
            if name in ("private_success", "private_negative"):
                continue
            lines.append(
                f"Your history cannot tell {QUESTION_WORDS[name]}: {space.irrelevant[name]}, "
                "so the rule cannot change your score."
            )
            continue
        found = best.values.get(name, ())
        searched = searched_values(space, name)
        if not found or len(searched) < 2:
            continue
        if len(found) == 1 or (name in _CUTOFF_WORDS and len(found) < len(searched)):
            lines.append(f"{need.capitalize()} {_clause(name, found)}.")
        elif len(found) < len(searched):
            ruled_out = [v for v in searched if v not in found]
            lines.append(
                f"The data cannot tell {QUESTION_WORDS[name]}: "
                f"{describe_values(name, found)} fit, {describe_values(name, ruled_out)} does not."
            )
        else:
            lines.append(f"The data cannot tell {QUESTION_WORDS[name]}.")
    undecided = [n for n in best.undecided(space) if n not in space.pinned]
    if total < FEW_OBSERVATIONS or len(undecided) > 3:
        lines.append(
            f"{total} observation{'s' if total != 1 else ''} leave{'' if total != 1 else 's'} "
            f"{best.size:,} rule sets equally consistent: too few to separate the candidates. "
            "Record the JSS Upwork shows more often (`jsscheck snapshot --observed N`), "
            "especially on days it changes."
        )
    return lines


def searched_values(space: SearchSpace, name: str) -> tuple[Any, ...]:
    """Every value of `name` the search tried."""
    if name in space.values:
        return space.values[name]
    found: set[Any] = set()
    for cls in space.classes:
        for point in cls.cutoffs:
            value = getattr(point, name)
            if value is not None:
                found.add(value)
    return tuple(sorted(found))
