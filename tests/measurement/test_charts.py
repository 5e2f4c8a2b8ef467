"""Effect-measurement charts: pure SVG, accessible, shapes rather than colour, the same on screen and in a PDF."""

import ast
import datetime
import itertools
import logging
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koers import pdf as pdf_module
from koers.measurement import charts
from koers.measurement.charts import ChartLabels, ProfileLabels, ScaleChart, SeriesPoint, profile_chart, scale_chart

SVG = "{http://www.w3.org/2000/svg}"
DAY = datetime.date(2026, 1, 5)
LABELS = ChartLabels(
    title="Score over time",
    description="Baseline, then the training.",
    phase_names={"baseline": "Baseline", "intervention": "Training", "follow_up": "Follow-up"},
    band="No reliable change",
    reliable="Reliable change",
    not_reliable="Change not reliable",
    date_format=lambda day: day.strftime("%d-%m-%Y"),
)
PROFILE_LABELS = ProfileLabels(title="Life domains", description="Start against now.", start="Start", now="Now")


def point(days: int, value: float, phase: str = "intervention", reliable: bool | None = None) -> SeriesPoint:
    return SeriesPoint(DAY + datetime.timedelta(days=days), value, phase, reliable)


SERIES = [
    point(0, 2.0, "baseline"),
    point(14, 2.2, "baseline", False),
    point(28, 2.1, "baseline", False),
    point(56, 3.0, "intervention", False),
    point(84, 3.8, "intervention", True),
    point(112, 4.3, "intervention", True),
    point(200, 4.1, "follow_up", True),
]


def scale(points=SERIES, band=(1.4, 2.6), low=1.0, high=5.0, **kwargs) -> ScaleChart:
    return ScaleChart("Vertrouwen in eigen kunnen", points, low, high, band, **kwargs)


def render(chart: ScaleChart | None = None, labels: ChartLabels = LABELS, **kwargs) -> ET.Element:
    return ET.fromstring(scale_chart(chart or scale(), labels, **kwargs))  # noqa: S314 - our own output


def by_class(root: ET.Element, css: str) -> list[ET.Element]:
    return [element for element in root.iter() if css in (element.get("class") or "").split()]


def markers(root: ET.Element) -> list[ET.Element]:
    """The marker of each measurement, in order (not the legend's swatches)."""
    return [
        next(child for child in group if child.tag != f"{SVG}title") for group in by_class(root, "koers-chart__point")
    ]


def centre(marker: ET.Element) -> tuple[float, float]:
    if marker.tag == f"{SVG}circle":
        return float(marker.get("cx", "")), float(marker.get("cy", ""))
    x, top = re.findall(r"-?[\d.]+", marker.get("d", ""))[:2]  # a diamond starts at its top corner
    return float(x), float(top) + 6.5


def y_of(root: ET.Element, low: float, high: float):
    """The chart's value → y mapping, read back from its lowest and highest grid lines."""
    grid = by_class(root, "koers-chart__grid")
    bottom, top = float(grid[0].get("y1", "")), float(grid[-1].get("y1", ""))
    return lambda value: bottom + (top - bottom) * (value - low) / (high - low)


def texts(root: ET.Element, css: str | None = None) -> list[str]:
    return [text.text or "" for text in root.iter(f"{SVG}text") if css is None or css in (text.get("class") or "")]


# Scale over time


def test_the_chart_is_an_image_named_by_its_title_and_description() -> None:
    root = render(chart_id="confidence")
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "confidence-title confidence-desc"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None
    assert desc is not None
    assert title.get("id") == "confidence-title"
    assert desc.get("id") == "confidence-desc"
    assert title.text == "Vertrouwen in eigen kunnen: Score over time"
    assert desc.text == "Baseline, then the training."


def test_the_accessible_name_names_the_scale_once() -> None:
    def name(title: str) -> str | None:
        element = render(labels=ChartLabels(**{**LABELS.__dict__, "title": title})).find(f"{SVG}title")
        assert element is not None
        return element.text

    assert name("") == "Vertrouwen in eigen kunnen"
    assert name("Vertrouwen in eigen kunnen over time") == "Vertrouwen in eigen kunnen over time"


def test_charts_of_different_scales_get_different_ids_by_default() -> None:
    first = render().get("aria-labelledby")
    second = render(ScaleChart("Zelfregie", SERIES, 1, 5, None)).get("aria-labelledby")
    assert first != second


def test_one_marker_per_measurement_shaped_by_whether_the_change_is_reliable() -> None:
    found = markers(render())
    assert len(found) == len(SERIES)
    expected = {True: "reliable", False: "not-reliable", None: "unknown"}
    for marker, measurement in zip(found, SERIES, strict=True):
        assert f"koers-chart__marker--{expected[measurement.reliable]}" in (marker.get("class") or "")
        if measurement.reliable:
            assert marker.tag == f"{SVG}path"  # a diamond
        else:
            assert marker.tag == f"{SVG}circle"
            hollow = marker.get("fill") == "#ffffff"
            assert hollow is (measurement.reliable is None)


