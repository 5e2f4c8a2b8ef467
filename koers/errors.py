"""Error answers that give nothing away (SECURITY.md item 44): pages and JSON without stack traces, paths or data.

Each answer shows the request id as its reference; the same id is in the ``X-Request-ID`` header and on the log
lines of the request, so a user's report leads to the log entry. The pages render without the request: no context
processor runs, so they make no database query and show nothing of the user (a database outage still gets a page).
"""

import logging
import math
import sys
from typing import TYPE_CHECKING, Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

from koers.audit import context

if TYPE_CHECKING:
    from rest_framework.response import Response

logger = logging.getLogger("koers.errors")


def reference() -> str:
    """The id of the request being served ('' outside a request)."""
    current = context.current()
    return current.request_id if current is not None else ""


class RequestIdFilter(logging.Filter):
    """Gives every log record a ``request_id``, so the log line of an error page's reference can be found."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = reference() or "-"
        return True


def error_response(
    request: HttpRequest, status: int, template_name: str, detail: str, extra: dict[str, Any] | None = None
) -> HttpResponse:
    """The page (or, under /api/, the JSON) for an error; never cached, since it names a request."""
    ref = reference()
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": detail, "reference": ref}, status=status)
    else:
        body = loader.get_template(template_name).render({"reference": ref, **(extra or {})})
        response = HttpResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 400, "400.html", _("The request could not be processed."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 403, "403.html", _("You do not have access to this."))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 404, "404.html", _("Not found."))


# Seconds a client is asked to wait when the database is away (it restarts in seconds; SECURITY.md item 101).
DATABASE_RETRY_AFTER = 15


def server_error(request: HttpRequest) -> HttpResponse:
    """Django calls this inside its ``except`` block, so the exception is still at hand for the log.

    A lost database connection (a restart, a failover) is not a fault of the request: it gets 503 with
    ``Retry-After``, wherever it was raised (a view, or the session lookup in a middleware).
    """
    ref = reference()
    exc_info = sys.exc_info()
    if isinstance(exc_info[1], OperationalError | InterfaceError):
        logger.warning("Database unavailable, reference %s", ref, exc_info=exc_info, extra={"request_id": ref})
        response = error_response(
            request, 503, "503.html", _("Koers is temporarily unavailable. Please try again later.")
        )
        response["Retry-After"] = str(DATABASE_RETRY_AFTER)
        return response
    logger.error("Unhandled exception, reference %s", ref, exc_info=exc_info, extra={"request_id": ref})
    return error_response(request, 500, "500.html", _("Something went wrong. Nothing of this last action was saved."))


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    response = error_response(
        request,
        429,
        "429.html",
        _("Too many requests. Try again later."),
        {"minutes": max(1, math.ceil(retry_after / 60))},
    )
    response["Retry-After"] = str(retry_after)
    return response


def request_too_large(request: HttpRequest) -> HttpResponse:
    return error_response(request, 413, "413.html", _("The request is too large."))


def api_exception_handler(exc: Exception, drf_context: dict[str, Any]) -> "Response | None":
    """DRF's answers, with the reference added to a 429 (other errors keep DRF's shape; a 500 comes from
    ``server_error``). DRF is imported here because logging, configured before the apps load, imports this module."""
    from rest_framework.views import exception_handler

    response = exception_handler(exc, drf_context)
    if response is not None and response.status_code == 429 and isinstance(response.data, dict):
        response.data["reference"] = reference()
        response["Cache-Control"] = "no-store"
    return response
