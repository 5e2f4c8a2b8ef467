import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from koers.accounts.models import Organisation
from koers.principles.services import month_ends, record_snapshots


class Command(BaseCommand):
    help = (
        "Record the ten-principles audit of every organisation for the month of --as-of (default today), counted as "
        "of that day; with --months N also the N month-ends before it. Run it daily (or at least on the last day "
        "of each month); running it again replaces the month's figures."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", dest="as_of", help="The day to count as of (YYYY-MM-DD); default today.")
        parser.add_argument(
            "--months", type=int, default=0, help="Also back-fill the last N month-ends before that month."
        )

    def handle(self, *args: Any, as_of: str | None = None, months: int = 0, **options: Any) -> None:
        try:
            day = datetime.date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"Invalid date {as_of!r}; use YYYY-MM-DD.") from error
        if months < 0:
            raise CommandError("--months cannot be negative.")
        days = [*month_ends(day, months), day]
        for organisation in Organisation.objects.order_by("pk"):
            for moment in days:
                written = record_snapshots(organisation, moment)
                self.stdout.write(f"{organisation}: {moment:%Y-%m} as of {moment.isoformat()}: {written} rows")
