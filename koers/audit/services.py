"""Writing audit events. Call these inside the transaction of the change they describe."""

from collections.abc import Iterable
from typing import Any

from django.db import models

from koers.audit import context
from koers.audit.models import Action, AuditEvent


def _event(
    actor: Any,
    action: str,
    obj: models.Model | None,
    client_id: int | None,
    reason: str,
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    ctx = context.current()
    if actor is None and ctx is not None:
        actor = ctx.user
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent(
        actor=actor if authenticated else None,
        actor_username=actor.get_username() if authenticated else "",
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=object_id or (str(obj.pk) if obj is not None else ""),
        client_id=client_id,
        reason=reason,
        request_id=ctx.request_id if ctx else "",
        ip_address=ctx.ip_address if ctx else None,
    )


def record_event(
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    *,
    client_id: int | None = None,
    reason: str = "",
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    event = _event(actor, action, obj, client_id, reason, object_type, object_id)
    event.save()
    return event


def record_client_reads(actor: Any, clients: Iterable[models.Model], *, reason: str = "") -> None:
    """One read event per client shown, in one query, whatever the length of the list."""
    events = [_event(actor, Action.READ, client, client.pk, reason) for client in clients]
    if events:
        AuditEvent.objects.bulk_create(events)
