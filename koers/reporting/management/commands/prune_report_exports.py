"""Delete report exports past their keeping period; run daily."""

from typing import Any

from django.core.management.base import BaseCommand

from koers.reporting.selectors import KEEP_EXPORTS
from koers.reporting.services import prune_exports


class Command(BaseCommand):
    help = f"Delete report exports older than {KEEP_EXPORTS.days} days."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = prune_exports()
        self.stdout.write(f"{deleted} report export(s) deleted.")
