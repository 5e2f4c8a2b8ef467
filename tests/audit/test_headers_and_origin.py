import pytest
from django.test import RequestFactory
from django.urls import reverse

from koers.accounts.roles import Role
from koers.audit.client_ip import client_ip
from koers.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_pages_with_personal_data_are_not_stored_by_browsers(make_user, municipality, login) -> None:
    from tests import factories

    consultant = make_user(Role.CONSULTANT)
    client = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=consultant
    )
    http = login(consultant)
    for url in [reverse("clients:detail", args=[client.pk]), reverse("v1:client-detail", args=[client.pk])]:
        response = http.get(url)
        assert response["Cache-Control"] == "no-store, private", url
        assert "camera=()" in response["Permissions-Policy"]


def test_client_address_behind_one_trusted_proxy(settings) -> None:
    settings.KOERS_PROXY_COUNT = 1
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7", REMOTE_ADDR="10.0.0.2")
    assert client_ip(request) == "198.51.100.7", "the address the proxy saw, not what the client claimed"


def test_without_proxies_forwarded_headers_are_ignored(settings) -> None:
    settings.KOERS_PROXY_COUNT = 0
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6", REMOTE_ADDR="192.0.2.1")
    assert client_ip(request) == "192.0.2.1"


def test_audit_events_record_the_client_address_behind_the_proxy(settings, make_user, client) -> None:
    settings.KOERS_PROXY_COUNT = 1
    user = make_user(Role.CONSULTANT)
    client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": "wrong"},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        REMOTE_ADDR="10.0.0.2",
    )
    assert AuditEvent.objects.get(action="login_failed").ip_address == "198.51.100.7"


def test_lockout_counts_per_client_address_behind_the_proxy(settings, make_user, client) -> None:
    settings.KOERS_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 3
    user = make_user(Role.CONSULTANT)
    for _ in range(3):
        client.post(
            reverse("accounts:login"),
            {"username": user.username, "password": "wrong"},
            HTTP_X_FORWARDED_FOR="198.51.100.7",
            REMOTE_ADDR="10.0.0.2",
        )
    colleague_elsewhere = client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": "correct-horse-battery"},
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        REMOTE_ADDR="10.0.0.2",
    )
    assert colleague_elsewhere.status_code == 302, "an attacker elsewhere must not lock the user out"
