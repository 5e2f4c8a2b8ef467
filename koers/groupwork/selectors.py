"""Scoped reads of group runs, and the planner's overviews of rooms and trainer hours."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet

from koers.access.scoping import scope
from koers.accounts.models import User
from koers.accounts.roles import Role
from koers.clients.selectors import visible_clients
from koers.groupwork.models import GroupRun, Participation, Programme, Room, RunStatus, Session, TrainerProfile
from koers.groupwork.scheduling import Availability, Booking, IsoWeek, iso_week, monday_of, weekly_hours


def visible_runs(user: Any) -> QuerySet[GroupRun]:
    return (
        scope(GroupRun.objects.all(), user)
        .select_related("programme", "room", "municipality")
        .annotate(participant_count=Count("participations"))
        .order_by("start_date", "id")
    )


def participants_of(run: GroupRun, user: Any) -> QuerySet[Participation]:
    """Participants of a run that the user may see (a planner sees all; a trainer those of own runs)."""
    return (
        run.participations.filter(client__in=visible_clients(user).values("pk"))
        .select_related("client", "referral")
        .order_by("client__last_name", "client__first_name")
    )


def run_sessions(run: GroupRun) -> QuerySet[Session]:
    return run.sessions.select_related("room").order_by("date", "starts_at", "number")


def visible_session(user: Any, pk: int) -> Session | None:
    """One session of a visible run (None when missing or out of scope)."""
    sessions = scope(Session.objects.all(), user).select_related("group_run__programme", "room")
    return sessions.filter(pk=pk).first()


def organisation_programmes(user: Any) -> QuerySet[Programme]:
    return Programme.objects.filter(organisation=user.organisation_id, is_active=True).order_by("name")


def organisation_rooms(user: Any) -> QuerySet[Room]:
    return Room.objects.filter(organisation=user.organisation_id, is_active=True).order_by("location", "name")


def organisation_trainers(user: Any) -> QuerySet[User]:
    """Staff with the trainer role in the user's organisation, with their hours for groups (if recorded)."""
    return (
        User.objects.filter(organisation=user.organisation_id, is_active=True, role_assignments__role=Role.TRAINER)
        .select_related("trainer_profile")
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def trainer_profile(user: User) -> TrainerProfile | None:
    try:
        return user.trainer_profile
    except TrainerProfile.DoesNotExist:
        return None


def _counting_sessions(first: datetime.date, last: datetime.date) -> QuerySet[Session]:
    """Sessions that book a room and trainers: not cancelled, of runs that are not cancelled."""
    return (
        Session.objects.filter(date__range=(first, last), is_cancelled=False)
        .exclude(group_run__status=RunStatus.CANCELLED)
        .select_related("group_run__programme")
        .order_by("date", "starts_at", "pk")
    )


@dataclass
class RoomWeek:
    """One week of the rooms overview: per room, per day, the sessions booked."""

    monday: datetime.date
    week: IsoWeek
    days: list[datetime.date]
    rows: list[tuple[Room, list[list[Session]]]]


def room_weeks(rooms: list[Room], start: datetime.date, weeks: int = 4) -> list[RoomWeek]:
    """The bookings of ``rooms`` in ``weeks`` weeks from the week of ``start``; one query."""
    first = monday_of(start)
    last = first + datetime.timedelta(weeks=weeks, days=-1)
    sessions = _counting_sessions(first, last).filter(room__in=rooms)
    booked: dict[tuple[int, datetime.date], list[Session]] = {}
    for session in sessions:
        booked.setdefault((session.room_id or 0, session.date), []).append(session)
    tables = []
    for n in range(weeks):
        monday = first + datetime.timedelta(weeks=n)
        week_days = [monday + datetime.timedelta(days=d) for d in range(7)]
        days = [day for day in week_days if day.weekday() < 5 or any((r.pk, day) in booked for r in rooms)]
        rows = [(room, [booked.get((room.pk, day), []) for day in days]) for room in rooms]
        tables.append(RoomWeek(monday, iso_week(monday), days, rows))
    return tables


@dataclass
class TrainerLoad:
    """A trainer's planned hours per week against the hours available for groups (None: not recorded)."""

    trainer: User
    available: Decimal | None
    switching_minutes: int
    weeks: list[tuple[IsoWeek, Decimal, bool]] = field(default_factory=list)

    @property
    def over_capacity(self) -> bool:
        return any(over for _week, _hours, over in self.weeks)


def trainer_loads(user: Any, start: datetime.date, weeks: int = 8) -> tuple[list[datetime.date], list[TrainerLoad]]:
    """Per trainer of the organisation, the hours planned in each of ``weeks`` weeks from the week of ``start``
    (time model of each programme plus the trainer's switching time); three queries whatever the number of runs."""
    trainers = list(organisation_trainers(user))
    first = monday_of(start)
    mondays = [first + datetime.timedelta(weeks=n) for n in range(weeks)]
    last = first + datetime.timedelta(weeks=weeks, days=-1)
    links = GroupRun.trainers.through.objects.filter(
        user_id__in=[t.pk for t in trainers],
        grouprun__programme__organisation=user.organisation_id,
        grouprun__sessions__date__range=(first, last),
    ).distinct()
    run_trainers: dict[int, set[int]] = {}
    for run_id, user_id in links.values_list("grouprun_id", "user_id"):
        run_trainers.setdefault(run_id, set()).add(user_id)
    bookings = [
        Booking(
            date=session.date,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            room_id=session.room_id,
            trainer_ids=frozenset(run_trainers[session.group_run_id]),
            time_model=session.group_run.programme.time_model(),
        )
        for session in _counting_sessions(first, last).filter(group_run_id__in=run_trainers)
    ]
    availability = {}
    loads = []
    for trainer in trainers:
        profile = trainer_profile(trainer)
        if profile is not None:
            availability[trainer.pk] = Availability(profile.hours_per_week, profile.switching_minutes)
        loads.append(
            TrainerLoad(
                trainer,
                profile.hours_per_week if profile else None,
                profile.switching_minutes if profile else 0,
            )
        )
    hours = weekly_hours(bookings, availability)
    for load in loads:
        planned = hours.get(load.trainer.pk, {})
        for monday in mondays:
            week = iso_week(monday)
            amount = planned.get(week, Decimal(0))
            load.weeks.append((week, amount, load.available is not None and amount > load.available))
    return mondays, loads
