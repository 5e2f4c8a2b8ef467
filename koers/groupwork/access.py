"""Access that follows from group work: a trainer sees the participants of their own runs.

The relation ends: a cancelled run opens nothing, and a run that started more than ``RELATION_WINDOW`` ago no longer
opens its participants (long enough for sessions, the hand-off and the evaluation; SECURITY.md item 27).
"""

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from koers.access.categories import DataCategory
from koers.access.scoping import grants
from koers.accounts.roles import Role
from koers.clients.models import Client
from koers.groupwork.models import GroupRun, Participation, RunStatus

RELATION_WINDOW = datetime.timedelta(days=120)


def current_runs() -> QuerySet[GroupRun]:
    since = timezone.localdate() - RELATION_WINDOW
    return GroupRun.objects.exclude(status=RunStatus.CANCELLED).filter(start_date__gte=since)


@grants(
    Client,
    Role.TRAINER,
    frozenset({DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.GROUP_NEEDS}),
    "participants of own group runs: name, contact and group needs, never diagnosis",
)
def participants_of_own_runs(user: Any) -> Q:
    own = Participation.objects.filter(group_run__in=current_runs().filter(trainers=user)).values("client_id")
    return Q(pk__in=own)


@grants(
    Client,
    Role.PLANNER,
    frozenset({DataCategory.IDENTITY, DataCategory.CONTACT}),
    "participants of the organisation's group runs: logistics only",
)
def participants_for_logistics(user: Any) -> Q:
    runs = current_runs().filter(programme__organisation=user.organisation_id)
    enrolled = Participation.objects.filter(group_run__in=runs)
    return Q(pk__in=enrolled.values("client_id"))


@grants(GroupRun, Role.TRAINER, frozenset({DataCategory.IDENTITY}), "own group runs")
def own_runs(user: Any) -> Q:
    return Q(pk__in=GroupRun.objects.filter(trainers=user).values("pk"))


@grants(GroupRun, Role.PLANNER, frozenset({DataCategory.IDENTITY}), "all runs of the organisation")
def organisation_runs(user: Any) -> Q:
    return Q(programme__organisation=user.organisation_id)
