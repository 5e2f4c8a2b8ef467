"""Authentication and role changes go into the audit trail (SECURITY.md items 15 and 16)."""

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from koers.accounts.middleware import AUTH_TIME_KEY
from koers.accounts.models import RoleAssignment, User
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
    if kwargs.get("raw"):
        return
    verb = "granted to" if created else "set for"
    record_event(
        None,
        Action.CREATE if created else Action.UPDATE,
        instance,
        reason=f"role {instance.role} {verb} {instance.user_id}",
    )


@receiver(post_delete, sender=RoleAssignment)
def on_role_revoked(sender: Any, instance: RoleAssignment, **kwargs: Any) -> None:
    record_event(None, Action.DELETE, instance, reason=f"role {instance.role} revoked from {instance.user_id}")


@receiver(m2m_changed, sender=User.teams.through)
def on_team_membership_changed(sender: Any, instance: Any, action: str, pk_set: set[int] | None, **kwargs: Any) -> None:
    """Team membership decides what a team manager sees, so every change is on record."""
    if action in {"post_add", "post_remove", "post_clear"}:
        teams = ",".join(str(pk) for pk in sorted(pk_set or []))
        record_event(None, Action.UPDATE, instance, reason=f"teams {action.removeprefix('post_')}: {teams}")


@receiver(pre_save, sender=User)
def revoke_tokens_on_password_change(sender: Any, instance: User, update_fields: Any = None, **kwargs: Any) -> None:
    """A new password ends what the old one opened: API tokens stop working."""
    if kwargs.get("raw") or instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = User.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is not None and stored != instance.password:
        Token.objects.filter(user_id=instance.pk).delete()


@receiver(post_delete, sender=TOTPDevice)
def revoke_tokens_on_second_factor_removal(sender: Any, instance: TOTPDevice, **kwargs: Any) -> None:
    Token.objects.filter(user_id=instance.user_id).delete()
