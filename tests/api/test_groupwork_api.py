"""The group-work API: writes through the same services as the pages (referral, placement, attendance, hand-off),
the same scoping (404 out of scope, 403 wrong role, 405 for a method an endpoint does not offer), refusal and
warning codes, dossier fields hidden from planner and trainer, audit events, and list queries that do not grow."""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from koers.accounts.models import User
from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.clients.models import Client
from koers.groupwork.models import (
    Attendance,
    GroupRun,
    HandOff,
    Participation,
    Referral,
    ReferralStatus,
    RunStatus,
    Session,
)
from koers.trajectories.models import IgmFactor
from tests import factories
from tests import groupwork_factories as gw
from tests.groupwork.referral_helpers import ADDED_VALUE, Plan, english, make_plan, make_run, next_weekday
from tests.helpers import assert_access_matrix, assert_query_budget

pytestmark = pytest.mark.django_db

ALL = list(Role.values)
C, TM, TR, PL, PO, AD, PR = (
    Role.CONSULTANT,
    Role.TEAM_MANAGER,
    Role.TRAINER,
    Role.PLANNER,
    Role.POLICY,
    Role.ADMINISTRATOR,
    Role.PRIVACY_OFFICER,
)
TODAY = timezone.localdate()
MONDAY = 0
DOSSIER_FIELDS = {"added_value", "instrument", "goal", "status_reason"}
ADVICE = "Zet in op een werkervaringsplek; zij nam in de groep vaak het initiatief."


def only(allowed: dict[str, int], otherwise: int = 403) -> dict[str, int]:
    return {role: allowed.get(role, otherwise) for role in ALL}


@dataclass
class World:
    consultant: User
    trainer: User
    planner: User
    plan: Plan
    run: GroupRun
    sessions: list[Session]
    participation: Participation
    referral: Referral
    other_run: GroupRun
    other_session: Session
    other_participation: Participation
    other_referral: Referral
    foreign_referral: Referral
    foreign_session: Session


def participant(run: GroupRun, client: Client) -> Participation:
    referral = gw.ReferralFactory(client=client, programme=run.programme, status=ReferralStatus.PLACED, group_run=run)
    return factories.ParticipationFactory(group_run=run, client=client, referral=referral, joined_on=run.start_date)


def running_run(programme: Any, trainers: list[User]) -> tuple[GroupRun, list[Session]]:
    """A run that started two weeks ago with a weekly session, the last one today."""
    run = factories.GroupRunFactory(
        programme=programme, start_date=TODAY - datetime.timedelta(weeks=2), status=RunStatus.RUNNING, trainers=trainers
    )
    return run, [gw.SessionFactory(group_run=run) for _ in range(3)]


@pytest.fixture
def world(role_users, municipality) -> World:
    """The consultant's client in the trainer's run; a colleague's client in another trainer's run of the same
    organisation (the planner's, not the consultant's or trainer's); and a run of another organisation."""
    consultant, trainer, planner = role_users[C], role_users[TR], role_users[PL]
    plan = make_plan(consultant, municipality, max_size=12)
    run, sessions = running_run(plan.programme, [trainer])
    participation = participant(run, plan.client)
    colleague = factories.UserFactory(organisation=municipality.organisation, roles=[C])
    other_trainer = factories.UserFactory.create(organisation=municipality.organisation, roles=[TR])
    other_run, other_sessions = running_run(plan.programme, [other_trainer])
    stranger = factories.ClientFactory.create(
        organisation=municipality.organisation, municipality=municipality, consultant=colleague
    )
    other_participation = participant(other_run, stranger)
    foreign_organisation = factories.OrganisationFactory(name="Elders")
    foreign_run, foreign_sessions = running_run(factories.ProgrammeFactory(organisation=foreign_organisation), [])
    foreign_client = factories.ClientFactory.create(
        organisation=foreign_organisation,
        municipality__organisation=foreign_organisation,
        consultant=factories.UserFactory(organisation=foreign_organisation, roles=[C]),
    )
    foreign_participation = participant(foreign_run, foreign_client)
    assert other_participation.referral is not None
    assert foreign_participation.referral is not None
    assert participation.referral is not None
    return World(
        consultant=consultant,
        trainer=trainer,
        planner=planner,
        plan=plan,
        run=run,
        sessions=sessions,
        participation=participation,
        referral=participation.referral,
        other_run=other_run,
        other_session=other_sessions[-1],
        other_participation=other_participation,
        other_referral=other_participation.referral,
        foreign_referral=foreign_participation.referral,
        foreign_session=foreign_sessions[-1],
    )


