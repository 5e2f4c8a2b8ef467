"""The hand-off signal: the trainer of the run writes it, the client's consultant sees and acknowledges it or turns
the advice into a goal or an instrument; an acknowledged signal is a record; concurrent edits are refused."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.clients.models import FlagKind
from koers.groupwork.handoff_services import (
    HandOffAcknowledgedError,
    NoOpenTrajectoryError,
    acknowledge_hand_off,
    advice_to_goal,
    write_hand_off,
)
from koers.groupwork.models import HandOff, RunStatus
from koers.trajectories.models import Goal, IgmFactor, Instrument, InstrumentStatus
from koers.trajectories.services import StaleEditError
from tests import factories
from tests.groupwork_factories import HandOffFactory, ReferralFactory
from tests.helpers import assert_query_budget
from tests.trajectory_factories import GoalFactory, InstrumentTypeFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
ADVICE = "Zet in op een werkervaringsplek in de zorg; zij nam in de groep vaak het initiatief."


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER)


@pytest.fixture
def client_(consultant, municipality):
    return factories.ClientFactory(
        organisation=municipality.organisation,
        municipality=municipality,
        consultant=consultant,
        first_name="Fatima",
        last_name="Aydin",
        language_level="A2",
    )


@pytest.fixture
def trajectory(client_, consultant):
    return TrajectoryFactory(client=client_, created_by=consultant, future_perspective="Geheim perspectief X7")


@pytest.fixture
def run(trainer, organisation):
    return factories.GroupRunFactory(
        programme__organisation=organisation,
        trainers=[trainer],
        start_date=TODAY - datetime.timedelta(weeks=6),
        status=RunStatus.COMPLETED,
    )


@pytest.fixture
def participation(run, client_):
    return factories.ParticipationFactory(group_run=run, client=client_, joined_on=run.start_date)


def observations(**texts: str) -> dict[IgmFactor, str]:
    return {IgmFactor(name): text for name, text in texts.items()}


def form_data(advice: str = ADVICE, version: int | str = "", **factors: str) -> dict[str, str | int]:
    data: dict[str, str | int] = {factor.value: "" for factor in IgmFactor}
    data.update(factors)
    return {**data, "advice": advice, "version": version}


# The trainer writes


def test_trainer_of_the_run_writes_the_signal(trainer, participation, login) -> None:
    url = reverse("groupwork:handoff_write", args=[participation.pk])
    response = login(trainer).post(
        url, form_data(attitude="Positief over werk in de zorg.", skills="Sterk in overleg.")
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("groupwork:run_handoffs", args=[participation.group_run_id])
    hand_off = HandOff.objects.get(participation=participation)
    assert hand_off.advice == ADVICE
    assert hand_off.written_by == trainer
    assert hand_off.acknowledged_at is None
    stored = dict(hand_off.observations.values_list("factor", "observation"))
    assert stored["attitude"] == "Positief over werk in de zorg."
    assert stored["skills"] == "Sterk in overleg."
    assert set(stored) == set(IgmFactor.values)
    assert AuditEvent.objects.filter(
        action=Action.CREATE, actor=trainer, client_id=participation.client_id, reason="hand-off signal written"
    ).exists()


def test_advice_is_required(trainer, participation, login) -> None:
    url = reverse("groupwork:handoff_write", args=[participation.pk])
    response = login(trainer).post(url, form_data(advice="  "))
    assert response.status_code == 200
    assert not HandOff.objects.exists()
    assert gettext("Write your advice to the consultant.") in response.content.decode()


def test_form_groups_the_factors_as_willen_and_kunnen(trainer, participation, login) -> None:
    html = login(trainer).get(reverse("groupwork:handoff_write", args=[participation.pk])).content.decode()
    willen = html[html.index('data-group="willen"') : html.index('data-group="kunnen"')]
    kunnen = html[html.index('data-group="kunnen"') :]
    for factor in ("attitude", "perceived_norm", "self_efficacy", "intention"):
        assert f'name="{factor}"' in willen
    for factor in ("skills", "barriers"):
        assert f'name="{factor}"' in kunnen
    assert 'name="advice"' in html


def test_trainer_sees_name_and_group_needs_but_never_the_dossier(trainer, participation, trajectory, login) -> None:
    client = participation.client
    factories.ScreeningFlagFactory(client=client, kind="low_language")
    factories.ScreeningFlagFactory(client=client, kind="psychological_condition", note="Diagnose Q9")
    referral = ReferralFactory(
        client=client, programme=participation.group_run.programme, support_note="Coach belt na elke bijeenkomst."
    )
    participation.referral = referral
    participation.save()
    html = login(trainer).get(reverse("groupwork:handoff_write", args=[participation.pk])).content.decode()
    assert "Fatima Aydin" in html
    assert "Coach belt na elke bijeenkomst." in html
    needs = html[html.index('data-testid="group-needs"') :]
    needs = needs[: needs.index("</section>")]
    assert "A2" in needs
    for secret in (client.bsn, "Diagnose Q9", "Geheim perspectief X7", referral.added_value, client.email):
        assert secret not in html
    for language in ("en", "nl"):
        with translation.override(language):
            assert str(FlagKind.PSYCHOLOGICAL_CONDITION.label) not in html


def test_run_overview_shows_the_status_per_participant(trainer, run, participation, organisation, login) -> None:
    written = factories.ParticipationFactory(group_run=run, client__organisation=organisation)
    HandOffFactory(participation=written, written_by=trainer)
    seen = factories.ParticipationFactory(group_run=run, client__organisation=organisation)
    HandOffFactory(participation=seen, written_by=trainer, acknowledged_at=timezone.now(), acknowledged_by=trainer)
    html = login(trainer).get(reverse("groupwork:run_handoffs", args=[run.pk])).content.decode()

    def status(p):
        row = html[html.index(f'data-participation="{p.pk}"') :]
        return row[row.index('data-testid="handoff-status"') : row.index("</td>")]

    assert "badge--warning" in status(participation)
    assert "badge--neutral" in status(written)
    assert "badge--success" in status(seen)
    assert reverse("groupwork:handoff_write", args=[participation.pk]) in html
    assert set(
        AuditEvent.objects.filter(actor=trainer, reason="hand-off overview").values_list("client_id", flat=True)
    ) == {participation.client_id, written.client_id, seen.client_id}


def test_other_trainer_gets_404(make_user, run, participation, login) -> None:
    other = login(make_user(Role.TRAINER))
    assert other.get(reverse("groupwork:run_handoffs", args=[run.pk])).status_code == 404
    assert other.get(reverse("groupwork:handoff_write", args=[participation.pk])).status_code == 404
    assert other.post(reverse("groupwork:handoff_write", args=[participation.pk]), form_data()).status_code == 404
    assert not HandOff.objects.exists()


def test_trainer_pages_are_for_trainers_only(consultant, make_user, run, participation, login) -> None:
    for user in (consultant, make_user(Role.PLANNER)):
        http = login(user)
        assert http.get(reverse("groupwork:run_handoffs", args=[run.pk])).status_code == 403
        assert http.get(reverse("groupwork:handoff_write", args=[participation.pk])).status_code == 403


def test_a_run_past_the_relation_window_no_longer_opens(trainer, run, participation, login) -> None:
    run.start_date = TODAY - datetime.timedelta(days=200)
    run.save()
    http = login(trainer)
    assert http.get(reverse("groupwork:handoff_write", args=[participation.pk])).status_code == 404
    assert http.get(reverse("groupwork:run_handoffs", args=[run.pk])).status_code == 404


def test_service_refuses_a_trainer_of_another_run(make_user, participation) -> None:
    with pytest.raises(PermissionDenied):
        write_hand_off(make_user(Role.TRAINER), participation, ADVICE, {})


# Editing, versions and the acknowledged record


def test_trainer_changes_the_signal_with_its_version(trainer, participation, login) -> None:
    hand_off = write_hand_off(trainer, participation, ADVICE, observations(attitude="Eerst"))
    url = reverse("groupwork:handoff_write", args=[participation.pk])
    http = login(trainer)
    assert "Eerst" in http.get(url).content.decode(), "the form is prefilled"
    response = http.post(url, form_data(advice="Nieuw advies", version=hand_off.version, attitude="Later"))
    assert response.status_code == 302
    hand_off.refresh_from_db()
    assert hand_off.advice == "Nieuw advies"
    assert hand_off.version == 2
    assert hand_off.observations.get(factor="attitude").observation == "Later"
    event = AuditEvent.objects.get(action=Action.UPDATE, object_type="groupwork.handoff", object_id=str(hand_off.pk))
    assert event.reason == "hand-off signal changed: advice, attitude"
    assert "Later" not in event.reason, "the audit trail names fields, never their content"


def test_version_conflict_keeps_the_input_and_saves_nothing(trainer, make_user, run, participation, login) -> None:
    co_trainer = make_user(Role.TRAINER)
    run.trainers.add(co_trainer)
    hand_off = write_hand_off(trainer, participation, ADVICE, {})
    write_hand_off(co_trainer, participation, "Advies van de collega", {}, version=hand_off.version)
    response = login(trainer).post(
        reverse("groupwork:handoff_write", args=[participation.pk]),
        form_data(advice="Mijn late wijziging", version=hand_off.version),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="stale-edit"' in html
    assert "Mijn late wijziging" in html
    hand_off.refresh_from_db()
    assert hand_off.advice == "Advies van de collega"
    assert f'name="version" value="{hand_off.version}"' in html, "saving again is a deliberate overwrite"


def test_a_signal_created_after_the_form_was_opened_is_a_conflict(trainer, participation) -> None:
    write_hand_off(trainer, participation, ADVICE, {})
    with pytest.raises(StaleEditError):
        write_hand_off(trainer, participation, "Tweede", {}, version=None)


def test_acknowledged_signal_can_no_longer_be_edited(trainer, consultant, participation, login) -> None:
    hand_off = write_hand_off(trainer, participation, ADVICE, {})
    acknowledge_hand_off(consultant, hand_off)
    with pytest.raises(HandOffAcknowledgedError):
        write_hand_off(trainer, participation, "Te laat", {}, version=hand_off.version)
    url = reverse("groupwork:handoff_write", args=[participation.pk])
    http = login(trainer)
    page = http.get(url).content.decode()
    assert 'data-testid="acknowledged"' in page
    assert 'name="advice"' not in page, "read-only: no form"
    assert ADVICE in page
    response = http.post(url, form_data(advice="Te laat", version=hand_off.version))
    assert response.status_code == 200
    hand_off.refresh_from_db()
    assert hand_off.advice == ADVICE


# The consultant takes over


def test_consultant_of_the_client_sees_the_signal(trainer, consultant, participation, login) -> None:
    hand_off = write_hand_off(trainer, participation, ADVICE, observations(barriers="Komt vaak te laat: bus."))
    html = login(consultant).get(reverse("groupwork:handoff_detail", args=[hand_off.pk])).content.decode()
    assert ADVICE in html
    assert "Komt vaak te laat: bus." in html
    assert trainer.get_full_name() in html
    assert 'data-testid="acknowledge"' in html
    assert AuditEvent.objects.filter(
        action=Action.READ, actor=consultant, client_id=participation.client_id, reason="hand-off signal"
    ).exists()


def test_other_consultant_gets_404(make_user, trainer, participation, login) -> None:
    hand_off = write_hand_off(trainer, participation, ADVICE, {})
    other = login(make_user(Role.CONSULTANT))
    assert other.get(reverse("groupwork:handoff_detail", args=[hand_off.pk])).status_code == 404
    assert other.post(reverse("groupwork:handoff_acknowledge", args=[hand_off.pk])).status_code == 404
    assert other.post(reverse("groupwork:handoff_to_goal", args=[hand_off.pk]), {"doel-text": "x"}).status_code == 404
    hand_off.refresh_from_db()
    assert hand_off.acknowledged_at is None


def test_trainer_cannot_open_the_consultant_pages(trainer, participation, login) -> None:
    hand_off = write_hand_off(trainer, participation, ADVICE, {})
    http = login(trainer)
    assert http.get(reverse("groupwork:handoff_detail", args=[hand_off.pk])).status_code == 403
    for name in ("handoff_acknowledge", "handoff_to_goal", "handoff_to_instrument"):
        assert http.post(reverse(f"groupwork:{name}", args=[hand_off.pk])).status_code == 403
    assert http.get(reverse("groupwork:absences")).status_code == 403


def test_consultant_acknowledges(trainer, consultant, participation, login) -> None:
    hand_off = write_hand_off(trainer, participation, ADVICE, {})
    http = login(consultant)
    url = reverse("groupwork:handoff_acknowledge", args=[hand_off.pk])
    assert http.get(url).status_code == 405
    response = http.post(url)
    assert response.status_code == 302
    hand_off.refresh_from_db()
    assert hand_off.acknowledged_by == consultant
    assert hand_off.acknowledged_at is not None
    first = hand_off.acknowledged_at
    http.post(url)
    hand_off.refresh_from_db()
    assert hand_off.acknowledged_at == first, "acknowledging twice keeps the first"
    assert AuditEvent.objects.filter(reason="hand-off signal acknowledged").count() == 1
    html = http.get(reverse("groupwork:handoff_detail", args=[hand_off.pk])).content.decode()
    assert 'data-testid="acknowledge"' not in html


def test_replacing_colleague_with_temporary_access_acknowledges(make_user, trainer, consultant, participation) -> None:
    colleague = make_user(Role.CONSULTANT)
    hand_off = write_hand_off(trainer, participation, ADVICE, {})
    with pytest.raises(PermissionDenied):
        acknowledge_hand_off(colleague, hand_off)
    factories.AccessGrantFactory(client=participation.client, user=colleague, granted_by=consultant)
    acknowledge_hand_off(colleague, hand_off)
    hand_off.refresh_from_db()
    assert hand_off.acknowledged_by == colleague


def test_advice_becomes_a_goal_and_acknowledges(trainer, consultant, participation, trajectory, login) -> None:
    hand_off = write_hand_off(trainer, participation, ADVICE, {})
    http = login(consultant)
    page = http.get(reverse("groupwork:handoff_detail", args=[hand_off.pk])).content.decode()
    assert re.search(rf'name="doel-text"[^>]*>\s*{re.escape(ADVICE)}</textarea>', page), "prefilled with the advice"
    response = http.post(
        reverse("groupwork:handoff_to_goal", args=[hand_off.pk]),
        {"doel-text": "Ik wil een werkervaringsplek in de zorg", "doel-target_date": "", "doel-parent": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("trajectories:detail", args=[trajectory.pk])
    goal = Goal.objects.get(trajectory=trajectory)
    assert goal.text == "Ik wil een werkervaringsplek in de zorg"
    assert goal.status == "open"
    hand_off.refresh_from_db()
    assert hand_off.acknowledged_by == consultant
    reasons = set(AuditEvent.objects.filter(actor=consultant).values_list("reason", flat=True))
    assert {"goal added", "hand-off signal acknowledged", f"hand-off advice turned into goal {goal.pk}"} <= reasons


def test_an_invalid_goal_shows_the_errors_and_acknowledges_nothing(
    trainer, consultant, participation, trajectory, login
) -> None:
    hand_off = write_hand_off(trainer, participation, ADVICE, {})
    response = login(consultant).post(reverse("groupwork:handoff_to_goal", args=[hand_off.pk]), {"doel-text": ""})
    assert response.status_code == 200
    assert "utrecht-form-field--invalid" in response.content.decode()
    assert not Goal.objects.exists()
    hand_off.refresh_from_db()
    assert hand_off.acknowledged_at is None


def test_advice_becomes_an_instrument_and_acknowledges(
    trainer, consultant, participation, trajectory, organisation, login
) -> None:
    goal = GoalFactory(trajectory=trajectory)
    kind = InstrumentTypeFactory(organisation=organisation, default_weeks=12)
    hand_off = write_hand_off(trainer, participation, ADVICE, {})
    response = login(consultant).post(
        reverse("groupwork:handoff_to_instrument", args=[hand_off.pk]),
        {
            "instrument-instrument_type": kind.pk,
            "instrument-goal": goal.pk,
            "instrument-purpose": "Werkervaring opdoen in de zorg",
            "instrument-expected_result": "Een contract na drie maanden",
            "instrument-started_on": "",
            "instrument-planned_weeks": "",
            "instrument-review_on": "",
            "instrument-status": InstrumentStatus.PLANNED,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    instrument = Instrument.objects.get(trajectory=trajectory)
    assert instrument.goal == goal
    assert instrument.planned_weeks == 12
    hand_off.refresh_from_db()
    assert hand_off.acknowledged_by == consultant


def test_instrument_form_asks_for_a_goal_first(trainer, consultant, participation, trajectory, login) -> None:
    hand_off = write_hand_off(trainer, participation, ADVICE, {})
    html = login(consultant).get(reverse("groupwork:handoff_detail", args=[hand_off.pk])).content.decode()
    assert 'data-testid="goal-form"' in html
    assert 'data-testid="instrument-form"' not in html


def test_without_an_open_trajectory_the_advice_waits(trainer, consultant, participation, login) -> None:
    hand_off = write_hand_off(trainer, participation, ADVICE, {})
    http = login(consultant)
    html = http.get(reverse("groupwork:handoff_detail", args=[hand_off.pk])).content.decode()
    assert 'data-testid="no-trajectory"' in html
    response = http.post(reverse("groupwork:handoff_to_goal", args=[hand_off.pk]), {"doel-text": "Iets"})
    assert response.status_code == 302
    with pytest.raises(NoOpenTrajectoryError):
        advice_to_goal(consultant, hand_off, "Iets")
    hand_off.refresh_from_db()
    assert hand_off.acknowledged_at is None
    assert not Goal.objects.exists()


def test_goal_from_an_already_acknowledged_signal_keeps_the_first_acknowledgement(
    make_user, trainer, consultant, participation, trajectory
) -> None:
    colleague = make_user(Role.CONSULTANT)
    factories.AccessGrantFactory(client=participation.client, user=colleague, granted_by=consultant)
    hand_off = write_hand_off(trainer, participation, ADVICE, {})
    acknowledge_hand_off(colleague, hand_off)
    advice_to_goal(consultant, hand_off, "Ik wil in de zorg werken")
    hand_off.refresh_from_db()
    assert hand_off.acknowledged_by == colleague
    assert Goal.objects.filter(trajectory=trajectory).count() == 1


# Query budgets


def test_trainer_pages_query_budget(trainer, run, participation, organisation, login) -> None:
    write_hand_off(trainer, participation, ADVICE, observations(attitude="x"))
    factories.ScreeningFlagFactory(client=participation.client, kind="low_language")

    def more() -> None:
        for _ in range(5):
            other = factories.ParticipationFactory(group_run=run, client__organisation=organisation)
            HandOffFactory(participation=other, written_by=trainer)
            factories.ScreeningFlagFactory(client=other.client, kind="low_language")

    http = login(trainer)
    assert_query_budget(http, reverse("groupwork:run_handoffs", args=[run.pk]), budget=12, grow=more)
    assert_query_budget(http, reverse("groupwork:handoff_write", args=[participation.pk]), budget=16, grow=more)


def test_detail_query_budget(trainer, consultant, participation, trajectory, organisation, login) -> None:
    hand_off = write_hand_off(trainer, participation, ADVICE, observations(attitude="x", skills="y"))
    GoalFactory(trajectory=trajectory)

    def more() -> None:
        for _ in range(4):
            GoalFactory(trajectory=trajectory)
            InstrumentTypeFactory(organisation=organisation)

    assert_query_budget(
        login(consultant), reverse("groupwork:handoff_detail", args=[hand_off.pk]), budget=18, grow=more
    )
