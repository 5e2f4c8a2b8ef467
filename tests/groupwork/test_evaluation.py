import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.db import models
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from koers.accounts.roles import Role
from koers.audit.models import AuditEvent
from koers.groupwork import evaluation_services as services
from koers.groupwork.models import (
    Answer,
    EvaluationInvite,
    EvaluationResponse,
    GroupRun,
    Participation,
    Perspective,
    Questionnaire,
)
from tests import factories
from tests import groupwork_factories as gw
from tests.helpers import assert_query_budget, captured_pdf_html, count_queries

pytestmark = pytest.mark.django_db

TOKEN_IN_TEXT = re.compile(r"/vragenlijst/([A-Za-z0-9_-]{20,})/")


@pytest.fixture
def people(make_user) -> dict[str, Any]:
    return {
        "planner": make_user(Role.PLANNER),
        "trainer": make_user(Role.TRAINER),
        "other_trainer": make_user(Role.TRAINER),
        "consultant": make_user(Role.CONSULTANT),
        "team_manager": make_user(Role.TEAM_MANAGER),
        "policy": make_user(Role.POLICY),
    }


@pytest.fixture
def programme(organisation) -> Any:
    programme = factories.ProgrammeFactory(organisation=organisation, name="Empowermenttraining Noord")
    participant = gw.QuestionnaireFactory(
        programme=programme,
        perspective=Perspective.PARTICIPANT,
        title="Wat vond u van de training?",
        introduction="Het kost ongeveer 5 minuten.",
    )
    gw.QuestionFactory(questionnaire=participant, position=1, text="De training hielp mij verder.")
    gw.QuestionFactory(questionnaire=participant, position=2, text="De trainer legde goed uit.")
    gw.QuestionFactory(questionnaire=participant, position=3, text="Wat kan beter?", kind="text")
    trainer = gw.QuestionnaireFactory(programme=programme, perspective=Perspective.TRAINER, title="Trainer")
    gw.QuestionFactory(questionnaire=trainer, position=1, text="De groep werkte goed samen.")
    consultant = gw.QuestionnaireFactory(programme=programme, perspective=Perspective.CONSULTANT, title="Consulent")
    gw.QuestionFactory(questionnaire=consultant, position=1, text="Mijn cliënt had er baat bij.")
    return programme


@pytest.fixture
def run(programme, people, municipality) -> GroupRun:
    run = factories.GroupRunFactory.create(programme=programme, trainers=[people["trainer"]])
    for email in ("anna@example.org", "bram@example.org", ""):
        factories.ParticipationFactory(
            group_run=run,
            client__organisation=programme.organisation,
            client__municipality=municipality,
            client__consultant=people["consultant"],
            client__email=email,
        )
    return run


def _start(run: GroupRun, by: Any, django_capture_on_commit_callbacks: Any, **kwargs: Any) -> services.EvaluationStart:
    with django_capture_on_commit_callbacks(execute=True):
        return services.start_evaluation(by, run, **kwargs)


def _tokens(outcome: services.EvaluationStart) -> list[str]:
    """The raw tokens handed out: in the e-mails sent and on the sheets to print."""
    texts = [str(message.body) for message in mail.outbox] + [link.url for link in outcome.printed]
    return [match.group(1) for text in texts for match in TOKEN_IN_TEXT.finditer(text)]


def _participant_questionnaire(run: GroupRun) -> Questionnaire:
    return Questionnaire.objects.get(programme=run.programme, perspective=Perspective.PARTICIPANT)


def _answers(questionnaire: Questionnaire, score: int, text: str = "") -> dict[int, int | str | None]:
    return {q.pk: (score if q.kind == "scale" else text) for q in questionnaire.questions.all()}


