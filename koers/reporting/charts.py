"""The report charts as accessible SVG, the same on the page and in the PDF: horizontal bars and lines over time.

Pure Python, no Django: the caller passes translated labels and formatted values, and renders the table the chart
is drawn from beside it (the chart's text alternative). Every bar carries its value as text and every line has its
own marker shape and dash pattern, named in a legend, so that no figure relies on colour. A missing or withheld
value is a gap with a label, never a zero. Colours are presentation attributes: the content security policy forbids
inline styles.
"""

import math
from collections.abc import Callable, Sequence
from html import escape

from koers.principles.charts import segments

WIDTH = 720
FONT = "Noto Sans, DejaVu Sans, sans-serif"
INK = "#001a40"
GRID = "#c0c7d2"
SUBTLE = "#3d5374"
BAR = "#1d4f91"
CHAR_WIDTH = 6.2  # about the width of a character at 11 px, to make room for labels

BAR_ROW = 26
BAR_THICKNESS = 16
BAR_TOP = 8
VALUE_ROOM = 64  # right of the longest bar, for its printed value

LINE_HEIGHT = 300
LINE_LEFT = 56
LINE_RIGHT = 44  # room for the last values, printed right of their point
LINE_TOP = 16
LINE_BOTTOM = 40  # x labels
LEGEND_ROW = 18
VALUE_LABEL_GAP = 12  # between the last-value labels of series that end at the same x

# Series are told apart by colour, marker and dash pattern together; the palette has a contrast of at least 3:1.
SERIES_STYLES = (
    ("#1d4f91", "circle", ""),
    ("#a4161a", "square", "6 3"),
    ("#2b6a2f", "triangle", "2 3"),
    ("#7a4a00", "diamond", "8 3 2 3"),
    ("#5b2a86", "cross", "12 4"),
    ("#001a40", "ring", "1 2"),
)
NICE_STEPS = (1, 2, 2.5, 5)


def _fmt(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def _text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def _svg(chart_id: str, height: float, title: str, description: str, body: str) -> str:
    chart_id = escape(chart_id)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="koers-chart" viewBox="0 0 {WIDTH} {_fmt(height)}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="{FONT}" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"{body}</svg>"
    )


def _axis_top(highest: float) -> tuple[float, float]:
    """A round top for an axis from 0 and the step between four or five grid lines."""
    if highest <= 0:
        return 1.0, 0.25
    magnitude = 10 ** math.floor(math.log10(highest / 4))
    step = next((s * magnitude for s in NICE_STEPS if s * magnitude * 4 >= highest), 10 * magnitude)
    return step * math.ceil(highest / step), step


