"""API authentication: a browser session counts only after the second factor; tokens are for integrations."""

from typing import Any

from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.request import Request

from koers.accounts.mfa import second_factor_done


class VerifiedSessionAuthentication(SessionAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None or not second_factor_done(request._request):
            return None
        return result


class AuditedTokenAuthentication(TokenAuthentication):
    """Token authentication for scripts; tokens are issued only by ``manage.py api_token``, which is audited."""

    keyword = "Token"