def waiting_referral(world: World, **kwargs: Any) -> Referral:
    """A waiting referral of the consultant's own client (a new client, so it may be placed anywhere)."""
    client = factories.ClientFactory(
        organisation=world.plan.client.organisation,
        municipality=world.plan.client.municipality,
        consultant=world.consultant,
        availability=["mon_morning", "tue_morning"],
    )
    return gw.ReferralFactory(client=client, programme=world.plan.programme, **kwargs)


def post(http: HttpClient, url: str, data: dict[str, Any] | None = None) -> Any:
    return http.post(url, data or {}, content_type="application/json")


def url(name: str, pk: int | None = None) -> str:
    return reverse(f"v1:{name}", args=[pk] if pk is not None else None)


def audited(action: str, object_type: str, client_id: int, reason: str | None = None) -> bool:
    events = AuditEvent.objects.filter(action=action, object_type=object_type, client_id=client_id)
    return events.filter(reason=reason).exists() if reason is not None else events.exists()


# 405 before the role gate: a GET on a POST-only action, and writes an endpoint does not offer


POST_ONLY_ACTIONS = [
    ("referral-withdraw", "referral"),
    ("referral-withdraw", "other_referral"),
    ("referral-decline", "referral"),
    ("referral-decline", "foreign_referral"),
    ("referral-place", "referral"),
    ("referral-place", "foreign_referral"),
    ("session-attendance", "session"),
    ("session-attendance", "other_session"),
    ("handoff-acknowledge", "handoff"),
    ("handoff-acknowledge", "other_handoff"),
]


def _object_pk(world: World, key: str) -> int:
    if key in ("handoff", "other_handoff"):
        participation = world.participation if key == "handoff" else world.other_participation
        return gw.HandOffFactory(participation=participation).pk
    return {
        "referral": world.referral.pk,
        "other_referral": world.other_referral.pk,
        "foreign_referral": world.foreign_referral.pk,
        "session": world.sessions[-1].pk,
        "other_session": world.other_session.pk,
    }[key]


@pytest.mark.parametrize(("name", "key"), POST_ONLY_ACTIONS)
def test_get_on_a_post_only_action_is_405_for_every_role(name, key, world, role_users, login) -> None:
    assert_access_matrix(url(name, _object_pk(world, key)), only({}, otherwise=405), role_users, login)


def test_the_405_names_the_allowed_method(world, role_users, login) -> None:
    response = login(role_users[PL]).get(url("referral-place", world.referral.pk))
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    assert "GET" not in response["Allow"]


@pytest.mark.parametrize(("name", "key"), POST_ONLY_ACTIONS)
def test_post_only_actions_refuse_anonymous_callers(name, key, world, client) -> None:
    target = url(name, _object_pk(world, key))
    assert client.get(target).status_code == 403
    assert post(client, target).status_code == 403


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("post", "session-list"),
        ("post", "grouprun-list"),
        ("post", "attendance-list"),
        ("post", "programme-list"),
        ("delete", "handoff-detail"),
        ("delete", "referral-detail"),
        ("put", "referral-detail"),
    ],
)
def test_writes_an_endpoint_does_not_offer_are_405_for_every_role(method, name, world, role_users, login) -> None:
    pk = None
    if name.endswith("-detail"):
        pk = gw.HandOffFactory(participation=world.participation).pk if name == "handoff-detail" else world.referral.pk
    assert_access_matrix(url(name, pk), only({}, otherwise=405), role_users, login, method=method)


# Referral: create


def referral_body(plan: Plan, **overrides: Any) -> dict[str, Any]:
    return {
        "instrument": plan.instrument.pk,
        "programme": plan.programme.pk,
        "goal": plan.instrument.goal_id,
        "added_value": ADDED_VALUE,
        "needed_variant": "standard",
        "support_note": "",
        **overrides,
    }


@pytest.fixture
def fresh_plan(role_users, municipality) -> Plan:
    return make_plan(role_users[C], municipality, is_mandatory=True, deadline_weeks=4, offers_language_support=True)


