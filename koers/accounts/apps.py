from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "koers.accounts"
    verbose_name = _("Organisation and accounts")

    def ready(self) -> None:
        from koers.accounts import signals  # noqa: F401  (connects authentication event logging)
