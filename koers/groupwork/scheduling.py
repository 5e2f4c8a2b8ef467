"""Scheduling of group runs: the session dates that follow from a programme's format, and the conflicts a proposed
schedule has with what is already booked (a room twice, a trainer twice, a trainer over the weekly hours).

Pure Python: no Django import. The service (run_services.py) loads the bookings, calls ``find_conflicts`` and words
the conflicts it gets back as data.
"""

import datetime
import itertools
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from koers.groupwork.timemodel import TimeModel, session_hours

IsoWeek = tuple[int, int]  # (ISO year, ISO week number)


def easter_sunday(year: int) -> datetime.date:
    """Easter Sunday in the Gregorian calendar (the anonymous algorithm of Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_shift) // 451
    month, day = divmod(h + weekday_shift - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def public_holidays(year: int) -> set[datetime.date]:
    """Dutch public holidays on which municipal organisations are closed (CAO Gemeenten, 5 May every year)."""
    easter = easter_sunday(year)
    kings_day = datetime.date(year, 4, 27)
    if kings_day.weekday() == 6:  # on a Sunday it moves to the Saturday before
        kings_day -= datetime.timedelta(days=1)
    return {
        datetime.date(year, 1, 1),
        easter,
        easter + datetime.timedelta(days=1),
        kings_day,
        datetime.date(year, 5, 5),
        easter + datetime.timedelta(days=39),  # Ascension Day
        easter + datetime.timedelta(days=49),  # Whit Sunday
        easter + datetime.timedelta(days=50),  # Whit Monday
        datetime.date(year, 12, 25),
        datetime.date(year, 12, 26),
    }


def holidays_from(start: datetime.date, years: int = 3) -> set[datetime.date]:
    """The public holidays of ``start``'s year and the next ones: enough for any run that starts on ``start``."""
    return set().union(*(public_holidays(start.year + n) for n in range(years)))


def session_dates(
    start: datetime.date, count: int, *, weeks_between: int = 1, skip: Collection[datetime.date] = ()
) -> list[datetime.date]:
    """``count`` dates from ``start`` on, every ``weeks_between`` weeks on the same weekday.

    A date in ``skip`` (a holiday) is passed over and the series runs one step longer, so the run keeps its number of
    sessions.
    """
    if count < 1:
        raise ValueError("A run has at least one session.")
    if weeks_between < 1:
        raise ValueError("Sessions are at least one week apart.")
    step = datetime.timedelta(weeks=weeks_between)
    dates: list[datetime.date] = []
    day = start
    while len(dates) < count:
        if day not in skip:
            dates.append(day)
        day += step
    return dates


def end_time(starts_at: datetime.time, minutes: int) -> datetime.time:
    """The end of a session of ``minutes`` that starts at ``starts_at``; a session does not run past midnight."""
    start = datetime.datetime.combine(datetime.date(2000, 1, 1), starts_at)
    end = start + datetime.timedelta(minutes=minutes)
    if end.date() != start.date():
        raise ValueError("A session cannot run past midnight.")
    return end.time()


@dataclass(frozen=True)
class Slot:
    date: datetime.date
    starts_at: datetime.time
    ends_at: datetime.time


def plan_sessions(
    start: datetime.date,
    starts_at: datetime.time,
    session_minutes: int,
    count: int,
    *,
    weeks_between: int = 1,
    skip: Collection[datetime.date] = (),
) -> list[Slot]:
    """The sessions of a run: dates from ``session_dates``, each from ``starts_at`` for ``session_minutes``."""
    ends_at = end_time(starts_at, session_minutes)
    return [
        Slot(day, starts_at, ends_at) for day in session_dates(start, count, weeks_between=weeks_between, skip=skip)
    ]


def iso_week(day: datetime.date) -> IsoWeek:
    year, week, _weekday = day.isocalendar()
    return year, week


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


@dataclass(frozen=True)
class Booking:
    """A session in the schedule, stored or proposed: when, where, who trains it, and what it costs a trainer.

    ``programme`` and ``run_start`` only travel along so that a conflict can name what it clashes with.
    """

    date: datetime.date
    starts_at: datetime.time
    ends_at: datetime.time
    room_id: int | None
    trainer_ids: frozenset[int]
    time_model: TimeModel = field(default_factory=TimeModel)
    session_id: int | None = None
    run_id: int | None = None
    programme: str = ""
    run_start: datetime.date | None = None

    @property
    def minutes(self) -> int:
        start = self.starts_at.hour * 60 + self.starts_at.minute
        return self.ends_at.hour * 60 + self.ends_at.minute - start

    def overlaps(self, other: "Booking") -> bool:
        return self.date == other.date and self.starts_at < other.ends_at and other.starts_at < self.ends_at

    def trainer_hours(self, switching_minutes: int = 0) -> Decimal:
        return session_hours(self.time_model, self.minutes, switching_minutes)


