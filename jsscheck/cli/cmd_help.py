"""`jsscheck help terms`: the words jsscheck uses (window, Trending, weight, …) explained."""

from __future__ import annotations

import typer

from jsscheck.cli.options import format_option

help_app = typer.Typer(
    help="Explanations beyond --help.", no_args_is_help=True, rich_markup_mode=None
)
TermsFormat = format_option("table", "json", "markdown")


@help_app.command("terms")
def terms(output_format: TermsFormat = "table") -> None:
    """Window, Trending, weight, anchor, outcome, Top Rated, review risk in plain words."""
    from jsscheck.cli.output import console, write_json, write_text
    from jsscheck.render import glossary

    if output_format == "json":
        write_json(glossary.terms_document())
    elif output_format == "markdown":
        write_text(glossary.terms_markdown())
    else:
        glossary.render_terms(console())


def register(app: typer.Typer) -> None:
    app.add_typer(help_app, name="help", help="The words jsscheck uses, explained: help terms.")
