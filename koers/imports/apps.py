from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "koers.imports"
    verbose_name = _("Client import")

    def ready(self) -> None:
        from koers.imports import access  # noqa: F401  (registers the access rules for imports)