def bar_chart(
    *,
    title: str,
    description: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    value_format: Callable[[float], str],
    missing_label: str = "–",
    chart_id: str = "bar-chart",
) -> str:
    """Horizontal bars from 0, one per label, each with its value printed at its end; None draws no bar but
    ``missing_label`` (e.g. "x" for a withheld value). Empty when there are no labels."""
    if len(labels) != len(values):
        raise ValueError("one value per label")
    if not labels:
        return ""
    if any(value is not None and value < 0 for value in values):
        raise ValueError("bars start at 0: no negative values")
    left = min(max(_text_width(label) for label in labels) + 16, WIDTH / 3)
    length = WIDTH - left - VALUE_ROOM
    top, _step = _axis_top(max((value for value in values if value is not None), default=0))
    parts = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = BAR_TOP + index * BAR_ROW
        middle = y + BAR_THICKNESS / 2 + 4
        parts.append(
            f'<g class="koers-chart__bar"><text x="{_fmt(left - 8)}" y="{_fmt(middle)}" font-size="11" '
            f'text-anchor="end" fill="{INK}">{escape(label)}</text>'
        )
        if value is None:
            parts.append(
                f'<text class="koers-chart__missing" x="{_fmt(left + 4)}" y="{_fmt(middle)}" font-size="11" '
                f'fill="{SUBTLE}">{escape(missing_label)}</text></g>'
            )
            continue
        width = length * value / top
        parts.append(
            f'<rect class="koers-chart__value-bar" x="{_fmt(left)}" y="{_fmt(y)}" width="{_fmt(width)}" '
            f'height="{BAR_THICKNESS}" fill="{BAR}"/>'
            f'<text class="koers-chart__value" x="{_fmt(left + width + 6)}" y="{_fmt(middle)}" font-size="11" '
            f'font-weight="700" fill="{INK}">{escape(value_format(value))}</text></g>'
        )
    bottom = BAR_TOP + len(labels) * BAR_ROW
    axis = (
        f'<line x1="{_fmt(left)}" x2="{_fmt(left)}" y1="{BAR_TOP - 4}" y2="{_fmt(bottom)}" stroke="{GRID}" '
        'stroke-width="1"/>'
    )
    return _svg(chart_id, bottom + 4, title, description, axis + "".join(parts))


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    """A marker per series, so that series differ in shape as well as colour."""
    if shape == "circle":
        return f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="3.5" fill="{colour}"/>'
    if shape == "ring":
        return f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="3.5" fill="#ffffff" stroke="{colour}" stroke-width="2"/>'
    if shape == "square":
        return f'<rect x="{_fmt(x - 3.5)}" y="{_fmt(y - 3.5)}" width="7" height="7" fill="{colour}"/>'
    if shape == "triangle":
        return (
            f'<path d="M{_fmt(x)} {_fmt(y - 4.5)} L{_fmt(x + 4.5)} {_fmt(y + 3.5)} L{_fmt(x - 4.5)} {_fmt(y + 3.5)} Z" '
            f'fill="{colour}"/>'
        )
    if shape == "diamond":
        return (
            f'<path d="M{_fmt(x)} {_fmt(y - 5)} L{_fmt(x + 5)} {_fmt(y)} L{_fmt(x)} {_fmt(y + 5)} L{_fmt(x - 5)} '
            f'{_fmt(y)} Z" fill="{colour}"/>'
        )
    return (
        f'<path d="M{_fmt(x - 4)} {_fmt(y - 4)} L{_fmt(x + 4)} {_fmt(y + 4)} M{_fmt(x - 4)} {_fmt(y + 4)} '
        f'L{_fmt(x + 4)} {_fmt(y - 4)}" stroke="{colour}" stroke-width="2"/>'
    )


def _last_known(values: Sequence[float | None]) -> tuple[int, float] | None:
    """The position and value of the last value that is not None."""
    return next(((i, value) for i, value in reversed(list(enumerate(values))) if value is not None), None)


def _spread(wanted: dict[int, float], last_points: dict[int, tuple[int, float]]) -> dict[int, float]:
    """The y of each series' last-value label, moved apart where labels at the same x would overlap."""
    placed: dict[int, float] = {}
    for position in {position for position, _value in last_points.values()}:
        above = None
        for index in sorted((i for i in wanted if last_points[i][0] == position), key=lambda i: (wanted[i], i)):
            placed[index] = wanted[index] if above is None else max(wanted[index], above + VALUE_LABEL_GAP)
            above = placed[index]
    return placed