def _respond(run: GroupRun, scores: list[int], perspective: str = Perspective.PARTICIPANT) -> None:
    """Responses as if participants (or staff) answered, one per score."""
    questionnaire = Questionnaire.objects.get(programme=run.programme, perspective=perspective)
    for score in scores:
        participation = factories.ParticipationFactory(group_run=run, client__organisation=run.programme.organisation)
        _raw, hashed = services.new_token()
        invite = EvaluationInvite.objects.create(
            questionnaire=questionnaire,
            group_run=run,
            participation=participation,
            token_hash=hashed,
            expires_at=timezone.now() + datetime.timedelta(days=1),
        )
        services.submit_answers(invite, _answers(questionnaire, score, text=f"Antwoord {score}"))


def _invite(run: GroupRun, **kwargs: Any) -> tuple[str, EvaluationInvite]:
    raw, hashed = services.new_token()
    defaults = {
        "questionnaire": _participant_questionnaire(run),
        "group_run": run,
        "participation": run.participations.first(),
        "token_hash": hashed,
        "expires_at": timezone.now() + datetime.timedelta(days=7),
    }
    return raw, EvaluationInvite.objects.create(**{**defaults, **kwargs})


# Starting the evaluation ------------------------------------------------------------------------------------------


def test_token_is_stored_hashed_and_the_raw_token_nowhere(run, people, django_capture_on_commit_callbacks) -> None:
    outcome = _start(run, people["planner"], django_capture_on_commit_callbacks)
    tokens = _tokens(outcome)
    assert len(tokens) == 3
    stored = set(EvaluationInvite.objects.exclude(token_hash=None).values_list("token_hash", flat=True))
    assert stored == {services.hash_token(token) for token in tokens}
    for token in tokens:
        assert len(token) >= 43
        assert not EvaluationInvite.objects.filter(token_hash=token).exists()
        assert not AuditEvent.objects.filter(reason__contains=token).exists()


def test_participants_with_email_get_their_link_by_mail_the_others_on_paper(
    run, people, django_capture_on_commit_callbacks
) -> None:
    outcome = _start(run, people["trainer"], django_capture_on_commit_callbacks)
    assert outcome.emailed == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.org", "bram@example.org"]
    assert mail.outbox[0].body.count("http://") == 1
    without_email = run.participations.get(client__email="")
    assert [link.participation.pk for link in outcome.printed] == [without_email.pk]
    assert outcome.printed[0].url.startswith("http")


def test_links_use_the_site_url_setting(run, people, settings, django_capture_on_commit_callbacks) -> None:
    settings.KOERS_SITE_URL = "https://koers.example.nl"
    outcome = _start(run, people["planner"], django_capture_on_commit_callbacks)
    assert outcome.printed[0].url.startswith("https://koers.example.nl/vragenlijst/")
    assert "https://koers.example.nl/vragenlijst/" in mail.outbox[0].body


def test_staff_are_invited_once_and_participants_get_new_links_that_close_the_old(
    run, people, django_capture_on_commit_callbacks
) -> None:
    first = _start(run, people["planner"], django_capture_on_commit_callbacks)
    assert first.staff_invited == 2  # the trainer and the one consultant of all three participants
    old_tokens = _tokens(first)
    mail.outbox.clear()
    second = _start(run, people["planner"], django_capture_on_commit_callbacks)
    assert second.staff_invited == 0
    assert second.replaced == 3
    assert EvaluationInvite.objects.filter(respondent__isnull=False).count() == 2
    for token in old_tokens:
        invite = services.find_invite(token)
        assert invite is None or not services.is_open(invite)
    assert all(services.is_open(services.find_invite(token)) for token in _tokens(second))  # type: ignore[arg-type]


def test_a_participant_who_answered_is_not_invited_again(run, people, django_capture_on_commit_callbacks) -> None:
    first = _start(run, people["planner"], django_capture_on_commit_callbacks)
    invite = services.find_invite(first.printed[0].url.rstrip("/").rsplit("/", 1)[1])
    assert invite is not None
    services.submit_answers(invite, _answers(invite.questionnaire, 4))
    mail.outbox.clear()
    second = _start(run, people["planner"], django_capture_on_commit_callbacks)
    assert second.printed == []
    assert len(mail.outbox) == 2