def test_higher_scores_are_drawn_higher_and_later_measurements_further_right() -> None:
    root = render()
    positions = [centre(marker) for marker in markers(root)]
    xs = [x for x, _y in positions]
    assert xs == sorted(xs)
    y = y_of(root, 1, 5)
    for (_x, drawn), measurement in zip(positions, SERIES, strict=True):
        assert drawn == pytest.approx(y(measurement.value), abs=0.1)


def test_the_band_is_drawn_between_its_edges_with_a_legend_entry() -> None:
    root = render(scale(band=(2.6, 1.4)))  # either order
    y = y_of(root, 1, 5)
    [band] = by_class(root, "koers-chart__band")
    assert float(band.get("y", "")) == pytest.approx(y(2.6), abs=0.1)
    assert float(band.get("y", "")) + float(band.get("height", "")) == pytest.approx(y(1.4), abs=0.1)
    edges = sorted(float(edge.get("y1", "")) for edge in by_class(root, "koers-chart__band-edge"))
    assert edges == [pytest.approx(y(2.6), abs=0.1), pytest.approx(y(1.4), abs=0.1)]
    assert edges[0] < edges[1]
    assert "No reliable change" in texts(root)


def test_without_a_band_there_is_no_band_and_no_legend_entry_for_it() -> None:
    root = render(scale(band=None))
    assert not by_class(root, "koers-chart__band")
    assert not by_class(root, "koers-chart__band-edge")
    assert "No reliable change" not in texts(root)


def test_a_band_reaching_past_the_answer_range_is_cut_off_there() -> None:
    root = render(scale(band=(0.2, 2.0)))
    y = y_of(root, 1, 5)
    [band] = by_class(root, "koers-chart__band")
    assert float(band.get("y", "")) + float(band.get("height", "")) == pytest.approx(y(1), abs=0.1)
    assert len(by_class(root, "koers-chart__band-edge")) == 1


def test_points_outside_the_band_and_the_range_stay_on_the_plot() -> None:
    points = [
        point(0, 3.0),
        point(10, 4.9, reliable=True),
        point(20, 7.0, reliable=True),
        point(30, 0.0, reliable=True),
    ]
    root = render(scale(points=points, band=(2.5, 3.5)))
    y = y_of(root, 1, 5)
    ys = [centre(marker)[1] for marker in markers(root)]
    assert ys[2] == pytest.approx(y(5), abs=0.1)
    assert ys[3] == pytest.approx(y(1), abs=0.1)


def test_a_divider_where_the_phase_changes_and_a_named_section_per_phase() -> None:
    root = render()
    xs = [centre(marker)[0] for marker in markers(root)]
    dividers = [float(line.get("x1", "")) for line in by_class(root, "koers-chart__phase-divider")]
    assert dividers == [pytest.approx((xs[2] + xs[3]) / 2, abs=0.1), pytest.approx((xs[5] + xs[6]) / 2, abs=0.1)]
    assert texts(root, "koers-chart__phase-name") == ["Baseline", "Training", "Follow-up"]
    sections = [element.get("class") for element in by_class(root, "koers-chart__phase")]
    assert sections == [
        "koers-chart__phase koers-chart__phase--baseline",
        "koers-chart__phase koers-chart__phase--intervention",
        "koers-chart__phase koers-chart__phase--follow-up",
    ]


def test_one_phase_has_no_divider() -> None:
    root = render(scale(points=[point(0, 2), point(30, 3, reliable=False)]))
    assert not by_class(root, "koers-chart__phase-divider")
    assert texts(root, "koers-chart__phase-name") == ["Training"]


def test_the_last_value_is_printed_with_the_decimal_separator() -> None:
    assert texts(render(), "koers-chart__value") == ["4,1"]
    assert texts(render(decimal_separator="."), "koers-chart__value") == ["4.1"]


def test_axis_labels_use_the_decimal_separator() -> None:
    root = render(scale(points=[point(0, 0.5), point(9, 1.5)], band=None, low=0, high=2))
    assert {"0", "0,5", "1", "1,5", "2"} <= set(texts(root))


def test_a_single_measurement_shows_its_marker_value_and_date_without_a_line() -> None:
    root = render(scale(points=[point(0, 3.2)]))
    assert len(markers(root)) == 1
    assert root.find(f".//{SVG}polyline") is None
    assert texts(root, "koers-chart__value") == ["3,2"]
    assert texts(root, "koers-chart__date") == ["05-01-2026"]


