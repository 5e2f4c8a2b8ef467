"""Scoped reads of group runs, and the planner's overviews of rooms and trainer hours."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from koers.access.scoping import scope
from koers.accounts.models import User
from koers.accounts.roles import Role
from koers.clients.selectors import visible_clients
from koers.groupwork.models import GroupRun, Participation, Programme, Room, RunStatus, Session, TrainerProfile
from koers.groupwork.scheduling import IsoWeek, iso_week, monday_of


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