def line_chart(
    *,
    title: str,
    description: str,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    y_format: Callable[[float], str],
    chart_id: str = "line-chart",
) -> str:
    """One line per (name, values) series over the x labels, y axis from 0, the last value of each printed; None
    leaves a gap. Empty when there is nothing to draw."""
    if len(series) > len(SERIES_STYLES):
        raise ValueError(f"at most {len(SERIES_STYLES)} series can be told apart")
    if any(len(values) != len(x_labels) for _name, values in series):
        raise ValueError("every series needs one value per x label")
    known = [value for _name, values in series for value in values if value is not None]
    if not x_labels or not known:
        return ""
    if min(known) < 0:
        raise ValueError("the y axis starts at 0: no negative values")
    top, step = _axis_top(max(known))
    width = WIDTH - LINE_LEFT - LINE_RIGHT
    height = LINE_HEIGHT - LINE_TOP - LINE_BOTTOM
    slot = width / len(x_labels)

    def x(position: int) -> float:
        return LINE_LEFT + slot * (position + 0.5)

    def y(value: float) -> float:
        return LINE_TOP + height * (1 - value / top)

    parts = []
    for level in range(round(top / step) + 1):
        level_y = y(level * step)
        dashes = "" if level == 0 else ' stroke-dasharray="2 3"'
        parts.append(
            f'<line x1="{LINE_LEFT}" x2="{WIDTH - LINE_RIGHT}" y1="{_fmt(level_y)}" y2="{_fmt(level_y)}" '
            f'stroke="{GRID}" stroke-width="1"{dashes}/>'
            f'<text x="{LINE_LEFT - 6}" y="{_fmt(level_y + 3.5)}" font-size="10" text-anchor="end" '
            f'fill="{SUBTLE}">{escape(y_format(level * step))}</text>'
        )
    every = max(1, math.ceil(max(_text_width(label) for label in x_labels) * 1.2 / slot))
    parts.extend(
        f'<text x="{_fmt(x(position))}" y="{_fmt(LINE_TOP + height + 16)}" font-size="10" text-anchor="middle" '
        f'fill="{SUBTLE}">{escape(label)}</text>'
        for position, label in enumerate(x_labels)
        if (len(x_labels) - 1 - position) % every == 0  # counted from the last, which is always shown
    )
    last_points = {
        index: last for index, (_name, values) in enumerate(series) if (last := _last_known(values)) is not None
    }
    label_ys = _spread({index: y(value) - 6 for index, (_position, value) in last_points.items()}, last_points)
    for index, ((name, values), (colour, shape, dashes)) in enumerate(zip(series, SERIES_STYLES, strict=False)):
        points = [None if value is None else (x(i), y(value)) for i, value in enumerate(values)]
        dash = f' stroke-dasharray="{dashes}"' if dashes else ""
        group = [f'<g class="koers-chart__series"><title>{escape(name)}</title>']
        group.extend(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" stroke-linejoin="round"{dash} '
            f'points="{" ".join(f"{_fmt(px)},{_fmt(py)}" for px, py in run)}"/>'
            for run in segments(points)
        )
        group.extend(_marker(shape, point[0], point[1], colour) for point in points if point is not None)
        if index in last_points:
            position, value = last_points[index]
            group.append(
                f'<text class="koers-chart__value" x="{_fmt(x(position) + 7)}" y="{_fmt(label_ys[index])}" '
                f'font-size="10.5" font-weight="700" fill="{colour}">{escape(y_format(value))}</text>'
            )
        group.append("</g>")
        parts.append("".join(group))
    legend_top = LINE_HEIGHT - 8
    legend_x, legend_y = float(LINE_LEFT), legend_top
    for (name, _values), (colour, shape, dashes) in zip(series, SERIES_STYLES, strict=False):
        entry = 34 + _text_width(name)
        if legend_x > LINE_LEFT and legend_x + entry > WIDTH - LINE_RIGHT:
            legend_x, legend_y = float(LINE_LEFT), legend_y + LEGEND_ROW
        dash = f' stroke-dasharray="{dashes}"' if dashes else ""
        parts.append(
            f'<g class="koers-chart__legend"><line x1="{_fmt(legend_x)}" x2="{_fmt(legend_x + 24)}" '
            f'y1="{_fmt(legend_y - 4)}" y2="{_fmt(legend_y - 4)}" stroke="{colour}" stroke-width="2"{dash}/>'
            f"{_marker(shape, legend_x + 12, legend_y - 4, colour)}"
            f'<text x="{_fmt(legend_x + 30)}" y="{_fmt(legend_y)}" font-size="11" fill="{INK}">{escape(name)}</text>'
            "</g>"
        )
        legend_x += entry + 16
    return _svg(chart_id, legend_y + 8, title, description, "".join(parts))
