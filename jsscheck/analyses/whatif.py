"""What-if scenarios: edit specs (CLI.md "Edit specs"), applying them, and closing advice.

An edit spec is `ID[,key=value...]` or `key=value,...`. Edits are parsed into `Edit` values,
applied to a copy of the history (`apply_edits`), and the edited history is scored and
explained against the baseline with MODEL.md section 9 (`whatif`). `close_open_advice` answers
"which open contracts should I close, and in what order?".

No typer or rich here: invalid edits raise `UsageError` (exit 2) naming what is valid.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Literal

from jsscheck.engine.arrays import ContractArrays
from jsscheck.engine.attribution import Explanation, explain_change
from jsscheck.engine.calendar import update_day
from jsscheck.engine.evaluate import Evaluation, evaluate
from jsscheck.engine.windows import EPS
from jsscheck.errors import UsageError
from jsscheck.model.contract import DATE_FIELDS, FIELDS, Contract
from jsscheck.model.days import parse_iso
from jsscheck.model.rules import RuleSet
from jsscheck.render.phrases import cause_sentence, switch_sentence

WHATIF_SCHEMA = "jsscheck.whatif/1"

EditKind = Literal["close", "add", "drop", "set"]

#: The command-line option of each edit kind (for error messages).
OPTION = {
    "close": "--close-contract",
    "add": "--add-contract",
    "drop": "--drop-contract",
    "set": "--set",
}
#: Keys each kind accepts after the id.
CLOSE_KEYS = ("public", "private", "on")
ADD_KEYS = ("earnings", "public", "client", "days", "id", "private", "on", "title")
ADD_REQUIRED = ("earnings", "client", "days")
#: `--set` short names for the feedback fields (CLI.md writes `--set "4521,public=3.5"`).
SET_ALIASES = {"public": "public_feedback", "private": "private_feedback"}
SET_FIELDS = tuple(f for f in FIELDS if f != "contract_id")
_SHOWN_IDS = 12


@dataclass(frozen=True)
class Edit:
    """One parsed edit: `kind`, the contract it names (None for add) and its key=value pairs."""

    kind: EditKind
    spec: str
    contract_id: str | None = None
    values: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "spec": self.spec,
            "contract_id": self.contract_id,
            "values": dict(self.values),
        }


# --------------------------------------------------------------------------- parsing


def parse_edit(kind: EditKind, spec: str) -> Edit:
    """Parse one edit spec of CLI.md; a usage error says what the grammar is."""
    option = OPTION[kind]
    parts = [p.strip() for p in spec.split(",")]
    if not spec.strip() or any(p == "" for p in parts):
        raise UsageError(
            f"{option} '{spec}': empty part", hint="write ID[,key=value...] or key=value,..."
        )
    contract_id: str | None = None
    if "=" not in parts[0]:
        contract_id, parts = parts[0], parts[1:]
    values: dict[str, str] = {}
    for part in parts:
        if "=" not in part:
            raise UsageError(
                f"{option} '{spec}': '{part}' is not key=value",
                hint="only the first part may be a contract id",
            )
        key, value = (s.strip() for s in part.split("=", 1))
        key = key.lower()
        if key in values:
            raise UsageError(f"{option} '{spec}': '{key}' given twice")
        values[key] = value
    if kind == "add":
        if contract_id is not None:
            raise UsageError(
                f"{option} '{spec}': a new contract has no id to start with",
                hint="give its id as id=..., e.g. "
                '--add-contract "earnings=500,public=5,client=Acme,days=30"',
            )
        _check_keys(option, spec, values, ADD_KEYS)
        missing = [k for k in ADD_REQUIRED if k not in values]
        if missing:
            raise UsageError(
                f"{option} '{spec}': missing {', '.join(missing)}",
                hint='e.g. --add-contract "earnings=500,public=5,client=Acme,days=30"',
            )
        return Edit(kind, spec, values.get("id"), values)
    if contract_id is None:
        raise UsageError(
            f"{option} '{spec}': start with the contract id", hint=f"e.g. {option} 4521"
        )
    if kind == "close":
        _check_keys(option, spec, values, CLOSE_KEYS)
    elif kind == "drop":
        _check_keys(option, spec, values, ())
    else:
        values = {SET_ALIASES.get(k, k): v for k, v in values.items()}
        _check_keys(option, spec, values, SET_FIELDS)
        if not values:
            raise UsageError(
                f"{option} '{spec}': nothing to set", hint=f'e.g. --set "{contract_id},public=3.5"'
            )
    return Edit(kind, spec, contract_id, values)


def _check_keys(option: str, spec: str, values: dict[str, str], valid: Sequence[str]) -> None:
    unknown = [k for k in values if k not in valid]
    if unknown:
        allowed = ", ".join(valid) if valid else "none (just the contract id)"
        raise UsageError(
            f"{option} '{spec}': unknown key {', '.join(unknown)}", hint=f"valid keys: {allowed}"
        )


def parse_edits(
    close: Sequence[str] = (),
    add: Sequence[str] = (),
    drop: Sequence[str] = (),
    set_fields: Sequence[str] = (),
) -> list[Edit]:
    """Every edit of the command line, in the order they are applied: add, close, set, drop."""
    edits = [parse_edit("add", s) for s in add]
    edits += [parse_edit("close", s) for s in close]
    edits += [parse_edit("set", s) for s in set_fields]
    edits += [parse_edit("drop", s) for s in drop]
    return edits


# --------------------------------------------------------------------------- values


def _number(edit: Edit, key: str, *, low: float | None = None, high: float | None = None) -> float:
    text = edit.values[key]
    try:
        value = float(text.replace("$", "").replace("_", ""))
    except ValueError:
        value = math.nan
    if math.isnan(value) or math.isinf(value):
        raise UsageError(f"{OPTION[edit.kind]} '{edit.spec}': {key} must be a number (got {text})")
    if (low is not None and value < low) or (high is not None and value > high):
        raise UsageError(
            f"{OPTION[edit.kind]} '{edit.spec}': {key} = {text} is out of range",
            hint=f"{key} must be between {low:g} and {high:g}"
            if high is not None
            else f"{key} must be at least {low:g}",
        )
    return value


def _public(edit: Edit, key: str = "public") -> float:
    return _number(edit, key, low=1.0, high=5.0)


def _private(edit: Edit, key: str = "private") -> int:
    value = _number(edit, key, low=0, high=10)
    if value != int(value):
        raise UsageError(
            f"{OPTION[edit.kind]} '{edit.spec}': {key} must be a whole number from 0 to 10"
        )
    return int(value)


def _date(edit: Edit, key: str) -> date:
    text = edit.values[key]
    try:
        return parse_iso(text)
    except ValueError:
        raise UsageError(
            f"{OPTION[edit.kind]} '{edit.spec}': {key} is not a date (got {text})",
            hint="use YYYY-MM-DD",
        ) from None


def _bool(edit: Edit, key: str) -> bool:
    text = edit.values[key].lower()
    if text in ("true", "yes", "1", "y"):
        return True
    if text in ("false", "no", "0", "n", ""):
        return False
    raise UsageError(f"{OPTION[edit.kind]} '{edit.spec}': {key} must be true or false")


def _set_value(edit: Edit, key: str) -> Any:
    """A `--set` value converted to the field's type; empty or `none` clears an optional field."""
    text = edit.values[key]
    empty = text == "" or text.lower() == "none"
    optional = key in ("end_date", "last_payment_date", "feedback_date", "paid_periods") or key in (
        "public_feedback",
        "private_feedback",
    )
    if empty and optional:
        return None
    if key in DATE_FIELDS:
        return _date(edit, key)
    if key == "earnings":
        return _number(edit, key, low=0.0)
    if key == "public_feedback":
        return _public(edit, key)
    if key == "private_feedback":
        return _private(edit, key)
    if key == "paid_periods":
        value = _number(edit, key, low=0)
        if value != int(value):
            raise UsageError(f"{OPTION[edit.kind]} '{edit.spec}': paid_periods is a whole number")
        return int(value)
    if key in ("disputed", "client_flagged", "excluded"):
        return _bool(edit, key)
    if key == "client" and empty:
        raise UsageError(f"{OPTION[edit.kind]} '{edit.spec}': client cannot be empty")
    return text


