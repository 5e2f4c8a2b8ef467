from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from koers.audit import context
from koers.audit.client_ip import client_ip


class RequestIdMiddleware:
    """Gives every request a trace id, returned in the X-Request-ID header and written on its audit events."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = context.activate(ip_address=client_ip(request), request=request)
        try:
            response = self.get_response(request)
            ctx = context.current()
            if ctx is not None:
                response["X-Request-ID"] = ctx.request_id
            return response
        finally:
            context.deactivate(token)


class PrivacyHeadersMiddleware:
    """Pages and API answers for a signed-in user hold personal data: browsers and proxies must not keep them.

    Also switches off browser features Koers never uses (camera, microphone, location, ...).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            response["Cache-Control"] = "no-store, private"
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
