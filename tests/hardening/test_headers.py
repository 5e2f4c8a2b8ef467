"""Security headers and cookies (SECURITY.md items 37–42, 45, 49) on representative answers, and on the production
profile read from a separate process."""

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.test import override_settings
from django.urls import reverse

from koers.accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
PRODUCTION_ENV = {
    "KOERS_PROFILE": "production",
    "SECRET_KEY": "a-long-random-secret-for-the-header-test-0123456789abcdefghijklmnop",
    "ALLOWED_HOSTS": "testserver",
    "DATABASE_URL": "postgres://koers@localhost/koers",
}
PRODUCTION_KEYS = [
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_REDIRECT_EXEMPT",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_NAME",
    "LANGUAGE_COOKIE_SECURE",
    "SPECTACULAR_SETTINGS",
    "KOERS_SECURITY_CONTACT",
]


def csp(response: Any) -> dict[str, str]:
    directives = [part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")]
    return {name: value for name, value in directives}


def pages(user: User) -> dict[str, Callable[[HttpClient], Any]]:
    client = factories.ClientFactory(organisation=user.organisation, consultant=user)
    return {
        "login": lambda http: HttpClient().get(reverse("accounts:login")),
        "list": lambda http: http.get(reverse("clients:list")),
        "detail": lambda http: http.get(reverse("clients:detail", args=[client.pk])),
        "api": lambda http: http.get(reverse("v1:client-list")),
        "404": lambda http: http.get("/bestaat-niet/"),
    }


@pytest.mark.parametrize("page", ["login", "list", "detail", "api", "404"])
def test_security_headers(page, consultant, login) -> None:
    response = pages(consultant)[page](login(consultant))
    assert response.status_code == (404 if page == "404" else 200)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] in {"same-origin", "no-referrer", "strict-origin"}
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in response["Permissions-Policy"]
    policy = csp(response)
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] in {"'self'", "'none'"}
    assert policy["form-action"] == "'self'"
    assert "unsafe-inline" not in policy.get("script-src", "")
    if page != "login":  # signed in (the 404 too): nothing of it may be kept
        assert "no-store" in response["Cache-Control"]


def test_a_foreign_origin_gets_no_cors_permission(consultant, login) -> None:
    response = login(consultant).get(reverse("v1:client-list"), HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response
    preflight = HttpClient().options(
        reverse("v1:client-list"), HTTP_ORIGIN="https://evil.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert "Access-Control-Allow-Origin" not in preflight


@pytest.fixture(scope="module")
def production() -> dict[str, Any]:
    """The security settings of the production profile, as a separate process computes them."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KOERS_", "DATABASE_URL", "SECRET_KEY"))}
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{k: getattr(settings, k) for k in {PRODUCTION_KEYS!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "koers.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    values = json.loads(result.stdout.strip().splitlines()[-1])
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


def test_production_sends_hsts_for_a_year_with_subdomains(production) -> None:
    with override_settings(**production):
        response = HttpClient().get(reverse("accounts:login"), secure=True)
    hsts = dict(([*part.strip().split("="), ""])[:2] for part in response["Strict-Transport-Security"].split(";"))
    assert int(hsts["max-age"]) >= 31536000
    assert "includeSubDomains" in hsts


def test_production_redirects_plain_http_to_https(production) -> None:
    with override_settings(**production):
        response = HttpClient().get(reverse("accounts:login"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_production_cookies_after_login(production, consultant) -> None:
    with override_settings(**production):
        http = HttpClient()
        http.get(reverse("accounts:login"), secure=True)
        response = http.post(
            reverse("accounts:login"),
            {"username": consultant.username, "password": "correct-horse-battery"},
            secure=True,
        )
    assert response.status_code == 302
    cookies = {morsel.key: morsel for morsel in http.cookies.values()}
    assert set(cookies) >= {"__Host-sessionid", "__Host-csrftoken"}
    for name in ("__Host-sessionid", "__Host-csrftoken"):
        morsel = cookies[name]
        assert morsel["secure"]
        assert morsel["path"] == "/"
        assert not morsel["domain"]
        assert morsel["samesite"] == "Lax"
    assert cookies["__Host-sessionid"]["httponly"]


def test_production_keeps_the_api_schema_from_anonymous_callers(production) -> None:
    with override_settings(**production):
        response = HttpClient().get(reverse("api-schema"), secure=True)
    assert response.status_code in {401, 403}


def test_production_publishes_no_security_txt_without_a_contact(production) -> None:
    assert production["KOERS_SECURITY_CONTACT"] == ""
    with override_settings(**production):
        assert HttpClient().get("/.well-known/security.txt", secure=True).status_code == 404


def test_security_txt_names_contact_and_expiry(settings) -> None:
    settings.KOERS_SECURITY_CONTACT = "mailto:cvd@gemeente.example.nl"
    settings.KOERS_SECURITY_POLICY = "https://gemeente.example.nl/cvd"
    response = HttpClient().get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines())
    assert fields["Contact"] == "mailto:cvd@gemeente.example.nl"
    assert fields["Policy"] == "https://gemeente.example.nl/cvd"
    assert fields["Canonical"] == "http://testserver/.well-known/security.txt"
    expires = datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert timedelta(days=1) < expires - datetime.now(UTC) <= timedelta(days=366)