def test_the_consultant_refers_and_gets_the_referral_in_full(fresh_plan, role_users, login) -> None:
    response = post(login(role_users[C]), url("referral-list"), referral_body(fresh_plan))
    assert response.status_code == 201, response.json()
    data = response.json()
    referral = Referral.objects.get(pk=data["id"])
    assert (referral.client, referral.status) == (fresh_plan.client, ReferralStatus.WAITING)
    assert data["status"] == "waiting"
    assert data["added_value"] == ADDED_VALUE
    assert (data["instrument"], data["goal"]) == (fresh_plan.instrument.pk, fresh_plan.instrument.goal_id)
    assert data["deadline"] == str(TODAY + datetime.timedelta(weeks=4))
    assert audited(Action.CREATE, "groupwork.referral", fresh_plan.client.pk, "referral created")


@pytest.mark.parametrize("role", [TM, TR, PL, PO, AD, PR])
def test_only_a_consultant_refers(role, fresh_plan, role_users, login) -> None:
    assert post(login(role_users[role]), url("referral-list"), referral_body(fresh_plan)).status_code == 403
    assert not Referral.objects.exists()


def test_a_screening_refusal_is_400_with_the_reasons_per_field(fresh_plan, role_users, login) -> None:
    factories.ScreeningFlagFactory(client=fresh_plan.client, kind="acute_crisis")
    factories.ScreeningFlagFactory(client=fresh_plan.client, kind="low_language")
    http = english(login(role_users[C]))
    response = post(http, url("referral-list"), referral_body(fresh_plan))
    assert response.status_code == 400
    errors = response.json()
    assert "is not possible for this client" in errors["non_field_errors"][0]
    assert "“Acute crisis”" in errors["non_field_errors"][0]
    assert "Extra language support" in errors["needed_variant"][0]
    assert not Referral.objects.exists()


def test_filling_the_group_is_refused_as_added_value(fresh_plan, role_users, login) -> None:
    body = referral_body(fresh_plan, added_value="We need to fill the group before it starts next month, really.")
    response = post(english(login(role_users[C])), url("referral-list"), body)
    assert response.status_code == 400
    assert "Filling a group is no reason to refer" in response.json()["added_value"][0]


def test_a_second_open_referral_is_refused(fresh_plan, role_users, login) -> None:
    http = english(login(role_users[C]))
    assert post(http, url("referral-list"), referral_body(fresh_plan)).status_code == 201
    again = post(http, url("referral-list"), referral_body(fresh_plan))
    assert again.status_code == 400
    assert "already has an open referral" in again.json()["non_field_errors"][0]
    assert Referral.objects.count() == 1


def test_an_instrument_or_goal_out_of_scope_is_400_alike_for_missing(
    fresh_plan, role_users, municipality, login
) -> None:
    colleague = factories.UserFactory.create(organisation=municipality.organisation, roles=[C])
    other = make_plan(colleague, municipality)
    http = login(role_users[C])
    for field, value in [
        ("instrument", other.instrument.pk),
        ("instrument", 999999),
        ("goal", other.instrument.goal_id),
        ("programme", factories.ProgrammeFactory(organisation=factories.OrganisationFactory(name="Elders")).pk),
    ]:
        response = post(http, url("referral-list"), referral_body(fresh_plan, **{field: value}))
        assert response.status_code == 400, (field, value)
        assert list(response.json()) == [field]
    assert not Referral.objects.exists()


def test_the_goal_of_another_plan_of_the_consultant_is_refused_by_the_service(
    fresh_plan, role_users, municipality, login
) -> None:
    own_other = make_plan(role_users[C], municipality)
    response = post(
        english(login(role_users[C])),
        url("referral-list"),
        referral_body(fresh_plan, goal=own_other.instrument.goal_id),
    )
    assert response.status_code == 400
    assert response.json()["goal"] == ["Choose a goal of this client's plan."]


# Referral: withdraw


