"""MODEL.md 11 "open contracts credited": open long-term successes whose last known payment is
more than 90 days old, which Upwork may no longer count (an assumption the user is warned of).

Kept apart from the attribution so `score` can say it without loading MODEL.md 9's machinery.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from jsscheck.engine.evaluate import Evaluation
from jsscheck.engine.outcomes import Outcome, Reason
from jsscheck.model.days import from_days, to_days
from jsscheck.model.table import ContractTable

#: MODEL.md 11: an open long-term success unpaid for more than this many days is warned about.
OPEN_CREDIT_DAYS = 90


def open_on(arrays: ContractTable, t: int) -> np.ndarray:
    """Which contracts are open on day number `t`: started, and not ended (MODEL.md 1)."""
    opened: np.ndarray = (arrays.start <= t) & (~arrays.has_end | (arrays.end > t))
    return opened


def last_known_payment(arrays: ContractTable, t: int) -> np.ndarray:
    """Each contract's last payment known on day number `t` (recorded and not after it), else
    its start (MODEL.md section 3)."""
    paid: np.ndarray = np.where(
        arrays.has_last_payment & (arrays.last_payment <= t), arrays.last_payment, arrays.start
    )
    return paid


@dataclass(frozen=True)
class OpenCredit:
    """MODEL.md 11: an open contract counted as a success though unpaid for over 90 days."""

    contract_id: str
    last_payment: date
    days: int
    #: Its position in the history.
    index: int = -1


def open_credits(evaluation: Evaluation) -> tuple[OpenCredit, ...]:
    """MODEL.md 11: open long-term successes whose last known payment is over 90 days old.

    Only contracts in at least one window, so only those that move the score.
    The last known payment is `last_payment_date` when set and not after the date, else the
    start date (MODEL.md section 3).
    """
    arrays = evaluation.arrays
    t = to_days(evaluation.day)
    in_a_window = np.zeros(arrays.size, dtype=bool)
    for members in evaluation.members.values():
        in_a_window |= members
    credited = (
        (evaluation.reason == Reason.LONG_TERM_ACTIVE)
        & (evaluation.outcome == Outcome.SUCCESS)
        & in_a_window
    )
    index = np.flatnonzero(credited)
    if not len(index):
        return ()
    paid = last_known_payment(arrays, t)[index]
    idle = t - paid
    found = [
        OpenCredit(str(arrays.ids[int(i)]), from_days(int(p)), int(d), int(i))
        for i, p, d in zip(index, paid, idle, strict=True)
        if d > OPEN_CREDIT_DAYS
    ]
    return tuple(sorted(found, key=lambda w: (-w.days, w.contract_id)))
