"""Group work against object-level tampering: ids of other organisations, runs, trainers or trajectories in URLs and
form fields, the end of the trainer's and planner's relation, and CSRF on every form.

Each test sends what a user could put in a request by hand and checks that nothing is written or shown; where a
refusal could pass for a broken form, the same request with the user's own ids is shown to succeed. Holes found here
and fixed are kept as regression tests.
"""

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from koers.accounts.middleware import AUTH_TIME_KEY
from koers.accounts.models import Municipality, Organisation, User
from koers.accounts.roles import Role
from koers.groupwork.models import (
    Attendance,
    EvaluationInvite,
    GroupRun,
    HandOff,
    Participation,
    Perspective,
    Programme,
    Referral,
    ReferralStatus,
    RunStatus,
)
from koers.groupwork.referral_services import withdraw
from koers.trajectories.models import Goal, Instrument
from tests import factories
from tests import groupwork_factories as gw
from tests.access.test_group_fields import text_of
from tests.groupwork.attendance_helpers import RunningGroup, running_group
from tests.groupwork.referral_helpers import ADDED_VALUE, Plan, english, make_plan, make_run, next_weekday
from tests.trajectory_factories import GoalFactory, InstrumentTypeFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@dataclass
class Foreign:
    """Another organisation with its own programme, room, trainer, municipality and a run with a session."""

    organisation: Organisation
    planner: User
    trainer: User
    municipality: Municipality
    programme: Programme
    run: GroupRun


@pytest.fixture
def foreign() -> Foreign:
    organisation = factories.OrganisationFactory.create(name="Ander Werkbedrijf")
    trainer = factories.UserFactory.create(organisation=organisation, roles=[Role.TRAINER])
    programme = factories.ProgrammeFactory.create(organisation=organisation)
    run = make_run(programme, next_weekday(0), trainers=[trainer])
    return Foreign(
        organisation=organisation,
        planner=factories.UserFactory.create(organisation=organisation, roles=[Role.PLANNER]),
        trainer=trainer,
        municipality=factories.MunicipalityFactory.create(organisation=organisation),
        programme=programme,
        run=run,
    )


@pytest.fixture
def trainer(make_user: Callable[..., User]) -> User:
    return make_user(Role.TRAINER)


@pytest.fixture
def group(organisation: Organisation, trainer: User) -> RunningGroup:
    return running_group(organisation, trainer, participants=2)


@pytest.fixture
def other_group(organisation: Organisation, make_user: Callable[..., User]) -> RunningGroup:
    return running_group(organisation, make_user(Role.TRAINER), participants=2)


@pytest.fixture
def plan(consultant: User, municipality: Municipality) -> Plan:
    return make_plan(consultant, municipality, max_size=12)


# Ids from elsewhere in form fields --------------------------------------------------------------------------------


def _waiting_referral(plan: Plan) -> Referral:
    return gw.ReferralFactory(
        client=plan.client,
        programme=plan.programme,
        instrument=plan.instrument,
        goal=plan.instrument.goal,
        status=ReferralStatus.WAITING,
    )


@pytest.mark.parametrize("source", ["own programme", "other organisation", "other programme"])
def test_placement_in_a_run_from_elsewhere_places_nobody(plan, planner, foreign, login, source) -> None:
    referral = _waiting_referral(plan)
    programme = {
        "own programme": plan.programme,
        "other organisation": foreign.programme,
        "other programme": factories.ProgrammeFactory.create(organisation=plan.programme.organisation),
    }[source]
    run = foreign.run if source == "other organisation" else make_run(programme, next_weekday(0))
    response = login(planner).post(
        reverse("groupwork:referral_place", args=[referral.pk]), {"run": run.pk, "accept_warnings": "True"}
    )
    referral.refresh_from_db()
    if source == "own programme":  # the same request with a run of the referral's programme places the client
        assert response.status_code == 302
        assert (referral.status, referral.group_run_id) == (ReferralStatus.PLACED, run.pk)
        return
    assert response.status_code == 200
    assert not Participation.objects.exists()
    assert (referral.status, referral.group_run_id) == (ReferralStatus.WAITING, None)