# --------------------------------------------------------------------------- applying


def is_open_at(contract: Contract, day: date) -> bool:
    """Started by `day` and not ended by it (MODEL.md section 1)."""
    return contract.start_date <= day and (contract.end_date is None or contract.end_date > day)


def _id_list(ids: Sequence[str]) -> str:
    if not ids:
        return "none"
    shown = ", ".join(ids[:_SHOWN_IDS])
    rest = len(ids) - _SHOWN_IDS
    return shown + (f" (and {rest} more)" if rest > 0 else "")


def _find(contracts: list[Contract], edit: Edit, as_of: date) -> int:
    for i, c in enumerate(contracts):
        if c.contract_id == edit.contract_id:
            return i
    if edit.kind == "close":
        valid = [c.contract_id for c in contracts if is_open_at(c, as_of)]
        hint = f"open contracts on {as_of}: {_id_list(valid)}"
    else:
        hint = f"contract ids: {_id_list([c.contract_id for c in contracts])}"
    raise UsageError(f"{OPTION[edit.kind]}: unknown contract id '{edit.contract_id}'", hint=hint)


def _check_contract(edit: Edit, contract: Contract) -> Contract:
    """Reject an edit that makes a contract impossible (FORMATS.md rules, briefly)."""
    where = f"{OPTION[edit.kind]} '{edit.spec}'"
    if contract.end_date is not None and contract.end_date < contract.start_date:
        raise UsageError(
            f"{where}: the contract would end ({contract.end_date}) before it starts "
            f"({contract.start_date})"
        )
    if contract.earnings < 0:
        raise UsageError(f"{where}: earnings cannot be negative")
    return contract


