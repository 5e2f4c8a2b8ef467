"""Effect-measurement charts as accessible SVG, the same in the browser and in a WeasyPrint PDF.

Pure Python, no Django: the caller passes translated labels and renders a data table beside each chart.
``scale_chart`` draws one scale over time the way single-case designs do: the phases as labelled sections with a
dividing line where the phase changes (A | B), the reliable-change band around the reference score, and a marker
per measurement whose shape says whether the change is reliable (filled diamond), not reliable (filled circle) or
unknown (hollow circle). ``profile_chart`` sets the life domains at the start against now, a hollow ring against a
filled dot, with both values printed and a missing value printed as a dash. Neither chart relies on colour alone,
and colours are presentation attributes, not inline styles, so the strict content security policy holds.
"""

import datetime
import functools
import itertools
import math
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 720
PLOT_LEFT = 44
PLOT_RIGHT = 56  # room for the last value printed beside its marker
TITLE_Y = 18
PHASE_TOP = 28  # the strip with the phase names, above the plot, below the heading
PHASE_ROW = 14
PLOT_HEIGHT = 180
EDGE = 16  # keeps the first and last markers off the edges of the plot
SAME_DAY_OFFSET = 9  # measurements on one day are set side by side, not on top of each other
MAX_GRID_LINES = 6
NICE_STEPS = (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)
CHAR_WIDTH = 6.2  # about the width of a character at 11 px, to lay labels out
LEGEND_ROW = 18

PROFILE_ROW = 28
PROFILE_TOP = 34
PROFILE_VALUE_COLUMN = 56  # width of each of the two value columns on the right

INK = "#001a40"
GRID = "#c0c7d2"
SUBTLE = "#3d5374"
RELIABLE = "#1d4f91"
BAND = "#c9d8ec"
BAND_EDGE = "#1d4f91"
PHASE_FILLS = {"baseline": "#eef1f5", "intervention": "#ffffff", "follow_up": "#f6f3ea"}
FONT = "Noto Sans, DejaVu Sans, sans-serif"


@dataclass(frozen=True)
class SeriesPoint:
    """One measurement of a scale: when, the score, its phase and whether its change from the reference is reliable."""

    taken_on: datetime.date
    value: float
    phase: str  # "baseline", "intervention" or "follow_up"
    reliable: bool | None  # change from the reference point is reliable (True), not (False), unknown (None)


@dataclass(frozen=True)
class ScaleChart:
    """One scale over time: its (translated) name, its measurements in time order and its answer range."""

    title: str
    points: Sequence[SeriesPoint]
    low: float
    high: float
    band: tuple[float, float] | None  # a change inside this band around the reference score is not reliable
    higher_is_better: bool = True


@dataclass(frozen=True)
class ChartLabels:
    """The translated texts of a scale chart; one instance can serve every scale on a page."""

    title: str
    description: str
    phase_names: Mapping[str, str]
    band: str
    reliable: str
    not_reliable: str
    date_format: Callable[[datetime.date], str]
    unknown: str = ""  # legend text for a point without a judgement; no legend entry when empty
    better: str = ""  # legend text beside an arrow pointing the better way; no legend entry when empty


@dataclass(frozen=True)
class ProfileLabels:
    """The translated texts of a life-domain profile."""

    title: str
    description: str
    start: str
    now: str


def _fmt(number: float) -> str:
    """A coordinate: at most one decimal, no trailing zeros."""
    text = f"{number:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _number(value: float, decimal_separator: str, decimals: int = 1) -> str:
    """A value as the reader sees it: at most ``decimals`` decimals, the reader's decimal separator."""
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    return text.replace(".", decimal_separator)


def _text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def _levels(low: float, high: float) -> list[float]:
    """Grid lines on round numbers, at most about MAX_GRID_LINES, always including both ends of the range."""
    span = high - low
    step = next((step for step in NICE_STEPS if span / step <= MAX_GRID_LINES), NICE_STEPS[-1])
    inner = [
        round(k * step, 6)
        for k in range(math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9) + 1)
        if low + step * 0.4 < k * step < high - step * 0.4
    ]
    return [low, *inner, high]


