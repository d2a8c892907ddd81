"""The timeline for people in a terminal: a headline, a chart drawn with rich, the largest
moves and the Top Rated status.

The chart is a grid of characters: the displayed JSS as a heavy step line in the terminal's own
foreground colour (readable on light and dark backgrounds), every window as a
fainter dotted line with its own glyph (distinguishable without colour too), the 90% Top Rated
and 70% review levels as dashed lines, dates on the x axis, and the weekly Top Rated dates that
counted (JSS ≥ 90) shaded in colour and marked on a strip under the axis.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from rich.console import Console
from rich.table import Table
from rich.text import Text

from jsscheck.analyses.forecast import ForecastEvent
from jsscheck.analyses.timeline import REVIEW_BELOW, Timeline
from jsscheck.engine.evaluate import TOP_RATED_JSS
from jsscheck.render import money, signed
from jsscheck.render.forecast import (
    best_words,
    causes,
    event_clause,
    event_words,
    movement,
    window_words,
)
from jsscheck.render.phrases import points
from jsscheck.render.text import markup, plain

#: Rows of the plotting area.
CHART_HEIGHT = 16
_LABEL_WIDTH = 4  # "100 "
_RIGHT_WIDTH = 11  # " Top Rated"
_MIN_PLOT_WIDTH = 20
#: The terminal's default foreground: readable on light and dark terminals alike.
_JSS_STYLE = "default"
_TOP_STYLE = "green"
_REVIEW_STYLE = "red"
_SHADE = "on #183018"
_AXIS_STYLE = "grey50"
#: Glyph and style of each window line, by name; other windows cycle through `_SPARE`.
_WINDOW_LOOK: dict[str, tuple[str, str]] = {
    "3m": ("+", "dim yellow"),
    "6m": ("×", "dim magenta"),
    "12m": ("∘", "dim cyan"),
    "24m": ("·", "dim blue"),
    "trending": ("~", "dim bright_green"),
}
_SPARE = (("°", "dim white"), ("*", "dim yellow"), ("-", "dim magenta"))


def _window_look(name: str, index: int) -> tuple[str, str]:
    return _WINDOW_LOOK.get(name, _SPARE[index % len(_SPARE)])


def _window_label(name: str) -> str:
    return "Trending" if name == "trending" else name


@dataclass
class _Grid:
    """Characters and styles, row 0 at the top."""

    width: int
    height: int

    def __post_init__(self) -> None:
        self.chars = [[" "] * self.width for _ in range(self.height)]
        self.styles = [[""] * self.width for _ in range(self.height)]
        self.background = [""] * self.width

    def put(self, row: int, col: int, char: str, style: str) -> None:
        if 0 <= row < self.height and 0 <= col < self.width:
            self.chars[row][col] = char
            self.styles[row][col] = style

    def line(self, row: int) -> Text:
        text = Text()
        for col in range(self.width):
            style = " ".join(s for s in (self.styles[row][col], self.background[col]) if s)
            text.append(self.chars[row][col], style=style or None)
        return text


class _Scale:
    """Maps dates to columns and scores to rows."""

    def __init__(self, first: date, last: date, width: int, low: float, height: int) -> None:
        self.first, self.width, self.low, self.height = first, width, low, height
        self.days = (last - first).days + 1

    def column(self, day: date) -> int:
        return min(self.width - 1, max(0, (day - self.first).days * self.width // self.days))

    def column_days(self, col: int) -> tuple[date, date]:
        """The first and last day drawn in column `col`."""
        start = -(-col * self.days // self.width)
        end = -(-(col + 1) * self.days // self.width) - 1
        return self.first + timedelta(days=start), self.first + timedelta(days=max(start, end))

    def row(self, value: float) -> int:
        fraction = (100.0 - value) / (100.0 - self.low)
        return min(self.height - 1, max(0, round(fraction * (self.height - 1))))


#: Steps of the y-axis labels, the finest first: labels are 100, 100 − step, … (all of them).
_LABEL_STEPS = (10, 20, 25, 50, 100)


def _lowest(timeline: Timeline) -> float:
    """The lowest value to show: every value and the review line."""
    values = [REVIEW_BELOW - 5.0]
    for p in timeline.points:
        if p.jss is not None:
            values.append(float(p.jss))
        values.extend(v for v in p.windows.values() if v is not None)
    return max(0.0, min(values))


def _y_axis(timeline: Timeline, height: int) -> tuple[float, int]:
    """The bottom of the y axis and the label step: the finest step whose labels (100, 100 −
    step, … down to the bottom, a multiple of the step) are at least two rows apart, so the
    labels are evenly spaced (100, 80, 60, 40, …), never 100, 80, 70, 50."""
    lowest = _lowest(timeline)
    for step in _LABEL_STEPS:
        low = max(0.0, math.floor(lowest / step) * step)
        if low >= 100:
            low = 100.0 - step
        scale = _Scale(timeline.first, timeline.last, 1, low, height)
        rows = [scale.row(v) for v in range(100, int(low) - 1, -step)]
        gaps = {b - a for a, b in zip(rows, rows[1:], strict=False)}
        if min(gaps, default=2) >= 2:
            return low, step
    return 0.0, 100


def _columns(timeline: Timeline, scale: _Scale, series: str) -> list[list[float | None]]:
    """Each column's values of one series (`"jss"` or a window), carried forward where a
    column holds no point (the score shown stays until the next point)."""
    by_column: list[list[float | None]] = [[] for _ in range(scale.width)]
    for p in timeline.points:
        value = (None if p.jss is None else float(p.jss)) if series == "jss" else p.windows[series]
        by_column[scale.column(p.day)].append(value)
    started = False
    previous: float | None = None
    for col, values in enumerate(by_column):
        if values:
            started = True
            previous = values[-1]
        elif started:
            by_column[col] = [previous]
    return by_column


def _draw_jss(grid: _Grid, scale: _Scale, columns: list[list[float | None]]) -> None:
    """A step line: ━ where the score holds, ┃ with corners where it moves."""
    previous_row: int | None = None
    for col, values in enumerate(columns):
        rows = [scale.row(v) for v in values if v is not None]
        if not rows:
            previous_row = None
            continue
        last_row = rows[-1]
        span = rows + ([previous_row] if previous_row is not None else [])
        top, bottom = min(span), max(span)
        if top == bottom:
            grid.put(last_row, col, "━", _JSS_STYLE)
        else:
            for row in range(top, bottom + 1):
                grid.put(row, col, "┃", _JSS_STYLE)
            if previous_row is not None and previous_row != last_row:
                down = previous_row < last_row
                grid.put(previous_row, col, "┓" if down else "┛", _JSS_STYLE)
                grid.put(last_row, col, "┗" if down else "┏", _JSS_STYLE)
        previous_row = last_row


def _month_ticks(first: date, last: date, scale: _Scale) -> list[tuple[int, str]]:
    """(column, label) at month starts, thinned so that labels never touch."""
    months = []
    day = date(first.year, first.month, 1)
    while day <= last:
        if day >= first:
            months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    if not months:
        return [(0, first.isoformat())]
    for every in (1, 2, 3, 4, 6, 12, 24):
        chosen = [m for m in months if (m.month - 1) % every == 0 or every > 12]
        if every > 12:
            chosen = [m for m in months if m.month == 1 and m.year % (every // 12) == 0]
        columns = [scale.column(m) for m in chosen]
        if all(b - a >= 9 for a, b in zip(columns, columns[1:], strict=False)):
            break
    return [(scale.column(m), f"{m:%Y-%m}") for m in chosen]


def timeline_chart(timeline: Timeline, width: int, height: int = CHART_HEIGHT) -> Text:
    """The chart as rich text `width` columns wide (styles are dropped without colour)."""
    plot_width = max(_MIN_PLOT_WIDTH, width - _LABEL_WIDTH - 1 - _RIGHT_WIDTH)
    low, label_step = _y_axis(timeline, height)
    scale = _Scale(timeline.first, timeline.last, plot_width, low, height)
    grid = _Grid(plot_width, height)

    eligible_columns: set[int] = set()
    counted_columns: set[int] = set()
    for week in timeline.weeks:
        start = scale.column(max(timeline.first, week.day - timedelta(days=6)))
        cols = range(start, scale.column(week.day) + 1)
        counted_columns.update(cols)
        if week.eligible:
            eligible_columns.update(cols)
    for col in eligible_columns:
        grid.background[col] = _SHADE

    levels = {TOP_RATED_JSS: _TOP_STYLE, REVIEW_BELOW: _REVIEW_STYLE}
    for level, style in levels.items():
        row = scale.row(level)
        for col in range(plot_width):
            grid.put(row, col, "╌", style)
    for index, name in enumerate(timeline.window_names):
        glyph, style = _window_look(name, index)
        for col, values in enumerate(_columns(timeline, scale, name)):
            if values and values[-1] is not None:
                grid.put(scale.row(values[-1]), col, glyph, style)
    _draw_jss(grid, scale, _columns(timeline, scale, "jss"))

    labelled = {scale.row(v): str(v) for v in range(100, int(low) - 1, -label_step)}
    right = {scale.row(TOP_RATED_JSS): ("Top Rated", _TOP_STYLE)}
    right[scale.row(REVIEW_BELOW)] = ("review", _REVIEW_STYLE)

    out = Text()
    for row in range(height):
        out.append(f"{labelled.get(row, ''):>{_LABEL_WIDTH - 1}} ", style=_AXIS_STYLE)
        out.append("┤" if row in labelled else "│", style=_AXIS_STYLE)
        out.append_text(grid.line(row))
        if row in right:
            out.append(f" {right[row][0]}", style=right[row][1])
        out.append("\n")

    ticks = _month_ticks(timeline.first, timeline.last, scale)
    axis = ["─"] * plot_width
    labels = [" "] * plot_width
    for col, label in ticks:
        axis[col] = "┬"
        if col + len(label) <= plot_width:
            labels[col : col + len(label)] = list(label)
    out.append(" " * _LABEL_WIDTH + "└" + "".join(axis) + "\n", style=_AXIS_STYLE)
    out.append(" " * (_LABEL_WIDTH + 1) + "".join(labels).rstrip() + "\n", style=_AXIS_STYLE)

    out.append(" " * (_LABEL_WIDTH + 1))
    for col in range(plot_width):
        if col in eligible_columns:
            out.append("█", style=_TOP_STYLE)
        elif col in counted_columns:
            out.append("·", style="dim")
        else:
            out.append(" ")
    out.append(" weeks ≥ 90", style=_TOP_STYLE)
    out.append("\n")
    out.append_text(_legend(timeline))
    return out


def _legend(timeline: Timeline) -> Text:
    legend = Text(" " * (_LABEL_WIDTH + 1))
    legend.append("━ JSS", style=_JSS_STYLE)
    for index, name in enumerate(timeline.window_names):
        glyph, style = _window_look(name, index)
        legend.append("  ")
        legend.append(f"{glyph} {_window_label(name)}", style=style)
    legend.append("  ")
    legend.append(f"╌ {TOP_RATED_JSS}% Top Rated", style=_TOP_STYLE)
    legend.append("  ")
    legend.append(f"╌ {REVIEW_BELOW}% review", style=_REVIEW_STYLE)
    legend.append("  ")
    legend.append("█ week ≥ 90%", style=_TOP_STYLE)
    return legend


def headline(
    timeline: Timeline,
    moves: Sequence[ForecastEvent] = (),
    titles: dict[str, str] | None = None,
) -> str:
    """The largest move first, naming the contract that made it (MODEL.md 9.2), then the
    score at the end of the range and how it moved over it."""
    largest = _largest_move_sentence(timeline, moves, titles or {})
    now = _range_sentences(timeline)
    return f"{largest} {now}" if largest else now


def _largest_move_sentence(
    timeline: Timeline, moves: Sequence[ForecastEvent], titles: dict[str, str]
) -> str | None:
    """`On 2025-09-28 'Instagram posts (monthly)' leaves your 3-month window (−9.3 points) and
    your JSS falls from 91% to 81%: the largest move since 2025-09-01.`"""
    if not moves:
        return None
    move = moves[0]
    found = causes(move)
    if not found:
        return None
    main = found[0]
    clause = event_clause(main, titles, timeline.rules)
    if abs(main.effect) >= 0.05:
        clause += f" ({points(main.effect)})"
    others = len(found) - 1
    if others:
        clause += f" with {others} other contract{'s' if others > 1 else ''}"
    return f"On {move.day} {clause} and {movement(move)}: the largest move since {timeline.first}."


def _range_sentences(timeline: Timeline) -> str:
    """The score at the end of the range and how it moved over it."""
    rules = timeline.rules.name
    scored = [p for p in timeline.points if p.jss is not None]
    end = timeline.points[-1] if timeline.points else None
    if end is None or end.jss is None:
        now = f"You have no JSS on {timeline.last} (not enough history, {rules} rules)."
    else:
        now = f"Your JSS on {end.day} is {end.jss}% ({window_words(end.best)}, {rules} rules)."
    if not scored:
        return now + f" There was no score between {timeline.first} and {timeline.last}."
    low = min(scored, key=lambda p: (p.jss, p.day))
    high = max(scored, key=lambda p: (p.jss, p.day))
    if low.jss == high.jss:
        return now + f" It stayed at {low.jss}% from {scored[0].day} on."
    return (
        now + f" Since {timeline.first} it ranged from {low.jss}% ({low.day}) "
        f"to {high.jss}% ({high.day})."
    )


def move_cause(move: ForecastEvent, timeline: Timeline, titles: dict[str, str]) -> str:
    """The main cause of a move in plain words, naming the contract by its title:
    `'Logo redesign' leaves your 6-month window: −4.0 points`."""
    found = causes(move)
    if found:
        text = event_words(found[0], titles, timeline.rules)
        others = len(found) - 1
        if others:
            text += f" (and {others} other contract{'s' if others > 1 else ''})"
        return text
    return best_words(move) or "the windows change"


def moves_table(moves: list[ForecastEvent], timeline: Timeline, titles: dict[str, str]) -> Table:
    """The largest changes of the displayed JSS, largest first, with their main cause
    (`titles`: contract id → title, to name it)."""
    table = Table(
        title=f"The {len(moves)} largest moves" if len(moves) != 1 else "The largest move",
        title_justify="left",
    )
    table.add_column("Date")
    table.add_column("JSS", justify="right")
    table.add_column("Change", justify="right")
    table.add_column("Main cause")
    for move in moves:
        step = move.change
        before = "—" if step.jss_before is None else f"{step.jss_before}%"
        after = "—" if step.jss_after is None else f"{step.jss_after}%"
        if step.jss_before is None or step.jss_after is None:
            change = "appeared" if step.jss_before is None else "vanished"
        else:
            delta = step.jss_after - step.jss_before
            colour = "red" if delta < 0 else "green"
            change = f"[{colour}]{signed(delta, 0)}[/]"
        cause = markup(move_cause(move, timeline, titles))
        table.add_row(step.day.isoformat(), f"{before} → {after}", change, cause)
    return table


def top_rated_status(timeline: Timeline) -> Text:
    """ "13 of the last 16 weeks ≥ 90%", the weeks as a strip (oldest first), and eligibility."""
    top = timeline.top_rated
    text = Text("Top Rated: ")
    text.append(
        f"{top.eligible_weeks} of the last {top.weeks} weeks ≥ {TOP_RATED_JSS}% ",
        style="bold",
    )
    for jss in reversed(top.week_jss):
        eligible = jss is not None and jss >= TOP_RATED_JSS
        text.append("■" if eligible else "□", style=_TOP_STYLE if eligible else "dim")
    text.append(f" (13 needed), {money(top.earnings_12m)} earned in 12 months ($1,000 needed) — ")
    eligible = timeline.top_rated_eligible
    text.append(
        "eligible." if eligible else "not eligible.",
        style=_TOP_STYLE if eligible else _REVIEW_STYLE,
    )
    return text


def render_timeline(
    console: Console, timeline: Timeline, moves: list[ForecastEvent], titles: dict[str, str]
) -> None:
    """Headline, chart, largest moves, Top Rated status."""
    console.print(plain(headline(timeline, moves, titles)), markup=False)
    console.print()
    console.print(timeline_chart(timeline, console.width), soft_wrap=True)
    if moves:
        console.print()
        console.print(moves_table(moves, timeline, titles))
    console.print()
    console.print(top_rated_status(timeline))
