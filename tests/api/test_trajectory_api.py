"""The trajectory API: scoping per role, nested diagnosis records, audit of reads and writes, and no lost updates
(ETag / If-Match: 428 without, 412 when stale, the database unchanged)."""

import datetime
import threading
from collections import Counter

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.trajectories.models import (
    Goal,
    GoalStatus,
    IgmFactor,
    InstrumentStatus,
    LifeDomain,
    ProgressReportFacet,
)
from tests import factories
from tests.conftest import verified_login
from tests.helpers import assert_query_budget
from tests.trajectory_factories import (
    GoalFactory,
    IgmProfileFactory,
    InstrumentFactory,
    InstrumentTypeFactory,
    LifeDomainAssessmentFactory,
    ProgressReportFactory,
    TrajectoryFactory,
)

pytestmark = pytest.mark.django_db

LISTS = ["trajectory", "goal", "instrument", "lifedomainassessment", "igmprofile", "progressreport"]


def full_trajectory(client):
    """A trajectory with one of every record, as a consultant builds it."""
    trajectory = TrajectoryFactory(client=client, created_by=client.consultant)
    goal = GoalFactory(trajectory=trajectory)
    instrument = InstrumentFactory(trajectory=trajectory, goal=goal)
    assessment = LifeDomainAssessmentFactory(trajectory=trajectory, scores={LifeDomain.HOUSING: 1})
    profile = IgmProfileFactory(trajectory=trajectory, factors={IgmFactor.SELF_EFFICACY: 2})
    report = ProgressReportFactory(trajectory=trajectory, life_domain_assessment=assessment, igm_profile=profile)
    ProgressReportFacet.objects.create(report=report, factor=IgmFactor.SELF_EFFICACY, changed="Meer vertrouwen")
    return {
        "trajectory": trajectory,
        "goal": goal,
        "instrument": instrument,
        "lifedomainassessment": assessment,
        "igmprofile": profile,
        "progressreport": report,
    }


@pytest.fixture
def world(role_users, municipality):
    consultant = role_users[Role.CONSULTANT]
    own = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=consultant
    )
    colleague = factories.UserFactory(organisation=municipality.organisation, roles=[Role.CONSULTANT])
    other = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=colleague
    )
    return {"own": full_trajectory(own), "other": full_trajectory(other), "colleague": colleague}


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


# Scoping per role


@pytest.mark.parametrize("name", LISTS)
def test_list_is_for_consultants_and_team_managers_only(name, world, role_users, login) -> None:
    url = reverse(f"v1:{name}-list")
    for role, user in role_users.items():
        expected = 200 if role in {Role.CONSULTANT, Role.TEAM_MANAGER} else 403
        assert login(user).get(url).status_code == expected, role


@pytest.mark.parametrize("name", LISTS)
def test_consultant_sees_only_own_caseload(name, world, role_users, login) -> None:
    response = login(role_users[Role.CONSULTANT]).get(reverse(f"v1:{name}-list"))
    assert ids(response) == {world["own"][name].pk}


@pytest.mark.parametrize("name", LISTS)
def test_out_of_scope_detail_is_not_found(name, world, role_users, login) -> None:
    http = login(role_users[Role.CONSULTANT])
    assert http.get(reverse(f"v1:{name}-detail", args=[world["own"][name].pk])).status_code == 200
    assert http.get(reverse(f"v1:{name}-detail", args=[world["other"][name].pk])).status_code == 404
    assert http.get(reverse(f"v1:{name}-detail", args=[999999])).status_code == 404


def test_team_manager_sees_a_dossier_only_after_opening_it_with_a_reason(world, role_users, login) -> None:
    manager = role_users[Role.TEAM_MANAGER]
    http = login(manager)
    assert ids(http.get(reverse("v1:goal-list"))) == set()
    factories.AccessGrantFactory(client=world["own"]["trajectory"].client, user=manager, granted_by=manager)
    assert ids(http.get(reverse("v1:goal-list"))) == {world["own"]["goal"].pk}


