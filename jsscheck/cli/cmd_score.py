"""`jsscheck score`: the JSS as of a date, every window, every contract, Top Rated weeks."""

from __future__ import annotations

from typing import Annotated

import typer

from jsscheck.cli.options import (
    AsOfOpt,
    DayfirstOpt,
    HistoryArg,
    InputFormatOpt,
    QuietOpt,
    RuleChoice,
    format_option,
    load_history,
    parse_date_option,
    with_rules,
)

ScoreFormat = format_option("table", "json", "markdown")


@with_rules
def score(
    history: HistoryArg,
    rules: RuleChoice,
    as_of: AsOfOpt = None,
    compare: Annotated[
        bool,
        typer.Option("--compare", help="Put all presets (or those of --rules a,b) side by side."),
    ] = False,
    output_format: ScoreFormat = "table",
    dayfirst: DayfirstOpt = False,
    input_format: InputFormatOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """The JSS as of a date: every window's score, each contract's outcome and weight."""
    from jsscheck.analyses.score import score_document, score_report
    from jsscheck.cli.output import console, write_json, write_text
    from jsscheck.model.rules import PRESETS, load_rules_file, preset, with_overrides

    day = parse_date_option(as_of, "--as-of")
    arrays, read = load_history(history, dayfirst=dayfirst, input_format=input_format, quiet=quiet)
    warnings = tuple(read.warnings)
    if compare:
        if rules.rules_file:
            bases = [load_rules_file(rules.rules_file)]
        else:
            names = rules.presets() if "," in rules.preset or rules.preset != "upwork" else []
            bases = [preset(n) for n in (names or list(PRESETS))]
        rule_sets = [with_overrides(base, rules.overrides) for base in bases]
        docs = [score_document(score_report(arrays, r, day, warnings)) for r in rule_sets]
        if output_format == "json":
            write_json({"schema": "jsscheck.compare/1", "as_of": day.isoformat(), "results": docs})
            return
        from jsscheck.render.score import compare_headline, compare_table

        if output_format == "markdown":
            from jsscheck.render.markdown import table_markdown

            write_text(compare_headline(docs) + "\n\n" + table_markdown(compare_table(docs)))
            return
        out = console()
        out.print(compare_headline(docs), markup=False)
        out.print(compare_table(docs))
        return
    if "," in rules.preset:
        from jsscheck.errors import UsageError

        raise UsageError("--rules takes one preset", hint="several are for --compare")
    report = score_report(arrays, rules.resolve(), day, warnings)
    if output_format == "json":
        write_json(score_document(report, stream_contracts=True))
        return
    doc = score_document(report)
    from jsscheck.render.score import contracts_table, headline, render_score, windows_table

    if output_format == "markdown":
        from jsscheck.render.markdown import table_markdown

        write_text(
            "\n\n".join(
                [
                    headline(doc),
                    table_markdown(windows_table(doc)),
                    table_markdown(contracts_table(doc)),
                ]
            )
        )
        return
    render_score(console(), doc)


def register(app: typer.Typer) -> None:
    app.command(
        "score",
        help="The JSS as of a date: every window, each contract's outcome and weight, "
        "Top Rated weeks. --compare shows all presets side by side.",
    )(score)
