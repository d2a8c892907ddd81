"""The "contributions" of an attribution as JSON text, written from the event columns.

A period at 100,000 contracts has some 300,000 events. `attribution.contributions_json` makes
a dict per event; this makes the same bytes (`json.dumps(..., ensure_ascii=False)`) straight
from `engine.events.Events`: the few distinct pieces (a date and reason, a pair of window
lists, a footprint) are encoded once each, only an effect is formatted per event, and the
contracts are written a chunk at a time.
"""

from __future__ import annotations

import functools
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
    """The distinct rows of `columns` (each a tuple of floats) and each row's index into them."""
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        distinct, inverse = np.unique(column, return_inverse=True)
        # Renumbered after each column, so the key stays below rows × distinct values.
        _, key = np.unique(key * len(distinct) + inverse.reshape(-1), return_inverse=True)
        key = key.reshape(-1)
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    picked = [np.asarray(c)[first].astype(np.float64).tolist() for c in columns]
    return list(zip(*picked, strict=True)), inverse.reshape(-1).tolist()


@functools.lru_cache(maxsize=65_536)
def _footprint(outcome: int, reason: int, weight: float) -> str:
    """`attribution.footprint_json` encoded (`null` where not counted)."""
    if outcome == EXCLUDED:
        return "null"
    return _text(
        {"outcome": OUTCOME_LABELS[outcome], "reason": REASON_LABELS[reason], "weight": weight}
    )


@functools.lru_cache(maxsize=4096)
def _windows(months: tuple[int, ...], bits: int) -> str:
    return _text([f"{int(m)}m" for m in window_months(months, bits)])


@functools.lru_cache(maxsize=65_536)
def _head(day: int, reason: int) -> str:
    """An event's JSON up to its effect."""
    when, why = _text(from_days(day).isoformat()), _text(EVENT_REASONS[reason])
    return f'{{"date": {when}, "reason": {why}, "effect": '


def _event_texts(events: Events, rows: np.ndarray) -> list[str]:
    """`attribution.event_json` of each of `rows`, encoded: the pieces before and after the
    effect are made once for each distinct combination."""
    distinct, inverse = _coded(events.day[rows], events.reason[rows])
    heads = [_head(int(d), int(r)) for d, r in distinct]
    head = [heads[i] for i in inverse]
    months = events.months
    sides = [(events.outcome[s][rows], events.why[s][rows], events.weight[s][rows]) for s in (0, 1)]
    distinct, inverse = _coded(
        events.windows[0][rows], events.windows[1][rows], *sides[0], *sides[1]
    )
    tails = [
        f', "windows_before": {_windows(months, int(b0))}, "windows_after": '
        f'{_windows(months, int(b1))}, "before": {_footprint(int(o0), int(r0), w0)}, '
        f'"after": {_footprint(int(o1), int(r1), w1)}}}'
        for b0, b1, o0, r0, w0, o1, r1, w1 in distinct
    ]
    tail = [tails[i] for i in inverse]
    effect = events.effect[rows].tolist()
    return [f"{h}{e!r}{t}" for h, e, t in zip(head, effect, tail, strict=True)]


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
                f'{{"contract_id": {_string(cid)}, "title": {_string(title)}, '
                f'"client": {_string(client)}, "effect": {totals[i]!r}, '
                f'"events": [{", ".join(texts[a:b])}]}}'
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


def facts_of(
    attribution: Attribution,
) -> Callable[[int, str | None], tuple[str | None, str | None]]:
    """(position in the events' ids, contract id) → (title, client) as `contributions_json`
    writes them."""
    from jsscheck.render.attribution import contracts_of

    client_of = plain_cached()
    arrays = attribution.after.arrays
    ids = attribution.effects.events.ids
    if (
        arrays is attribution.before.arrays
        and ids is arrays.contract_ids
        and len(arrays.index_of) == arrays.size
    ):
        # The events' positions are the history's: no lookup by id.
        table = arrays.contracts
        titles, names, codes = list(table.titles), table.clients, table.client_code.tolist()

        def by_position(code: int, contract_id: str | None) -> tuple[str | None, str | None]:
            if contract_id is None:
                return None, None
            return plain(titles[code] or ""), client_of(names[codes[code]])

        return by_position
    contracts = contracts_of(attribution)

    def by_id(code: int, contract_id: str | None) -> tuple[str | None, str | None]:
        facts = contracts.get(contract_id)
        return (plain(facts.title), plain(facts.client)) if facts else (None, None)

    return by_id
