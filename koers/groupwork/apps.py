from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupworkConfig(AppConfig):
    name = "koers.groupwork"
    verbose_name = _("Group work")

    def ready(self) -> None:
        from koers.groupwork import access  # noqa: F401  (registers the access rules for group work)
