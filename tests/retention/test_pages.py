"""Retention pages: who may open them, the approve flow over HTTP, read events, no names, and query budgets."""

import datetime
from collections.abc import Iterator

import pytest
import time_machine
from django.urls import reverse

from koers.accounts import backends
from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.clients.models import Client
from koers.retention import services
from koers.retention.models import (
    DestructionList,
    DestructionListItem,
    DestructionRecord,
    LegalHold,
    ListStatus,
    RecordType,
    RetentionRule,
)
from tests import factories
from tests.helpers import assert_access_matrix, assert_query_budget
from tests.retention.conftest import closed_client, withdrawn_referral

pytestmark = pytest.mark.django_db

END = datetime.date(2026, 3, 16)
LIST_ROLES = {Role.ADMINISTRATOR: 200, Role.TEAM_MANAGER: 200}


@pytest.fixture(autouse=True)
def after_the_term() -> Iterator[None]:
    """Ten years and a day after the dossiers of these tests were closed."""
    with time_machine.travel(datetime.datetime(2036, 3, 17, 12), tick=False):
        yield


def expected(allowed: dict[str, int]) -> dict[str, int]:
    return {role: allowed.get(role, 403) for role in Role.values}


@pytest.fixture
def proposed(municipality, consultant, administrator) -> DestructionList:
    closed_client(municipality, consultant, END)
    return services.propose_list(administrator)


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("retention:index", LIST_ROLES),
        ("retention:candidates", {Role.ADMINISTRATOR: 200}),
        ("retention:propose", {Role.ADMINISTRATOR: 405}),
        ("retention:hold", {Role.ADMINISTRATOR: 405}),
    ],
)
def test_access_matrix_of_the_pages_without_a_list(name, allowed, role_users, login) -> None:
    assert_access_matrix(reverse(name), expected(allowed), role_users, login)


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("retention:detail", LIST_ROLES),
        ("retention:progress", LIST_ROLES),
        ("retention:decide", {Role.TEAM_MANAGER: 405}),
        ("retention:execute", {Role.ADMINISTRATOR: 405}),
    ],
)
def test_access_matrix_of_the_pages_of_a_list(name, allowed, proposed, role_users, login) -> None:
    assert_access_matrix(reverse(name, args=[proposed.pk]), expected(allowed), role_users, login)


def test_access_matrix_of_lifting_a_hold(municipality, consultant, role_users, login) -> None:
    hold = LegalHold.objects.create(
        client=closed_client(municipality, consultant, END), reason="Klacht", set_by=consultant
    )
    url = reverse("retention:lift_hold", args=[hold.pk])
    assert_access_matrix(url, expected({Role.ADMINISTRATOR: 405}), role_users, login)


def test_a_list_of_another_organisation_is_not_found(proposed, login, make_user) -> None:
    other = factories.OrganisationFactory(name="Ander Werkbedrijf")
    stranger = factories.UserFactory(organisation=other, roles=[Role.TEAM_MANAGER])
    assert login(stranger).get(reverse("retention:detail", args=[proposed.pk])).status_code == 404


def test_candidates_show_numbers_and_no_names_and_record_reads(municipality, consultant, administrator, login) -> None:
    client = closed_client(municipality, consultant, END)
    response = login(administrator).get(reverse("retention:candidates"))
    html = response.content.decode()
    assert f">{client.pk}<" in html
    assert client.last_name not in html
    assert client.bsn not in html
    assert AuditEvent.objects.filter(action=Action.READ, client_id=client.pk, actor=administrator).count() == 1


