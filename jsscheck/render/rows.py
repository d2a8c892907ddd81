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

#: The most rows a people's table with one row per contract (or per problem) shows: a table of
#: 100,000 contracts takes minutes to lay out and nobody reads it. JSON and CSV list every row.
TABLE_ROWS = 50


def more_rows_line(
    more: int, noun: str, plural: str | None = None, formats: tuple[str, ...] = ("json", "csv")
) -> str:
    """`99,950 more contracts — use --format json or --format csv to see them all, or --all.`:
    what a table cut at `TABLE_ROWS` rows left out, and how to see it (`formats`: those the
    command prints)."""
    nouns = noun if more == 1 else plural or noun + "s"
    ways = " or ".join(f"--format {f}" for f in formats)
    return f"{more:,} more {nouns} — use {ways} to see them all, or --all."


@dataclass(frozen=True)
class Column:
    """A column: its header, alignment, optional styles for cells by their exact text, and
    whether its cells must stay whole on a narrow terminal (`keep`; numbers always do)."""

    header: str
    justify: Justify = "left"
    styles: Mapping[str, str] = field(default_factory=dict)
    #: Never wrapped nor shortened on a narrow terminal (a date); right-aligned columns (numbers)
    #: never are either.
    keep: bool = False


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
    """The rich `Table` of `plain_table`: every cell escaped, styled by its column.

    On a terminal too narrow for it, text columns wrap (a word longer than the column folds,
    never cut short) and numbers and dates (`keep` columns) stay whole: `80.60%`, never `80.…`.
    """
    from rich.text import Text

    kept = [c.keep or c.justify == "right" for c in plain_table.columns]
    widest = [
        max((len(row[index]) for row in plain_table.rows), default=0)
        for index in range(len(plain_table.columns))
    ]
    rich_table: Table = _fitting_table_class()(
        [w if keep else 0 for w, keep in zip(widest, kept, strict=True)],
        title=markup(plain_table.title),
        title_justify="left",
    )
    for column, keep in zip(plain_table.columns, kept, strict=True):
        header = Text(markup(column.header), overflow="fold", no_wrap=False)
        rich_table.add_column(header, justify=column.justify, no_wrap=keep, overflow="fold")
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


#: The narrowest a text column gets while other columns can still give way (without padding).
_TEXT_FLOOR = 10


def _fitting_table_class() -> Any:
    """A rich `Table` whose column widths give way in order on a narrow terminal: text columns
    down to 10 characters, then the headers of number columns (they fold), then text columns
    down to 4 and 1 — number and date cells never shrink below their widest value."""
    from rich.table import Table

    class FittingTable(Table):
        def __init__(self, kept_widths: list[int], **options: Any) -> None:
            super().__init__(**options)
            #: Per column: the widest cell of a kept (number, date) column, else 0.
            self.kept_widths = kept_widths

        def _calculate_column_widths(self, console: Any, options: Any) -> list[int]:
            columns = self.columns
            natural = [
                self._measure_column(console, options, column).maximum or 1 for column in columns
            ]
            widths = list(natural)
            if sum(widths) <= options.max_width:
                return widths
            pads = [self._get_padding_width(column._index) for column in columns]
            stages = [(_TEXT_FLOOR, False), (_TEXT_FLOOR, True), (4, True), (1, True)]
            for text_floor, fold_headers in stages:
                floors = [
                    (kept + pad if fold_headers else full) if kept else min(full, text_floor + pad)
                    for full, kept, pad in zip(natural, self.kept_widths, pads, strict=True)
                ]
                floors = [max(floor, 1) for floor in floors]
                while sum(widths) > options.max_width:
                    shrinkable = [i for i, w in enumerate(widths) if w > floors[i]]
                    if not shrinkable:
                        break
                    widths[max(shrinkable, key=lambda i: widths[i])] -= 1
            if sum(widths) > options.max_width:  # nothing else gives way: all columns do
                from rich._ratio import ratio_reduce

                excess = sum(widths) - options.max_width
                widths = ratio_reduce(excess, [1] * len(widths), widths, widths)
            return [
                self._measure_column(console, options.update_width(width), column).maximum or width
                for width, column in zip(widths, columns, strict=True)
            ]

    return FittingTable
