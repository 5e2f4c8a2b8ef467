"""Restriction of processing (AVG art. 18): while a client's processing is restricted, their data is only stored.

The one guard for writes. It listens to ``pre_save`` and ``pre_delete`` of every model linked to a client (found
by ``subject_data``, so a new model is covered without a change here) and to write events in the audit trail: every
service records its write in the same transaction, also the ones that write through ``QuerySet.update()``, which
sends no model signal. A service that writes in bulk (``bulk_create``/``bulk_update``, events written in bulk too)
sends neither, and calls :func:`refuse_restricted` itself.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models.signals import pre_delete, pre_save
from django.utils.translation import gettext_lazy as _

from koers.audit.models import Action, AuditEvent
from koers.clients.models import Client
from koers.clients.subject_data import ClientLink, client_linked_models

RESTRICTED_MESSAGE = _("Processing of this client's data is restricted (GDPR art. 18). Only storage is allowed.")
WRITE_ACTIONS = frozenset({Action.CREATE, Action.UPDATE, Action.DELETE})

_lifted: ContextVar[bool] = ContextVar("restriction_lifted", default=False)


class ProcessingRestricted(PermissionDenied):
    """A write to (or a dossier read of) a client whose processing is restricted."""

    def __init__(self) -> None:
        super().__init__(str(RESTRICTED_MESSAGE))


@contextmanager
def restriction_lifted() -> Iterator[None]:
    """Lets the privacy officer's lifting of a restriction write; nothing else may use it."""
    token = _lifted.set(True)
    try:
        yield
    finally:
        _lifted.reset(token)


def _restricted_clients() -> models.QuerySet[Client]:
    return Client.objects.filter(processing_restricted_since__isnull=False)


def is_restricted(client_id: int | None) -> bool:
    return client_id is not None and _restricted_clients().filter(pk=client_id).exists()


def refuse_restricted(client_ids: Iterable[int | None]) -> None:
    """For bulk writes, which send no signal: refuses when any of the clients is restricted, in one query."""
    wanted = {client_id for client_id in client_ids if client_id is not None}
    if wanted and not _lifted.get() and _restricted_clients().filter(pk__in=wanted).exists():
        raise ProcessingRestricted


def _belongs_to_restricted_client(link: ClientLink, instance: models.Model) -> bool:
    """Whether ``instance`` belongs to a restricted client, in at most one query (none for a new client)."""
    if link.depth == 0:
        return instance.pk is not None and is_restricted(instance.pk)
    first, _sep, rest = link.path.partition("__")
    field = instance._meta.get_field(first)
    parent_id = getattr(instance, field.attname)  # type: ignore[union-attr]
    if parent_id is None:
        return False
    if not rest:
        return is_restricted(parent_id)
    parent = cast(type[models.Model], field.related_model)
    lookup = {f"{rest}__processing_restricted_since__isnull": False}
    return parent._default_manager.filter(pk=parent_id, **lookup).exists()


def _guard_model(link: ClientLink) -> Any:
    def guard(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
        if not _lifted.get() and _belongs_to_restricted_client(link, instance):
            raise ProcessingRestricted

    return guard


def _guard_audit_event(sender: type[AuditEvent], instance: AuditEvent, **kwargs: Any) -> None:
    if instance.action in WRITE_ACTIONS and not _lifted.get() and is_restricted(instance.client_id):
        raise ProcessingRestricted


def connect() -> None:
    """Installs the guard on every client-linked model; called once from the app's ``ready()``."""
    for link in client_linked_models():
        guard = _guard_model(link)
        pre_save.connect(guard, sender=link.model, weak=False, dispatch_uid=f"restriction-save-{link.label}")
        pre_delete.connect(guard, sender=link.model, weak=False, dispatch_uid=f"restriction-delete-{link.label}")
    pre_save.connect(_guard_audit_event, sender=AuditEvent, dispatch_uid="restriction-audit-event")