def test_the_consultant_withdraws_with_a_reason(world, role_users, login) -> None:
    referral = waiting_referral(world)
    response = post(login(role_users[C]), url("referral-withdraw", referral.pk), {"reason": "Werk gevonden"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["status_reason"]) == ("withdrawn", "Werk gevonden")
    referral.refresh_from_db()
    assert (referral.status, referral.ended_on) == (ReferralStatus.WITHDRAWN, TODAY)
    assert audited(Action.UPDATE, "groupwork.referral", referral.client_id, "referral withdrawn")


def test_withdrawing_a_placed_referral_frees_the_place(world, role_users, login) -> None:
    response = post(login(role_users[C]), url("referral-withdraw", world.referral.pk))
    assert response.status_code == 200
    assert not Participation.objects.filter(pk=world.participation.pk).exists()


def test_withdraw_roles_and_scope(world, role_users, login) -> None:
    referral = waiting_referral(world)
    expected = only({C: 200})
    for role in ALL:
        if role == C:
            continue
        assert post(login(role_users[role]), url("referral-withdraw", referral.pk)).status_code == expected[role]
    http = login(role_users[C])
    assert post(http, url("referral-withdraw", world.other_referral.pk)).status_code == 404
    assert post(http, url("referral-withdraw", 999999)).status_code == 404
    world.other_referral.refresh_from_db()
    assert world.other_referral.status == ReferralStatus.PLACED


def test_an_ended_referral_cannot_be_withdrawn(world, role_users, login) -> None:
    referral = waiting_referral(world, status=ReferralStatus.COMPLETED)
    response = post(english(login(role_users[C])), url("referral-withdraw", referral.pk))
    assert response.status_code == 409
    assert "cannot become" in response.json()["detail"]


# Referral: decline


def test_the_planner_declines_with_a_reason_and_never_sees_the_dossier(world, role_users, login) -> None:
    referral = waiting_referral(world)
    response = post(login(role_users[PL]), url("referral-decline", referral.pk), {"reason": "Groep past niet"})
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "declined"
    assert not DOSSIER_FIELDS & set(data)
    referral.refresh_from_db()
    assert (referral.status, referral.status_reason) == (ReferralStatus.DECLINED, "Groep past niet")
    assert audited(Action.UPDATE, "groupwork.referral", referral.client_id, "referral declined")


def test_declining_needs_a_reason(world, role_users, login) -> None:
    referral = waiting_referral(world)
    for body in ({"reason": "  "}, {}):
        response = post(english(login(role_users[PL])), url("referral-decline", referral.pk), body)
        assert response.status_code == 400
        assert list(response.json()) == ["reason"]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITING


def test_decline_roles_and_scope(world, role_users, login) -> None:
    referral = waiting_referral(world)
    for role in ALL:
        if role != PL:
            response = post(login(role_users[role]), url("referral-decline", referral.pk), {"reason": "Nee"})
            assert response.status_code == 403, role
    response = post(login(role_users[PL]), url("referral-decline", world.foreign_referral.pk), {"reason": "Nee"})
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITING


def test_an_ended_referral_is_out_of_the_planners_reach(world, role_users, login) -> None:
    """Once withdrawn, a referral outside any current run no longer opens to the planner (the relation ended)."""
    referral = waiting_referral(world, status=ReferralStatus.WITHDRAWN)
    response = post(login(role_users[PL]), url("referral-decline", referral.pk), {"reason": "Nee"})
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN


# Referral: place


@pytest.fixture
def upcoming(world) -> GroupRun:
    return make_run(world.plan.programme, next_weekday(MONDAY))


def test_the_planner_places_a_waiting_referral(world, upcoming, role_users, login) -> None:
    referral = waiting_referral(world)
    response = post(login(role_users[PL]), url("referral-place", referral.pk), {"group_run": upcoming.pk})
    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["status"], data["group_run"]) == ("placed", upcoming.pk)
    assert not DOSSIER_FIELDS & set(data)
    participation = Participation.objects.get(referral=referral)
    assert (participation.group_run, participation.joined_on) == (upcoming, upcoming.start_date)
    assert audited(Action.CREATE, "groupwork.participation", referral.client_id, "placed in group run")


def test_a_poor_fit_is_409_with_warnings_until_accepted(world, upcoming, role_users, login) -> None:
    referral = waiting_referral(world)  # available on weekday mornings only
    upcoming.sessions.update(starts_at=datetime.time(19, 0))
    http = english(login(role_users[PL]))
    response = post(http, url("referral-place", referral.pk), {"group_run": upcoming.pk})
    assert response.status_code == 409
    data = response.json()
    assert data["code"] == "placement_warnings"
    assert data["warnings"] == [f"The client is not available on {upcoming.start_date:%A} evening."]
    assert data["warning_codes"] == ["availability"]
    assert "accept_warnings=true" in data["detail"]
    assert not Participation.objects.filter(referral=referral).exists()
    body = {"group_run": upcoming.pk, "accept_warnings": True}
    accepted = post(http, url("referral-place", referral.pk), body)
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "placed"


