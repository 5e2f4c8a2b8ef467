"""The pure scheduling module: session dates from a programme's format, and conflicts as data."""

import datetime
from decimal import Decimal

import pytest

from koers.groupwork.scheduling import (
    Availability,
    Booking,
    ConflictKind,
    easter_sunday,
    end_time,
    find_conflicts,
    interval_weeks,
    iso_week,
    plan_sessions,
    public_holidays,
    session_dates,
    weekly_hours,
)
from koers.groupwork.timemodel import TimeModel, session_hours

D = datetime.date
T = datetime.time


def booking(day: datetime.date, start: str, end: str, room: int | None = 1, trainers=(), **kwargs) -> Booking:
    return Booking(
        date=day,
        starts_at=T.fromisoformat(start),
        ends_at=T.fromisoformat(end),
        room_id=room,
        trainer_ids=frozenset(trainers),
        **kwargs,
    )


def test_weekly_sessions_on_the_start_dates_weekday() -> None:
    dates = session_dates(D(2027, 1, 5), 6)
    assert dates == [D(2027, 1, 5) + datetime.timedelta(weeks=n) for n in range(6)]
    assert {day.weekday() for day in dates} == {1}


def test_interval_in_weeks() -> None:
    assert session_dates(D(2027, 1, 5), 3, weeks_between=2) == [D(2027, 1, 5), D(2027, 1, 19), D(2027, 2, 2)]


def test_a_skipped_date_moves_the_rest_of_the_series_and_keeps_the_count() -> None:
    dates = session_dates(D(2027, 1, 5), 3, skip={D(2027, 1, 12)})
    assert dates == [D(2027, 1, 5), D(2027, 1, 19), D(2027, 1, 26)]


def test_a_skipped_start_date_starts_the_series_a_step_later() -> None:
    assert session_dates(D(2027, 1, 5), 2, skip={D(2027, 1, 5)}) == [D(2027, 1, 12), D(2027, 1, 19)]


@pytest.mark.parametrize(("count", "weeks"), [(0, 1), (3, 0)])
def test_nonsense_formats_are_refused(count: int, weeks: int) -> None:
    with pytest.raises(ValueError, match="least"):
        session_dates(D(2027, 1, 5), count, weeks_between=weeks)


def test_easter_and_the_dutch_public_holidays() -> None:
    assert easter_sunday(2027) == D(2027, 3, 28)
    assert easter_sunday(2025) == D(2025, 4, 20)
    holidays = public_holidays(2027)
    assert {D(2027, 3, 29), D(2027, 4, 27), D(2027, 5, 5), D(2027, 5, 6), D(2027, 5, 17), D(2027, 12, 25)} <= holidays
    assert D(2025, 4, 26) in public_holidays(2025)  # King's Day on a Sunday moves to Saturday


def test_a_monday_run_over_easter_skips_easter_monday() -> None:
    dates = session_dates(D(2027, 3, 22), 3, skip=public_holidays(2027))
    assert dates == [D(2027, 3, 22), D(2027, 4, 5), D(2027, 4, 12)]


def test_sessions_end_after_the_session_length() -> None:
    slots = plan_sessions(D(2027, 1, 5), T(9, 30), 150, 2)
    assert [(s.starts_at, s.ends_at) for s in slots] == [(T(9, 30), T(12, 0))] * 2
    assert end_time(T(19, 0), 150) == T(21, 30)


def test_a_session_cannot_run_past_midnight() -> None:
    with pytest.raises(ValueError, match="midnight"):
        end_time(T(22, 30), 120)


def test_interval_is_the_smallest_gap() -> None:
    assert interval_weeks([D(2027, 1, 5), D(2027, 1, 19), D(2027, 2, 2), D(2027, 2, 23)]) == 2
    assert interval_weeks([D(2027, 1, 5)]) == 1


def test_room_double_booking_names_the_other_booking() -> None:
    other = booking(D(2027, 1, 12), "09:00", "11:00", room=7, programme="SOVA", run_start=D(2027, 1, 5), session_id=9)
    proposed = booking(D(2027, 1, 12), "10:30", "13:00", room=7)
    [conflict] = find_conflicts([proposed], [other], {})
    assert conflict.kind == ConflictKind.ROOM
    assert conflict.date == D(2027, 1, 12)
    assert conflict.room_id == 7
    assert conflict.other is other
    assert conflict.other.programme == "SOVA"


