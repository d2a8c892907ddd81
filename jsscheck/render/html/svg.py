"""The two-year chart of the displayed JSS as inline SVG, drawn from the report document.

No library: lines, rectangles and text in a `viewBox`, so it scales to any width, prints,
and follows the page's light or dark colours (its classes are styled by the page's CSS).
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

WIDTH = 800
HEIGHT = 360
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 16, 16, 40
#: Characters of a move's label next to its point (the full text is listed under the chart).
LABEL_CHARS = 34


def _shorten(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class _Scale:
    def __init__(self, first: date, last: date) -> None:
        self.first = first
        self.days = max((last - first).days, 1)

    def x(self, day: date) -> float:
        inner = WIDTH - _LEFT - _RIGHT
        return round(_LEFT + inner * (day - self.first).days / self.days, 1)

    @staticmethod
    def y(jss: float) -> float:
        inner = HEIGHT - _TOP - _BOTTOM
        return round(_TOP + inner * (100 - jss) / 100, 1)


def _segments(points: list[dict[str, Any]], scale: _Scale) -> list[str]:
    """The JSS line, broken where there is no score."""
    out: list[str] = []
    current: list[str] = []
    for p in points:
        if p["jss"] is None:
            if current:
                out.append(" ".join(current))
            current = []
            continue
        day = date.fromisoformat(p["date"])
        current.append(f"{scale.x(day)},{scale.y(p['jss'])}")
    if current:
        out.append(" ".join(current))
    return out


def _year_ticks(first: date, last: date) -> list[date]:
    """The first day of each quarter in the range."""
    ticks: list[date] = []
    year, month = first.year, ((first.month - 1) // 3) * 3 + 1
    while True:
        month += 3
        if month > 12:
            year, month = year + 1, month - 12
        day = date(year, month, 1)
        if day > last:
            return ticks
        ticks.append(day)


def chart_svg(chart: dict[str, Any]) -> str:
    """The `<svg>` element of the report's chart section (`title` and `desc` for readers)."""
    first, last = date.fromisoformat(chart["from"]), date.fromisoformat(chart["to"])
    scale = _Scale(first, last)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        'aria-labelledby="chart-title chart-desc">',
        '<title id="chart-title">Your displayed JSS over two years</title>',
        f'<desc id="chart-desc">{escape(chart["headline"])} The dashed line marks 90% '
        "(Top Rated), the dotted line 70% (review risk); shaded weeks were Top Rated weeks. "
        "The largest moves are labelled with their main contract.</desc>",
    ]
    for x1, x2 in _week_bands(chart["weeks"], scale):
        parts.append(
            f'<rect class="top-week" x="{x1:.1f}" y="{_TOP}" '
            f'width="{x2 - x1:.1f}" height="{HEIGHT - _TOP - _BOTTOM}"/>'
        )
    for jss in (0, 25, 50, 75, 100):
        y = scale.y(jss)
        parts.append(f'<line class="grid" x1="{_LEFT}" x2="{WIDTH - _RIGHT}" y1="{y}" y2="{y}"/>')
        parts.append(
            f'<text class="axis" x="{_LEFT - 6}" y="{y + 4}" text-anchor="end">{jss}%</text>'
        )
    for tick in _year_ticks(first, last):
        x = scale.x(tick)
        label = tick.strftime("%b %Y")
        parts.append(
            f'<line class="grid" x1="{x}" x2="{x}" y1="{_TOP}" y2="{HEIGHT - _BOTTOM}"/>'
            f'<text class="axis" x="{x}" y="{HEIGHT - _BOTTOM + 16}" '
            f'text-anchor="middle">{label}</text>'
        )
    for jss, cls, label in ((90, "line-90", "90% Top Rated"), (70, "line-70", "70% review risk")):
        y = scale.y(jss)
        parts.append(
            f'<line class="{cls}" x1="{_LEFT}" x2="{WIDTH - _RIGHT}" y1="{y}" y2="{y}"/>'
            f'<text class="limit" x="{WIDTH - _RIGHT - 4}" y="{y - 4}" '
            f'text-anchor="end">{label}</text>'
        )
    for segment in _segments(chart["points"], scale):
        parts.append(f'<polyline class="jss" points="{segment}"/>')
    placed: list[tuple[float, float, float]] = []  # (left, right, baseline) of each label
    for n, move in enumerate(chart["moves"], 1):
        after = move["jss_after"] if move["jss_after"] is not None else move["jss_before"]
        if after is None:
            continue
        day = date.fromisoformat(move["date"])
        x, y = scale.x(day), scale.y(after)
        text = f"{n}. {_shorten(move['cause'])}"
        right = x > WIDTH * 0.6
        width = 6.6 * len(text)
        left = x - 6 - width if right else x + 6
        base = _free_line(placed, left, left + width, y + (18 if y < _TOP + 24 else -8))
        placed.append((left, left + width, base))
        parts.append(
            f'<circle class="move" cx="{x}" cy="{y}" r="4"/>'
            f'<text class="move-label" x="{x + (-6 if right else 6)}" y="{base}" '
            f'text-anchor="{"end" if right else "start"}">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def _px_per_day(scale: _Scale) -> float:
    return (WIDTH - _LEFT - _RIGHT) / scale.days


def _free_line(
    placed: list[tuple[float, float, float]], left: float, right: float, y: float
) -> float:
    """The nearest baseline to `y` (in 15-pixel steps) where a label does not cover another."""
    for k in range(40):
        offset = 15 * ((k + 1) // 2) * (1 if k % 2 else -1)
        base = y + offset
        if not _TOP + 10 <= base <= HEIGHT - _BOTTOM - 2:
            continue
        if all(r < left or right < lo or abs(b - base) >= 15 for lo, r, b in placed):
            return base
    return y


def _week_bands(weeks: list[dict[str, Any]], scale: _Scale) -> list[tuple[float, float]]:
    """The shaded x ranges: each Top Rated week (the 7 days up to its date), joined into runs."""
    bands: list[tuple[float, float]] = []
    for w in weeks:
        if not w["top_rated"]:
            continue
        end = scale.x(date.fromisoformat(w["date"]))
        start = max(end - 7 * _px_per_day(scale), _LEFT)
        if bands and start <= bands[-1][1] + 0.5:
            bands[-1] = (bands[-1][0], end)
        else:
            bands.append((start, end))
    return bands