def test_administrator_proposes_process_owner_approves_administrator_executes(
    municipality, consultant, administrator, process_owner, login, django_capture_on_commit_callbacks
) -> None:
    client = closed_client(municipality, consultant, END)
    response = login(administrator).post(reverse("retention:propose"))
    destruction_list = DestructionList.objects.get()
    assert response.url == reverse("retention:detail", args=[destruction_list.pk])

    page = login(process_owner).get(reverse("retention:detail", args=[destruction_list.pk])).content.decode()
    assert reverse("retention:decide", args=[destruction_list.pk]) in page
    login(process_owner).post(
        reverse("retention:decide", args=[destruction_list.pk]), {"decision": "approve", "reason": "Akkoord"}
    )
    destruction_list.refresh_from_db()
    assert (destruction_list.status, destruction_list.approved_by) == (ListStatus.APPROVED, process_owner)

    with django_capture_on_commit_callbacks(execute=True):
        login(administrator).post(reverse("retention:execute", args=[destruction_list.pk]))

    destruction_list.refresh_from_db()
    assert destruction_list.status == ListStatus.EXECUTED
    assert not Client.objects.filter(pk=client.pk).exists()
    page = login(administrator).get(reverse("retention:detail", args=[destruction_list.pk])).content.decode()
    assert 'data-testid="record-table"' in page
    assert f">{client.pk}<" in page
    reasons = set(AuditEvent.objects.filter(object_type="retention.destructionlist").values_list("reason", flat=True))
    assert {
        "destruction list proposed",
        "destruction list approved",
        "destruction list execution started",
        "destruction list executed",
    } <= reasons


def test_the_proposer_gets_no_decision_form_and_is_refused(municipality, consultant, make_user, login) -> None:
    closed_client(municipality, consultant, END)
    both = make_user(Role.ADMINISTRATOR, Role.TEAM_MANAGER)
    destruction_list = services.propose_list(both)
    http = login(both)

    page = http.get(reverse("retention:detail", args=[destruction_list.pk])).content.decode()
    assert reverse("retention:decide", args=[destruction_list.pk]) not in page
    response = http.post(
        reverse("retention:decide", args=[destruction_list.pk]), {"decision": "approve", "reason": "Zelf"}
    )
    assert response.status_code == 403
    destruction_list.refresh_from_db()
    assert destruction_list.status == ListStatus.PROPOSED


def test_a_decision_needs_a_reason(proposed, process_owner, login) -> None:
    response = login(process_owner).post(reverse("retention:decide", args=[proposed.pk]), {"decision": "approve"})
    assert response.status_code == 200  # the form again, with its message
    proposed.refresh_from_db()
    assert proposed.status == ListStatus.PROPOSED


def test_a_hold_is_placed_and_lifted(municipality, consultant, administrator, login) -> None:
    client = closed_client(municipality, consultant, END)
    http = login(administrator)
    http.post(reverse("retention:hold"), {"client_number": client.pk, "reason": "Rechtszaak", "until": ""})
    hold = LegalHold.objects.get()
    assert (hold.client, hold.set_by, hold.until) == (client, administrator, None)
    assert reverse("retention:lift_hold", args=[hold.pk]) in http.get(reverse("retention:candidates")).content.decode()

    http.post(reverse("retention:lift_hold", args=[hold.pk]))
    hold.refresh_from_db()
    assert hold.until == datetime.date(2036, 3, 16)


def test_a_hold_on_a_client_of_another_organisation_is_refused(administrator, login) -> None:
    stranger = factories.ClientFactory(organisation=factories.OrganisationFactory(name="Ander Werkbedrijf"))
    response = login(administrator).post(reverse("retention:hold"), {"client_number": stranger.pk, "reason": "X"})
    assert response.status_code == 200  # the form again, with its message
    assert not LegalHold.objects.exists()


# The budgets are PostgreSQL's: sealing the log chains takes three queries more there than on SQLite.


def test_candidate_page_query_budget(municipality, consultant, administrator, login) -> None:
    closed_client(municipality, consultant, END)
    withdrawn_referral(municipality, consultant, datetime.date(2036, 1, 1))

    def grow() -> None:
        client = closed_client(municipality, consultant, END)
        withdrawn_referral(municipality, consultant, datetime.date(2036, 1, 2))
        LegalHold.objects.create(client=client, reason="Klacht", set_by=consultant)
        closed_client(municipality, consultant, END)

    assert_query_budget(login(administrator), reverse("retention:candidates"), 20, grow)


