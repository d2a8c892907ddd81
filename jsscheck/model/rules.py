"""Rule sets (MODEL.md sections 2 and 8): presets, TOML rules files, single-parameter overrides."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from pathlib import Path
from typing import Any, Literal

from jsscheck.errors import InputNotFoundError, UsageError
from jsscheck.model.candidate import Candidate, candidates_in_order

Formula = Literal["net", "share"]
Weighting = Literal["tiers", "count", "dollars"]
Anchor = Literal["last_payment", "end_date"]
NoFeedback = Literal["exclude", "negative", "neutral"]
ZeroDollar = Literal["negative_only", "exclude", "count"]
Rounding = Literal["half_up", "floor"]
Cadence = Literal["daily", "biweekly"]


@dataclass(frozen=True)
class RuleSet:
    """Every parameter of MODEL.md section 2. `name` says where the values came from."""

    name: str
    formula: Formula
    weighting: Weighting
    weight_cap: float | None
    windows: tuple[int, ...]
    trending: bool
    anchor: Anchor
    no_feedback: NoFeedback
    zero_dollar: ZeroDollar
    long_term_days: int | None
    idle_open_days: int | None
    feedback_grace_days: int
    use_public: bool
    use_private: bool
    #: Private feedback is read only on evaluation dates before this one (None: always).
    private_until: date | None
    public_success: float
    public_negative: float
    private_success: int | None
    private_negative: int | None
    min_clients: int
    min_outcomes: int
    rounding: Rounding
    cadence: Cadence

    def __post_init__(self) -> None:
        # A rule set rebuilt from `params()` (a stored JSON document) carries the ISO string.
        if isinstance(self.private_until, str):
            object.__setattr__(self, "private_until", date.fromisoformat(self.private_until))

    @classmethod
    def from_params(cls, name: str, params: dict[str, Any]) -> RuleSet:
        """The rule set a JSON document's `rules.params` describe (the inverse of `params()`).

        Documents written before MODEL.md version 2 have no `private_until`: private feedback
        was then read on every date, which is `private_until = None`.
        """
        values = {"private_until": None, **params}
        values["windows"] = tuple(values["windows"])
        return cls(name=name, **values)

    def params(self) -> dict[str, Any]:
        """Every MODEL.md parameter as JSON-ready values (no `name`); dates as ISO strings."""
        values = asdict(self)
        del values["name"]
        values["windows"] = list(self.windows)
        values["private_until"] = (
            None if self.private_until is None else self.private_until.isoformat()
        )
        return values

    def reads_private(self, day: date) -> bool:
        """Whether private feedback is read when evaluating `day` (MODEL.md sections 2-3)."""
        return self.use_private and (self.private_until is None or day < self.private_until)

    @property
    def fingerprint(self) -> str:
        """12 hex digits identifying the resolved parameters (not the name)."""
        import hashlib  # here: loading OpenSSL costs 2-7 ms that --help need not pay

        canonical = json.dumps(self.params(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:12]

    @property
    def candidate_windows(self) -> tuple[int, ...]:
        """The windows to compute: `windows`, plus 3 and 6 months when Trending is on."""
        months = set(self.windows)
        if self.trending:
            months |= {3, 6}
        return tuple(sorted(months))

    @property
    def candidates(self) -> tuple[Candidate, ...]:
        """The candidates for the displayed JSS in tie-break order (MODEL.md 6)."""
        return candidates_in_order(self.windows, self.trending)

    def to_json(self) -> dict[str, Any]:
        """The `rules` object of the JSON documents (CLI.md)."""
        return {"name": self.name, "fingerprint": self.fingerprint, "params": self.params()}

    def to_toml(self) -> str:
        """A rules file that every command accepts with `--rules-file`."""
        lines = [f"# jsscheck rules ({self.name}), fingerprint {self.fingerprint}"]
        for key, value in self.params().items():
            if value is None:
                lines.append(f'{key} = "none"')
            else:
                lines.append(f"{key} = {_toml_value(value)}")
        return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return repr(value)


_UPWORK = RuleSet(
    name="upwork",
    formula="net",
    weighting="tiers",
    weight_cap=8.0,
    windows=(6, 12, 24),
    trending=True,
    anchor="last_payment",
    no_feedback="exclude",
    zero_dollar="negative_only",
    long_term_days=90,
    idle_open_days=None,
    feedback_grace_days=14,
    use_public=True,
    use_private=True,
    private_until=date(2026, 3, 31),
    public_success=4.5,
    public_negative=4.0,
    private_success=9,
    private_negative=6,
    min_clients=2,
    min_outcomes=2,
    rounding="half_up",
    cadence="daily",
)

PRESETS: dict[str, RuleSet] = {
    "upwork": _UPWORK,
    "public-only": replace(
        _UPWORK,
        name="public-only",
        use_private=False,
        private_until=None,
        private_success=None,
        private_negative=None,
    ),
    "legacy": replace(
        _UPWORK,
        name="legacy",
        weighting="count",
        weight_cap=None,
        trending=False,
        anchor="end_date",
        no_feedback="negative",
        zero_dollar="count",
        long_term_days=None,
        idle_open_days=90,
        min_clients=3,
        min_outcomes=4,
        cadence="biweekly",
        private_until=None,
    ),
    "fair": replace(
        _UPWORK,
        name="fair",
        anchor="end_date",
        zero_dollar="exclude",
        long_term_days=None,
        private_until=None,
    ),
}

PRESET_SUMMARIES: dict[str, str] = {
    "upwork": "the rules Upwork has published as of 2026, private feedback read when you have it",
    "public-only": "the same, reading public feedback only (the reported March 2026 change)",
    "legacy": "before 2020: unweighted; no-feedback and $0 contracts count against you; idle "
    "open contracts count after 90 days; updates every second Sunday",
    "fair": "what freelancers ask for: only contracts with feedback count, $0 contracts never "
    "do, no automatic credit for long contracts",
}

#: What each parameter means, for `rules show` (MODEL.md section 2).
PARAM_HELP: dict[str, str] = {
    "formula": "net: 100·(S − N)/T; share: 100·S/T",
    "weighting": "tiers (job size + 90-day bonus), count (1 each) or dollars (earnings)",
    "weight_cap": "cap on a tiers weight",
    "windows": "windows (months) that compete for the displayed score",
    "trending": "also compete with Trending = (3-month + 6-month) / 2",
    "anchor": "which date places an ended contract in a window",
    "no_feedback": "ended contract with no visible feedback",
    "zero_dollar": "ended contract with earnings 0",
    "long_term_days": "active more than this many days with earnings > 0 = long-term success",
    "idle_open_days": "open with no payment for more than this many days = ended without feedback",
    "feedback_grace_days": "an ended contract without feedback is pending this many days",
    "use_public": "read public feedback (stars)",
    "use_private": "read private feedback (0–10)",
    "private_until": "private feedback is read only on dates before this one (a date, or none)",
    "public_success": "stars at or above this are a success",
    "public_negative": "stars below this are negative",
    "private_success": "private score at or above this is a success",
    "private_negative": "private score at or below this is negative",
    "min_clients": "distinct clients a window needs for a score",
    "min_outcomes": "counted contracts a window needs for a score",
    "rounding": "how the displayed whole percent is made (half_up or floor)",
    "cadence": "daily, or biweekly (every second Sunday from 2020-11-08)",
}

#: Parameters that are assumptions rather than published facts (MODEL.md section 8 and intro).
ASSUMPTIONS: dict[str, str] = {
    "public_success": "Upwork does not publish the star cut-offs",
    "public_negative": "Upwork does not publish the star cut-offs",
    "private_success": "Upwork does not publish the 0–10 cut-offs",
    "private_negative": "Upwork does not publish the 0–10 cut-offs",
    "idle_open_days": "how idle open contracts counted before 2020 is not published",
    "feedback_grace_days": "how long Upwork waits for feedback is not published",
    "formula": "'at a high level' only: the exact formula is not published",
    "no_feedback": "neutral dilution of the total is not published",
    "anchor": "whether the end date or the last payment places a contract is not published",
    "use_private": "private feedback is reportedly no longer collected since 31 March 2026",
    "private_until": "the 31 March 2026 end of private feedback is reported through a third "
    "party's copy of the help centre",
    "trending": "Trending was last confirmed by Upwork staff in 2023 and is absent from the "
    "2026 help text",
}

PARAM_NAMES: tuple[str, ...] = tuple(f.name for f in fields(RuleSet) if f.name != "name")
_CHOICES: dict[str, tuple[str, ...]] = {
    "formula": ("net", "share"),
    "weighting": ("tiers", "count", "dollars"),
    "anchor": ("last_payment", "end_date"),
    "no_feedback": ("exclude", "negative", "neutral"),
    "zero_dollar": ("negative_only", "exclude", "count"),
    "rounding": ("half_up", "floor"),
    "cadence": ("daily", "biweekly"),
}
_INT_OR_NONE = ("long_term_days", "idle_open_days", "private_success", "private_negative")
_INTS = ("feedback_grace_days", "min_clients", "min_outcomes")
_BOOLS = ("trending", "use_public", "use_private")
_FLOATS = ("public_success", "public_negative")
#: The largest whole-number parameter (days or counts): 100,000 days are over 270 years, far
#: past any history, and small enough for every date sum the engine does.
MAX_COUNT = 100_000
#: Parameters that take a date (YYYY-MM-DD) or none.
_DATES = ("private_until",)
#: Filled in when private feedback is switched on for a preset that has no private cut-offs.
_DEFAULT_PRIVATE_CUTOFFS = {"private_success": 9, "private_negative": 6}


def preset(name: str) -> RuleSet:
    """The preset called `name`; a usage error naming the valid ones otherwise."""
    key = name.strip().lower().replace("_", "-")
    if key not in PRESETS:
        raise UsageError(
            f"unknown rules preset '{name}'",
            hint=f"choose one of: {', '.join(PRESETS)} (see `jsscheck rules list`)",
        )
    return PRESETS[key]


def coerce_param(key: str, value: Any, *, where: str = "") -> Any:
    """Validate and convert one parameter value; `where` prefixes the error message."""
    prefix = f"{where}: " if where else ""

    def bad(expected: str) -> UsageError:
        return UsageError(f"{prefix}{key}: expected {expected} (got {value!r})")

    if key not in PARAM_NAMES:
        raise UsageError(
            f"{prefix}unknown rules parameter '{key}'", hint=f"valid: {', '.join(PARAM_NAMES)}"
        )
    if key in _CHOICES:
        text = str(value).strip().lower().replace("-", "_")
        if text not in _CHOICES[key]:
            raise bad(" or ".join(_CHOICES[key]))
        return text
    if key == "windows":
        items = value if isinstance(value, list | tuple) else str(value).split(",")
        try:
            months = tuple(sorted({int(str(v).strip().removesuffix("m")) for v in items}))
        except ValueError:
            raise bad("a list of months such as 6,12,24") from None
        if not months or any(m < 1 or m > 120 for m in months):
            raise bad("a list of months between 1 and 120")
        return months
    if key in _BOOLS:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "yes", "1", "on"):
            return True
        if text in ("false", "no", "0", "off"):
            return False
        raise bad("true or false")
    if key in _INT_OR_NONE or key in _INTS:
        if key in _INT_OR_NONE and (value is None or str(value).strip().lower() == "none"):
            return None
        if isinstance(value, bool):
            raise bad("a whole number")
        try:
            number = int(str(value).strip())
        except ValueError:
            raise bad("a whole number" + (" or none" if key in _INT_OR_NONE else "")) from None
        if number < 0:
            raise bad("a number ≥ 0")
        if key in ("private_success", "private_negative") and number > 10:
            raise bad("a whole number from 0 to 10")
        if number > MAX_COUNT:
            raise bad(f"a whole number from 0 to {MAX_COUNT:,}")
        return number
    if key in _DATES:
        if value is None or str(value).strip().lower() == "none":
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            raise bad("a date YYYY-MM-DD or none") from None
    # weight_cap and the star cut-offs
    if key == "weight_cap" and (value is None or str(value).strip().lower() == "none"):
        return None
    try:
        real = float(str(value).strip())
    except ValueError:
        raise bad("a number" + (" or none" if key == "weight_cap" else "")) from None
    if not math.isfinite(real):
        raise bad("a finite number" + (" ≥ 1, or none" if key == "weight_cap" else ""))
    if key in _FLOATS and not 1.0 <= real <= 5.0:
        raise bad("stars from 1.0 to 5.0")
    if key == "weight_cap" and real < 1:
        raise bad("a number ≥ 1")
    return real


def with_overrides(base: RuleSet, overrides: dict[str, Any], *, where: str = "") -> RuleSet:
    """`base` with single parameters replaced (values are validated and converted)."""
    if not overrides:
        return base
    given = {key: coerce_param(key, value, where=where) for key, value in overrides.items()}
    changes = {key: value for key, value in given.items() if getattr(base, key) != value}
    if not changes:
        return base
    if changes.get("use_private") and base.private_success is None:
        for key, default in _DEFAULT_PRIVATE_CUTOFFS.items():
            if key not in given:
                changes.setdefault(key, default)
    tiers_without_cap = changes.get("weighting") == "tiers" and base.weight_cap is None
    if tiers_without_cap and "weight_cap" not in given:
        # Only a cap nobody named is filled in: `weight_cap = "none"` stays none (and is refused).
        changes.setdefault("weight_cap", 8.0)
    described = ", ".join(f"{k}={_describe(v)}" for k, v in sorted(changes.items()))
    rules = replace(base, name=f"{base.name}+{described}", **changes)
    check_consistent(rules, where=where)
    return rules


def _describe(value: Any) -> str:
    if isinstance(value, tuple):
        return ",".join(str(v) for v in value)
    if value is None:
        return "none"
    return str(value).lower() if isinstance(value, bool) else str(value)


def check_consistent(rules: RuleSet, *, where: str = "") -> None:
    """Reject parameter combinations the engine cannot evaluate."""
    prefix = f"{where}: " if where else ""
    if rules.use_private and (rules.private_success is None or rules.private_negative is None):
        raise UsageError(f"{prefix}use_private needs private_success and private_negative")
    if rules.weighting == "tiers" and rules.weight_cap is None:
        raise UsageError(f"{prefix}weighting = tiers needs a weight_cap")
    if not rules.windows:
        raise UsageError(f"{prefix}windows must name at least one window")


def load_rules_file(path: str | Path) -> RuleSet:
    """A TOML rules file: `extends = "upwork"` (the default) plus any parameters."""
    import tomllib  # only here: 2 ms of every command's start-up otherwise

    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputNotFoundError(f"{file}: rules file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputNotFoundError(f"{file}: cannot read the rules file ({exc})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{file}: not a valid TOML rules file ({exc})") from None
    except RecursionError:
        raise UsageError(
            f"{file}: not a rules file (its values are nested too deeply to read)",
            hint='a rules file holds plain values, e.g. extends = "upwork" and weight_cap = 8',
        ) from None
    extends = str(data.pop("extends", "upwork"))
    data.pop("name", None)
    base = preset(extends)
    rules = with_overrides(base, data, where=str(file))
    if rules is not base:
        rules = replace(rules, name=f"{file.name} (extends {base.name})")
    return rules


def resolve(
    name: str = "upwork",
    rules_file: str | Path | None = None,
    overrides: dict[str, Any] | None = None,
) -> RuleSet:
    """The rule set a command runs with: a preset or a rules file, then the flags."""
    base = load_rules_file(rules_file) if rules_file else preset(name)
    return with_overrides(base, overrides or {})
