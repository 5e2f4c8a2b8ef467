from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from rest_framework.authtoken.models import Token

from koers.accounts.mfa import confirmed_device, demo_exempt
from koers.accounts.models import User
from koers.audit.models import Action
from koers.audit.services import record_event


class Command(BaseCommand):
    help = (
        "Issue a new API token for a staff member and print it once; any earlier token of theirs stops working. "
        "Only for accounts that have linked an authenticator app, so a token never opens more than its owner's "
        "verified login does. The issue is written to the audit trail; tokens expire (KOERS_API_TOKEN_DAYS)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Geen actieve medewerker met gebruikersnaam {username!r}.")
        if confirmed_device(user) is None and not demo_exempt(user):
            raise CommandError(
                f"{username} heeft nog geen authenticator-app gekoppeld; een token kan pas daarna worden uitgegeven."
            )
        with transaction.atomic():
            Token.objects.filter(user=user).delete()
            token = Token.objects.create(user=user)
            record_event(None, Action.TOKEN, user, reason="API token issued via manage.py api_token")
        self.stdout.write(token.key)
