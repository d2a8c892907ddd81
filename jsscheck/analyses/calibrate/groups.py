"""Ranking the searched rule sets into groups, and each group's representative.

Rule sets reproducing exactly the same observations form one group (MAE does not split a
group: 83.6 and 84.4 both show 84, so among rule sets that reproduce an observation MAE is not
evidence). Groups are ranked by observations reproduced, then by their lowest MAE; inside a
group the member with the lowest MAE, then the fewest differences from the base rules,
represents it (and is what `--write-rules` writes).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from jsscheck.analyses.calibrate.result import Group
from jsscheck.analyses.calibrate.space import (
    DISPLAY_PARAMS,
    SCORE_PARAMS,
    SEARCHED,
    CutOffs,
    SearchSpace,
)
from jsscheck.model.rules import RuleSet, check_consistent

#: Groups kept in the result, best first.
GROUPS_KEPT = 5
#: A 0-10 private cut-off step counts a tenth of a star step in the distance to the base.
_PRIVATE_SCALE = 10


def best_groups(
    base: RuleSet,
    space: SearchSpace,
    combos: list[dict[str, Any]],
    matches: np.ndarray,
    mae: np.ndarray,
    patterns: np.ndarray,
    count: int,
) -> tuple[Group, ...]:
    """The `GROUPS_KEPT` best groups, best first (arrays indexed like `search.Tables`)."""
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
    q, k, *rest = np.unravel_index(members, shape)
    found: dict[str, set[Any]] = {name: set() for name in SEARCHED}
    for qi in np.unique(q):
        for name, value in combos[qi].items():
            found[name].add(value)
    for name, index in zip(SCORE_PARAMS + DISPLAY_PARAMS, rest, strict=True):
        for i in np.unique(index):
            found[name].add(space.values[name][i])
    for ki in np.unique(k):
        for point in space.classes[ki].cutoffs:
            for name, value in point.params().items():
                # None is "not read" for a cut-off, but a value of its own where the
                # parameter searches it (private_until: always).
                if value is not None or None in space.ordered(name):
                    found[name].add(value)
    sizes = np.array([len(cls.cutoffs) for cls in space.classes])
    values = {
        name: tuple(v for v in space.ordered(name) if v in found[name])
        for name in SEARCHED
        if found[name]
    }
    bq, bk, *brest = (int(i) for i in np.unravel_index(best, shape))
    point = min(space.classes[bk].cutoffs, key=lambda p: _cutoff_distance(base, p))
    params = {**combos[bq], **point.params()}
    for name, i in zip(SCORE_PARAMS + DISPLAY_PARAMS, brest, strict=True):
        params[name] = space.values[name][i]
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
        size=int(sizes[k].sum()),  # members expanded by their classes' grid points
        values=values,
        representative=representative,
        representative_mae=float(flat_mae[best]),
        reproduced=reproduced[:count],
    )


def _distances(base: RuleSet, space: SearchSpace, combos: list[dict[str, Any]]) -> np.ndarray:
    """Per candidate: how many parameters differ from `base` (cut-offs: nearest class member)."""

    def differs(name: str, value: Any) -> int:
        return int(getattr(base, name) != value)

    by_combo = np.array([sum(differs(k, v) for k, v in combo.items()) for combo in combos])
    by_class = np.array([min(_cutoff_distance(base, p) for p in c.cutoffs) for c in space.classes])
    total: np.ndarray = by_combo[:, None] + by_class[None, :]
    for name in SCORE_PARAMS + DISPLAY_PARAMS:
        total = total[..., None] + np.array([differs(name, v) for v in space.values[name]])
    return total


def _cutoff_distance(base: RuleSet, point: CutOffs) -> float:
    """Steps between a grid point and the base: on/off settings 1, cut-offs their distance."""
    params = point.params()
    distance = 0.0
    for name, value in params.items():
        here = getattr(base, name)
        if name.startswith("private_") and name != "private_until":
            if params.get("use_private") and here is not None:
                distance += abs((value or 0) - here) / _PRIVATE_SCALE
        elif isinstance(value, float):
            distance += abs(value - here)
        else:
            distance += float(value != here)
    return distance
