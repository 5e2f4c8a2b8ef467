"""The trajectory plan: start and end, diagnosis, goals, instruments, the client's agreement, access and audit."""

import datetime
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.trajectories.models import (
    Goal,
    IgmFactor,
    IgmProfile,
    Instrument,
    InstrumentStatus,
    LifeDomain,
    LifeDomainAssessment,
    Trajectory,
)
from koers.trajectories.services import OpenTrajectoryExistsError, start_trajectory
from tests import factories
from tests.helpers import assert_query_budget
from tests.trajectory_factories import (
    GoalFactory,
    IgmProfileFactory,
    InstrumentFactory,
    InstrumentTypeFactory,
    LifeDomainAssessmentFactory,
    TrajectoryFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def client_of(consultant, municipality):
    return factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=consultant
    )


@pytest.fixture
def trajectory(client_of, consultant):
    return TrajectoryFactory(client=client_of, created_by=consultant, started_on=TODAY - datetime.timedelta(days=30))


def url(name: str, pk: int) -> str:
    return reverse(f"trajectories:{name}", args=[pk])


def life_domain_data(assessed_on: datetime.date = TODAY, **scores: int) -> dict[str, object]:
    data: dict[str, object] = {"assessed_on": assessed_on.isoformat()}
    for domain in LifeDomain.values:
        data[f"{domain}_score"] = scores.get(domain, 3)
        data[f"{domain}_note"] = f"Notitie {domain}"
    return data


def igm_data(**scores: int) -> dict[str, object]:
    data: dict[str, object] = {"assessed_on": TODAY.isoformat(), "target_behaviour": "Solliciteren buiten de winkel"}
    for factor in IgmFactor.values:
        data[f"{factor}_score"] = scores.get(factor, 3)
        data[f"{factor}_description"] = f"Beschrijving {factor}"
    return data


def instrument_data(goal: Any, instrument_type: Any, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "instrument_type": instrument_type.pk,
        "goal": goal.pk,
        "purpose": "Vertrouwen opbouwen",
        "expected_result": "Drie sollicitaties per maand",
        "started_on": TODAY.isoformat(),
        "planned_weeks": "8",
        "review_on": "",
        "status": InstrumentStatus.ACTIVE,
        "outcome": "",
        "stop_reason": "",
    }
    data.update(overrides)
    return data


# Start and end


def test_consultant_starts_a_trajectory_from_the_client_page(client_of, consultant, login) -> None:
    http = login(consultant)
    client_page = http.get(reverse("clients:detail", args=[client_of.pk])).content.decode()
    assert reverse("trajectories:start", args=[client_of.pk]) in client_page
    response = http.post(
        reverse("trajectories:start", args=[client_of.pk]),
        {"started_on": TODAY.isoformat(), "future_perspective": "Werken in de zorg", "strengths": "Geduldig"},
    )
    trajectory = Trajectory.objects.get(client=client_of)
    assert response["Location"] == url("detail", trajectory.pk)
    assert (trajectory.future_perspective, trajectory.created_by) == ("Werken in de zorg", consultant)
    assert AuditEvent.objects.filter(
        action=Action.CREATE, client_id=client_of.pk, object_id=str(trajectory.pk)
    ).exists()
    client_page = http.get(reverse("clients:detail", args=[client_of.pk])).content.decode()
    assert url("detail", trajectory.pk) in client_page


def test_a_second_open_trajectory_is_refused_with_a_link_to_the_open_one(
    trajectory, client_of, consultant, login
) -> None:
    http = login(consultant)
    html = http.get(reverse("trajectories:start", args=[client_of.pk])).content.decode()
    assert 'data-testid="open-trajectory"' in html
    assert url("detail", trajectory.pk) in html
    response = http.post(reverse("trajectories:start", args=[client_of.pk]), {"started_on": TODAY.isoformat()})
    assert response.status_code == 200
    assert Trajectory.objects.filter(client=client_of).count() == 1


def test_the_service_refuses_a_second_open_trajectory(trajectory, client_of, consultant) -> None:
    with pytest.raises(OpenTrajectoryExistsError) as refused:
        start_trajectory(consultant, client_of, started_on=TODAY)
    assert refused.value.trajectory == trajectory


def test_a_new_trajectory_can_start_after_the_previous_one_ended(trajectory, client_of, consultant, login) -> None:
    trajectory.ended_on, trajectory.outflow_reason = TODAY, "moved"
    trajectory.save()
    response = login(consultant).post(reverse("trajectories:start", args=[client_of.pk]), {"started_on": TODAY})
    assert response.status_code == 302
    assert Trajectory.objects.filter(client=client_of, ended_on__isnull=True).count() == 1