def test_attendance_for_a_participant_of_another_run_is_not_recorded(group, other_group, trainer, login) -> None:
    session = group.sessions[-1]
    own, stranger = group.participations[0], other_group.participations[0]
    response = login(trainer).post(
        reverse("groupwork:session_attendance", args=[session.pk]),
        {f"p{own.pk}": "present", f"p{stranger.pk}": "unexcused"},
    )
    assert response.status_code == 302
    assert list(Attendance.objects.values_list("participation_id", "status")) == [(own.pk, "present")]


def test_a_hand_off_for_a_participant_of_another_trainers_run_is_refused(group, other_group, trainer, login) -> None:
    stranger = other_group.participations[0]
    response = login(trainer).post(
        reverse("groupwork:handoff_write", args=[stranger.pk]), {"advice": "Zet in op een werkervaringsplek."}
    )
    assert response.status_code == 404
    assert not HandOff.objects.exists()


def _other_trajectory_goal(plan: Plan) -> Goal:
    """A goal in a plan of another client of the same consultant: visible to them, but not this client's."""
    client = factories.ClientFactory(
        organisation=plan.client.organisation, municipality=plan.client.municipality, consultant=plan.consultant
    )
    return GoalFactory(trajectory=TrajectoryFactory(client=client, created_by=plan.consultant))


@pytest.mark.parametrize("field", [None, "goal", "programme"])
def test_refer_with_a_goal_or_programme_from_elsewhere_is_refused(plan, foreign, login, field) -> None:
    data = {
        "programme": plan.programme.pk,
        "goal": plan.instrument.goal_id,
        "added_value": ADDED_VALUE,
        "needed_variant": "standard",
    }
    if field is not None:
        data[field] = _other_trajectory_goal(plan).pk if field == "goal" else foreign.programme.pk
    response = login(plan.consultant).post(reverse("groupwork:refer", args=[plan.instrument.pk]), data)
    if field is None:  # the same form with the plan's own goal and programme is accepted
        assert response.status_code == 302
        assert Referral.objects.count() == 1
        return
    assert response.status_code == 200
    assert not Referral.objects.exists()


@pytest.fixture
def signal(group: RunningGroup, trainer: User) -> HandOff:
    """A hand-off signal about a participant whose consultant has an open plan."""
    participation = group.participations[0]
    assert participation.client.trajectories.filter(ended_on__isnull=True, goals__isnull=False).exists()
    return gw.HandOffFactory(participation=participation, written_by=trainer)


def _goal_of(signal: HandOff, whose: str) -> Goal:
    """The main goal of the client's own plan, or a goal in another client's plan of the same consultant."""
    client = signal.participation.client
    if whose == "own":
        own = Goal.objects.filter(trajectory__client=client, parent__isnull=True).first()
        assert own is not None
        return own
    return GoalFactory(trajectory=TrajectoryFactory(client__consultant=client.consultant))


@pytest.mark.parametrize("whose", ["own", "stranger"])
def test_advice_to_goal_under_a_goal_of_another_trajectory_is_refused(signal, login, whose) -> None:
    parent = _goal_of(signal, whose)
    before = Goal.objects.count()
    response = login(signal.participation.client.consultant).post(
        reverse("groupwork:handoff_to_goal", args=[signal.pk]),
        {"doel-text": "Ik wil een werkervaringsplek", "doel-parent": parent.pk},
    )
    signal.refresh_from_db()
    if whose == "own":
        assert response.status_code == 302
        assert Goal.objects.filter(parent=parent).count() == 1
        return
    assert response.status_code == 200
    assert Goal.objects.count() == before
    assert signal.acknowledged_at is None


@pytest.mark.parametrize("whose", ["own", "stranger"])
def test_advice_to_instrument_for_a_goal_of_another_trajectory_is_refused(signal, login, whose) -> None:
    client = signal.participation.client
    goal = _goal_of(signal, whose)
    instrument_type = InstrumentTypeFactory(organisation=client.organisation)
    response = login(client.consultant).post(
        reverse("groupwork:handoff_to_instrument", args=[signal.pk]),
        {
            "instrument-goal": goal.pk,
            "instrument-instrument_type": instrument_type.pk,
            "instrument-purpose": "Werkervaring opdoen",
            "instrument-expected_result": "Een plek binnen drie maanden",
            "instrument-started_on": f"{TODAY:%Y-%m-%d}",
            "instrument-status": "planned",
        },
    )
    added = Instrument.objects.filter(purpose="Werkervaring opdoen")
    if whose == "own":
        assert response.status_code == 302
        assert list(added.values_list("goal_id", flat=True)) == [goal.pk]
        return
    assert response.status_code == 200
    assert not added.exists()