def test_measurements_on_the_same_day_stand_side_by_side_under_one_date() -> None:
    points = [point(0, 2), point(30, 3, reliable=False), point(30, 4, reliable=True), point(60, 4, reliable=True)]
    root = render(scale(points=points))
    xs = [centre(marker)[0] for marker in markers(root)]
    assert xs[0] < xs[1] < xs[2] < xs[3]
    assert texts(root, "koers-chart__date").count("04-02-2026") <= 1
    assert len(by_class(root, "koers-chart__tick")) == 4


def test_all_measurements_on_one_day_still_draw() -> None:
    points = [point(0, 2, "baseline"), point(0, 3, "intervention", False)]
    root = render(scale(points=points))
    assert len(markers(root)) == 2
    assert len(by_class(root, "koers-chart__phase-divider")) == 1
    assert texts(root, "koers-chart__date") == ["05-01-2026"]


def test_the_legend_explains_only_the_shapes_drawn() -> None:
    only_reliable = [point(0, 2, reliable=True), point(9, 3, reliable=True)]
    root = render(scale(points=only_reliable))
    legend = by_class(root, "koers-chart__legend")[0]
    assert [text.text for text in legend.iter(f"{SVG}text")] == ["No reliable change", "Reliable change"]
    assert len(by_class(legend, "koers-chart__marker--reliable")) == 1


def test_optional_legend_entries_for_unknown_and_the_better_direction() -> None:
    labels = ChartLabels(**{**LABELS.__dict__, "unknown": "Starting point", "better": "Better"})
    higher = render(labels=labels)
    lower = render(scale(higher_is_better=False), labels=labels)
    assert {"Starting point", "Better"} <= set(texts(higher))
    assert by_class(higher, "koers-chart__better--up")
    assert by_class(lower, "koers-chart__better--down")
    assert not by_class(render(), "koers-chart__better")


def test_the_heading_can_be_left_to_the_page() -> None:
    assert texts(render(), "koers-chart__heading") == ["Vertrouwen in eigen kunnen"]
    assert texts(render(heading=False), "koers-chart__heading") == []


def test_text_is_escaped() -> None:
    evil = "<script>alert(1)</script>"
    labels = ChartLabels(
        title=evil,
        description="A & <b>B</b>",
        phase_names={"intervention": evil},
        band=evil,
        reliable=evil,
        not_reliable=evil,
        date_format=lambda _day: evil,
    )
    svg = scale_chart(ScaleChart(evil, [point(0, 2), point(9, 4, reliable=True)], 1, 5, (1, 3)), labels)
    assert "<script" not in svg
    assert "<b>" not in svg
    root = ET.fromstring(svg)  # noqa: S314 - still well-formed XML
    assert evil in texts(root)


def test_the_output_is_deterministic_and_uses_no_inline_styles() -> None:
    first = scale_chart(scale(), LABELS)
    assert first == scale_chart(scale(), LABELS)
    assert "style=" not in first
    assert "<script" not in first


def test_nothing_to_draw_gives_an_empty_string() -> None:
    assert scale_chart(scale(points=[]), LABELS) == ""


def test_inconsistent_input_is_refused() -> None:
    with pytest.raises(ValueError, match="chronological"):
        scale_chart(scale(points=list(reversed(SERIES))), LABELS)
    with pytest.raises(ValueError, match="high above low"):
        scale_chart(scale(low=5, high=5), LABELS)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=400),
            st.floats(min_value=1, max_value=5),
            st.sampled_from(["baseline", "intervention", "follow_up"]),
            st.sampled_from([True, False, None]),
        ),
        min_size=1,
        max_size=25,
    ),
    st.one_of(st.none(), st.tuples(st.floats(0, 6), st.floats(0, 6))),
)
def test_every_measurement_gets_one_marker_inside_the_plot(raw, band) -> None:
    points = [point(days, value, phase, reliable) for days, value, phase, reliable in sorted(raw, key=lambda r: r[0])]
    root = render(scale(points=points, band=band))
    found = markers(root)
    assert len(found) == len(points)
    y = y_of(root, 1, 5)
    for x, drawn in map(centre, found):
        assert charts.PLOT_LEFT <= x <= charts.WIDTH - charts.PLOT_RIGHT
        assert y(5) - 0.1 <= drawn <= y(1) + 0.1
    runs = sum(1 for before, after in itertools.pairwise(points) if before.phase != after.phase)
    assert len(by_class(root, "koers-chart__phase-divider")) == runs


# Life-domain profile

DOMAINS = [
    ("Wonen", 2.0, 4.0),
    ("Financiën", 1.0, 1.0),
    ("Sociaal functioneren", None, 3.0),
    ("Psychisch functioneren", 3.5, None),
    ("Dagbesteding", None, None),
]