def test_replacing_consultant_sees_the_colleagues_client(world, role_users, login) -> None:
    consultant = role_users[Role.CONSULTANT]
    factories.AccessGrantFactory(
        client=world["other"]["trajectory"].client, user=consultant, granted_by=world["colleague"]
    )
    response = login(consultant).get(reverse("v1:trajectory-list"))
    assert ids(response) == {world["own"]["trajectory"].pk, world["other"]["trajectory"].pk}


def test_lists_filter_by_trajectory_and_client(world, role_users, municipality, login) -> None:
    consultant = role_users[Role.CONSULTANT]
    second = full_trajectory(
        factories.ClientFactory(
            organisation=municipality.organisation, municipality=municipality, consultant=consultant
        )
    )
    http = login(consultant)
    goals = http.get(reverse("v1:goal-list"), {"trajectory": second["trajectory"].pk})
    assert ids(goals) == {second["goal"].pk}
    trajectories = http.get(reverse("v1:trajectory-list"), {"client": second["trajectory"].client_id})
    assert ids(trajectories) == {second["trajectory"].pk}


def test_writes_are_refused_to_other_roles(world, role_users, login) -> None:
    goal = world["own"]["goal"]
    for role in [Role.TRAINER, Role.PLANNER, Role.POLICY, Role.ADMINISTRATOR, Role.PRIVACY_OFFICER]:
        http = login(role_users[role])
        response = http.patch(
            reverse("v1:goal-detail", args=[goal.pk]),
            {"text": "x"},
            content_type="application/json",
            HTTP_IF_MATCH='"1"',
        )
        assert response.status_code == 403, role
    assert Goal.objects.get(pk=goal.pk).text == goal.text


# Nested records


def test_assessment_carries_its_eight_scores(world, role_users, login) -> None:
    assessment = world["own"]["lifedomainassessment"]
    data = login(role_users[Role.CONSULTANT]).get(reverse("v1:lifedomainassessment-detail", args=[assessment.pk]))
    scores = {row["domain"]: row["score"] for row in data.json()["scores"]}
    assert set(scores) == set(LifeDomain.values)
    assert scores[LifeDomain.HOUSING] == 1


def test_igm_profile_carries_its_factors(world, role_users, login) -> None:
    profile = world["own"]["igmprofile"]
    data = login(role_users[Role.CONSULTANT]).get(reverse("v1:igmprofile-detail", args=[profile.pk])).json()
    factors = {row["factor"]: row["score"] for row in data["factors"]}
    assert set(factors) == set(IgmFactor.values)
    assert factors[IgmFactor.SELF_EFFICACY] == 2


def test_progress_report_carries_its_facets(world, role_users, login) -> None:
    report = world["own"]["progressreport"]
    data = login(role_users[Role.CONSULTANT]).get(reverse("v1:progressreport-detail", args=[report.pk])).json()
    assert data["facets"] == [{"factor": "self_efficacy", "changed": "Meer vertrouwen", "next_steps": ""}]
    assert data["life_domain_assessment"] == world["own"]["lifedomainassessment"].pk


# Audit


def test_list_read_writes_one_event_per_client(world, role_users, municipality, login) -> None:
    consultant = role_users[Role.CONSULTANT]
    second_client = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=consultant
    )
    second = full_trajectory(second_client)
    GoalFactory(trajectory=second["trajectory"])  # two goals of one client: still one event for that client
    login(consultant).get(reverse("v1:goal-list"))
    events = AuditEvent.objects.filter(action=Action.READ, reason="API goal list")
    assert Counter(events.values_list("client_id", flat=True)) == Counter(
        [world["own"]["trajectory"].client_id, second_client.pk]
    )
    assert set(events.values_list("actor", flat=True)) == {consultant.pk}


