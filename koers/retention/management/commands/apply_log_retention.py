"""Delete authentication log records older than their term (Selectielijst 19.1.24: 6 months); run daily."""

from typing import Any

from django.core.management.base import BaseCommand

from koers.retention.services import apply_log_retention


class Command(BaseCommand):
    help = "Delete login, logout and second-factor audit events and django-axes records past their retention period."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = apply_log_retention()
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count} deleted")