def test_a_refused_placement_is_409_with_the_reasons(world, upcoming, role_users, login) -> None:
    upcoming.room.capacity = 1
    upcoming.room.save()
    factories.ParticipationFactory(group_run=upcoming, client__organisation=world.plan.client.organisation)
    referral = waiting_referral(world)
    body = {"group_run": upcoming.pk, "accept_warnings": True}
    response = post(english(login(role_users[PL])), url("referral-place", referral.pk), body)
    assert response.status_code == 409
    data = response.json()
    assert data["code"] == "placement_refused"
    assert data["reasons"] == ["This group is full: all 1 places are taken."]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITING


def test_placing_a_referral_that_is_not_waiting_is_refused(world, upcoming, role_users, login) -> None:
    response = post(
        english(login(role_users[PL])), url("referral-place", world.referral.pk), {"group_run": upcoming.pk}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "placement_refused"
    assert "no longer waiting" in response.json()["reasons"][0]


def test_place_roles_and_scope(world, upcoming, role_users, login) -> None:
    referral = waiting_referral(world)
    body = {"group_run": upcoming.pk}
    for role in ALL:
        if role != PL:
            assert post(login(role_users[role]), url("referral-place", referral.pk), body).status_code == 403, role
    http = login(role_users[PL])
    assert post(http, url("referral-place", world.foreign_referral.pk), body).status_code == 404
    foreign_run = make_run(world.foreign_referral.programme, next_weekday(MONDAY))
    response = post(http, url("referral-place", referral.pk), {"group_run": foreign_run.pk})
    assert response.status_code == 400
    assert list(response.json()) == ["group_run"]
    assert not Participation.objects.filter(referral=referral).exists()


# Referral reads: field-level hiding


@pytest.mark.parametrize("role", [PL, TR])
def test_planner_and_trainer_never_get_the_dossier_fields(role, world, role_users, login) -> None:
    http = login(role_users[role])
    rows = http.get(url("referral-list")).json()["results"]
    assert world.referral.pk in {row["id"] for row in rows}
    for row in rows:
        assert not DOSSIER_FIELDS & set(row), row
    detail = http.get(url("referral-detail", world.referral.pk)).json()
    assert not DOSSIER_FIELDS & set(detail)
    assert {"support_note", "needed_variant", "client_name"} <= set(detail)


def test_the_consultant_gets_the_dossier_fields_of_own_clients(world, role_users, login) -> None:
    http = login(role_users[C])
    rows = http.get(url("referral-list")).json()["results"]
    assert {row["id"] for row in rows} == {world.referral.pk}
    assert set(rows[0]) >= DOSSIER_FIELDS
    assert http.get(url("referral-detail", world.other_referral.pk)).status_code == 404


def test_referral_reads_are_audited_per_client(world, role_users, login) -> None:
    login(role_users[PL]).get(url("referral-list"))
    clients = set(AuditEvent.objects.filter(reason="API referral list").values_list("client_id", flat=True))
    assert clients == {world.referral.client_id, world.other_referral.client_id}


# Attendance


def test_the_trainer_records_attendance_for_a_session(world, role_users, login) -> None:
    session = world.sessions[-1]
    body = {"statuses": {str(world.participation.pk): "present"}}
    response = post(login(role_users[TR]), url("session-attendance", session.pk), body)
    assert response.status_code == 200, response.json()
    rows = response.json()
    assert [(row["participation"], row["status"], row["client"]) for row in rows] == [
        (world.participation.pk, "present", world.participation.client_id)
    ]
    assert Attendance.objects.get(session=session, participation=world.participation).status == "present"
    world.referral.refresh_from_db()
    assert world.referral.status == ReferralStatus.STARTED
    assert audited(Action.CREATE, "groupwork.attendance", world.participation.client_id, "attendance recorded")
    assert audited(Action.READ, "clients.client", world.participation.client_id, "API attendance list")


def test_the_planner_records_attendance_and_a_change_is_a_new_signal(world, role_users, login) -> None:
    session = world.sessions[0]
    http = login(role_users[PL])
    key = str(world.participation.pk)
    assert post(http, url("session-attendance", session.pk), {"statuses": {key: "late"}}).status_code == 200
    response = post(http, url("session-attendance", session.pk), {"statuses": {key: "unexcused"}})
    assert response.status_code == 200
    assert response.json()[0]["status"] == "unexcused"
    assert audited(Action.UPDATE, "groupwork.attendance", world.participation.client_id, "attendance changed")


def test_attendance_roles_and_scope(world, role_users, login) -> None:
    body = {"statuses": {str(world.participation.pk): "present"}}
    target = url("session-attendance", world.sessions[-1].pk)
    for role in ALL:
        if role not in (TR, PL):
            assert post(login(role_users[role]), target, body).status_code == 403, role
    other = {"statuses": {str(world.other_participation.pk): "present"}}
    assert post(login(role_users[TR]), url("session-attendance", world.other_session.pk), other).status_code == 404
    foreign = post(login(role_users[PL]), url("session-attendance", world.foreign_session.pk), other)
    assert foreign.status_code == 404
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    "statuses",
    [
        {},
        {"abc": "present"},
        {"999999": "present"},
        {"{participation}": "asleep"},
        {"{other}": "present"},
    ],
)
def test_invalid_attendance_is_400_and_saves_nothing(statuses, world, role_users, login) -> None:
    keys = {"{participation}": str(world.participation.pk), "{other}": str(world.other_participation.pk)}
    body = {"statuses": {keys.get(key, key): status for key, status in statuses.items()}}
    response = post(login(role_users[TR]), url("session-attendance", world.sessions[-1].pk), body)
    assert response.status_code == 400
    assert list(response.json()) == ["statuses"]
    assert not Attendance.objects.exists()


