"""Trajectories are dossier content: only a relation that opens the full dossier opens them (DOMAIN.md §2)."""

from typing import Any

from django.db.models import Q

from koers.access.categories import ALL_CATEGORIES
from koers.access.scoping import grants
from koers.accounts.roles import Role
from koers.clients.access import active_grants
from koers.trajectories.models import Trajectory


@grants(Trajectory, Role.CONSULTANT, ALL_CATEGORIES, "trajectories of the own caseload")
def own_caseload(user: Any) -> Q:
    return Q(client__consultant=user)


def _granted(user: Any) -> Q:
    return Q(client_id__in=active_grants(user).values("client_id"))


grants(Trajectory, Role.CONSULTANT, ALL_CATEGORIES, "temporary access with a logged reason")(_granted)
grants(Trajectory, Role.TEAM_MANAGER, ALL_CATEGORIES, "dossier opened with a logged reason")(_granted)
