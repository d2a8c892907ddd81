"""The timeline as an image (`--plot FILE.png|FILE.svg`), drawn with matplotlib.

matplotlib is an optional extra (`pip install 'jsscheck[plot]'`): it is imported only here, only
when an image is asked for, with the non-interactive Agg backend.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from jsscheck.analyses.forecast import ForecastEvent
from jsscheck.analyses.timeline import REVIEW_BELOW, Timeline
from jsscheck.engine.evaluate import TOP_RATED_JSS
from jsscheck.errors import UsageError
from jsscheck.render import candidate_words
from jsscheck.render.forecast import causes, contract_label, window_words
from jsscheck.render.text import plain

INSTALL_COMMAND = "pip install 'jsscheck[plot]'"
#: The image: 12 × 6 inches at 100 dots per inch, 1200 × 600 pixels.
FIGURE_INCHES = (12.0, 6.0)
DPI = 100
FORMATS = {".png": "png", ".svg": "svg"}
_WINDOW_COLOURS = {
    "3m": "#e6a700",
    "6m": "#b04fc7",
    "12m": "#1f9bb4",
    "24m": "#3a5fcd",
    "trending": "#6a9f3a",
}
#: Longest cause shown beside a move on the image.
_CAUSE_CHARS = 30
_SPARE_COLOURS = ("#8c564b", "#7f7f7f", "#bcbd22")
_WINDOW_DASHES = {
    "3m": (1, 2),
    "6m": (4, 2),
    "12m": (6, 2, 1, 2),
    "24m": (8, 3),
    "trending": (2, 1),
}


def image_format(path: str) -> str:
    """`png` or `svg`, from the file name; a usage error for anything else."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(
            f"--plot {path}: cannot tell the image format",
            hint="name the file .png or .svg",
        )
    return FORMATS[suffix]


def check_plot_target(path: str) -> None:
    """Fail before any work when the image cannot be drawn: a bad name, no matplotlib."""
    image_format(path)
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise UsageError(
            "--plot needs matplotlib, which is not installed",
            hint=f"install it with: {INSTALL_COMMAND}",
        ) from None


def plot_timeline(
    timeline: Timeline, moves: list[ForecastEvent], path: str, titles: dict[str, str] | None = None
) -> bytes:
    """The chart as PNG or SVG bytes (format from `path`'s suffix); the largest `moves` are
    labelled with their main cause, named by its title from `titles` when there is one."""
    fmt = image_format(path)
    check_plot_target(path)
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=FIGURE_INCHES, dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    FigureCanvasAgg(figure)
    _separate(_draw(axes, timeline, moves, titles or {}))
    buffer = io.BytesIO()
    metadata: dict[str, Any] = {"Software": "jsscheck"}
    if fmt == "svg":
        metadata = {"Creator": "jsscheck", "Date": None}
    figure.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata)
    return buffer.getvalue()


