"""Who may see which client, and what of them (DOMAIN.md §2)."""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from koers.access.categories import ALL_CATEGORIES, DataCategory
from koers.access.scoping import grants
from koers.accounts.models import User
from koers.accounts.roles import Role
from koers.clients.models import AccessGrant, Client


@grants(Client, Role.CONSULTANT, ALL_CATEGORIES, "own caseload: the full dossier")
def own_caseload(user: Any) -> Q:
    return Q(consultant=user)


def active_grants(user: Any) -> QuerySet[AccessGrant]:
    """The user's temporary access that has not ended: the one definition every dossier part uses."""
    return AccessGrant.objects.filter(user=user, valid_until__gt=timezone.now())


def _granted(user: Any) -> Q:
    return Q(pk__in=active_grants(user).values("client_id"))


grants(Client, Role.CONSULTANT, ALL_CATEGORIES, "temporary access with a logged reason")(_granted)
grants(Client, Role.TEAM_MANAGER, ALL_CATEGORIES, "dossier opened with a logged reason")(_granted)


@grants(
    Client,
    Role.TEAM_MANAGER,
    frozenset({DataCategory.IDENTITY, DataCategory.GROUP_NEEDS}),
    "clients of the own team's consultants: team-level view, no dossier",
)
def own_team(user: Any) -> Q:
    team_consultants = User.objects.filter(teams__in=user.teams.all()).values("pk")
    return Q(consultant_id__in=team_consultants, organisation=user.organisation_id)
