"""One contract at one date: its feedback signal, outcome, reason, weight and anchor.

MODEL.md sections 3, 4 and the anchor of section 5, vectorized: `outcomes_at` broadcasts a
column of dates (D×1) against the contracts (1×N).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import EnumType, IntEnum

import numpy as np

from jsscheck.model.days import to_days
from jsscheck.model.rules import RuleSet
from jsscheck.model.table import ContractTable


class _Codes(EnumType):
    """IntEnum's metaclass without the Python-level `EnumType.__getattr__` of Python 3.11.

    numpy looks its special names (`__array_ufunc__`, …) up on the type of every enum member
    it is given; on 3.11 each miss ran that Python method, and numpy clears what such a lookup
    raises: a Ctrl-C landing there was lost (one in a few hundred during `score`). The type's
    own lookup answers the same, members included, without running Python code.
    """

    __getattr__ = type.__getattribute__


class Outcome(IntEnum, metaclass=_Codes):
    """The outcome of one contract at one date (MODEL.md section 3)."""

    EXCLUDED = 0
    SUCCESS = 1
    NEUTRAL = 2
    NEGATIVE = 3

    @property
    def label(self) -> str:
        return self.name.lower()


class Reason(IntEnum, metaclass=_Codes):
    """The reason code of an outcome (MODEL.md section 3), plus NOT_STARTED."""

    NOT_STARTED = 0
    MANUAL = 1
    LONG_TERM_ACTIVE = 2
    IN_PROGRESS = 3
    DISPUTE = 4
    PENDING_FEEDBACK = 5
    LONG_TERM = 6
    ZERO_DOLLAR = 7
    NO_FEEDBACK = 8
    FEEDBACK = 9

    @property
    def label(self) -> str:
        return self.name.lower()


# Feedback signals, ordered so that the worst of several is their minimum.
_NEG, _NEU, _POS, _NONE = 0, 1, 2, 3


class Signal(IntEnum, metaclass=_Codes):
    """What a contract's visible feedback says (MODEL.md section 3); the worst is the minimum."""

    NEGATIVE = _NEG
    NEUTRAL = _NEU
    POSITIVE = _POS
    NONE = _NONE


#: The outcome of a contract with a signal (MODEL.md row 13), indexed by the signal.
_OUTCOME_OF_SIGNAL = np.array(
    [Outcome.NEGATIVE, Outcome.NEUTRAL, Outcome.SUCCESS, Outcome.EXCLUDED], dtype=np.int8
)


def _outcome_table(no_feedback: Outcome) -> np.ndarray:
    """The outcome each reason code implies (FEEDBACK is decided by the signal instead)."""
    table = np.full(len(Reason), int(Outcome.EXCLUDED), dtype=np.int8)
    table[Reason.LONG_TERM_ACTIVE] = Outcome.SUCCESS
    table[Reason.LONG_TERM] = Outcome.SUCCESS
    table[Reason.DISPUTE] = Outcome.NEGATIVE
    table[Reason.NO_FEEDBACK] = no_feedback
    return table


_OUTCOME_OF_REASON = {
    "exclude": _outcome_table(Outcome.EXCLUDED),
    "negative": _outcome_table(Outcome.NEGATIVE),
    "neutral": _outcome_table(Outcome.NEUTRAL),
}


@dataclass(frozen=True)
class Outcomes:
    """Per-contract results at a block of dates, each array D×N."""

    outcome: np.ndarray
    reason: np.ndarray
    weight: np.ndarray
    anchor: np.ndarray


def _readings(arr: ContractTable, rules: RuleSet, t: np.ndarray) -> np.ndarray:
    """The worst enabled feedback signal of each contract (MODEL.md section 3).

    A flagged client's negative signals are dropped (not turned into anything else), so the
    contract's signal is the worst of what remains. What a contract's feedback says does not
    depend on the date, only whether private feedback is still read (`private_until`);
    `_signals` then hides what is not visible yet.
    """

    def reading(present: np.ndarray, value: np.ndarray) -> np.ndarray:
        counts = present & ~(arr.flagged & (value == _NEG))
        return np.where(counts, value, _NONE).astype(np.int8)

    signal = np.full(arr.size, _NONE, dtype=np.int8)
    if rules.use_public:
        public = np.where(
            arr.public >= rules.public_success,
            _POS,
            np.where(arr.public < rules.public_negative, _NEG, _NEU),
        )
        signal = reading(~np.isnan(arr.public), public)
    if rules.use_private:
        assert rules.private_success is not None and rules.private_negative is not None
        private = np.where(
            arr.private >= rules.private_success,
            _POS,
            np.where(arr.private <= rules.private_negative, _NEG, _NEU),
        )
        with_private = np.minimum(signal, reading(~np.isnan(arr.private), private))
        read = np.ones(t.shape, dtype=bool)
        if rules.private_until is not None:
            read = t < to_days(rules.private_until)
        if read.all():
            signal = with_private
        elif read.any():  # dates on both sides of private_until: D×N
            signal = np.where(read, with_private, signal)
    return signal