def _svg(chart_id: str, height: float, title: str, description: str, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="koers-chart" viewBox="0 0 {WIDTH} {_fmt(height)}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="{FONT}" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"{body}</svg>"
    )


def _legend(entries: Sequence[tuple[Callable[[float, float], str], str]], top: float) -> tuple[str, float]:
    """Swatches with their labels side by side, wrapping to a new row; returns the SVG and the height it takes."""
    if not entries:
        return "", 0
    x, y, parts = 0.0, top + 12, []
    available = WIDTH - PLOT_LEFT - 8
    for swatch, label in entries:
        width = 22 + _text_width(label)
        if x and x + width > available:
            x, y = 0.0, y + LEGEND_ROW
        parts.append(swatch(x + 7, y))
        parts.append(f'<text x="{_fmt(x + 20)}" y="{_fmt(y + 4)}" font-size="11" fill="{INK}">{escape(label)}</text>')
        x += width + 16
    legend = f'<g class="koers-chart__legend" transform="translate({PLOT_LEFT} 0)">{"".join(parts)}</g>'
    return legend, y - top + 10


# Scale over time


@dataclass(frozen=True)
class _Frame:
    top: float
    phase_top: float
    low: float
    high: float
    left: float = PLOT_LEFT
    width: float = WIDTH - PLOT_LEFT - PLOT_RIGHT
    height: float = PLOT_HEIGHT

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    def y(self, value: float) -> float:
        """SVG y grows downward; values outside the answer range stay on the edge of the plot."""
        clamped = min(max(value, self.low), self.high)
        return self.top + self.height * (self.high - clamped) / (self.high - self.low)


def _x_positions(dates: Sequence[datetime.date], frame: _Frame) -> list[float]:
    """Proportional to the time between measurements; measurements on the same day side by side."""
    span = (dates[-1] - dates[0]).days
    inner_left, inner_width = frame.left + EDGE, frame.width - 2 * EDGE
    if span == 0:
        base = [inner_left + inner_width / 2] * len(dates)
    else:
        base = [inner_left + inner_width * (moment - dates[0]).days / span for moment in dates]
    xs: list[float] = []
    for _day, group in itertools.groupby(range(len(dates)), key=lambda index: dates[index]):
        indexes = list(group)
        for rank, index in enumerate(indexes):
            x = base[index] + (rank - (len(indexes) - 1) / 2) * SAME_DAY_OFFSET
            xs.append(min(max(x, frame.left + 4), frame.right - 4))
    return xs


@dataclass(frozen=True)
class _PhaseRun:
    phase: str
    start: float  # x where the section starts
    end: float


def _phase_runs(points: Sequence[SeriesPoint], xs: Sequence[float], frame: _Frame) -> list[_PhaseRun]:
    """Consecutive points of one phase form a section; sections meet half-way between their neighbouring points."""
    groups = [
        (phase, [index for index, _point in group])
        for phase, group in itertools.groupby(enumerate(points), key=lambda item: item[1].phase)
    ]
    dividers = [(xs[before[-1]] + xs[after[0]]) / 2 for (_p, before), (_q, after) in itertools.pairwise(groups)]
    starts = [frame.left, *dividers]
    ends = [*dividers, frame.right]
    return [_PhaseRun(phase, start, end) for (phase, _indexes), start, end in zip(groups, starts, ends, strict=True)]


def _phase_class(phase: str) -> str:
    return phase.replace("_", "-") if phase in PHASE_FILLS else "other"


def _phase_sections(runs: Sequence[_PhaseRun], names: Mapping[str, str], frame: _Frame, rows: int) -> str:
    """A shaded section per run of one phase with its name on top; names alternate over two rows when crowded."""
    parts = [
        f'<rect class="koers-chart__phase koers-chart__phase--{_phase_class(run.phase)}" x="{_fmt(run.start)}" '
        f'y="{_fmt(frame.phase_top)}" width="{_fmt(run.end - run.start)}" '
        f'height="{_fmt(frame.bottom - frame.phase_top)}" fill="{PHASE_FILLS.get(run.phase, "#ffffff")}"/>'
        for run in runs
    ]
    for index, run in enumerate(runs):
        name = names.get(run.phase, run.phase)
        x = min(run.start + 6, WIDTH - 4 - _text_width(name))
        y = frame.phase_top + 11 + (index % rows) * PHASE_ROW
        parts.append(
            f'<text class="koers-chart__phase-name" x="{_fmt(x)}" y="{y}" font-size="11" font-weight="700" '
            f'fill="{SUBTLE}">{escape(name)}</text>'
        )
    return "".join(parts)


