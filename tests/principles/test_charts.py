"""The pure trend chart: accessible, gaps for missing months, refuses data that does not line up."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from koers.principles.charts import ShareSeries, pass_share_chart, percent

MONTHS = ["jan 2026", "feb 2026", "mrt 2026"]


def chart(series: list[ShareSeries]) -> str:
    return pass_share_chart(MONTHS, series, title="Trend <titel>", description="Tien kleine grafieken")


def test_the_chart_has_an_accessible_name_and_description() -> None:
    svg = chart([ShareSeries("1. Maatwerk", [0.5, 0.75, 1.0])])
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert '<title id="principles-trend-title">Trend &lt;titel&gt;</title>' in svg
    assert '<desc id="principles-trend-desc">Tien kleine grafieken</desc>' in svg
    assert 'aria-labelledby="principles-trend-title principles-trend-desc"' in svg


def test_the_last_value_is_written_as_a_number() -> None:
    assert ">82%</text>" in chart([ShareSeries("1", [0.1, None, 0.82])])


def test_a_missing_month_breaks_the_line() -> None:
    svg = chart([ShareSeries("1", [0.5, None, 0.6])])
    assert svg.count("<polyline") == 2
    assert svg.count("<circle") == 2


def test_nothing_to_draw_gives_no_chart() -> None:
    assert chart([ShareSeries("1", [None, None, None])]) == ""
    assert pass_share_chart([], [], title="t", description="d") == ""


def test_series_must_line_up_with_the_months() -> None:
    with pytest.raises(ValueError, match="one value per month"):
        chart([ShareSeries("1", [0.5])])
    with pytest.raises(ValueError, match="between 0 and 1"):
        chart([ShareSeries("1", [0.5, 1.5, 0.2])])


def test_labels_are_escaped() -> None:
    assert "<script>" not in chart([ShareSeries("<script>", [0.1, 0.2, 0.3])])


@given(st.lists(st.one_of(st.none(), st.floats(min_value=0, max_value=1)), min_size=3, max_size=3))
def test_any_shares_give_one_marker_per_recorded_month(values: list[float | None]) -> None:
    svg = chart([ShareSeries("1", values)])
    recorded = sum(value is not None for value in values)
    assert svg.count("<circle") == recorded
    assert (svg == "") == (recorded == 0)


def test_percent_rounds() -> None:
    assert percent(0.336) == "34%"
    assert percent(1.0) == "100%"