def test_list_pages_query_budget(municipality, consultant, administrator, process_owner, login) -> None:
    closed_client(municipality, consultant, END)
    first = services.propose_list(administrator)
    http = login(process_owner)

    def grow() -> None:
        closed_client(municipality, consultant, END)
        services.propose_list(administrator)

    assert_query_budget(http, reverse("retention:index"), 8, grow)

    def more_items() -> None:
        other = factories.MunicipalityFactory(organisation=municipality.organisation)
        item = first.items.first()
        for number in (1, 2):
            DestructionListItem.objects.create(
                destruction_list=first,
                record_type=item.record_type,
                object_id=item.object_id + number,
                client_number=item.client_number + number,
                municipality=other,
                end_date=item.end_date,
                rule_code=item.rule_code,
                term=item.term,
                unit=item.unit,
                action_date=item.action_date,
            )

    assert_query_budget(http, reverse("retention:detail", args=[first.pk]), 19, more_items)


def test_executed_list_query_budget(municipality, consultant, administrator, process_owner, login, make_user) -> None:
    closed_client(municipality, consultant, END)
    closed_client(municipality, consultant, END)
    destruction_list = services.propose_list(administrator)
    services.decide(destruction_list, process_owner, approve=True, reason="Akkoord")
    services.start_execution(destruction_list, administrator)
    services.execute_list(destruction_list.pk)
    url = reverse("retention:detail", args=[destruction_list.pk])

    def more_records() -> None:
        record = DestructionRecord.objects.first()
        for number in (1, 2):
            DestructionRecord.objects.create(
                destruction_list=destruction_list,
                record_type=record.record_type,
                object_id=record.object_id + 100 + number,
                client_number=record.client_number + 100 + number,
                rule=record.rule,
                legal_basis=record.legal_basis,
                executed_at=record.executed_at,
                executed_by=make_user(Role.ADMINISTRATOR),
                approved_by=make_user(Role.TEAM_MANAGER),
            )

    assert_query_budget(login(process_owner), url, 20, more_records)
    assert_query_budget(
        login(process_owner), reverse("retention:progress", args=[destruction_list.pk]), 9, lambda: None
    )


def test_administrator_changes_a_term_in_the_configuration(administrator, login, monkeypatch) -> None:
    monkeypatch.setattr(backends, "CONFIGURATION_APPS", backends.CONFIGURATION_APPS | {"retention"})
    http = login(administrator)
    assert http.get(reverse("admin:retention_retentionrule_changelist")).status_code == 200
    rule = RetentionRule.objects.get(organisation=administrator.organisation, record_type=RecordType.CLIENT_DOSSIER)
    response = http.post(
        reverse("admin:retention_retentionrule_change", args=[rule.pk]),
        {"term": 12, "unit": "years", "selectielijst_code": "8.1", "result": "Vernietigen na 12 jaar."},
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.term, rule.organisation) == (12, administrator.organisation)
    assert http.get(reverse("admin:retention_retentionrule_add")).status_code == 403


def test_progress_is_polled_while_the_list_is_being_executed(
    municipality, consultant, administrator, process_owner, english
) -> None:
    closed_client(municipality, consultant, END)
    destruction_list = services.propose_list(administrator)
    services.decide(destruction_list, process_owner, approve=True, reason="Akkoord")
    services.start_execution(destruction_list, administrator)
    http = english(administrator)
    url = reverse("retention:progress", args=[destruction_list.pk])

    running = http.get(url, headers={"HX-Request": "true"})
    assert (running.status_code, "0 of 1 records processed." in running.content.decode()) == (200, True)

    services.execute_list(destruction_list.pk)
    done = http.get(url, headers={"HX-Request": "true"})
    assert done.status_code == 286
