"""The processing log (LDV): one row per client per processing, in the request's trace, written or the request fails."""

import hashlib
import hmac
import re

import pytest
from django.db import DatabaseError
from django.urls import reverse

from koers.accounts.roles import Role
from koers.audit import context, services
from koers.audit.models import Action, AuditEvent, ProcessingLogEntry
from koers.audit.pseudonym import client_pseudonym
from koers.audit.services import record_event
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_clients(make_user, municipality):
    consultant = make_user(Role.CONSULTANT)

    def make(n: int) -> list:
        return factories.ClientFactory.create_batch(
            n, organisation=municipality.organisation, municipality=municipality, consultant=consultant
        )

    make.consultant = consultant
    return make


def test_dossier_read_writes_a_pseudonymous_row_in_the_trace_of_its_audit_event(own_clients, login, settings) -> None:
    settings.KOERS_PSEUDONYM_KEY = "test-key"
    (client,) = own_clients(1)
    response = login(own_clients.consultant).get(reverse("clients:detail", args=[client.pk]))
    event = AuditEvent.objects.get(action=Action.READ, client_id=client.pk)
    entry = ProcessingLogEntry.objects.get()
    assert re.fullmatch(r"[0-9a-f]{32}", entry.trace_id)
    assert entry.trace_id == event.request_id == response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{16}", entry.span_id)
    assert entry.name == "clients.client.read"
    assert entry.status == "ok"
    assert entry.processing_activity == "https://verwerkingsregister.example.nl/koers/client-registration"
    expected = hmac.new(b"test-key", str(client.pk).encode(), hashlib.sha256).hexdigest()
    assert (entry.data_subject, entry.data_subject_type) == (expected, "koers-client")


def test_processing_rows_name_no_user_and_no_client_identity(own_clients, login) -> None:
    (client,) = own_clients(1)
    login(own_clients.consultant).get(reverse("clients:detail", args=[client.pk]))
    row = ProcessingLogEntry.objects.values().get()
    values = {str(value) for field, value in row.items() if field not in {"id", "chain_seq"}}
    assert str(client.pk) not in values
    for identifying in [own_clients.consultant.username, client.bsn, client.last_name]:
        assert not any(identifying in value for value in values)


def test_caseload_of_n_clients_writes_n_rows_in_one_trace(own_clients, login) -> None:
    clients = own_clients(7)
    login(own_clients.consultant).get(reverse("caseload:index"))
    events = AuditEvent.objects.filter(action=Action.READ, client_id__in=[c.pk for c in clients])
    assert events.count() == 7
    trace_ids = set(events.values_list("request_id", flat=True))
    assert len(trace_ids) == 1
    entries = ProcessingLogEntry.objects.filter(trace_id__in=trace_ids)
    assert entries.count() == 7
    assert set(entries.values_list("data_subject", flat=True)) == {client_pseudonym(c.pk) for c in clients}
    assert len(set(entries.values_list("span_id", flat=True))) == 7


def test_incoming_traceparent_is_continued(own_clients, login) -> None:
    (client,) = own_clients(1)
    trace, parent = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    response = login(own_clients.consultant).get(
        reverse("clients:detail", args=[client.pk]), HTTP_TRACEPARENT=f"00-{trace}-{parent}-01"
    )
    assert response["X-Request-ID"] == trace
    entry = ProcessingLogEntry.objects.get()
    assert (entry.trace_id, entry.parent_span_id) == (trace, parent)
    assert AuditEvent.objects.get(client_id=client.pk).request_id == trace


@pytest.mark.parametrize("header", ["00-" + "0" * 32 + "-00f067aa0ba902b7-01", "garbage", "00-ABC-12-01"])
def test_an_invalid_traceparent_starts_a_new_trace(own_clients, login, header) -> None:
    (client,) = own_clients(1)
    response = login(own_clients.consultant).get(reverse("clients:detail", args=[client.pk]), HTTP_TRACEPARENT=header)
    entry = ProcessingLogEntry.objects.get()
    assert re.fullmatch(r"[0-9a-f]{32}", entry.trace_id)
    assert entry.trace_id != "0" * 32
    assert (response["X-Request-ID"], entry.parent_span_id) == (entry.trace_id, "")


def test_events_without_a_client_write_no_processing_row() -> None:
    record_event(None, Action.EXPORT, object_type="report", object_id="7")
    assert not ProcessingLogEntry.objects.exists()


def test_processing_row_follows_the_activity_of_the_record(make_user) -> None:
    token = context.activate(ip_address=None)
    try:
        record_event(make_user(), Action.UPDATE, object_type="trajectories.goal", object_id="3", client_id=12)
    finally:
        context.deactivate(token)
    entry = ProcessingLogEntry.objects.get()
    assert entry.name == "trajectories.goal.update"
    assert entry.processing_activity.endswith("/individual-guidance")


@pytest.mark.parametrize("failing", [AuditEvent, ProcessingLogEntry])
def test_when_a_log_cannot_be_written_the_dossier_answers_503_and_shows_nothing(
    own_clients, login, monkeypatch, failing
) -> None:
    (client,) = own_clients(1)
    http = login(own_clients.consultant)
    insert = services._insert

    def broken(model, rows) -> None:
        if model is failing:
            raise DatabaseError("disk full")
        insert(model, rows)

    monkeypatch.setattr(services, "_insert", broken)
    response = http.get(reverse("clients:detail", args=[client.pk]))
    assert response.status_code == 503
    body = response.content.decode()
    for shown in [client.last_name, client.first_name, client.bsn, client.email]:
        assert shown not in body


def test_the_api_fails_closed_too(own_clients, login, monkeypatch) -> None:
    (client,) = own_clients(1)
    http = login(own_clients.consultant)

    def broken(model, rows) -> None:
        raise DatabaseError("disk full")

    monkeypatch.setattr(services, "_insert", broken)
    response = http.get(reverse("v1:client-detail", args=[client.pk]))
    assert response.status_code == 503
    assert set(response.json()) == {"detail", "reference"}
    assert client.last_name not in response.content.decode()
