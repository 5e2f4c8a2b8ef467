from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "koers.clients"
    verbose_name = _("Clients")

    def ready(self) -> None:
        from koers.clients import access  # noqa: F401  (registers the access rules for clients)
        from koers.clients.restriction import connect

        connect()