def test_ending_requires_an_outflow_reason(trajectory, consultant, login) -> None:
    http = login(consultant)
    response = http.post(url("end", trajectory.pk), {"ended_on": TODAY.isoformat(), "version": trajectory.version})
    assert response.status_code == 200
    assert 'id="id_outflow_reason_error"' in response.content.decode()
    trajectory.refresh_from_db()
    assert trajectory.is_open
    response = http.post(
        url("end", trajectory.pk),
        {"ended_on": TODAY.isoformat(), "outflow_reason": "work_part_time", "version": trajectory.version},
    )
    assert response["Location"] == url("detail", trajectory.pk)
    trajectory.refresh_from_db()
    assert (trajectory.ended_on, trajectory.outflow_reason) == (TODAY, "work_part_time")
    assert AuditEvent.objects.filter(action=Action.UPDATE, client_id=trajectory.client_id, reason__contains="ended")


def test_the_end_date_cannot_lie_before_the_start(trajectory, consultant, login) -> None:
    response = login(consultant).post(
        url("end", trajectory.pk),
        {
            "ended_on": (trajectory.started_on - datetime.timedelta(days=1)).isoformat(),
            "outflow_reason": "education",
            "version": trajectory.version,
        },
    )
    assert 'id="id_ended_on_error"' in response.content.decode()
    trajectory.refresh_from_db()
    assert trajectory.is_open


def test_an_ended_trajectory_can_be_read_but_not_changed(trajectory, consultant, login) -> None:
    trajectory.ended_on, trajectory.outflow_reason = TODAY, "education"
    trajectory.save()
    http = login(consultant)
    html = http.get(url("detail", trajectory.pk)).content.decode()
    assert url("goal_create", trajectory.pk) not in html
    response = http.post(url("goal_create", trajectory.pk), {"text": "Nog een doel", "status": "open"})
    assert response["Location"] == url("detail", trajectory.pk)
    assert not Goal.objects.exists()


# Diagnosis: life domains and IGM


def test_recording_life_domains_shows_an_urgent_barrier_with_a_text_badge(trajectory, consultant, login) -> None:
    http = login(consultant)
    response = http.post(url("life_domains", trajectory.pk), life_domain_data(housing=1, finances=2))
    assert response["Location"] == url("detail", trajectory.pk)
    assessment = LifeDomainAssessment.objects.get(trajectory=trajectory)
    assert {s.domain: s.score for s in assessment.scores.all()}["housing"] == 1
    assert assessment.scores.count() == 8
    html = http.get(url("detail", trajectory.pk)).content.decode()
    housing_row = re.search(r'<tr class="utrecht-table__row" data-domain="housing">.*?</tr>', html, re.S)
    assert housing_row is not None
    assert 'data-testid="urgent-badge"' in housing_row.group(0)
    assert re.search(r"Urgente belemmering|Urgent barrier", housing_row.group(0))
    assert html.count('data-testid="urgent-badge"') == 1, "only the domain scored 1 is an urgent barrier"
    assert 'data-testid="urgent-barriers"' in html


def test_a_new_life_domain_assessment_is_prefilled_with_the_previous_one(trajectory, consultant, login) -> None:
    previous = LifeDomainAssessmentFactory(trajectory=trajectory, scores={"housing": 2, "finances": 4})
    previous.scores.filter(domain="housing").update(note="Huurachterstand")
    html = login(consultant).get(url("life_domains", trajectory.pk)).content.decode()
    assert 'data-testid="prefilled"' in html
    housing = re.search(r'<select name="housing_score".*?</select>', html, re.S)
    assert housing is not None
    assert re.search(r'<option value="2"[^>]*selected', housing.group(0))
    finances = re.search(r'<select name="finances_score".*?</select>', html, re.S)
    assert finances is not None
    assert re.search(r'<option value="4"[^>]*selected', finances.group(0))
    assert 'value="Huurachterstand"' in html


def test_the_first_assessment_needs_a_score_for_every_domain(trajectory, consultant, login) -> None:
    data = life_domain_data()
    data["daytime_score"] = ""
    response = login(consultant).post(url("life_domains", trajectory.pk), data)
    assert response.status_code == 200
    assert 'id="id_daytime_score_error"' in response.content.decode()
    assert not LifeDomainAssessment.objects.exists()


