"""`jsscheck help terms`: the words jsscheck uses (window, Trending, weight, …) explained."""

from __future__ import annotations

from typing import Annotated

import typer

from jsscheck.cli.options import format_choice

help_app = typer.Typer(
    help="Explanations beyond --help.", no_args_is_help=True, rich_markup_mode=None
)
TermsFormat = format_choice("table", "json", "markdown")


@help_app.command("terms")
def terms(output_format: Annotated[str, TermsFormat] = "table") -> None:
    """Window, Trending, weight, anchor, outcome, Top Rated, review risk in plain words."""
    from jsscheck.cli.output import Result, emit
    from jsscheck.render import glossary

    emit(
        Result(
            document=glossary.terms_document(),
            draw=glossary.render_terms,
            text={"markdown": glossary.terms_markdown()},
        ),
        output_format,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(help_app, name="help", help="The words jsscheck uses, explained: help terms.")