def _run_form(programme: Programme, overrides: dict[str, Any]) -> dict[str, Any]:
    data = {
        "programme": programme.pk,
        "start_date": f"{next_weekday(0):%Y-%m-%d}",
        "start_time": "09:30",
        "weeks_between": "1",
        "variant": "standard",
        "skip_public_holidays": "on",
    }
    return {**data, **overrides}


@pytest.mark.parametrize("field", [None, "programme", "room", "trainers", "municipality"])
def test_a_run_with_an_object_of_another_organisation_is_refused(
    planner, trainer, organisation, municipality, foreign, login, field
) -> None:
    programme = factories.ProgrammeFactory.create(organisation=organisation)
    own = {
        "room": factories.RoomFactory(organisation=organisation).pk,
        "trainers": trainer.pk,
        "municipality": municipality.pk,
    }
    if field is not None:
        stranger = {
            "programme": foreign.programme,
            "room": foreign.run.room,
            "trainers": foreign.trainer,
            "municipality": foreign.municipality,
        }[field]
        own[field] = stranger.pk
    before = GroupRun.objects.count()
    response = login(planner).post(reverse("groupwork:run_create"), _run_form(programme, own))
    if field is None:  # the same form with the organisation's own room, trainer and municipality plans the run
        assert response.status_code == 302
        assert GroupRun.objects.count() == before + 1
        return
    assert response.status_code == 200
    assert GroupRun.objects.count() == before


@pytest.mark.parametrize("whose", ["own", "stranger"])
def test_a_session_moved_to_a_room_of_another_organisation_is_refused(
    planner, organisation, foreign, login, whose
) -> None:
    programme = factories.ProgrammeFactory.create(organisation=organisation)
    run = make_run(programme, next_weekday(0))
    session = run.sessions.first()
    assert session is not None
    room = factories.RoomFactory(organisation=organisation) if whose == "own" else foreign.run.room
    response = login(planner).post(
        reverse("groupwork:session_edit", args=[session.pk]),
        {
            "date": f"{session.date + datetime.timedelta(days=1):%Y-%m-%d}",
            "starts_at": "10:00",
            "room": room.pk,
            "reason": "Zaal wordt verbouwd",
            "version": session.version,
        },
    )
    old_room = session.room_id
    session.refresh_from_db()
    if whose == "own":
        assert response.status_code == 302
        assert session.room_id == room.pk
        return
    assert response.status_code == 200
    assert session.room_id == old_room


# Ids of another organisation or another trainer in the URL --------------------------------------------------------


@dataclass(frozen=True)
class Target:
    name: str
    key: str
    method: str = "get"


FOREIGN_TARGETS = [
    Target("groupwork:run_detail", "run"),
    Target("groupwork:run_edit", "run"),
    Target("groupwork:run_edit", "run", "post"),
    Target("groupwork:run_complete", "run", "post"),
    Target("groupwork:run_cancel", "run", "post"),
    Target("groupwork:run_extend", "run", "post"),
    Target("groupwork:run_invitations", "run"),
    Target("groupwork:run_invitations", "run", "post"),
    Target("groupwork:run_invitation_letters", "run"),
    Target("groupwork:run_evaluation", "run"),
    Target("groupwork:run_evaluation", "run", "post"),
    Target("groupwork:session_edit", "session"),
    Target("groupwork:session_edit", "session", "post"),
    Target("groupwork:session_attendance", "session"),
    Target("groupwork:session_attendance", "session", "post"),
    Target("groupwork:session_attendance_pdf", "session"),
    Target("groupwork:programme_evaluation", "programme"),
    Target("groupwork:waiting_list", "programme_pk"),
    Target("groupwork:referral_detail", "referral"),
    Target("groupwork:referral_place", "referral"),
    Target("groupwork:referral_place", "referral", "post"),
    Target("groupwork:referral_decline", "referral", "post"),
    Target("groupwork:referral_unplace", "referral", "post"),
    Target("v1:grouprun-detail", "run"),
    Target("v1:session-detail", "session"),
    Target("v1:referral-detail", "referral"),
    Target("v1:attendance-detail", "attendance"),
]


