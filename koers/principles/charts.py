"""The share of trajectories passing each principle, month by month, as an accessible SVG of small multiples.

Pure Python, no Django: the caller passes translated labels and renders the data table beside the chart. One panel
per principle, all on the same 0–100% scale, because ten lines in one plot would lie on top of each other. A month
without figures leaves a gap in the line, never a zero. Each point is a marker and the last value is printed, so
the chart does not rely on colour; colours are presentation attributes (the content security policy forbids inline
styles).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 720
COLUMNS = 2
PANEL_WIDTH = WIDTH / COLUMNS
PANEL_HEIGHT = 120
PLOT_LEFT = 40
PLOT_RIGHT = 36
PLOT_TOP = 26
PLOT_BOTTOM = 22

INK = "#001a40"
GRID = "#c0c7d2"
SUBTLE = "#3d5374"
FONT = "Noto Sans, DejaVu Sans, sans-serif"


@dataclass(frozen=True)
class ShareSeries:
    """One principle: its label and its pass share (0–1) per month, None where nothing was recorded."""

    label: str
    values: Sequence[float | None]


def _fmt(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def percent(value: float) -> str:
    return f"{round(value * 100)}%"


def segments(points: Sequence[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """Runs of consecutive points; a missing value (a month without figures) splits the line."""
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(point)
    return [run for run in runs if run]


def _panel(index: int, series: ShareSeries, month_labels: Sequence[str]) -> str:
    column, row = index % COLUMNS, index // COLUMNS
    left, top = column * PANEL_WIDTH, row * PANEL_HEIGHT
    plot_width = PANEL_WIDTH - PLOT_LEFT - PLOT_RIGHT
    plot_height = PANEL_HEIGHT - PLOT_TOP - PLOT_BOTTOM
    count = len(month_labels)
    step = plot_width / (count - 1) if count > 1 else 0.0

    def x(position: int) -> float:
        return PLOT_LEFT + (position * step if count > 1 else plot_width / 2)

    def y(value: float) -> float:
        return PLOT_TOP + plot_height * (1 - value)

    parts = [
        f'<g class="koers-chart__panel" transform="translate({_fmt(left)} {_fmt(top)})">',
        f'<text x="{PLOT_LEFT}" y="16" font-size="12" font-weight="700" fill="{INK}">{escape(series.label)}</text>',
    ]
    for level in (0.0, 0.5, 1.0):
        level_y = y(level)
        parts.append(
            f'<line x1="{PLOT_LEFT}" x2="{_fmt(PLOT_LEFT + plot_width)}" y1="{_fmt(level_y)}" y2="{_fmt(level_y)}" '
            f'stroke="{GRID}" stroke-width="1" stroke-dasharray="2 3"/>'
            f'<text x="{PLOT_LEFT - 6}" y="{_fmt(level_y + 3.5)}" font-size="10" text-anchor="end" '
            f'fill="{SUBTLE}">{percent(level)}</text>'
        )
    axis_y = PLOT_TOP + plot_height + 15
    parts.append(f'<text x="{PLOT_LEFT}" y="{axis_y}" font-size="9.5" fill="{SUBTLE}">{escape(month_labels[0])}</text>')
    if count > 1:
        parts.append(
            f'<text x="{_fmt(PLOT_LEFT + plot_width)}" y="{axis_y}" font-size="9.5" text-anchor="end" '
            f'fill="{SUBTLE}">{escape(month_labels[-1])}</text>'
        )
    points = [None if value is None else (x(i), y(value)) for i, value in enumerate(series.values)]
    for run in segments(points):
        parts.append(
            f'<polyline class="koers-chart__line" fill="none" stroke="{INK}" stroke-width="2" stroke-linejoin="round" '
            f'points="{" ".join(f"{_fmt(px)},{_fmt(py)}" for px, py in run)}"/>'
        )
    parts.extend(
        f'<circle class="koers-chart__marker" cx="{_fmt(p[0])}" cy="{_fmt(p[1])}" r="3" fill="#ffffff" '
        f'stroke="{INK}" stroke-width="2"/>'
        for p in points
        if p is not None
    )
    last = next(((i, v) for i, v in reversed(list(enumerate(series.values))) if v is not None), None)
    if last is not None:
        position, value = last
        parts.append(
            f'<text class="koers-chart__value" x="{_fmt(x(position) + 6)}" y="{_fmt(y(value) - 6)}" font-size="11" '
            f'font-weight="700" fill="{INK}">{percent(value)}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def pass_share_chart(
    month_labels: Sequence[str],
    series: Sequence[ShareSeries],
    *,
    title: str,
    description: str,
    chart_id: str = "principles-trend",
) -> str:
    """An SVG of each principle's pass share per month (oldest first); empty when there is nothing to draw.

    ``title`` and ``description`` become the chart's accessible name and description. Every series has one value
    per month label; values lie between 0 and 1.
    """
    if not month_labels or not series or all(v is None for s in series for v in s.values):
        return ""
    if any(len(s.values) != len(month_labels) for s in series):
        raise ValueError("every series needs one value per month")
    if any(v is not None and not 0 <= v <= 1 for s in series for v in s.values):
        raise ValueError("shares lie between 0 and 1")
    rows = -(-len(series) // COLUMNS)
    height = rows * PANEL_HEIGHT
    chart_id = escape(chart_id)
    panels = "".join(_panel(index, s, month_labels) for index, s in enumerate(series))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="koers-chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="{FONT}" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"{panels}</svg>"
    )