def _signals(arr: ContractTable, rules: RuleSet, t: np.ndarray) -> np.ndarray:
    return np.where(feedback_visible(arr, t), _readings(arr, rules, t), np.int8(_NONE))


def feedback_visible(arr: ContractTable, t: np.ndarray) -> np.ndarray:
    """Whether each contract's feedback is visible at each date of `t` (D×1): D×N bool."""
    visible: np.ndarray = arr.has_feedback_day & (arr.feedback_day <= t)
    return visible


def feedback_readings(arr: ContractTable, rules: RuleSet, t: np.ndarray) -> np.ndarray:
    """What each contract's feedback says at each date of `t` once it is visible: D×N int8
    (or N when no date matters). `feedback_signals` is this where `feedback_visible`, else
    `Signal.NONE`.

    Depends only on each contract's public and private feedback and client flag, and on `t`
    (`private_until`).
    """
    return _readings(arr, rules, t)


def feedback_signals(arr: ContractTable, rules: RuleSet, t: np.ndarray) -> np.ndarray:
    """The `Signal` of every contract at every date of `t` (D×1): D×N int8.

    Depends only on each contract's public and private feedback, client flag and feedback day,
    and on `t` (visibility, `private_until`): contracts equal in those give equal signals.
    """
    return _signals(arr, rules, t)


def outcomes_at(
    arr: ContractTable, rules: RuleSet, t: np.ndarray, signal: np.ndarray | None = None
) -> Outcomes:
    """Outcome, reason, weight and anchor of every contract at every date of `t` (D×1).

    `signal` (values of `Signal`, N or D×N) replaces what each contract's feedback says at each
    date (`feedback_signals`): the outcomes as if the feedback had said that (calibrate).
    """
    if signal is None:
        signal = _signals(arr, rules, t)
    else:
        signal = np.broadcast_to(np.asarray(signal, dtype=np.int8), (len(t), arr.size))
    started = arr.start <= t
    paid_by_t, closed, closed_day, active_days = _activity(arr, rules, t)
    if rules.long_term_days is None:
        long_term = np.zeros(active_days.shape, dtype=bool)
    else:
        long_term = (arr.earnings > 0) & (active_days > rules.long_term_days)
    no_signal = signal == _NONE

    zero = arr.earnings == 0
    if rules.zero_dollar == "exclude":
        zero_excluded = np.broadcast_to(zero, started.shape)
    elif rules.zero_dollar == "negative_only":
        zero_excluded = zero & (signal != _NEG)
    else:
        zero_excluded = np.zeros(started.shape, dtype=bool)

    still_open = ~closed
    conditions = [
        ~started,
        np.broadcast_to(arr.excluded, started.shape),
        still_open & long_term & (signal != _NEG),
        still_open,
        np.broadcast_to(arr.disputed & ~arr.flagged, started.shape),
        no_signal & (t - closed_day < rules.feedback_grace_days),
        long_term & (signal != _NEG),
        zero_excluded,
        no_signal,
    ]
    codes = (
        Reason.NOT_STARTED,
        Reason.MANUAL,
        Reason.LONG_TERM_ACTIVE,
        Reason.IN_PROGRESS,
        Reason.DISPUTE,
        Reason.PENDING_FEEDBACK,
        Reason.LONG_TERM,
        Reason.ZERO_DOLLAR,
        Reason.NO_FEEDBACK,
    )
    # The first matching row decides: fill in reverse order so earlier rows overwrite later.
    reason = np.full(started.shape, int(Reason.FEEDBACK), dtype=np.int8)
    for condition, code in zip(reversed(conditions), reversed(codes), strict=True):
        np.putmask(reason, condition, int(code))
    outcome = outcome_of(reason, signal, rules)
    weight = _weights(arr, rules, active_days)
    # MODEL.md 5: an ended or idle contract at its end (idle) date, an open long-term one at
    # t; with anchor = last_payment both at the last payment instead when it is known by t.
    anchor = np.where(reason == Reason.LONG_TERM_ACTIVE, t, closed_day)
    if rules.anchor == "last_payment":
        anchor = np.where(paid_by_t, arr.last_payment, anchor)
    return Outcomes(outcome=outcome, reason=reason, weight=weight, anchor=anchor)


