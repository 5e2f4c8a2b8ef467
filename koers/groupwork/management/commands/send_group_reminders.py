import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from koers.groupwork.invitation_services import reminder_days, send_reminders


class Command(BaseCommand):
    help = (
        "Send the reminder before a participant's first group session (KOERS_REMINDER_DAYS days ahead, default 2): "
        "by e-mail, or marked as a letter for the planner to print. Run it daily; nobody is reminded twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--datum", help="Doe alsof het vandaag deze datum is (JJJJ-MM-DD); standaard vandaag.")

    def handle(self, *args: Any, datum: str | None = None, **options: Any) -> None:
        today = None
        if datum:
            try:
                today = datetime.date.fromisoformat(datum)
            except ValueError as error:
                raise CommandError(f"Ongeldige datum {datum!r}; gebruik JJJJ-MM-DD.") from error
        result = send_reminders(today)
        self.stdout.write(
            f"Herinneringen ({reminder_days()} dagen voor de eerste bijeenkomst): "
            f"{result.emailed} per e-mail verstuurd, {result.letters} als brief klaar om te printen, "
            f"{result.not_ready} overgeslagen (geen datum of plaats), {result.failed} mislukt."
        )
        if result.failed:
            raise CommandError("Niet alle e-mails zijn verstuurd; de volgende run probeert het opnieuw.")
