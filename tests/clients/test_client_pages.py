"""Client pages: what each role sees of a dossier, audit events for every read, and the query budget."""

import pytest
from django.urls import reverse

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from tests import factories
from tests.helpers import assert_query_budget

pytestmark = pytest.mark.django_db

SPECIAL_NOTE = "NOTE-PSY-7781"
ADDICTION_NOTE = "NOTE-ADD-4410"


@pytest.fixture
def dossier(make_user, municipality):
    consultant = make_user(Role.CONSULTANT)
    trainer = make_user(Role.TRAINER)
    client = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=consultant
    )
    factories.ScreeningFlagFactory(client=client, kind="low_language", note="Spreekt weinig Nederlands")
    factories.ScreeningFlagFactory(client=client, kind="psychological_condition", note=SPECIAL_NOTE)
    factories.ScreeningFlagFactory(client=client, kind="active_addiction", note=ADDICTION_NOTE)
    run = factories.GroupRunFactory(programme__organisation=municipality.organisation, trainers=[trainer])
    factories.ParticipationFactory(group_run=run, client=client)
    return {"consultant": consultant, "trainer": trainer, "client": client}


def test_consultant_sees_the_full_dossier(dossier, login) -> None:
    html = login(dossier["consultant"]).get(reverse("clients:detail", args=[dossier["client"].pk])).content.decode()
    assert dossier["client"].bsn in html
    assert SPECIAL_NOTE in html
    assert ADDICTION_NOTE in html


def test_trainer_sees_group_needs_but_never_bsn_or_special_categories(dossier, login) -> None:
    response = login(dossier["trainer"]).get(reverse("clients:detail", args=[dossier["client"].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert dossier["client"].bsn not in html
    assert SPECIAL_NOTE not in html
    assert ADDICTION_NOTE not in html
    assert "Spreekt weinig Nederlands" not in html, "a trainer sees the need, not the consultant's note"
    assert dossier["client"].phone in html


def test_trainer_api_answer_has_no_bsn_or_special_flags(dossier, login) -> None:
    data = login(dossier["trainer"]).get(reverse("v1:client-detail", args=[dossier["client"].pk])).json()
    assert "bsn" not in data
    assert "date_of_birth" not in data
    assert {flag["kind"] for flag in data["flags"]} == {"low_language"}
    consultant = login(dossier["consultant"]).get(reverse("v1:client-detail", args=[dossier["client"].pk])).json()
    assert consultant["bsn"] == dossier["client"].bsn
    assert {flag["kind"] for flag in consultant["flags"]} == {
        "low_language",
        "psychological_condition",
        "active_addiction",
    }


def test_reading_a_dossier_writes_an_audit_event(dossier, login) -> None:
    login(dossier["consultant"]).get(reverse("clients:detail", args=[dossier["client"].pk]))
    event = AuditEvent.objects.get(action=Action.READ, client_id=dossier["client"].pk)
    assert event.actor == dossier["consultant"]
    assert event.object_type == "clients.client"
    assert event.request_id


def test_a_forbidden_dossier_answers_404_and_reveals_nothing(dossier, make_user, login) -> None:
    other = make_user(Role.CONSULTANT)
    response = login(other).get(reverse("clients:detail", args=[dossier["client"].pk]))
    assert response.status_code == 404
    assert dossier["client"].last_name not in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.READ, client_id=dossier["client"].pk).exists()


def test_list_writes_one_read_event_per_client_shown(make_user, municipality, login) -> None:
    consultant = make_user(Role.CONSULTANT)
    clients = factories.ClientFactory.create_batch(
        3, organisation=municipality.organisation, municipality=municipality, consultant=consultant
    )
    login(consultant).get(reverse("clients:list"))
    read = set(AuditEvent.objects.filter(action=Action.READ).values_list("client_id", flat=True))
    assert read == {client.pk for client in clients}


def test_list_search_by_name(make_user, municipality, login) -> None:
    consultant = make_user(Role.CONSULTANT)
    factories.ClientFactory(
        organisation=municipality.organisation,
        municipality=municipality,
        consultant=consultant,
        last_name="Zwanenburg",
    )
    factories.ClientFactory(
        organisation=municipality.organisation,
        municipality=municipality,
        consultant=consultant,
        last_name="Aydin",
    )
    html = login(consultant).get(reverse("clients:list"), {"q": "zwanen"}).content.decode()
    assert "Zwanenburg" in html
    assert "Aydin" not in html


def test_client_list_query_count_does_not_grow_with_the_caseload(make_user, municipality, login) -> None:
    consultant = make_user(Role.CONSULTANT)

    def add_clients(n: int) -> None:
        factories.ClientFactory.create_batch(
            n, organisation=municipality.organisation, municipality=municipality, consultant=consultant
        )

    add_clients(3)
    assert_query_budget(login(consultant), reverse("clients:list"), budget=12, grow=lambda: add_clients(40))


def test_client_detail_query_budget(dossier, login) -> None:
    http = login(dossier["consultant"])
    url = reverse("clients:detail", args=[dossier["client"].pk])

    def more_flags() -> None:
        factories.ScreeningFlagFactory(client=dossier["client"], kind="cognitive_limitation")
        factories.ScreeningFlagFactory(client=dossier["client"], kind="no_goal")

    assert_query_budget(http, url, budget=17, grow=more_flags)


def test_privacy_officer_sees_who_read_a_client(dossier, make_user, login) -> None:
    login(dossier["consultant"]).get(reverse("clients:detail", args=[dossier["client"].pk]))
    officer = make_user(Role.PRIVACY_OFFICER)
    http = login(officer)
    lookup = http.post(reverse("clients:access_log"), {"client": dossier["client"].bsn})
    assert lookup["Location"] == f"{reverse('clients:access_log')}?klant={dossier['client'].pk}"
    assert dossier["client"].bsn not in lookup["Location"], "a BSN never goes into a URL"
    html = http.get(lookup["Location"]).content.decode()
    assert dossier["consultant"].username in html
    assert "cliëntdossier" in html, "the fixed reason is shown in Dutch"
    assert AuditEvent.objects.filter(actor=officer, client_id=dossier["client"].pk).exists()


def test_access_log_rejects_a_bsn_that_fails_the_eleven_test(make_user, login) -> None:
    officer = make_user(Role.PRIVACY_OFFICER)
    response = login(officer).post(reverse("clients:access_log"), {"client": "123456789"})
    assert "elfproef" in response.content.decode() or "eleven test" in response.content.decode()


def test_access_log_query_budget(dossier, make_user, login) -> None:
    login(dossier["consultant"]).get(reverse("clients:detail", args=[dossier["client"].pk]))
    officer = make_user(Role.PRIVACY_OFFICER)
    http = login(officer)
    url = reverse("clients:access_log") + f"?klant={dossier['client'].pk}"

    def more_reads() -> None:
        for _ in range(5):
            login(dossier["consultant"]).get(reverse("clients:detail", args=[dossier["client"].pk]))

    assert_query_budget(http, url, budget=12, grow=more_reads)


def test_access_log_lookup_without_match_is_on_record(make_user, login) -> None:
    officer = make_user(Role.PRIVACY_OFFICER)
    response = login(officer).post(reverse("clients:access_log"), {"client": "111222333"})
    assert response.status_code == 200
    assert AuditEvent.objects.filter(actor=officer, reason="access log lookup without a match").exists()


def test_api_detail_with_a_non_numeric_id_is_404_not_500(dossier, login) -> None:
    assert login(dossier["consultant"]).get("/api/v1/clients/abc/").status_code == 404