def test_attendance_for_a_future_or_cancelled_session_is_409(world, role_users, login) -> None:
    future = gw.SessionFactory(group_run=world.run, date=TODAY + datetime.timedelta(days=7))
    cancelled = world.sessions[1]
    cancelled.is_cancelled = True
    cancelled.save()
    http = english(login(role_users[TR]))
    body = {"statuses": {str(world.participation.pk): "present"}}
    late = post(http, url("session-attendance", future.pk), body)
    assert late.status_code == 409
    assert "Attendance can be recorded from the day of the session" in late.json()["detail"]
    assert post(http, url("session-attendance", cancelled.pk), body).status_code == 409
    assert not Attendance.objects.exists()


# Hand-off signals


def hand_off_body(participation: Participation, **overrides: Any) -> dict[str, Any]:
    return {
        "participation": participation.pk,
        "advice": ADVICE,
        "observations": {"self_efficacy": "Durft meer", "skills": "Sterk in plannen"},
        **overrides,
    }


def test_the_trainer_writes_a_hand_off_signal(world, role_users, login) -> None:
    response = post(login(role_users[TR]), url("handoff-list"), hand_off_body(world.participation))
    assert response.status_code == 201, response.json()
    data = response.json()
    assert response["ETag"] == '"1"'
    assert data["advice"] == ADVICE
    assert data["observations"]["self_efficacy"] == "Durft meer"
    assert set(data["observations"]) == set(IgmFactor.values)
    assert data["client"] == world.participation.client_id
    hand_off = HandOff.objects.get(participation=world.participation)
    assert hand_off.written_by == role_users[TR]
    assert audited(Action.CREATE, "groupwork.handoff", world.participation.client_id, "hand-off signal written")


def test_a_second_signal_for_the_same_participant_is_409(world, role_users, login) -> None:
    http = login(role_users[TR])
    assert post(http, url("handoff-list"), hand_off_body(world.participation)).status_code == 201
    again = post(english(http), url("handoff-list"), hand_off_body(world.participation))
    assert again.status_code == 409
    assert "exists already" in again.json()["detail"]
    assert HandOff.objects.count() == 1


