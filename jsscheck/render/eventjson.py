"""The "contributions" of an attribution as JSON text, written from the event columns.

A period at 100,000 contracts has some 300,000 events. `attribution.contributions_json` makes
a dict per event; this makes the same bytes (`json.dumps(..., ensure_ascii=False)`) straight
from `engine.events.Events`: the few distinct pieces (a date and reason, a pair of window
lists, a footprint) are encoded once each, only an effect is formatted per event, and the
contracts are written a chunk at a time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from json.encoder import encode_basestring
from typing import TYPE_CHECKING

import numpy as np

from jsscheck.engine.events import (
    EVENT_REASONS,
    EXCLUDED,
    OUTCOME_LABELS,
    REASON_LABELS,
    window_months,
)
from jsscheck.model.days import from_days
from jsscheck.render.text import plain

if TYPE_CHECKING:
    from jsscheck.engine.attribution import Attribution
    from jsscheck.engine.events import Effects, Events

#: Contracts encoded per chunk of text.
CHUNK = 5_000


def _text(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _string(value: str | None) -> str:
    """`json.dumps(value, ensure_ascii=False)` of a string or None (the encoder's own function)."""
    return "null" if value is None else encode_basestring(value)


def _coded(*columns: np.ndarray) -> tuple[list[tuple[float, ...]], list[int]]:
    """The distinct rows of `columns` (each as a tuple of floats), and each row's index into
    them."""
    key = np.zeros(len(columns[0]), dtype=np.int64)
    values = []
    for column in columns:
        distinct, inverse = np.unique(column, return_inverse=True)
        key = key * len(distinct) + inverse.reshape(-1)
        values.append(distinct)
    keys, inverse = np.unique(key, return_inverse=True)
    rows = []
    for k in keys.tolist():
        parts = []
        for distinct in reversed(values):
            k, r = divmod(k, len(distinct))
            parts.append(float(distinct[r]))
        rows.append(tuple(reversed(parts)))
    return rows, inverse.reshape(-1).tolist()


def _footprint(outcome: int, reason: int, weight: float) -> dict[str, object]:
    return {"outcome": OUTCOME_LABELS[outcome], "reason": REASON_LABELS[reason], "weight": weight}


def _footprints(events: Events, side: int, rows: np.ndarray) -> list[str]:
    """The JSON of the footprint on `side` of each of `rows` (`null` where there is none)."""
    outcome, why, weight = events.outcome[side][rows], events.why[side][rows], events.weight[side]
    distinct, inverse = _coded(outcome, why, weight[rows])
    texts = [
        "null" if int(o) == EXCLUDED else _text(_footprint(int(o), int(r), w))
        for o, r, w in distinct
    ]
    return [texts[i] for i in inverse]


def _event_texts(events: Events, rows: np.ndarray) -> list[str]:
    """`attribution.event_json` of each of `rows`, encoded."""
    distinct, inverse = _coded(events.day[rows], events.reason[rows])
    heads = [
        '{"date": '
        + _text(from_days(int(d)).isoformat())
        + ', "reason": '
        + _text(EVENT_REASONS[int(r)])
        + ', "effect": '
        for d, r in distinct
    ]
    head = [heads[i] for i in inverse]
    months = events.months

    def names(bits: int) -> str:
        return _text([f"{int(m)}m" for m in window_months(months, bits)])

    distinct, inverse = _coded(events.windows[0][rows], events.windows[1][rows])
    middles = [
        ', "windows_before": '
        + names(int(b0))
        + ', "windows_after": '
        + names(int(b1))
        + ', "before": '
        for b0, b1 in distinct
    ]
    middle = [middles[i] for i in inverse]
    before, after = _footprints(events, 0, rows), _footprints(events, 1, rows)
    effect = events.effect[rows].tolist()
    return [
        f'{h}{float.__repr__(e)}{m}{b}, "after": {a}}}'
        for h, e, m, b, a in zip(head, effect, middle, before, after, strict=True)
    ]


def contributions_text(
    attribution: Attribution, facts: Callable[[int, str | None], tuple[str | None, str | None]]
) -> Iterator[str]:
    """The JSON array of `attribution_json`'s "contributions", in pieces.

    `facts(code, contract_id)` gives a contract's (title, client) as written (None when
    unknown); `code` is its position in the events' `ids`.
    """
    effects: Effects = attribution.effects
    events = effects.events
    rows, ends = effects.grouped()
    starts = np.concatenate([[0], ends[:-1]]).astype(np.int64) if len(ends) else ends
    yield "["
    ids, codes, totals = events.ids, effects.contract.tolist(), effects.total.tolist()
    for first in range(0, len(effects), CHUNK):
        last = min(first + CHUNK, len(effects))
        lo, hi = int(starts[first]), int(ends[last - 1])
        texts = _event_texts(events, rows[lo:hi])
        pieces = []
        for i in range(first, last):
            code = codes[i]
            cid = None if code < 0 else ids[code]
            title, client = facts(code, cid)
            a, b = int(starts[i]) - lo, int(ends[i]) - lo
            pieces.append(
                '{"contract_id": '
                + _string(cid)
                + ', "title": '
                + _string(title)
                + ', "client": '
                + _string(client)
                + ', "effect": '
                + float.__repr__(totals[i])
                + ', "events": ['
                + ", ".join(texts[a:b])
                + "]}"
            )
        yield (", " if first else "") + ", ".join(pieces)
    yield "]"


def plain_cached() -> Callable[[str], str]:
    """`plain`, remembering its answers (client names repeat)."""
    seen: dict[str, str] = {}

    def cached(text: str) -> str:
        found = seen.get(text)
        if found is None:
            found = seen[text] = plain(text)
        return found

    return cached
