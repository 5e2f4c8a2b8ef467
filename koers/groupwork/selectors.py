from typing import Any

from django.db.models import Count, QuerySet

from koers.access.scoping import scope
from koers.clients.selectors import visible_clients
from koers.groupwork.models import GroupRun, Participation


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
        .select_related("client")
        .order_by("client__last_name", "client__first_name")
    )