def test_issuing_links_is_on_record_per_participant_but_answering_is_not(
    run, people, django_capture_on_commit_callbacks
) -> None:
    outcome = _start(run, people["planner"], django_capture_on_commit_callbacks)
    events = AuditEvent.objects.filter(actor=people["planner"], object_type="groupwork.evaluationinvite")
    on_record = dict(events.values_list("client_id", "reason"))
    assert on_record == {
        p.client_id: "evaluation link e-mailed" if p.client.email else "evaluation link printed"
        for p in run.participations.select_related("client")
    }
    invite = services.find_invite(_tokens(outcome)[0])
    assert invite is not None
    before = AuditEvent.objects.count()
    services.submit_answers(invite, _answers(invite.questionnaire, 3))
    assert AuditEvent.objects.count() == before


def test_mail_failure_is_counted_and_the_links_stay(
    run, people, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    class Broken:
        def send_messages(self, messages: list[Any]) -> int:
            raise OSError("mail server down")

    monkeypatch.setattr(services, "get_connection", lambda: Broken())
    outcome = _start(run, people["planner"], django_capture_on_commit_callbacks)
    assert (outcome.emailed, outcome.email_failed) == (0, 2)
    assert EvaluationInvite.objects.filter(participation__isnull=False, token_hash__isnull=False).count() == 3


def test_only_planner_or_trainer_of_the_run_may_start(run, people, django_capture_on_commit_callbacks) -> None:
    from django.core.exceptions import PermissionDenied

    for role in ("other_trainer", "consultant", "policy"):
        with pytest.raises(PermissionDenied):
            services.start_evaluation(people[role], run)
    assert not EvaluationInvite.objects.exists()


def test_a_programme_without_questionnaires_cannot_start(people, organisation) -> None:
    run = factories.GroupRunFactory.create(programme__organisation=organisation, trainers=[people["trainer"]])
    with pytest.raises(services.NoQuestionnaireError):
        services.start_evaluation(people["trainer"], run)


# Answering ----------------------------------------------------------------------------------------------------------


def test_answers_are_saved_once_and_the_link_then_closes(run, client) -> None:
    raw, invite = _invite(run)
    questionnaire = invite.questionnaire
    data = {f"question_{q.pk}": "4" if q.kind == "scale" else "Meer oefenen." for q in questionnaire.questions.all()}
    url = reverse("groupwork:evaluation_answer", kwargs={"token": raw})
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("groupwork:evaluation_thanks")
    saved = EvaluationResponse.objects.get()
    assert saved.perspective == Perspective.PARTICIPANT
    assert sorted(saved.answers.values_list("score", flat=True), key=str) == sorted([4, 4, None], key=str)
    assert saved.answers.get(question__kind="text").text == "Meer oefenen."
    again = client.post(url, data)
    assert again.status_code == 410
    assert EvaluationResponse.objects.count() == 1
    assert client.get(url).status_code == 410


def test_every_scale_question_must_be_answered(run, client) -> None:
    raw, invite = _invite(run)
    first = invite.questionnaire.questions.filter(kind="scale").first()
    url = reverse("groupwork:evaluation_answer", kwargs={"token": raw})
    response = client.post(url, {f"question_{first.pk}": "3"})
    assert response.status_code == 200
    assert "Choose an answer." in response.content.decode() or "Kies een antwoord" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not EvaluationResponse.objects.exists()
    invite.refresh_from_db()
    assert invite.used_at is None


def test_submit_refuses_scores_outside_one_to_five(run) -> None:
    _raw, invite = _invite(run)
    with pytest.raises(services.IncompleteAnswersError):
        services.submit_answers(invite, _answers(invite.questionnaire, 6))
    with pytest.raises(services.IncompleteAnswersError):
        services.submit_answers(invite, _answers(invite.questionnaire, 0))
    assert not EvaluationResponse.objects.exists()


def test_expired_link_is_refused(run, client) -> None:
    raw, invite = _invite(run, expires_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(services.InviteClosedError):
        services.submit_answers(invite, _answers(invite.questionnaire, 3))
    assert client.get(reverse("groupwork:evaluation_answer", kwargs={"token": raw})).status_code == 410


def test_used_link_is_refused_by_the_service(run) -> None:
    _raw, invite = _invite(run)
    services.submit_answers(invite, _answers(invite.questionnaire, 3))
    with pytest.raises(services.InviteClosedError):
        services.submit_answers(invite, _answers(invite.questionnaire, 3))


def _main(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def test_unknown_expired_and_used_links_get_the_same_neutral_page(run, client) -> None:
    expired, _ = _invite(run, expires_at=timezone.now() - datetime.timedelta(days=1))
    used, invite = _invite(run, participation=run.participations.last())
    services.submit_answers(invite, _answers(invite.questionnaire, 2))
    pages = {
        name: client.get(reverse("groupwork:evaluation_answer", kwargs={"token": token}))
        for name, token in (("unknown", "x" * 43), ("expired", expired), ("used", used))
    }
    assert pages["unknown"].status_code == 404
    assert pages["expired"].status_code == pages["used"].status_code == 410
    bodies = {_main(page.content.decode()) for page in pages.values()}
    assert len(bodies) == 1
    assert run.programme.name not in bodies.pop()
    for page in pages.values():
        assert page["Referrer-Policy"] == "no-referrer"
        assert "no-store" in page["Cache-Control"]


def test_public_page_shows_the_questionnaire_and_nothing_about_the_person(run, client) -> None:
    raw, invite = _invite(run)
    participation = invite.participation
    assert participation is not None
    person = participation.client
    response = client.get(reverse("groupwork:evaluation_answer", kwargs={"token": raw}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Wat vond u van de training?" in html
    assert "Het kost ongeveer 5 minuten." in html
    assert run.programme.name in html
    assert "De training hielp mij verder." in html
    for personal in (person.first_name, person.last_name, person.email, person.bsn, person.phone):
        assert personal not in html
    assert f"{run.start_date:%d-%m-%Y}" not in html
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "no-store"


def test_scale_question_is_a_fieldset_of_five_labelled_radio_buttons(run, client) -> None:
    raw, invite = _invite(run)
    question = invite.questionnaire.questions.filter(kind="scale").first()
    html = client.get(reverse("groupwork:evaluation_answer", kwargs={"token": raw})).content.decode()
    fieldset = html.split(f'data-question="{question.pk}"', 1)[1].split("</fieldset>", 1)[0]
    assert "<legend" in fieldset
    assert question.text in fieldset
    radios = re.findall(r'<input type="radio"[^>]*id="([^"]+)"', fieldset)
    assert len(radios) == 5
    for radio_id in radios:
        assert f'for="{radio_id}"' in fieldset


def test_public_answer_is_accepted_with_the_origin_a_no_referrer_page_sends(run) -> None:
    """Under Referrer-Policy: no-referrer browsers post with Origin: null; the secret token guards the form."""
    raw, invite = _invite(run)
    http = HttpClient(enforce_csrf_checks=True)
    data = {f"question_{q.pk}": "3" for q in invite.questionnaire.questions.all()}
    response = http.post(reverse("groupwork:evaluation_answer", kwargs={"token": raw}), data, HTTP_ORIGIN="null")
    assert response.status_code == 302
    assert EvaluationResponse.objects.count() == 1


def test_a_forged_post_without_the_token_saves_nothing(run) -> None:
    _raw, invite = _invite(run)
    http = HttpClient(enforce_csrf_checks=True)
    data = {f"question_{q.pk}": "3" for q in invite.questionnaire.questions.all()}
    response = http.post(reverse("groupwork:evaluation_answer", kwargs={"token": "guess" * 9}), data)
    assert response.status_code == 404
    assert not EvaluationResponse.objects.exists()


def test_answers_are_not_linked_to_the_person(run) -> None:
    person_models = {Participation, EvaluationInvite, GroupRun.trainers.rel.model}
    from koers.clients.models import Client

    person_models.add(Client)
    for model in (EvaluationResponse, Answer):
        targets = {f.related_model for f in model._meta.get_fields() if isinstance(f, models.ForeignKey)}
        assert not targets & person_models, model
    _raw, invite = _invite(run)
    services.submit_answers(invite, _answers(invite.questionnaire, 5))
    invite.refresh_from_db()
    response = EvaluationResponse.objects.get()
    # Only the day is kept on both sides, so invite and response cannot be matched by the moment of answering.
    for moment in (invite.used_at, response.submitted_at):
        assert moment is not None
        local = timezone.localtime(moment)
        assert (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0)


def test_thanks_page_is_public_and_private(client) -> None:
    response = client.get(reverse("groupwork:evaluation_thanks"))
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"


# Staff invites ------------------------------------------------------------------------------------------------------


def test_staff_invite_opens_only_for_its_own_user(run, people, login, django_capture_on_commit_callbacks) -> None:
    _start(run, people["planner"], django_capture_on_commit_callbacks)
    trainer_invite = EvaluationInvite.objects.get(respondent=people["trainer"])
    url = reverse("groupwork:staff_evaluation_answer", kwargs={"pk": trainer_invite.pk})
    assert login(people["trainer"]).get(url).status_code == 200
    assert login(people["other_trainer"]).get(url).status_code == 404
    assert login(people["consultant"]).get(url).status_code == 404
    assert login(people["planner"]).get(url).status_code == 403


def test_staff_answer_is_saved_and_the_invite_leaves_the_list(
    run, people, login, django_capture_on_commit_callbacks
) -> None:
    _start(run, people["planner"], django_capture_on_commit_callbacks)
    consultant = login(people["consultant"])
    listing = consultant.get(reverse("groupwork:my_evaluations")).content.decode()
    invite = EvaluationInvite.objects.get(respondent=people["consultant"])
    assert reverse("groupwork:staff_evaluation_answer", kwargs={"pk": invite.pk}) in listing
    data = {f"question_{q.pk}": "5" for q in invite.questionnaire.questions.all()}
    url = reverse("groupwork:staff_evaluation_answer", kwargs={"pk": invite.pk})
    response = consultant.post(url, data)
    assert response.status_code == 302
    assert EvaluationResponse.objects.get().perspective == Perspective.CONSULTANT
    listing = consultant.get(reverse("groupwork:my_evaluations")).content.decode()
    assert url not in listing
    assert consultant.get(url).status_code == 410


# Results ------------------------------------------------------------------------------------------------------------


def _run_page(run: GroupRun) -> str:
    return reverse("groupwork:run_evaluation", kwargs={"pk": run.pk})


def test_participant_results_are_suppressed_under_three_answers(run, people, login) -> None:
    _respond(run, [5, 1])
    html = login(people["planner"]).get(_run_page(run)).content.decode()
    section = html.split('data-perspective="participant" aria-labelledby', 1)[1].split("</section>", 1)[0]
    assert 'data-testid="suppressed"' in section
    assert 'data-testid="mean"' not in section
    assert "Antwoord 5" not in html
    _respond(run, [3])
    html = login(people["planner"]).get(_run_page(run)).content.decode()
    section = html.split('data-perspective="participant" aria-labelledby', 1)[1].split("</section>", 1)[0]
    assert 'data-testid="suppressed"' not in section
    assert "Antwoord 5" in section


def test_run_results_are_aggregated_correctly(run, people) -> None:
    from koers.groupwork.evaluation_selectors import run_results

    _respond(run, [1, 4, 4])
    _respond(run, [2], perspective=Perspective.TRAINER)
    by_perspective = {result.questionnaire.perspective: result for result in run_results(run)}
    participant = by_perspective[Perspective.PARTICIPANT]
    assert participant.responses == 3
    first = participant.questions[0]
    assert first.n == 3
    assert first.mean == pytest.approx(3.0)
    assert first.distribution == [(1, 1, 33), (2, 0, 0), (3, 0, 0), (4, 2, 67), (5, 0, 0)]
    assert sorted(participant.questions[2].open_answers) == ["Antwoord 1", "Antwoord 4", "Antwoord 4"]
    trainer = by_perspective[Perspective.TRAINER]
    assert not trainer.suppressed
    assert trainer.questions[0].mean == pytest.approx(2.0)
    assert by_perspective[Perspective.CONSULTANT].responses == 0


def test_run_page_counts_invited_and_answered(run, people, login, django_capture_on_commit_callbacks) -> None:
    outcome = _start(run, people["planner"], django_capture_on_commit_callbacks)
    invite = services.find_invite(_tokens(outcome)[0])
    assert invite is not None
    services.submit_answers(invite, _answers(invite.questionnaire, 3))
    html = login(people["trainer"]).get(_run_page(run)).content.decode()
    row = html.split('<tr class="utrecht-table__row" data-perspective="participant">', 1)[1].split("</tr>", 1)[0]
    assert re.search(r'data-testid="invited">3<', row)
    assert re.search(r'data-testid="answered">1<', row)


def test_programme_results_count_only_runs_with_enough_participant_answers(run, people, programme, login) -> None:
    from koers.groupwork.evaluation_selectors import programme_results

    small = factories.GroupRunFactory.create(
        programme=programme, start_date=run.start_date - datetime.timedelta(days=90)
    )
    _respond(run, [2, 4, 3])
    _respond(small, [5])
    _respond(small, [1], perspective=Perspective.TRAINER)
    by_perspective = {result.questionnaire.perspective: result for result in programme_results(programme)}
    participant = by_perspective[Perspective.PARTICIPANT]
    assert participant.responses == 3
    assert participant.questions[0].mean == pytest.approx(3.0)
    assert "Antwoord 5" not in participant.questions[2].open_answers
    assert by_perspective[Perspective.TRAINER].responses == 1
    html = login(people["policy"]).get(reverse("groupwork:programme_evaluation", args=[programme.pk])).content.decode()
    small_row = html.split(f'data-run="{small.pk}"', 1)[1].split("</tr>", 1)[0]
    big_row = html.split(f'data-run="{run.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "run-mean" not in small_row.split("</td>", 1)[0]  # participant cell of the small run: no mean
    assert "1.0" in small_row or "1,0" in small_row  # the trainer's mean is shown
    assert re.search(r'data-testid="run-mean">3[.,]0<', big_row)


# The start button and the PDF -----------------------------------------------------------------------------------------


def test_start_button_answers_with_the_pdf_of_links_to_print(
    run, people, login, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    captured = captured_pdf_html(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(people["planner"]).post(_run_page(run), {"days_valid": "14"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="evaluatielinks-groep-')
    assert response.content.startswith(b"%PDF")
    html = captured[0]
    person = run.participations.get(client__email="").client
    assert person.full_name in html
    token = TOKEN_IN_TEXT.search(html)
    assert token is not None
    invite = services.find_invite(token.group(1))
    assert invite is not None
    assert invite.participation is not None
    assert invite.participation.client_id == person.pk
    assert "<svg" in html
    assert invite.expires_at > timezone.now() + datetime.timedelta(days=13)
    assert len(mail.outbox) == 2


def test_start_button_without_participants_to_print_redirects(
    run, people, login, django_capture_on_commit_callbacks
) -> None:
    run.participations.filter(client__email="").delete()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(people["trainer"]).post(_run_page(run), {"days_valid": "21"})
    assert response.status_code == 302
    assert len(mail.outbox) == 2


def test_new_links_need_a_confirmation(run, people, login, django_capture_on_commit_callbacks) -> None:
    _start(run, people["planner"], django_capture_on_commit_callbacks)
    planner = login(people["planner"])
    refused = planner.post(_run_page(run), {"days_valid": "21"})
    assert refused.status_code == 200
    assert refused["Content-Type"].startswith("text/html")
    assert EvaluationInvite.objects.filter(participation__isnull=False).count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        accepted = planner.post(_run_page(run), {"days_valid": "21", "confirm_new_links": "on"})
    assert accepted["Content-Type"] == "application/pdf"
    assert EvaluationInvite.objects.filter(participation__isnull=False).count() == 6


def test_run_page_without_questionnaires_says_so(people, organisation, login) -> None:
    run = factories.GroupRunFactory.create(programme__organisation=organisation, trainers=[people["trainer"]])
    html = login(people["trainer"]).get(_run_page(run)).content.decode()
    assert 'data-testid="no-questionnaires"' in html
    assert 'data-testid="start-evaluation"' not in html


# Access -------------------------------------------------------------------------------------------------------------


def test_run_page_access_per_role(run, people, login, organisation) -> None:
    url = _run_page(run)
    expected = {
        "planner": 200,
        "trainer": 200,
        "other_trainer": 404,
        "consultant": 403,
        "team_manager": 403,
        "policy": 403,
    }
    got = {role: login(people[role]).get(url).status_code for role in expected}
    assert got == expected
    other_org = factories.OrganisationFactory(name="Ander werkbedrijf")
    outsider = factories.UserFactory(organisation=other_org, roles=[Role.PLANNER])
    assert login(outsider).get(url).status_code == 404
    assert login(people["other_trainer"]).post(url, {"days_valid": "21"}).status_code == 404
    assert not EvaluationInvite.objects.exists()


def test_programme_page_access_per_role(programme, people, login) -> None:
    url = reverse("groupwork:programme_evaluation", kwargs={"pk": programme.pk})
    expected = {"planner": 200, "team_manager": 200, "policy": 200, "trainer": 403, "consultant": 403}
    assert {role: login(people[role]).get(url).status_code for role in expected} == expected
    other_org = factories.OrganisationFactory(name="Ander werkbedrijf")
    outsider = factories.UserFactory(organisation=other_org, roles=[Role.POLICY])
    assert login(outsider).get(url).status_code == 404


def test_my_evaluations_is_for_trainers_and_consultants(people, login) -> None:
    url = reverse("groupwork:my_evaluations")
    expected = {"trainer": 200, "consultant": 200, "planner": 403, "policy": 403}
    assert {role: login(people[role]).get(url).status_code for role in expected} == expected


# Query budgets ------------------------------------------------------------------------------------------------------


def test_run_page_query_budget(run, people, login) -> None:
    _respond(run, [4, 4, 2])

    def more() -> None:
        _respond(run, [1, 2, 3, 5, 5])
        _respond(run, [3, 4], perspective=Perspective.TRAINER)

    assert_query_budget(login(people["planner"]), _run_page(run), budget=16, grow=more)


def test_programme_page_query_budget(run, people, programme, login) -> None:
    _respond(run, [4, 4, 2])

    def more() -> None:
        for _ in range(3):
            other = factories.GroupRunFactory.create(programme=programme)
            _respond(other, [1, 5, 3])
            _respond(other, [2], perspective=Perspective.CONSULTANT)

    url = reverse("groupwork:programme_evaluation", kwargs={"pk": programme.pk})
    assert_query_budget(login(people["policy"]), url, budget=16, grow=more)


def test_public_page_query_budget(run, client) -> None:
    raw, _unused = _invite(run)
    url = reverse("groupwork:evaluation_answer", kwargs={"token": raw})

    def more() -> None:
        _respond(run, [1, 2, 3, 4])

    assert_query_budget(client, url, budget=4, grow=more)


def test_staff_pages_query_budget(run, people, login, django_capture_on_commit_callbacks) -> None:
    _start(run, people["planner"], django_capture_on_commit_callbacks)
    trainer = login(people["trainer"])

    def more() -> None:
        for _ in range(4):
            other = factories.GroupRunFactory.create(programme=run.programme, trainers=[people["trainer"]])
            with django_capture_on_commit_callbacks(execute=True):
                services.start_evaluation(people["trainer"], other)

    invite = EvaluationInvite.objects.get(respondent=people["trainer"])
    answer_url = reverse("groupwork:staff_evaluation_answer", kwargs={"pk": invite.pk})
    _status, before = count_queries(trainer, answer_url)
    assert_query_budget(trainer, reverse("groupwork:my_evaluations"), budget=10, grow=more)
    assert count_queries(trainer, answer_url) == (200, before)
