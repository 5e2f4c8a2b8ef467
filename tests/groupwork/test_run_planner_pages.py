"""The planner's run pages: planning, changing, sessions, closing, rooms and trainer hours."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from koers.accounts.roles import Role
from koers.groupwork import views as run_pages
from koers.groupwork.models import GroupRun, ReferralStatus, RunStatus
from koers.groupwork.run_services import create_run
from tests import factories
from tests import groupwork_factories as gw
from tests.helpers import assert_query_budget

pytestmark = pytest.mark.django_db

D = datetime.date
T = datetime.time


@pytest.fixture(autouse=True)
def today(time_machine) -> None:
    time_machine.move_to(datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def trainer(make_user):
    user = make_user(Role.TRAINER)
    user.first_name, user.last_name = "Tess", "Trainer"
    user.save()
    gw.TrainerProfileFactory(user=user, hours_per_week=Decimal("12.0"))
    return user


def planned_run(planner, programme, room, trainers=(), start=D(2027, 1, 5), at=T(9, 30)):  # noqa: B008
    return create_run(
        planner, programme, start, at, "standard", None, room, list(trainers), skip_public_holidays=False
    ).saved


def form_data(programme, room, trainers=(), **extra):
    data = {
        "programme": programme.pk,
        "start_date": "2027-01-05",
        "start_time": "09:30",
        "weeks_between": "1",
        "variant": "standard",
        "room": room.pk if room else "",
        "trainers": [t.pk for t in trainers],
        "skip_dates": "",
    }
    return data | extra


# --- Access ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.TRAINER, Role.CONSULTANT, Role.TEAM_MANAGER, Role.POLICY])
def test_only_planners_plan_runs(role, make_user, login) -> None:
    assert login(make_user(role)).get(reverse("groupwork:run_create")).status_code == 403


def test_a_trainer_cannot_change_own_run_or_its_sessions(trainer, planner, programme, room, login) -> None:
    run = planned_run(planner, programme, room, [trainer])
    http = login(trainer)
    assert http.get(reverse("groupwork:run_edit", args=[run.pk])).status_code == 403
    assert http.get(reverse("groupwork:session_edit", args=[run.sessions.first().pk])).status_code == 403
    assert http.post(reverse("groupwork:run_complete", args=[run.pk])).status_code == 403
    assert http.get(reverse("groupwork:rooms")).status_code == 403
    assert http.get(reverse("groupwork:trainer_capacity")).status_code == 403


def test_runs_of_another_organisation_are_not_found(planner, login) -> None:
    elsewhere = factories.OrganisationFactory(name="Werkbedrijf Elders")
    run = factories.GroupRunFactory(programme__organisation=elsewhere)
    session = gw.SessionFactory(group_run=run)
    http = login(planner)
    assert http.get(reverse("groupwork:run_edit", args=[run.pk])).status_code == 404
    assert http.get(reverse("groupwork:session_edit", args=[session.pk])).status_code == 404
    assert http.post(reverse("groupwork:run_cancel", args=[run.pk]), {"reason": "x"}).status_code == 404


@pytest.mark.parametrize("name", ["run_complete", "run_cancel", "run_extend"])
def test_closing_actions_are_post_only(name, planner, programme, room, login) -> None:
    run = planned_run(planner, programme, room)
    assert login(planner).get(reverse(f"groupwork:{name}", args=[run.pk])).status_code == 405


# --- Planning a run ----------------------------------------------------------------------------------------------


def test_the_programme_can_be_chosen_beforehand(planner, programme, login) -> None:
    html = login(planner).get(reverse("groupwork:run_create") + f"?programme={programme.pk}").content.decode()
    assert 'data-testid="programme-format"' in html
    assert f'<option value="{programme.pk}" selected>' in html


def test_room_and_trainer_choices_show_what_a_planner_chooses_by(planner, trainer, room, organisation, english) -> None:
    factories.RoomFactory(organisation=organisation, name="Oud", is_active=False)
    html = english(planner).get(reverse("groupwork:run_create")).content.decode()
    assert "Zaal Noord (Stationsplein 1) – 16 places, daylight, accessible without escort" in html
    assert "Oud" not in html
    assert "Tess Trainer – 12.0 hours a week for groups" in html


def test_planning_a_run_creates_its_sessions(planner, trainer, programme, room, login) -> None:
    response = login(planner).post(reverse("groupwork:run_create"), form_data(programme, room, [trainer]))
    run = GroupRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("groupwork:run_detail", args=[run.pk])
    assert run.sessions.count() == 6
    assert list(run.trainers.all()) == [trainer]


def test_a_double_booking_is_refused_on_the_form_with_the_input_kept(
    planner, trainer, programme, room, organisation, english
) -> None:
    planned_run(planner, programme, room)
    other = factories.ProgrammeFactory(organisation=organisation, name="SOVA-training")
    data = form_data(other, room, [trainer], start_date="2027-01-12", start_time="10:00", skip_dates="26-01-2027")
    response = english(planner).post(reverse("groupwork:run_create"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "Room Zaal Noord is already booked on 12-01-2027 09:30–12:00 for Empowermenttraining (start 05-01-2027)."
        in html
    )
    assert 'value="2027-01-12"' in html
    assert 'value="26-01-2027"' in html
    assert GroupRun.objects.count() == 1


def test_a_room_that_needs_an_escort_is_saved_with_a_warning(planner, programme, organisation, english) -> None:
    guarded = factories.RoomFactory(organisation=organisation, name="Zaal Beveiligd", accessible_without_escort=False)
    http = english(planner)
    response = http.post(reverse("groupwork:run_create"), form_data(programme, guarded), follow=True)
    assert "cannot be reached without a security escort" in response.content.decode()
    assert GroupRun.objects.count() == 1


def test_a_start_in_the_past_is_refused(planner, programme, room, login) -> None:
    response = login(planner).post(reverse("groupwork:run_create"), form_data(programme, room, start_date="2026-11-03"))
    assert response.status_code == 200
    assert not GroupRun.objects.exists()


# --- Changing a run and its sessions -----------------------------------------------------------------------------


def test_changing_a_run_with_a_stale_version_keeps_the_input(planner, programme, room, login) -> None:
    run = planned_run(planner, programme, room)
    data = form_data(programme, room, start_time="13:00", version=run.version)
    data.pop("programme")
    GroupRun.objects.filter(pk=run.pk).update(version=run.version + 1)
    response = login(planner).post(reverse("groupwork:run_edit", args=[run.pk]), data)
    html = response.content.decode()
    assert 'data-testid="stale-edit"' in html
    assert 'value="13:00"' in html


def test_changing_a_run_replans_the_sessions(planner, programme, room, login) -> None:
    run = planned_run(planner, programme, room)
    data = form_data(programme, room, start_time="13:00", version=run.version)
    response = login(planner).post(reverse("groupwork:run_edit", args=[run.pk]), data)
    assert response.status_code == 302
    assert set(run.sessions.values_list("starts_at", flat=True)) == {T(13, 0)}


def test_a_session_is_moved_and_refusals_are_shown(planner, programme, room, organisation, english) -> None:
    run = planned_run(planner, programme, room)
    planned_run(planner, factories.ProgrammeFactory(organisation=organisation, name="SOVA"), room, start=D(2027, 1, 7))
    session = run.sessions.get(number=2)
    url = reverse("groupwork:session_edit", args=[session.pk])
    http = english(planner)
    data = {"date": "2027-01-14", "starts_at": "09:30", "room": room.pk, "reason": "Ruil", "version": session.version}
    refused = http.post(url, data).content.decode()
    assert "Room Zaal Noord is already booked on 14-01-2027 09:30–12:00 for SOVA (start 07-01-2027)." in refused
    response = http.post(url, data | {"date": "2027-01-13"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.date == D(2027, 1, 13)


def test_a_session_is_cancelled_with_a_reason(planner, programme, room, login) -> None:
    run = planned_run(planner, programme, room)
    session = run.sessions.get(number=2)
    url = reverse("groupwork:session_edit", args=[session.pk])
    http = login(planner)
    assert (
        http.post(url, {"action": "cancel", "cancel-reason": "", "cancel-version": session.version}).status_code == 200
    )
    response = http.post(url, {"action": "cancel", "cancel-reason": "Trainer ziek", "cancel-version": session.version})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.is_cancelled


# --- Closing and extending ---------------------------------------------------------------------------------------


def test_completing_and_cancelling_from_the_run_page(planner, programme, room, organisation, login) -> None:
    consultant = factories.UserFactory(organisation=organisation, roles=[Role.CONSULTANT])
    run = planned_run(planner, programme, room)
    placed = gw.ReferralFactory(
        client__organisation=organisation,
        client__consultant=consultant,
        programme=programme,
        status="placed",
        group_run=run,
    )
    factories.ParticipationFactory(group_run=run, client=placed.client, referral=placed)
    http = login(planner)
    assert http.post(reverse("groupwork:run_cancel", args=[run.pk]), {"reason": ""}).status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.PLANNED
    http.post(reverse("groupwork:run_cancel", args=[run.pk]), {"reason": "Te weinig aanmeldingen"})
    run.refresh_from_db()
    placed.refresh_from_db()
    assert (run.status, placed.status) == (RunStatus.CANCELLED, ReferralStatus.WAITING)
    second = planned_run(planner, programme, room)
    http.post(reverse("groupwork:run_complete", args=[second.pk]))
    second.refresh_from_db()
    assert second.status == RunStatus.COMPLETED


def test_a_continuous_run_is_extended_from_its_page(planner, organisation, room, login) -> None:
    programme = factories.ProgrammeFactory(organisation=organisation, is_continuous=True, session_count=2)
    run = planned_run(planner, programme, room)
    http = login(planner)
    assert (
        'action="{}"'.format(reverse("groupwork:run_extend", args=[run.pk]))
        in http.get(reverse("groupwork:run_detail", args=[run.pk])).content.decode()
    )
    http.post(reverse("groupwork:run_extend", args=[run.pk]), {"extra_sessions": "3"})
    assert run.sessions.count() == 5


# --- The run page ------------------------------------------------------------------------------------------------


def test_run_page_lists_sessions_and_participants_without_dossier_data(
    planner, trainer, programme, room, organisation, login
) -> None:
    run = planned_run(planner, programme, room, [trainer])
    consultant = factories.UserFactory(organisation=organisation, roles=[Role.CONSULTANT])
    referral = gw.ReferralFactory(
        client__organisation=organisation,
        client__consultant=consultant,
        programme=programme,
        status="placed",
        group_run=run,
        needed_variant="language_support",
        support_note="Coach belt na elke bijeenkomst",
    )
    factories.ParticipationFactory(group_run=run, client=referral.client, referral=referral)
    for user in (planner, trainer):
        html = login(user).get(reverse("groupwork:run_detail", args=[run.pk])).content.decode()
        assert html.count('data-session="') == 6
        assert referral.client.full_name in html
        assert referral.client.bsn not in html
        assert referral.added_value not in html
    planner_html = login(planner).get(reverse("groupwork:run_detail", args=[run.pk])).content.decode()
    assert reverse("groupwork:run_edit", args=[run.pk]) in planner_html
    assert reverse("groupwork:session_edit", args=[run.sessions.first().pk]) in planner_html
    trainer_html = login(trainer).get(reverse("groupwork:run_detail", args=[run.pk])).content.decode()
    assert reverse("groupwork:run_edit", args=[run.pk]) not in trainer_html
    assert 'data-testid="run-close"' not in trainer_html


def test_links_to_other_run_pages_follow_role() -> None:
    assert run_pages.run_page_links(planner=False, trainer=True) == {
        "attendance": True,
        "attendance_list": True,
        "invitations": False,
        "handoffs": True,
        "evaluation": True,
    }
    assert run_pages.run_page_links(planner=True, trainer=False) == {
        "attendance": True,
        "attendance_list": True,
        "invitations": True,
        "handoffs": False,
        "evaluation": True,
    }
    assert not any(run_pages.run_page_links(planner=False, trainer=False).values())


def test_planner_filters_runs_by_programme_and_status(planner, programme, room, organisation, login) -> None:
    planned_run(planner, programme, room)
    other = factories.ProgrammeFactory(organisation=organisation, name="SOVA-training")
    cancelled = planned_run(planner, other, factories.RoomFactory(organisation=organisation))
    GroupRun.objects.filter(pk=cancelled.pk).update(status=RunStatus.CANCELLED)
    http = login(planner)
    html = http.get(reverse("groupwork:runs"), {"programma": other.pk}).content.decode()
    assert html.count('data-run="') == 1
    assert "SOVA-training" in html
    html = http.get(reverse("groupwork:runs"), {"status": "planned"}).content.decode()
    assert html.count('data-run="') == 1
    assert "Empowermenttraining" in html


# --- Rooms and trainer hours -------------------------------------------------------------------------------------


def test_rooms_page_shows_the_bookings_per_week(planner, programme, room, login) -> None:
    run = planned_run(planner, programme, room, start=D(2026, 12, 8))
    html = login(planner).get(reverse("groupwork:rooms")).content.decode()
    assert html.count('data-testid="room-week"') == 4
    assert html.count(reverse("groupwork:run_detail", args=[run.pk])) == 3  # 8, 15 and 22 December
    assert "09:30–12:00 Empowermenttraining" in html


def test_trainer_hours_mark_a_week_over_capacity(planner, trainer, programme, room, organisation, login) -> None:
    planned_run(planner, programme, room, [trainer], start=D(2026, 12, 8))  # 4.44 hours in each week
    trainer.trainer_profile.hours_per_week = Decimal("4.0")
    trainer.trainer_profile.save()
    html = login(planner).get(reverse("groupwork:trainer_capacity")).content.decode()
    assert 'data-over-capacity="true"' in html
    assert html.count('data-over="true"') == 6  # the six Tuesdays from 8 December, all within the 8 weeks shown


def _grow_schedule(planner, programme, organisation, run) -> None:
    """More rooms, trainers, runs with sessions, and participants in ``run``."""
    consultant = factories.UserFactory(organisation=organisation, roles=[Role.CONSULTANT])
    for n in range(3):
        room = factories.RoomFactory(organisation=organisation)
        colleague = factories.UserFactory(organisation=organisation, roles=[Role.TRAINER])
        gw.TrainerProfileFactory(user=colleague)
        planned_run(planner, programme, room, [colleague], start=D(2026, 12, 2 + n))
        referral = gw.ReferralFactory(
            client__organisation=organisation,
            client__consultant=consultant,
            programme=programme,
            status="placed",
            group_run=run,
        )
        factories.ParticipationFactory(group_run=run, client=referral.client, referral=referral)
    factories.ProgrammeFactory(organisation=organisation)


PAGES = {
    "run_create": (lambda run: reverse("groupwork:run_create") + f"?programme={run.programme_id}", 12),
    "run_edit": (lambda run: reverse("groupwork:run_edit", args=[run.pk]), 14),
    "session_edit": (lambda run: reverse("groupwork:session_edit", args=[run.sessions.first().pk]), 12),
    "rooms": (lambda run: reverse("groupwork:rooms"), 10),
    "trainer_capacity": (lambda run: reverse("groupwork:trainer_capacity"), 10),
    "run_detail": (lambda run: reverse("groupwork:run_detail", args=[run.pk]), 14),
    "runs": (lambda run: reverse("groupwork:runs") + f"?programma={run.programme_id}&status=planned", 12),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_planner_pages_have_a_query_budget(page, planner, trainer, programme, room, organisation, login) -> None:
    run = planned_run(planner, programme, room, [trainer], start=D(2026, 12, 8))
    factories.ParticipationFactory(group_run=run, client__organisation=organisation)
    url, budget = PAGES[page]
    assert_query_budget(
        login(planner), url(run), budget=budget, grow=lambda: _grow_schedule(planner, programme, organisation, run)
    )
