"""Who trains a run decides who sees its participants, so trainer changes go into the audit trail."""

from typing import Any

from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from koers.audit.models import Action
from koers.audit.services import record_event
from koers.groupwork.models import GroupRun


@receiver(m2m_changed, sender=GroupRun.trainers.through)
def on_trainers_changed(sender: Any, instance: Any, action: str, pk_set: set[int] | None, **kwargs: Any) -> None:
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, GroupRun):
        trainers = ",".join(str(pk) for pk in sorted(pk_set or []))
        record_event(None, Action.UPDATE, instance, reason=f"trainers {action.removeprefix('post_')}: {trainers}")
