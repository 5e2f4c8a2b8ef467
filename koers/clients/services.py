"""Writes on client data. Each runs in one transaction with its audit event."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from koers.accounts.models import User
from koers.accounts.roles import Role
from koers.audit.models import Action
from koers.audit.services import record_event
from koers.clients.models import RECTIFIABLE_FIELDS, AccessGrant, Client, ClientTransfer, Rectification, ScreeningFlag
from koers.clients.restriction import restriction_lifted

# A dossier opened with a reason stays open for the rest of the working day, not longer.
REASONED_ACCESS_HOURS = 8


def open_dossier_with_reason(user: Any, client: Client, reason: str) -> AccessGrant:
    """A team manager opens a team client's full dossier; the reason goes into the audit trail."""
    reason = reason.strip()
    if not reason:
        raise ValueError("A reason is required.")
    if not in_own_team(user, client):
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


class StaleEditError(Exception):
    """Someone else saved this client since the form was opened; saving would overwrite their change."""


CLIENT_FIELDS = (
    "bsn",
    "first_name",
    "last_name",
    "date_of_birth",
    "municipality",
    "email",
    "phone",
    "street",
    "postal_code",
    "city",
    "language_level",
    "availability",
)


def _sync_flags(user: Any, client: Client, kinds: set[str]) -> list[str]:
    """Records newly ticked needs and contra-indications (by whom, when) and removes unticked ones."""
    current = set(client.flags.values_list("kind", flat=True))
    added, removed = kinds - current, current - kinds
    if removed:
        client.flags.filter(kind__in=removed).delete()
    ScreeningFlag.objects.bulk_create(
        [ScreeningFlag(client=client, kind=kind, recorded_by=user, recorded_at=timezone.now()) for kind in added]
    )
    return sorted(f"+{kind}" for kind in added) + sorted(f"-{kind}" for kind in removed)


def register_client(user: Any, data: dict[str, Any], flag_kinds: set[str], consultant: Any | None = None) -> Client:
    """A consultant registers a client; the client joins the given caseload, by default the registering user's."""
    with transaction.atomic():
        client = Client(
            organisation_id=user.organisation_id,
            consultant=consultant or user,
            **{name: data[name] for name in CLIENT_FIELDS if name in data},
        )
        client.save()
        _sync_flags(user, client, flag_kinds)
        record_event(user, Action.CREATE, client, client_id=client.pk, reason="client registered")
    return client


def update_client(user: Any, client: Client, data: dict[str, Any], flag_kinds: set[str], *, version: int) -> Client:
    """Saves a dossier edit only if nobody saved in between (``version`` is what the form was opened with)."""
    changes = {name: data[name] for name in CLIENT_FIELDS if name in data}
    with transaction.atomic():
        # Compare with what is stored: a bound ModelForm has already copied the input onto ``client``.
        stored = Client.objects.filter(pk=client.pk).values(*changes).get()
        changed = [name for name, value in changes.items() if stored[name] != getattr(value, "pk", value)]
        updated = Client.objects.filter(pk=client.pk, version=version).update(
            **changes, version=F("version") + 1, updated_at=timezone.now()
        )
        if not updated:
            raise StaleEditError
        flag_changes = _sync_flags(user, client, flag_kinds)
        record_event(
            user,
            Action.UPDATE,
            client,
            client_id=client.pk,
            reason="changed: " + ", ".join(changed + flag_changes) if changed or flag_changes else "saved",
        )
    client.refresh_from_db()
    return client


def in_own_team(user: Any, client: Client) -> bool:
    """The user manages a team that the client's consultant belongs to (not: sees the client through another role)."""
    if not user.has_role(Role.TEAM_MANAGER) or client.consultant_id is None:
        return False
    return User.objects.filter(pk=client.consultant_id, teams__in=user.teams.all()).exists()


def may_manage_caseload(user: Any, client: Client) -> bool:
    """The client's own consultant, or the team manager of that consultant's team."""
    return (client.consultant_id == user.pk and user.has_role(Role.CONSULTANT)) or in_own_team(user, client)


def transfer_client(user: Any, client: Client, to_consultant: Any, reason: str) -> ClientTransfer:
    if not may_manage_caseload(user, client):
        raise PermissionDenied
    with transaction.atomic():
        transfer = ClientTransfer.objects.create(
            client=client,
            from_consultant=client.consultant,
            to_consultant=to_consultant,
            reason=reason,
            transferred_by=user,
        )
        Client.objects.filter(pk=client.pk).update(
            consultant=to_consultant, version=F("version") + 1, updated_at=timezone.now()
        )
        record_event(
            user,
            Action.UPDATE,
            transfer,
            client_id=client.pk,
            reason=f"transferred to {to_consultant.get_username()}: {reason}",
        )
    return transfer


