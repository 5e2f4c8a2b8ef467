"""Who may see which imports: the functional administrator and team managers, of their own organisation."""

from typing import Any

from django.db.models import Q

from koers.access.scoping import grants
from koers.accounts.roles import Role
from koers.imports.models import ClientImport


def own_organisation(user: Any) -> Q:
    return Q(organisation_id=user.organisation_id)


# An import shows counts, row numbers and masked BSNs only: it opens no data category of any client.
for role in (Role.ADMINISTRATOR, Role.TEAM_MANAGER):
    grants(ClientImport, role, frozenset(), "imports of the own organisation")(own_organisation)
