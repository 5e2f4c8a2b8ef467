"""The access export (AVG art. 15): complete by construction, as JSON and as PDF, for the privacy officer only."""

import datetime
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.urls import reverse

from koers import pdf as pdf_module
from koers.accounts.roles import Role
from koers.audit.activities import ACTIVITIES
from koers.audit.models import Action, AuditEvent
from koers.audit.services import record_event
from koers.clients import subject_access
from koers.clients.models import ClientTransfer, Rectification, ScreeningFlag
from koers.clients.services import restrict_processing
from koers.clients.subject_data import client_linked_models
from koers.trajectories.models import Goal, ProgressReport
from tests import factories
from tests.clients.subject_seed import SeededClient, seed_client
from tests.helpers import assert_query_budget, laid_out_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def privacy_officer(make_user):
    return make_user(Role.PRIVACY_OFFICER)


@pytest.fixture
def seeded(municipality, consultant) -> SeededClient:
    return seed_client(
        organisation=municipality.organisation,
        municipality=municipality,
        consultant=consultant,
        date_of_birth=datetime.date(1980, 2, 29),
    )


def _url(seeded: SeededClient, export_format: str) -> str:
    return reverse(f"clients:access_export_{export_format}", args=[seeded.client.pk])


def _json_export(http: Any, seeded: SeededClient) -> dict[str, Any]:
    response = http.get(_url(seeded, "json"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return json.loads(response.content)


@pytest.fixture
def pdf_html(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The HTML that the access export hands to WeasyPrint, to read the laid-out text back."""
    captured: list[str] = []
    original = pdf_module.HTML

    def spy(*args: Any, **kwargs: Any) -> Any:
        captured.append(kwargs["string"])
        return original(*args, **kwargs)

    monkeypatch.setattr(pdf_module, "HTML", spy)
    return captured


def test_json_export_has_a_section_per_linked_model_with_its_rows_and_markers(seeded, privacy_officer, english) -> None:
    export = _json_export(english(privacy_officer), seeded)
    sections = {section["model"]: section for section in export["sections"]}
    assert set(sections) == {link.label for link in client_linked_models()}
    for model, rows in seeded.rows.items():
        section = sections[model._meta.label_lower]
        assert {row.pk for row in rows} <= {row["id"] for row in section["rows"]}, model
        assert {field["name"] for field in section["fields"]} == {f.name for f in model._meta.concrete_fields}
        text = json.dumps(section)
        for marker in seeded.markers.get(model, []):
            assert marker in text, (model, marker)


def test_pdf_export_holds_every_section_and_marker(seeded, privacy_officer, english, pdf_html) -> None:
    response = english(privacy_officer).get(_url(seeded, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = laid_out_text(pdf_html[0])
    for link in client_linked_models():
        assert str(link.model._meta.verbose_name_plural).capitalize() in text, link.label
    for model, markers in seeded.markers.items():
        for marker in markers:
            assert marker in text, (model, marker)
    assert seeded.client.bsn in text


def test_export_states_purposes_recipients_retention_and_the_full_bsn(seeded, privacy_officer, english) -> None:
    export = _json_export(english(privacy_officer), seeded)
    assert export["schema_version"] == 1
    assert export["client"] == {
        "number": seeded.client.pk,
        "name": seeded.client.full_name,
        "bsn": seeded.client.bsn,
    }
    assert [purpose["code"] for purpose in export["purposes"]] == list(ACTIVITIES)
    assert all(purpose["legal_basis"] and purpose["purpose"] for purpose in export["purposes"])
    assert export["recipients"][0]["name"] == seeded.client.municipality.name
    assert "10 years" in export["retention"]
    assert "8.1" in export["retention"]


def test_json_export_validates_against_its_schema(seeded, privacy_officer, english) -> None:
    export = _json_export(english(privacy_officer), seeded)
    schema = json.loads((Path(subject_access.__file__).parent / "subject_access.schema.json").read_text())
    jsonschema.validate(export, schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert export["schema_version"] == schema["properties"]["schema_version"]["const"] == subject_access.SCHEMA_VERSION


def test_values_are_plain_iso_dates_and_choice_labels(seeded, privacy_officer, english) -> None:
    export = _json_export(english(privacy_officer), seeded)
    sections = {section["model"]: section for section in export["sections"]}
    client_row = sections["clients.client"]["rows"][0]
    assert client_row["date_of_birth"] == "1980-02-29"
    assert client_row["bsn"] == seeded.client.bsn
    [flag] = seeded.rows[ScreeningFlag]
    assert isinstance(flag, ScreeningFlag)
    assert sections["clients.screeningflag"]["rows"][0]["kind"] == flag.get_kind_display()
    labels = {field["name"]: field["label"] for field in sections["clients.client"]["fields"]}
    assert labels["date_of_birth"] == "Date of birth"


def test_processing_log_names_roles_not_people(seeded, privacy_officer, consultant, english) -> None:
    record_event(consultant, Action.READ, seeded.client, client_id=seeded.client.pk, reason="client detail")
    export = _json_export(english(privacy_officer), seeded)
    entry = next(entry for entry in export["access_log"] if entry["reason"] == "client dossier")
    assert entry["roles"] == ["Consultant"]
    assert entry["action"] == "read"
    assert entry["purpose"] == "Client registration"
    datetime.datetime.fromisoformat(entry["at"])
    text = json.dumps(export)
    assert consultant.get_username() not in text
    assert consultant.last_name not in text
    assert "name" not in entry


def test_names_of_staff_only_when_the_privacy_officer_decided(
    seeded, privacy_officer, consultant, english, settings
) -> None:
    settings.KOERS_ACCESS_EXPORT_NAMES = True
    record_event(consultant, Action.READ, seeded.client, client_id=seeded.client.pk, reason="client detail")
    export = _json_export(english(privacy_officer), seeded)
    entry = next(entry for entry in export["access_log"] if entry["reason"] == "client dossier")
    assert entry["name"] == consultant.get_full_name()
    client_row = next(s for s in export["sections"] if s["model"] == "clients.client")["rows"][0]
    assert client_row["consultant"] == consultant.get_full_name()


def test_each_export_is_logged_with_its_format(seeded, privacy_officer, login) -> None:
    http = login(privacy_officer)
    http.get(_url(seeded, "json"))
    http.get(_url(seeded, "pdf"))
    reasons = set(
        AuditEvent.objects.filter(client_id=seeded.client.pk, action=Action.EXPORT, actor=privacy_officer).values_list(
            "reason", flat=True
        )
    )
    assert reasons == {"subject access export (json)", "subject access export (pdf)"}


def test_export_works_while_processing_is_restricted(seeded, privacy_officer, login) -> None:
    restrict_processing(privacy_officer, seeded.client, "contested")
    assert login(privacy_officer).get(_url(seeded, "json")).status_code == 200


def test_only_the_privacy_officer_exports(seeded, role_users, login) -> None:
    for export_format in ("json", "pdf"):
        for role, user in role_users.items():
            status = login(user).get(_url(seeded, export_format)).status_code
            assert status == (200 if role == Role.PRIVACY_OFFICER else 403), (role, export_format)


def test_client_of_another_organisation_is_not_found(privacy_officer, login) -> None:
    other = factories.ClientFactory(organisation=factories.OrganisationFactory(name="Elders"))
    response = login(privacy_officer).get(reverse("clients:access_export_json", args=[other.pk]))
    assert response.status_code == 404


def test_access_log_offers_the_export_for_the_client(seeded, privacy_officer, login) -> None:
    page = login(privacy_officer).get(f"{reverse('clients:access_log')}?klant={seeded.client.pk}").content.decode()
    assert _url(seeded, "pdf") in page
    assert _url(seeded, "json") in page


def test_queries_do_not_grow_with_the_rows_per_model(seeded, privacy_officer, make_user, login) -> None:
    trainer = make_user(Role.TRAINER)

    def grow() -> None:
        for model in (Goal, ProgressReport, ClientTransfer, Rectification):
            seeded.add(model)
        for actor in (trainer, privacy_officer):
            record_event(actor, Action.READ, seeded.client, client_id=seeded.client.pk, reason="client detail")

    budget = len(client_linked_models()) + 20  # session, user, MFA, roles, the client, log writes and sealing
    assert_query_budget(login(privacy_officer), _url(seeded, "json"), budget, grow)
