"""The report charts: well-formed, accessible SVG that carries every figure as text, not by colour alone."""

import xml.etree.ElementTree as ElementTree
from typing import Any

import pytest

from koers.reporting.charts import SERIES_STYLES, bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 - our own output


def texts(root: ElementTree.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def by_class(root: ElementTree.Element, css: str) -> list[ElementTree.Element]:
    return [element for element in root.iter() if css in (element.get("class") or "").split()]


def count(value: float) -> str:
    return f"{value:.0f}"


def percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def bars(**overrides: Any) -> str:
    arguments: dict[str, Any] = {
        "title": "Participants per programme",
        "description": "Number of participants per programme in the period.",
        "labels": ["Sterk in werk", "Budgetcursus", "Taal op de werkvloer"],
        "values": [12.0, None, 30.0],
        "value_format": count,
        "missing_label": "x",
    }
    return bar_chart(**(arguments | overrides))


def lines(**overrides: Any) -> str:
    arguments: dict[str, Any] = {
        "title": "Waiting list",
        "description": "Referrals waiting at the end of each month.",
        "x_labels": ["jan", "feb", "mrt", "apr"],
        "series": [("Sterk in werk", [10.0, 12.0, None, 9.0]), ("Budgetcursus", [3.0, 4.0, 5.0, 6.0])],
        "y_format": count,
    }
    return line_chart(**(arguments | overrides))


def test_bar_chart_is_an_image_with_its_title_and_description():
    root = parse(bars())
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Participants per programme"
    assert root.find(f"{SVG}desc").text == "Number of participants per programme in the period."
    assert root.get("aria-labelledby") == "bar-chart-title bar-chart-desc"


def test_bar_chart_draws_a_bar_with_its_value_per_known_value_and_the_missing_label_for_none():
    root = parse(bars())
    assert len(by_class(root, "koers-chart__bar")) == 3
    assert len(by_class(root, "koers-chart__value-bar")) == 2
    assert [element.text for element in by_class(root, "koers-chart__value")] == ["12", "30"]
    assert [element.text for element in by_class(root, "koers-chart__missing")] == ["x"]
    assert {"Sterk in werk", "Budgetcursus", "Taal op de werkvloer"} <= set(texts(root))


def test_bar_lengths_are_proportional_to_the_values_from_zero():
    widths = [float(element.get("width", "")) for element in by_class(parse(bars()), "koers-chart__value-bar")]
    assert widths[0] / widths[1] == pytest.approx(12 / 30, abs=0.01)


def test_bar_chart_of_zeros_draws_zero_length_bars():
    root = parse(bars(values=[0.0, 0.0, None]))
    assert [float(element.get("width", "")) for element in by_class(root, "koers-chart__value-bar")] == [0.0, 0.0]


def test_bar_chart_escapes_every_text():
    svg = bars(
        title='<script>"x"</script>',
        description="a & b",
        labels=["<b>", "c & d", "e"],
        value_format=lambda value: f"<{value:.0f}>",
        missing_label="<x> & more",
    )
    root = parse(svg)
    assert "<script>" not in svg
    assert "<b>" not in svg
    assert root.find(f"{SVG}title").text == '<script>"x"</script>'
    assert {"<b>", "c & d", "<12>", "<x> & more"} <= set(texts(root))


def test_bar_chart_needs_one_value_per_label_and_no_negatives():
    with pytest.raises(ValueError, match="one value per label"):
        bars(values=[1.0])
    with pytest.raises(ValueError, match="no negative values"):
        bars(values=[1.0, -1.0, 2.0])
    assert bars(labels=[], values=[]) == ""


def test_line_chart_is_an_image_with_its_title_description_and_one_group_per_series():
    root = parse(lines())
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Waiting list"
    assert root.find(f"{SVG}desc").text == "Referrals waiting at the end of each month."
    series = by_class(root, "koers-chart__series")
    assert [group.find(f"{SVG}title").text for group in series] == ["Sterk in werk", "Budgetcursus"]
    legend = by_class(root, "koers-chart__legend")
    assert [group.find(f"{SVG}text").text for group in legend] == ["Sterk in werk", "Budgetcursus"]


def test_a_missing_value_splits_the_line_and_has_no_marker():
    first, second = by_class(parse(lines()), "koers-chart__series")
    assert len(first.findall(f"{SVG}polyline")) == 2
    assert len(second.findall(f"{SVG}polyline")) == 1
    markers = [child for child in first if child.tag in {f"{SVG}circle", f"{SVG}rect", f"{SVG}path"}]
    assert len(markers) == 3


def test_series_differ_in_dash_pattern_and_marker_shape():
    first, second = by_class(parse(lines()), "koers-chart__series")
    assert first.find(f"{SVG}polyline").get("stroke-dasharray") is None
    assert second.find(f"{SVG}polyline").get("stroke-dasharray") == "6 3"
    assert first.find(f"{SVG}circle") is not None
    assert second.find(f"{SVG}rect") is not None


def test_the_last_value_of_each_series_is_printed():
    root = parse(lines())
    assert [element.text for element in by_class(root, "koers-chart__value")] == ["9", "6"]


def test_the_y_axis_starts_at_zero():
    root = parse(lines(series=[("Share", [0.4, 0.55, 0.6, 0.5])], y_format=percent))
    axis = [text for text in texts(root) if text.endswith("%")]
    assert axis[0] == "0%"
    assert "60%" in axis  # the top of the axis covers the highest value


def test_line_chart_escapes_every_text():
    svg = lines(
        title="a < b",
        x_labels=["<jan>", "feb", "mrt", "apr"],
        series=[("<i>x</i>", [1.0, 2.0, 3.0, 4.0])],
        y_format=lambda value: f"{value:.0f} & up",
    )
    root = parse(svg)
    assert "<i>" not in svg
    assert "<jan>" not in svg
    assert {"<jan>", "<i>x</i>", "4 & up"} <= set(texts(root))


def test_line_chart_is_empty_without_values_and_refuses_what_it_cannot_draw():
    assert lines(series=[("a", [None, None, None, None])]) == ""
    with pytest.raises(ValueError, match="one value per x label"):
        lines(series=[("a", [1.0, 2.0])])
    with pytest.raises(ValueError, match="can be told apart"):
        lines(series=[(f"s{i}", [1.0, 2.0, 3.0, 4.0]) for i in range(len(SERIES_STYLES) + 1)])


def test_charts_use_presentation_attributes_only():
    for svg in (bars(), lines()):
        assert all(element.get("style") is None for element in parse(svg).iter())


def test_last_values_at_the_same_point_do_not_overlap():
    root = parse(lines(series=[("a", [1.0, 2.0, 3.0, 5.0]), ("b", [2.0, 1.0, 3.0, 5.0])]))
    first, second = (float(element.get("y", "")) for element in by_class(root, "koers-chart__value"))
    assert abs(first - second) >= 12
