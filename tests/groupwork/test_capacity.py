"""The pure capacity module and its chart: hours per week and month, how full, what adding sessions changes."""

import datetime
import re
from decimal import Decimal

import pytest

from koers.groupwork.capacity import (
    Level,
    Load,
    booking_load,
    level,
    month_available,
    monthly_impacts,
    monthly_loads,
    near_capacity,
    share,
    weekly_impacts,
    weekly_loads,
    workdays_in,
)
from koers.groupwork.capacity_charts import Bar, Legend, capacity_chart
from koers.groupwork.scheduling import Availability, Booking

D = datetime.date
T = datetime.time
H = Decimal
LEGEND = Legend("Work", "Switching", "Available", "Near", "Over")


def booking(day: datetime.date, start: str = "09:30", end: str = "12:00", trainers=(1,), **kwargs) -> Booking:
    return Booking(
        date=day,
        starts_at=T.fromisoformat(start),
        ends_at=T.fromisoformat(end),
        room_id=None,
        trainer_ids=frozenset(trainers),
        **kwargs,
    )


# --- Levels ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("planned", "available", "expected"),
    [
        (H("0"), H("8"), Level.OK),
        (H("6.79"), H("8"), Level.OK),
        (H("6.80"), H("8"), Level.NEAR),  # exactly 85%
        (H("8"), H("8"), Level.NEAR),  # full, not over
        (H("8.01"), H("8"), Level.OVER),
        (H("1"), H("0"), Level.OVER),
        (H("0"), H("0"), Level.OK),
        (H("3"), None, Level.UNKNOWN),
    ],
)
def test_level_marks_85_percent_as_near_and_more_than_available_as_over(planned, available, expected) -> None:
    assert level(planned, available) == expected


def test_share_is_a_whole_percentage_or_none_without_hours() -> None:
    assert share(H("4.44"), H("5")) == 89
    assert share(H("4"), None) is None
    assert share(H("4"), H("0")) is None


# --- Loads ------------------------------------------------------------------------------------------------------------


def test_the_seed_training_day_costs_twelve_hours() -> None:
    assert booking_load(booking(D(2027, 1, 5), "09:00", "17:00"), 0) == Load(H("12.00"), H("0"))


def test_switching_time_is_kept_apart_and_adds_up_to_the_planning_figure() -> None:
    session = booking(D(2027, 1, 5))  # 150 minutes: 2.5 + 0.94 scaled work + 1.0 set-up and clearing up
    load = booking_load(session, 30)
    assert load == Load(H("4.44"), H("0.50"))
    assert load.total == session.trainer_hours(30)


def test_weekly_loads_add_sessions_per_trainer_and_iso_week() -> None:
    bookings = [
        booking(D(2027, 1, 5), trainers=(1, 2)),
        booking(D(2027, 1, 7), trainers=(1,)),
        booking(D(2027, 1, 12), trainers=(2,)),
    ]
    loads = weekly_loads(bookings, {1: Availability(H("10"), 15)})
    assert loads[1] == {(2027, 1): Load(H("8.88"), H("0.50"))}
    assert loads[2] == {(2027, 1): Load(H("4.44")), (2027, 2): Load(H("4.44"))}


def test_monthly_loads_follow_the_session_date_across_a_week_that_spans_two_months() -> None:
    bookings = [booking(D(2027, 3, 30)), booking(D(2027, 4, 1))]  # one ISO week, two months
    assert weekly_loads(bookings, {}) == {1: {(2027, 13): Load(H("8.88"))}}
    assert monthly_loads(bookings, {}) == {1: {(2027, 3): Load(H("4.44")), (2027, 4): Load(H("4.44"))}}


def test_hours_available_in_a_month_count_its_working_days() -> None:
    assert workdays_in((2027, 2)) == 20
    assert month_available(H("8"), (2027, 2)) == H("32.0")
    assert workdays_in((2027, 3)) == 23
    assert month_available(H("8"), (2027, 3)) == H("36.8")


# --- What if ----------------------------------------------------------------------------------------------------------


