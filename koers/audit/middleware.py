import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import TemplateDoesNotExist, loader
from django.utils.translation import gettext as _

from koers.audit import context
from koers.audit.client_ip import client_ip
from koers.audit.services import LogWriteFailed

logger = logging.getLogger(__name__)

# W3C Trace Context, version 00: trace id and the caller's span id; all-zero ids are invalid.
_TRACEPARENT = re.compile(r"00-(?!0{32})([0-9a-f]{32})-(?!0{16})([0-9a-f]{16})-[0-9a-f]{2}")


class RequestIdMiddleware:
    """Gives every request a trace id (the caller's, from a W3C ``traceparent`` header, or a new one), returned in
    the X-Request-ID header and written on its audit events and processing-log rows.

    A request whose log rows could not be written answers 503 and shows nothing of what it read (fail closed). The
    rows are sealed into the hash chains outside the request (``koers.audit.sealer``), so a page pays one insert
    per log, not the chain's lock and updates.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = _TRACEPARENT.fullmatch(request.headers.get("traceparent", "").strip())
        trace_id, parent_span_id = incoming.groups() if incoming else (None, "")
        token = context.activate(
            ip_address=client_ip(request), request_id=trace_id, request=request, parent_span_id=parent_span_id
        )
        try:
            response = self.get_response(request)
            ctx = context.current()
            if ctx is not None:
                response["X-Request-ID"] = ctx.request_id
            return response
        finally:
            context.deactivate(token)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """Rendered without the request (no context processor, no query), like the other error pages."""
        if not isinstance(exception, LogWriteFailed):
            return None
        ctx = context.current()
        reference = ctx.request_id if ctx is not None else ""
        logger.error("Log write failed, request refused, reference %s", reference, exc_info=exception)
        message = _("Koers is temporarily unavailable. Please try again later.")
        response: HttpResponse
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message, "reference": reference}, status=503)
        else:
            try:
                response = HttpResponse(loader.render_to_string("503.html", {"reference": reference}), status=503)
            except TemplateDoesNotExist:
                response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
        response["Cache-Control"] = "no-store"
        return response


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
