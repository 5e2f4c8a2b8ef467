"""Planned trainer hours against the hours available, per period, as an accessible SVG bar chart.

Pure Python, no Django: the caller passes translated labels and renders a data table beside the chart. Each bar is
the time-model work with the switching time stacked on top; a dashed line at each bar marks the hours available.
A period over the hours gets a square marker and a period near them (85% or more) a triangle, so that the chart
never relies on colour alone; every bar carries its total as a number. Colours are presentation attributes, not
inline styles, so the strict content security policy holds.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from koers.groupwork.capacity import Level

WIDTH = 720
HEIGHT = 300
PLOT_LEFT = 44
PLOT_RIGHT = 12
PLOT_TOP = 24
PLOT_BOTTOM = 64  # period labels and the legend
NICE_STEPS = (1, 2, 4, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)

INK = "#001a40"
GRID = "#c0c7d2"
SUBTLE = "#3d5374"
WORK = "#1d4f91"
SWITCHING = "#a9c4e8"
OVER = "#a4161a"
NEAR = "#7a4a00"
LEGEND_CHAR_WIDTH = 6.2  # about the width of a character at 11 px, to lay the legend out
FONT = "Noto Sans, DejaVu Sans, sans-serif"


@dataclass(frozen=True)
class Bar:
    """One period: its label, the planned work and switching hours, the hours available (None: not recorded)."""

    label: str
    work: Decimal
    switching: Decimal
    available: Decimal | None
    level: Level


@dataclass(frozen=True)
class Legend:
    """The translated names of what the chart draws."""

    work: str
    switching: str
    available: str
    near: str
    over: str


def _fmt(number: float | Decimal) -> str:
    return f"{float(number):.1f}".rstrip("0").rstrip(".")


def _scale_top(bars: Sequence[Bar]) -> tuple[int, int]:
    """The top of the hours axis and the step between grid lines: about four lines, on round numbers."""
    highest = max([bar.work + bar.switching for bar in bars] + [bar.available or Decimal(0) for bar in bars])
    step = next((step for step in NICE_STEPS if step * 4 >= highest), NICE_STEPS[-1])
    return max(1, math.ceil(highest / step)) * step, step


def _marker(level: Level, x: float, y: float) -> str:
    if level == Level.OVER:
        return (
            f'<rect class="koers-chart__marker koers-chart__marker--over" x="{_fmt(x - 4.5)}" y="{_fmt(y - 9)}" '
            f'width="9" height="9" fill="{OVER}"/>'
        )
    if level == Level.NEAR:
        return (
            f'<path class="koers-chart__marker koers-chart__marker--near" '
            f'd="M{_fmt(x - 5)} {_fmt(y)} L{_fmt(x + 5)} {_fmt(y)} L{_fmt(x)} {_fmt(y - 9)} Z" fill="{NEAR}"/>'
        )
    return ""


class _YScale:
    def __init__(self, top: int) -> None:
        self.top = top
        self.height = HEIGHT - PLOT_TOP - PLOT_BOTTOM

    def __call__(self, hours: Decimal | int) -> float:
        return PLOT_TOP + self.height * (1 - float(hours) / self.top) if self.top else PLOT_TOP + self.height


def _bar(index: int, bar: Bar, slot: float, y_of: _YScale, decimal_separator: str) -> str:
    centre = PLOT_LEFT + slot * (index + 0.5)
    width = min(slot * 0.6, 48)
    left = centre - width / 2
    base = y_of(Decimal(0))
    work_top = y_of(bar.work)
    total_top = y_of(bar.work + bar.switching)
    colour = OVER if bar.level == Level.OVER else INK
    parts = [
        f'<g class="koers-chart__bar koers-chart__bar--{escape(bar.level.value)}">',
        f'<rect class="koers-chart__work" x="{_fmt(left)}" y="{_fmt(work_top)}" width="{_fmt(width)}" '
        f'height="{_fmt(base - work_top)}" fill="{WORK}"/>',
    ]
    if bar.switching:
        parts.append(
            f'<rect class="koers-chart__switching" x="{_fmt(left)}" y="{_fmt(total_top)}" width="{_fmt(width)}" '
            f'height="{_fmt(work_top - total_top)}" fill="{SWITCHING}" stroke="{WORK}" stroke-width="1"/>'
        )
    if bar.available is not None:
        line_y = y_of(bar.available)
        parts.append(
            f'<line class="koers-chart__available" x1="{_fmt(centre - slot * 0.45)}" x2="{_fmt(centre + slot * 0.45)}" '
            f'y1="{_fmt(line_y)}" y2="{_fmt(line_y)}" stroke="{INK}" stroke-width="2" stroke-dasharray="5 3"/>'
        )
    label_y = min(total_top, y_of(bar.available) if bar.available is not None else total_top) - 4
    marker = _marker(bar.level, centre, label_y)
    value_y = label_y - (11 if marker else 0)
    parts += [
        marker,
        f'<text class="koers-chart__value" x="{_fmt(centre)}" y="{_fmt(value_y)}" font-size="10.5" font-weight="700" '
        f'text-anchor="middle" fill="{colour}">{_fmt(bar.work + bar.switching).replace(".", decimal_separator)}</text>',
        f'<text x="{_fmt(centre)}" y="{_fmt(base + 15)}" font-size="10" text-anchor="middle" '
        f'fill="{SUBTLE}">{escape(bar.label)}</text>',
        "</g>",
    ]
    return "".join(parts)


def _grid(top: int, step: int, y_of: _YScale, unit: str) -> str:
    parts = []
    for hours in range(0, top + 1, step):
        y = y_of(hours)
        dashes = "" if hours == 0 else ' stroke-dasharray="2 3"'
        parts.append(
            f'<line x1="{PLOT_LEFT}" x2="{WIDTH - PLOT_RIGHT}" y1="{_fmt(y)}" y2="{_fmt(y)}" stroke="{GRID}" '
            f'stroke-width="1"{dashes}/>'
            f'<text x="{PLOT_LEFT - 6}" y="{_fmt(y + 3.5)}" font-size="10" text-anchor="end" fill="{SUBTLE}">'
            f"{hours}</text>"
        )
    parts.append(f'<text x="4" y="{PLOT_TOP - 10}" font-size="10" fill="{SUBTLE}">{escape(unit)}</text>')
    return "".join(parts)


def _swatch(kind: str, x: float, y: float) -> str:
    if kind == "work":
        return f'<rect x="{_fmt(x)}" y="{_fmt(y - 9)}" width="12" height="10" fill="{WORK}"/>'
    if kind == "switching":
        return (
            f'<rect x="{_fmt(x)}" y="{_fmt(y - 9)}" width="12" height="10" fill="{SWITCHING}" stroke="{WORK}" '
            'stroke-width="1"/>'
        )
    if kind == "available":
        return (
            f'<line x1="{_fmt(x - 4)}" x2="{_fmt(x + 16)}" y1="{_fmt(y - 4)}" y2="{_fmt(y - 4)}" stroke="{INK}" '
            'stroke-width="2" stroke-dasharray="5 3"/>'
        )
    return _marker(Level(kind), x + 6, y + 1)


def _legend(legend: Legend) -> str:
    """The entries side by side, on a second line when the labels (in the reader's language) are long."""
    entries = [
        ("work", legend.work),
        ("switching", legend.switching),
        ("available", legend.available),
        (Level.NEAR.value, legend.near),
        (Level.OVER.value, legend.over),
    ]
    x, y, parts = 0.0, HEIGHT - PLOT_BOTTOM + 34, []
    for kind, label in entries:
        width = 20 + len(label) * LEGEND_CHAR_WIDTH
        if x and x + width > WIDTH - PLOT_LEFT - PLOT_RIGHT:
            x, y = 0.0, y + 16
        parts.append(_swatch(kind, x, y))
        parts.append(f'<text x="{_fmt(x + 18)}" y="{_fmt(y)}" font-size="11" fill="{INK}">{escape(label)}</text>')
        x += width + 16
    return f'<g class="koers-chart__legend" transform="translate({PLOT_LEFT} 0)">{"".join(parts)}</g>'


def capacity_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    description: str,
    legend: Legend,
    unit: str,
    chart_id: str = "capacity-chart",
    decimal_separator: str = ".",
) -> str:
    """An SVG of planned against available hours per period (oldest first); empty when there is nothing to draw.

    ``title`` and ``description`` become the chart's accessible name and description; ``unit`` names the hours axis.
    """
    if not bars:
        return ""
    top, step = _scale_top(bars)
    y_of = _YScale(top)
    slot = (WIDTH - PLOT_LEFT - PLOT_RIGHT) / len(bars)
    chart_id = escape(chart_id)
    body = "".join(_bar(index, bar, slot, y_of, decimal_separator) for index, bar in enumerate(bars))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="koers-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="{FONT}" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"{_grid(top, step, y_of, unit)}{body}{_legend(legend)}</svg>"
    )
