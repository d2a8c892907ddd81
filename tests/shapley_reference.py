"""A brute-force Shapley reference for tests/test_attribution.py (MODEL.md 9.1, 9.2).

Values every coalition one at a time from the footprints, in plain Python: no numpy, no
sharing of code with the vectorised engine it checks.
"""

from __future__ import annotations

import itertools
import math

from jsscheck.engine.attribution import State, Step
from jsscheck.engine.coalitions import Params


def reference_effects(step: Step, s0: State, s1: State) -> dict[str | None, float]:
    """Brute-force Shapley values from the footprints, one coalition at a time (no numpy)."""
    params = (Params.of(s0.rules), Params.of(s1.rules))
    months = tuple(sorted(set(params[0].computed) | set(params[1].computed)))
    inside = s0.inside(months)
    base: dict[str | None, tuple[str, float, tuple[int, ...], str] | None] = {}
    names = s0.arrays.contracts.client_names
    for i, cid in enumerate(s0.arrays.contract_ids):
        label = ("excluded", "success", "neutral", "negative")[int(s0.outcome[i])]
        windows = tuple(m for k, m in enumerate(months) if inside[i, k])
        base[cid] = None if label == "excluded" else (label, float(s0.weight[i]), windows, names[i])
    players = [e for e in step.events if e.contract_id is not None]
    has_rules = any(e.contract_id is None for e in step.events)

    def value(coalition: tuple[int, ...], rules_in: bool) -> float:
        prints = dict(base)
        for p in coalition:
            e = players[p]
            f = e.after
            prints[e.contract_id] = (
                None if f is None else (f.outcome, f.weight, f.windows, f.client)
            )
        par = params[1] if rules_in else params[0]
        scores: dict[int, float | None] = {}
        would: dict[int, float] = {}
        for m in months:
            rows = [f for f in prints.values() if f is not None and m in f[2]]
            s = sum(f[1] for f in rows if f[0] == "success")
            n = sum(f[1] for f in rows if f[0] == "negative")
            t = sum(f[1] for f in rows)
            if not rows:
                scores[m] = None
                continue
            raw = 100 * ((s - n) / t if par.formula == "net" else s / t)
            would[m] = min(100.0, max(0.0, raw))
            ok = len(rows) >= par.min_outcomes and len({f[3] for f in rows}) >= par.min_clients
            scores[m] = would[m] if ok else None
        cands = [scores[m] for m in par.windows if scores[m] is not None]
        if par.trending and scores[3] is not None and scores[6] is not None:
            cands.append((scores[3] + scores[6]) / 2)  # type: ignore[operator]
        if cands:
            return max(c for c in cands if c is not None)
        ws = [would[m] for m in par.computed if m in would]
        if par.trending and 3 in would and 6 in would:
            ws.append((would[3] + would[6]) / 2)
        return max(ws, default=0.0)

    rules_player = len(players)  # the rule change's position among the players
    everyone = list(range(len(players))) + ([rules_player] if has_rules else [])
    n = len(everyone)
    result: dict[str | None, float] = {}
    for who in everyone:
        others = [p for p in everyone if p != who]
        total = 0.0
        for size in range(n):
            weight = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
            for group in itertools.combinations(others, size):
                ints = tuple(p for p in group if p != rules_player)
                with_rules = rules_player in group
                if who == rules_player:
                    total += weight * (value(ints, True) - value(ints, False))
                else:
                    total += weight * (value((*ints, who), with_rules) - value(ints, with_rules))
        result[None if who == rules_player else players[who].contract_id] = total
    return result
