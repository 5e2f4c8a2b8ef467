"""The trainer time model (pure): what one session costs a trainer, beyond the time in the room."""

from decimal import Decimal

from koers.groupwork.timemodel import TimeModel, session_hours

SEED = TimeModel()


def test_a_training_day_of_eight_hours_costs_twelve_hours() -> None:
    assert session_hours(SEED, 8 * 60) == Decimal("12.00")


def test_a_shorter_session_scales_preparation_and_report_in_proportion() -> None:
    # 4 hours in the room: half of the 3 proportional hours, all of the 1 fixed hour.
    assert session_hours(SEED, 4 * 60) == Decimal("6.50")
    assert session_hours(SEED, 2 * 60) == Decimal("3.75")


def test_setting_up_and_clearing_take_the_same_time_however_short_the_session() -> None:
    fixed_only = TimeModel(
        prep=Decimal(0), materials=Decimal(0), arrangements=Decimal(0), report=Decimal(0), setup=Decimal("0.75")
    )
    assert session_hours(fixed_only, 60) == Decimal("2.00")
    assert session_hours(fixed_only, 8 * 60) == Decimal("9.00")


def test_preparation_does_not_grow_beyond_the_day_rate_for_a_longer_session() -> None:
    assert session_hours(SEED, 10 * 60) == Decimal("14.00")


def test_switching_time_is_added_for_a_consultant_who_also_trains() -> None:
    without = session_hours(SEED, 150)
    assert session_hours(SEED, 150, switching_minutes=30) == without + Decimal("0.50")


def test_a_configured_table_replaces_the_seed_values() -> None:
    heavier = TimeModel(prep=Decimal("3.00"))
    assert session_hours(heavier, 8 * 60) == Decimal("13.50")
