"""Error answers (SECURITY.md item 44): no trace, path or data on the page; the reference on the page is the request
id, which is also on the log record of the failure."""

import logging
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError, connection
from django.template import loader
from django.test import Client as HttpClient
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse

from koers import errors
from koers import urls as koers_urls
from koers.accounts.roles import Role
from koers.audit import context

pytestmark = pytest.mark.django_db

LEAK = "secret-detail-/srv/koers/koers/clients/selectors.py"


def boom(request: Any) -> Any:
    raise RuntimeError(LEAK)


def database_away(request: Any) -> Any:
    raise OperationalError("server closed the connection unexpectedly, host 10.0.0.5")


def forbidden(request: Any) -> Any:
    raise PermissionDenied


def suspicious(request: Any) -> Any:
    raise SuspiciousOperation(LEAK)


urlpatterns = [
    path("boom/", boom),
    path("api/boom/", boom),
    path("verboden/", forbidden),
    path("database-weg/", database_away),
    path("verdacht/", suspicious),
    *koers_urls.urlpatterns,
]
handler400 = koers_urls.handler400
handler403 = koers_urls.handler403
handler404 = koers_urls.handler404
handler500 = koers_urls.handler500


@pytest.fixture
def http() -> HttpClient:
    return HttpClient(raise_request_exception=False)


@override_settings(ROOT_URLCONF=__name__)
def test_a_failing_page_shows_its_reference_and_nothing_of_the_failure(http, caplog) -> None:
    with caplog.at_level(logging.ERROR, logger="koers.errors"):
        response = http.get("/boom/")
    assert response.status_code == 500
    reference = response["X-Request-ID"]
    page = response.content.decode()
    assert reference in page
    for leak in ("Traceback", "RuntimeError", LEAK, "selectors.py", "site-packages", 'File "', "tests.hardening"):
        assert leak not in page
    assert 'lang="nl"' in page
    assert 'lang="en"' in page
    assert "no-store" in response["Cache-Control"]
    [record] = [r for r in caplog.records if r.name == "koers.errors"]
    assert record.request_id == reference
    assert reference in record.getMessage()
    assert record.exc_info is not None
    assert LEAK in str(record.exc_info[1])


@override_settings(ROOT_URLCONF=__name__)
def test_a_failing_api_call_answers_json_with_its_reference(http) -> None:
    response = http.get("/api/boom/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "reference"}
    assert body["reference"] == response["X-Request-ID"]
    assert LEAK not in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_a_lost_database_gets_503_with_retry_after_and_no_detail(http, caplog) -> None:
    """During a PostgreSQL restart the user is asked to retry; the page says nothing about the database host."""
    with caplog.at_level(logging.WARNING, logger="koers.errors"):
        response = http.get("/database-weg/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(errors.DATABASE_RETRY_AFTER)
    page = response.content.decode()
    assert response["X-Request-ID"] in page
    assert "10.0.0.5" not in page
    assert "OperationalError" not in page
    assert [r.levelname for r in caplog.records if r.name == "koers.errors"] == ["WARNING"]


@override_settings(ROOT_URLCONF=__name__)
def test_a_suspicious_request_gets_the_400_page(http) -> None:
    response = http.get("/verdacht/")
    assert response.status_code == 400
    assert response["X-Request-ID"] in response.content.decode()
    assert LEAK not in response.content.decode()


def test_a_bad_host_gets_the_400_page(http) -> None:
    response = http.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["X-Request-ID"] in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_the_403_page_shows_nothing_of_the_user(make_user, login) -> None:
    user = make_user(Role.TRAINER)
    user.first_name, user.last_name = "Bartholomeus", "Vandersteen"
    user.save()
    http = login(user)
    for url in ("/verboden/", reverse("reporting:index")):
        response = http.get(url)
        assert response.status_code == 403
        page = response.content.decode()
        assert response["X-Request-ID"] in page
        assert "Vandersteen" not in page
        assert user.username not in page
        assert 'href="/beheer/' not in page  # no navigation


def test_an_unknown_api_path_answers_json(http) -> None:
    response = http.get("/api/v1/bestaat-niet/")
    assert response.status_code == 404
    assert response.json()["reference"] == response["X-Request-ID"]


def test_an_unknown_page_gets_the_404_page(http) -> None:
    response = http.get("/bestaat-niet/")
    assert response.status_code == 404
    assert response["X-Request-ID"] in response.content.decode()


@pytest.mark.parametrize(
    ("handler", "status"),
    [(errors.bad_request, 400), (errors.permission_denied, 403), (errors.page_not_found, 404)],
)
def test_error_pages_query_nothing(handler, status) -> None:
    request = RequestFactory().get("/ergens/")
    token = context.activate(ip_address="127.0.0.1", request_id="ref-123", request=request)
    try:
        with CaptureQueriesContext(connection) as queries:
            response = handler(request, Exception())
    finally:
        context.deactivate(token)
    assert response.status_code == status
    assert len(queries) == 0
    assert "ref-123" in response.content.decode()


@pytest.mark.parametrize(
    "template", ["400.html", "403.html", "404.html", "413.html", "429.html", "500.html", "503.html"]
)
def test_every_error_page_renders_standalone(template) -> None:
    page = loader.get_template(template).render({"reference": "ref-456", "minutes": 2})
    assert "ref-456" in page
    assert "<h1" in page
    assert "</html>" in page
    assert "<script" not in page
    assert "style=" not in page
