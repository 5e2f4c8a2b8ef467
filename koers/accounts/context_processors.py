from typing import Any

from django.conf import settings
from django.http import HttpRequest

from koers.accounts.mfa import second_factor_done
from koers.accounts.navigation import navigation_for


def koers(request: HttpRequest) -> dict[str, Any]:
    signed_in = second_factor_done(request)
    return {
        "demo_mode": settings.DEMO_MODE,
        "signed_in": signed_in,
        "navigation": navigation_for(request) if signed_in else [],
        "session_idle_seconds": settings.SESSION_IDLE_SECONDS,
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
        "session_warning_display": "{}:{:02d}".format(*divmod(settings.SESSION_WARNING_SECONDS, 60)),
    }
