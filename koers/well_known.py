"""``/.well-known/security.txt`` (RFC 9116): where to report a vulnerability (SECURITY.md item 49).

Written from the settings on each request, so ``Expires`` is a month ahead: the file is as current as the
configured contact. Without a contact (the production default) there is no file rather than a wrong address.
"""

from datetime import UTC, timedelta

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

VALID_FOR = timedelta(days=30)


@require_GET
def security_txt(request: HttpRequest) -> HttpResponse:
    if not settings.KOERS_SECURITY_CONTACT:
        raise Http404
    expires = (timezone.now() + VALID_FOR).astimezone(UTC)
    lines = [
        f"Contact: {settings.KOERS_SECURITY_CONTACT}",
        f"Expires: {expires:%Y-%m-%dT%H:%M:%SZ}",
        *([f"Policy: {settings.KOERS_SECURITY_POLICY}"] if settings.KOERS_SECURITY_POLICY else []),
        "Preferred-Languages: nl, en",
        f"Canonical: {request.build_absolute_uri(request.path)}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