def grant_temporary_access(
    user: Any, client: Client, colleague: Any, reason: str, valid_until: datetime.datetime
) -> AccessGrant:
    """A replacing colleague gets the full dossier until ``valid_until``."""
    if not may_manage_caseload(user, client):
        raise PermissionDenied
    if valid_until <= timezone.now():
        raise ValueError("The end of temporary access lies in the past.")
    with transaction.atomic():
        grant = AccessGrant.objects.create(
            client=client, user=colleague, reason=reason, valid_until=valid_until, granted_by=user
        )
        record_event(
            user,
            Action.CREATE,
            grant,
            client_id=client.pk,
            reason=f"temporary access for {colleague.get_username()} until {valid_until:%Y-%m-%d}: {reason}",
        )
    return grant


def _as_text(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime.date) else str(value or "")


def rectify_client(
    user: Any, client: Client, corrected: dict[str, Any], reason: str, client_view: str = "", *, version: int
) -> list[Rectification]:
    """Corrects identity and contact fields (AVG art. 16), keeping old and new value, reason and the client's view.

    ``version`` is the one the form was opened with: a save over someone else's change raises ``StaleEditError``.
    """
    reason = reason.strip()
    if not reason:
        raise ValueError("A reason is required.")
    if set(corrected) - set(RECTIFIABLE_FIELDS):
        raise ValueError("Only identity and contact fields can be rectified.")
    if not (client.consultant_id == user.pk and user.has_role(Role.CONSULTANT)):
        raise PermissionDenied
    with transaction.atomic():
        stored = Client.objects.filter(pk=client.pk).values(*RECTIFIABLE_FIELDS).get()
        changes = {name: value for name, value in corrected.items() if stored[name] != value}
        updated = Client.objects.filter(pk=client.pk, version=version).update(
            **changes, version=F("version") + 1, updated_at=timezone.now()
        )
        if not updated:
            raise StaleEditError
        rectifications = [
            Rectification.objects.create(
                client=client,
                field=name,
                old_value=_as_text(stored[name]),
                new_value=_as_text(value),
                reason=reason,
                client_view=client_view.strip(),
                by=user,
            )
            for name, value in changes.items()
        ]
        record_event(
            user,
            Action.UPDATE,
            client,
            client_id=client.pk,
            reason="rectified: " + ", ".join(changes) if changes else "rectification without changes",
        )
    client.refresh_from_db()
    return rectifications


def restrict_processing(user: Any, client: Client, reason: str) -> None:
    """The privacy officer restricts processing (AVG art. 18): from now on the dossier is only stored."""
    reason = reason.strip()
    if not reason:
        raise ValueError("A reason is required.")
    if not user.has_role(Role.PRIVACY_OFFICER) or client.organisation_id != user.organisation_id:
        raise PermissionDenied
    with transaction.atomic():
        locked = Client.objects.select_for_update().get(pk=client.pk)
        if locked.processing_restricted:
            raise ValueError("Processing is already restricted.")
        # The event first: once the restriction is stored, the guard refuses every write event for this client.
        record_event(user, Action.UPDATE, client, client_id=client.pk, reason=f"processing restricted: {reason}")
        Client.objects.filter(pk=client.pk).update(
            processing_restricted_since=timezone.now(),
            processing_restricted_reason=reason,
            processing_restricted_by=user,
        )
    client.refresh_from_db()


def lift_restriction(user: Any, client: Client, reason: str) -> None:
    """The privacy officer lifts the restriction, with a reason; processing is allowed again."""
    reason = reason.strip()
    if not reason:
        raise ValueError("A reason is required.")
    if not user.has_role(Role.PRIVACY_OFFICER) or client.organisation_id != user.organisation_id:
        raise PermissionDenied
    with transaction.atomic(), restriction_lifted():
        locked = Client.objects.select_for_update().get(pk=client.pk)
        if not locked.processing_restricted:
            raise ValueError("Processing is not restricted.")
        Client.objects.filter(pk=client.pk).update(
            processing_restricted_since=None, processing_restricted_reason="", processing_restricted_by=None
        )
        record_event(
            user, Action.UPDATE, client, client_id=client.pk, reason=f"processing restriction lifted: {reason}"
        )
    client.refresh_from_db()
