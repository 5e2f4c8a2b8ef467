"""API authentication: a browser session counts only after the second factor; tokens are for integrations."""

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from koers.accounts.mfa import second_factor_done


class VerifiedSessionAuthentication(SessionAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None or not second_factor_done(request._request):
            return None
        return result


class AuditedTokenAuthentication(TokenAuthentication):
    """Token authentication for scripts; tokens are issued only by ``manage.py api_token``, which is audited.

    A token expires after ``KOERS_API_TOKEN_DAYS`` and is revoked when its owner's password or second factor
    changes or the account is deactivated.
    """

    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        if token.created < timezone.now() - datetime.timedelta(days=settings.KOERS_API_TOKEN_DAYS):
            raise AuthenticationFailed(_("This API token has expired. Ask for a new one."))
        return user, token