def _target_id(target: Target) -> str:
    return f"{target.name}-{target.method}"


@pytest.mark.parametrize("target", FOREIGN_TARGETS, ids=_target_id)
def test_a_planner_of_another_organisation_finds_nothing(planner, foreign, login, target) -> None:
    """Every group-work page and endpoint a planner has, opened with ids of another organisation: 404."""
    run = foreign.run
    session = run.sessions.order_by("number").first()
    assert session is not None
    participation = factories.ParticipationFactory(
        group_run=run,
        client__organisation=foreign.organisation,
        client__consultant=factories.UserFactory(organisation=foreign.organisation, roles=[Role.CONSULTANT]),
    )
    referral = gw.ReferralFactory(
        client=participation.client, programme=foreign.programme, status=ReferralStatus.PLACED, group_run=run
    )
    attendance = gw.AttendanceFactory(session=session, participation=participation, recorded_by=foreign.trainer)
    objects: dict[str, Any] = {
        "run": run,
        "session": session,
        "programme": foreign.programme,
        "programme_pk": foreign.programme,
        "referral": referral,
        "attendance": attendance,
    }
    key = "programme_pk" if target.key == "programme_pk" else "pk"
    url = reverse(target.name, kwargs={key: objects[target.key].pk})
    response = getattr(login(planner), target.method)(url, {"reason": "Geen reden", "run": run.pk})
    assert response.status_code == 404, f"{target.method.upper()} {url} answered {response.status_code}"
    run.refresh_from_db()
    referral.refresh_from_db()
    assert (run.status, run.version, referral.status) == (RunStatus.PLANNED, 1, ReferralStatus.PLACED)


TRAINER_TARGETS = [
    Target("groupwork:run_detail", "run"),
    Target("groupwork:run_handoffs", "run"),
    Target("groupwork:run_evaluation", "run"),
    Target("groupwork:run_evaluation", "run", "post"),
    Target("groupwork:session_attendance", "session"),
    Target("groupwork:session_attendance", "session", "post"),
    Target("groupwork:session_log", "session"),
    Target("groupwork:session_log", "session", "post"),
    Target("groupwork:session_attendance_pdf", "session"),
    Target("groupwork:handoff_write", "participation"),
    Target("groupwork:handoff_write", "participation", "post"),
    Target("v1:grouprun-detail", "run"),
    Target("v1:session-detail", "session"),
    Target("v1:referral-detail", "referral"),
    Target("v1:attendance-detail", "attendance"),
    Target("v1:handoff-detail", "hand_off"),
    Target("v1:client-detail", "client"),
    Target("clients:detail", "client"),
]


@pytest.mark.parametrize("target", TRAINER_TARGETS, ids=_target_id)
def test_a_trainer_finds_nothing_of_another_trainers_run(group, other_group, trainer, login, target) -> None:
    """Every group-work page and endpoint a trainer has, opened with ids of a colleague's run: 404."""
    participation = other_group.participations[0]
    session = other_group.sessions[-1]
    attendance = gw.AttendanceFactory(session=session, participation=participation)
    objects: dict[str, Any] = {
        "run": other_group.run,
        "session": session,
        "participation": participation,
        "referral": participation.referral,
        "attendance": attendance,
        "hand_off": gw.HandOffFactory(participation=participation),
        "client": participation.client,
    }
    url = reverse(target.name, kwargs={"pk": objects[target.key].pk})
    data = {"advice": "Zet in op werk.", "log_done": "Kennismaken", "version": "1", "days_valid": "21"}
    data[f"p{participation.pk}"] = "unexcused"
    response = getattr(login(trainer), target.method)(url, data)
    assert response.status_code == 404, f"{target.method.upper()} {url} answered {response.status_code}"
    assert Attendance.objects.count() == 1
    assert HandOff.objects.count() == 1
    assert not EvaluationInvite.objects.exists()
    session.refresh_from_db()
    assert session.log_done == ""