def _close(contract: Contract, edit: Edit, as_of: date) -> Contract:
    on = _date(edit, "on") if "on" in edit.values else as_of
    if not is_open_at(contract, as_of):
        state = (
            f"ended on {contract.end_date}"
            if contract.end_date is not None and contract.end_date <= as_of
            else f"starts on {contract.start_date}"
        )
        raise UsageError(
            f"--close-contract: contract '{contract.contract_id}' is not open on {as_of} ({state})",
            hint="use --set to change an ended contract",
        )
    if on > as_of or on < contract.start_date:
        raise UsageError(
            f"--close-contract '{edit.spec}': on = {on} must be between the contract's start "
            f"({contract.start_date}) and --as-of ({as_of})"
        )
    last_payment = contract.last_payment_date
    if last_payment is not None and last_payment > on:
        last_payment = on
    return replace(
        contract,
        end_date=on,
        last_payment_date=last_payment,
        public_feedback=_public(edit) if "public" in edit.values else None,
        private_feedback=_private(edit) if "private" in edit.values else None,
        feedback_date=None,
    )


def _add(contracts: list[Contract], edit: Edit, as_of: date) -> Contract:
    on = _date(edit, "on") if "on" in edit.values else as_of
    if on > as_of:
        raise UsageError(f"--add-contract '{edit.spec}': on = {on} is after --as-of ({as_of})")
    days = _number(edit, "days", low=0)
    if days != int(days):
        raise UsageError(f"--add-contract '{edit.spec}': days is a whole number of days")
    taken = {c.contract_id for c in contracts}
    contract_id = edit.values.get("id")
    if contract_id is None:
        number = 1
        while f"new-{number}" in taken:
            number += 1
        contract_id = f"new-{number}"
    elif contract_id in taken:
        raise UsageError(
            f"--add-contract '{edit.spec}': contract id '{contract_id}' already exists",
            hint="choose another id=, or leave it out",
        )
    client = edit.values["client"]
    if not client:
        raise UsageError(f"--add-contract '{edit.spec}': client cannot be empty")
    return Contract(
        contract_id=contract_id,
        client=client,
        title=edit.values.get("title", "what-if contract"),
        start_date=on - timedelta(days=int(days)),
        end_date=on,
        last_payment_date=on,
        earnings=_number(edit, "earnings", low=0.0),
        public_feedback=_public(edit) if "public" in edit.values else None,
        private_feedback=_private(edit) if "private" in edit.values else None,
    )