def test_detail_read_is_audited_with_the_record(world, role_users, login) -> None:
    instrument = world["own"]["instrument"]
    login(role_users[Role.CONSULTANT]).get(reverse("v1:instrument-detail", args=[instrument.pk]))
    event = AuditEvent.objects.get(action=Action.READ, object_type="trajectories.instrument")
    assert event.object_id == str(instrument.pk)
    assert event.client_id == instrument.trajectory.client_id


def test_out_of_scope_read_writes_no_event(world, role_users, login) -> None:
    login(role_users[Role.CONSULTANT]).get(reverse("v1:goal-detail", args=[world["other"]["goal"].pk]))
    assert not AuditEvent.objects.filter(client_id=world["other"]["trajectory"].client_id).exists()


# Concurrency: ETag and If-Match


def patch(http, name, pk, data, if_match=None):
    headers = {"HTTP_IF_MATCH": if_match} if if_match is not None else {}
    return http.patch(reverse(f"v1:{name}-detail", args=[pk]), data, content_type="application/json", **headers)


def test_detail_sends_the_version_as_etag(world, role_users, login) -> None:
    goal = world["own"]["goal"]
    response = login(role_users[Role.CONSULTANT]).get(reverse("v1:goal-detail", args=[goal.pk]))
    assert response["ETag"] == '"1"'
    assert response.json()["version"] == 1


def test_patch_with_the_current_etag_saves_and_moves_the_etag_on(world, role_users, login) -> None:
    goal = world["own"]["goal"]
    http = login(role_users[Role.CONSULTANT])
    response = patch(http, "goal", goal.pk, {"text": "Ik wil in de zorg werken"}, if_match='"1"')
    assert response.status_code == 200, response.content
    assert response["ETag"] == '"2"'
    assert response.json()["text"] == "Ik wil in de zorg werken"
    goal.refresh_from_db()
    assert (goal.text, goal.version) == ("Ik wil in de zorg werken", 2)
    assert http.get(reverse("v1:goal-detail", args=[goal.pk]))["ETag"] == '"2"'
    event = AuditEvent.objects.get(action=Action.UPDATE, object_type="trajectories.goal")
    assert event.client_id == goal.trajectory.client_id
    assert "text" in event.reason


def test_stale_if_match_is_refused_and_changes_nothing(world, role_users, login) -> None:
    goal = world["own"]["goal"]
    http = login(role_users[Role.CONSULTANT])
    assert patch(http, "goal", goal.pk, {"text": "Eerste wijziging"}, if_match='"1"').status_code == 200
    response = patch(http, "goal", goal.pk, {"text": "Tweede, op een oude versie"}, if_match='"1"')
    assert response.status_code == 412
    assert '"2"' in response.json()["detail"], "the message names the current ETag"
    goal.refresh_from_db()
    assert (goal.text, goal.version) == ("Eerste wijziging", 2)
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_type="trajectories.goal").count() == 1


def test_missing_if_match_is_precondition_required(world, role_users, login) -> None:
    instrument = world["own"]["instrument"]
    response = patch(login(role_users[Role.CONSULTANT]), "instrument", instrument.pk, {"purpose": "Anders"})
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    instrument.refresh_from_db()
    assert (instrument.purpose, instrument.version) == ("Werken aan vertrouwen in eigen kunnen", 1)


def test_if_match_star_and_lists_of_etags_are_understood(world, role_users, login) -> None:
    goal = world["own"]["goal"]
    http = login(role_users[Role.CONSULTANT])
    assert patch(http, "goal", goal.pk, {"status": GoalStatus.ACHIEVED}, if_match="*").status_code == 200
    assert patch(http, "goal", goal.pk, {"status": GoalStatus.OPEN}, if_match='"7", "2"').status_code == 200
    assert patch(http, "goal", goal.pk, {"status": GoalStatus.OPEN}, if_match='W/"3"').status_code == 412


