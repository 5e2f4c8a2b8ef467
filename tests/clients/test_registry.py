"""Registering and editing clients, transfers and temporary access for a replacing colleague."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.clients.models import AccessGrant, Client, ClientTransfer, ScreeningFlag
from tests import factories
from tests.helpers import assert_query_budget

pytestmark = pytest.mark.django_db

VALID_BSN = "111222333"


def form_data(municipality, **overrides):
    data = {
        "bsn": VALID_BSN,
        "first_name": "Noor",
        "last_name": "Bakker",
        "date_of_birth": "1990-04-01",
        "municipality": municipality.pk,
        "phone": "06-11112222",
        "email": "noor@example.org",
        "street": "Kerkstraat 1",
        "postal_code": "3811ab",
        "city": "Lekkerwaard",
        "language_level": "A2",
        "availability": ["mon_morning", "wed_afternoon"],
        "needs": ["low_language"],
        "contra_indications": [],
    }
    data.update(overrides)
    return data


def test_consultant_registers_a_client_with_needs_recorded_by_them(consultant, municipality, login) -> None:
    response = login(consultant).post(reverse("clients:create"), form_data(municipality))
    client = Client.objects.get(bsn=VALID_BSN)
    assert response["Location"] == reverse("clients:detail", args=[client.pk])
    assert client.consultant == consultant
    assert client.postal_code == "3811 AB"
    assert client.availability == ["mon_morning", "wed_afternoon"]
    flag = ScreeningFlag.objects.get(client=client)
    assert (flag.kind, flag.recorded_by) == ("low_language", consultant)
    assert AuditEvent.objects.filter(action=Action.CREATE, client_id=client.pk, actor=consultant).exists()


def test_a_bsn_failing_the_eleven_test_is_refused_in_dutch(consultant, municipality, login) -> None:
    response = login(consultant).post(reverse("clients:create"), form_data(municipality, bsn="123456780"))
    assert "elfproef" in response.content.decode()
    assert not Client.objects.exists()


def test_duplicate_bsn_links_to_the_existing_dossier_when_visible(consultant, municipality, login) -> None:
    existing = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=consultant, bsn=VALID_BSN
    )
    html = login(consultant).post(reverse("clients:create"), form_data(municipality)).content.decode()
    assert "al een cliënt met dit BSN" in html
    assert reverse("clients:detail", args=[existing.pk]) in html
    assert Client.objects.count() == 1


def test_duplicate_bsn_of_another_caseload_gives_no_link(consultant, make_user, municipality, login) -> None:
    other = factories.ClientFactory(
        organisation=municipality.organisation,
        municipality=municipality,
        consultant=make_user(Role.CONSULTANT, in_team=False),
        bsn=VALID_BSN,
    )
    html = login(consultant).post(reverse("clients:create"), form_data(municipality)).content.decode()
    assert "al een cliënt met dit BSN" in html
    assert reverse("clients:detail", args=[other.pk]) not in html
    assert other.last_name not in html


@pytest.fixture
def client_of(consultant, municipality):
    return factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=consultant, bsn=VALID_BSN
    )


def test_edit_saves_and_logs_changed_field_names_not_values(client_of, consultant, municipality, login) -> None:
    response = login(consultant).post(
        reverse("clients:edit", args=[client_of.pk]),
        form_data(
            municipality, phone="06-99990000", version=client_of.version, needs=[], contra_indications=["acute_crisis"]
        ),
    )
    assert response.status_code == 302
    client_of.refresh_from_db()
    assert client_of.phone == "06-99990000"
    assert client_of.version == 2
    event = AuditEvent.objects.filter(action=Action.UPDATE, client_id=client_of.pk).get()
    assert "phone" in event.reason
    assert "+acute_crisis" in event.reason
    assert "06-99990000" not in event.reason


def test_a_concurrent_edit_is_refused_and_the_input_kept(client_of, consultant, municipality, login) -> None:
    http = login(consultant)
    first = form_data(municipality, first_name="Eerste", version=1)
    second = form_data(municipality, first_name="Tweede", version=1)
    assert http.post(reverse("clients:edit", args=[client_of.pk]), first).status_code == 302
    response = http.post(reverse("clients:edit", args=[client_of.pk]), second)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="stale-edit"' in html
    assert 'value="Tweede"' in html, "the second user's input is still in the form"
    client_of.refresh_from_db()
    assert client_of.first_name == "Eerste"


def test_trainer_cannot_edit_a_participant(client_of, make_user, organisation, login) -> None:
    trainer = make_user(Role.TRAINER)
    run = factories.GroupRunFactory(programme__organisation=organisation, trainers=[trainer])
    factories.ParticipationFactory(group_run=run, client=client_of)
    assert login(trainer).get(reverse("clients:edit", args=[client_of.pk])).status_code == 403


def test_transfer_moves_the_client_and_is_logged(client_of, consultant, make_user, login) -> None:
    colleague = make_user(Role.CONSULTANT)
    http = login(consultant)
    response = http.post(
        reverse("clients:transfer", args=[client_of.pk]),
        {"to_consultant": colleague.pk, "reason": "Verhuisd naar wijk Noord"},
    )
    assert response["Location"] == reverse("clients:list")
    client_of.refresh_from_db()
    assert client_of.consultant == colleague
    transfer = ClientTransfer.objects.get()
    assert (transfer.from_consultant, transfer.transferred_by) == (consultant, consultant)
    assert AuditEvent.objects.filter(client_id=client_of.pk, reason__contains="Verhuisd").exists()
    assert http.get(reverse("clients:detail", args=[client_of.pk])).status_code == 404


def test_temporary_access_lets_the_colleague_in_until_the_date(client_of, consultant, make_user, login) -> None:
    colleague = make_user(Role.CONSULTANT)
    assert login(colleague).get(reverse("clients:detail", args=[client_of.pk])).status_code == 404
    until = timezone.localdate() + datetime.timedelta(days=14)
    login(consultant).post(
        reverse("clients:grant_access", args=[client_of.pk]),
        {"colleague": colleague.pk, "reason": "Vakantie", "until": until.isoformat()},
    )
    grant = AccessGrant.objects.get()
    assert timezone.localtime(grant.valid_until).date() == until
    html = login(colleague).get(reverse("clients:detail", args=[client_of.pk])).content.decode()
    assert client_of.bsn in html


@pytest.mark.parametrize("days", [-1, 91])
def test_temporary_access_must_end_within_90_days(days, client_of, consultant, make_user, login) -> None:
    colleague = make_user(Role.CONSULTANT)
    until = timezone.localdate() + datetime.timedelta(days=days)
    login(consultant).post(
        reverse("clients:grant_access", args=[client_of.pk]),
        {"colleague": colleague.pk, "reason": "Vakantie", "until": until.isoformat()},
    )
    assert not AccessGrant.objects.exists()


def test_a_colleague_cannot_transfer_someone_elses_client(client_of, make_user, login) -> None:
    colleague = make_user(Role.CONSULTANT)
    response = login(colleague).post(
        reverse("clients:transfer", args=[client_of.pk]), {"to_consultant": colleague.pk, "reason": "Overnemen"}
    )
    assert response.status_code == 404
    assert not ClientTransfer.objects.exists()


def test_edit_page_query_budget(client_of, consultant, login) -> None:
    def more_flags() -> None:
        factories.ScreeningFlagFactory(client=client_of, kind="no_goal")
        factories.ScreeningFlagFactory(client=client_of, kind="cognitive_limitation")
        factories.MunicipalityFactory(organisation=client_of.organisation)

    assert_query_budget(login(consultant), reverse("clients:edit", args=[client_of.pk]), budget=14, grow=more_flags)
