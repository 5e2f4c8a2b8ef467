"""Trainer capacity planning: the hours the schedule asks of each trainer per week and per month, how full that is
against the hours they have for groups, and what adding sessions would change.

A session costs its trainers the hours of the programme's time model (``timemodel.session_hours``) plus each
trainer's switching time (consultants who train beside a caseload). Those hours are kept apart here, so that a
planner sees how much of a trainer's week goes to switching. Pure Python: no Django import.
"""

import calendar
import datetime
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from koers.groupwork.scheduling import Availability, Booking, IsoWeek, iso_week, monday_of

NEAR_SHARE = Decimal("0.85")
WORKDAYS_PER_WEEK = 5

Month = tuple[int, int]  # (year, month)
Period = TypeVar("Period", bound=Hashable)


class Level(StrEnum):
    """How full a trainer is in a period: within the hours, near them (85% or more), over them, or not known."""

    OK = "ok"
    NEAR = "near"
    OVER = "over"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Load:
    """Planned hours: ``work`` from the time model (training, preparation, set-up, reporting), ``switching`` on top."""

    work: Decimal = Decimal(0)
    switching: Decimal = Decimal(0)

    @property
    def total(self) -> Decimal:
        return self.work + self.switching

    def __add__(self, other: "Load") -> "Load":
        return Load(self.work + other.work, self.switching + other.switching)


def level(planned: Decimal, available: Decimal | None) -> Level:
    if available is None:
        return Level.UNKNOWN
    if planned > available:
        return Level.OVER
    if planned and planned >= available * NEAR_SHARE:
        return Level.NEAR
    return Level.OK


def share(planned: Decimal, available: Decimal | None) -> int | None:
    """``planned`` as a whole percentage of ``available`` (None when not known or nothing is available)."""
    if not available:
        return None
    return int((planned * 100 / available).to_integral_value())


def month_of(day: datetime.date) -> Month:
    return day.year, day.month


def first_of(month: Month) -> datetime.date:
    return datetime.date(month[0], month[1], 1)


def next_month(month: Month) -> Month:
    year, number = month
    return (year + 1, 1) if number == 12 else (year, number + 1)


def workdays_in(month: Month) -> int:
    """Monday to Friday in the month; public holidays count, as they do for the weekly hours."""
    days = calendar.monthrange(*month)[1]
    return sum(1 for day in range(1, days + 1) if datetime.date(month[0], month[1], day).weekday() < WORKDAYS_PER_WEEK)


def month_available(hours_per_week: Decimal, month: Month) -> Decimal:
    """The hours for groups in a month: the weekly hours for each five working days of it."""
    return (hours_per_week * workdays_in(month) / WORKDAYS_PER_WEEK).quantize(Decimal("0.1"))


def booking_load(booking: Booking, switching_minutes: int) -> Load:
    """One session for one trainer; work and switching add up to ``booking.trainer_hours`` exactly, the figure the
    planning check uses."""
    work = booking.trainer_hours(0)
    return Load(work, booking.trainer_hours(switching_minutes) - work)


def loads_per(
    bookings: Iterable[Booking], availability: Mapping[int, Availability], period_of: Callable[[datetime.date], Period]
) -> dict[int, dict[Period, Load]]:
    """Per trainer, per period (``period_of`` a session's date): the planned hours of ``bookings``."""
    loads: dict[int, dict[Period, Load]] = defaultdict(lambda: defaultdict(Load))
    for booking in bookings:
        period = period_of(booking.date)
        for trainer_id in booking.trainer_ids:
            known = availability.get(trainer_id)
            loads[trainer_id][period] += booking_load(booking, known.switching_minutes if known else 0)
    return {trainer_id: dict(periods) for trainer_id, periods in loads.items()}


def weekly_loads(
    bookings: Iterable[Booking], availability: Mapping[int, Availability]
) -> dict[int, dict[IsoWeek, Load]]:
    return loads_per(bookings, availability, iso_week)


def monthly_loads(
    bookings: Iterable[Booking], availability: Mapping[int, Availability]
) -> dict[int, dict[Month, Load]]:
    return loads_per(bookings, availability, month_of)


def week_available(availability: Availability | None, _week: IsoWeek) -> Decimal | None:
    return availability.hours_per_week if availability else None


def months_available(availability: Availability | None, month: Month) -> Decimal | None:
    return month_available(availability.hours_per_week, month) if availability else None


# --- What if ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Impact:
    """What added sessions do to one trainer in one period (a week or a month) that they touch."""

    trainer_id: int
    period: Hashable
    starts: datetime.date
    before: Load
    extra: Load
    available: Decimal | None

    @property
    def after(self) -> Load:
        return self.before + self.extra

    @property
    def level_before(self) -> Level:
        return level(self.before.total, self.available)

    @property
    def level(self) -> Level:
        return level(self.after.total, self.available)

    @property
    def share(self) -> int | None:
        return share(self.after.total, self.available)


def _counted(proposed: Sequence[Booking], existing: Iterable[Booking]) -> list[Booking]:
    """The existing bookings that stay: a stored session that is part of ``proposed`` is replaced by its proposal."""
    replaced = {booking.session_id for booking in proposed if booking.session_id is not None}
    return [booking for booking in existing if booking.session_id is None or booking.session_id not in replaced]


def _impacts(
    proposed: Sequence[Booking],
    existing: Iterable[Booking],
    availability: Mapping[int, Availability],
    period_of: Callable[[datetime.date], Period],
    starts: Callable[[datetime.date], datetime.date],
    available_in: Callable[[Availability | None, Period], Decimal | None],
) -> list[Impact]:
    trainer_ids = set().union(*(booking.trainer_ids for booking in proposed))
    extra = loads_per(proposed, availability, period_of)
    before = loads_per(
        (b for b in _counted(proposed, existing) if b.trainer_ids & trainer_ids), availability, period_of
    )
    first_day: dict[Period, datetime.date] = {}
    for booking in proposed:
        first_day.setdefault(period_of(booking.date), starts(booking.date))
    return [
        Impact(
            trainer_id,
            period,
            first_day[period],
            before.get(trainer_id, {}).get(period, Load()),
            added,
            available_in(availability.get(trainer_id), period),
        )
        for trainer_id in sorted(trainer_ids)
        for period, added in sorted(extra.get(trainer_id, {}).items(), key=lambda item: first_day[item[0]])
    ]


def weekly_impacts(
    proposed: Sequence[Booking], existing: Iterable[Booking], availability: Mapping[int, Availability]
) -> list[Impact]:
    """Per trainer of ``proposed``, each ISO week it touches: the hours before, the hours added, the hours available."""
    return _impacts(proposed, existing, availability, iso_week, monday_of, week_available)


def monthly_impacts(
    proposed: Sequence[Booking], existing: Iterable[Booking], availability: Mapping[int, Availability]
) -> list[Impact]:
    """As ``weekly_impacts``, per calendar month (available: the weekly hours for each five working days)."""
    return _impacts(proposed, existing, availability, month_of, lambda day: day.replace(day=1), months_available)


def near_capacity(
    proposed: Sequence[Booking], existing: Iterable[Booking], availability: Mapping[int, Availability]
) -> list[Impact]:
    """The weeks in which ``proposed`` brings a trainer to 85% or more of their weekly hours, without going over:
    the warning before a trainer is over-booked (going over is refused by ``scheduling.find_conflicts``)."""
    return [impact for impact in weekly_impacts(proposed, existing, availability) if impact.level == Level.NEAR]
