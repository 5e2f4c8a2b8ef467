import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from koers.accounts.models import Organisation, RoleAssignment, User
from koers.accounts.roles import Role


class Command(BaseCommand):
    help = (
        "Create the first functional administrator with a one-time password; they link an authenticator app "
        "at their first login."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--organisation", required=True, help="Name of the organisation (created if new).")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, username: str, organisation: str, email: str, **options: Any) -> None:
        if User.objects.filter(username=username).exists():
            raise CommandError(f"Gebruikersnaam {username!r} bestaat al.")
        password = secrets.token_urlsafe(15)
        with transaction.atomic():
            org, _created = Organisation.objects.get_or_create(name=organisation)
            user = User.objects.create_user(username=username, email=email, password=password, organisation=org)
            RoleAssignment.objects.create(user=user, role=Role.ADMINISTRATOR)
        self.stdout.write(f"Functioneel beheerder {username} aangemaakt voor {org}.")
        self.stdout.write(f"Eenmalig wachtwoord: {password}")
        self.stdout.write("Bij de eerste keer inloggen koppelt de beheerder een authenticator-app (tweede factor).")