def test_back_to_back_sessions_and_other_rooms_do_not_clash() -> None:
    existing = [
        booking(D(2027, 1, 12), "09:00", "10:30", room=7),
        booking(D(2027, 1, 12), "10:30", "13:00", room=8),
        booking(D(2027, 1, 13), "10:30", "13:00", room=7),
    ]
    assert find_conflicts([booking(D(2027, 1, 12), "10:30", "13:00", room=7)], existing, {}) == []


def test_trainer_double_booking_in_another_room() -> None:
    other = booking(D(2027, 1, 12), "09:00", "11:00", room=8, trainers={3, 4})
    proposed = booking(D(2027, 1, 12), "10:00", "12:00", room=7, trainers={4, 5})
    [conflict] = find_conflicts([proposed], [other], {})
    assert (conflict.kind, conflict.trainer_id) == (ConflictKind.TRAINER, 4)


def test_two_proposed_sessions_can_clash_with_each_other() -> None:
    first = booking(D(2027, 1, 12), "09:00", "11:00", room=7)
    second = booking(D(2027, 1, 12), "10:00", "12:00", room=7)
    [conflict] = find_conflicts([first, second], [], {})
    assert conflict.proposed is second
    assert conflict.other is first


def test_a_stored_session_is_replaced_by_its_proposal() -> None:
    stored = booking(D(2027, 1, 12), "09:00", "11:00", room=7, session_id=1)
    moved = booking(D(2027, 1, 12), "10:00", "12:00", room=7, session_id=1)
    assert find_conflicts([moved], [stored], {}) == []


def test_weekly_hours_follow_the_time_model_and_switching_time() -> None:
    model = TimeModel()
    bookings = [booking(D(2027, 1, 12), "09:30", "12:00", trainers={1}, time_model=model)] * 2
    hours = weekly_hours(bookings, {1: Availability(Decimal(10), switching_minutes=30)})
    assert hours[1][iso_week(D(2027, 1, 12))] == 2 * session_hours(model, 150, 30)


def test_over_capacity_in_an_iso_week() -> None:
    existing = [
        booking(D(2027, 1, 18), "09:00", "17:00", room=2, trainers={1}),  # 12 hours: one full training day
    ]
    proposed = [booking(D(2027, 1, 20), "09:30", "12:00", trainers={1})]
    availability = {1: Availability(Decimal("12.0"))}
    [conflict] = find_conflicts(proposed, existing, availability)
    assert conflict.kind == ConflictKind.CAPACITY
    assert conflict.trainer_id == 1
    assert conflict.week == (2027, 3)
    assert conflict.date == D(2027, 1, 18)
    assert conflict.available == Decimal("12.0")
    assert conflict.hours == Decimal("12.00") + session_hours(TimeModel(), 150)


def test_hours_in_another_week_do_not_count() -> None:
    existing = [booking(D(2027, 1, 11), "09:00", "17:00", room=2, trainers={1})]
    proposed = [booking(D(2027, 1, 18), "09:30", "12:00", trainers={1})]
    assert find_conflicts(proposed, existing, {1: Availability(Decimal(12))}) == []


def test_trainers_without_known_availability_are_not_checked_for_capacity() -> None:
    proposed = [booking(D(2027, 1, 18), "09:00", "17:00", trainers={1}), booking(D(2027, 1, 19), "09:00", "17:00")]
    assert find_conflicts(proposed, [], {}) == []


def test_conflicts_come_sorted_by_date() -> None:
    existing = [
        booking(D(2027, 1, 19), "09:00", "11:00", room=7),
        booking(D(2027, 1, 12), "09:00", "11:00", room=7),
    ]
    proposed = [booking(D(2027, 1, 12), "09:00", "11:00", room=7), booking(D(2027, 1, 19), "09:00", "11:00", room=7)]
    assert [c.date for c in find_conflicts(proposed, existing, {})] == [D(2027, 1, 12), D(2027, 1, 19)]
