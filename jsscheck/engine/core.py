"""Compatibility names for code written before the engine was split (#14).

The engine now lives in `arrays` (the columns), `outcomes` (MODEL.md 3-4), `windows`
(MODEL.md 5-6) and `evaluate` (evaluations, cadence, Top Rated). Import from those; this
module only re-exports them for branches that still import `jsscheck.engine.core`, and goes
once none does.
"""

from __future__ import annotations

from jsscheck.engine.arrays import ContractArrays
from jsscheck.engine.evaluate import (
    Evaluation,
    TopRated,
    earnings_12m,
    evaluate,
    evaluate_dates,
    evaluate_shown,
    shown_jss,
    top_rated,
    top_rated_status,
)
from jsscheck.engine.outcomes import Outcome, Outcomes, Reason, outcomes_at
from jsscheck.engine.windows import (
    EPS,
    Scores,
    WindowSums,
    scores_from_sums,
    window_scores,
)
from jsscheck.model.candidate import candidate_name

__all__ = [
    "EPS",
    "ContractArrays",
    "Evaluation",
    "Outcome",
    "Outcomes",
    "Reason",
    "Scores",
    "TopRated",
    "WindowSums",
    "candidate_name",
    "earnings_12m",
    "evaluate",
    "evaluate_dates",
    "evaluate_shown",
    "outcomes_at",
    "scores_from_sums",
    "shown_jss",
    "top_rated",
    "top_rated_status",
    "window_scores",
]
