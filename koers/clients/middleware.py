"""Shows why a write or dossier read was refused when a client's processing is restricted (AVG art. 18)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from koers.clients.restriction import ProcessingRestricted


class ProcessingRestrictedMiddleware:
    """Answers ``ProcessingRestricted`` from any view with a 403 page that names the restriction."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, ProcessingRestricted):
            return render(request, "clients/processing_restricted.html", status=403)
        return None