def test_the_trajectory_page_shows_a_history_of_earlier_assessments(trajectory, consultant, login) -> None:
    LifeDomainAssessmentFactory(
        trajectory=trajectory, assessed_on=TODAY - datetime.timedelta(days=20), scores={"housing": 1}
    )
    LifeDomainAssessmentFactory(trajectory=trajectory, assessed_on=TODAY, scores={"housing": 3})
    html = login(consultant).get(url("detail", trajectory.pk)).content.decode()
    history = re.search(r'data-testid="life-domain-history".*?</table>', html, re.S)
    assert history is not None
    assert history.group(0).count('<th scope="col"') == 3, "domain column plus two dates"
    assert 'data-testid="urgent-badge"' not in html, "the latest assessment has no urgent barrier any more"


def test_igm_profile_is_recorded_shown_as_willen_and_kunnen_and_prefilled(trajectory, consultant, login) -> None:
    http = login(consultant)
    response = http.post(url("igm_profile", trajectory.pk), igm_data(self_efficacy=2, barriers=1))
    assert response["Location"] == url("detail", trajectory.pk)
    profile = IgmProfile.objects.get(trajectory=trajectory)
    assert {f.factor: f.score for f in profile.factors.all()} == {
        "attitude": 3,
        "perceived_norm": 3,
        "self_efficacy": 2,
        "intention": 3,
        "skills": 3,
        "barriers": 1,
    }
    html = http.get(url("detail", trajectory.pk)).content.decode()
    willen = re.search(r'data-testid="igm-willen".*?</table>', html, re.S)
    kunnen = re.search(r'data-testid="igm-kunnen".*?</table>', html, re.S)
    assert willen is not None
    assert kunnen is not None
    assert 'data-factor="self_efficacy"' in willen.group(0)
    assert 'data-factor="barriers"' in kunnen.group(0)
    assert "Beschrijving barriers" in kunnen.group(0)
    form = http.get(url("igm_profile", trajectory.pk)).content.decode()
    assert 'value="Solliciteren buiten de winkel"' in form
    barriers = re.search(r'<select name="barriers_score".*?</select>', form, re.S)
    assert barriers is not None
    assert re.search(r'<option value="1"[^>]*selected', barriers.group(0))


# Goals and instruments


def test_goal_with_an_intermediate_goal(trajectory, consultant, login) -> None:
    http = login(consultant)
    http.post(
        url("goal_create", trajectory.pk),
        {"text": "Ik wil in de zorg werken", "target_date": "", "status": "open", "parent": ""},
    )
    main = Goal.objects.get(trajectory=trajectory)
    form = http.get(url("goal_create", trajectory.pk) + f"?hoofddoel={main.pk}").content.decode()
    assert re.search(rf'<option value="{main.pk}"[^>]*selected', form)
    http.post(
        url("goal_create", trajectory.pk),
        {
            "text": "Ik haal mijn VCA",
            "target_date": (TODAY + datetime.timedelta(days=60)).isoformat(),
            "status": "open",
            "parent": main.pk,
        },
    )
    step = Goal.objects.get(parent=main)
    assert step.text == "Ik haal mijn VCA"
    html = http.get(url("detail", trajectory.pk)).content.decode()
    main_block = re.search(rf'data-testid="goal-{main.pk}".*</article>', html, re.S)
    assert main_block is not None
    assert f'data-testid="goal-{step.pk}"' in main_block.group(0)


def test_a_goal_can_only_lead_to_a_main_goal_of_the_same_trajectory(trajectory, consultant, login) -> None:
    main = GoalFactory(trajectory=trajectory)
    step = GoalFactory(trajectory=trajectory, parent=main)
    elsewhere = GoalFactory(trajectory__client__consultant=consultant)
    http = login(consultant)
    form = http.get(url("goal_create", trajectory.pk)).content.decode()
    assert f'<option value="{main.pk}"' in form
    assert f'<option value="{step.pk}"' not in form, "an intermediate goal is no parent"
    assert f'<option value="{elsewhere.pk}"' not in form
    response = http.post(url("goal_create", trajectory.pk), {"text": "Stap", "status": "open", "parent": elsewhere.pk})
    assert 'id="id_parent_error"' in response.content.decode()
    assert Goal.objects.filter(trajectory=trajectory).count() == 2


