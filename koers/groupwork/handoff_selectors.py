"""Reads for the hand-off signal and the absence signals: scoped, 404 alike for missing and forbidden.

The trainer reaches participants through own current runs and sees their name and what the group needs; the
consultant reaches signals about own clients (or clients opened with temporary access).
"""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from koers.access.categories import DataCategory
from koers.access.scoping import categories_for, scope
from koers.clients.models import FLAG_CATEGORY, Client
from koers.clients.selectors import visible_clients
from koers.groupwork.access import attendance_of_own_clients, hand_offs_about_own_clients, own_current_runs
from koers.groupwork.models import ABSENT_STATUSES, Attendance, GroupRun, HandOff, Participation, Variant
from koers.trajectories.models import Trajectory
from koers.trajectories.selectors import visible_trajectories


def trainer_run(user: Any, pk: int) -> GroupRun:
    """A run the user trains and whose participants are still open to them."""
    run = own_current_runs(user).select_related("programme").filter(pk=pk).first()
    if run is None:
        raise Http404
    return run


def hand_off_overview(run: GroupRun, user: Any) -> list[Participation]:
    """The run's participants that the trainer may see, each with its signal (or none), in one query."""
    return list(
        run.participations.filter(client__in=visible_clients(user).values("pk"))
        .select_related("client", "hand_off", "hand_off__acknowledged_by")
        .order_by("client__last_name", "client__first_name", "pk")
    )


def trainer_participation(user: Any, pk: int) -> Participation:
    """A participant of a run the user trains (only while the run opens its participants)."""
    participation = (
        Participation.objects.filter(
            pk=pk, group_run__in=own_current_runs(user), client__in=visible_clients(user).values("pk")
        )
        .select_related("client", "group_run__programme", "referral")
        .first()
    )
    if participation is None:
        raise Http404
    return participation


def group_needs(user: Any, participation: Participation) -> dict[str, Any]:
    """What the trainer may know for the group: the language level, needs of the group-needs category, the
    variant the client needs and the support beside the group. Never a diagnosis."""
    client = participation.client
    if DataCategory.GROUP_NEEDS not in categories_for(user, client):
        return {"language_level": "", "flags": [], "variant": "", "support_note": ""}
    flags = [flag for flag in client.flags.all() if FLAG_CATEGORY.get(flag.kind) == DataCategory.GROUP_NEEDS]
    referral = participation.referral
    variant = referral.get_needed_variant_display() if referral and referral.needed_variant != Variant.STANDARD else ""
    return {
        "language_level": client.get_language_level_display(),
        "flags": [flag.get_kind_display() for flag in flags],
        "variant": variant,
        "support_note": referral.support_note if referral else "",
    }


def hand_off_of(participation: Participation) -> HandOff | None:
    return (
        HandOff.objects.filter(participation=participation)
        .select_related("acknowledged_by", "written_by")
        .prefetch_related("observations")
        .first()
    )


def hand_off_for_consultant(user: Any, pk: int) -> HandOff:
    """A signal about an own client (or one opened with temporary access); 404 alike for missing and forbidden."""
    hand_off = (
        scope(HandOff.objects.all(), user)
        .filter(hand_offs_about_own_clients(user), pk=pk)
        .select_related(
            "participation__client",
            "participation__group_run__programme",
            "written_by",
            "acknowledged_by",
        )
        .prefetch_related("observations")
        .first()
    )
    if hand_off is None:
        raise Http404
    return hand_off


def open_trajectory_for(user: Any, client: Client) -> Trajectory | None:
    """The client's open trajectory, if the user may see it: where advice becomes a goal or an instrument."""
    return visible_trajectories(user).filter(client=client, ended_on__isnull=True).first()


def unseen_absences(user: Any, client_id: int | None = None) -> QuerySet[Attendance]:
    """Absences of own clients that nobody acknowledged yet, oldest session first."""
    absences = (
        scope(Attendance.objects.all(), user)
        .filter(attendance_of_own_clients(user), status__in=ABSENT_STATUSES, acknowledged_at__isnull=True)
        .exclude(session__is_cancelled=True)
        .select_related("participation__client", "session__group_run__programme")
        .order_by("session__date", "session__starts_at", "participation__client__last_name", "pk")
    )
    if client_id is not None:
        absences = absences.filter(participation__client_id=client_id)
    return absences


def absence_of_own_client(user: Any, pk: int) -> Attendance:
    """One absence of an own client, seen or not; 404 alike for missing and forbidden."""
    absence = (
        scope(Attendance.objects.all(), user)
        .filter(attendance_of_own_clients(user), status__in=ABSENT_STATUSES, pk=pk)
        .select_related("participation")
        .first()
    )
    if absence is None:
        raise Http404
    return absence
