"""Who may see which placement proposals: the planners of the organisation, who request and accept them. A proposal
shows names, client numbers and runs (logistics only), but of the whole waiting list across teams, so team managers,
whose view is their own team, do not get it.
"""

from typing import Any

from django.db.models import Q

from koers.access.categories import DataCategory
from koers.access.scoping import grants
from koers.accounts.roles import Role
from koers.placement.models import PlacementProposal

LOGISTICS = frozenset({DataCategory.IDENTITY})


def own_organisation(user: Any) -> Q:
    return Q(organisation_id=user.organisation_id)


grants(PlacementProposal, Role.PLANNER, LOGISTICS, "placement proposals of the own organisation")(own_organisation)
