"""Rectification (AVG art. 16): the client's consultant corrects identity and contact data, and the history stays."""

import datetime
import json

import pytest
from django.urls import reverse

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.clients.models import Client, Rectification
from koers.clients.services import StaleEditError, rectify_client
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_of(consultant, municipality):
    return factories.ClientFactory(
        organisation=municipality.organisation,
        municipality=municipality,
        consultant=consultant,
        first_name="Jannie",
        city="Lekkerkerk",
        date_of_birth=datetime.date(1980, 1, 1),
        postal_code="2941 AA",
    )


def _form_data(client: Client, **changes: object) -> dict[str, object]:
    fields = ("first_name", "last_name", "email", "phone", "street", "postal_code", "city")
    data: dict[str, object] = {name: getattr(client, name) for name in fields}
    data["date_of_birth"] = client.date_of_birth.isoformat() if client.date_of_birth else ""
    return {**data, "version": client.version, "reason": "", "client_view": "", **changes}


def _url(client: Client) -> str:
    return reverse("clients:rectify", args=[client.pk])


def test_correction_keeps_old_and_new_value_reason_and_the_clients_view(client_of, consultant, login) -> None:
    response = login(consultant).post(
        _url(client_of),
        _form_data(
            client_of,
            city="Ouderkerk",
            date_of_birth="1980-01-10",
            reason="Paspoort getoond",
            client_view="Mijn voornaam is Janny, niet Jannie.",
        ),
    )
    assert response.status_code == 302
    stored = Client.objects.get(pk=client_of.pk)
    assert (stored.city, stored.date_of_birth, stored.version) == ("Ouderkerk", datetime.date(1980, 1, 10), 2)
    rows = {row.field: row for row in Rectification.objects.filter(client=client_of)}
    assert set(rows) == {"city", "date_of_birth"}
    assert (rows["city"].old_value, rows["city"].new_value) == ("Lekkerkerk", "Ouderkerk")
    assert (rows["date_of_birth"].old_value, rows["date_of_birth"].new_value) == ("1980-01-01", "1980-01-10")
    assert rows["city"].reason == "Paspoort getoond"
    assert rows["city"].client_view == "Mijn voornaam is Janny, niet Jannie."
    assert rows["city"].by == consultant
    event = AuditEvent.objects.get(client_id=client_of.pk, action=Action.UPDATE)
    assert event.reason == "rectified: date_of_birth, city"


def test_a_reason_is_required(client_of, consultant, english) -> None:
    response = english(consultant).post(_url(client_of), _form_data(client_of, city="Ouderkerk"))
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Client.objects.get(pk=client_of.pk).city == "Lekkerkerk"
    assert not Rectification.objects.exists()


def test_concurrent_edit_is_refused_with_the_input_kept(client_of, consultant, english) -> None:
    Client.objects.filter(pk=client_of.pk).update(version=2)
    response = english(consultant).post(
        _url(client_of), _form_data(client_of, city="Ouderkerk", reason="Verhuisd", version=1)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="stale-edit"' in page
    assert 'value="Ouderkerk"' in page
    assert Client.objects.get(pk=client_of.pk).city == "Lekkerkerk"
    assert not Rectification.objects.exists()


def test_service_refuses_a_stale_version_and_other_fields(client_of, consultant) -> None:
    with pytest.raises(StaleEditError):
        rectify_client(consultant, client_of, {"city": "Ouderkerk"}, "Verhuisd", version=7)
    with pytest.raises(ValueError, match="identity and contact"):
        rectify_client(consultant, client_of, {"bsn": "123456782"}, "Verhuisd", version=1)
    assert not Rectification.objects.exists()


def test_history_shows_on_the_client_page_for_the_consultant(client_of, consultant, login) -> None:
    rectify_client(consultant, client_of, {"city": "Ouderkerk"}, "Verhuisd", "Klopt niet", version=1)
    page = login(consultant).get(reverse("clients:detail", args=[client_of.pk])).content.decode()
    assert 'data-testid="rectifications"' in page
    assert "Lekkerkerk" in page
    assert "Klopt niet" in page


def test_team_manager_sees_no_history(client_of, consultant, make_user, login) -> None:
    rectify_client(consultant, client_of, {"city": "Ouderkerk"}, "Verhuisd", version=1)
    page = login(make_user(Role.TEAM_MANAGER)).get(reverse("clients:detail", args=[client_of.pk])).content.decode()
    assert 'data-testid="rectifications"' not in page
    assert "Verhuisd" not in page


def test_only_the_clients_own_consultant_corrects(client_of, role_users, make_user, login) -> None:
    client_of.consultant = role_users[Role.CONSULTANT]
    client_of.save()
    expected = {role: 403 for role in role_users} | {Role.CONSULTANT: 200}
    for role, user in role_users.items():
        assert login(user).get(_url(client_of)).status_code == expected[role], role
    assert login(make_user(Role.CONSULTANT)).get(_url(client_of)).status_code == 404


def test_access_export_shows_the_current_value_and_the_history(client_of, consultant, make_user, login) -> None:
    rectify_client(consultant, client_of, {"city": "Ouderkerk"}, "Verhuisd", version=1)
    http = login(make_user(Role.PRIVACY_OFFICER))
    export = json.loads(http.get(reverse("clients:access_export_json", args=[client_of.pk])).content)
    sections = {section["model"]: section for section in export["sections"]}
    assert sections["clients.client"]["rows"][0]["city"] == "Ouderkerk"
    [history] = sections["clients.rectification"]["rows"]
    assert (history["old_value"], history["new_value"], history["reason"]) == ("Lekkerkerk", "Ouderkerk", "Verhuisd")
