"""Authentication and role changes go into the audit trail (SECURITY.md items 15 and 16)."""

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from koers.accounts.middleware import AUTH_TIME_KEY
from koers.accounts.models import RoleAssignment
from koers.audit.models import Action
from koers.audit.services import record_event


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[AUTH_TIME_KEY] = time.time()
    record_event(user, Action.LOGIN, user)


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    record_event(None, Action.LOGIN_FAILED, object_type="accounts.user", object_id=username)


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record_event(user, Action.LOGOUT, user)


@receiver(post_save, sender=RoleAssignment)
def on_role_granted(sender: Any, instance: RoleAssignment, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        record_event(None, Action.CREATE, instance, reason=f"role {instance.role} granted to {instance.user_id}")


@receiver(post_delete, sender=RoleAssignment)
def on_role_revoked(sender: Any, instance: RoleAssignment, **kwargs: Any) -> None:
    record_event(None, Action.DELETE, instance, reason=f"role {instance.role} revoked from {instance.user_id}")
