"""Request size limits (SECURITY.md item 46): a body above its path's limit is refused unread with 413; too many
fields is a 400; an API caller cannot ask for more than the page-size cap."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django.urls import reverse

from koers.accounts.roles import Role
from koers.request_limits import MULTIPART_MARGIN
from tests import factories

pytestmark = pytest.mark.django_db


def announce(http: HttpClient, url: str, length: int) -> Any:
    """A POST that announces ``length`` bytes but carries a few: reading the body would fail the request loudly."""
    return http.post(url, {"username": "x"}, CONTENT_LENGTH=str(length))


def test_an_oversized_body_is_refused_before_it_is_read(settings) -> None:
    response = announce(HttpClient(), reverse("accounts:login"), settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    assert response.status_code == 413
    page = response.content.decode()
    assert response["X-Request-ID"] in page
    assert 'lang="nl"' in page
    assert "no-store" in response["Cache-Control"]


def test_an_oversized_api_body_gets_json(settings, consultant, login) -> None:
    response = announce(login(consultant), reverse("v1:client-list"), settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    assert response.status_code == 413
    assert response.json()["reference"] == response["X-Request-ID"]


def test_a_body_within_the_limit_passes(settings) -> None:
    response = HttpClient().post(reverse("accounts:login"), {"username": "x", "password": "y" * 1000})
    assert response.status_code == 200


def test_the_import_upload_may_be_as_large_as_an_import_file(settings, login, make_user) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_000
    settings.KOERS_IMPORT_MAX_BYTES = 10_000
    http = login(make_user(Role.TEAM_MANAGER))
    content = b"bsn;naam\n" + b"x" * 8_000
    accepted = http.post(reverse("imports:new"), {"file": SimpleUploadedFile("clienten.csv", content)})
    assert accepted.status_code != 413
    refused = http.post(reverse("clients:list"), {"file": SimpleUploadedFile("clienten.csv", content)})
    assert refused.status_code == 413
    too_large = announce(http, reverse("imports:new"), 10_000 + MULTIPART_MARGIN + 1)
    assert too_large.status_code == 413


def test_too_many_fields_is_a_bad_request(settings) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = HttpClient().post(reverse("accounts:login"), {f"field{i}": "x" for i in range(20)})
    assert response.status_code == 400
    assert response["X-Request-ID"] in response.content.decode()


@pytest.fixture
def many_clients(consultant, municipality) -> None:
    factories.ClientFactory.create_batch(
        105, organisation=municipality.organisation, municipality=municipality, consultant=consultant
    )


def test_the_api_page_size_can_be_chosen(many_clients, consultant, login) -> None:
    body = login(consultant).get(reverse("v1:client-list"), {"page_size": 7}).json()
    assert len(body["results"]) == 7


def test_the_api_page_size_is_capped(settings, many_clients, consultant, login) -> None:
    body = login(consultant).get(reverse("v1:client-list"), {"page_size": 100000}).json()
    assert len(body["results"]) == settings.KOERS_API_MAX_PAGE_SIZE == 100
    assert body["count"] == 105
    assert body["next"]


@pytest.mark.parametrize("page_size", ["0", "-3", "zeven", "²", "7.5"])
def test_a_wrong_api_page_size_is_refused_not_replaced(page_size, consultant, login) -> None:
    """Silently answering with the default page would hide the caller's mistake (and broke schemathesis's check
    that invalid input is rejected)."""
    response = login(consultant).get(reverse("v1:client-list"), {"page_size": page_size})
    assert response.status_code == 400
    assert "page_size" in response.json()


def test_a_repeated_api_page_size_is_refused(consultant, login) -> None:
    response = login(consultant).get(reverse("v1:client-list") + "?page_size=5&page_size=6")
    assert response.status_code == 400
