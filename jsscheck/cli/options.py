"""Options shared by every command, defined once (CLI.md "Common options").

`with_rules` adds `--rules`, `--rules-file` and one flag per rule set parameter to a command
(generated from model/rules.py by `rule_flags`, listed in the "Rules" help panel) and hands it
a `RuleChoice`; `format_choice` is the one `--format`; the other aliases are plain `Annotated`
types.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from typer._click.types import ParamType  # typer vendors click (0.28 and later)

from jsscheck.cli.output import OutputFormat
from jsscheck.errors import UsageError
from jsscheck.model.text import visible

if TYPE_CHECKING:
    from jsscheck.model.rules import RuleSet


class ArgumentType(ParamType):
    """A positional argument's type, for help that names it by its metavar alone (HISTORY…, ID)
    instead of adding a Python type (`<str>`, `<int>`) beside it; `whole` asks for a number."""

    def __init__(self, whole: bool = False) -> None:
        self.whole = whole
        self.name = "number" if whole else "text"

    def get_metavar(self, param: Any, ctx: Any = None) -> str:
        return ""

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        if not self.whole or isinstance(value, int):
            return value
        try:
            return int(value)
        except ValueError:
            self.fail(f"{value!r} is not a whole number.", param, ctx)


HistoryArg = Annotated[
    list[str],
    typer.Argument(
        help="Contract history files (CSV, JSON, JSON Lines or Upwork exports), or - for stdin.",
        metavar="HISTORY...",
        show_default=False,
        click_type=ArgumentType(),
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Evaluate as of this date (2026-11-21, 11/21/2026 or Nov 21, 2026). Default: today.",
    ),
]
SinceOpt = Annotated[
    str | None,
    typer.Option(
        "--since",
        metavar="DATE",
        help="Why the score moved is told from this date. Default: your latest snapshot before "
        "--as-of (after a cron alert, the one before it), else 28 days earlier.",
    ),
]
DayfirstOpt = Annotated[
    bool,
    typer.Option(
        "--dayfirst",
        help="Read 01/02/2026-style dates as DD/MM/YYYY, in files and in date options.",
    ),
]
InputFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--input-format",
        metavar="FORMAT",
        help="Force the input format: csv, json, jsonl, upwork-json or weekly-summary.",
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print no warnings.")]
IncludeAgencyOpt = Annotated[
    bool,
    typer.Option(
        "--include-agency",
        help="Keep the work history's agency contracts (left out by default: they count toward "
        "the agency's score).",
    ),
]


def format_choice(*choices: str) -> Any:
    """The `--format` option limited to `choices` (values of `OutputFormat`), for
    `output_format: Annotated[str, format_choice("table", "json")] = "table"`; the command
    receives an `OutputFormat` (a str enum: `output_format == "json"` still holds)."""
    allowed = [OutputFormat(c) for c in choices]

    def check(value: str | None) -> OutputFormat | None:
        if value is None:
            return None
        chosen = str(value).strip().lower()
        if chosen not in allowed:
            raise typer.BadParameter(f"'{value}' is not one of {', '.join(choices)}")
        return OutputFormat(chosen)

    return typer.Option(
        "--format",
        "-f",
        help=f"Output format: {', '.join(choices)}.",
        callback=check,
        metavar="|".join(choices),
    )


def parse_date_option(
    value: str | None, option: str, default: date | None = None, *, dayfirst: bool | None = None
) -> date:
    """A date given on the command line, read by the histories' own date parser (`2026-11-21`,
    `11/21/2026`, `Nov 21, 2026`; DD/MM/YYYY with `--dayfirst`); a usage error that shows the
    format otherwise. `dayfirst=None` follows the command's own `--dayfirst` flag."""
    if value is None or value == "":
        return default if default is not None else date.today()
    from jsscheck.history.values import ValueProblem, parse_day

    if dayfirst is None:
        dayfirst = _dayfirst_given()
    try:
        return parse_day(value, dayfirst)
    except ValueProblem as problem:
        raise UsageError(
            f"{option}: {problem.problem} (got '{visible(value)}')",
            hint=problem.fix or "use YYYY-MM-DD, e.g. 2026-11-21",
        ) from None


