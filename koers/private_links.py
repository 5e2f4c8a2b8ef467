"""Pages behind a personal link (no login): a client's measurement, a participant's evaluation.

They show nothing stored about the person. A used, expired or unknown link gets one and the same neutral page; every
response is kept out of caches and search engines and sends no referrer, since the secret token is in the path.

The answer pages are exempt from Django's CSRF check: under ``Referrer-Policy: no-referrer`` (SECURITY.md 34)
browsers send ``Origin: null`` with the POST, which the check refuses. The secret, single-use token in the URL does
what the CSRF token would: a forged form from another site cannot know it, and the page has no session to ride on.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

UNKNOWN_LINK = 404
CLOSED_LINK = 410


def private(response: HttpResponse) -> HttpResponse:
    """No copy in a browser or proxy cache, no token in a Referer header, no search engine."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def link_closed(request: HttpRequest, template_name: str, status: int) -> HttpResponse:
    """The neutral page for a link that is unknown (``UNKNOWN_LINK``) or no longer open (``CLOSED_LINK``)."""
    return private(render(request, template_name, status=status))