def _draw(
    axes: Any, timeline: Timeline, moves: list[ForecastEvent], titles: dict[str, str]
) -> list[Any]:
    """Everything on the axes; returns the move labels (to keep them apart once laid out)."""
    import matplotlib.dates as mdates

    days = [p.day for p in timeline.points]
    first_shade = True
    for week in timeline.weeks:
        if week.eligible:
            axes.axvspan(
                week.day - timedelta(days=6),
                week.day + timedelta(days=1),
                color="#2ca02c",
                alpha=0.12,
                linewidth=0,
                label=f"Top Rated week (JSS ≥ {TOP_RATED_JSS}%)" if first_shade else None,
            )
            first_shade = False
    axes.axhline(
        TOP_RATED_JSS,
        color="#2ca02c",
        linestyle="--",
        linewidth=1.3,
        label=f"{TOP_RATED_JSS}% Top Rated",
    )
    axes.axhline(
        REVIEW_BELOW,
        color="#d62728",
        linestyle="--",
        linewidth=1.3,
        label=f"{REVIEW_BELOW}% review",
    )
    for index, name in enumerate(timeline.window_names):
        values = [_nan(p.windows[name]) for p in timeline.points]
        colour = _WINDOW_COLOURS.get(name, _SPARE_COLOURS[index % len(_SPARE_COLOURS)])
        axes.plot(
            days,
            values,
            drawstyle="steps-post",
            color=colour,
            linewidth=1.2,
            alpha=0.75,
            dashes=_WINDOW_DASHES.get(name, (3, 2)),
            label="Trending" if name == "trending" else f"{name} window",
        )
    axes.plot(
        days,
        [_nan(p.jss) for p in timeline.points],
        drawstyle="steps-post",
        color="black",
        linewidth=2.6,
        marker="o" if len(days) == 1 else None,
        label="Displayed JSS",
        zorder=5,
    )

    low = _low_end(timeline)
    axes.set_ylim(low, 102)
    # A one-day range still needs a visible width.
    margin = timedelta(days=1 if timeline.first == timeline.last else 0)
    axes.set_xlim(timeline.first - margin, timeline.last + margin)
    axes.set_yticks(range(int(low + 9.99) // 10 * 10, 101, 10))
    labels = [
        _annotate_move(axes, move, low, titles, timeline.first, timeline.last) for move in moves
    ]

    locator = mdates.AutoDateLocator(minticks=5, maxticks=12)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    axes.set_xlabel("Date")
    axes.set_ylabel("Score (%)")
    axes.grid(True, axis="y", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    top = timeline.top_rated
    end = timeline.points[-1] if timeline.points else None
    now = (
        f"{end.jss}% on {end.day} ({candidate_words(end.best)})"
        if end is not None and end.jss is not None
        else f"no JSS on {timeline.last}"
    )
    axes.set_title(
        f"Job Success Score, {timeline.first} to {timeline.last} ({timeline.rules.name} rules)"
        f"\n{now} · Top Rated: {top.eligible_weeks} of the last {top.weeks} weeks ≥ "
        f"{TOP_RATED_JSS}%",
        fontsize=11,
    )
    axes.figure.legend(loc="outside right upper", fontsize=9, frameon=False)
    return [label for label in labels if label is not None]


def _annotate_move(
    axes: Any, move: ForecastEvent, low: float, titles: dict[str, str], first: date, last: date
) -> Any:
    """Label one of the largest moves with its size and main cause, just below the new level."""
    step = move.change
    if step.jss_before is None or step.jss_after is None:
        return None
    delta = step.jss_after - step.jss_before
    found = causes(move)
    label = contract_label(found[0].contract_id, titles) if found else None
    cause = plain(label or window_words(move.best_after))
    if len(cause) > _CAUSE_CHARS:
        cause = cause[: _CAUSE_CHARS - 1] + "…"
    sign = "−" if delta < 0 else "+"
    y = float(step.jss_after)
    below = y - low > 12
    # Near the right edge the label goes to the left of the step, to stay inside the axes.
    left = (step.day - first).days > 0.75 * max((last - first).days, 1)
    return axes.annotate(
        f"{sign}{abs(delta)} {cause}",
        (step.day, y),
        xytext=(-6 if left else 6, -6 if below else 6),
        textcoords="offset points",
        ha="right" if left else "left",
        va="top" if below else "bottom",
        fontsize=8.5,
        color="#a31d1d" if delta < 0 else "#1e7b1e",
        bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.8, "linewidth": 0},
        zorder=6,
    )


def _separate(labels: list[Any]) -> None:
    """Keep the move labels apart: a label that overlaps an earlier (larger) move's label
    moves to the other side of its line, and is dropped when that overlaps too."""
    if not labels:
        return
    figure = labels[0].figure
    for label in labels:
        label.set_in_layout(False)
    figure.draw_without_rendering()
    renderer = figure.canvas.get_renderer()
    kept: list[Any] = []
    for label in labels:
        if any(label.get_window_extent(renderer).overlaps(k) for k in kept):
            x, y = label.xyann
            label.xyann = (x, -y)
            label.set_va("bottom" if label.get_va() == "top" else "top")
            if any(label.get_window_extent(renderer).overlaps(k) for k in kept):
                label.remove()
                continue
        kept.append(label.get_window_extent(renderer))


def _low_end(timeline: Timeline) -> float:
    values = [REVIEW_BELOW - 5.0]
    for p in timeline.points:
        if p.jss is not None:
            values.append(float(p.jss))
        values.extend(v for v in p.windows.values() if v is not None)
    return max(0.0, (min(values) // 10) * 10 - 2)


def _nan(value: float | None) -> float:
    return float("nan") if value is None else float(value)
