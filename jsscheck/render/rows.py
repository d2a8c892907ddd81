"""Tables as plain rows: the one shape every table format is made from.

A renderer builds a `PlainTable` of plain strings (user text exactly as written). The rich
table (`to_rich`), the markdown table (`jsscheck.render.markdown.table_markdown`) and CSV
are all made from those same rows, so a title such as `Beta [bold]Corp` reads the same
everywhere: `to_rich` escapes every cell with `markup()`, markdown only escapes `|`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from jsscheck.render.text import markup, plain

if TYPE_CHECKING:
    from rich.table import Table

Justify = Literal["left", "right"]


@dataclass(frozen=True)
class Column:
    """A column: its header, alignment, and optional styles for cells by their exact text."""

    header: str
    justify: Justify = "left"
    styles: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PlainTable:
    """A titled table of plain text cells, one tuple per row."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]

    def __post_init__(self) -> None:
        width = len(self.columns)
        for row in self.rows:
            if len(row) != width:
                raise ValueError(f"row {row!r} has {len(row)} cells, expected {width}")

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


def table(title: str, columns: Sequence[Column], rows: Sequence[Sequence[object]]) -> PlainTable:
    """A `PlainTable` from any cell values (each turned into plain text)."""
    return PlainTable(
        title=title,
        columns=tuple(columns),
        rows=tuple(tuple(plain(cell) for cell in row) for row in rows),
    )


def to_rich(plain_table: PlainTable) -> Table:
    """The rich `Table` of `plain_table`: every cell escaped, styled by its column."""
    from rich.table import Table

    rich_table = Table(title=markup(plain_table.title), title_justify="left")
    for column in plain_table.columns:
        rich_table.add_column(markup(column.header), justify=column.justify)
    for row in plain_table.rows:
        cells = []
        for column, cell in zip(plain_table.columns, row, strict=True):
            style = column.styles.get(cell)
            text = markup(cell)
            cells.append(f"[{style}]{text}[/]" if style and text else text)
        rich_table.add_row(*cells)
    return rich_table


def data_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> PlainTable:
    """A `PlainTable` holding the values as they are (numbers stay numbers, None stays None),
    for `Result.csv`: the CSV writer makes each cell safe itself (render/csvsafe.py)."""
    return PlainTable(
        title="", columns=tuple(Column(h) for h in headers), rows=tuple(tuple(r) for r in rows)
    )
