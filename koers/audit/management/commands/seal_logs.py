import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from koers.audit.sealer import seal_every, seal_now


class Command(BaseCommand):
    help = (
        "Seal new rows of the audit trail and the processing log into their hash chains. With --every N it keeps "
        "running and seals every N seconds (run it as a service beside the web processes in production)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=float, default=0, help="seconds between rounds; 0 seals once")

    def handle(self, *args: Any, every: float, **options: Any) -> None:
        if every <= 0:
            seal_now()
            return
        seal_every(every, threading.Event())