def _phase_dividers(runs: Sequence[_PhaseRun], frame: _Frame) -> str:
    """A solid line where the phase changes, as in an A | B single-case design."""
    return "".join(
        f'<line class="koers-chart__phase-divider" x1="{_fmt(run.start)}" x2="{_fmt(run.start)}" '
        f'y1="{_fmt(frame.phase_top)}" y2="{_fmt(frame.bottom)}" stroke="{INK}" stroke-width="1.5"/>'
        for run in runs[1:]
    )


def _y_grid(frame: _Frame, decimal_separator: str) -> str:
    parts = []
    for level in _levels(frame.low, frame.high):
        y = frame.y(level)
        dashes = "" if level == frame.low else ' stroke-dasharray="2 3"'
        parts.append(
            f'<line class="koers-chart__grid" x1="{_fmt(frame.left)}" x2="{_fmt(frame.right)}" y1="{_fmt(y)}" '
            f'y2="{_fmt(y)}" stroke="{GRID}" stroke-width="1"{dashes}/>'
            f'<text x="{_fmt(frame.left - 6)}" y="{_fmt(y + 3.5)}" font-size="10" text-anchor="end" '
            f'fill="{SUBTLE}">{_number(level, decimal_separator, 2)}</text>'
        )
    return "".join(parts)


def _band(band: tuple[float, float], frame: _Frame) -> str:
    """The band, cut off at the answer range; a dashed edge where the band ends inside the range."""
    lower, upper = sorted(band)
    top, bottom = frame.y(upper), frame.y(lower)
    parts = []
    if bottom > top:
        parts.append(
            f'<rect class="koers-chart__band" x="{_fmt(frame.left)}" y="{_fmt(top)}" width="{_fmt(frame.width)}" '
            f'height="{_fmt(bottom - top)}" fill="{BAND}" fill-opacity="0.7"/>'
        )
    for edge in (upper, lower):
        if frame.low <= edge <= frame.high:
            y = frame.y(edge)
            parts.append(
                f'<line class="koers-chart__band-edge" x1="{_fmt(frame.left)}" x2="{_fmt(frame.right)}" '
                f'y1="{_fmt(y)}" y2="{_fmt(y)}" stroke="{BAND_EDGE}" stroke-width="1.5" stroke-dasharray="6 4"/>'
            )
    return "".join(parts)


def _marker_kind(reliable: bool | None) -> str:
    return {True: "reliable", False: "not-reliable", None: "unknown"}[reliable]


def _marker(kind: str, x: float, y: float) -> str:
    """A filled diamond for a reliable change, a filled circle for no reliable change, a ring when unknown."""
    css = f"koers-chart__marker koers-chart__marker--{kind}"
    if kind == "reliable":
        return (
            f'<path class="{css}" d="M{_fmt(x)} {_fmt(y - 6.5)} L{_fmt(x + 6.5)} {_fmt(y)} L{_fmt(x)} {_fmt(y + 6.5)} '
            f'L{_fmt(x - 6.5)} {_fmt(y)} Z" fill="{RELIABLE}" stroke="{INK}" stroke-width="1"/>'
        )
    if kind == "not-reliable":
        return (
            f'<circle class="{css}" cx="{_fmt(x)}" cy="{_fmt(y)}" r="4" fill="{SUBTLE}" stroke="{INK}" '
            'stroke-width="1"/>'
        )
    return f'<circle class="{css}" cx="{_fmt(x)}" cy="{_fmt(y)}" r="4" fill="#ffffff" stroke="{INK}" stroke-width="2"/>'


