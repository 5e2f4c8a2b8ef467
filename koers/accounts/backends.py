"""Permissions that follow from roles, so the functional administrator can configure Koers in the admin."""

from typing import Any

from django.contrib.auth.backends import BaseBackend

from koers.accounts.roles import Role

# What a functional administrator configures: accounts, teams and the group-work catalogue; never client data.
CONFIGURATION_APPS = frozenset(
    {"accounts", "groupwork", "measurement", "principles", "reporting", "retention", "trajectories"}
)


class RolePermissionBackend(BaseBackend):
    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if not user_obj.is_active or not hasattr(user_obj, "roles"):
            return False
        app_label = perm.split(".", 1)[0]
        return app_label in CONFIGURATION_APPS and Role.ADMINISTRATOR in user_obj.roles

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return self.has_perm(user_obj, f"{app_label}.view")