def test_editing_a_goal_over_someone_elses_change_is_refused(trajectory, consultant, login) -> None:
    goal = GoalFactory(trajectory=trajectory, text="Oud")
    http = login(consultant)
    first = {"text": "Eerste", "status": "achieved", "parent": "", "target_date": "", "version": 1}
    second = {"text": "Tweede", "status": "open", "parent": "", "target_date": "", "version": 1}
    assert http.post(url("goal_edit", goal.pk), first).status_code == 302
    response = http.post(url("goal_edit", goal.pk), second)
    assert 'data-testid="stale-edit"' in response.content.decode()
    assert "Tweede" in response.content.decode()
    goal.refresh_from_db()
    assert (goal.text, goal.status, goal.version) == ("Eerste", "achieved", 2)


def test_instrument_review_date_defaults_to_start_plus_planned_weeks(trajectory, consultant, login) -> None:
    goal = GoalFactory(trajectory=trajectory)
    coaching = InstrumentTypeFactory(organisation=trajectory.client.organisation, default_weeks=10)
    http = login(consultant)
    response = http.post(url("instrument_create", trajectory.pk), instrument_data(goal, coaching))
    assert response["Location"] == url("detail", trajectory.pk)
    instrument = Instrument.objects.get()
    assert instrument.review_on == TODAY + datetime.timedelta(weeks=8)
    http.post(url("instrument_create", trajectory.pk), instrument_data(goal, coaching, planned_weeks=""))
    from_catalogue = Instrument.objects.exclude(pk=instrument.pk).get()
    assert from_catalogue.planned_weeks == 10
    assert from_catalogue.review_on == TODAY + datetime.timedelta(weeks=10)
    assert (
        AuditEvent.objects.filter(
            action=Action.CREATE, client_id=trajectory.client_id, object_type="trajectories.instrument"
        ).count()
        == 2
    )


def test_instrument_choices_come_from_the_active_catalogue_and_this_trajectory(trajectory, consultant, login) -> None:
    goal = GoalFactory(trajectory=trajectory)
    active = InstrumentTypeFactory(organisation=trajectory.client.organisation, name="Schuldhulp")
    retired = InstrumentTypeFactory(organisation=trajectory.client.organisation, name="Oude cursus", is_active=False)
    foreign = InstrumentTypeFactory(organisation=factories.OrganisationFactory(name="Ander bedrijf"), name="Extern")
    other_goal = GoalFactory(trajectory__client__consultant=consultant)
    http = login(consultant)
    form = http.get(url("instrument_create", trajectory.pk)).content.decode()
    assert f'<option value="{active.pk}"' in form
    assert f'<option value="{retired.pk}"' not in form
    assert f'<option value="{foreign.pk}"' not in form
    assert f'<option value="{goal.pk}"' in form
    assert f'<option value="{other_goal.pk}"' not in form
    response = http.post(url("instrument_create", trajectory.pk), instrument_data(other_goal, active))
    assert 'id="id_goal_error"' in response.content.decode()
    assert not Instrument.objects.exists()


def test_stopping_an_instrument_requires_a_reason_and_sets_the_end_date(trajectory, consultant, login) -> None:
    instrument = InstrumentFactory(trajectory=trajectory, status=InstrumentStatus.ACTIVE)
    http = login(consultant)
    data = instrument_data(
        instrument.goal, instrument.instrument_type, status=InstrumentStatus.STOPPED, version=instrument.version
    )
    response = http.post(url("instrument_edit", instrument.pk), data)
    assert 'id="id_stop_reason_error"' in response.content.decode()
    instrument.refresh_from_db()
    assert instrument.status == InstrumentStatus.ACTIVE
    data["stop_reason"] = "Sluit niet aan: cliënt heeft eerst schuldhulp nodig"
    response = http.post(url("instrument_edit", instrument.pk), data)
    assert response["Location"] == url("detail", trajectory.pk)
    instrument.refresh_from_db()
    assert (instrument.status, instrument.ended_on) == (InstrumentStatus.STOPPED, TODAY)
    assert AuditEvent.objects.filter(
        action=Action.UPDATE, client_id=trajectory.client_id, reason="instrument stopped"
    ).exists()
    html = http.get(url("detail", trajectory.pk)).content.decode()
    assert "schuldhulp nodig" in html


# Perspective and agreement