def profile(domains=DOMAINS, **kwargs) -> ET.Element:
    return ET.fromstring(profile_chart(domains, 1, 5, PROFILE_LABELS, **kwargs))  # noqa: S314 - our own output


def test_the_profile_is_an_image_named_by_its_title_and_description() -> None:
    root = profile(chart_id="domains")
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "domains-title domains-desc"
    assert root.find(f"{SVG}title[@id='domains-title']") is not None
    assert root.find(f"{SVG}desc[@id='domains-desc']") is not None


def test_the_profile_has_a_row_per_domain_with_start_and_now_told_apart_by_shape() -> None:
    root = profile()
    rows = by_class(root, "koers-chart__domain")
    assert len(rows) == len(DOMAINS)
    for row, (label, start, now) in zip(rows, DOMAINS, strict=True):
        assert label in texts(row)
        assert len(by_class(row, "koers-chart__marker--start")) == (start is not None)
        assert len(by_class(row, "koers-chart__marker--now")) == (now is not None)
        assert len(by_class(row, "koers-chart__change")) == (start is not None and now is not None)
    start_marker = by_class(root, "koers-chart__marker--start")[0]
    now_marker = by_class(root, "koers-chart__marker--now")[0]
    assert start_marker.get("fill") == "#ffffff"  # a ring
    assert now_marker.get("fill") != "#ffffff"  # a filled dot
    assert float(start_marker.get("r", "")) > float(now_marker.get("r", ""))  # an equal score: the dot in the ring
    assert {"Start", "Now"} <= set(texts(by_class(root, "koers-chart__legend")[0]))


def test_a_missing_profile_value_is_a_dash_not_a_bar_or_a_zero() -> None:
    rows = by_class(profile(), "koers-chart__domain")
    assert texts(rows[2], "koers-chart__missing") == ["–"]
    assert texts(rows[3], "koers-chart__missing") == ["–"]
    assert texts(rows[4], "koers-chart__missing") == ["–", "–"]
    assert not by_class(rows[4], "koers-chart__marker")
    assert "0" not in texts(rows[4])


def test_profile_values_are_printed_with_the_decimal_separator() -> None:
    rows = by_class(profile(), "koers-chart__domain")
    assert texts(rows[0], "koers-chart__value") == ["2", "4"]
    assert texts(rows[3], "koers-chart__value") == ["3,5"]
    rows = by_class(profile(decimal_separator="."), "koers-chart__domain")
    assert texts(rows[3], "koers-chart__value") == ["3.5"]


def test_a_higher_profile_score_lies_further_right() -> None:
    root = profile([("Wonen", 1.0, 5.0), ("Werk", 3.0, 2.0)])
    starts = [float(marker.get("cx", "")) for marker in by_class(root, "koers-chart__marker--start")[:2]]
    nows = [float(marker.get("cx", "")) for marker in by_class(root, "koers-chart__marker--now")[:2]]
    assert starts[0] < nows[1] < starts[1] < nows[0]


def test_profile_text_is_escaped_and_nothing_to_draw_is_empty() -> None:
    svg = profile_chart(
        [("<script>x</script>", 1, 2)], 1, 5, ProfileLabels(title="A & B", description="<i>", start="<", now=">")
    )
    assert "<script" not in svg
    assert "<i>" not in svg
    assert "style=" not in svg
    ET.fromstring(svg)  # noqa: S314 - still well-formed XML
    assert profile_chart([], 1, 5, PROFILE_LABELS) == ""
    with pytest.raises(ValueError, match="high above low"):
        profile_chart(DOMAINS, 5, 1, PROFILE_LABELS)


# In a PDF


def test_both_charts_render_in_a_weasyprint_pdf(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    html = (
        f'<html lang="nl"><head><title>Chart</title><style>{pdf_module.font_faces()}'
        "html { font-family: 'Noto Sans'; }</style></head><body>"
        f"{scale_chart(scale(), LABELS)}{profile_chart(DOMAINS, 1, 5, PROFILE_LABELS)}</body></html>"
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = pdf_module.HTML(string=html, url_fetcher=pdf_module.FontFilesOnly()).write_pdf(pdf_variant="pdf/ua-1")
    assert pdf.startswith(b"%PDF")
    assert not [record for record in caplog.records if record.name.startswith("weasyprint")]
    if (pdftotext := shutil.which("pdftotext")) is None:
        return
    path = tmp_path / "chart.pdf"
    path.write_bytes(pdf)
    text = subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Vertrouwen in eigen kunnen" in text
    assert "4,1" in text  # the last value, drawn as text in the SVG
    assert "Financiën" in text


def test_the_module_imports_no_django() -> None:
    tree = ast.parse(Path(charts.__file__).read_text())
    modules = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names] + [
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    ]
    assert not [name for name in modules if re.match(r"(django|koers)\b", name)]