def apply_edits(
    contracts: Sequence[Contract], edits: Sequence[Edit], as_of: date
) -> list[Contract]:
    """The history after `edits`, in order; the input is not changed."""
    edited = list(contracts)
    for edit in edits:
        if edit.kind == "add":
            edited.append(_add(edited, edit, as_of))
            continue
        i = _find(edited, edit, as_of)
        if edit.kind == "drop":
            del edited[i]
        elif edit.kind == "close":
            edited[i] = _close(edited[i], edit, as_of)
        else:
            changes = {key: _set_value(edit, key) for key in edit.values}
            edited[i] = _check_contract(edit, replace(edited[i], **changes))
    return edited


# --------------------------------------------------------------------------- what-if


def candidate_scores(evaluation: Evaluation) -> dict[str, float | None]:
    """Every candidate window's (clamped) score, 3m/6m included when Trending is on."""
    names = [f"{m}m" for m in sorted(evaluation.rules.candidate_windows)]
    if evaluation.rules.trending:
        names.append("trending")
    return {name: evaluation.candidate_score(name) for name in names}


@dataclass(frozen=True)
class WhatifReport:
    """The baseline and the scenario at one date, and why they differ."""

    as_of: date
    baseline_rules: RuleSet
    scenario_rules: RuleSet
    edits: list[Edit]
    explanation: Explanation
    summary: str

    @property
    def before(self) -> Evaluation:
        return self.explanation.before

    @property
    def after(self) -> Evaluation:
        return self.explanation.after

    def to_json(self) -> dict[str, Any]:
        """The `jsscheck.whatif/1` document of CLI.md."""
        document = self.explanation.to_json()
        document["before"]["candidates"] = candidate_scores(self.before)
        document["after"]["candidates"] = candidate_scores(self.after)
        return {
            "schema": WHATIF_SCHEMA,
            "as_of": self.as_of.isoformat(),
            "rules": {
                "baseline": self.baseline_rules.to_json(),
                "scenario": self.scenario_rules.to_json(),
            },
            **document,
            # A what-if has no dates in between: kept so the keys match `jsscheck.explain/1`.
            "steps": [],
            "edits": [e.to_json() for e in self.edits],
            "summary": self.summary,
        }


def _when(day: date, as_of: date) -> str:
    return "now" if day == as_of else f"on {day}"


def _label(contracts: Sequence[Contract], contract_id: str | None) -> str:
    for c in contracts:
        if c.contract_id == contract_id:
            return f"contract '{c.title}'" if c.title else f"contract {c.contract_id}"
    return f"contract {contract_id}"


def _feedback_phrase(values: dict[str, str]) -> str:
    parts = []
    if "public" in values:
        parts.append(f"{float(values['public']):g} stars")
    if "private" in values:
        parts.append(f"private score {values['private']}")
    return "with " + " and ".join(parts) if parts else "without feedback"


def describe_edit(edit: Edit, contracts: Sequence[Contract], as_of: date) -> str:
    """`close contract 'Logo redesign' now without feedback` and the like."""
    if edit.kind == "close":
        on = parse_iso(edit.values["on"]) if "on" in edit.values else as_of
        name = _label(contracts, edit.contract_id)
        return f"close {name} {_when(on, as_of)} {_feedback_phrase(edit.values)}"
    if edit.kind == "add":
        on = parse_iso(edit.values["on"]) if "on" in edit.values else as_of
        earned = float(edit.values["earnings"].replace("$", "").replace("_", ""))
        ending = "ending now" if on == as_of else f"ending on {on}"
        return (
            f"add a ${earned:,.0f} contract with {edit.values['client']} "
            f"{_feedback_phrase(edit.values)}, {ending}"
        )
    name = _label(contracts, edit.contract_id)
    if edit.kind == "drop":
        return f"drop {name}"
    changes = ", ".join(f"{k.replace('_', ' ')} to {v or 'empty'}" for k, v in edit.values.items())
    return f"set {name}'s {changes}"


def _rule_phrase(baseline: RuleSet, scenario: RuleSet) -> str | None:
    changed = [
        f"{key} = {value}"
        for key, value in scenario.params().items()
        if baseline.params()[key] != value
    ]
    return "use " + ", ".join(changed) if changed else None


def _join(phrases: list[str]) -> str:
    if len(phrases) <= 1:
        return "".join(phrases)
    return ", ".join(phrases[:-1]) + " and " + phrases[-1]


