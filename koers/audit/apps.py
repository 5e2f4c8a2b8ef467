from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "koers.audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from koers.audit.checks import check_processing_activities

        checks.register(check_processing_activities)
