"""Rate limits against automated guessing and scraping (SECURITY.md item 43), in one table by URL name.

Pages are limited by ``RateLimitMiddleware``, the API by DRF's throttles (``UserThrottle``, ``AnonThrottle``). Both
count in fixed windows in the default cache, a database table that every web worker shares, with one statement per
request (``CountingDatabaseCache.count``); both answer 429 with ``Retry-After`` and write one audit event per refused
key and window. Limits: ``settings.KOERS_RATELIMITS`` and DRF's ``DEFAULT_THROTTLE_RATES`` (``KOERS_RATE_*``).

django-ratelimit's counter is not used: on the database cache it reads and writes in separate statements (its own
system check rejects the backend as not atomic), so parallel guesses slip through, and it costs 5–9 queries a request.
"""

import hashlib
import ipaddress
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from koers import errors
from koers.audit.client_ip import client_ip
from koers.audit.models import Action
from koers.audit.services import record_event

# The fixed audit reason per limit (labels belong in koers/audit/reasons.py).
REASONS = {
    "login": "too many login attempts",
    "second_factor": "too many second-factor attempts",
    "personal_link": "too many personal-link requests",
    "client_search": "too many client searches",
    "report": "too many report requests",
    "user": "too many API requests",
    "anon": "too many anonymous API requests",
}

_RATE = re.compile(r"(\d+)/(\d*)([smhd])")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class CountingDatabaseCache(DatabaseCache):
    """Django's database cache with ``count``: add one to a counter and read it back in a single atomic statement
    (an upsert), so parallel requests are all counted and each costs one query. Counter rows hold plain numbers, so
    read them with ``count`` only."""

    def count(self, key: str, seconds: int) -> int:
        key = self.make_and_validate_key(key)
        connection = connections[router.db_for_write(self.cache_model_class)]
        quote, adapt = connection.ops.quote_name, connection.ops.adapt_datetimefield_value
        table = quote(self._table)  # type: ignore[attr-defined]
        key_column, value, expires = quote("cache_key"), quote("value"), quote("expires")
        live = f"{table}.{expires} > %s"
        # Only quoted identifiers are formatted into the SQL; key and times are parameters.
        sql = (
            f"INSERT INTO {table} ({key_column}, {value}, {expires}) VALUES (%s, '1', %s) "  # noqa: S608
            f"ON CONFLICT ({key_column}) DO UPDATE SET "
            f"{value} = CASE WHEN {live} THEN CAST(CAST({table}.{value} AS INTEGER) + 1 AS TEXT) ELSE '1' END, "
            f"{expires} = CASE WHEN {live} THEN {table}.{expires} ELSE excluded.{expires} END "
            f"RETURNING {value}"
        )
        now = timezone.now().replace(microsecond=0)
        with connection.cursor() as cursor:
            cursor.execute(sql, [key, adapt(now + timedelta(seconds=seconds)), adapt(now), adapt(now)])
            return int(cursor.fetchone()[0])


def parse_rate(rate: str) -> tuple[int, int]:
    """``"10/5m"`` -> (10 requests, 300 seconds)."""
    match = _RATE.fullmatch(rate.strip())
    if match is None:
        raise ValueError(f"Not a rate: {rate!r} (use e.g. '30/m' or '10/10m').")
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * _SECONDS[unit]


def hit(group: str, identity: str, rate: str) -> int | None:
    """Counts one request of ``identity`` against ``rate``: None while within it, else the seconds until the window
    ends. The first refusal in a window writes the audit event, so a flood cannot flood the audit trail."""
    limit, period = parse_rate(rate)
    window, elapsed = divmod(int(time.time()), period)
    left = period - elapsed
    digest = hashlib.sha256(identity.encode()).hexdigest()
    count = cache.count(f"ratelimit:{group}:{digest}:{window}", left + 5)  # type: ignore[attr-defined]
    if count <= limit:
        return None
    if count == limit + 1:
        record_event(None, Action.THROTTLED, object_type="ratelimit", object_id=group, reason=REASONS[group])
    return left


def address(request: HttpRequest) -> str:
    """The client's address; IPv6 by /64, the block one subscriber usually holds."""
    ip = client_ip(request) or ""
    try:
        parsed = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return str(parsed)


def _by_user(request: HttpRequest) -> str:
    return str(request.user.pk)


def _by_user_and_address(request: HttpRequest) -> str:
    return f"{request.user.pk}@{address(request)}"


def _always(request: HttpRequest) -> bool:
    return True


def _signed_in(request: HttpRequest) -> bool:
    """Limits per user wait for the login: an anonymous request is sent to the login page anyway."""
    return bool(request.user.is_authenticated)


def _searching(request: HttpRequest) -> bool:
    return _signed_in(request) and bool(request.GET.get("q", "").strip())


@dataclass(frozen=True)
class Limit:
    group: str
    key: Callable[[HttpRequest], str]
    methods: tuple[str, ...] | None = None
    applies: Callable[[HttpRequest], bool] = _always


LOGIN = Limit("login", address, ("POST",))
SECOND_FACTOR = Limit("second_factor", _by_user_and_address, ("POST",), _signed_in)
PERSONAL_LINK = Limit("personal_link", address)
REPORT = Limit("report", _by_user, applies=_signed_in)

# URL name -> limit. Pages that share a group share one counter (both second-factor steps, all report requests).
LIMITS: dict[str, Limit] = {
    "accounts:login": LOGIN,
    "accounts:mfa_verify": SECOND_FACTOR,
    "accounts:mfa_enrol": SECOND_FACTOR,
    "measurement:answer": PERSONAL_LINK,
    "groupwork:evaluation_answer": PERSONAL_LINK,
    "clients:list": Limit("client_search", _by_user, applies=_searching),
    "reporting:financier": REPORT,
    "reporting:management": REPORT,
    "reporting:export": REPORT,
    "measurement:research_export": REPORT,
}


class RateLimitMiddleware:
    """Counts requests to the pages in ``LIMITS`` and answers 429 over the limit, before the view runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        match = request.resolver_match
        limit = LIMITS.get(match.view_name) if match is not None and settings.KOERS_RATELIMIT_ENABLE else None
        if limit is None or (limit.methods and request.method not in limit.methods) or not limit.applies(request):
            return None
        retry_after = hit(limit.group, limit.key(request), settings.KOERS_RATELIMITS[limit.group])
        return None if retry_after is None else errors.too_many_requests(request, retry_after)


class _CountingThrottle:
    """DRF's throttle on Koers's counter (one query a request), with the address taken like everywhere in Koers
    (trusted proxies only) and the refusal audited."""

    scope: str | None
    rate: str | None
    key: str | None
    retry_after: int | None = None

    def allow_request(self, request: Request, view: Any) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)  # type: ignore[attr-defined]
        if self.key is None:
            return True
        self.retry_after = hit(self.scope or "", self.key, self.rate)
        return self.retry_after is None

    def wait(self) -> float | None:
        return self.retry_after

    def get_ident(self, request: Request) -> str:
        return address(request._request)


class UserThrottle(_CountingThrottle, UserRateThrottle):
    """Requests per signed-in user (``KOERS_RATE_API_USER``)."""


class AnonThrottle(_CountingThrottle, AnonRateThrottle):
    """Requests per address without credentials (``KOERS_RATE_API_ANON``); only endpoints open to anonymous
    callers reach it, because DRF checks permissions (401) before throttles."""