def _arrow(x: float, y: float, up: bool) -> str:
    """The legend swatch of the better direction: an arrow pointing up or down."""
    sign = -1 if up else 1
    return (
        f'<path class="koers-chart__better koers-chart__better--{"up" if up else "down"}" '
        f'd="M{_fmt(x)} {_fmt(y - 5 * sign)} L{_fmt(x)} {_fmt(y + 2 * sign)} M{_fmt(x - 4)} {_fmt(y + 2 * sign)} '
        f'L{_fmt(x + 4)} {_fmt(y + 2 * sign)} L{_fmt(x)} {_fmt(y + 7 * sign)} Z" fill="{INK}" stroke="{INK}" '
        'stroke-width="2" stroke-linejoin="round"/>'
    )


def _date_axis(
    dates: Sequence[datetime.date], xs: Sequence[float], frame: _Frame, date_format: Callable[[datetime.date], str]
) -> str:
    """A tick under every measurement; a date under the first, the last and those in between that fit."""
    days = [list(group) for _day, group in itertools.groupby(range(len(dates)), key=lambda index: dates[index])]
    centres = [sum(xs[index] for index in day) / len(day) for day in days]  # under the middle of same-day points
    labels = [date_format(dates[day[0]]) for day in days]

    def apart(left: int, right: int) -> bool:
        return centres[right] - centres[left] >= (_text_width(labels[left]) + _text_width(labels[right])) / 2 + 10

    chosen = [0]
    for index in range(1, len(days) - 1):
        if apart(chosen[-1], index) and apart(index, len(days) - 1):
            chosen.append(index)
    if len(days) > 1:
        chosen.append(len(days) - 1)
    parts = [
        f'<line class="koers-chart__tick" x1="{_fmt(x)}" x2="{_fmt(x)}" y1="{_fmt(frame.bottom)}" '
        f'y2="{_fmt(frame.bottom + 4)}" stroke="{SUBTLE}" stroke-width="1"/>'
        for x in xs
    ]
    parts.extend(
        f'<text class="koers-chart__date" x="{_fmt(centres[index])}" y="{_fmt(frame.bottom + 17)}" font-size="10" '
        f'text-anchor="middle" fill="{SUBTLE}">{escape(labels[index])}</text>'
        for index in chosen
    )
    return "".join(parts)


def _band_swatch(x: float, y: float) -> str:
    return (
        f'<rect x="{_fmt(x - 7)}" y="{_fmt(y - 5)}" width="14" height="10" fill="{BAND}" stroke="{BAND_EDGE}" '
        'stroke-width="1.5" stroke-dasharray="3 2"/>'
    )


def _scale_legend(chart: ScaleChart, labels: ChartLabels) -> list[tuple[Callable[[float, float], str], str]]:
    """The band when drawn, the marker shapes that occur, and the better direction when the caller names it."""
    entries: list[tuple[Callable[[float, float], str], str]] = []
    if chart.band is not None:
        entries.append((_band_swatch, labels.band))
    present = {point.reliable for point in chart.points}
    for reliable, label in ((True, labels.reliable), (False, labels.not_reliable), (None, labels.unknown)):
        if reliable in present and label:
            entries.append((functools.partial(_marker, _marker_kind(reliable)), label))
    if labels.better:
        entries.append((functools.partial(_arrow, up=chart.higher_is_better), labels.better))
    return entries


def _accessible_name(chart: ScaleChart, labels: ChartLabels) -> str:
    """The scale's name with the caller's title, so that several charts on one page keep distinct names."""
    if not labels.title or labels.title == chart.title:
        return chart.title
    if not chart.title or chart.title in labels.title:
        return labels.title
    return f"{chart.title}: {labels.title}"


def _point(point: SeriesPoint, x: float, y: float, labels: ChartLabels, decimal_separator: str) -> str:
    """The marker, with a tooltip naming the phase, date, value and judgement (browsers show it on hover)."""
    kind = _marker_kind(point.reliable)
    judgement = {True: labels.reliable, False: labels.not_reliable, None: labels.unknown}[point.reliable]
    tooltip = (
        f"{labels.phase_names.get(point.phase, point.phase)}, {labels.date_format(point.taken_on)}: "
        f"{_number(point.value, decimal_separator)}"
    ) + (f" ({judgement})" if judgement else "")
    return f'<g class="koers-chart__point"><title>{escape(tooltip)}</title>{_marker(kind, x, y)}</g>'


