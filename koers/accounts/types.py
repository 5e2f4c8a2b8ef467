from django.http import HttpRequest

from koers.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """A request behind the login: its user is a staff member, never anonymous (for type checking)."""

    user: User
