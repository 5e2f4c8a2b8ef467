"""Reads for attendance, the session log and the trainer's own view, scoped like the rest of group work.

Attendance indicators count only sessions whose attendance was recorded (and that were not cancelled), within the
participant's time in the group: an unrecorded session says nothing about a participant.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from koers.access.scoping import scope
from koers.clients.selectors import visible_clients
from koers.groupwork.access import own_current_runs
from koers.groupwork.models import (
    ABSENT_STATUSES,
    Attendance,
    AttendanceStatus,
    GroupRun,
    Participation,
    ProgrammeSession,
    Session,
    Variant,
)

ATTENDED_STATUSES = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
# From this many absences in a row (the latest recorded sessions) the trainer's view shows a warning.
CONSECUTIVE_ABSENCE_WARNING = 2


def visible_sessions(user: Any) -> QuerySet[Session]:
    return scope(Session.objects.all(), user).select_related("group_run__programme__organisation", "room", "logged_by")


def session_for(user: Any, pk: int) -> Session:
    """A session of a run the user trains or plans; 404 alike for missing and forbidden."""
    session = visible_sessions(user).filter(pk=pk).first()
    if session is None:
        raise Http404
    return session


def expected_at(session: Session) -> Q:
    """Participations expected at ``session``: joined on or before its date and not left before it."""
    return Q(group_run=session.group_run_id, joined_on__lte=session.date) & (
        Q(left_on__isnull=True) | Q(left_on__gte=session.date)
    )


def session_participants(session: Session, user: Any) -> QuerySet[Participation]:
    """The participants of a session that the user may see, with their referral (the group needs), by name."""
    return (
        Participation.objects.filter(expected_at(session), client__in=visible_clients(user).values("pk"))
        .select_related("client", "referral")
        .order_by("client__last_name", "client__first_name", "pk")
    )


def recorded_statuses(session: Session, participations: list[Participation]) -> dict[int, str]:
    """The attendance already recorded at ``session``, by participation id."""
    rows = Attendance.objects.filter(session=session, participation__in=[p.pk for p in participations])
    return dict(rows.values_list("participation_id", "status"))


def protocol_for(session: Session) -> ProgrammeSession | None:
    """What the programme's protocol says about this session number."""
    return ProgrammeSession.objects.filter(programme=session.group_run.programme_id, number=session.number).first()


@dataclass(frozen=True)
class GroupNeeds:
    """What the group and trainer need to know of a participant: the variant and support the referral asks for."""

    variant: str
    support: str

    def __bool__(self) -> bool:
        return bool(self.variant or self.support)


def group_needs(participation: Participation) -> GroupNeeds:
    referral = participation.referral
    if referral is None:
        return GroupNeeds("", "")
    variant = referral.get_needed_variant_display() if referral.needed_variant != Variant.STANDARD else ""
    return GroupNeeds(str(variant), referral.support_note)


@dataclass(frozen=True)
class AttendanceIndicators:
    attended: int
    held: int
    consecutive_absences: int
    last_attended_on: datetime.date | None

    @property
    def rate(self) -> int | None:
        """Percentage of held sessions attended (present or late); None before the first held session."""
        return round(100 * self.attended / self.held) if self.held else None

    @property
    def needs_attention(self) -> bool:
        return self.consecutive_absences >= CONSECUTIVE_ABSENCE_WARNING


def with_attendance_indicators(participations: QuerySet[Participation]) -> QuerySet[Participation]:
    """Annotates each participation with its attendance figures, computed in the database in the same query."""
    counted = Q(attendances__session__is_cancelled=False, attendances__session__attendance_recorded_at__isnull=False)
    held_sessions = (
        Session.objects.filter(
            group_run=OuterRef("group_run"),
            is_cancelled=False,
            attendance_recorded_at__isnull=False,
            date__gte=OuterRef("joined_on"),
            date__lte=Coalesce(OuterRef("left_on"), Value(datetime.date.max)),
        )
        .order_by()
        .values("group_run")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last_attended = (
        Attendance.objects.filter(
            participation=OuterRef("pk"),
            status__in=ATTENDED_STATUSES,
            session__is_cancelled=False,
            session__attendance_recorded_at__isnull=False,
        )
        .order_by("-session__date")
        .values("session__date")[:1]
    )
    return participations.annotate(
        held_count=Coalesce(Subquery(held_sessions, output_field=IntegerField()), 0),
        last_attended_on=Subquery(last_attended),
        attended_count=Count("attendances", filter=counted & Q(attendances__status__in=ATTENDED_STATUSES)),
        absences_since_last_attended=Count(
            "attendances",
            filter=counted
            & Q(attendances__status__in=ABSENT_STATUSES)
            & (Q(last_attended_on__isnull=True) | Q(attendances__session__date__gt=F("last_attended_on"))),
        ),
    )


def indicators(participation: Participation) -> AttendanceIndicators:
    """The figures of a participation annotated by :func:`with_attendance_indicators`."""
    return AttendanceIndicators(
        attended=participation.attended_count,  # type: ignore[attr-defined]
        held=participation.held_count,  # type: ignore[attr-defined]
        consecutive_absences=participation.absences_since_last_attended,  # type: ignore[attr-defined]
        last_attended_on=participation.last_attended_on,  # type: ignore[attr-defined]
    )


@dataclass(frozen=True)
class ParticipantRow:
    """A participant as the trainer sees them: name (through the participation), group needs and attendance."""

    participation: Participation
    needs: GroupNeeds
    figures: AttendanceIndicators


def _rows(annotated: QuerySet[Participation]) -> list[ParticipantRow]:
    return [ParticipantRow(p, group_needs(p), indicators(p)) for p in annotated]


def run_participant_rows(run: GroupRun, user: Any) -> list[ParticipantRow]:
    """Per participant of a run that the user may see: group needs and attendance indicators, in one query."""
    participations = run.participations.filter(client__in=visible_clients(user).values("pk"))
    annotated = with_attendance_indicators(participations.select_related("client", "referral"))
    return _rows(annotated.order_by("client__last_name", "client__first_name", "pk"))


@dataclass(frozen=True)
class TrainerRun:
    run: GroupRun
    participants: list[ParticipantRow]


def week_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Monday and Sunday of the week of ``day``."""
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


def my_runs(user: Any) -> QuerySet[GroupRun]:
    """The current runs the user trains (not those they only plan)."""
    return own_current_runs(user).select_related("programme", "room").order_by("start_date", "pk")


def my_sessions_between(user: Any, first: datetime.date, last: datetime.date) -> QuerySet[Session]:
    """Sessions of runs the user trains, in a date range, with what the trainer still has to do."""
    return (
        visible_sessions(user)
        .filter(group_run__in=own_current_runs(user).values("pk"), date__range=(first, last))
        .order_by("date", "starts_at", "pk")
    )


def trainer_runs(user: Any, runs: list[GroupRun], today: datetime.date) -> list[TrainerRun]:
    """The current participants of ``runs`` with needs and attendance indicators: one query for all runs."""
    participations = Participation.objects.filter(
        group_run__in=[run.pk for run in runs],
        client__in=visible_clients(user).values("pk"),
    ).filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
    annotated = with_attendance_indicators(participations.select_related("client", "referral")).order_by(
        "client__last_name", "client__first_name", "pk"
    )
    by_run: dict[int, list[ParticipantRow]] = {run.pk: [] for run in runs}
    for row in _rows(annotated):
        by_run[row.participation.group_run_id].append(row)
    return [TrainerRun(run, by_run[run.pk]) for run in runs]
