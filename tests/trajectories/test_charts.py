"""The life-domain chart: pure SVG, accessible, not relying on colour, values on the right scale."""

import ast
import datetime
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from koers.trajectories import charts
from koers.trajectories.charts import DomainSeries, life_domain_chart

SVG = "{http://www.w3.org/2000/svg}"
DATES = [datetime.date(2026, 1, 1), datetime.date(2026, 4, 1), datetime.date(2026, 7, 1)]
DOMAINS = [
    DomainSeries("Housing", [1, 2, 3]),
    DomainSeries("Finances", [2, 1, 1]),
    DomainSeries("Social functioning", [3, 3, None]),
    DomainSeries("Mental functioning", [4, 4, 5]),
    DomainSeries("Motivation", [3, 4, 4]),
    DomainSeries("Physical functioning", [5, 5, 5]),
    DomainSeries("Practical functioning", [2, 3, 3]),
    DomainSeries("Daytime activities", [1, 1, 2]),
]


def chart(dates=DATES, series=DOMAINS, **kwargs) -> ET.Element:
    svg = life_domain_chart(
        dates, series, title="Scores over time", description="Eight domains.", urgent_label="Score 1", **kwargs
    )
    return ET.fromstring(svg)  # noqa: S314 - our own output


def points(polyline: ET.Element | None) -> list[tuple[float, float]]:
    assert polyline is not None
    pairs = [pair.split(",") for pair in polyline.get("points", "").split()]
    return [(float(x), float(y)) for x, y in pairs]


def test_the_chart_is_an_image_with_a_title_and_a_description() -> None:
    root = chart(chart_id="case")
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "case-title case-desc"
    assert root.find(f"{SVG}title").text == "Scores over time"
    assert root.find(f"{SVG}title").get("id") == "case-title"
    assert root.find(f"{SVG}desc").text == "Eight domains."
    assert root.find(f"{SVG}desc").get("id") == "case-desc"


def test_one_line_per_domain_each_labelled() -> None:
    root = chart()
    assert len(root.findall(f".//{SVG}polyline")) == len(DOMAINS)
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert all(domain.label in texts for domain in DOMAINS)


def test_urgent_scores_get_a_square_marker_not_only_a_colour() -> None:
    root = chart()
    values = [value for domain in DOMAINS for value in domain.values if value is not None]
    squares = root.findall(f".//{SVG}rect[@class='koers-chart__marker koers-chart__marker--urgent']")
    circles = root.findall(f".//{SVG}circle[@class='koers-chart__marker']")
    assert len(squares) == values.count(1)
    assert len(circles) == len(values) - values.count(1)
    assert "Score 1" in [text.text for text in root.iter(f"{SVG}text")]


def test_higher_scores_are_drawn_higher_and_the_scale_is_linear() -> None:
    root = chart(series=[DomainSeries("Housing", [1, 3, 5])])
    (_x1, y1), (_x2, y3), (_x3, y5) = points(root.find(f".//{SVG}polyline"))
    assert y5 < y3 < y1  # SVG y grows downward
    assert y1 - y3 == pytest.approx(y3 - y5)


def test_time_between_assessments_sets_the_horizontal_distance() -> None:
    dates = [datetime.date(2026, 1, 1), datetime.date(2026, 1, 11), datetime.date(2026, 4, 11)]
    root = chart(dates=dates, series=[DomainSeries("Housing", [2, 2, 2])])
    (x1, _), (x2, _), (x3, _) = points(root.find(f".//{SVG}polyline"))
    assert (x3 - x2) == pytest.approx(9 * (x2 - x1))


def test_missing_scores_are_left_out_of_the_line() -> None:
    root = chart(series=[DomainSeries("Social functioning", [3, None, 4])])
    assert len(points(root.find(f".//{SVG}polyline"))) == 2


def test_the_last_value_is_printed_as_a_number() -> None:
    root = chart(series=[DomainSeries("Housing", [1, 2, 4])])
    assert [text.text for text in root.iter(f"{SVG}text") if text.get("class") == "koers-chart__value"] == ["4"]


def test_labels_are_escaped() -> None:
    svg = life_domain_chart(
        DATES,
        [DomainSeries('<script>alert("x")</script>', [1, 2, 3])],
        title="A & B",
        description="<b>",
        date_labels=["1 jan", "1 apr", "<1 jul>"],
    )
    assert "<script>" not in svg
    assert "<b>" not in svg
    assert "<1 jul>" not in svg
    ET.fromstring(svg)  # noqa: S314 - still well-formed XML


def test_nothing_to_draw_gives_an_empty_string() -> None:
    assert life_domain_chart([], DOMAINS, title="t", description="d") == ""


def test_inconsistent_input_is_refused() -> None:
    with pytest.raises(ValueError, match="chronological"):
        life_domain_chart(list(reversed(DATES)), DOMAINS, title="t", description="d")
    with pytest.raises(ValueError, match="one entry per date"):
        life_domain_chart(DATES, [DomainSeries("Housing", [1, 2])], title="t", description="d")


def test_a_single_assessment_still_shows_its_markers() -> None:
    root = chart(dates=DATES[:1], series=[DomainSeries("Housing", [1]), DomainSeries("Finances", [4])])
    assert len(root.findall(f".//{SVG}polyline")) == 2
    assert len(root.findall(f".//{SVG}rect[@class='koers-chart__marker koers-chart__marker--urgent']")) == 1


def test_height_follows_the_number_of_panel_rows() -> None:
    four = chart(series=DOMAINS[:4]).get("viewBox")
    eight = chart().get("viewBox")
    assert four is not None
    assert eight is not None
    assert float(eight.split()[3]) - float(four.split()[3]) == charts.PANEL_HEIGHT


def test_the_module_imports_no_django() -> None:
    tree = ast.parse(Path(charts.__file__).read_text())
    modules = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names] + [
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    ]
    assert not [name for name in modules if re.match(r"(django|koers)\b", name)]
