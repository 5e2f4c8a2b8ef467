import datetime

import pytest

from koers.retention.terms import add_term, latest_start


@pytest.mark.parametrize(
    ("start", "amount", "unit", "expected"),
    [
        (datetime.date(2026, 3, 15), 10, "years", datetime.date(2036, 3, 15)),
        (datetime.date(2024, 2, 29), 10, "years", datetime.date(2034, 2, 28)),
        (datetime.date(2026, 1, 31), 1, "months", datetime.date(2026, 2, 28)),
        (datetime.date(2026, 8, 31), -6, "months", datetime.date(2026, 2, 28)),
        (datetime.date(2026, 12, 20), 42, "days", datetime.date(2027, 1, 31)),
    ],
)
def test_add_term_follows_the_calendar(start, amount, unit, expected) -> None:
    assert add_term(start, amount, unit) == expected


def test_unknown_unit_is_refused() -> None:
    with pytest.raises(ValueError, match="weeks"):
        add_term(datetime.date(2026, 1, 1), 1, "weeks")


@pytest.mark.parametrize("unit", ["days", "months", "years"])
def test_latest_start_is_on_or_after_every_start_whose_term_has_passed(unit) -> None:
    today = datetime.date(2026, 3, 1)
    for offset in range(-800, 800):
        start = datetime.date(2015, 1, 1) + datetime.timedelta(days=offset)
        if add_term(start, 2, unit) <= today:
            assert start <= latest_start(today, 2, unit)