def scale_chart(
    chart: ScaleChart,
    labels: ChartLabels,
    *,
    decimal_separator: str = ",",
    chart_id: str | None = None,
    heading: bool = True,
) -> str:
    """An SVG of one scale over time; empty when there are no measurements.

    The accessible name joins the scale's name and ``labels.title``; ``labels.description`` is the description.
    ``chart_id`` (default: derived from the scale's name) keeps the ids unique when a page shows several charts;
    ``heading`` prints the scale's name above the chart (leave it off when the page gives the chart a heading).
    """
    points = list(chart.points)
    if not points:
        return ""
    if not chart.high > chart.low:
        raise ValueError("the answer range needs high above low")
    dates = [point.taken_on for point in points]
    if any(later < earlier for earlier, later in itertools.pairwise(dates)):
        raise ValueError("points must be in chronological order")
    horizontal = _Frame(top=0, phase_top=0, low=chart.low, high=chart.high)  # x does not depend on the top
    xs = _x_positions(dates, horizontal)
    runs = _phase_runs(points, xs, horizontal)
    crowded = any(_text_width(labels.phase_names.get(run.phase, run.phase)) + 12 > run.end - run.start for run in runs)
    rows = 2 if crowded and len(runs) > 1 else 1
    phase_top = PHASE_TOP if heading and chart.title else 4
    frame = _Frame(top=phase_top + rows * PHASE_ROW + 8, phase_top=phase_top, low=chart.low, high=chart.high)
    ys = [frame.y(point.value) for point in points]
    parts = []
    if heading and chart.title:
        parts.append(
            f'<text class="koers-chart__heading" x="4" y="{TITLE_Y}" font-size="13" font-weight="700" '
            f'fill="{INK}">{escape(chart.title)}</text>'
        )
    parts.append(_phase_sections(runs, labels.phase_names, frame, rows))
    parts.append(_y_grid(frame, decimal_separator))
    if chart.band is not None:
        parts.append(_band(chart.band, frame))
    parts.append(_phase_dividers(runs, frame))
    if len(points) > 1:
        parts.append(
            f'<polyline class="koers-chart__line" fill="none" stroke="{INK}" stroke-width="2" stroke-linejoin="round" '
            f'points="{" ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in zip(xs, ys, strict=True))}"/>'
        )
    parts.extend(_point(point, x, y, labels, decimal_separator) for point, x, y in zip(points, xs, ys, strict=True))
    parts.append(
        f'<text class="koers-chart__value" x="{_fmt(xs[-1] + 10)}" y="{_fmt(ys[-1] + 4)}" font-size="12" '
        f'font-weight="700" fill="{INK}">{_number(points[-1].value, decimal_separator)}</text>'
    )
    parts.append(_date_axis(dates, xs, frame, labels.date_format))
    legend, legend_height = _legend(_scale_legend(chart, labels), frame.bottom + 26)
    parts.append(legend)
    height = frame.bottom + 26 + legend_height + 4
    chart_id = escape(chart_id if chart_id is not None else f"scale-chart-{zlib.crc32(chart.title.encode()):08x}")
    return _svg(chart_id, height, _accessible_name(chart, labels), labels.description, "".join(parts))


# Life-domain profile


def _profile_marker(kind: str, x: float, y: float) -> str:
    """A hollow ring at the start and a filled dot now: when both are equal the dot sits inside the ring."""
    css = f"koers-chart__marker koers-chart__marker--{kind}"
    if kind == "start":
        return (
            f'<circle class="{css}" cx="{_fmt(x)}" cy="{_fmt(y)}" r="6" fill="#ffffff" stroke="{INK}" '
            'stroke-width="2"/>'
        )
    return (
        f'<circle class="{css}" cx="{_fmt(x)}" cy="{_fmt(y)}" r="4" fill="{RELIABLE}" stroke="{INK}" stroke-width="1"/>'
    )


