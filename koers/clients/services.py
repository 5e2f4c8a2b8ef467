"""Writes on client data. Each runs in one transaction with its audit event."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from koers.access.categories import DataCategory
from koers.access.scoping import categories_for
from koers.accounts.roles import Role
from koers.audit.models import Action
from koers.audit.services import record_event
from koers.clients.models import AccessGrant, Client

# A dossier opened with a reason stays open for the rest of the working day, not longer.
REASONED_ACCESS_HOURS = 8


def open_dossier_with_reason(user: Any, client: Client, reason: str) -> AccessGrant:
    """A team manager opens a team client's full dossier; the reason goes into the audit trail."""
    reason = reason.strip()
    if not reason:
        raise ValueError("A reason is required.")
    if not user.has_role(Role.TEAM_MANAGER) or DataCategory.IDENTITY not in categories_for(user, client):
        raise PermissionDenied
    with transaction.atomic():
        grant = AccessGrant.objects.create(
            client=client,
            user=user,
            reason=reason,
            granted_by=user,
            valid_until=timezone.now() + datetime.timedelta(hours=REASONED_ACCESS_HOURS),
        )
        record_event(user, Action.CREATE, grant, client_id=client.pk, reason=f"dossier opened: {reason}")
    return grant
