"""A plain-Python reference implementation of MODEL.md (version 2) sections 1-7: the oracle.

Written from MODEL.md only, one contract and one date at a time, with no numpy and no shortcuts,
so that it can be read next to the specification line by line. It is deliberately slow.

`reference_score(contracts, rules, as_of)` returns a dict shaped like the `jsscheck.score/1`
document of CLI.md (without `schema`, `rules` and `warnings`).
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from jsscheck.model.contract import Contract
from jsscheck.model.rules import RuleSet

#: MODEL.md 6: scores within this of each other are a tie; rounding treats a score within this
#: below a boundary as on it.
TOLERANCE = 1e-9
#: MODEL.md 7: biweekly update days are every 14th day counted from this Sunday, both ways.
BIWEEKLY_EPOCH = date(2020, 11, 8)
TOP_RATED_WEEKS = 16
TOP_RATED_MIN_WEEKS = 13
TOP_RATED_MIN_JSS = 90
TOP_RATED_MIN_EARNINGS = 1000.0
TOP_RATED_MIN_HISTORY_DAYS = 90
REVIEW_RISK_BELOW = 70

# Feedback signals, ordered so that min() is "the worst".
NEGATIVE, NEUTRAL, POSITIVE = 0, 1, 2

SUCCESS_OUTCOME = "success"
NEGATIVE_OUTCOME = "negative"
NEUTRAL_OUTCOME = "neutral"
EXCLUDED_OUTCOME = "excluded"
_OUTCOME_OF_SIGNAL = {
    POSITIVE: SUCCESS_OUTCOME,
    NEUTRAL: NEUTRAL_OUTCOME,
    NEGATIVE: NEGATIVE_OUTCOME,
}


# --- dates -------------------------------------------------------------------------------------


def months_before(day: date, months: int) -> date:
    """`day` minus `months` calendar months, the day clipped to that month's last day."""
    index = day.year * 12 + (day.month - 1) - months
    year, month0 = divmod(index, 12)
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last_day))


def in_window(anchor: date, t: date, months: int) -> bool:
    """MODEL.md 5: start(t, W) ≤ anchor ≤ t."""
    return months_before(t, months) <= anchor <= t


def computed_on(day: date, rules: RuleSet) -> date:
    """MODEL.md 7: the date whose computation is shown on `day`."""
    if rules.cadence == "daily":
        return day
    # Python's % is never negative, so this also counts backwards before the epoch.
    return day - timedelta(days=(day - BIWEEKLY_EPOCH).days % 14)


# --- one contract at t (MODEL.md 3-5) ----------------------------------------------------------


@dataclass(frozen=True)
class Judgement:
    """One started contract at `t`: outcome and reason; weight and anchor when counted."""

    outcome: str
    reason: str
    weight: float | None = None
    anchor: date | None = None

    @property
    def counted(self) -> bool:
        """Whether the contract counts in the score (any outcome but excluded)."""
        return self.outcome != EXCLUDED_OUTCOME


def has_ended(contract: Contract, t: date) -> bool:
    """MODEL.md 1: ended at t when end_date is set and end_date ≤ t."""
    return contract.end_date is not None and contract.end_date <= t


def last_known_payment(contract: Contract, t: date) -> date:
    """MODEL.md 3: last_payment_date when it is set and ≤ t, else start_date."""
    if contract.last_payment_date is not None and contract.last_payment_date <= t:
        return contract.last_payment_date
    return contract.start_date


def idle_date(contract: Contract, rules: RuleSet, t: date) -> date | None:
    """MODEL.md 3 row 2: the idle date of an open contract treated as idle at t, else None."""
    if has_ended(contract, t) or rules.idle_open_days is None:
        return None
    paid = last_known_payment(contract, t)
    if (t - paid).days > rules.idle_open_days:
        return paid + timedelta(days=rules.idle_open_days)
    return None


def active_days(contract: Contract, rules: RuleSet, t: date) -> int:
    """MODEL.md 1: days from start_date to min(end_date, t), or to the idle date when idle."""
    idle = idle_date(contract, rules, t)
    if idle is not None:
        until = idle
    else:
        until = t if contract.end_date is None else min(contract.end_date, t)
    return (until - contract.start_date).days


