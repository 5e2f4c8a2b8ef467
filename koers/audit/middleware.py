from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from koers.audit import context


class RequestIdMiddleware:
    """Gives every request a trace id, returned in the X-Request-ID header and written on its audit events."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = context.activate(ip_address=request.META.get("REMOTE_ADDR"))
        try:
            response = self.get_response(request)
            ctx = context.current()
            if ctx is not None:
                response["X-Request-ID"] = ctx.request_id
            return response
        finally:
            context.deactivate(token)
