from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementConfig(AppConfig):
    name = "koers.placement"
    verbose_name = _("Placement proposals")

    def ready(self) -> None:
        from koers.placement import access  # noqa: F401  (registers the access rules for proposals)