# The end of the relation ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.TRAINER, Role.PLANNER])
@pytest.mark.parametrize("ended", ["window passed", "cancelled"])
def test_the_evaluation_cannot_start_once_the_relation_has_ended(
    trainer, planner, organisation, login, role, ended
) -> None:
    """A run that was cancelled or started longer ago than the relation window no longer opens its participants, so
    starting its evaluation (whose answer is a PDF with the names of participants without e-mail) is refused too."""
    group = running_group(organisation, trainer, participants=2)
    Participation.objects.filter(pk__in=[p.pk for p in group.participations]).update(joined_on=TODAY)
    for participation in group.participations:
        participation.client.email = ""
        participation.client.save(update_fields=["email"])
    questionnaire = gw.QuestionnaireFactory(programme=group.run.programme, perspective=Perspective.PARTICIPANT)
    gw.QuestionFactory(questionnaire=questionnaire)
    if ended == "window passed":
        GroupRun.objects.filter(pk=group.run.pk).update(
            start_date=TODAY - datetime.timedelta(days=200), status=RunStatus.COMPLETED
        )
    else:
        GroupRun.objects.filter(pk=group.run.pk).update(status=RunStatus.CANCELLED)
    http = english(login(trainer if role == Role.TRAINER else planner))
    url = reverse("groupwork:run_evaluation", args=[group.run.pk])
    response = http.post(url, {"days_valid": "21"})
    assert response.status_code == 302
    assert not EvaluationInvite.objects.exists()
    page = http.get(url)
    assert page.status_code == 200
    names = [p.client.last_name for p in group.participations]
    assert not any(name in page.content.decode() for name in names)
    assert "its evaluation can no longer be started" in page.content.decode()


def test_the_evaluation_still_starts_within_the_relation(trainer, organisation, login) -> None:
    """The same request for a run that still opens its participants answers with the PDF of links."""
    group = running_group(organisation, trainer, participants=1)
    Participation.objects.filter(pk=group.participations[0].pk).update(joined_on=TODAY)
    group.participations[0].client.email = ""
    group.participations[0].client.save(update_fields=["email"])
    questionnaire = gw.QuestionnaireFactory(programme=group.run.programme, perspective=Perspective.PARTICIPANT)
    gw.QuestionFactory(questionnaire=questionnaire)
    response = login(trainer).post(reverse("groupwork:run_evaluation", args=[group.run.pk]), {"days_valid": "21"})
    assert response["Content-Type"].startswith("application/pdf")
    assert EvaluationInvite.objects.count() == 1


PAST_RELATION_PAGES = [
    ("groupwork:run_detail", "run", {Role.TRAINER, Role.PLANNER}),
    ("groupwork:session_attendance", "session", {Role.TRAINER, Role.PLANNER}),
    ("groupwork:session_attendance_pdf", "session", {Role.TRAINER, Role.PLANNER}),
    ("groupwork:run_invitations", "run", {Role.PLANNER}),
    ("v1:referral-list", None, {Role.TRAINER}),
    ("v1:attendance-list", None, {Role.TRAINER}),
    ("v1:handoff-list", None, {Role.TRAINER}),
    ("v1:client-list", None, {Role.TRAINER, Role.PLANNER}),
    ("clients:list", None, {Role.TRAINER, Role.PLANNER}),
]


