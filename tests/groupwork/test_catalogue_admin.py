"""The programme catalogue in the administrator's configuration screen: every field, the protocol, the evaluation
questionnaires, and the rules the form enforces. Other organisations and other roles stay out."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format

from koers.accounts.roles import Role
from koers.groupwork.models import EvaluationResponse, Programme, Questionnaire, Room, TrainerProfile
from tests import factories
from tests import groupwork_factories as gw

pytestmark = pytest.mark.django_db

ADD_URL = "admin:groupwork_programme_add"


@pytest.fixture
def administrator(make_user):
    return make_user(Role.ADMINISTRATOR)


def _management(prefix: str, total: int, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _programme_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Sterker naar werk",
        "slug": "sterker-naar-werk",
        "goal_type": "mindset",
        "description": "Samen oefenen.",
        "learning_goals": "Sterke kanten benoemen.",
        "target_group": "Werkzoekenden.",
        "selection_criteria": "Wil in een groep werken.",
        "contra_indications": ["no_goal", "acute_crisis"],
        "contra_indication_notes": "",
        "session_count": "2",
        "session_minutes": "150",
        "min_size": "8",
        "max_size": "15",
        "small_group_max_size": "",
        "is_mandatory": "on",
        "mandatory_reason": "Het hoort bij de afspraken over uw uitkering.",
        "deadline_weeks": "4",
        "what_to_bring": "Pen en papier.",
        "evaluation_plan": "Na de laatste bijeenkomst.",
        "prep_hours": "1.50",
        "materials_hours": "0.50",
        "arrangements_hours": "0.50",
        "setup_hours": "0.75",
        "clearing_hours": "0.25",
        "report_hours": "0.50",
        "is_published": "on",
        "is_active": "on",
        **_management("protocol", 2),
        "protocol-0-number": "1",
        "protocol-0-title": "Kennismaken",
        "protocol-0-content": "Verwachtingen en groepsafspraken.",
        "protocol-1-number": "2",
        "protocol-1-title": "Sterke kanten",
        "protocol-1-content": "",
    }
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def _errors(response) -> str:
    assert response.status_code == 200, "the form was accepted"
    return response.content.decode()


def _message(text: str, **values: object) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(text) % values if values else translation.gettext(text)


def test_administrator_adds_a_programme_with_its_protocol(administrator, login) -> None:
    response = login(administrator).post(reverse(ADD_URL), _programme_data())
    assert response.status_code == 302, response.content.decode()[:3000]
    programme = Programme.objects.get(slug="sterker-naar-werk")
    assert programme.organisation_id == administrator.organisation_id
    assert programme.contra_indications == ["acute_crisis", "no_goal"]
    assert programme.is_mandatory
    assert programme.deadline_weeks == 4
    assert list(programme.protocol.values_list("number", "title")) == [(1, "Kennismaken"), (2, "Sterke kanten")]


def test_the_change_page_shows_every_catalogue_field_and_the_trainer_hours(administrator, login) -> None:
    programme = factories.ProgrammeFactory(organisation=administrator.organisation, session_minutes=480)
    html = login(administrator).get(reverse("admin:groupwork_programme_change", args=[programme.pk])).content.decode()
    field_names = {f.name for f in Programme._meta.fields} - {"id", "organisation"}
    missing = [name for name in field_names if f'name="{name}"' not in html]
    assert not missing
    assert 'value="psychological_condition"' in html  # every screening flag kind can be a contra-indication
    with translation.override(settings.LANGUAGE_CODE):
        assert number_format(Decimal("12.00"), decimal_pos=2) in html
    assert 'name="protocol-TOTAL_FORMS"' in html
    assert reverse("admin:groupwork_questionnaire_add") + f"?programme={programme.pk}" in html


def _field_errors(html: str, field: str) -> str:
    start = html.index(f'id="id_{field}_error"')
    return html[start : html.index("</ul>", start)]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"min_size": "10", "max_size": "6"},
            "max_size",
            "The maximum group size cannot be smaller than the minimum group size.",
        ),
        (
            {"offers_small_group": "on", "small_group_max_size": "15"},
            "small_group_max_size",
            "The small-group variant must be smaller than the maximum group size.",
        ),
        (
            {"is_mandatory": None, "mandatory_reason": ""},
            "deadline_weeks",
            "A start deadline applies only to a mandatory programme.",
        ),
        (
            {"mandatory_reason": "  "},
            "mandatory_reason",
            "Say why the programme is mandatory: every invitation states the reason.",
        ),
        (
            {"contra_indications": ["no_goal", "likes_coffee"]},
            "contra_indications",
            "Select a valid choice. %(value)s is not one of the available choices.",
        ),
    ],
)
def test_the_form_refuses_an_inconsistent_programme(administrator, login, changes, field, message) -> None:
    html = _errors(login(administrator).post(reverse(ADD_URL), _programme_data(**changes)))
    expected = _message(message, value="likes_coffee") if "%(value)s" in message else _message(message)
    assert expected in _field_errors(html, field)
    assert not Programme.objects.exists()


def test_a_protocol_session_beyond_the_number_of_sessions_is_refused(administrator, login) -> None:
    data = _programme_data(**{"protocol-1-number": "3"})
    html = _errors(login(administrator).post(reverse(ADD_URL), data))
    assert _message("The programme has %(count)s sessions: there is no session %(number)s.", count=2, number=3) in html
    assert not Programme.objects.exists()


def test_lowering_the_number_of_sessions_below_the_protocol_is_refused(administrator, login) -> None:
    programme = factories.ProgrammeFactory(organisation=administrator.organisation, session_count=3)
    sessions = [gw.ProgrammeSessionFactory(programme=programme, number=n) for n in (1, 2, 3)]
    data = _programme_data(slug=programme.slug, session_count="2", **_management("protocol", 3, initial=3))
    for i, session in enumerate(sessions):
        data.update(
            {
                f"protocol-{i}-id": str(session.pk),
                f"protocol-{i}-programme": str(programme.pk),
                f"protocol-{i}-number": str(session.number),
                f"protocol-{i}-title": session.title,
                f"protocol-{i}-content": session.content,
            }
        )
    response = login(administrator).post(reverse("admin:groupwork_programme_change", args=[programme.pk]), data)
    assert _message("The programme has %(count)s sessions: there is no session %(number)s.", count=2, number=3) in (
        _errors(response)
    )
    programme.refresh_from_db()
    assert programme.session_count == 3


def test_a_short_name_is_unique_within_the_organisation(administrator, login) -> None:
    factories.ProgrammeFactory(organisation=administrator.organisation, slug="sterker-naar-werk")
    html = _errors(login(administrator).post(reverse(ADD_URL), _programme_data()))
    assert _message("Another programme of your organisation already has this short name.") in html


def test_another_organisations_catalogue_is_not_visible(administrator, login) -> None:
    elsewhere = factories.OrganisationFactory(name="Ander werkbedrijf")
    foreign = factories.ProgrammeFactory(organisation=elsewhere, name="Vreemd aanbod")
    foreign_questionnaire = gw.QuestionnaireFactory(programme=foreign, title="Vreemde vragenlijst")
    factories.RoomFactory(organisation=elsewhere, name="Vreemde zaal")
    http = login(administrator)
    assert "Vreemd aanbod" not in http.get(reverse("admin:groupwork_programme_changelist")).content.decode()
    assert "Vreemde vragenlijst" not in http.get(reverse("admin:groupwork_questionnaire_changelist")).content.decode()
    assert "Vreemde zaal" not in http.get(reverse("admin:groupwork_room_changelist")).content.decode()
    assert http.get(reverse("admin:groupwork_programme_change", args=[foreign.pk])).status_code == 302
    assert http.get(reverse("admin:groupwork_questionnaire_change", args=[foreign_questionnaire.pk])).status_code == 302
    add_page = http.get(reverse("admin:groupwork_questionnaire_add")).content.decode()
    assert "Vreemd aanbod" not in add_page


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMINISTRATOR])
def test_other_roles_get_no_access_to_the_catalogue(role, make_user, login) -> None:
    programme = factories.ProgrammeFactory()
    http = login(make_user(role))
    for url in (
        reverse("admin:groupwork_programme_changelist"),
        reverse("admin:groupwork_programme_change", args=[programme.pk]),
        reverse(ADD_URL),
        reverse("admin:groupwork_questionnaire_changelist"),
    ):
        response = http.get(url)
        assert response.status_code == 302, url
        assert "/beheer/login/" in response["Location"], url
    assert http.post(reverse(ADD_URL), _programme_data()).status_code == 302
    assert not Programme.objects.filter(slug="sterker-naar-werk").exists()


def test_programmes_cannot_be_deleted(administrator, login) -> None:
    programme = factories.ProgrammeFactory(organisation=administrator.organisation)
    response = login(administrator).get(reverse("admin:groupwork_programme_delete", args=[programme.pk]))
    assert response.status_code == 403


def test_administrator_adds_an_evaluation_questionnaire_with_questions(administrator, login) -> None:
    programme = factories.ProgrammeFactory(organisation=administrator.organisation)
    data = {
        "programme": str(programme.pk),
        "perspective": "participant",
        "title": "Wat vond u ervan?",
        "introduction": "Het kost vijf minuten.",
        **_management("questions", 2),
        "questions-0-position": "1",
        "questions-0-text": "De training hielp mij verder.",
        "questions-0-kind": "scale",
        "questions-1-position": "2",
        "questions-1-text": "Wat kan beter?",
        "questions-1-kind": "text",
    }
    response = login(administrator).post(reverse("admin:groupwork_questionnaire_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    questionnaire = Questionnaire.objects.get(programme=programme)
    assert list(questionnaire.questions.values_list("position", "kind")) == [(1, "scale"), (2, "text")]


def test_questions_are_fixed_once_answered(administrator, login) -> None:
    question = gw.QuestionFactory(questionnaire__programme__organisation=administrator.organisation)
    run = factories.GroupRunFactory(programme=question.questionnaire.programme)
    EvaluationResponse.objects.create(questionnaire=question.questionnaire, group_run=run, perspective="participant")
    url = reverse("admin:groupwork_questionnaire_change", args=[question.questionnaire.pk])
    html = login(administrator).get(url).content.decode()
    assert question.text in html
    assert 'name="questions-0-text"' not in html


def test_rooms_show_every_suitability_field(administrator, login) -> None:
    room = factories.RoomFactory(organisation=administrator.organisation)
    html = login(administrator).get(reverse("admin:groupwork_room_change", args=[room.pk])).content.decode()
    field_names = {f.name for f in Room._meta.fields} - {"id", "organisation"}
    missing = [name for name in field_names if f'name="{name}"' not in html]
    assert not missing


def test_the_trainer_pool_holds_switching_time_and_only_trainers(administrator, make_user, login) -> None:
    trainer = make_user(Role.TRAINER)
    consultant = make_user(Role.CONSULTANT)
    http = login(administrator)
    html = http.get(reverse("admin:groupwork_trainerprofile_add")).content.decode()
    assert 'name="switching_minutes"' in html
    users = html[html.index('name="user"') : html.index("</select>", html.index('name="user"'))]
    assert f'value="{trainer.pk}"' in users
    assert f'value="{consultant.pk}"' not in users
    response = http.post(
        reverse("admin:groupwork_trainerprofile_add"),
        {"user": str(trainer.pk), "hours_per_week": "12.0", "switching_minutes": "20", "competences": ""},
    )
    assert response.status_code == 302
    assert TrainerProfile.objects.get(user=trainer).switching_minutes == 20
