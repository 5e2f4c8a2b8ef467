from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from rest_framework.authtoken.models import Token

from koers.accounts.models import User
from koers.audit.models import Action
from koers.audit.services import record_event


class Command(BaseCommand):
    help = "Print the API token of a staff member (created when missing); the issue is written to the audit trail."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--rotate", action="store_true", help="Replace an existing token with a new one.")

    def handle(self, *args: Any, username: str, rotate: bool, **options: Any) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Geen actieve medewerker met gebruikersnaam {username!r}.")
        with transaction.atomic():
            if rotate:
                Token.objects.filter(user=user).delete()
            token, created = Token.objects.get_or_create(user=user)
            reason = "created" if created else "printed"
            record_event(None, Action.TOKEN, user, reason=f"API token {reason} via manage.py api_token")
        self.stdout.write(token.key)