def feedback_signal(contract: Contract, rules: RuleSet, t: date) -> int | None:
    """MODEL.md 3: the worst visible, enabled, non-dropped signal, or None."""
    feedback_day = contract.feedback_date or contract.end_date
    if feedback_day is None or feedback_day > t:
        return None  # no feedback is visible at t
    signals = []
    if rules.use_public and contract.public_feedback is not None:
        stars = contract.public_feedback
        if stars >= rules.public_success:
            signals.append(POSITIVE)
        elif stars < rules.public_negative:
            signals.append(NEGATIVE)
        else:
            signals.append(NEUTRAL)
    private_read = rules.use_private and (rules.private_until is None or t < rules.private_until)
    if private_read and contract.private_feedback is not None:
        score = contract.private_feedback
        assert rules.private_success is not None and rules.private_negative is not None
        if score >= rules.private_success:
            signals.append(POSITIVE)
        elif score <= rules.private_negative:
            signals.append(NEGATIVE)
        else:
            signals.append(NEUTRAL)
    if contract.client_flagged:
        signals = [s for s in signals if s != NEGATIVE]
    return min(signals) if signals else None


def is_long_term(contract: Contract, rules: RuleSet, t: date) -> bool:
    """MODEL.md 3: long_term_days set, earnings > 0 and active_days(t) > long_term_days."""
    return (
        rules.long_term_days is not None
        and contract.earnings > 0
        and active_days(contract, rules, t) > rules.long_term_days
    )


def weight(contract: Contract, rules: RuleSet, t: date) -> float:
    """MODEL.md 4: the weight of a counted contract at t."""
    if rules.weighting == "count":
        return 1.0
    if rules.weighting == "dollars":
        return max(contract.earnings, 1.0)
    if contract.earnings <= 250:
        base = 1.0
    elif contract.earnings <= 1000:
        base = 1.25
    else:
        base = 1.5
    bonus = active_days(contract, rules, t) // 90
    if contract.paid_periods is not None:
        bonus = min(contract.paid_periods, bonus)
    assert rules.weight_cap is not None
    return min(rules.weight_cap, base + bonus)


def judge(contract: Contract, rules: RuleSet, t: date) -> Judgement | None:
    """MODEL.md 3 (first matching row), 4 and 5 for one contract at t; None if not started."""
    if contract.start_date > t:
        return None
    signal = feedback_signal(contract, rules, t)
    long_term = is_long_term(contract, rules, t)
    paid_by_t = contract.last_payment_date is not None and contract.last_payment_date <= t

    def counted(outcome: str, reason: str, anchor: date) -> Judgement:
        return Judgement(outcome, reason, weight(contract, rules, t), anchor)

    # Row 1.
    if contract.excluded:
        return Judgement(EXCLUDED_OUTCOME, "manual")
    if has_ended(contract, t):
        assert contract.end_date is not None
        end = contract.end_date
    else:
        idle = idle_date(contract, rules, t)
        if idle is not None:
            # Row 2: continue at row 5 as ended on the idle date, visible feedback kept.
            end = idle
        elif long_term and signal != NEGATIVE:
            # Row 3; MODEL.md 5: anchored at the last payment (≤ t) under last_payment, else t.
            anchor = t
            if rules.anchor == "last_payment" and paid_by_t:
                assert contract.last_payment_date is not None
                anchor = contract.last_payment_date
            return counted(SUCCESS_OUTCOME, "long_term_active", anchor)
        else:
            # Row 4.
            return Judgement(EXCLUDED_OUTCOME, "in_progress")

    # MODEL.md 5: the anchor of an ended (or idle) contract.
    anchor = end
    if rules.anchor == "last_payment" and paid_by_t:
        assert contract.last_payment_date is not None
        anchor = contract.last_payment_date

    # Row 5.
    if contract.disputed and not contract.client_flagged:
        return counted(NEGATIVE_OUTCOME, "dispute", anchor)
    # Row 6.
    if signal is None and (t - end).days < rules.feedback_grace_days:
        return Judgement(EXCLUDED_OUTCOME, "pending_feedback")
    # Row 7.
    if long_term and signal != NEGATIVE:
        return counted(SUCCESS_OUTCOME, "long_term", anchor)
    # Rows 8-9.
    if contract.earnings == 0 and rules.zero_dollar == "exclude":
        return Judgement(EXCLUDED_OUTCOME, "zero_dollar")
    if contract.earnings == 0 and rules.zero_dollar == "negative_only" and signal != NEGATIVE:
        return Judgement(EXCLUDED_OUTCOME, "zero_dollar")
    # Rows 10-12.
    if signal is None:
        if rules.no_feedback == "exclude":
            return Judgement(EXCLUDED_OUTCOME, "no_feedback")
        if rules.no_feedback == "negative":
            return counted(NEGATIVE_OUTCOME, "no_feedback", anchor)
        return counted(NEUTRAL_OUTCOME, "no_feedback", anchor)
    # Row 13.
    return counted(_OUTCOME_OF_SIGNAL[signal], "feedback", anchor)


