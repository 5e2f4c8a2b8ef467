"""Figures for the start page of each role. Each is a fixed number of aggregate queries, whatever the data size."""

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from koers.accounts.models import RoleAssignment, User
from koers.accounts.roles import Role
from koers.audit.models import AuditEvent
from koers.clients.models import Client, FlagKind
from koers.groupwork.models import GroupRun, Participation, Programme, Room

# Below this many persons a figure could point to individuals, so policy views show "<5" (SECURITY.md item 28).
SUPPRESSION_THRESHOLD = 5


def suppress(count: int) -> int | None:
    return count if count >= SUPPRESSION_THRESHOLD else None


def trainer_figures(user: Any) -> dict[str, int]:
    today = timezone.localdate()
    upcoming = GroupRun.objects.filter(trainers=user, start_date__gte=today)
    return {
        "upcoming_runs": upcoming.count(),
        "participants": Participation.objects.filter(group_run__in=upcoming).count(),
    }


def planner_figures(user: Any) -> dict[str, int]:
    today = timezone.localdate()
    runs = GroupRun.objects.filter(programme__organisation=user.organisation_id, start_date__gte=today)
    figures = runs.aggregate(
        upcoming_runs=Count("pk", distinct=True),
        without_trainer=Count("pk", filter=Q(trainers__isnull=True), distinct=True),
        without_room=Count("pk", filter=Q(room__isnull=True), distinct=True),
    )
    figures["rooms"] = Room.objects.filter(organisation=user.organisation_id).count()
    return figures


def team_caseloads(user: Any) -> list[User]:
    """Caseload size per consultant in the manager's teams: the balance a team manager watches."""
    return list(
        User.objects.filter(teams__in=user.teams.all(), role_assignments__role=Role.CONSULTANT, is_active=True)
        .annotate(client_count=Count("caseload", distinct=True))
        .distinct()
        .order_by("-client_count", "last_name")
    )


def municipality_figures(user: Any) -> list[dict[str, Any]]:
    """Clients and shares of needs per municipality, with small cells suppressed."""
    rows = (
        Client.objects.filter(organisation=user.organisation_id)
        .values("municipality__name")
        .annotate(
            clients=Count("pk", distinct=True),
            low_language=Count("pk", filter=Q(flags__kind=FlagKind.LOW_LANGUAGE), distinct=True),
        )
        .order_by("municipality__name")
    )
    return [
        {
            "municipality": row["municipality__name"],
            "clients": suppress(row["clients"]),
            "low_language": suppress(row["low_language"]),
        }
        for row in rows
    ]


def administrator_figures(user: Any) -> dict[str, Any]:
    roles = dict(
        RoleAssignment.objects.filter(user__organisation=user.organisation_id, user__is_active=True)
        .values_list("role")
        .annotate(n=Count("pk"))
    )
    return {
        "roles": [(label, roles.get(value, 0)) for value, label in Role.choices],
        "programmes": Programme.objects.filter(organisation=user.organisation_id).count(),
        "rooms": Room.objects.filter(organisation=user.organisation_id).count(),
    }


def privacy_figures(user: Any) -> dict[str, int]:
    since = timezone.now() - timedelta(days=1)
    own_usernames = User.objects.filter(organisation=user.organisation_id).values("username")
    own = Q(actor__organisation=user.organisation_id) | Q(action="login_failed", object_id__in=own_usernames)
    recent = AuditEvent.objects.filter(own, at__gte=since)
    return recent.aggregate(
        client_reads=Count("pk", filter=Q(action="read", client_id__isnull=False)),
        failed_logins=Count("pk", filter=Q(action="login_failed")),
    )