def test_hand_off_create_roles_and_scope(world, role_users, login) -> None:
    for role in ALL:
        if role != TR:
            response = post(login(role_users[role]), url("handoff-list"), hand_off_body(world.participation))
            assert response.status_code == 403, role
    response = post(login(role_users[TR]), url("handoff-list"), hand_off_body(world.other_participation))
    assert response.status_code == 400
    assert list(response.json()) == ["participation"]
    assert not HandOff.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [{"advice": "  "}, {"observations": {"courage": "veel"}}, {"observations": ["skills"]}, {"advice": None}],
)
def test_invalid_hand_off_input_is_400(overrides, world, role_users, login) -> None:
    response = post(login(role_users[TR]), url("handoff-list"), hand_off_body(world.participation, **overrides))
    assert response.status_code == 400
    assert not HandOff.objects.exists()


@pytest.fixture
def hand_off(world, role_users) -> HandOff:
    from koers.groupwork.handoff_services import write_hand_off

    return write_hand_off(
        role_users[TR], world.participation, ADVICE, {IgmFactor.SKILLS: "Sterk in plannen", IgmFactor.ATTITUDE: "Open"}
    )


def patch(http: HttpClient, pk: int, data: dict[str, Any], if_match: str | None = None, method: str = "patch") -> Any:
    headers = {"HTTP_IF_MATCH": if_match} if if_match is not None else {}
    return getattr(http, method)(url("handoff-detail", pk), data, content_type="application/json", **headers)


def test_a_hand_off_read_sends_its_etag(hand_off, role_users, login) -> None:
    response = login(role_users[TR]).get(url("handoff-detail", hand_off.pk))
    assert response.status_code == 200
    assert response["ETag"] == '"1"'


def test_the_trainer_changes_an_unacknowledged_signal_with_if_match(hand_off, world, role_users, login) -> None:
    http = login(role_users[TR])
    response = patch(http, hand_off.pk, {"observations": {"skills": "Plant zelf", "attitude": ""}}, if_match='"1"')
    assert response.status_code == 200, response.json()
    assert response["ETag"] == '"2"'
    data = response.json()
    assert data["advice"] == ADVICE, "a PATCH keeps what it leaves out"
    assert data["observations"]["skills"] == "Plant zelf"
    assert data["observations"]["attitude"] == ""
    assert data["version"] == 2
    assert AuditEvent.objects.filter(
        action=Action.UPDATE, object_type="groupwork.handoff", reason__startswith="hand-off signal changed"
    ).exists()


def test_a_put_replaces_the_whole_signal(hand_off, role_users, login) -> None:
    response = patch(login(role_users[TR]), hand_off.pk, {"advice": "Nieuw advies"}, if_match='"1"', method="put")
    assert response.status_code == 200
    data = response.json()
    assert data["advice"] == "Nieuw advies"
    assert set(data["observations"].values()) == {""}


def test_a_change_needs_the_current_version(hand_off, role_users, login) -> None:
    http = login(role_users[TR])
    missing = patch(http, hand_off.pk, {"advice": "Zonder versie"})
    assert missing.status_code == 428
    stale = patch(http, hand_off.pk, {"advice": "Oude versie"}, if_match='"7"')
    assert stale.status_code == 412
    hand_off.refresh_from_db()
    assert (hand_off.advice, hand_off.version) == (ADVICE, 1)


def test_an_acknowledged_signal_is_no_longer_changed(hand_off, role_users, login) -> None:
    assert post(login(role_users[C]), url("handoff-acknowledge", hand_off.pk)).status_code == 200
    response = patch(english(login(role_users[TR])), hand_off.pk, {"advice": "Te laat"}, if_match='"1"')
    assert response.status_code == 409
    assert "can no longer be changed" in response.json()["detail"]
    hand_off.refresh_from_db()
    assert hand_off.advice == ADVICE


def test_hand_off_change_roles_and_scope(hand_off, world, role_users, login) -> None:
    for role in ALL:
        if role != TR:
            response = patch(login(role_users[role]), hand_off.pk, {"advice": "Niet van mij"}, if_match='"1"')
            assert response.status_code == 403, role
    other = gw.HandOffFactory(participation=world.other_participation)
    assert patch(login(role_users[TR]), other.pk, {"advice": "Niet van mij"}, if_match='"1"').status_code == 404
    other.refresh_from_db()
    hand_off.refresh_from_db()
    assert hand_off.advice == ADVICE
    assert other.advice != "Niet van mij"


