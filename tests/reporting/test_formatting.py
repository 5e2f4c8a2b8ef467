"""Figures as the reader sees them: Dutch and English separators, rounding per kind, "x" and "–"."""

from decimal import Decimal

import pytest
from django.utils import translation

from koers.reporting.formatting import format_value, xlsx_labels
from koers.reporting.report import SUPPRESSED, Kind


@pytest.mark.parametrize(
    ("value", "kind", "dutch", "english"),
    [
        (1234, Kind.COUNT, "1.234", "1,234"),
        (0.835, Kind.PERCENT, "83,5%", "83.5%"),
        (Decimal("1234.56"), Kind.MONEY, "€ 1.234,56", "€1,234.56"),
        (12.5, Kind.HOURS, "12,5", "12.5"),
        (14, Kind.DAYS, "14", "14"),
        (Decimal("0.456"), Kind.NUMBER, "0,46", "0.46"),
        (1234567.891, Kind.NUMBER, "1.234.567,89", "1,234,567.89"),
        (Decimal("-12.5"), Kind.MONEY, "€ -12,50", "-€12.50"),
        (1, Kind.PERCENT, "100,0%", "100.0%"),
    ],
)
def test_numbers_follow_the_language(value, kind, dutch, english) -> None:
    with translation.override("nl"):
        assert format_value(value, kind) == dutch
    with translation.override("en"):
        assert format_value(value, kind) == english


@pytest.mark.parametrize(
    ("value", "kind", "shown"),
    [
        (2.25, Kind.HOURS, "2,3"),  # Django alone would cut this to 2,2
        (Decimal("0.005"), Kind.MONEY, "€ 0,01"),
        (0.83449, Kind.PERCENT, "83,4%"),
        (0.83450, Kind.PERCENT, "83,5%"),
        (13.5, Kind.DAYS, "14"),
        (-0.04, Kind.HOURS, "0,0"),  # no "-0,0"
    ],
)
def test_numbers_are_rounded_half_up_not_cut_off(value, kind, shown) -> None:
    with translation.override("nl"):
        assert format_value(value, kind) == shown


def test_withheld_nothing_and_text() -> None:
    with translation.override("nl"):
        assert format_value(SUPPRESSED, Kind.COUNT) == "x"
        assert format_value(SUPPRESSED, Kind.MONEY) == "x"
        assert format_value(None, Kind.PERCENT) == "–"
        assert format_value("Werkfit 1.000", Kind.TEXT) == "Werkfit 1.000"
        assert format_value("n.v.t.", Kind.COUNT) == "n.v.t."
        assert format_value(0, Kind.COUNT) == "0"


def test_workbook_labels_are_translated_with_a_date_format_per_language() -> None:
    with translation.override("en"):
        labels = xlsx_labels()
    assert (labels.about, labels.total, labels.date_format) == ("About this report", "Total", "yyyy-mm-dd")
    assert labels.suppressed == (
        "x = withheld: fewer than 5 persons, or a figure from which such a number could be worked out"
    )
    with translation.override("nl"):
        assert xlsx_labels().date_format == "d-m-yyyy"
