"""``manage.py seed_demo``: load the fictitious demo organisation (see koers.demo.services)."""

import argparse
import os
import secrets
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from koers.demo import services

ROLE_LABELS = {
    "consultant": "Klantmanager",
    "trainer": "Trainer",
    "planner": "Planner",
    "team_manager": "Teammanager",
    "policy": "Beleidsmedewerker",
    "administrator": "Functioneel beheerder",
    "privacy_officer": "Privacyfunctionaris",
}
COUNT_LABELS = (
    ("municipalities", "Gemeenten"),
    ("teams", "Teams"),
    ("staff", "Medewerkers"),
    ("trainers", "Trainers"),
    ("clients", "Cliënten"),
    ("flags", "Signaleringen"),
    ("instrument_types", "Instrumentsoorten"),
    ("trajectories", "Trajecten"),
    ("assessments", "Leefgebiedenscans"),
    ("igm_profiles", "IGM-profielen"),
    ("goals", "Doelen"),
    ("instruments", "Ingezette instrumenten"),
    ("reports", "Voortgangsrapportages"),
    ("programmes", "Programma's"),
    ("rooms", "Ruimtes"),
    ("runs", "Groepen"),
    ("sessions", "Bijeenkomsten"),
    ("referrals", "Aanmeldingen"),
    ("referral_events", "Statuswijzigingen"),
    ("participations", "Deelnames"),
    ("invitations", "Uitnodigingen"),
    ("attendance", "Presenties"),
    ("session_logs", "Verslagen"),
    ("hand_offs", "Overdrachtssignalen"),
    ("evaluation_responses", "Evaluaties"),
    ("measurements", "Metingen"),
    ("measurement_answers", "Antwoorden"),
    ("scale_scores", "Schaalscores"),
    ("measurement_links", "Meetlinks"),
    ("principle_snapshots", "Momentopnamen principes"),
)


class Command(BaseCommand):
    help = "Laadt een fictieve demo-organisatie met medewerkers, cliënten en groepen."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=sorted(services.SIZES), default="small")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--reset", action="store_true", help="Verwijder eerst een eerder geladen demo-organisatie.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Laad alleen als er nog geen demo-organisatie is; anders alleen de demo-wachtwoorden zetten.",
        )
        # Test-only: a smaller client count than the size's, hidden from --help.
        parser.add_argument("--clients", type=int, default=None, help=argparse.SUPPRESS)

    def handle(
        self, *args: Any, size: str, seed: int, reset: bool, if_empty: bool, clients: int | None, **options: Any
    ) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo-gegevens horen niet in een productie-installatie (KOERS_PROFILE=production).")
        password = os.environ.get("KOERS_DEMO_PASSWORD") or secrets.token_urlsafe(12)
        if if_empty and not reset and services.demo_organisation_exists():
            self.stdout.write("De demo-organisatie is al geladen; de demo-accounts krijgen het opgegeven wachtwoord.")
            self._write_logins(services.set_demo_passwords(password), password)
            return
        started = time.perf_counter()
        try:
            result = services.seed_demo(
                password=password,
                size=size,
                seed=seed,
                reset=reset,
                clients=clients,
                progress=self._progress,
            )
        except services.DemoAlreadySeededError as error:
            raise CommandError(
                f"De demo-organisatie '{error}' bestaat al. Gebruik --reset om haar te verwijderen en opnieuw te laden."
            ) from error
        except services.UsernameTakenError as error:
            raise CommandError(f"Deze gebruikersnamen bestaan al buiten de demo-organisatie: {error}.") from error
        seconds = f"{time.perf_counter() - started:.1f}".replace(".", ",")

        write = self.stdout.write
        write(
            self.style.SUCCESS(
                f"Demo-organisatie '{result.organisation}' geladen in {seconds} s (omvang {size}, seed {seed})."
            )
        )
        write("  " + ", ".join(f"{label}: {result.counts[key]}" for key, label in COUNT_LABELS))
        self._write_logins(result.logins, password)

    def _write_logins(self, logins: list[tuple[str, str]], password: str) -> None:
        write = self.stdout.write
        write("")
        write("Demo-inloggegevens:")
        write(f"  {'gebruikersnaam':<18} {'rol':<22} wachtwoord")
        for username, role in logins:
            write(f"  {username:<18} {ROLE_LABELS[role]:<22} {password}")
        if not os.environ.get("KOERS_DEMO_PASSWORD"):
            write("  (willekeurig wachtwoord; zet KOERS_DEMO_PASSWORD voor een vast wachtwoord)")
        if not settings.DEMO_MODE:
            write(
                self.style.WARNING(
                    "Let op: demo-modus staat uit (KOERS_DEMO_MODE); demo-accounts hebben dan een tweede factor nodig."
                )
            )

    def _progress(self, label: str, done: int, total: int) -> None:
        self.stdout.write(f"{label}: {done}/{total}")
