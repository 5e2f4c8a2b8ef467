"""The trainer's session log: saved with a version check, shown beside the protocol of that session."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.groupwork.attendance_forms import PHASE_DESCRIPTIONS
from koers.groupwork.attendance_services import StaleEditError, save_session_log
from koers.groupwork.models import Session
from tests import groupwork_factories as gw
from tests.groupwork.attendance_helpers import running_group
from tests.helpers import assert_query_budget

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER)


@pytest.fixture
def session(organisation, trainer):
    return running_group(organisation, trainer, participants=1).sessions[1]


def _url(session) -> str:
    return reverse("groupwork:session_log", kwargs={"pk": session.pk})


def _log(version: int, **changes: str) -> dict[str, str | int]:
    return {
        "version": version,
        "log_done": "Kennismaking en groepsafspraken",
        "group_phase": "forming",
        "norms_and_roles": "Afspraak: telefoons weg. Een deelnemer neemt de leiding.",
        "protocol_deviation": "",
        **changes,
    }


def test_saving_the_log_stores_it_with_author_and_new_version(session, trainer, login) -> None:
    response = login(trainer).post(_url(session), _log(session.version))
    assert response.status_code == 302
    assert response["Location"] == reverse("groupwork:trainer_home")
    saved = Session.objects.get(pk=session.pk)
    assert saved.log_done == "Kennismaking en groepsafspraken"
    assert saved.group_phase == "forming"
    assert saved.norms_and_roles.startswith("Afspraak")
    assert (saved.logged_by, saved.version) == (trainer, session.version + 1)
    assert saved.logged_at is not None
    assert AuditEvent.objects.filter(
        actor=trainer, action=Action.UPDATE, object_type="groupwork.session", reason="session log saved"
    ).exists()


def test_a_version_conflict_keeps_the_input_and_saves_nothing(session, trainer, make_user, login) -> None:
    colleague = make_user(Role.TRAINER)
    session.group_run.trainers.add(colleague)
    save_session_log(
        colleague,
        session,
        version=session.version,
        log_done="Versie van de collega",
        group_phase="storming",
        norms_and_roles="",
        protocol_deviation="",
    )
    stale = _log(session.version - 1, protocol_deviation="Rollenspel overgeslagen: de groep was te onrustig")
    response = login(trainer).post(_url(session), stale)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="stale-edit"' in html
    assert "Rollenspel overgeslagen: de groep was te onrustig" in html
    assert re.search(r'value="forming" checked', html)
    saved = Session.objects.get(pk=session.pk)
    assert (saved.log_done, saved.group_phase, saved.logged_by) == ("Versie van de collega", "storming", colleague)


def test_the_service_refuses_a_stale_version(session, trainer) -> None:
    with pytest.raises(StaleEditError):
        save_session_log(
            trainer,
            session,
            version=session.version + 3,
            log_done="",
            group_phase="",
            norms_and_roles="",
            protocol_deviation="",
        )


def test_an_unknown_group_phase_is_refused(session, trainer, login) -> None:
    response = login(trainer).post(_url(session), _log(session.version, group_phase="chaos"))
    assert response.status_code == 200
    assert Session.objects.get(pk=session.pk).version == session.version


def test_the_page_shows_each_phase_with_its_explanation_as_a_radio_in_a_fieldset(session, trainer, login) -> None:
    html = login(trainer).get(_url(session)).content.decode()
    phases = re.findall(r'type="radio"[^>]*name="group_phase"[^>]*value="(\w+)"', html)
    assert phases == ["forming", "storming", "norming", "performing", "adjourning"]
    assert "<legend" in html
    with translation.override(settings.LANGUAGE_CODE):
        assert all(str(description) in html for description in PHASE_DESCRIPTIONS.values())


def test_the_protocol_of_this_session_number_is_shown_beside_the_log(session, trainer, login) -> None:
    programme = session.group_run.programme
    gw.ProgrammeSessionFactory(
        programme=programme, number=session.number, title="Wie ben ik?", content="Kwaliteitenspel"
    )
    gw.ProgrammeSessionFactory(programme=programme, number=session.number + 1, title="Solliciteren", content="CV")
    html = login(trainer).get(_url(session)).content.decode()
    assert "Wie ben ik?" in html
    assert "Kwaliteitenspel" in html
    assert "Solliciteren" not in html


def test_the_form_opens_with_the_saved_log(session, trainer, login) -> None:
    save_session_log(
        trainer,
        session,
        version=session.version,
        log_done="Oefening met de kwaliteitenkaarten",
        group_phase="norming",
        norms_and_roles="",
        protocol_deviation="",
    )
    html = login(trainer).get(_url(session)).content.decode()
    assert "Oefening met de kwaliteitenkaarten" in html
    assert re.search(r'value="norming" checked', html)
    assert 'data-testid="last-saved"' in html


def test_only_the_runs_own_trainers_may_write_the_log(session, make_user, login) -> None:
    assert login(make_user(Role.TRAINER)).get(_url(session)).status_code == 404
    assert login(make_user(Role.TRAINER)).post(_url(session), _log(session.version)).status_code == 404
    assert login(make_user(Role.CONSULTANT)).get(_url(session)).status_code == 403
    assert login(make_user(Role.PLANNER)).get(_url(session)).status_code == 403
    assert Session.objects.get(pk=session.pk).version == session.version


def test_page_query_budget(session, trainer, login) -> None:
    def more_protocol_and_participants() -> None:
        for number in range(1, 7):
            gw.ProgrammeSessionFactory(programme=session.group_run.programme, number=number)

    assert_query_budget(login(trainer), _url(session), budget=10, grow=more_protocol_and_participants)