def _pct(value: int | None) -> str:
    return "no JSS" if value is None else f"{value}%"


def whatif_summary(
    x: Explanation,
    edits: Sequence[Edit],
    contracts: Sequence[Contract],
    baseline: RuleSet,
    scenario: RuleSet,
    as_of: date,
) -> str:
    """`If you close contract 'X' now without feedback, your JSS goes from 91% to 88%. …`"""
    phrases = [describe_edit(e, contracts, as_of) for e in edits]
    rule = _rule_phrase(baseline, scenario)
    if rule:
        phrases.append(rule)
    condition = f"If you {_join(phrases)}" if phrases else "With no edits"
    before, after = x.before.jss, x.after.jss
    if before == after:
        outcome = f"your JSS stays at {_pct(after)}"
        if x.change is not None and abs(x.change) >= 0.005:
            outcome += (
                f" (unrounded {x.before.best_score:.2f} → {x.after.best_score:.2f})"
                if x.before.best_score is not None and x.after.best_score is not None
                else ""
            )
    elif after is None:
        outcome = f"you go from {_pct(before)} to no JSS (no window has enough history)"
    elif before is None:
        outcome = f"you go from no JSS to {after}%"
    else:
        outcome = f"your JSS goes from {before}% to {after}%"
    sentences = [f"{condition}, {outcome}."]
    cause = cause_sentence(x)
    if cause and x.contributions:
        sentences.append(cause)
    switch = switch_sentence(x)
    if switch:
        sentences.append(switch)
    computed = x.after.day
    if computed < as_of:
        sentences.append(
            f"With the biweekly cadence the score shown on {as_of} was computed on {computed}; "
            f"changes after that show from the update on {computed + timedelta(days=14)}."
        )
    return " ".join(sentences)


def whatif(
    contracts: Sequence[Contract],
    baseline_rules: RuleSet,
    scenario_rules: RuleSet,
    as_of: date,
    edits: Sequence[Edit],
) -> WhatifReport:
    """Score the edited history under the scenario rules against the baseline at `as_of`.

    Both sides are the scores shown on `as_of` (computed on its update day, MODEL.md 7).
    """
    edited = apply_edits(contracts, edits, as_of)
    before = evaluate(
        ContractArrays.from_contracts(contracts),
        baseline_rules,
        update_day(as_of, baseline_rules.cadence),
    )
    after = evaluate(
        ContractArrays.from_contracts(edited),
        scenario_rules,
        update_day(as_of, scenario_rules.cadence),
    )
    x = explain_change(before, after)
    text = whatif_summary(x, edits, contracts, baseline_rules, scenario_rules, as_of)
    return WhatifReport(as_of, baseline_rules, scenario_rules, list(edits), x, text)


# --------------------------------------------------------------------------- closing advice


@dataclass(frozen=True)
class ClosingOption:
    """Closing one open contract alone: the score without feedback and with 5 stars."""

    contract: Contract
    jss_no_feedback: int | None
    score_no_feedback: float | None
    jss_five_stars: int | None
    score_five_stars: float | None

    def to_json(self) -> dict[str, Any]:
        return {
            "contract_id": self.contract.contract_id,
            "title": self.contract.title,
            "client": self.contract.client,
            "no_feedback": {"jss": self.jss_no_feedback, "score": self.score_no_feedback},
            "five_stars": {"jss": self.jss_five_stars, "score": self.score_five_stars},
        }


@dataclass(frozen=True)
class ClosingStep:
    """Step `n` of the suggested order: close `contract` (no feedback); the score after."""

    contract: Contract
    jss: int | None
    score: float | None

    def to_json(self) -> dict[str, Any]:
        return {"contract_id": self.contract.contract_id, "jss": self.jss, "score": self.score}


@dataclass(frozen=True)
class LeaveOpen(ClosingStep):
    """An open contract the suggested order leaves open: closing it next would give `score`."""