def test_write_lost_between_check_and_save_is_refused(world, role_users, login, monkeypatch) -> None:
    """The save itself compares versions in the database: a change that lands after the If-Match check wins."""
    from koers.trajectories import api

    goal = world["own"]["goal"]
    real_check = api.expected_version

    def check_then_colleague_saves(request, current):
        version = real_check(request, current)
        Goal.objects.filter(pk=goal.pk).update(text="Collega was eerder", version=current + 1)
        return version

    monkeypatch.setattr(api, "expected_version", check_then_colleague_saves)
    response = patch(login(role_users[Role.CONSULTANT]), "goal", goal.pk, {"text": "Te laat"}, if_match='"1"')
    assert response.status_code == 412
    goal.refresh_from_db()
    assert (goal.text, goal.version) == ("Collega was eerder", 2)


def test_put_replaces_an_instrument(world, role_users, login) -> None:
    instrument = world["own"]["instrument"]
    body = {
        "goal": instrument.goal_id,
        "instrument_type": instrument.instrument_type_id,
        "purpose": "Sollicitatievaardigheden",
        "expected_result": "Twee gesprekken",
        "started_on": str(instrument.started_on),
        "planned_weeks": 8,
        "review_on": str(instrument.started_on + datetime.timedelta(weeks=8)),
        "status": InstrumentStatus.ACTIVE,
        "outcome": "",
        "stop_reason": "",
    }
    response = login(role_users[Role.CONSULTANT]).put(
        reverse("v1:instrument-detail", args=[instrument.pk]),
        body,
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 200, response.content
    assert response["ETag"] == '"2"'
    instrument.refresh_from_db()
    assert (instrument.purpose, instrument.planned_weeks, instrument.status) == (
        "Sollicitatievaardigheden",
        8,
        "active",
    )


def test_stopping_an_instrument_needs_a_reason(world, role_users, login) -> None:
    instrument = world["own"]["instrument"]
    http = login(role_users[Role.CONSULTANT])
    refused = patch(http, "instrument", instrument.pk, {"status": InstrumentStatus.STOPPED}, if_match='"1"')
    assert refused.status_code == 400
    stopped = patch(
        http,
        "instrument",
        instrument.pk,
        {"status": InstrumentStatus.STOPPED, "stop_reason": "Sluit niet aan"},
        if_match='"1"',
    )
    assert stopped.status_code == 200, stopped.content
    assert stopped.json()["ended_on"] == str(timezone.localdate())


# Create


def test_create_goal_answers_201_with_etag_and_audits(world, role_users, login) -> None:
    trajectory = world["own"]["trajectory"]
    response = login(role_users[Role.CONSULTANT]).post(
        reverse("v1:goal-list"),
        {"trajectory": trajectory.pk, "text": "Ik wil mijn rijbewijs halen"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response["ETag"] == '"1"'
    goal = Goal.objects.get(pk=response.json()["id"])
    assert goal.trajectory_id == trajectory.pk
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(goal.pk), client_id=trajectory.client_id)


def test_create_intermediate_goal(world, role_users, login) -> None:
    own = world["own"]
    response = login(role_users[Role.CONSULTANT]).post(
        reverse("v1:goal-list"),
        {"trajectory": own["trajectory"].pk, "parent": own["goal"].pk, "text": "Eerst een cv maken"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["parent"] == own["goal"].pk


def test_create_in_a_trajectory_out_of_scope_is_refused(world, role_users, login) -> None:
    response = login(role_users[Role.CONSULTANT]).post(
        reverse("v1:goal-list"),
        {"trajectory": world["other"]["trajectory"].pk, "text": "Niet van mij"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Goal.objects.filter(text="Niet van mij").exists()


def test_instrument_with_a_goal_of_another_trajectory_is_refused(world, role_users, municipality, login) -> None:
    consultant = role_users[Role.CONSULTANT]
    second = full_trajectory(
        factories.ClientFactory(
            organisation=municipality.organisation, municipality=municipality, consultant=consultant
        )
    )
    instrument = world["own"]["instrument"]
    response = patch(login(consultant), "instrument", instrument.pk, {"goal": second["goal"].pk}, if_match='"1"')
    assert response.status_code == 400
    instrument.refresh_from_db()
    assert instrument.version == 1


def test_create_instrument(world, role_users, municipality, login) -> None:
    own = world["own"]
    instrument_type = InstrumentTypeFactory(organisation=municipality.organisation, name="Schuldhulp")
    today = timezone.localdate()
    response = login(role_users[Role.CONSULTANT]).post(
        reverse("v1:instrument-list"),
        {
            "trajectory": own["trajectory"].pk,
            "goal": own["goal"].pk,
            "instrument_type": instrument_type.pk,
            "purpose": "Rust in de financiën",
            "expected_result": "Een stabiele situatie",
            "planned_weeks": 26,
            "review_on": str(today + datetime.timedelta(weeks=6)),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["instrument_type_name"] == "Schuldhulp"
    assert response.json()["status"] == InstrumentStatus.PLANNED


def test_changes_to_an_ended_trajectory_are_a_conflict(world, role_users, login) -> None:
    own = world["own"]
    trajectory = own["trajectory"]
    trajectory.ended_on = timezone.localdate()
    trajectory.outflow_reason = "education"
    trajectory.save()
    http = login(role_users[Role.CONSULTANT])
    assert patch(http, "goal", own["goal"].pk, {"text": "Te laat"}, if_match='"1"').status_code == 409
    created = http.post(
        reverse("v1:goal-list"), {"trajectory": trajectory.pk, "text": "Nieuw"}, content_type="application/json"
    )
    assert created.status_code == 409
    assert Goal.objects.filter(trajectory=trajectory).count() == 1


def test_delete_is_not_offered(world, role_users, login) -> None:
    goal = world["own"]["goal"]
    response = login(role_users[Role.CONSULTANT]).delete(reverse("v1:goal-detail", args=[goal.pk]))
    assert response.status_code == 405
    assert Goal.objects.filter(pk=goal.pk).exists()


# Query budget and schema


@pytest.mark.parametrize("name", LISTS)
def test_list_query_count_does_not_grow(name, role_users, municipality, login) -> None:
    consultant = role_users[Role.CONSULTANT]

    def add(count: int) -> None:
        for _ in range(count):
            full_trajectory(
                factories.ClientFactory(
                    organisation=municipality.organisation, municipality=municipality, consultant=consultant
                )
            )

    add(1)
    assert_query_budget(login(consultant), reverse(f"v1:{name}-list"), budget=13, grow=lambda: add(12))


def test_schema_documents_if_match_and_412(role_users, login) -> None:
    response = login(role_users[Role.CONSULTANT]).get(reverse("api-schema"), HTTP_ACCEPT="application/json")
    schema = response.json()
    patch_goal = schema["paths"]["/api/v1/goals/{id}/"]["patch"]
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in patch_goal["parameters"])
    assert {"412", "428"} <= set(patch_goal["responses"])
    assert "ETag" in patch_goal["responses"]["200"]["headers"]
    for path in ["trajectories", "instruments", "life-domain-assessments", "igm-profiles", "progress-reports"]:
        assert f"/api/v1/{path}/" in schema["paths"]


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_patches_on_one_version_save_exactly_one(role_users, municipality) -> None:
    consultant = role_users[Role.CONSULTANT]
    client = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=consultant
    )
    goal = full_trajectory(client)["goal"]
    sessions = [verified_login(HttpClient(), consultant) for _ in range(2)]
    start = threading.Barrier(2)
    statuses: list[int] = []

    def save(http: HttpClient, text: str) -> None:
        try:
            start.wait()
            statuses.append(patch(http, "goal", goal.pk, {"text": text}, if_match='"1"').status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(http, f"Versie {n}")) for n, http in enumerate(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 412]
    goal.refresh_from_db()
    assert goal.version == 2
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_type="trajectories.goal").count() == 1
