"""Life-domain scores over time as an accessible SVG, the same in the browser and in a WeasyPrint PDF.

Pure Python, no Django: the caller passes translated labels and renders a data table beside the chart. The chart
is a set of small multiples, one panel per life domain, because eight lines on one 1–5 scale would lie on top of
each other. A score of 1 (urgent barrier) gets a square marker instead of a round one, so the chart never relies on
colour alone; the last value of each domain is printed as a number.
"""

import datetime
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 720
COLUMNS = 4
PANEL_WIDTH = WIDTH / COLUMNS
PANEL_HEIGHT = 132
PLOT_LEFT = 24
PLOT_RIGHT = 22
PLOT_TOP = 30
PLOT_BOTTOM = 26
LEGEND_HEIGHT = 28

INK = "#001a40"
GRID = "#c0c7d2"
URGENT = "#a4161a"
URGENT_ZONE = "#fbe9e9"
SUBTLE = "#3d5374"
FONT = "Noto Sans, DejaVu Sans, sans-serif"


@dataclass(frozen=True)
class DomainSeries:
    """One life domain: its label and its score at each moment (None where it was not scored)."""

    label: str
    values: Sequence[int | None]


def _fmt(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def _x_positions(dates: Sequence[datetime.date], left: float, width: float) -> list[float]:
    """Proportional to the time between moments, so an irregular rhythm of assessments stays visible."""
    first, last = dates[0], dates[-1]
    span = (last - first).days
    if span == 0:
        return [left + width / 2] * len(dates)
    return [left + width * (moment - first).days / span for moment in dates]


def _y(value: float, top: float, height: float, low: int, high: int) -> float:
    return top + height * (high - value) / (high - low)


def _marker(x: float, y: float, urgent: bool) -> str:
    if urgent:
        return (
            f'<rect class="koers-chart__marker koers-chart__marker--urgent" x="{_fmt(x - 4)}" y="{_fmt(y - 4)}" '
            f'width="8" height="8" fill="{URGENT}" stroke="{URGENT}"/>'
        )
    return (
        f'<circle class="koers-chart__marker" cx="{_fmt(x)}" cy="{_fmt(y)}" r="3.5" fill="#ffffff" '
        f'stroke="{INK}" stroke-width="2"/>'
    )


def _panel(
    index: int,
    domain: DomainSeries,
    dates: Sequence[datetime.date],
    date_labels: Sequence[str],
    low: int,
    high: int,
) -> str:
    column, row = index % COLUMNS, index // COLUMNS
    left, top = column * PANEL_WIDTH, row * PANEL_HEIGHT
    plot_width = PANEL_WIDTH - PLOT_LEFT - PLOT_RIGHT
    plot_height = PANEL_HEIGHT - PLOT_TOP - PLOT_BOTTOM
    xs = _x_positions(dates, PLOT_LEFT, plot_width)
    parts = [
        f'<g class="koers-chart__panel" transform="translate({_fmt(left)} {_fmt(top)})">',
        f'<text x="{PLOT_LEFT}" y="16" font-size="12" font-weight="700" fill="{INK}">{escape(domain.label)}</text>',
        # The zone of an urgent barrier (score 1): below the half-way line to 2.
        f'<rect x="{PLOT_LEFT}" y="{_fmt(_y(low + 0.5, PLOT_TOP, plot_height, low, high))}" '
        f'width="{_fmt(plot_width)}" height="{_fmt(plot_height * 0.5 / (high - low))}" fill="{URGENT_ZONE}"/>',
    ]
    for level in range(low, high + 1):
        y = _y(level, PLOT_TOP, plot_height, low, high)
        parts.append(
            f'<line x1="{PLOT_LEFT}" x2="{_fmt(PLOT_LEFT + plot_width)}" y1="{_fmt(y)}" y2="{_fmt(y)}" '
            f'stroke="{GRID}" stroke-width="1" stroke-dasharray="2 3"/>'
            f'<text x="{PLOT_LEFT - 8}" y="{_fmt(y + 3.5)}" font-size="10" text-anchor="end" '
            f'fill="{SUBTLE}">{level}</text>'
        )
    axis_y = PLOT_TOP + plot_height + 16
    parts.append(f'<text x="{PLOT_LEFT}" y="{axis_y}" font-size="9.5" fill="{SUBTLE}">{escape(date_labels[0])}</text>')
    if len(dates) > 1 and dates[-1] != dates[0]:
        parts.append(
            f'<text x="{_fmt(PLOT_LEFT + plot_width)}" y="{axis_y}" font-size="9.5" text-anchor="end" '
            f'fill="{SUBTLE}">{escape(date_labels[-1])}</text>'
        )
    points = [
        (x, _y(value, PLOT_TOP, plot_height, low, high), value)
        for x, value in zip(xs, domain.values, strict=True)
        if value is not None
    ]
    parts.append(
        f'<polyline class="koers-chart__line" fill="none" stroke="{INK}" stroke-width="2" '
        f'stroke-linejoin="round" points="{" ".join(f"{_fmt(x)},{_fmt(y)}" for x, y, _v in points)}"/>'
    )
    parts.extend(_marker(x, y, value == low) for x, y, value in points)
    if points:
        x, y, value = points[-1]
        parts.append(
            f'<text class="koers-chart__value" x="{_fmt(x + 7)}" y="{_fmt(y - 6)}" font-size="11" '
            f'font-weight="700" fill="{URGENT if value == low else INK}">{value}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def _legend(top: float, urgent_label: str) -> str:
    if not urgent_label:
        return ""
    return (
        f'<g class="koers-chart__legend" transform="translate({PLOT_LEFT} {_fmt(top)})">'
        f'<rect x="0" y="4" width="8" height="8" fill="{URGENT}"/>'
        f'<text x="14" y="12" font-size="11" fill="{INK}">{escape(urgent_label)}</text></g>'
    )


def life_domain_chart(
    dates: Sequence[datetime.date],
    series: Sequence[DomainSeries],
    *,
    title: str,
    description: str,
    date_labels: Sequence[str] | None = None,
    urgent_label: str = "",
    chart_id: str = "life-domain-chart",
    scale: tuple[int, int] = (1, 5),
) -> str:
    """An SVG of each domain's scores at ``dates`` (oldest first); empty when there is nothing to draw.

    ``title`` and ``description`` become the chart's accessible name and description; ``date_labels`` are the
    dates as the reader should see them (defaults to ISO dates). Every value of ``series`` lines up with ``dates``.
    """
    if not dates or not series:
        return ""
    if any(later < earlier for earlier, later in itertools.pairwise(dates)):
        raise ValueError("dates must be in chronological order")
    labels = list(date_labels) if date_labels is not None else [moment.isoformat() for moment in dates]
    if len(labels) != len(dates) or any(len(domain.values) != len(dates) for domain in series):
        raise ValueError("every series and the date labels need one entry per date")
    low, high = scale
    rows = -(-len(series) // COLUMNS)
    height = rows * PANEL_HEIGHT + (LEGEND_HEIGHT if urgent_label else 0)
    chart_id = escape(chart_id)
    panels = "".join(_panel(index, domain, dates, labels, low, high) for index, domain in enumerate(series))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="koers-chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="{FONT}" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"{panels}{_legend(rows * PANEL_HEIGHT, urgent_label)}</svg>"
    )
