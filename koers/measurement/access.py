"""Measurements are dossier content: they open exactly where the trajectory they belong to opens (DOMAIN.md §2).

Policy staff never see a measurement row: they get aggregates (group effects) and the pseudonymised research export.
"""

from typing import Any

from django.db.models import Q

from koers.access.categories import ALL_CATEGORIES
from koers.access.scoping import grants
from koers.accounts.roles import Role
from koers.clients.access import active_grants
from koers.measurement.models import Measurement


@grants(Measurement, Role.CONSULTANT, ALL_CATEGORIES, "measurements in trajectories of the own caseload")
def own_caseload(user: Any) -> Q:
    return Q(trajectory__client__consultant=user)


def _granted(user: Any) -> Q:
    return Q(trajectory__client_id__in=active_grants(user).values("client_id"))


grants(Measurement, Role.CONSULTANT, ALL_CATEGORIES, "temporary access with a logged reason")(_granted)
grants(Measurement, Role.TEAM_MANAGER, ALL_CATEGORIES, "dossier opened with a logged reason")(_granted)