def test_a_concurrent_edit_of_the_perspective_is_refused_and_the_input_kept(trajectory, consultant, login) -> None:
    http = login(consultant)
    first = {"future_perspective": "Eerste versie", "strengths": "Sterk", "version": trajectory.version}
    second = {"future_perspective": "Tweede versie", "strengths": "Ook sterk", "version": trajectory.version}
    assert http.post(url("perspective", trajectory.pk), first).status_code == 302
    response = http.post(url("perspective", trajectory.pk), second)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="stale-edit"' in html
    assert "Tweede versie" in html, "the second input is still in the form"
    trajectory.refresh_from_db()
    assert trajectory.future_perspective == "Eerste versie"
    event = AuditEvent.objects.get(action=Action.UPDATE, client_id=trajectory.client_id)
    assert "future_perspective" in event.reason
    assert "Eerste versie" not in event.reason, "the audit trail names fields, not their content"


def test_the_plan_records_that_and_how_the_client_agreed(trajectory, consultant, login) -> None:
    http = login(consultant)
    words = "Ja, hier wil ik aan werken. Eerst mijn huur op orde."
    response = http.post(
        url("plan_agreement", trajectory.pk),
        {"agreed_on": TODAY.isoformat(), "agreement": words, "version": trajectory.version},
    )
    assert response["Location"] == url("detail", trajectory.pk)
    trajectory.refresh_from_db()
    assert (trajectory.plan_agreed_on, trajectory.plan_agreement) == (TODAY, words)
    html = http.get(url("detail", trajectory.pk)).content.decode()
    assert 'data-testid="plan-agreement"' in html
    assert words in html


def test_the_agreement_needs_the_clients_words(trajectory, consultant, login) -> None:
    response = login(consultant).post(
        url("plan_agreement", trajectory.pk), {"agreed_on": TODAY.isoformat(), "agreement": "", "version": 1}
    )
    assert 'id="id_agreement_error"' in response.content.decode()
    trajectory.refresh_from_db()
    assert trajectory.plan_agreed_on is None


# Audit


@pytest.mark.parametrize(
    "name",
    [
        "detail",
        "perspective",
        "life_domains",
        "igm_profile",
        "goal_create",
        "instrument_create",
        "plan_agreement",
        "end",
    ],
)
def test_every_trajectory_page_writes_a_read_event(name, trajectory, consultant, login) -> None:
    assert login(consultant).get(url(name, trajectory.pk)).status_code == 200
    event = AuditEvent.objects.get(action=Action.READ, object_type="trajectories.trajectory")
    assert (event.actor, event.client_id, event.object_id) == (consultant, trajectory.client_id, str(trajectory.pk))


def test_goal_and_instrument_edit_pages_write_a_read_event(trajectory, consultant, login) -> None:
    instrument = InstrumentFactory(trajectory=trajectory)
    http = login(consultant)
    http.get(url("goal_edit", instrument.goal_id))
    http.get(url("instrument_edit", instrument.pk))
    assert AuditEvent.objects.filter(action=Action.READ, client_id=trajectory.client_id).count() == 2


# Access


ALL_PAGES = [
    "detail",
    "perspective",
    "life_domains",
    "igm_profile",
    "goal_create",
    "instrument_create",
    "plan_agreement",
    "end",
]


def _all_urls(trajectory: Trajectory) -> list[str]:
    instrument = InstrumentFactory(trajectory=trajectory)
    return [
        *(url(name, trajectory.pk) for name in ALL_PAGES),
        url("goal_edit", instrument.goal_id),
        url("instrument_edit", instrument.pk),
        reverse("trajectories:start", args=[trajectory.client_id]),
    ]


def test_a_consultant_of_another_caseload_gets_404_everywhere(trajectory, make_user, login) -> None:
    http = login(make_user(Role.CONSULTANT))
    answers = {address: http.get(address).status_code for address in _all_urls(trajectory)}
    assert set(answers.values()) == {404}, answers
    assert not AuditEvent.objects.filter(action=Action.READ).exists()


@pytest.mark.parametrize("role", [Role.TRAINER, Role.PLANNER, Role.POLICY, Role.ADMINISTRATOR, Role.PRIVACY_OFFICER])
def test_other_roles_never_see_a_trajectory(role, trajectory, make_user, login) -> None:
    http = login(make_user(role))
    answers = {address: http.get(address).status_code for address in _all_urls(trajectory)}
    assert set(answers.values()) == {403}, answers


def test_a_team_manager_needs_an_access_grant(trajectory, make_user, login) -> None:
    manager = make_user(Role.TEAM_MANAGER)
    http = login(manager)
    assert http.get(url("detail", trajectory.pk)).status_code == 404
    instrument = InstrumentFactory(trajectory=trajectory)
    assert http.get(url("instrument_edit", instrument.pk)).status_code == 404
    factories.AccessGrantFactory(client=trajectory.client, user=manager)
    assert http.get(url("detail", trajectory.pk)).status_code == 200
    assert http.get(url("instrument_edit", instrument.pk)).status_code == 200
    assert AuditEvent.objects.filter(actor=manager, action=Action.READ, client_id=trajectory.client_id).exists()


