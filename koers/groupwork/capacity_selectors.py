"""Reads for trainer capacity planning: the organisation's trainers with their hours for groups, and the sessions
that book them, turned into week and month views (and a what-if for adding runs) by the pure capacity module.

A constant number of queries whatever the number of trainers, runs and sessions. Nothing here names a client.
"""

import calendar
import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from koers.accounts.models import User
from koers.groupwork.capacity import (
    Impact,
    Level,
    Load,
    Month,
    first_of,
    level,
    month_available,
    month_of,
    monthly_impacts,
    monthly_loads,
    next_month,
    share,
    weekly_impacts,
    weekly_loads,
)
from koers.groupwork.models import GroupRun, Programme, RunStatus, Session
from koers.groupwork.scheduling import (
    Availability,
    Booking,
    Conflict,
    ConflictKind,
    find_conflicts,
    holidays_from,
    iso_week,
    monday_of,
    plan_sessions,
)
from koers.groupwork.selectors import organisation_trainers, trainer_profile


@dataclass(frozen=True)
class Cell:
    """One trainer (or the pool) in one week or month: planned hours against the hours available."""

    starts: datetime.date
    load: Load
    available: Decimal | None

    @property
    def level(self) -> Level:
        return level(self.load.total, self.available)

    @property
    def share(self) -> int | None:
        return share(self.load.total, self.available)

    @property
    def is_month(self) -> bool:
        return False


@dataclass(frozen=True)
class MonthCell(Cell):
    @property
    def is_month(self) -> bool:
        return True


@dataclass
class TrainerCapacity:
    """A trainer's hours for groups (None: not recorded), switching time per session, and planned hours."""

    trainer: User
    available: Decimal | None
    switching_minutes: int
    weeks: list[Cell] = field(default_factory=list)
    months: list[Cell] = field(default_factory=list)

    @property
    def over_capacity(self) -> bool:
        return any(cell.level == Level.OVER for cell in self.weeks)

    @property
    def planned(self) -> Load:
        """The hours planned in the weeks shown."""
        return sum((cell.load for cell in self.weeks), Load())

    @property
    def busiest(self) -> Cell | None:
        return max(self.weeks, key=lambda cell: cell.load.total, default=None)


@dataclass
class CapacityOverview:
    mondays: list[datetime.date]
    months: list[datetime.date]
    trainers: list[TrainerCapacity]
    pool_weeks: list[Cell]
    pool_months: list[Cell]

    def warnings(self) -> list[tuple[TrainerCapacity, Cell]]:
        """Each week and month in which a trainer is near or over their hours, by date."""
        found = [
            (trainer, cell)
            for trainer in self.trainers
            for cell in [*trainer.weeks, *trainer.months]
            if cell.level in (Level.NEAR, Level.OVER)
        ]
        return sorted(found, key=lambda item: (item[1].starts, item[1].is_month, item[0].trainer.pk))

    def unrecorded(self) -> list[TrainerCapacity]:
        return [trainer for trainer in self.trainers if trainer.available is None]


def _last_of(month: Month) -> datetime.date:
    return datetime.date(month[0], month[1], calendar.monthrange(*month)[1])


def _booking(session: Session, trainer_ids: set[int]) -> Booking:
    run = session.group_run
    return Booking(
        date=session.date,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        room_id=session.room_id,
        trainer_ids=frozenset(trainer_ids),
        time_model=run.programme.time_model(),
        session_id=session.pk,
        run_id=run.pk,
        programme=run.programme.name,
        run_start=run.start_date,
    )


def trainer_bookings(
    organisation_id: int, trainer_ids: Sequence[int], first: datetime.date, last: datetime.date
) -> list[Booking]:
    """The sessions from ``first`` to ``last`` that book one of the trainers: not cancelled, of runs that are not
    cancelled, of the organisation's programmes. Two queries."""
    links = GroupRun.trainers.through.objects.filter(
        user_id__in=trainer_ids,
        grouprun__programme__organisation=organisation_id,
        grouprun__sessions__date__range=(first, last),
    ).distinct()
    run_trainers: dict[int, set[int]] = {}
    for run_id, user_id in links.values_list("grouprun_id", "user_id"):
        run_trainers.setdefault(run_id, set()).add(user_id)
    if not run_trainers:
        return []
    sessions = (
        Session.objects.filter(date__range=(first, last), is_cancelled=False, group_run_id__in=run_trainers)
        .exclude(group_run__status=RunStatus.CANCELLED)
        .select_related("group_run__programme")
        .order_by("date", "starts_at", "pk")
    )
    return [_booking(session, run_trainers[session.group_run_id]) for session in sessions]


def _availability(trainers: Sequence[User]) -> dict[int, Availability]:
    found = {}
    for trainer in trainers:
        profile = trainer_profile(trainer)
        if profile is not None:
            found[trainer.pk] = Availability(profile.hours_per_week, profile.switching_minutes)
    return found


def _pool(cells: list[list[Cell]], periods: list[datetime.date], month: bool) -> list[Cell]:
    """Per period the sum over the trainers with hours on record (the others cannot be compared)."""
    kind = MonthCell if month else Cell
    pooled = []
    for index, starts in enumerate(periods):
        column = [row[index] for row in cells if row[index].available is not None]
        load = sum((cell.load for cell in column), Load())
        available = sum((cell.available or Decimal(0) for cell in column), Decimal(0)) if column else None
        pooled.append(kind(starts, load, available))
    return pooled


