from typing import Any

from django.core.management.commands import flush

from koers.audit.models import ChainCheckpoint, RetentionGate


class Command(flush.Command):
    """Django's ``flush``, with the retention gate open: the logs are append-only, but ``flush`` empties everything
    (the test runner calls it after each test that commits), and then the logs' deleted-row hashes go too."""

    def handle(self, **options: Any) -> None:
        database = options["database"]
        gate = RetentionGate.objects.using(database).create()
        try:
            super().handle(**options)
            ChainCheckpoint.objects.using(database).all().delete()
        finally:
            RetentionGate.objects.using(database).filter(pk=gate.pk).delete()