def observed_option(value: str | None, option: str = "--observed") -> int | None:
    """`--observed N|FILE`: the JSS Upwork shows, typed (`92`) or read from a saved profile
    response of Upwork's API (`history.graphql.read_observed_jss`); a usage error for a number
    outside 0–100."""
    if value is None:
        return None
    typed = typed_jss(value, option)
    if typed is not None:
        return typed
    from jsscheck.history.graphql import read_observed_jss

    return read_observed_jss(value)


def typed_jss(value: str, option: str = "--observed") -> int | None:
    """The JSS typed as `--observed 92` (None when `value` is no number: a file's name); a
    usage error for a number that is no whole percentage from 0 to 100 (`92.5`, `-3`, `120`,
    and `nan`: more likely a slip than a file of that name)."""
    try:
        number = float(value.strip())
    except ValueError:
        return None
    if not (0 <= number <= 100 and number.is_integer()):
        raise UsageError(
            f"{option}: a JSS is a whole percentage from 0 to 100 (got '{visible(value)}')",
            hint="type the number your Upwork profile shows, e.g. --observed 92",
        )
    return int(number)


def _within_calendar(parse: Callable[..., date]) -> Callable[..., date]:
    """`parse` that also refuses a date the engine cannot work around (year 1, year 9999):
    a usage error saying which dates are allowed, never an overflow inside the engine."""

    @functools.wraps(parse)
    def checked(value: str | None, option: str, *args: Any, **kwargs: Any) -> date:
        from jsscheck.model.days import option_day_problem

        day = parse(value, option, *args, **kwargs)
        problem = option_day_problem(day)
        if problem is not None:
            raise UsageError(f"{option}: {day} is out of range", hint=f"the date {problem}")
        return day

    return checked


parse_date_option = _within_calendar(parse_date_option)


def finite_number(value: float, option: str, low: float, high: float, unit: str = "") -> float:
    """A number option between `low` and `high`: `nan`, `inf` and overflowing values are a
    usage error that says what is allowed."""
    import math

    if not (math.isfinite(value) and low <= value <= high):
        raise UsageError(
            f"{option}: {value:g} is out of range",
            hint=f"give a number from {low:,g} to {high:,.0f}{unit}",
        )
    return value


def whole_number(value: int, option: str, low: int = 0, high: int = 100_000) -> int:
    """A whole-number option checked against its range (day counts, ids): a usage error that
    says what is allowed, instead of an overflow further down."""
    if not low <= value <= high:
        raise UsageError(f"{option}: {value} is out of range", hint=f"give {low:,} to {high:,}")
    return value


def _dayfirst_given() -> bool:
    """Whether the running command was given `--dayfirst` (False outside a command line)."""
    from typer._click.globals import get_current_context  # typer vendors click

    context = get_current_context(silent=True)
    while context is not None:
        if context.params.get("dayfirst"):
            return True
        context = context.parent
    return False


# --------------------------------------------------------------------------- rules options


@dataclass(frozen=True)
class RuleChoice:
    """What the user chose: a preset or rules file (the base) and single-parameter overrides."""

    preset: str = "upwork"
    rules_file: str | None = None
    overrides: dict[str, Any] = field(default_factory=dict)

    def base(self) -> RuleSet:
        """The preset or rules file alone (whatif's baseline)."""
        from jsscheck.model.rules import resolve

        return resolve(self.preset, self.rules_file)

    def resolve(self) -> RuleSet:
        """The base with every override applied."""
        from jsscheck.model.rules import resolve

        return resolve(self.preset, self.rules_file, self.overrides)

    def presets(self) -> list[str]:
        """`--rules a,b` as a list (for `--compare`)."""
        return [p.strip() for p in self.preset.split(",") if p.strip()]

    def compared(self) -> list[RuleSet]:
        """The rule sets `--compare` puts side by side: the rules file, the presets of
        `--rules a,b`, or every preset; each with the single-parameter overrides."""
        from jsscheck.model.rules import PRESETS, load_rules_file, preset, with_overrides

        if self.rules_file:
            bases = [load_rules_file(self.rules_file)]
        else:
            names = self.presets() if self.preset != "upwork" else []
            bases = [preset(n) for n in (names or list(PRESETS))]
        return [with_overrides(base, self.overrides) for base in bases]