def outcome_of(reason: np.ndarray, signal: np.ndarray, rules: RuleSet) -> np.ndarray:
    """The outcome of a contract with this `Reason` and `Signal` (MODEL.md section 3).

    `outcomes_at` decides every outcome here: a contract's outcome depends on nothing but its
    reason, its signal and `rules.no_feedback`.
    """
    outcome = _OUTCOME_OF_REASON[rules.no_feedback][reason]
    from_signal = _OUTCOME_OF_SIGNAL[signal]
    result: np.ndarray = np.where(reason == Reason.FEEDBACK, from_signal, outcome)
    return result


def _activity(
    arr: ContractTable, rules: RuleSet, t: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(paid_by_t, closed, closed_day, active_days) of every contract at every date of `t`."""
    ended = arr.has_end & (arr.end <= t)
    # The last payment known at t (MODEL.md 3): a later one has not happened yet.
    paid_by_t = arr.has_last_payment & (arr.last_payment <= t)
    if rules.idle_open_days is None:
        closed = ended
        closed_day = np.broadcast_to(arr.end, ended.shape)
    else:
        # Row 2: an open contract with no payment for more than idle_open_days goes on as
        # ended on its idle date, keeping its visible feedback.
        known_payment = np.where(paid_by_t, arr.last_payment, arr.start)
        closed = ended | (t - known_payment > rules.idle_open_days)
        closed_day = np.where(ended, arr.end, known_payment + rules.idle_open_days)
    # Active days end at the end date, the idle date, or t (MODEL.md 1).
    active_days = np.where(closed, closed_day, t) - arr.start
    return paid_by_t, closed, closed_day, active_days


def contract_weights(arr: ContractTable, rules: RuleSet, t: np.ndarray) -> np.ndarray:
    """The weight `outcomes_at` gives every contract at every date of `t` (D×1), without the
    outcomes: D×N, or N when it does not depend on the date (count, dollars)."""
    if rules.weighting != "tiers":
        constant: np.ndarray = _weights(arr, rules, np.zeros((1, arr.size), dtype=np.int64))[0]
        return constant
    return _weights(arr, rules, _activity(arr, rules, t)[3])


def outcome_columns(arr: ContractTable) -> np.ndarray:
    """N×C: every value of a contract `outcomes_at` reads when it is given the signal, but for
    the weight's. Contracts with equal rows get equal outcome, reason and anchor under any
    rules at any date (their weights may differ: `contract_weights`)."""
    columns = (
        arr.start,
        arr.has_end,
        np.where(arr.has_end, arr.end, 0),
        arr.has_last_payment,
        np.where(arr.has_last_payment, arr.last_payment, 0),
        np.sign(arr.earnings),
        arr.excluded,
        arr.disputed & ~arr.flagged,
    )
    return np.column_stack([np.asarray(c, dtype=np.int64) for c in columns])


def _weights(arr: ContractTable, rules: RuleSet, active_days: np.ndarray) -> np.ndarray:
    """MODEL.md section 4 (computed for every contract; only counted ones use it)."""
    if rules.weighting == "count":
        return np.ones(active_days.shape)
    if rules.weighting == "dollars":
        return np.broadcast_to(np.maximum(arr.earnings, 1.0), active_days.shape)
    base = np.where(arr.earnings <= 250, 1.0, np.where(arr.earnings <= 1000, 1.25, 1.5))
    # floor(active_days / 90), in floating point (integer division is several times slower):
    # the +0.5 keeps exact multiples of 90 from landing a hair below their whole number.
    bonus = np.floor((active_days + 0.5) * (1.0 / 90.0))
    if (arr.paid_periods >= 0).any():
        bonus = np.where(arr.paid_periods >= 0, np.minimum(bonus, arr.paid_periods), bonus)
    assert rules.weight_cap is not None
    # Contracts not started yet have negative days; they are never counted, so no clamp.
    weight: np.ndarray = np.minimum(rules.weight_cap, bonus + base)
    return weight
