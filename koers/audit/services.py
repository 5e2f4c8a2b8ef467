"""Writing audit events and, for client data, the processing log. Call these inside the transaction of the change.

Fail closed (SECURITY.md item 61): when a log row cannot be written, ``LogWriteFailed`` stops the request before any
data leaves; the middleware answers 503.
"""

import secrets
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import DatabaseError, models
from django.utils import timezone

from koers.audit import context
from koers.audit.activities import activity_for
from koers.audit.models import Action, AuditEvent, ProcessingLogEntry, ProcessingStatus
from koers.audit.pseudonym import client_pseudonym

DATA_SUBJECT_TYPE = "koers-client"


class LogWriteFailed(Exception):  # noqa: N818 (the name the brief and callers use)
    """The audit trail or the processing log could not be written; the data must not be returned."""


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


def _processing(events: list[AuditEvent]) -> list[ProcessingLogEntry]:
    """One processing-log row per event about a client, in the event's trace.

    Events written outside a request (a task, a command) get one fresh trace id for the batch, on the audit events
    too, so the two logs stay linked.
    """
    ctx = context.current()
    parent_span_id = ctx.parent_span_id if ctx else ""
    fresh_trace_id = uuid.uuid4().hex
    for event in events:
        event.request_id = event.request_id or fresh_trace_id
    now = timezone.now()
    return [
        ProcessingLogEntry(
            trace_id=event.request_id,
            span_id=secrets.token_hex(8),
            parent_span_id=parent_span_id,
            name=f"{event.object_type or 'clients.client'}.{event.action}",
            started_at=now,
            status=ProcessingStatus.OK,
            processing_activity=activity_for(event.object_type).uri,
            data_subject=client_pseudonym(event.client_id),
            data_subject_type=DATA_SUBJECT_TYPE,
        )
        for event in events
        if event.client_id is not None
    ]


def _insert(model: type[models.Model], rows: list[Any]) -> None:
    """Saves a single row the ordinary way, so ``pre_save`` receivers (the restriction guard) still see it."""
    if len(rows) == 1:
        rows[0].save()
    else:
        model._default_manager.bulk_create(rows)


def _write(events: list[AuditEvent]) -> None:
    entries = _processing(events)
    try:
        _insert(AuditEvent, events)
        if entries:
            _insert(ProcessingLogEntry, entries)
    except DatabaseError as error:
        raise LogWriteFailed from error


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
    _write([event])
    return event


def record_events(events: list[AuditEvent]) -> None:
    """Writes audit events a bulk writer prepared (the client import, attendance), with their processing-log rows."""
    if events:
        _write(events)


def record_client_reads(actor: Any, clients: Iterable[models.Model], *, reason: str = "") -> None:
    """One read event and one processing-log row per client shown: two queries, whatever the length of the list."""
    events = [_event(actor, Action.READ, client, client.pk, reason) for client in clients]
    if events:
        _write(events)