def capacity_overview(user: Any, start: datetime.date, weeks: int, months: int) -> CapacityOverview:
    """Per trainer of the user's organisation: planned hours in ``weeks`` weeks from the week of ``start`` and in
    ``months`` calendar months from its month, against their hours for groups; three queries."""
    trainers = list(organisation_trainers(user))
    first_monday = monday_of(start)
    mondays = [first_monday + datetime.timedelta(weeks=n) for n in range(weeks)]
    month_keys = [month_of(start)]
    while len(month_keys) < months:
        month_keys.append(next_month(month_keys[-1]))
    first = min(first_monday, first_of(month_keys[0]))
    last = max(mondays[-1] + datetime.timedelta(days=6), _last_of(month_keys[-1]))
    bookings = trainer_bookings(user.organisation_id, [t.pk for t in trainers], first, last) if trainers else []
    availability = _availability(trainers)
    per_week = weekly_loads(bookings, availability)
    per_month = monthly_loads(bookings, availability)
    rows = []
    for trainer in trainers:
        known = availability.get(trainer.pk)
        hours = known.hours_per_week if known else None
        row = TrainerCapacity(trainer, hours, known.switching_minutes if known else 0)
        planned_weeks = per_week.get(trainer.pk, {})
        row.weeks = [Cell(monday, planned_weeks.get(iso_week(monday), Load()), hours) for monday in mondays]
        planned_months = per_month.get(trainer.pk, {})
        row.months = [
            MonthCell(
                first_of(month),
                planned_months.get(month, Load()),
                month_available(hours, month) if hours is not None else None,
            )
            for month in month_keys
        ]
        rows.append(row)
    month_starts = [first_of(month) for month in month_keys]
    return CapacityOverview(
        mondays,
        month_starts,
        rows,
        _pool([row.weeks for row in rows], mondays, month=False),
        _pool([row.months for row in rows], month_starts, month=True),
    )


# --- What if ------------------------------------------------------------------------------------------------------


@dataclass
class TrainerImpact:
    """What the added runs do to one trainer: per week and per month touched, and the sessions that would clash."""

    trainer: User
    available: Decimal | None
    switching_minutes: int
    weeks: list[Impact]
    months: list[Impact]
    clashes: list[Conflict]

    @property
    def extra(self) -> Load:
        return sum((impact.extra for impact in self.weeks), Load())

    @property
    def weeks_over(self) -> list[Impact]:
        return [impact for impact in self.weeks if impact.level == Level.OVER]

    @property
    def weeks_near(self) -> list[Impact]:
        return [impact for impact in self.weeks if impact.level == Level.NEAR]


@dataclass
class WhatIf:
    programme: Programme
    runs: list[list[datetime.date]]
    trainers: list[TrainerImpact]

    @property
    def session_count(self) -> int:
        return sum(len(dates) for dates in self.runs)

    @property
    def fits(self) -> bool:
        return not any(trainer.weeks_over or trainer.clashes for trainer in self.trainers)


def what_if(
    user: Any,
    *,
    programme: Programme,
    start_date: datetime.date,
    start_time: datetime.time,
    sessions: int,
    weeks_between: int,
    runs: int,
    weeks_between_runs: int | None,
    trainers: QuerySet[User],
    skip_public_holidays: bool,
) -> WhatIf:
    """The hours that ``runs`` new runs of ``programme`` would add for ``trainers``, week by week and month by month,
    against what is planned already; nothing is saved. A run starts ``weeks_between_runs`` after the previous one
    (None: the week after its last session). Three queries (the trainers, the runs they train, their sessions)."""
    chosen = list(trainers)
    trainer_ids = frozenset(trainer.pk for trainer in chosen)
    skip = holidays_from(start_date) if skip_public_holidays else set()
    run_dates: list[list[datetime.date]] = []
    proposed: list[Booking] = []
    run_start = start_date
    for _run in range(runs):
        slots = plan_sessions(
            run_start, start_time, programme.session_minutes, sessions, weeks_between=weeks_between, skip=skip
        )
        run_dates.append([slot.date for slot in slots])
        proposed += [
            Booking(
                date=slot.date,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                room_id=None,
                trainer_ids=trainer_ids,
                time_model=programme.time_model(),
                programme=programme.name,
                run_start=slots[0].date,
            )
            for slot in slots
        ]
        gap = weeks_between_runs or -(-((slots[-1].date - run_start).days + 1) // 7)
        run_start += datetime.timedelta(weeks=gap)
    first_day, last_day = proposed[0].date, proposed[-1].date
    first = min(monday_of(first_day), first_day.replace(day=1))
    last = max(monday_of(last_day) + datetime.timedelta(days=6), _last_of(month_of(last_day)))
    existing = trainer_bookings(programme.organisation_id, sorted(trainer_ids), first, last)
    availability = _availability(chosen)
    by_week = weekly_impacts(proposed, existing, availability)
    by_month = monthly_impacts(proposed, existing, availability)
    clashes = [c for c in find_conflicts(proposed, existing, {}) if c.kind == ConflictKind.TRAINER]
    outcome = []
    for trainer in chosen:
        known = availability.get(trainer.pk)
        outcome.append(
            TrainerImpact(
                trainer,
                known.hours_per_week if known else None,
                known.switching_minutes if known else 0,
                [impact for impact in by_week if impact.trainer_id == trainer.pk],
                [impact for impact in by_month if impact.trainer_id == trainer.pk],
                [clash for clash in clashes if clash.trainer_id == trainer.pk],
            )
        )
    return WhatIf(programme, run_dates, outcome)