def test_weekly_impacts_show_hours_before_added_and_after_for_each_trainer_and_week() -> None:
    existing = [booking(D(2027, 1, 4)), booking(D(2027, 1, 5), trainers=(3,))]
    proposed = [booking(D(2027, 1, 7), trainers=(1, 2)), booking(D(2027, 1, 14), trainers=(1, 2))]
    availability = {1: Availability(H("8")), 2: Availability(H("20"), 30)}
    impacts = weekly_impacts(proposed, existing, availability)
    assert [(i.trainer_id, i.starts, i.before.total, i.extra.total, i.after.total, i.level) for i in impacts] == [
        (1, D(2027, 1, 4), H("4.44"), H("4.44"), H("8.88"), Level.OVER),
        (1, D(2027, 1, 11), H("0"), H("4.44"), H("4.44"), Level.OK),
        (2, D(2027, 1, 4), H("0"), H("4.94"), H("4.94"), Level.OK),
        (2, D(2027, 1, 11), H("0"), H("4.94"), H("4.94"), Level.OK),
    ]
    assert impacts[0].level_before == Level.OK


def test_a_proposal_that_moves_a_stored_session_replaces_it() -> None:
    stored = booking(D(2027, 1, 5), session_id=7)
    moved = booking(D(2027, 1, 6), session_id=7)
    [impact] = weekly_impacts([moved], [stored], {1: Availability(H("8"))})
    assert impact.before == Load()
    assert impact.after.total == H("4.44")


def test_monthly_impacts_compare_with_the_hours_of_the_month() -> None:
    proposed = [booking(D(2027, 2, day)) for day in (2, 9, 16, 23)]
    [impact] = monthly_impacts(proposed, [booking(D(2027, 2, 3))], {1: Availability(H("8"))})
    assert (impact.starts, impact.before.total, impact.after.total) == (D(2027, 2, 1), H("4.44"), H("22.20"))
    assert impact.available == H("32.0")
    assert impact.level == Level.OK


def test_near_capacity_warns_for_weeks_at_85_percent_but_not_over_or_below() -> None:
    availability = {1: Availability(H("10"))}
    existing = [booking(D(2027, 1, 4)), booking(D(2027, 1, 11)), booking(D(2027, 1, 12))]
    proposed = [booking(D(2027, 1, 6)), booking(D(2027, 1, 13)), booking(D(2027, 1, 20))]
    near = near_capacity(proposed, existing, availability)
    assert [(impact.starts, impact.after.total) for impact in near] == [(D(2027, 1, 4), H("8.88"))]


def test_trainers_without_hours_on_record_are_never_near() -> None:
    assert near_capacity([booking(D(2027, 1, 6))], [], {}) == []


# --- Chart ------------------------------------------------------------------------------------------------------------


def bars() -> list[Bar]:
    return [
        Bar("wk 1", H("4"), H("1"), H("8"), Level.OK),
        Bar("wk 2", H("6"), H("1"), H("8"), Level.NEAR),
        Bar("wk 3", H("9"), H("0.5"), H("8"), Level.OVER),
        Bar("wk <4>", H("0"), H("0"), None, Level.UNKNOWN),
    ]


def test_chart_is_an_image_with_a_title_and_description() -> None:
    svg = capacity_chart(bars(), title="Hours & more", description="Per week", legend=LEGEND, unit="hours")
    assert svg.startswith("<svg ")
    assert 'role="img"' in svg
    assert 'aria-labelledby="capacity-chart-title capacity-chart-desc"' in svg
    assert '<title id="capacity-chart-title">Hours &amp; more</title>' in svg
    assert '<desc id="capacity-chart-desc">Per week</desc>' in svg
    assert "wk &lt;4&gt;" in svg
    assert "style=" not in svg  # the strict CSP forbids inline styles


def test_chart_marks_over_and_near_with_shapes_and_prints_every_total() -> None:
    svg = capacity_chart(bars(), title="t", description="d", legend=LEGEND, unit="hours")
    assert svg.count('class="koers-chart__bar ') == 4
    assert svg.count("koers-chart__marker--over") == 2  # the bar and the legend
    assert svg.count("koers-chart__marker--near") == 2
    assert svg.count('class="koers-chart__available"') == 3  # not for the bar without hours on record
    values = re.findall(r'class="koers-chart__value"[^>]*>([^<]*)<', svg)
    assert values == ["5", "7", "9.5", "0"]


def test_chart_scale_reaches_above_the_highest_value() -> None:
    svg = capacity_chart(
        [Bar("wk 1", H("12.5"), H("0"), H("8"), Level.OVER)], title="t", description="d", legend=LEGEND, unit="h"
    )
    labels = [int(n) for n in re.findall(r'text-anchor="end" fill="#3d5374">(\d+)</text>', svg)]
    assert labels == [0, 4, 8, 12, 16]


def test_chart_is_empty_without_periods() -> None:
    assert capacity_chart([], title="t", description="d", legend=LEGEND, unit="hours") == ""
