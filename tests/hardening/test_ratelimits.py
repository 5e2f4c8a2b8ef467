"""Rate limits (SECURITY.md item 43): each limited request answers 429 with Retry-After past its limit, and one
audit event per refused key; below the limit the page answers as usual."""

import threading
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client as HttpClient
from django.test import override_settings
from django.urls import path, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from koers import urls as koers_urls
from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.ratelimits import AnonThrottle, UserThrottle, parse_rate
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings: Any) -> dict[str, str]:
    """Every page limit at 2 requests an hour (an hour, so that no test runs across the end of a window)."""
    settings.KOERS_RATELIMITS = {group: "2/h" for group in settings.KOERS_RATELIMITS}
    return settings.KOERS_RATELIMITS


def throttled_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=Action.THROTTLED))


def assert_throttled(response: Any) -> None:
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "no-store" in response["Cache-Control"]


def test_login_posts_are_limited_per_address(limits, consultant) -> None:
    http = HttpClient()
    login = reverse("accounts:login")
    for _ in range(2):
        assert http.post(login, {"username": consultant.username, "password": "wrong"}).status_code == 200
    response = http.post(login, {"username": consultant.username, "password": "wrong"})
    assert_throttled(response)
    assert b"id_password" not in response.content  # the error page, not the form
    assert response["X-Request-ID"].encode() in response.content
    [event] = throttled_events()
    assert (event.object_type, event.object_id, event.ip_address) == ("ratelimit", "login", "127.0.0.1")
    assert event.reason == "too many login attempts"
    # Another address is not affected, and neither are GETs of the form.
    assert http.post(login, {"username": "x", "password": "y"}, REMOTE_ADDR="10.0.0.2").status_code == 200
    assert http.get(login).status_code == 200


def test_a_refused_key_writes_one_audit_event_per_window(limits) -> None:
    http = HttpClient()
    for _ in range(6):
        http.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert len(throttled_events()) == 1


def test_second_factor_posts_are_limited_per_user_and_address(limits, make_user) -> None:
    first, second = make_user(Role.CONSULTANT), make_user(Role.CONSULTANT)
    url = reverse("accounts:mfa_verify")
    sessions = []
    for user in (first, second):
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        http = HttpClient()
        http.force_login(user)
        sessions.append(http)
    for _ in range(2):
        assert sessions[0].post(url, {"token": "000000"}).status_code == 200
    assert_throttled(sessions[0].post(url, {"token": "000000"}))
    assert sessions[1].post(url, {"token": "000000"}).status_code == 200
    assert throttled_events()[0].actor == first


@pytest.mark.parametrize("name", ["measurement:answer", "groupwork:evaluation_answer"])
def test_personal_link_pages_are_limited_per_address(limits, name) -> None:
    http = HttpClient()
    url = reverse(name, kwargs={"token": "not-a-token"})
    for _ in range(2):
        assert http.get(url).status_code == 404  # the neutral page for an unknown link
    assert_throttled(http.get(url))
    assert throttled_events()[0].object_id == "personal_link"


def test_client_search_is_limited_but_the_plain_list_is_not(limits, consultant, login) -> None:
    http = login(consultant)
    url = reverse("clients:list")
    for _ in range(3):
        assert http.get(url).status_code == 200
    for _ in range(2):
        assert http.get(url, {"q": "jansen"}).status_code == 200
    assert_throttled(http.get(url, {"q": "jansen"}))
    assert throttled_events()[0].reason == "too many client searches"


@pytest.mark.parametrize("name", ["reporting:financier", "reporting:management"])
def test_report_requests_are_limited_per_user(limits, make_user, login, name) -> None:
    http = login(make_user(Role.POLICY))
    for _ in range(2):
        assert http.get(reverse(name)).status_code == 200
    assert_throttled(http.get(reverse(name)))
    other = login(make_user(Role.POLICY))
    assert other.get(reverse(name)).status_code == 200


def test_the_api_answers_429_in_json_per_user(monkeypatch, consultant, login) -> None:
    monkeypatch.setattr(UserThrottle, "THROTTLE_RATES", {"user": "2/h", "anon": "2/h"})
    http = login(consultant)
    url = reverse("v1:client-list")
    for _ in range(2):
        assert http.get(url).status_code == 200
    response = http.get(url)
    assert_throttled(response)
    body = response.json()
    assert set(body) == {"detail", "reference"}
    assert body["reference"] == response["X-Request-ID"]
    [event] = throttled_events()
    assert (event.object_id, event.actor) == ("user", consultant)


class OpenView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    def get(self, request: Any) -> Response:
        return Response({"ok": True})


urlpatterns = [path("api/open/", OpenView.as_view()), *koers_urls.urlpatterns]


@override_settings(ROOT_URLCONF=__name__)
def test_anonymous_api_callers_are_limited_per_address(monkeypatch) -> None:
    monkeypatch.setattr(AnonThrottle, "THROTTLE_RATES", {"user": "2/h", "anon": "2/h"})
    http = HttpClient()
    for _ in range(2):
        assert http.get("/api/open/").status_code == 200
    assert_throttled(http.get("/api/open/"))
    assert http.get("/api/open/", HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429  # not trusted without proxy
    assert http.get("/api/open/", REMOTE_ADDR="10.0.0.3").status_code == 200


def test_switching_the_limits_off(settings, limits) -> None:
    settings.KOERS_RATELIMIT_ENABLE = False
    http = HttpClient()
    for _ in range(4):
        assert http.post(reverse("accounts:login"), {"username": "x", "password": "y"}).status_code == 200


def test_the_test_database_has_the_cache_table() -> None:
    assert "koers_cache" in connection.introspection.table_names()
    cache.set("probe", 1)
    assert cache.get("probe") == 1


def test_rates_are_read_with_an_optional_multiplier() -> None:
    assert parse_rate("30/m") == (30, 60)
    assert parse_rate("10/10m") == (10, 600)
    assert parse_rate("2000/h") == (2000, 3600)
    with pytest.raises(ValueError, match="Not a rate"):
        parse_rate("often")


def test_the_counter_counts_within_its_lifetime_and_restarts_after() -> None:
    assert [cache.count("counter", 60) for _ in range(3)] == [1, 2, 3]
    assert cache.count("other", 60) == 1
    cache.count("gone", -1)
    assert cache.count("gone", 60) == 1


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_parallel_increments_are_all_counted() -> None:
    """A read followed by a write (Django's incr) would let parallel requests overwrite each other's count."""
    from django.db import connections

    counts: list[int] = []
    start = threading.Barrier(4)

    def bump() -> None:
        try:
            start.wait()
            for _ in range(25):
                counts.append(cache.count("parallel", 60))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=bump) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == list(range(1, 101))


def test_per_user_limits_leave_anonymous_requests_to_the_login(limits, consultant) -> None:
    """The per-user limits wait for the login: anonymous requests go to the login page uncounted."""
    http = HttpClient()
    for _ in range(3):
        assert http.get(reverse("clients:list"), {"q": "x"}).status_code == 302
    assert verified_login(HttpClient(), consultant).get(reverse("clients:list"), {"q": "x"}).status_code == 200
    assert not throttled_events()