_RULES_PANEL = "Rules"

#: Flag names that differ from the parameter's (`--private`, not `--use-private`).
_FLAG_NAMES = {"use_public": "public", "use_private": "private"}
#: What a number parameter counts, for its metavar (`--min-clients N`, `--long-term-days DAYS`).
_UNITS = {"public_success": "STARS", "public_negative": "STARS", "weight_cap": "N"}


@dataclass(frozen=True)
class RuleFlag:
    """One command-line flag for one rule set parameter, generated from model/rules.py."""

    param: str
    #: choice, bool, int, float, months (a list of windows) or date
    kind: str
    help: str
    none_ok: bool = False
    choices: tuple[str, ...] = ()

    @property
    def flag(self) -> str:
        return "--" + _FLAG_NAMES.get(self.param, self.param).replace("_", "-")

    @property
    def decls(self) -> tuple[str, ...]:
        if self.kind == "bool":
            return (f"{self.flag}/--no-{self.flag[2:]}",)
        return (self.flag,)

    @property
    def metavar(self) -> str | None:
        """What the flag takes, in the words of the help: `exclude|negative|neutral`."""
        if self.kind == "bool":
            return None
        if self.kind == "choice":
            return "|".join(_dashed(c) for c in self.choices)
        base = {
            "months": "MONTHS,...",
            "date": "DATE",
            "int": "DAYS" if self.param.endswith("_days") else "N",
            "float": "N",
        }[self.kind]
        base = _UNITS.get(self.param, base)
        return f"{base}|none" if self.none_ok else base

    def convert(self, value: Any) -> Any:
        """Check a choice or a date on the command line (one spelling in messages); every
        other value goes to the rule set's own checks as typed."""
        if self.kind == "choice":
            text = str(value).strip().lower().replace("-", "_")
            if text not in self.choices:
                shown = ", ".join(_dashed(c) for c in self.choices)
                raise UsageError(f"{self.flag}: expected one of {shown} (got '{value}')")
            return text
        if self.kind == "date":
            if self.none_ok and str(value).strip().lower() == "none":
                return "none"
            return parse_date_option(str(value), self.flag).isoformat()
        return value


def _dashed(choice: str) -> str:
    return choice.replace("_", "-")


def _kind(param: str, annotation: str, tables: dict[str, Any]) -> tuple[str, bool]:
    """(kind, accepts none) from the type sets of model/rules.py, else the field's type."""
    text = str(annotation).replace(" ", "")
    none_ok = "None" in text or param in tables.get("_INT_OR_NONE", ())
    if param in tables.get("_CHOICES", {}):
        return "choice", none_ok
    if param in tables.get("_BOOLS", ()) or text.startswith("bool"):
        return "bool", False
    if "date" in text:
        return "date", none_ok
    if text.startswith("tuple"):
        return "months", none_ok
    if param in tables.get("_INTS", ()) or param in tables.get("_INT_OR_NONE", ()):
        return "int", none_ok
    if "int" in text and "float" not in text:
        return "int", none_ok
    return "float", none_ok