@dataclass(frozen=True)
class Availability:
    """A trainer's hours per week for groups, and the switching time each session costs them."""

    hours_per_week: Decimal
    switching_minutes: int = 0


class ConflictKind(StrEnum):
    ROOM = "room"
    TRAINER = "trainer"
    CAPACITY = "capacity"


@dataclass(frozen=True)
class Conflict:
    """Why a proposed schedule cannot be saved.

    Room and trainer conflicts name the proposed session and the booking it clashes with; a capacity conflict names
    the trainer, the ISO week (``date`` is its Monday), the hours the trainer would work and the hours available.
    """

    kind: ConflictKind
    date: datetime.date
    proposed: Booking | None = None
    other: Booking | None = None
    room_id: int | None = None
    trainer_id: int | None = None
    week: IsoWeek | None = None
    hours: Decimal | None = None
    available: Decimal | None = None


def _double_bookings(proposed: Sequence[Booking], others: Sequence[Booking]) -> list[Conflict]:
    by_date: dict[datetime.date, list[Booking]] = defaultdict(list)
    for booking in others:
        by_date[booking.date].append(booking)
    conflicts = []
    for booking in proposed:
        for other in by_date[booking.date]:
            if not booking.overlaps(other):
                continue
            if booking.room_id is not None and booking.room_id == other.room_id:
                conflicts.append(Conflict(ConflictKind.ROOM, booking.date, booking, other, room_id=booking.room_id))
            for trainer_id in sorted(booking.trainer_ids & other.trainer_ids):
                conflicts.append(Conflict(ConflictKind.TRAINER, booking.date, booking, other, trainer_id=trainer_id))
        by_date[booking.date].append(booking)  # two proposed sessions can clash with each other too
    return conflicts


def weekly_hours(
    bookings: Iterable[Booking], availability: Mapping[int, Availability]
) -> dict[int, dict[IsoWeek, Decimal]]:
    """Per trainer, per ISO week: the trainer hours of the bookings (time model plus the trainer's switching time)."""
    hours: dict[int, dict[IsoWeek, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for booking in bookings:
        week = iso_week(booking.date)
        for trainer_id in booking.trainer_ids:
            known = availability.get(trainer_id)
            hours[trainer_id][week] += booking.trainer_hours(known.switching_minutes if known else 0)
    return {trainer_id: dict(weeks) for trainer_id, weeks in hours.items()}


def _over_capacity(
    proposed: Sequence[Booking], others: Sequence[Booking], availability: Mapping[int, Availability]
) -> list[Conflict]:
    touched: dict[int, set[IsoWeek]] = defaultdict(set)
    mondays: dict[IsoWeek, datetime.date] = {}
    for booking in proposed:
        week = iso_week(booking.date)
        mondays[week] = monday_of(booking.date)
        for trainer_id in booking.trainer_ids:
            if trainer_id in availability:
                touched[trainer_id].add(week)
    if not touched:
        return []
    relevant = [b for b in [*others, *proposed] if b.trainer_ids & touched.keys()]
    hours = weekly_hours(relevant, availability)
    conflicts = []
    for trainer_id in sorted(touched):
        available = availability[trainer_id].hours_per_week
        for week in sorted(touched[trainer_id]):
            planned = hours.get(trainer_id, {}).get(week, Decimal(0))
            if planned > available:
                conflicts.append(
                    Conflict(
                        ConflictKind.CAPACITY,
                        mondays[week],
                        trainer_id=trainer_id,
                        week=week,
                        hours=planned,
                        available=available,
                    )
                )
    return conflicts


def find_conflicts(
    proposed: Sequence[Booking], existing: Iterable[Booking], availability: Mapping[int, Availability]
) -> list[Conflict]:
    """Everything that stands in the way of ``proposed``, sorted by date.

    ``existing`` are the other bookings that count (not cancelled); a stored session that is part of ``proposed``
    (same ``session_id``) is replaced by its proposal. Weekly capacity is checked for the trainers in
    ``availability`` only, in the weeks that the proposal touches.
    """
    replaced = {booking.session_id for booking in proposed if booking.session_id is not None}
    others = [booking for booking in existing if booking.session_id is None or booking.session_id not in replaced]
    conflicts = _double_bookings(proposed, others) + _over_capacity(proposed, others, availability)
    order = {ConflictKind.ROOM: 0, ConflictKind.TRAINER: 1, ConflictKind.CAPACITY: 2}
    return sorted(conflicts, key=lambda conflict: (conflict.date, order[conflict.kind]))


def interval_weeks(dates: Iterable[datetime.date]) -> int:
    """The weeks between the sessions of a run: the smallest gap between two of its dates (a skipped holiday makes
    one gap longer, never shorter); 1 for a run of one session."""
    ordered = sorted(set(dates))
    gaps = [(later - earlier).days // 7 for earlier, later in itertools.pairwise(ordered)]
    return max(1, min(gaps)) if gaps else 1
