"""Invalid BSNs at every place one is typed or imported: a Dutch message, nothing created (SECURITY.md 53)."""

import pytest
from django.core.cache import cache
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation

from koers.accounts.roles import Role
from koers.clients.models import Client
from koers.imports.models import ImportRejection, RejectionReason
from koers.imports.services import create_import, run_import
from tests import factories
from tests.imports.files import csv_bytes, row
from tests.trust.snapshot import assert_unchanged, snapshot
from tests.trust.test_bad_input_forms import filled, post_forms

pytestmark = pytest.mark.django_db

VALID = factories._valid_bsn(77)
# value → what is wrong with it
INVALID = {
    "123456789": "fails the eleven test",
    "000000000": "all zeros",
    "12345678": "8 digits",
    "1234567890": "10 digits",
    "12345678A": "a letter",
    "ABCDEFGHI": "letters only",
    "   ": "spaces only",
    "1234 567 8": "spaces, 8 digits",
    "١٢٣٤٥٦٧٨٢": "Arabic-Indic digits",
}


def dutch(message: str) -> str:
    with translation.override("nl"):
        text = translation.gettext(message)
    assert text != message, f"no Dutch translation for {message!r}"
    return text


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    cache.clear()


@pytest.fixture
def create_page(role_users, login, municipality) -> tuple[HttpClient, dict]:
    """The consultant's new-client form, filled in completely and validly except for the BSN."""
    http = login(role_users[Role.CONSULTANT])
    (form,) = post_forms(http.get(reverse("clients:create")).content.decode())
    data = filled(form, lambda _name: "Jansen", choose=True)
    data.update(email="jan@example.org", phone="0612345678", postal_code="1234 AB")
    return http, data


def test_the_filled_in_form_saves_with_a_valid_bsn(create_page) -> None:
    """The control for the test below: the same form with a valid BSN creates the client."""
    http, data = create_page
    assert http.post(reverse("clients:create"), {**data, "bsn": VALID}).status_code == 302
    assert Client.objects.filter(bsn=VALID).exists()


@pytest.mark.parametrize("value", INVALID)
def test_the_client_form_refuses_an_invalid_bsn_in_dutch(value, create_page) -> None:
    http, data = create_page
    before = snapshot()
    response = http.post(reverse("clients:create"), {**data, "bsn": value})
    assert response.status_code == 200, INVALID[value]
    html = response.content.decode()
    assert any(
        message in html
        for message in (
            dutch("A BSN has exactly nine digits."),
            dutch("This BSN does not pass the eleven test. Check the number."),
            dutch("This field is required."),
            "niet meer dan 9 tekens",  # Django's own message for the field's length
        )
    ), INVALID[value]
    assert_unchanged(before)


@pytest.mark.parametrize("value", INVALID)
def test_the_import_rejects_an_invalid_bsn_row_with_the_reason(value, role_users, municipality) -> None:
    factories.UserFactory(organisation=municipality.organisation, roles=[Role.CONSULTANT], username="j.jansen")
    before = snapshot(also_skip=("imports_",))
    job = create_import(
        role_users[Role.ADMINISTRATOR],
        file_name="export.csv",
        content=csv_bytes([row(1, bsn=value)]),
        file_format="csv",
    )
    run_import(job.pk)
    job.refresh_from_db()
    assert job.created_count == 0
    reasons = {rejection.code for rejection in ImportRejection.objects.filter(client_import=job)}
    assert reasons & {RejectionReason.BSN_FORMAT, RejectionReason.BSN_CHECKSUM, RejectionReason.REQUIRED}, reasons
    assert_unchanged(before, also_skip=("imports_",))


@pytest.mark.parametrize("value", [v for v in INVALID if v not in ("12345678", "1234 567 8", "1234567890")])
def test_the_access_log_lookup_refuses_an_invalid_bsn_in_dutch(value, role_users, login) -> None:
    """Other than nine digits is a client number there, not a BSN; every other invalid value gets a message."""
    http = login(role_users[Role.PRIVACY_OFFICER])
    before = snapshot()
    response = http.post(reverse("clients:access_log"), {"client": value})
    assert response.status_code == 200, INVALID[value]
    html = response.content.decode()
    assert any(
        message in html
        for message in (
            dutch("Enter digits only: a client number or a BSN."),
            dutch("This BSN does not pass the eleven test. Check the number."),
            dutch("This field is required."),
        )
    ), INVALID[value]
    assert_unchanged(before)