# --- windows and the displayed JSS (MODEL.md 5-6) ----------------------------------------------


def window_months(rules: RuleSet) -> list[int]:
    """Windows to compute: `windows`, plus 3 and 6 months when Trending is on."""
    months = set(rules.windows)
    if rules.trending:
        months |= {3, 6}
    return sorted(months)


def window_summary(
    contracts: Sequence[Contract], judgements: Sequence[Judgement | None], t: date, months: int
) -> dict[str, Any]:
    """S, N, U, T, counts, eligibility inputs of the `months`-month window at t."""
    success = negative = neutral = 0.0
    count = 0
    clients: set[str] = set()
    for contract, judgement in zip(contracts, judgements, strict=True):
        if judgement is None or not judgement.counted:
            continue
        assert judgement.anchor is not None and judgement.weight is not None
        if not in_window(judgement.anchor, t, months):
            continue
        count += 1
        clients.add(contract.client)
        if judgement.outcome == SUCCESS_OUTCOME:
            success += judgement.weight
        elif judgement.outcome == NEGATIVE_OUTCOME:
            negative += judgement.weight
        else:
            neutral += judgement.weight
    return {
        "success": success,
        "negative": negative,
        "neutral": neutral,
        "total": success + negative + neutral,
        "contracts": count,
        "clients": len(clients),
    }


def window_score(summary: dict[str, Any], rules: RuleSet) -> float | None:
    """MODEL.md 5: the unrounded score of an eligible window, None when not eligible."""
    total = summary["total"]
    if (
        summary["contracts"] < rules.min_outcomes
        or summary["clients"] < rules.min_clients
        or not total > 0
    ):
        return None
    if rules.formula == "share":
        return 100.0 * summary["success"] / total
    return min(100.0, max(0.0, 100.0 * (summary["success"] - summary["negative"]) / total))


def whole_percent(score: float, rules: RuleSet) -> int:
    """MODEL.md 6: the displayed JSS made from the best score."""
    if rules.rounding == "half_up":
        return math.floor(score + 0.5 + TOLERANCE)
    return math.floor(score + TOLERANCE)


@dataclass(frozen=True)
class Computation:
    """Everything computed at one date t."""

    t: date
    judgements: list[Judgement | None]
    windows: dict[int, dict[str, Any]]
    candidates: dict[str, dict[str, Any]]
    best: str | None
    best_score: float | None
    jss: int | None


