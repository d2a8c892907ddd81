"""Markdown for pasting into a support ticket or a forum post."""

from __future__ import annotations

import re

from rich.table import Table

_MARKUP = re.compile(r"\[/?[a-z ]*\]")


def _cell(value: object) -> str:
    text = _MARKUP.sub("", str(value))
    return text.replace("|", "\\|").replace("\n", " ")


def table_markdown(table: Table) -> str:
    """A rich Table as a GitHub-flavoured markdown table (styles dropped)."""
    headers = [_cell(c.header) for c in table.columns]
    cells = [list(c.cells) for c in table.columns]
    rows = list(zip(*cells, strict=True)) if cells else []
    lines = []
    if table.title:
        lines.append(f"**{_cell(table.title)}**\n")
    lines.append("| " + " | ".join(headers) + " |")
    lines.append(
        "|" + "|".join("---:" if c.justify == "right" else "---" for c in table.columns) + "|"
    )
    for row in rows:
        lines.append("| " + " | ".join(_cell(v) for v in row) + " |")
    return "\n".join(lines)
