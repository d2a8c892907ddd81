"""The value of a state and exact Shapley values over every coalition at once (MODEL.md 9.1, 9.2).

A step's mixed states x(S) differ from state 0 only in the players of S, so the window sums of
every coalition are the sums of state 0 plus `mask @ deltas`: one matrix product gives S, N, U,
the counted contracts and each involved client's contracts in every window for all 2ⁿ
coalitions, and eligibility, scores, Trending and the best-of follow as array operations.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from jsscheck.engine.windows import EPS, WindowSums, window_values
from jsscheck.model.rules import RuleSet

#: Above this many players a step is explained by the within-window fallback (MODEL.md 9.2).
MAX_EXACT_PLAYERS = 12


@dataclass(frozen=True)
class Params:
    """The five parameters the rule-change player carries (MODEL.md 9.2)."""

    formula: str
    windows: tuple[int, ...]
    trending: bool
    min_clients: int
    min_outcomes: int

    @classmethod
    def of(cls, rules: RuleSet) -> Params:
        return cls(
            rules.formula,
            tuple(rules.windows),
            rules.trending,
            rules.min_clients,
            rules.min_outcomes,
        )

    @property
    def computed(self) -> tuple[int, ...]:
        """The computed windows: `windows`, plus 3 and 6 with Trending (MODEL.md 5)."""
        months = set(self.windows)
        if self.trending:
            months |= {3, 6}
        return tuple(sorted(months))


#: The window sums of several states (arrays M×K over the step's computed `months`).
Sums = WindowSums


def values(params: Params, sums: Sums) -> np.ndarray:
    """The value of MODEL.md 9.1 of each of M states under `params`.

    The best candidate's score (ties within 1e-9 go to the longest window, Trending last);
    where no candidate is eligible, the highest score among the computed windows with T > 0 and
    Trending (when 3 and 6 both have T > 0), as if `min_outcomes`/`min_clients` were met; else 0.
    """
    has, eligible, _, score = window_values(params, sums)
    k = {m: i for i, m in enumerate(sums.months)}
    ordered = sorted(params.windows, reverse=True)
    cand = [np.where(eligible[:, k[m]], score[:, k[m]], np.nan) for m in ordered]
    would = [np.where(has[:, k[m]], score[:, k[m]], -np.inf) for m in params.computed]
    if params.trending:
        k3, k6 = k[3], k[6]
        mean = (score[:, k3] + score[:, k6]) / 2.0
        cand.append(np.where(eligible[:, k3] & eligible[:, k6], mean, np.nan))
        would.append(np.where(has[:, k3] & has[:, k6], mean, -np.inf))
    table = np.stack(cand, axis=1)
    present = ~np.isnan(table)
    highest = np.max(np.where(present, table, -np.inf), axis=1)
    close = present & (table >= highest[:, None] - EPS)
    first = np.argmax(close, axis=1)
    best = np.take_along_axis(np.nan_to_num(table, nan=0.0), first[:, None], 1)[:, 0]
    fallback = np.max(np.stack(would, axis=1), axis=1)
    fallback = np.where(np.isfinite(fallback), fallback, 0.0)
    return np.where(present.any(axis=1), best, fallback)


@dataclass(frozen=True)
class Game:
    """The players of one step as deltas on state 0's window sums (K windows, C clients).

    `clients0[c, k]`: state 0's counted contracts of involved client c in window k;
    `distinct0[k]`: state 0's distinct clients in window k. Deltas are n×K (`client_delta` n×C×K).
    """

    months: tuple[int, ...]
    success0: np.ndarray
    negative0: np.ndarray
    neutral0: np.ndarray
    contracts0: np.ndarray
    distinct0: np.ndarray
    clients0: np.ndarray
    success: np.ndarray
    negative: np.ndarray
    neutral: np.ndarray
    contracts: np.ndarray
    client_delta: np.ndarray


def coalition_sums(game: Game, mask: np.ndarray) -> Sums:
    """The window sums of every coalition (rows of the 0/1 matrix `mask`, M×n)."""
    m = mask if mask.dtype == np.float64 else mask.astype(np.float64)
    n_clients = game.clients0.shape[0]
    k_count = len(game.months)
    if n_clients:
        delta = game.client_delta.reshape(len(game.success), -1)
        counts = game.clients0.reshape(1, -1) + np.rint(m @ delta)
        present = (counts > 0).reshape(-1, n_clients, k_count)
        was = (game.clients0 > 0)[None, :, :]
        distinct = game.distinct0[None, :] + (present.sum(axis=1) - was.sum(axis=1))
    else:
        distinct = np.broadcast_to(game.distinct0, (len(mask), k_count))
    return Sums(
        months=game.months,
        success=game.success0[None, :] + m @ game.success,
        negative=game.negative0[None, :] + m @ game.negative,
        neutral=game.neutral0[None, :] + m @ game.neutral,
        contracts=game.contracts0[None, :] + np.rint(m @ game.contracts).astype(np.int64),
        clients=distinct,
    )


_MASKS: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def _masks(n: int) -> tuple[np.ndarray, np.ndarray]:
    """All 2ⁿ coalitions as an M×n 0/1 float matrix (row i holds the bits of i), and the n×M
    matrix Φ with φ = Φ·v: Φ[p, S] = w(|S| − 1) when p ∈ S, −w(|S|) otherwise, where
    w(s) = s!·(n − s − 1)!/n! is the Shapley weight of a coalition of s others."""
    if n not in _MASKS:
        index = np.arange(1 << n)
        mask = ((index[:, None] >> np.arange(n)[None, :]) & 1).astype(np.float64)
        size = mask.sum(axis=1).astype(np.int64)
        weight = np.array(
            [math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n) for s in range(n)]
            + [0.0]
        )
        phi = np.where(mask.T == 1, weight[np.maximum(size - 1, 0)], -weight[size])
        _MASKS[n] = (mask, phi)
    return _MASKS[n]


def shapley(
    game: Game,
    params0: Params,
    params1: Params,
    rule_player: bool,
    value0: float,
    value1: float,
) -> np.ndarray:
    """Exact Shapley values of the game's contract players, then the rule player if any.

    The coalitions of all players are valued at once; the empty coalition and the full one are
    states 0 and 1 themselves, whose values are given (so the effects of consecutive steps add
    up to the change between their ends without float dust from the deltas).
    """
    n_contracts = len(game.success)
    n = n_contracts + int(rule_player)
    if n == 0:
        return np.zeros(0)
    mask, phi = _masks(n)
    sums = coalition_sums(game, mask[:, :n_contracts])
    v = values(params0, sums)
    if rule_player:
        v = np.where(mask[:, n_contracts] == 1, values(params1, sums), v)
    v[0], v[-1] = value0, value1
    shares: np.ndarray = phi @ v
    return shares
