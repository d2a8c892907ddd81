"""Markdown for pasting into a support ticket or a forum post.

Made from the same `PlainTable` rows as the terminal table: user text stays exactly as written
(`Beta [bold]Corp`), only `|` and line breaks are escaped for the markdown table syntax.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jsscheck.render.rows import Column, PlainTable, table
from jsscheck.render.text import plain

if TYPE_CHECKING:
    from rich.table import Table


def _cell(value: object) -> str:
    return plain(value).replace("|", "\\|")


def table_markdown(source: PlainTable | Table) -> str:
    """A GitHub-flavoured markdown table (styles dropped).

    A rich `Table` is still accepted while renderers move to `PlainTable`: its cells are
    parsed as the markup they are (never stripped with a pattern), so escaped user text
    comes back exactly.
    """
    rows = source if isinstance(source, PlainTable) else from_rich(source)
    lines = []
    if rows.title:
        lines.append(f"**{_cell(rows.title)}**\n")
    lines.append("| " + " | ".join(_cell(h) for h in rows.headers) + " |")
    lines.append(
        "|" + "|".join("---:" if c.justify == "right" else "---" for c in rows.columns) + "|"
    )
    for row in rows.rows:
        lines.append("| " + " | ".join(_cell(v) for v in row) + " |")
    return "\n".join(lines)


def from_rich(rich_table: Table) -> PlainTable:
    """The plain rows of a rich `Table` whose cells are markup strings or `Text`."""
    from rich.text import Text

    def text_of(cell: object) -> str:
        if isinstance(cell, Text):
            return cell.plain
        return Text.from_markup(str(cell)).plain

    columns = [
        Column(text_of(c.header), "right" if c.justify == "right" else "left")
        for c in rich_table.columns
    ]
    cells = [[text_of(cell) for cell in c.cells] for c in rich_table.columns]
    title = text_of(rich_table.title) if rich_table.title else ""
    return table(title, columns, list(zip(*cells, strict=True)) if cells else [])
