"""What `explain`, `whatif` and `snapshots diff` share: an attribution (MODEL.md 9) in words.

The contracts of both states by id (`Contracts`), the JSON of an attribution, the contributions
and steps tables, the leverage sentence (9.6) and the warnings (11). Tables are built once as
plain rows (`Rows`) and turned into a rich table (cells escaped with `markup()`) or a markdown
table from those same rows, so user text such as `Beta [bold]Corp` reads the same everywhere.
One number per contract: a contract's row shows the total of its events, the steps table each
event (equal to the total when the contract changed once in the period).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from jsscheck.engine.events import EVENT_REASONS
from jsscheck.render.phrases import (
    contract_title,
    effect,
    event_words,
    pct,
    plural,
    points,
    state_words,
    why_words,
    window_name,
)
from jsscheck.render.text import markup, plain

if TYPE_CHECKING:
    from rich.table import Table

    from jsscheck.analyses.explain import JobsAt, Reading
    from jsscheck.engine.arrays import ContractArrays
    from jsscheck.engine.attribution import Attribution, Event, Footprint, Step
    from jsscheck.engine.evaluate import Evaluation

#: Contracts listed in the contributions table (the JSON lists every one).
SHOWN_CONTRACTS = 20
#: Causes listed per day in the steps table.
SHOWN_CAUSES = 3


# --------------------------------------------------------------------------- contracts


@dataclass(frozen=True)
class Facts:
    """What the words need of one contract (from whichever history has it)."""

    title: str
    client: str
    public: float | None
    private: int | None
    earnings: float


class Contracts:
    """Titles, clients and feedback by contract id, from the histories of both states."""

    def __init__(self, *histories: ContractArrays) -> None:
        self._histories = histories
        self._seen: dict[str, Facts | None] = {}

    def get(self, contract_id: str | None) -> Facts | None:
        if contract_id is None:
            return None
        if contract_id in self._seen:
            return self._seen[contract_id]
        self._seen[contract_id] = found = self._find(contract_id)
        return found

    def _find(self, contract_id: str) -> Facts | None:
        for arrays in self._histories:
            i = arrays.index_of.get(contract_id)
            if i is not None:
                table = arrays.contracts
                public, private = float(table.public[i]), float(table.private[i])
                return Facts(
                    table.titles[i] or "",
                    table.clients[int(table.client_code[i])],
                    None if math.isnan(public) else public,
                    None if math.isnan(private) else int(private),
                    float(table.earnings[i]),
                )
        return None

    def name(self, contract_id: str | None) -> str:
        """`'Logo redesign'` (plain text), `contract 4521`, or `the rule change`."""
        facts = self.get(contract_id)
        return contract_title(facts.title if facts else None, contract_id)

    def client(self, contract_id: str | None) -> str:
        facts = self.get(contract_id)
        return plain(facts.client) if facts else ""

    def why(
        self,
        contract_id: str | None,
        footprint: Footprint | None,
        reading: Reading | None,
        private_until: date | None,
    ) -> str:
        """Why it counts as it does (`$0 earned, a 1★ review`), or why it does not count."""
        if footprint is None:
            return self.state(contract_id, footprint, reading, private_until)
        facts = self.get(contract_id)
        public = facts.public if facts else None
        private = facts.private if facts else None
        why = why_words(
            footprint.outcome, footprint.reason, reading, public, private, private_until
        )
        if facts is not None and facts.earnings == 0 and footprint.reason != "zero_dollar":
            why = f"$0 earned, {why}"
        return why

    def state(
        self,
        contract_id: str | None,
        footprint: Footprint | None,
        reading: Reading | None,
        private_until: date | None,
    ) -> str:
        facts = self.get(contract_id)
        public = facts.public if facts else None
        private = facts.private if facts else None
        zero = facts is not None and facts.earnings == 0
        return state_words(footprint, reading, public, private, private_until, zero)


def contracts_of(attribution: Attribution) -> Contracts:
    return Contracts(attribution.after.arrays, attribution.before.arrays)


def private_until(rules: Any) -> date | None:
    return getattr(rules, "private_until", None)


# --------------------------------------------------------------------------- plain rows


@dataclass(frozen=True)
class Rows:
    """A table as plain text: the one source of its rich and markdown forms."""

    title: str
    headers: tuple[str, ...]
    right: frozenset[int]
    rows: tuple[tuple[str, ...], ...]
    #: A style per row (e.g. "red" for a negative effect), applied to its first cell.
    styles: tuple[str | None, ...] = ()


def to_rich(rows: Rows) -> Table:
    """A rich table: every cell escaped, so user text prints exactly."""
    from rich.table import Table

    table = Table(title=markup(rows.title), title_justify="left")
    for k, header in enumerate(rows.headers):
        table.add_column(markup(header), justify="right" if k in rows.right else "left")
    for n, row in enumerate(rows.rows):
        cells = [markup(cell) for cell in row]
        style = rows.styles[n] if n < len(rows.styles) else None
        if style and cells and cells[0]:
            cells[0] = f"[{style}]{cells[0]}[/]"
        table.add_row(*cells)
    return table


def to_markdown(rows: Rows) -> str:
    """A GitHub-flavoured markdown table of the same rows (only `|` escaped)."""

    def cell(text: str) -> str:
        return plain(text).replace("|", "\\|")

    lines = [f"**{cell(rows.title)}**", ""] if rows.title else []
    lines.append("| " + " | ".join(cell(h) for h in rows.headers) + " |")
    lines.append(
        "|" + "|".join("---:" if k in rows.right else "---" for k in range(len(rows.headers))) + "|"
    )
    lines.extend("| " + " | ".join(cell(c) for c in row) + " |" for row in rows.rows)
    return "\n".join(lines)


def colour(value: float) -> str:
    return "red" if value < 0 else "green"


# --------------------------------------------------------------------------- JSON


@functools.lru_cache(maxsize=64)
def _window_names(windows: tuple[int, ...]) -> tuple[str, ...]:
    return tuple(f"{int(m)}m" for m in windows)


def windows_json(footprint: Footprint | None) -> list[str]:
    return [] if footprint is None else list(_window_names(footprint.windows))


def footprint_json(footprint: Footprint | None) -> dict[str, Any] | None:
    if footprint is None:
        return None
    return {"outcome": footprint.outcome, "reason": footprint.reason, "weight": footprint.weight}


def event_json(event: Event) -> dict[str, Any]:
    return {
        "date": event.day.isoformat(),
        "reason": event.reason,
        "effect": event.effect,
        "windows_before": windows_json(event.before),
        "windows_after": windows_json(event.after),
        "before": footprint_json(event.before),
        "after": footprint_json(event.after),
    }


def side_json(evaluation: Evaluation) -> dict[str, Any]:
    best = evaluation.best
    return {
        "jss": evaluation.jss,
        "computed_on": evaluation.day.isoformat(),
        "best": None if best is None else {"candidate": best, "score": evaluation.best_score},
    }


def shown_steps(attribution: Attribution) -> list[Step]:
    """The steps in which the displayed JSS changed."""
    return [s for s in attribution.steps if s.jss_before != s.jss_after]


def step_json(step: Step) -> dict[str, Any]:
    events = step.columns
    causes: list[dict[str, Any]] = [
        {"contract_id": events.contract_id(c), "reason": EVENT_REASONS[r], "effect": e}
        for c, r, e in zip(
            events.contract.tolist(), events.reason.tolist(), events.effect.tolist(), strict=True
        )
    ]
    causes += [
        {"contract_id": None, "reason": u.kind, "effect": u.effect} for u in step.unattributed
    ]
    return {
        "date": step.day.isoformat(),
        "jss_before": step.jss_before,
        "jss_after": step.jss_after,
        "score_before": step.value_before if step.jss_before is not None else None,
        "score_after": step.value_after if step.jss_after is not None else None,
        "causes": causes,
    }


def contributions_json(attribution: Attribution) -> list[dict[str, Any]]:
    """One dict per contract with an effect, its events listed (the slow, plain form)."""
    contracts = contracts_of(attribution)
    contributions = []
    for e in attribution.effects:
        facts = contracts.get(e.contract_id)
        contributions.append(
            {
                "contract_id": e.contract_id,
                "title": plain(facts.title) if facts else None,
                "client": plain(facts.client) if facts else None,
                "effect": e.effect,
                "events": [event_json(ev) for ev in e.events],
            }
        )
    return contributions


def attribution_json(attribution: Attribution, *, encoded: bool = False) -> dict[str, Any]:
    """The part of `jsscheck.explain/2` and `jsscheck.whatif/2` that comes from MODEL.md 9.

    With `encoded`, "contributions" is a `jsondoc.Encoded` array: written as JSON text from
    the event columns (the same bytes), its dicts made only if a reader iterates it.
    """
    contributions: Any
    if encoded:
        from jsscheck.render.eventjson import contributions_text, facts_of
        from jsscheck.render.jsondoc import Encoded

        facts = facts_of(attribution)
        contributions = Encoded(
            lambda: contributions_json(attribution),
            lambda: contributions_text(attribution, facts),
        )
    else:
        contributions = contributions_json(attribution)
    return {
        "before": side_json(attribution.before),
        "after": side_json(attribution.after),
        "status": attribution.status,
        "change": attribution.change,
        "contributions": contributions,
        "unattributed": [
            {"date": u.day.isoformat(), "kind": u.kind, "effect": u.effect}
            for u in attribution.unattributed
        ],
        "steps": [step_json(s) for s in shown_steps(attribution)],
    }


def leverage_json(jobs: JobsAt | None) -> dict[str, Any] | None:
    if jobs is None:
        return None
    lev = jobs.leverage
    return {"candidate": lev.candidate, "gain": lev.gain, "cost": lev.cost}


def reading_of(
    readings: dict[tuple[str, date, str], Reading], event: Event, side: str
) -> Reading | None:
    if event.contract_id is None:
        return None
    return readings.get((event.contract_id, event.day, side))


def leverage_sentence(jobs: JobsAt | None) -> str | None:
    """MODEL.md 9.6: `In your 6-month window (16.75 jobs) one more 5-star job adds +0.9 …`."""
    if jobs is None:
        return None
    lev = jobs.leverage
    if lev.candidate == "trending":
        inside = ", ".join(f"{m}-month {plural(t, 'job')}" for m, t in jobs.jobs)
        where = f"In your Trending score ({inside})"
    else:
        where = f"In your {window_name(lev.candidate)} ({plural(jobs.jobs[0][1], 'job')})"
    if lev.gain < 0.05:
        gain = "one more 5-star job cannot raise a score that is already 100%"
    else:
        gain = f"one more 5-star job adds {points(lev.gain)}"
    return (
        f"{where} {gain} and one more negative outcome costs {points(lev.cost)}: "
        "the formula, not bad luck."
    )


# --------------------------------------------------------------------------- tables


def effects_rows(
    attribution: Attribution,
    readings: dict[tuple[str, date, str], Reading],
    rules: Any,
    title: str = "What moved your score",
) -> Rows:
    """One row per contract (its total effect), then terms no contract could be given."""
    contracts = contracts_of(attribution)
    until = private_until(rules)
    rows: list[tuple[str, ...]] = []
    styles: list[str | None] = []
    for e in attribution.effects[:SHOWN_CONTRACTS]:
        happened = "; ".join(f"{event_words(ev)} ({ev.day})" for ev in e.events)
        first, last = e.events[0], e.events[-1]
        before = after = ""
        if e.contract_id is not None:
            read0 = reading_of(readings, first, "before")
            read1 = reading_of(readings, last, "after")
            before = contracts.state(e.contract_id, first.before, read0, until)
            after = contracts.state(e.contract_id, last.after, read1, until)
        rows.append(
            (
                effect(e.effect),
                contracts.name(e.contract_id),
                contracts.client(e.contract_id),
                happened,
                before,
                after,
            )
        )
        styles.append(colour(e.effect))
    rest = attribution.effects.total[SHOWN_CONTRACTS:].tolist()
    if rest:
        rows.append(
            (
                effect(sum(rest)),
                f"{plural(len(rest), 'more contract')} (see --format json)",
                "",
                "",
                "",
                "",
            )
        )
        styles.append(None)
    for u in attribution.unattributed:
        what = (
            "the best window changed while more than 12 contracts changed"
            if u.kind == "window_switch"
            else "the score is floored at 0%"
        )
        rows.append((effect(u.effect), "(no single contract)", "", f"{what} ({u.day})", "", ""))
        styles.append(None)
    return Rows(
        title,
        ("Effect", "Contract", "Client", "What happened", "Before", "After"),
        frozenset({0}),
        tuple(rows),
        tuple(styles),
    )


def steps_rows(attribution: Attribution) -> Rows:
    """The days the displayed JSS changed, with what changed it."""
    contracts = contracts_of(attribution)
    rows = []
    for step in shown_steps(attribution):
        causes = [
            f"{effect(e.effect)} {contracts.name(e.contract_id)} ({event_words(e)})"
            for e in step.columns.events(range(min(SHOWN_CAUSES, len(step.columns))))
        ]
        if len(step.columns) > SHOWN_CAUSES:
            causes.append(f"and {plural(len(step.columns) - SHOWN_CAUSES, 'more contract')}")
        causes += [f"{effect(u.effect)} (no single contract)" for u in step.unattributed]
        rows.append(
            (
                step.day.isoformat(),
                f"{pct(step.jss_before)} → {pct(step.jss_after)}",
                "; ".join(causes),
            )
        )
    return Rows("Days your JSS changed", ("Date", "JSS", "Why"), frozenset({1}), tuple(rows))