def test_the_consultant_acknowledges_a_signal(hand_off, world, role_users, login) -> None:
    http = login(role_users[C])
    response = post(http, url("handoff-acknowledge", hand_off.pk))
    assert response.status_code == 200
    first = response.json()["acknowledged_at"]
    assert first is not None
    assert audited(Action.UPDATE, "groupwork.handoff", world.participation.client_id, "hand-off signal acknowledged")
    again = post(http, url("handoff-acknowledge", hand_off.pk))
    assert (again.status_code, again.json()["acknowledged_at"]) == (200, first)
    assert AuditEvent.objects.filter(reason="hand-off signal acknowledged").count() == 1
    assert audited(Action.READ, "clients.client", world.participation.client_id, "API hand-off detail")


def test_acknowledge_roles_and_scope(hand_off, world, role_users, login) -> None:
    for role in ALL:
        if role != C:
            assert post(login(role_users[role]), url("handoff-acknowledge", hand_off.pk)).status_code == 403, role
    other = gw.HandOffFactory(participation=world.other_participation)
    assert post(login(role_users[C]), url("handoff-acknowledge", other.pk)).status_code == 404
    other.refresh_from_db()
    hand_off.refresh_from_db()
    assert other.acknowledged_at is None
    assert hand_off.acknowledged_at is None


# Reads: audit and query budgets


def test_hand_off_and_attendance_reads_are_audited(hand_off, world, role_users, login) -> None:
    gw.AttendanceFactory(session=world.sessions[0], participation=world.participation, status="excused")
    http = login(role_users[C])
    http.get(url("handoff-list"))
    http.get(url("attendance-list"))
    client_id = world.participation.client_id
    assert audited(Action.READ, "clients.client", client_id, "API hand-off list")
    assert audited(Action.READ, "clients.client", client_id, "API attendance list")


def _grow(world: World, role_users: dict[str, User]) -> None:
    """More of everything the lists show, inside every role's relation."""
    for _ in range(4):
        client = factories.ClientFactory.create(
            organisation=world.plan.client.organisation,
            municipality=world.plan.client.municipality,
            consultant=role_users[C],
        )
        participation = participant(world.run, client)
        gw.AttendanceFactory(session=world.sessions[0], participation=participation, status="excused")
        gw.HandOffFactory(participation=participation, written_by=role_users[TR])
        gw.ReferralFactory(client__organisation=client.organisation, client__consultant=role_users[C])
        running_run(world.plan.programme, [role_users[TR]])
        factories.ProgrammeFactory(organisation=client.organisation)


LISTS = [
    ("programme-list", C),
    ("programme-list", PO),
    ("grouprun-list", TR),
    ("grouprun-list", PL),
    ("session-list", TR),
    ("session-list", PL),
    ("referral-list", C),
    ("referral-list", TR),
    ("referral-list", PL),
    ("attendance-list", C),
    ("attendance-list", TR),
    ("attendance-list", PL),
    ("handoff-list", C),
    ("handoff-list", TR),
]


@pytest.mark.parametrize(("name", "role"), LISTS)
def test_list_query_count_does_not_grow(name, role, world, role_users, login) -> None:
    gw.AttendanceFactory(session=world.sessions[0], participation=world.participation)
    gw.HandOffFactory(participation=world.participation, written_by=role_users[TR])
    assert_query_budget(login(role_users[role]), url(name), budget=13, grow=lambda: _grow(world, role_users))


# Schema


def test_schema_documents_the_writes(role_users, login) -> None:
    schema = login(role_users[C]).get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    assert "post" in paths["/api/v1/referrals/"]
    for action in ("withdraw", "decline", "place"):
        assert set(paths[f"/api/v1/referrals/{{id}}/{action}/"]) == {"post"}
    assert "409" in paths["/api/v1/referrals/{id}/place/"]["post"]["responses"]
    assert set(paths["/api/v1/sessions/{id}/attendance/"]) == {"post"}
    assert set(paths["/api/v1/hand-offs/{id}/acknowledge/"]) == {"post"}
    patch_op = paths["/api/v1/hand-offs/{id}/"]["patch"]
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in patch_op["parameters"])
    assert {"409", "412", "428"} <= set(patch_op["responses"])
    placement = schema["components"]["schemas"]["PlacementConflict"]["properties"]
    assert {"code", "reasons", "warnings", "warning_codes"} <= set(placement)
