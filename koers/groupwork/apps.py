from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupworkConfig(AppConfig):
    name = "koers.groupwork"
    verbose_name = _("Group work")

    def ready(self) -> None:
        from koers.groupwork import access, signals  # noqa: F401  (access rules; audit of trainer changes)
