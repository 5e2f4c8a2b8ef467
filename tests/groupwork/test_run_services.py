"""Planning group runs: sessions from the format, refusals with their messages, and what closing a run does."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone, translation

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.groupwork.models import GroupRun, Participation, ReferralEvent, ReferralStatus, RunStatus, Session
from koers.groupwork.run_services import (
    PlanningRefusedError,
    StaleEditError,
    assign_room,
    assign_trainers,
    cancel_run,
    cancel_session,
    complete_run,
    create_run,
    extend_continuous_run,
    reschedule_session,
    update_run,
)
from tests import factories
from tests import groupwork_factories as gw

pytestmark = pytest.mark.django_db

D = datetime.date
T = datetime.time


@pytest.fixture(autouse=True)
def today(time_machine) -> datetime.date:
    """Tuesday 1 December 2026; messages in English (the source language)."""
    time_machine.move_to(datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC), tick=False)
    with translation.override("en"):
        yield timezone.localdate()


@pytest.fixture
def trainer(make_user):
    user = make_user(Role.TRAINER)
    user.first_name, user.last_name = "Tess", "Trainer"
    user.save()
    gw.TrainerProfileFactory(user=user, hours_per_week=Decimal("16.0"))
    return user


MORNING = T(9, 30)


def plan(planner, programme, start, room, trainers=(), *, at=MORNING, **kwargs):
    arguments = {
        "variant": "standard",
        "municipality": None,
        "room": room,
        "trainers": list(trainers),
        "skip_public_holidays": False,
    } | kwargs
    return create_run(planner, programme, start, at, **arguments)


def test_a_run_gets_its_sessions_from_the_format(planner, programme, room, trainer) -> None:
    planned = plan(planner, programme, D(2027, 1, 5), room, [trainer])
    run = planned.saved
    sessions = list(run.sessions.order_by("number"))
    assert [s.date for s in sessions] == [D(2027, 1, 5) + datetime.timedelta(weeks=n) for n in range(6)]
    assert {(s.starts_at, s.ends_at, s.room_id) for s in sessions} == {(T(9, 30), T(12, 0), room.pk)}
    assert list(run.trainers.all()) == [trainer]
    assert (run.status, run.created_by) == (RunStatus.PLANNED, planner)
    assert planned.warnings == ()
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(run.pk), actor=planner).exists()


def test_public_holidays_and_given_dates_are_skipped(planner, programme, room) -> None:
    run = plan(
        planner,
        programme,
        D(2027, 4, 20),
        room,
        skip_public_holidays=True,
        skip_dates=[D(2027, 5, 18)],
        weeks_between=1,
    ).saved
    dates = list(run.sessions.order_by("number").values_list("date", flat=True))
    # King's Day (Tuesday 27 April) and the given 18 May are passed over; six sessions all the same.
    assert dates == [D(2027, 4, 20), D(2027, 5, 4), D(2027, 5, 11), D(2027, 5, 25), D(2027, 6, 1), D(2027, 6, 8)]


def test_every_other_week(planner, programme, room) -> None:
    run = plan(planner, programme, D(2027, 1, 5), room, weeks_between=2).saved
    assert run.sessions.order_by("number").last().date == D(2027, 3, 16)


def test_room_double_booking_is_refused_with_the_other_run(planner, programme, room, organisation) -> None:
    plan(planner, programme, D(2027, 1, 5), room)
    other = factories.ProgrammeFactory(organisation=organisation, name="SOVA-training")
    with pytest.raises(PlanningRefusedError) as refusal:
        plan(planner, other, D(2027, 1, 12), room, at=T(10, 0))
    assert refusal.value.reasons == [
        "Room Zaal Noord is already booked on 12-01-2027 09:30–12:00 for Empowermenttraining (start 05-01-2027). "
        "The same goes for 4 more sessions of that run."
    ]
    assert GroupRun.objects.count() == 1


def test_repeated_clashes_with_one_run_are_counted_in_one_reason(planner, programme, room) -> None:
    plan(planner, programme, D(2027, 1, 5), room)
    with pytest.raises(PlanningRefusedError) as refusal:
        plan(planner, programme, D(2027, 1, 5), room, at=T(11, 0))
    assert refusal.value.reasons == [
        "Room Zaal Noord is already booked on 05-01-2027 09:30–12:00 for Empowermenttraining (start 05-01-2027). "
        "The same goes for 5 more sessions of that run."
    ]


def test_trainer_double_booking_is_refused(planner, programme, room, trainer, organisation) -> None:
    plan(planner, programme, D(2027, 1, 5), room, [trainer])
    elsewhere = factories.RoomFactory(organisation=organisation, name="Zaal Zuid")
    with pytest.raises(PlanningRefusedError) as refusal:
        plan(planner, programme, D(2027, 1, 19), elsewhere, [trainer], at=T(11, 0))
    assert refusal.value.reasons == [
        "Trainer Tess Trainer already trains Empowermenttraining (start 05-01-2027) on 19-01-2027 09:30–12:00. "
        "The same goes for 3 more sessions of that run."
    ]


def test_trainer_over_capacity_is_refused_with_the_week(planner, programme, room, trainer, organisation) -> None:
    trainer.trainer_profile.hours_per_week = Decimal("12.0")
    trainer.trainer_profile.save()
    day_training = factories.ProgrammeFactory(organisation=organisation, session_count=1, session_minutes=480)
    plan(planner, day_training, D(2027, 1, 18), None, [trainer], at=T(9, 0))  # 12 hours in week 3
    with pytest.raises(PlanningRefusedError) as refusal:
        plan(planner, programme, D(2027, 1, 20), room, [trainer])
    assert refusal.value.reasons == ["Trainer Tess Trainer would work 16.4 hours in week 3 of 2027; available 12.0."]


def test_switching_time_counts_toward_capacity(planner, programme, room, trainer, organisation) -> None:
    trainer.trainer_profile.hours_per_week = Decimal("11.0")
    trainer.trainer_profile.save()
    plan(planner, programme, D(2027, 1, 5), room, [trainer])  # Tuesdays: 4.44 hours a week
    plan(planner, programme, D(2027, 1, 7), factories.RoomFactory(organisation=organisation), [trainer])  # Thursdays
    short = factories.ProgrammeFactory(organisation=organisation, session_count=1, session_minutes=15)  # 1.34 hours
    friday = plan(planner, short, D(2027, 1, 8), factories.RoomFactory(organisation=organisation), [trainer]).saved
    GroupRun.objects.filter(pk=friday.pk).update(status=RunStatus.CANCELLED)
    trainer.trainer_profile.switching_minutes = 30
    trainer.trainer_profile.save()
    with pytest.raises(PlanningRefusedError, match=r"would work 11\.7 hours in week 1 of 2027"):
        plan(planner, short, D(2027, 1, 8), factories.RoomFactory(organisation=organisation), [trainer])


def test_room_smaller_than_the_group_is_refused(planner, programme, organisation) -> None:
    small = factories.RoomFactory(organisation=organisation, name="Spreekkamer", capacity=10)
    with pytest.raises(PlanningRefusedError) as refusal:
        plan(planner, programme, D(2027, 1, 5), small)
    assert refusal.value.reasons == [
        "Room Spreekkamer holds 10 people, but this group can have up to 15 participants. Choose a larger room."
    ]


def test_small_group_variant_fits_a_smaller_room(planner, organisation) -> None:
    programme = factories.ProgrammeFactory(organisation=organisation, offers_small_group=True, small_group_max_size=8)
    small = factories.RoomFactory(organisation=organisation, capacity=10)
    assert plan(planner, programme, D(2027, 1, 5), small, variant="small_group").saved.pk


def test_a_room_that_needs_an_escort_is_a_warning_only(planner, programme, organisation) -> None:
    guarded = factories.RoomFactory(organisation=organisation, name="Zaal Beveiligd", accessible_without_escort=False)
    planned = plan(planner, programme, D(2027, 1, 5), guarded)
    assert planned.saved.pk
    assert planned.warnings == (
        "Room Zaal Beveiligd cannot be reached without a security escort: arrange for participants to be met at "
        "reception.",
    )


def test_a_trainer_without_recorded_hours_is_a_warning(planner, programme, room, make_user) -> None:
    newcomer = make_user(Role.TRAINER)
    planned = plan(planner, programme, D(2027, 1, 5), room, [newcomer])
    assert "weekly capacity was not checked" in planned.warnings[0]


def test_someone_without_the_trainer_role_cannot_train(planner, programme, room, make_user) -> None:
    consultant = make_user(Role.CONSULTANT)
    with pytest.raises(PlanningRefusedError, match="is not a trainer of this organisation"):
        plan(planner, programme, D(2027, 1, 5), room, [consultant])


def test_a_variant_the_programme_does_not_offer_is_refused(planner, programme, room) -> None:
    with pytest.raises(PlanningRefusedError, match="not offered in the variant"):
        plan(planner, programme, D(2027, 1, 5), room, variant="blended")


def test_a_cancelled_run_frees_its_room(planner, programme, room) -> None:
    first = plan(planner, programme, D(2027, 1, 5), room).saved
    GroupRun.objects.filter(pk=first.pk).update(status=RunStatus.CANCELLED)
    assert plan(planner, programme, D(2027, 1, 5), room).saved.pk


def test_only_planners_of_the_organisation_plan(make_user, programme, room) -> None:
    with pytest.raises(PermissionDenied):
        plan(make_user(Role.TRAINER), programme, D(2027, 1, 5), room)
    stranger = factories.UserFactory(organisation=factories.OrganisationFactory(name="Elders"), roles=[Role.PLANNER])
    with pytest.raises(PermissionDenied):
        plan(stranger, programme, D(2027, 1, 5), room)


# --- Changing a run --------------------------------------------------------------------------------------------


def change(planner, run, **kwargs):
    run.refresh_from_db()
    arguments = {
        "version": run.version,
        "start_date": run.start_date,
        "start_time": run.start_time,
        "variant": run.variant,
        "municipality": run.municipality,
        "room": run.room,
        "trainers": list(run.trainers.all()),
        "skip_public_holidays": False,
    } | kwargs
    return update_run(planner, run, **arguments)


def test_a_stale_edit_is_refused(planner, programme, room) -> None:
    run = plan(planner, programme, D(2027, 1, 5), room).saved
    version = run.version
    change(planner, run, start_time=T(10, 0))
    with pytest.raises(StaleEditError):
        change(planner, run, version=version, start_time=T(13, 0))


def test_a_new_start_replans_the_sessions(planner, programme, room) -> None:
    run = plan(planner, programme, D(2027, 1, 5), room).saved
    change(planner, run, start_date=D(2027, 1, 7), start_time=T(13, 0), weeks_between=2)
    run.refresh_from_db()
    sessions = list(run.sessions.order_by("number"))
    assert run.start_date == D(2027, 1, 7)
    assert [s.date for s in sessions][:2] == [D(2027, 1, 7), D(2027, 1, 21)]
    assert {(s.starts_at, s.ends_at) for s in sessions} == {(T(13, 0), T(15, 30))}


def test_a_started_run_keeps_its_dates(planner, programme, room, time_machine) -> None:
    run = plan(planner, programme, D(2027, 1, 5), room).saved
    time_machine.move_to(datetime.datetime(2027, 1, 13, 10, 0, tzinfo=datetime.UTC), tick=False)
    with pytest.raises(PlanningRefusedError, match="has started"):
        change(planner, run, start_time=T(13, 0))


def test_a_new_room_is_checked_and_moves_the_coming_sessions(planner, programme, room, organisation) -> None:
    run = plan(planner, programme, D(2027, 1, 5), room).saved
    other_room = factories.RoomFactory.create(organisation=organisation, name="Zaal Oost")
    other_programme = factories.ProgrammeFactory(organisation=organisation, name="SOVA-training", session_count=1)
    plan(planner, other_programme, D(2027, 1, 19), other_room, at=T(11, 0))
    with pytest.raises(PlanningRefusedError) as refusal:
        assign_room(planner, run, other_room)
    assert refusal.value.reasons == [
        "Room Zaal Oost is already booked on 19-01-2027 11:00–13:30 for SOVA-training (start 19-01-2027)."
    ]
    free = factories.RoomFactory.create(organisation=organisation)
    assign_room(planner, run, free)
    assert set(run.sessions.values_list("room_id", flat=True)) == {free.pk}


def test_added_trainers_are_checked(planner, programme, room, trainer, make_user, organisation) -> None:
    run = plan(planner, programme, D(2027, 1, 5), room).saved
    busy = factories.RoomFactory(organisation=organisation)
    plan(planner, programme, D(2027, 2, 2), busy, [trainer])
    with pytest.raises(PlanningRefusedError, match="already trains"):
        assign_trainers(planner, run, [trainer])
    colleague = make_user(Role.TRAINER)
    gw.TrainerProfileFactory(user=colleague)
    assign_trainers(planner, run, [colleague])
    assert list(run.trainers.all()) == [colleague]


def test_a_completed_run_cannot_change(planner, programme, room) -> None:
    run = plan(planner, programme, D(2027, 1, 5), room).saved
    complete_run(planner, run)
    with pytest.raises(PlanningRefusedError, match="has been completed"):
        change(planner, run, start_time=T(13, 0))


# --- Sessions ----------------------------------------------------------------------------------------------------


def test_a_session_moves_with_a_reason_in_the_audit_trail(planner, programme, room) -> None:
    run = plan(planner, programme, D(2027, 1, 5), room).saved
    session = run.sessions.get(number=3)
    moved = reschedule_session(planner, session, D(2027, 1, 21), T(13, 0), room, "Zaal wordt geschilderd").saved
    assert (moved.date, moved.starts_at, moved.ends_at) == (D(2027, 1, 21), T(13, 0), T(15, 30))
    event = AuditEvent.objects.get(object_id=str(session.pk), object_type="groupwork.session")
    assert event.reason == "session 3 moved from 19-01-2027 09:30 to 21-01-2027 13:00: Zaal wordt geschilderd"


def test_moving_a_session_onto_another_booking_is_refused(planner, programme, room, organisation) -> None:
    run = plan(planner, programme, D(2027, 1, 5), room).saved
    other = plan(
        planner, factories.ProgrammeFactory(organisation=organisation, name="SOVA-training"), D(2027, 1, 7), room
    ).saved
    session = run.sessions.get(number=1)
    with pytest.raises(PlanningRefusedError) as refusal:
        reschedule_session(planner, session, D(2027, 1, 14), T(10, 0), room, "Ruil")
    start = f"{other.start_date:%d-%m-%Y}"
    assert refusal.value.reasons == [
        f"Room Zaal Noord is already booked on 14-01-2027 09:30–12:00 for SOVA-training (start {start})."
    ]


def test_moving_the_first_session_moves_the_start(planner, programme, room) -> None:
    run = plan(planner, programme, D(2027, 1, 5), room).saved
    reschedule_session(planner, run.sessions.get(number=1), D(2027, 1, 4), T(9, 30), room, "Eerder")
    run.refresh_from_db()
    assert run.start_date == D(2027, 1, 4)


def test_a_session_with_attendance_stays(planner, programme, room) -> None:
    run = plan(planner, programme, D(2027, 1, 5), room).saved
    session = run.sessions.get(number=1)
    Session.objects.filter(pk=session.pk).update(attendance_recorded_at=timezone.now())
    with pytest.raises(PlanningRefusedError, match="Attendance has been recorded"):
        reschedule_session(planner, session, D(2027, 1, 6), T(9, 30), room, "Later")
    with pytest.raises(PlanningRefusedError, match="Attendance has been recorded"):
        cancel_session(planner, session, "Ziek")


def test_a_session_cannot_move_into_the_past(planner, programme, room) -> None:
    run = plan(planner, programme, D(2027, 1, 5), room).saved
    with pytest.raises(PlanningRefusedError, match="in the past"):
        reschedule_session(planner, run.sessions.first(), D(2026, 11, 30), T(9, 30), room, "Oeps")


def test_a_cancelled_session_frees_its_room(planner, programme, room, organisation) -> None:
    run = plan(planner, programme, D(2027, 1, 5), room).saved
    cancel_session(planner, run.sessions.get(number=2), "Trainer ziek")
    single = factories.ProgrammeFactory(organisation=organisation, session_count=1)
    assert plan(planner, single, D(2027, 1, 12), room).saved.pk


def test_a_stale_session_edit_is_refused(planner, programme, room) -> None:
    run = plan(planner, programme, D(2027, 1, 5), room).saved
    session = run.sessions.get(number=2)
    version = session.version
    reschedule_session(planner, session, D(2027, 1, 13), T(9, 30), room, "Woensdag", version=version)
    with pytest.raises(StaleEditError):
        cancel_session(planner, session, "Toch niet", version=version)


# --- Continuous runs ---------------------------------------------------------------------------------------------


def test_a_continuous_run_is_extended_after_its_last_session(planner, organisation, room) -> None:
    programme = factories.ProgrammeFactory(organisation=organisation, is_continuous=True, session_count=4)
    run = plan(planner, programme, D(2027, 1, 5), room, weeks_between=2).saved
    extend_continuous_run(planner, run, 3)
    sessions = list(run.sessions.order_by("number"))
    assert [s.number for s in sessions] == [1, 2, 3, 4, 5, 6, 7]
    assert [s.date for s in sessions[4:]] == [D(2027, 3, 2), D(2027, 3, 16), D(2027, 3, 30)]
    assert {s.room_id for s in sessions} == {room.pk}


def test_extension_is_checked_like_any_booking(planner, organisation, room) -> None:
    programme = factories.ProgrammeFactory(organisation=organisation, is_continuous=True, session_count=2)
    run = plan(planner, programme, D(2027, 1, 5), room).saved
    blocker = factories.ProgrammeFactory(organisation=organisation, name="Sollicitatietraining", session_count=1)
    plan(planner, blocker, D(2027, 1, 19), room)
    with pytest.raises(PlanningRefusedError, match="already booked on 19-01-2027"):
        extend_continuous_run(planner, run, 1)


def test_only_continuous_runs_are_extended(planner, programme, room) -> None:
    run = plan(planner, programme, D(2027, 1, 5), room).saved
    with pytest.raises(PlanningRefusedError, match="Only a continuous group"):
        extend_continuous_run(planner, run, 2)


# --- Completing and cancelling -----------------------------------------------------------------------------------


@pytest.fixture
def filled_run(planner, programme, room, organisation, consultant):
    run = plan(planner, programme, D(2027, 1, 5), room).saved
    started = gw.ReferralFactory(
        client__organisation=organisation,
        client__consultant=consultant,
        programme=programme,
        status="started",
        group_run=run,
    )
    placed = gw.ReferralFactory(
        client__organisation=organisation,
        client__consultant=consultant,
        programme=programme,
        status="placed",
        group_run=run,
    )
    for referral in (started, placed):
        factories.ParticipationFactory(group_run=run, client=referral.client, referral=referral)
    return run, started, placed


def test_completing_a_run_completes_starters_and_drops_the_never_attended(planner, filled_run) -> None:
    run, started, placed = filled_run
    closed = complete_run(planner, run)
    started.refresh_from_db()
    placed.refresh_from_db()
    run.refresh_from_db()
    assert (closed.completed, closed.dropped_out) == (1, 1)
    assert run.status == RunStatus.COMPLETED
    assert started.status == ReferralStatus.COMPLETED
    assert (placed.status, placed.ended_on) == (ReferralStatus.DROPPED_OUT, D(2026, 12, 1))
    assert ReferralEvent.objects.filter(referral=placed, status=ReferralStatus.DROPPED_OUT).exists()
    assert placed.participation.left_on == D(2026, 12, 1)


def test_cancelling_a_run_puts_placed_clients_back_on_the_waiting_list(
    planner, programme, room, organisation, consultant
) -> None:
    run = plan(planner, programme, D(2027, 1, 5), room).saved
    placed = gw.ReferralFactory(
        client__organisation=organisation,
        client__consultant=consultant,
        programme=programme,
        status="placed",
        group_run=run,
    )
    factories.ParticipationFactory(group_run=run, client=placed.client, referral=placed)
    closed = cancel_run(planner, run, "Te weinig aanmeldingen")
    placed.refresh_from_db()
    run.refresh_from_db()
    assert closed.back_to_waiting == 1
    assert (placed.status, placed.group_run) == (ReferralStatus.WAITING, None)
    assert ReferralEvent.objects.get(referral=placed).note == "group run cancelled: Te weinig aanmeldingen"
    assert not Participation.objects.filter(group_run=run).exists()
    assert run.status == RunStatus.CANCELLED
    assert not run.sessions.filter(is_cancelled=False).exists()


def test_a_started_run_cannot_be_cancelled(planner, filled_run) -> None:
    run, _started, placed = filled_run
    with pytest.raises(PlanningRefusedError, match="Complete the run instead"):
        cancel_run(planner, run, "Toch niet")
    placed.refresh_from_db()
    assert placed.status == ReferralStatus.PLACED


def test_cancelling_needs_a_reason(planner, programme, room) -> None:
    run = plan(planner, programme, D(2027, 1, 5), room).saved
    with pytest.raises(PlanningRefusedError, match="Give a reason"):
        cancel_run(planner, run, "  ")


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_planners_booking_one_room_at_once_get_one_run(planner, programme, room) -> None:
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def book() -> None:
        try:
            start.wait()
            plan(planner, programme, D(2027, 1, 5), room)
            outcomes.append("planned")
        except PlanningRefusedError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=book) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["planned", "refused"]
    assert GroupRun.objects.count() == 1
