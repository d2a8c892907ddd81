"""`jsscheck whatif`: the score after edits to the history and/or the rules, and why."""

from __future__ import annotations

from typing import Annotated

import typer

from jsscheck.cli.inputs import InputChoice, with_input
from jsscheck.cli.options import (
    AsOfOpt,
    HistoryArg,
    QuietOpt,
    RuleChoice,
    format_choice,
    parse_date_option,
    with_rules,
)

WhatifFormat = format_choice("table", "json", "markdown")
_EDITS = "Edits"


@with_rules
@with_input
def whatif(
    history: HistoryArg,
    rules: RuleChoice,
    reading: InputChoice,
    close_contract: Annotated[
        list[str] | None,
        typer.Option(
            "--close-contract",
            metavar="ID[,public=..,private=..,on=DATE]",
            help="End an open contract (default: on --as-of, no feedback). Repeatable.",
            rich_help_panel=_EDITS,
        ),
    ] = None,
    add_contract: Annotated[
        list[str] | None,
        typer.Option(
            "--add-contract",
            metavar="earnings=..,public=..,client=..,days=..",
            help="Add a contract ending on --as-of (optional id=, private=, on=, title=). "
            "Repeatable.",
            rich_help_panel=_EDITS,
        ),
    ] = None,
    drop_contract: Annotated[
        list[str] | None,
        typer.Option(
            "--drop-contract",
            metavar="ID",
            help="Remove a contract. Repeatable.",
            rich_help_panel=_EDITS,
        ),
    ] = None,
    set_field: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="ID,field=value",
            help="Change fields of a contract (public=, private= or any history field). "
            "Repeatable.",
            rich_help_panel=_EDITS,
        ),
    ] = None,
    close_open: Annotated[
        bool,
        typer.Option(
            "--close-open",
            help="Close each open contract on its own (no feedback / 5 stars) and suggest an "
            "order that never lowers the score (at most the 10 open contracts unpaid the "
            "longest).",
            rich_help_panel=_EDITS,
        ),
    ] = False,
    as_of: AsOfOpt = None,
    output_format: Annotated[str, WhatifFormat] = "table",
    quiet: QuietOpt = False,
) -> None:
    """The score after edits, before/after every window, and what the edits changed.

    --rules/--rules-file set the baseline; the single-parameter rule flags, like the edits,
    change the scenario only.
    """
    from jsscheck.analyses.edits import apply_edits, parse_edits
    from jsscheck.analyses.whatif import close_open_advice
    from jsscheck.analyses.whatif import whatif as run_whatif
    from jsscheck.cli.output import Result, emit
    from jsscheck.render import whatif as words

    day = parse_date_option(as_of, "--as-of")
    edits = parse_edits(
        close=close_contract or (),
        add=add_contract or (),
        drop=drop_contract or (),
        set_fields=set_field or (),
    )
    baseline, scenario = rules.base(), rules.resolve()
    _, read = reading.load(history, quiet=quiet)
    if close_open:
        edited = apply_edits(read.contracts, edits, day)
        advice = close_open_advice(edited, scenario, day)
        emit(
            Result(
                document=words.advice_document(advice),
                draw=lambda out: words.render_advice(out, advice),
                text={"markdown": words.advice_markdown(advice)},
            ),
            output_format,
        )
        return
    if not edits and baseline.params() == scenario.params():
        from jsscheck.errors import UsageError

        raise UsageError(
            "whatif needs an edit or a rule flag",
            hint='e.g. --close-contract 4521, --add-contract "earnings=500,public=5,client=Acme,'
            'days=30", --no-feedback negative, or --close-open',
        )
    result = run_whatif(read.contracts, baseline, scenario, day, edits, read.covered_from)
    emit(
        Result(
            document=words.whatif_document(result, encoded=True),
            draw=lambda out: words.render_whatif(out, result),
            text={"markdown": words.whatif_markdown(result)},
            warnings=words.whatif_warnings(result),
        ),
        output_format,
        quiet=quiet,
    )


def register(app: typer.Typer) -> None:
    app.command(
        "whatif",
        help="The score after edits (--close-contract, --add-contract, --drop-contract, --set) "
        "or other rules, with the same attribution as explain; --close-open advises which "
        "open contracts to close, in what order.",
    )(whatif)
