"""Size limits on what a caller may send or ask for (SECURITY.md item 46).

A body larger than its path allows is refused with 413 before anything reads it (Django's own
``DATA_UPLOAD_MAX_MEMORY_SIZE`` check comes only when the form data is parsed, and does not count files). API
callers may choose a page size, up to ``KOERS_API_MAX_PAGE_SIZE``.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from koers import errors

# Form fields and multipart boundaries that travel with an uploaded file.
MULTIPART_MARGIN = 64 * 1024


def _import_upload() -> int:
    return int(settings.KOERS_IMPORT_MAX_BYTES) + MULTIPART_MARGIN


# URL name -> the largest body that page accepts; every other request: DATA_UPLOAD_MAX_MEMORY_SIZE.
UPLOAD_LIMITS: dict[str, Callable[[], int]] = {"imports:new": _import_upload}


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django reads no body then either


def body_limit(request: HttpRequest) -> int:
    try:
        name = resolve(request.path_info).view_name
    except Resolver404:
        name = ""
    upload = UPLOAD_LIMITS.get(name)
    return upload() if upload is not None else int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


class RequestSizeLimitMiddleware:
    """Answers 413 when the announced body is larger than the path accepts, without reading the body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = _content_length(request)
        # Resolving the path is only needed for a body above the common limit.
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE and length > body_limit(request):
            return errors.request_too_large(request)
        return self.get_response(request)


class CappedPageNumberPagination(PageNumberPagination):
    """``PAGE_SIZE`` items per page; ``?page_size=`` may ask for fewer or more, but never more than the cap."""

    page_size_query_param = "page_size"
    max_page_size = settings.KOERS_API_MAX_PAGE_SIZE

    def get_page_size(self, request: Request) -> int | None:
        """A wrong ``page_size`` is refused (400) rather than silently replaced by the default; a big one is capped."""
        values = request.query_params.getlist(self.page_size_query_param)
        if not values:
            return super().get_page_size(request)
        value = values[0]
        if len(values) > 1 or not (value.isascii() and value.isdecimal()) or int(value) < 1:
            raise ValidationError({self.page_size_query_param: [_("A whole number of at least 1.")]})
        return min(int(value), self.max_page_size)
