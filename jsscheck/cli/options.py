"""Options shared by every command, defined once (CLI.md "Common options").

`with_rules` adds `--rules`, `--rules-file` and one flag per MODEL.md parameter to a command,
and hands it a `RuleChoice`; the other aliases are plain `Annotated` types.
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

from jsscheck.errors import UsageError

if TYPE_CHECKING:
    from jsscheck.engine.arrays import ContractArrays
    from jsscheck.history import ReadResult
    from jsscheck.model.rules import RuleSet

HistoryArg = Annotated[
    list[str],
    typer.Argument(
        help="Contract history files (CSV, JSON, JSON Lines or Upwork exports), or - for stdin.",
        metavar="HISTORY",
        show_default=False,
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of", metavar="DATE", help="Evaluate as of this date (YYYY-MM-DD). Default: today."
    ),
]
DayfirstOpt = Annotated[
    bool, typer.Option("--dayfirst", help="Read ambiguous dates as DD/MM/YYYY.")
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


def format_option(*choices: str, default: str = "table") -> Any:
    """A `--format` option limited to `choices`."""

    def check(value: str) -> str:
        chosen = value.strip().lower()
        if chosen not in choices:
            raise typer.BadParameter(f"'{value}' is not one of {', '.join(choices)}")
        return chosen

    return Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help=f"Output format: {', '.join(choices)}.",
            callback=check,
            metavar="|".join(choices),
        ),
    ]


def parse_date_option(value: str | None, option: str, default: date | None = None) -> date:
    """A date given on the command line; a usage error that shows the format otherwise."""
    if value is None or value == "":
        return default if default is not None else date.today()
    from jsscheck.model.days import parse_iso

    try:
        return parse_iso(value)
    except ValueError:
        raise UsageError(
            f"{option}: not a date (got '{value}')", hint="use YYYY-MM-DD, e.g. 2026-11-21"
        ) from None


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


#: (parameter, flag declaration, help) — one flag per MODEL.md parameter.
_RULE_FLAGS: tuple[tuple[str, tuple[str, ...], Any, str], ...] = (
    ("formula", ("--formula",), str | None, "net or share."),
    ("weighting", ("--weighting",), str | None, "tiers, count or dollars."),
    ("weight_cap", ("--weight-cap",), str | None, "Cap on a tiers weight."),
    ("windows", ("--windows",), str | None, "Windows in months, e.g. 6,12,24."),
    ("trending", ("--trending/--no-trending",), bool | None, "Let Trending compete."),
    ("anchor", ("--anchor",), str | None, "last-payment or end-date."),
    ("no_feedback", ("--no-feedback",), str | None, "exclude, negative or neutral."),
    ("zero_dollar", ("--zero-dollar",), str | None, "negative-only, exclude or count."),
    ("long_term_days", ("--long-term-days",), str | None, "Days, or none."),
    ("idle_open_days", ("--idle-open-days",), str | None, "Days, or none."),
    ("feedback_grace_days", ("--feedback-grace-days",), str | None, "Days."),
    ("use_public", ("--use-public/--no-use-public",), bool | None, "Read public feedback."),
    ("use_private", ("--private/--no-private",), bool | None, "Read private feedback."),
    ("public_success", ("--public-success",), str | None, "Stars counted as success."),
    ("public_negative", ("--public-negative",), str | None, "Stars below this are negative."),
    ("private_success", ("--private-success",), str | None, "0-10 counted as success."),
    ("private_negative", ("--private-negative",), str | None, "0-10 at or below: negative."),
    ("min_clients", ("--min-clients",), str | None, "Clients a window needs."),
    ("min_outcomes", ("--min-outcomes",), str | None, "Counted contracts a window needs."),
    ("rounding", ("--rounding",), str | None, "half-up or floor."),
    ("cadence", ("--cadence",), str | None, "daily or biweekly."),
)
_RULES_PANEL = "Rules"

F = TypeVar("F", bound=Callable[..., Any])


def with_rules(func: F) -> F:
    """Add the rules options to a command; it receives them as `rules: RuleChoice`."""
    signature = inspect.signature(func)
    # Resolve string annotations (from __future__) here: typer reads __signature__ as is.
    hints = typing.get_type_hints(func, include_extras=True)
    kept = [
        p.replace(annotation=hints.get(p.name, p.annotation))
        for p in signature.parameters.values()
        if p.name != "rules"
    ]
    added = [
        inspect.Parameter(
            "rules_preset",
            inspect.Parameter.KEYWORD_ONLY,
            default="upwork",
            annotation=Annotated[
                str,
                typer.Option(
                    "--rules",
                    "-r",
                    metavar="NAME",
                    help="Preset: upwork, public-only, legacy or fair (see `jsscheck rules list`).",
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
    for name, flags, kind, text in _RULE_FLAGS:
        added.append(
            inspect.Parameter(
                f"rule_{name}",
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=Annotated[
                    kind,
                    typer.Option(
                        *flags,
                        help=text,
                        rich_help_panel=_RULES_PANEL,
                        show_default=False,
                        metavar=None if kind is bool | None else "VALUE",
                    ),
                ],
            )
        )

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        overrides = {}
        for name, *_ in _RULE_FLAGS:
            value = kwargs.pop(f"rule_{name}")
            if value is not None:
                overrides[name] = value
        kwargs["rules"] = RuleChoice(
            preset=kwargs.pop("rules_preset"),
            rules_file=kwargs.pop("rules_file"),
            overrides=overrides,
        )
        return func(*args, **kwargs)

    wrapper.__signature__ = signature.replace(parameters=kept + added)  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


# --------------------------------------------------------------------------- reading input


def load_history(
    sources: list[str], *, dayfirst: bool, input_format: str | None, quiet: bool
) -> tuple[ContractArrays, ReadResult]:
    """Read the histories, print their warnings on stderr, and build the engine's columns."""
    from jsscheck.cli.output import warn
    from jsscheck.engine.arrays import ContractArrays
    from jsscheck.history import read_histories

    result = read_histories(sources, dayfirst=dayfirst, input_format=input_format)
    if not quiet:
        for message in result.warnings:
            warn(message)
    return ContractArrays.from_contracts(result.contracts), result


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


def latest_snapshot_day(store_path: str | None, profile: str) -> date | None:
    """The as-of date of the profile's latest stored snapshot, when a store exists."""
    from jsscheck.store.sqlite import SnapshotStore

    with SnapshotStore(store_path) as store:
        if not store.path.exists():
            return None
        latest = store.latest(profile)
    return date.fromisoformat(latest.as_of) if latest else None