@pytest.mark.parametrize(
    ("name", "key", "role"),
    [(name, key, role) for name, key, roles in PAST_RELATION_PAGES for role in sorted(roles)],
    ids=lambda value: str(value),
)
def test_a_run_past_the_relation_window_names_nobody(trainer, planner, organisation, login, name, key, role) -> None:
    group = running_group(organisation, trainer, participants=2)
    gw.HandOffFactory(participation=group.participations[0], written_by=trainer)
    gw.AttendanceFactory(session=group.sessions[0], participation=group.participations[0], recorded_by=trainer)
    GroupRun.objects.filter(pk=group.run.pk).update(
        start_date=TODAY - datetime.timedelta(days=200), status=RunStatus.COMPLETED
    )
    Referral.objects.filter(group_run=group.run).update(status=ReferralStatus.COMPLETED)
    objects = {"run": group.run, "session": group.sessions[-1]}
    url = reverse(name, kwargs={"pk": objects[key].pk} if key else None)
    response = login(trainer if role == Role.TRAINER else planner).get(url)
    assert response.status_code == 200
    content = response.content
    if response["Content-Type"].startswith("application/pdf"):
        content = text_of(response).encode()
    shown = [p.client.last_name for p in group.participations if p.client.last_name.encode() in content]
    assert not shown


def test_the_trainer_api_forgets_a_referral_withdrawn_from_the_run(group, trainer, login) -> None:
    """A withdrawal frees the place but keeps ``Referral.group_run``: the trainer's rule goes by the participation."""
    participation = group.participations[0]
    referral = participation.referral
    assert referral is not None
    client = participation.client
    withdraw(client.consultant, referral, "De cliënt is verhuisd.")
    assert not Participation.objects.filter(pk=participation.pk).exists()
    body = login(trainer).get(reverse("v1:referral-list")).content.decode()
    assert client.last_name not in body
    assert login(trainer).get(reverse("v1:referral-detail", args=[referral.pk])).status_code == 404


def test_a_planner_no_longer_opens_a_referral_once_the_relation_has_ended(planner, organisation, login) -> None:
    """Like the client itself (SECURITY.md 27): a referral that ended in a run past the relation window is closed."""
    group = running_group(organisation, None, participants=1)
    GroupRun.objects.filter(pk=group.run.pk).update(
        start_date=TODAY - datetime.timedelta(days=400), status=RunStatus.COMPLETED
    )
    referral = group.participations[0].referral
    assert referral is not None
    Referral.objects.filter(pk=referral.pk).update(
        status=ReferralStatus.COMPLETED, ended_on=TODAY - datetime.timedelta(days=300)
    )
    http = login(planner)
    assert http.get(reverse("clients:detail", args=[referral.client_id])).status_code == 404
    assert http.get(reverse("groupwork:referral_detail", args=[referral.pk])).status_code == 404
    assert http.get(reverse("v1:referral-detail", args=[referral.pk])).status_code == 404


# CSRF ------------------------------------------------------------------------------------------------------------


def _callbacks(patterns: list[Any], prefix: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for item in patterns:
        if isinstance(item, URLResolver):
            space = f"{item.namespace}:" if item.namespace else ""
            found += _callbacks(item.url_patterns, prefix + space)
        elif isinstance(item, URLPattern):
            found.append((prefix + (item.name or ""), item.callback))
    return found


# The participant's questionnaire: its secret, single-use token in the URL is what a CSRF token would be (a forged
# form cannot know it and there is no session to ride on), and browsers send "Origin: null" under no-referrer.
EXEMPT_BY_DESIGN = {"groupwork:evaluation_answer"}


def test_no_group_work_view_is_exempt_from_csrf() -> None:
    views = [(name, view) for name, view in _callbacks(get_resolver().url_patterns) if name.startswith("groupwork:")]
    assert len(views) > 30
    exempt = {name for name, view in views if getattr(view, "csrf_exempt", False)}
    assert exempt <= EXEMPT_BY_DESIGN


def _csrf_checking_login(user: User) -> HttpClient:
    http = HttpClient(enforce_csrf_checks=True)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    http.force_login(user)
    session = http.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[AUTH_TIME_KEY] = time.time()
    session.save()
    return http


def test_a_post_without_the_csrf_token_writes_nothing(group, trainer) -> None:
    own = group.participations[0]
    http = _csrf_checking_login(trainer)
    response = http.post(reverse("groupwork:session_attendance", args=[group.sessions[-1].pk]), {f"p{own.pk}": "late"})
    assert response.status_code == 403
    response = http.post(reverse("groupwork:handoff_write", args=[own.pk]), {"advice": "Zet in op werk."})
    assert response.status_code == 403
    assert not Attendance.objects.exists()
    assert not HandOff.objects.exists()
