"""Propose a destruction list of the records past their retention period, as the given functional administrator."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from koers.accounts.models import User
from koers.accounts.roles import Role
from koers.retention.services import NothingToProposeError, propose_list


class Command(BaseCommand):
    help = "Propose a destruction list of the records past their retention period, for the process owner to decide."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True, help="The functional administrator who proposes the list.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None or not user.has_role(Role.ADMINISTRATOR) or user.organisation_id is None:
            raise CommandError("No active functional administrator of an organisation has this username.")
        try:
            destruction_list = propose_list(user)
        except NothingToProposeError:
            self.stdout.write("No record has passed its retention period; no list proposed.")
            return
        self.stdout.write(
            f"Destruction list #{destruction_list.pk} proposed with {destruction_list.items.count()} records."
        )