def test_a_team_manager_without_the_dossier_cannot_start_a_trajectory(client_of, make_user, login) -> None:
    response = login(make_user(Role.TEAM_MANAGER)).get(reverse("trajectories:start", args=[client_of.pk]))
    assert response.status_code == 403


def test_a_replacing_colleague_with_a_grant_may_work_in_the_plan(trajectory, make_user, login) -> None:
    colleague = make_user(Role.CONSULTANT)
    factories.AccessGrantFactory(client=trajectory.client, user=colleague)
    response = login(colleague).post(url("goal_create", trajectory.pk), {"text": "Doel", "status": "open"})
    assert response.status_code == 302
    assert Goal.objects.filter(trajectory=trajectory).exists()


# Query budgets


def _grow_plan(trajectory: Trajectory) -> None:
    """More of everything the trajectory page lists."""
    for days in (40, 20):
        LifeDomainAssessmentFactory(trajectory=trajectory, assessed_on=TODAY - datetime.timedelta(days=days))
        IgmProfileFactory(trajectory=trajectory, assessed_on=TODAY - datetime.timedelta(days=days))
    for _ in range(3):
        main = GoalFactory(trajectory=trajectory)
        step = GoalFactory(trajectory=trajectory, parent=main)
        InstrumentFactory(trajectory=trajectory, goal=main)
        InstrumentFactory(trajectory=trajectory, goal=step)


def test_trajectory_page_query_budget(trajectory, consultant, login) -> None:
    LifeDomainAssessmentFactory(trajectory=trajectory)
    IgmProfileFactory(trajectory=trajectory)
    InstrumentFactory(trajectory=trajectory)
    assert_query_budget(login(consultant), url("detail", trajectory.pk), budget=16, grow=lambda: _grow_plan(trajectory))


@pytest.mark.parametrize(
    "name", ["perspective", "life_domains", "igm_profile", "goal_create", "instrument_create", "plan_agreement", "end"]
)
def test_form_page_query_budget(name, trajectory, consultant, login) -> None:
    LifeDomainAssessmentFactory(trajectory=trajectory)
    IgmProfileFactory(trajectory=trajectory)
    InstrumentFactory(trajectory=trajectory)
    assert_query_budget(login(consultant), url(name, trajectory.pk), budget=12, grow=lambda: _grow_plan(trajectory))


def test_goal_and_instrument_edit_page_query_budget(trajectory, consultant, login) -> None:
    instrument = InstrumentFactory(trajectory=trajectory)
    http = login(consultant)
    assert_query_budget(http, url("goal_edit", instrument.goal_id), budget=12, grow=lambda: _grow_plan(trajectory))
    assert_query_budget(http, url("instrument_edit", instrument.pk), budget=13, grow=lambda: _grow_plan(trajectory))


def test_start_page_query_budget(client_of, consultant, login) -> None:
    def grow() -> None:
        TrajectoryFactory(client=client_of, ended_on=TODAY, outflow_reason="moved", started_on=TODAY)

    assert_query_budget(login(consultant), reverse("trajectories:start", args=[client_of.pk]), budget=12, grow=grow)


def test_the_client_page_trajectory_section_does_not_grow_with_trajectories(client_of, consultant, login) -> None:
    from tests.helpers import count_queries

    http = login(consultant)
    _status, without = count_queries(http, reverse("clients:detail", args=[client_of.pk]))
    for days in (300, 200, 100):
        TrajectoryFactory(
            client=client_of,
            started_on=TODAY - datetime.timedelta(days=days),
            ended_on=TODAY - datetime.timedelta(days=days - 50),
            outflow_reason="other",
        )
    _status, with_ended = count_queries(http, reverse("clients:detail", args=[client_of.pk]))
    assert with_ended == without


# Configuration


def test_the_administrator_keeps_the_instrument_catalogue(make_user, login) -> None:
    html = login(make_user(Role.ADMINISTRATOR)).get(reverse("admin:index")).content.decode()
    assert "/beheer/trajectories/instrumenttype/" in html
    assert "/beheer/trajectories/trajectory/" not in html
    response = login(make_user(Role.ADMINISTRATOR)).get(reverse("admin:trajectories_instrumenttype_changelist"))
    assert response.status_code == 200
