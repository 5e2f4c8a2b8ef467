"""The client's address behind a known number of reverse proxies (KOERS_PROXY_COUNT).

Used for the lockout after failed logins and for the origin on audit events, so both see the person, not the proxy.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    proxies = settings.KOERS_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        # Each trusted proxy appended one address; the one before them is the client's. Anything further left
        # was sent by the client itself and cannot be trusted.
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
