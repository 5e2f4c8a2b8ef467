import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from koers.accounts.mfa import confirmed_device, second_factor_done

AUTH_TIME_KEY = "koers_auth_time"

# Paths a logged-in user may reach before the second factor is done.
_OPEN_PREFIXES = ("/static/", "/health/", "/i18n/", "/account/")


class SessionLifetimeMiddleware:
    """Ends a session after its absolute lifetime, however active the user is (idle expiry is the cookie's)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(AUTH_TIME_KEY)
            if started is None or time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Your session has ended. Please log in again."))
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class RequireVerifiedLoginMiddleware:
    """No page with data is reachable on a password alone: the second factor comes first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        needs_second_factor = request.user.is_authenticated and not second_factor_done(request)
        if needs_second_factor and not request.path.startswith(_OPEN_PREFIXES):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("Second factor required.")}, status=403)
            step = "accounts:mfa_verify" if confirmed_device(request.user) else "accounts:mfa_enrol"
            return redirect(reverse(step))
        return self.get_response(request)
