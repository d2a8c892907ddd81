"""The score as of a date, as data: what `score` prints and what snapshots store (CLI.md).

Frozen dataclasses only; the `jsscheck.score/1` document is made in
`jsscheck.render.score_document`, the words and tables in `jsscheck.render.score`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from jsscheck.engine.arrays import ContractArrays
from jsscheck.engine.calendar import short_coverage, update_day
from jsscheck.engine.credits import OpenCredit, open_credits
from jsscheck.engine.evaluate import Evaluation, TopRated, evaluate, top_rated
from jsscheck.model.candidate import candidate_name
from jsscheck.model.rules import RuleSet

#: MODEL.md: a displayed JSS below this may trigger an account review.
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
    #: MODEL.md 11 "open contracts credited" at the computation date.
    open_credits: tuple[OpenCredit, ...] = field(default=())
    #: MODEL.md 11 "short coverage": the first date the Upwork exports cover, when it is after
    #: the start of the longest window (contracts paid earlier may be missing); else None.
    short_coverage: date | None = None

    @property
    def jss(self) -> int | None:
        return self.evaluation.jss

    @property
    def review_risk(self) -> bool:
        return self.jss is not None and self.jss < REVIEW_RISK_BELOW


@dataclass(frozen=True)
class WindowScore:
    """One candidate's sums and score; the Trending candidate has no sums (all None)."""

    name: str
    eligible: bool
    score: float | None
    success: float | None = None
    negative: float | None = None
    neutral: float | None = None
    total: float | None = None
    contracts: int | None = None
    clients: int | None = None


def score_report(
    arrays: ContractArrays,
    rules: RuleSet,
    as_of: date,
    warnings: tuple[str, ...] = (),
    covered_from: date | None = None,
) -> ScoreReport:
    """Evaluate the history as shown on `as_of` (`covered_from`: the first date the Upwork
    exports among the inputs cover, `ReadResult.covered_from`)."""
    computed_on = update_day(as_of, rules.cadence)
    evaluation = evaluate(arrays, rules, computed_on)
    return ScoreReport(
        as_of=as_of,
        computed_on=computed_on,
        rules=rules,
        evaluation=evaluation,
        top_rated=top_rated(arrays, rules, as_of),
        warnings=warnings,
        open_credits=open_credits(evaluation),
        short_coverage=short_coverage(covered_from, rules, as_of),
    )


def window_scores(evaluation: Evaluation) -> tuple[WindowScore, ...]:
    """Every window of the rules (plus 3m, 6m and Trending when Trending is on)."""
    sums = evaluation.scores.sums
    out: list[WindowScore] = []
    for k, months in enumerate(sums.months):
        name = candidate_name(months)
        eligible = evaluation.window_eligible(months)
        out.append(
            WindowScore(
                name=name,
                eligible=eligible,
                score=evaluation.candidate_score(name) if eligible else None,
                success=float(sums.success[0, k]),
                negative=float(sums.negative[0, k]),
                neutral=float(sums.neutral[0, k]),
                total=float(sums.total[0, k]),
                contracts=int(sums.contracts[0, k]),
                clients=int(sums.clients[0, k]),
            )
        )
    if evaluation.rules.trending:
        score = evaluation.candidate_score("trending")
        out.append(WindowScore(name="trending", eligible=score is not None, score=score))
    return tuple(out)
