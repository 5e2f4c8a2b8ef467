"""The printable attendance list: a real tagged PDF with the expected participants, and nothing of the dossier."""

import datetime
import re

import pytest
from django.urls import reverse

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from tests import factories
from tests.groupwork.attendance_helpers import add_participant, running_group
from tests.helpers import assert_query_budget, captured_pdf_html, inflated_pdf, laid_out_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER)


@pytest.fixture
def group(organisation, trainer):
    return running_group(organisation, trainer)


def _url(session) -> str:
    return reverse("groupwork:session_attendance_pdf", kwargs={"pk": session.pk})


def test_the_list_is_a_tagged_pdf_with_the_participants_and_no_bsn(group, trainer, login, monkeypatch) -> None:
    captured = captured_pdf_html(monkeypatch)
    session = group.sessions[1]
    response = login(trainer).get(_url(session))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"/StructTreeRoot" in inflated_pdf(response.content)
    text = laid_out_text(captured[0])
    assert group.run.programme.name in text
    assert trainer.get_full_name() in text
    for participation in group.participations:
        client = participation.client
        assert client.full_name in text
        assert client.bsn not in text
        assert client.bsn not in captured[0]
        assert client.bsn[-4:] not in captured[0]
        assert client.email not in captured[0]


def test_only_participants_expected_on_that_day_are_listed(group, trainer, login, monkeypatch) -> None:
    captured = captured_pdf_html(monkeypatch)
    session = group.sessions[1]
    later = add_participant(group.run, joined_on=session.date + datetime.timedelta(days=1))
    gone = add_participant(group.run)
    gone.left_on = session.date - datetime.timedelta(days=1)
    gone.save()
    login(trainer).get(_url(session))
    assert later.client.full_name not in captured[0]
    assert gone.client.full_name not in captured[0]
    assert group.participations[0].client.full_name in captured[0]


def test_a_continuous_group_gets_empty_rows_for_newcomers(organisation, trainer, login, monkeypatch) -> None:
    captured = captured_pdf_html(monkeypatch)
    continuous = running_group(organisation, trainer, participants=2, is_continuous=True, max_size=8)
    cohort = running_group(organisation, trainer, participants=2, max_size=8)
    http = login(trainer)
    http.get(_url(continuous.sessions[0]))
    http.get(_url(cohort.sessions[0]))
    rows = [html.count("<tr><td") + html.count("<tr><th") for html in captured]
    assert rows[0] - rows[1] == 6  # up to the maximum group size of 8


def test_printing_is_on_record_per_participant(group, trainer, login) -> None:
    session = group.sessions[0]
    login(trainer).get(_url(session))
    printed = AuditEvent.objects.filter(actor=trainer, action=Action.PRINT, object_type="groupwork.session")
    assert set(printed.values_list("client_id", flat=True)) == {p.client_id for p in group.participations}
    assert set(printed.values_list("object_id", flat=True)) == {str(session.pk)}


def test_the_file_name_has_the_session_and_date_but_no_name(group, trainer, login) -> None:
    session = group.sessions[0]
    disposition = login(trainer).get(_url(session))["Content-Disposition"]
    assert re.fullmatch(rf'attachment; filename="[a-z-]+-{session.pk}-{session.date:%Y%m%d}\.pdf"', disposition)


def test_access_trainer_of_the_run_and_planners_only(group, make_user, login) -> None:
    session = group.sessions[0]
    other_trainer = make_user(Role.TRAINER)
    assert login(make_user(Role.PLANNER)).get(_url(session)).status_code == 200
    assert login(other_trainer).get(_url(session)).status_code == 404
    assert login(make_user(Role.CONSULTANT)).get(_url(session)).status_code == 403
    assert not AuditEvent.objects.filter(action=Action.PRINT, actor=other_trainer).exists()


def test_a_planner_of_another_organisation_gets_404(group, login) -> None:
    elsewhere = factories.OrganisationFactory(name="Ander Werkbedrijf")
    planner = factories.UserFactory(organisation=elsewhere, roles=[Role.PLANNER])
    assert login(planner).get(_url(group.sessions[0])).status_code == 404


def test_pdf_query_budget(group, trainer, login) -> None:
    assert_query_budget(login(trainer), _url(group.sessions[0]), budget=12, grow=lambda: group.add_participants(6))
