"""``manage.py install_starter_questionnaire``: give organisations the starter questionnaire (``starter.py``)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from koers.accounts.models import Organisation
from koers.measurement.starter import install_starter_questionnaire, starter_questionnaire


class Command(BaseCommand):
    help = (
        "Installeert de startvragenlijst 'Koers voortgangsmeting' (niet gevalideerd) bij één organisatie, of bij "
        "elke organisatie die nog geen vragenlijst voor effectmeting heeft."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", help="Naam van de organisatie.")

    def handle(self, *args: Any, organisation: str | None, **options: Any) -> None:
        if organisation is not None:
            found = Organisation.objects.filter(name=organisation).first()
            if found is None:
                raise CommandError(f"Geen organisatie met de naam {organisation!r}.")
            targets = [found]
        else:
            targets = list(Organisation.objects.filter(measurement_questionnaires__isnull=True).order_by("name"))
            if not targets:
                self.stdout.write("Elke organisatie heeft al een vragenlijst; er is niets geïnstalleerd.")
                return
        for target in targets:
            existed = starter_questionnaire(target) is not None
            questionnaire = install_starter_questionnaire(target)
            if existed:
                self.stdout.write(f"{target}: de startvragenlijst '{questionnaire}' was al geïnstalleerd.")
            else:
                self.stdout.write(self.style.SUCCESS(f"{target}: startvragenlijst '{questionnaire}' geïnstalleerd."))