@dataclass(frozen=True)
class ClosingAdvice:
    """`whatif --close-open`: each open contract closed alone, and an order that never hurts."""

    as_of: date
    computed_on: date
    rules: RuleSet
    jss: int | None
    score: float | None
    options: list[ClosingOption]
    order: list[ClosingStep]
    leave_open: list[LeaveOpen]
    summary: str

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": "jsscheck.close_open/1",
            "as_of": self.as_of.isoformat(),
            "computed_on": self.computed_on.isoformat(),
            "rules": self.rules.to_json(),
            "jss": self.jss,
            "score": self.score,
            "options": [o.to_json() for o in self.options],
            "order": [s.to_json() for s in self.order],
            "leave_open": [s.to_json() for s in self.leave_open],
            "summary": self.summary,
        }


def _closed(contract: Contract, day: date, public: float | None = None) -> Contract:
    last_payment = contract.last_payment_date
    if last_payment is not None and last_payment > day:
        last_payment = day
    return replace(
        contract,
        end_date=day,
        last_payment_date=last_payment,
        public_feedback=public,
        private_feedback=None,
        feedback_date=None,
    )


def _score_of(
    contracts: Sequence[Contract], rules: RuleSet, day: date
) -> tuple[int | None, float | None]:
    evaluation = evaluate(ContractArrays.from_contracts(contracts), rules, day)
    return evaluation.jss, evaluation.best_score


def _key(score: float | None) -> float:
    return -math.inf if score is None else score


def close_open_advice(contracts: Sequence[Contract], rules: RuleSet, as_of: date) -> ClosingAdvice:
    """Close each open contract alone (no feedback / 5 stars), and a greedy closing order.

    The order closes, at each step, the contract whose closing (without feedback, the part you
    control) gives the highest score, and only while that does not lower the score; the rest
    are best left open. Contracts close on `as_of`; scores are those shown on `as_of`.
    """
    day = update_day(as_of, rules.cadence)
    base = list(contracts)
    jss, score = _score_of(base, rules, day)
    open_index = [i for i, c in enumerate(base) if is_open_at(c, as_of)]

    options = []
    for i in open_index:
        without = base.copy()
        without[i] = _closed(base[i], as_of)
        five = base.copy()
        five[i] = _closed(base[i], as_of, public=5.0)
        j0, s0 = _score_of(without, rules, day)
        j5, s5 = _score_of(five, rules, day)
        options.append(ClosingOption(base[i], j0, s0, j5, s5))
    options.sort(key=lambda o: (-_key(o.score_no_feedback), -_key(o.score_five_stars)))

    current, current_score = base.copy(), score
    remaining = list(open_index)
    order: list[ClosingStep] = []
    leave: list[LeaveOpen] = []
    while remaining:
        trials = []
        for i in remaining:
            trial = current.copy()
            trial[i] = _closed(current[i], as_of)
            trials.append((i, trial, *_score_of(trial, rules, day)))
        i, trial, best_jss, best_score = max(trials, key=lambda t: _key(t[3]))
        if _key(best_score) < _key(current_score) - EPS:
            leave = [LeaveOpen(base[k], j, s) for k, _, j, s in trials]
            leave.sort(key=lambda lo: -_key(lo.score))
            break
        order.append(ClosingStep(base[i], best_jss, best_score))
        current, current_score = trial, best_score
        remaining.remove(i)
    text = _advice_summary(jss, order, leave, len(open_index), as_of)
    return ClosingAdvice(as_of, day, rules, jss, score, options, order, leave, text)


def _name(contract: Contract) -> str:
    return f"'{contract.title}'" if contract.title else contract.contract_id


def _advice_summary(
    jss: int | None, order: list[ClosingStep], leave: list[LeaveOpen], n_open: int, as_of: date
) -> str:
    if n_open == 0:
        return f"You have no open contracts on {as_of}: nothing to close."
    parts = []
    if order:
        names = ", then ".join(_name(s.contract) for s in order)
        parts.append(
            f"Closing {names} without feedback never lowers your JSS "
            f"({_pct(jss)} → {_pct(order[-1].jss)})."
        )
    if leave:
        names = _join([_name(lo.contract) for lo in leave])
        if order:
            it = "it" if len(leave) == 1 else "any of them"
            parts.append(f"Leave {names} open: closing {it} next would lower the score.")
        else:
            parts.append(
                f"Leave {names} open: closing any of them without feedback lowers your JSS "
                f"(at best to {_pct(leave[0].jss)} from {_pct(jss)})."
            )
    return " ".join(parts)