def compute(contracts: Sequence[Contract], rules: RuleSet, t: date) -> Computation:
    """MODEL.md 3-6 at one date t."""
    judgements = [judge(contract, rules, t) for contract in contracts]
    windows: dict[int, dict[str, Any]] = {}
    candidates: dict[str, dict[str, Any]] = {}
    for months in window_months(rules):
        summary = window_summary(contracts, judgements, t, months)
        score = window_score(summary, rules)
        windows[months] = summary
        candidates[f"{months}m"] = {"eligible": score is not None, "score": score, **summary}
    if rules.trending:
        score3, score6 = candidates["3m"]["score"], candidates["6m"]["score"]
        trending = None if score3 is None or score6 is None else (score3 + score6) / 2
        candidates["trending"] = {"eligible": trending is not None, "score": trending}

    # Competitors in tie order: the longest window first, Trending last.
    competitors = [(f"{m}m", candidates[f"{m}m"]["score"]) for m in sorted(rules.windows)[::-1]]
    if rules.trending:
        competitors.append(("trending", candidates["trending"]["score"]))
    competitors = [(name, score) for name, score in competitors if score is not None]
    best = best_score = jss = None
    if competitors:
        highest = max(score for _, score in competitors)
        best, best_score = next(
            (name, score) for name, score in competitors if score >= highest - TOLERANCE
        )
        jss = whole_percent(best_score, rules)
    return Computation(t, judgements, windows, candidates, best, best_score, jss)


def displayed_jss(contracts: Sequence[Contract], rules: RuleSet, day: date) -> int | None:
    """MODEL.md 7: the JSS shown on `day` (computed on its update day)."""
    return compute(contracts, rules, computed_on(day, rules)).jss


def earnings_12m(contracts: Sequence[Contract], t: date) -> float:
    """MODEL.md 6: earnings of started contracts whose payment date is in the 12-month window."""
    total = 0.0
    for contract in contracts:
        if contract.start_date > t:
            continue
        paid = t
        if contract.last_payment_date is not None and contract.last_payment_date <= t:
            paid = contract.last_payment_date
        elif contract.end_date is not None and contract.end_date <= t:
            paid = contract.end_date
        if in_window(paid, t, 12):
            total += contract.earnings
    return total


def top_rated(contracts: Sequence[Contract], rules: RuleSet, t: date) -> dict[str, Any]:
    """MODEL.md 6: eligible weeks among t, t−7, …, t−105 days, earnings_12m, eligible."""
    weeks = 0
    for week in range(TOP_RATED_WEEKS):
        jss = displayed_jss(contracts, rules, t - timedelta(days=7 * week))
        if jss is not None and jss >= TOP_RATED_MIN_JSS:
            weeks += 1
    earned = earnings_12m(contracts, t)
    jss_now = displayed_jss(contracts, rules, t)
    first_start = min((c.start_date for c in contracts), default=None)
    return {
        "eligible_weeks": weeks,
        "weeks": TOP_RATED_WEEKS,
        "earnings_12m": earned,
        "eligible": weeks >= TOP_RATED_MIN_WEEKS
        and jss_now is not None
        and jss_now >= TOP_RATED_MIN_JSS
        and first_start is not None
        and (t - first_start).days > TOP_RATED_MIN_HISTORY_DAYS
        and earned >= TOP_RATED_MIN_EARNINGS,
    }


def reference_score(contracts: Sequence[Contract], rules: RuleSet, as_of: date) -> dict[str, Any]:
    """The score shown on `as_of`, shaped like CLI.md's `jsscheck.score/1` document."""
    day = computed_on(as_of, rules)
    result = compute(contracts, rules, day)
    rows = []
    for contract, judgement in zip(contracts, result.judgements, strict=True):
        if judgement is None:
            continue  # not started by the computation date
        windows = []
        if judgement.counted:
            assert judgement.anchor is not None
            windows = [f"{m}m" for m in window_months(rules) if in_window(judgement.anchor, day, m)]
        rows.append(
            {
                "contract_id": contract.contract_id,
                "client": contract.client,
                "title": contract.title,
                "outcome": judgement.outcome,
                "reason": judgement.reason,
                "weight": judgement.weight,
                "anchor": judgement.anchor.isoformat() if judgement.anchor else None,
                "windows": windows,
            }
        )
    best = None if result.best is None else {"candidate": result.best, "score": result.best_score}
    return {
        "as_of": as_of.isoformat(),
        "computed_on": day.isoformat(),
        "jss": result.jss,
        "best": best,
        "candidates": result.candidates,
        "contracts": rows,
        "top_rated": top_rated(contracts, rules, as_of),
        "review_risk": result.jss is not None and result.jss < REVIEW_RISK_BELOW,
    }
