"""Access that follows from group work: a trainer sees the participants of their own runs."""

from typing import Any

from django.db.models import Q

from koers.access.categories import DataCategory
from koers.access.scoping import grants
from koers.accounts.roles import Role
from koers.clients.models import Client
from koers.groupwork.models import GroupRun, Participation


@grants(
    Client,
    Role.TRAINER,
    frozenset({DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.GROUP_NEEDS}),
    "participants of own group runs: name, contact and group needs, never diagnosis",
)
def participants_of_own_runs(user: Any) -> Q:
    own = Participation.objects.filter(group_run__trainers=user).values("client_id")
    return Q(pk__in=own)


@grants(
    Client,
    Role.PLANNER,
    frozenset({DataCategory.IDENTITY, DataCategory.CONTACT}),
    "participants of the organisation's group runs: logistics only",
)
def participants_for_logistics(user: Any) -> Q:
    enrolled = Participation.objects.filter(group_run__programme__organisation=user.organisation_id)
    return Q(pk__in=enrolled.values("client_id"))


@grants(GroupRun, Role.TRAINER, frozenset({DataCategory.IDENTITY}), "own group runs")
def own_runs(user: Any) -> Q:
    return Q(pk__in=GroupRun.objects.filter(trainers=user).values("pk"))


@grants(GroupRun, Role.PLANNER, frozenset({DataCategory.IDENTITY}), "all runs of the organisation")
def organisation_runs(user: Any) -> Q:
    return Q(programme__organisation=user.organisation_id)