def profile_chart(
    domains: Sequence[tuple[str, float | None, float | None]],
    low: float,
    high: float,
    labels: ProfileLabels,
    *,
    decimal_separator: str = ",",
    chart_id: str = "profile-chart",
) -> str:
    """An SVG of each life domain at the start and now (label, start, now); empty when there are no domains.

    Both values are printed in two columns on the right; a missing value is a dash there and has no marker.
    """
    if not domains:
        return ""
    if not high > low:
        raise ValueError("the answer range needs high above low")
    column = max(PROFILE_VALUE_COLUMN, _text_width(labels.start) + 12, _text_width(labels.now) + 12)
    start_column, now_column = WIDTH - 2 * column + column / 2, WIDTH - column / 2
    left = min(max(max(_text_width(label) for label, _start, _now in domains) + 16, 100), 260)
    right = WIDTH - 2 * column - 16
    bottom = PROFILE_TOP + PROFILE_ROW * len(domains)

    def x_of(value: float) -> float:
        clamped = min(max(value, low), high)
        return left + 10 + (right - left - 20) * (clamped - low) / (high - low)

    parts = [
        f'<text class="koers-chart__column" x="{_fmt(start_column)}" y="{PROFILE_TOP - 10}" font-size="11" '
        f'font-weight="700" text-anchor="middle" fill="{INK}">{escape(labels.start)}</text>'
        f'<text class="koers-chart__column" x="{_fmt(now_column)}" y="{PROFILE_TOP - 10}" font-size="11" '
        f'font-weight="700" text-anchor="middle" fill="{INK}">{escape(labels.now)}</text>'
    ]
    for level in _levels(low, high):
        x = x_of(level)
        parts.append(
            f'<line class="koers-chart__grid" x1="{_fmt(x)}" x2="{_fmt(x)}" y1="{PROFILE_TOP}" y2="{_fmt(bottom)}" '
            f'stroke="{GRID}" stroke-width="1" stroke-dasharray="2 3"/>'
            f'<text x="{_fmt(x)}" y="{_fmt(bottom + 14)}" font-size="10" text-anchor="middle" '
            f'fill="{SUBTLE}">{_number(level, decimal_separator, 2)}</text>'
        )
    for index, (label, start, now) in enumerate(domains):
        y = PROFILE_TOP + PROFILE_ROW * (index + 0.5)
        row = [
            '<g class="koers-chart__domain">',
            f'<line x1="{_fmt(left)}" x2="{_fmt(right)}" y1="{_fmt(y)}" y2="{_fmt(y)}" stroke="{GRID}" '
            'stroke-width="1"/>',
            f'<text x="{_fmt(left - 10)}" y="{_fmt(y + 4)}" font-size="11" text-anchor="end" '
            f'fill="{INK}">{escape(label)}</text>',
        ]
        if start is not None and now is not None:
            row.append(
                f'<line class="koers-chart__change" x1="{_fmt(x_of(start))}" x2="{_fmt(x_of(now))}" y1="{_fmt(y)}" '
                f'y2="{_fmt(y)}" stroke="{SUBTLE}" stroke-width="3"/>'
            )
        for kind, value, column_x in (("start", start, start_column), ("now", now, now_column)):
            if value is not None:
                row.append(_profile_marker(kind, x_of(value), y))
            weight = ' font-weight="700"' if kind == "now" else ""
            text, css = (
                ("–", "koers-chart__missing")
                if value is None
                else (_number(value, decimal_separator), f"koers-chart__value koers-chart__value--{kind}")
            )
            row.append(
                f'<text class="{css}" x="{_fmt(column_x)}" y="{_fmt(y + 4)}" font-size="11" text-anchor="middle" '
                f'fill="{INK}"{weight}>{text}</text>'
            )
        row.append("</g>")
        parts.append("".join(row))
    legend, legend_height = _legend(
        [
            (functools.partial(_profile_marker, "start"), labels.start),
            (functools.partial(_profile_marker, "now"), labels.now),
        ],
        bottom + 20,
    )
    parts.append(legend)
    return _svg(escape(chart_id), bottom + 20 + legend_height + 4, labels.title, labels.description, "".join(parts))