def rule_flags(
    rule_type: type | None = None, tables: dict[str, Any] | None = None
) -> tuple[RuleFlag, ...]:
    """One flag per field of the rule set, in its order, described by PARAM_HELP and typed by
    the module's type sets (`_CHOICES`, `_BOOLS`, `_INTS`, ...) or the field's annotation.

    A new parameter in model/rules.py (e.g. a date-or-none one) gets its flag automatically.
    Tests pass a fake `rule_type` and `tables`.
    """
    import dataclasses

    from jsscheck.model import rules as model

    rule_type = rule_type or model.RuleSet
    tables = tables if tables is not None else vars(model)
    helps: dict[str, str] = tables.get("PARAM_HELP", {})
    flags = []
    for f in dataclasses.fields(rule_type):
        if f.name == "name":
            continue
        kind, none_ok = _kind(f.name, str(f.type), tables)
        choices = tuple(tables.get("_CHOICES", {}).get(f.name, ()))
        text = helps.get(f.name, f.name.replace("_", " "))
        flags.append(RuleFlag(f.name, kind, text[:1].upper() + text[1:] + ".", none_ok, choices))
    return tuple(flags)


F = TypeVar("F", bound=Callable[..., Any])


def with_rules(func: F) -> F:
    """Add the rules options to a command; it receives them as `rules: RuleChoice`.

    The flags are generated from the rule set's parameter table (`rule_flags`) and listed in
    their own "Rules" help panel.
    """
    flags = rule_flags()
    added = [
        inspect.Parameter(
            "rules_preset",
            inspect.Parameter.KEYWORD_ONLY,
            default=None,
            annotation=Annotated[
                str | None,
                typer.Option(
                    "--rules",
                    "-r",
                    metavar="NAME",
                    help="Preset: upwork (the default), public-only, legacy or fair "
                    "(see `jsscheck rules list`).",
                    rich_help_panel=_RULES_PANEL,
                ),
            ],
        ),
        inspect.Parameter(
            "rules_file",
            inspect.Parameter.KEYWORD_ONLY,
            default=None,
            annotation=Annotated[
                str | None,
                typer.Option(
                    "--rules-file",
                    metavar="FILE",
                    help='A TOML rules file (extends = "upwork" plus parameters).',
                    rich_help_panel=_RULES_PANEL,
                ),
            ],
        ),
    ]
    for flag in flags:
        added.append(
            inspect.Parameter(
                f"rule_{flag.param}",
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=Annotated[
                    bool | None if flag.kind == "bool" else str | None,
                    typer.Option(
                        *flag.decls,
                        help=flag.help,
                        rich_help_panel=_RULES_PANEL,
                        show_default=False,
                        metavar=flag.metavar,
                    ),
                ],
            )
        )

    def build(values: dict[str, Any]) -> RuleChoice:
        overrides = {}
        for flag in flags:
            value = values[f"rule_{flag.param}"]
            if value is not None:
                overrides[flag.param] = flag.convert(value)
        preset, rules_file = values["rules_preset"], values["rules_file"]
        if preset is not None and rules_file is not None:
            raise UsageError(
                "--rules and --rules-file both choose the rules",
                hint='give one of them; a rules file picks its preset with extends = "NAME"',
            )
        return RuleChoice(preset=preset or "upwork", rules_file=rules_file, overrides=overrides)

    return given_as(func, "rules", added, build)


def given_as(
    func: F, name: str, added: list[inspect.Parameter], build: Callable[[dict[str, Any]], Any]
) -> F:
    """`func` with its parameter `name` replaced by the options `added`: typer sees those,
    and `func` receives `build(their values)` as `name`."""
    signature = inspect.signature(func)
    # Resolve string annotations (from __future__) here: typer reads __signature__ as is.
    hints = typing.get_type_hints(func, include_extras=True)
    kept = [
        p.replace(annotation=hints.get(p.name, p.annotation))
        for p in signature.parameters.values()
        if p.name != name
    ]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        kwargs[name] = build({p.name: kwargs.pop(p.name) for p in added})
        return func(*args, **kwargs)

    wrapper.__signature__ = signature.replace(parameters=kept + added)  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store",
        metavar="PATH",
        help="The snapshot store (default: $JSSCHECK_STORE, else your data directory).",
    ),
]
ProfileOpt = Annotated[
    str, typer.Option("--profile", metavar="NAME", help="Which snapshot profile.")
]
