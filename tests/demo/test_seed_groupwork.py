"""The demo's group work: the whole process of DOMAIN.md §4, consistent enough to demonstrate and to benchmark.

Most tests read one seeded small demo (1,000 clients), loaded once for the module inside a transaction that is
rolled back at the end; each test runs in a savepoint within it and only reads.
"""

import datetime
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from koers.access.scoping import scope
from koers.accounts.models import Organisation, User
from koers.clients.models import CONTRA_INDICATION_KINDS, Client
from koers.demo import services
from koers.demo.data import DEMO_ORGANISATION_NAME, PROGRAMMES
from koers.demo.groupwork import screen
from koers.groupwork.models import (
    ABSENT_STATUSES,
    Answer,
    Attendance,
    AttendanceStatus,
    EvaluationInvite,
    EvaluationResponse,
    GroupRun,
    HandOff,
    HandOffObservation,
    Invitation,
    InvitationKind,
    Participation,
    Perspective,
    Programme,
    ProgrammeSession,
    Question,
    QuestionKind,
    Questionnaire,
    Referral,
    ReferralEvent,
    ReferralStatus,
    RunStatus,
    Session,
    TrainerProfile,
    Variant,
)
from koers.groupwork.referral_states import ALLOWED
from koers.groupwork.scheduling import Availability, Booking, weekly_hours
from koers.trajectories.models import IgmFactor, InstrumentKind, InstrumentStatus

PASSWORD = "demo-wachtwoord-voor-tests"
S = ReferralStatus
PHASES = ["forming", "storming", "norming", "performing", "adjourning"]
IN_A_RUN = (S.PLACED, S.STARTED, S.COMPLETED, S.DROPPED_OUT)


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Organisation]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield services.seed_demo(password=PASSWORD, seed=5).organisation
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    return timezone.localdate()


def test_every_catalogue_field_is_filled(demo: Organisation) -> None:
    programmes = Programme.objects.filter(organisation=demo).select_related("instrument_type")

    assert programmes.count() == len(PROGRAMMES) == 5
    for programme in programmes:
        for name in (
            "description",
            "learning_goals",
            "target_group",
            "selection_criteria",
            "contra_indication_notes",
            "what_to_bring",
            "evaluation_plan",
        ):
            assert getattr(programme, name).strip(), (programme.slug, name)
        assert programme.contra_indications
        assert set(programme.contra_indications) <= CONTRA_INDICATION_KINDS
        assert programme.instrument_type is not None
        assert programme.instrument_type.kind == InstrumentKind.GROUP_PROGRAMME
        assert programme.instrument_type.name == programme.name
        assert bool(programme.mandatory_reason) == programme.is_mandatory == bool(programme.deadline_weeks)
        protocol = list(ProgrammeSession.objects.filter(programme=programme).values_list("number", "content"))
        assert [number for number, _ in protocol] == list(range(1, programme.session_count + 1))
        assert all(content for _, content in protocol)
        questionnaires = Questionnaire.objects.filter(programme=programme).annotate(n=Count("questions"))
        assert {q.perspective for q in questionnaires} == set(Perspective.values)
        assert all(4 <= q.n <= 6 for q in questionnaires)
    assert programmes.filter(is_mandatory=True, is_continuous=True, session_count=1).exists()
    assert programmes.filter(offers_small_group=True, small_group_max_size__isnull=False).exists()
    assert programmes.filter(offers_language_support=True).exists()
    assert programmes.filter(offers_blended=True).exists()


def test_no_room_or_trainer_is_booked_twice(demo: Organisation) -> None:
    sessions = list(
        Session.objects.filter(group_run__programme__organisation=demo).values_list(
            "pk", "group_run_id", "date", "starts_at", "ends_at", "room_id"
        )
    )
    trainers: dict[int, set[int]] = defaultdict(set)
    for run_id, user_id in GroupRun.trainers.through.objects.values_list("grouprun_id", "user_id"):
        trainers[run_id].add(user_id)
    by_date: dict[datetime.date, list[tuple[int, int, datetime.time, datetime.time, int]]] = defaultdict(list)
    for pk, run_id, day, starts_at, ends_at, room_id in sessions:
        by_date[day].append((pk, run_id, starts_at, ends_at, room_id))

    clashes = []
    for day, rows in by_date.items():
        for i, (pk, run, start, end, room) in enumerate(rows):
            for other_pk, other_run, other_start, other_end, other_room in rows[i + 1 :]:
                overlap = start < other_end and other_start < end
                if overlap and (room == other_room or trainers[run] & trainers[other_run]):
                    clashes.append((day, pk, other_pk))

    assert len(sessions) > 100
    assert clashes == []


def test_trainer_hours_stay_within_their_weekly_hours(demo: Organisation) -> None:
    trainers: dict[int, set[int]] = defaultdict(set)
    for run_id, user_id in GroupRun.trainers.through.objects.values_list("grouprun_id", "user_id"):
        trainers[run_id].add(user_id)
    bookings = [
        Booking(
            s.date,
            s.starts_at,
            s.ends_at,
            s.room_id,
            frozenset(trainers[s.group_run_id]),
            s.group_run.programme.time_model(),
        )
        for s in Session.objects.select_related("group_run__programme")
    ]
    availability = {
        p.user_id: Availability(p.hours_per_week, p.switching_minutes) for p in TrainerProfile.objects.all()
    }

    hours = weekly_hours(bookings, availability)

    assert any(p.switching_minutes for p in availability.values())
    for trainer, weeks in hours.items():
        assert max(weeks.values()) <= availability[trainer].hours_per_week, trainer


def test_no_client_is_placed_against_a_contra_indication(demo: Organisation) -> None:
    in_runs = Referral.objects.filter(group_run__isnull=False).select_related("programme", "client")
    flags: dict[int, set[str]] = defaultdict(set)
    for client_id, kind in Client.objects.filter(organisation=demo).values_list("pk", "flags__kind"):
        if kind:
            flags[client_id].add(kind)

    assert in_runs.count() > 200
    for referral in in_runs:
        assert not flags[referral.client_id] & set(referral.programme.contra_indications), referral.pk
    for participation in Participation.objects.select_related("group_run__programme"):
        assert not flags[participation.client_id] & set(participation.group_run.programme.contra_indications)
    # Screening turned contra-indicated clients down instead.
    declined = Referral.objects.filter(status=S.DECLINED, status_reason__startswith="Contra-indicatie")
    assert declined.exists()
    assert all(flags[r.client_id] & set(r.programme.contra_indications) for r in declined.select_related("programme"))


def test_the_needed_variant_follows_from_the_clients_needs(demo: Organisation) -> None:
    specs = {spec.slug: spec for spec in PROGRAMMES}
    kinds: dict[int, set[str]] = defaultdict(set)
    for client_id, kind in Client.objects.filter(organisation=demo).values_list("pk", "flags__kind"):
        if kind:
            kinds[client_id].add(kind)
    referrals = Referral.objects.exclude(status=S.DECLINED).select_related("programme", "group_run")

    for referral in referrals:
        result = screen(frozenset(kinds[referral.client_id]), specs[referral.programme.slug])
        assert referral.needed_variant == result.variant, referral.pk
        assert bool(referral.support_note) == bool(result.unmet), referral.pk
        if referral.group_run is not None:
            assert referral.group_run.variant == referral.needed_variant
    variants = Counter(referrals.values_list("needed_variant", flat=True))
    assert all(variants[v] > 0 for v in Variant.values)
    assert referrals.exclude(support_note="").exists()


def test_every_status_occurs_with_its_dates_in_order_and_an_event_per_step(demo: Organisation) -> None:
    referrals = list(Referral.objects.filter(programme__organisation=demo))
    events: dict[int, list[ReferralEvent]] = defaultdict(list)
    for event in ReferralEvent.objects.order_by("at", "pk"):
        events[event.referral_id].append(event)
    statuses = Counter(r.status for r in referrals)

    assert set(statuses) == set(S.values)
    assert statuses[S.SCREENING] < statuses[S.WAITING] < statuses[S.COMPLETED]
    assert min(statuses[S.DROPPED_OUT], statuses[S.WITHDRAWN], statuses[S.DECLINED]) > 0
    for referral in referrals:
        dates = [referral.referred_on, referral.screened_on, referral.placed_on, referral.started_on, referral.ended_on]
        present = [day for day in dates if day is not None]
        assert present == sorted(present), referral.pk
        assert all(day <= today() for day in present)
        steps = [event.status for event in events[referral.pk]]
        assert steps[0] == S.SCREENING, (referral.pk, steps)
        assert steps[-1] == referral.status, (referral.pk, steps)
        assert all(after in ALLOWED[before] for before, after in itertools.pairwise(steps)), steps
        assert referral.version == len(steps)
        assert (referral.screened_on is None) == (steps == [S.SCREENING] or steps == [S.SCREENING, S.DECLINED])
        assert (referral.placed_on is not None) == (referral.status in IN_A_RUN)
        assert (referral.started_on is not None) == (referral.status in (S.STARTED, S.COMPLETED, S.DROPPED_OUT))
        assert (referral.ended_on is not None) == (referral.status not in (S.SCREENING, S.WAITING, S.PLACED, S.STARTED))
        assert (referral.group_run_id is not None) == (referral.status in IN_A_RUN)
        assert bool(referral.status_reason) == (referral.status in (S.DROPPED_OUT, S.WITHDRAWN, S.DECLINED))


def test_referrals_argue_their_added_value_from_a_group_instrument_in_the_plan(demo: Organisation) -> None:
    referrals = Referral.objects.select_related("instrument__trajectory", "programme", "goal")
    texts = [r.added_value for r in referrals]

    for referral in referrals:
        assert referral.instrument.instrument_type_id == referral.programme.instrument_type_id
        assert referral.instrument.trajectory.client_id == referral.client_id
        assert referral.instrument.trajectory.ended_on is None
        assert referral.goal_id == referral.instrument.goal_id
        assert referral.goal.text.rstrip(".") in referral.added_value
        assert referral.referred_by_id == referral.instrument.trajectory.created_by_id
        assert referral.instrument.trajectory.started_on <= referral.referred_on
    assert all(len(text) > 150 and "groep vullen" not in text.lower() for text in texts)
    assert len(set(texts)) > 0.95 * len(texts)
    instruments = Counter((r.status, r.instrument.status) for r in referrals.select_related("instrument"))
    assert instruments[(S.STARTED, InstrumentStatus.ACTIVE)] > 0
    assert instruments[(S.COMPLETED, InstrumentStatus.COMPLETED)] > 0
    assert instruments[(S.WAITING, InstrumentStatus.PLANNED)] > 0


def test_mandatory_referrals_have_a_deadline_and_some_waiting_ones_are_close_or_late(demo: Organisation) -> None:
    mandatory = Referral.objects.filter(programme__is_mandatory=True).select_related("programme")

    for referral in mandatory:
        weeks = referral.programme.deadline_weeks
        assert weeks is not None
        assert referral.deadline == referral.referred_on + datetime.timedelta(weeks=weeks)
    assert not Referral.objects.filter(programme__is_mandatory=False, deadline__isnull=False).exists()
    waiting = mandatory.filter(status=S.WAITING)
    assert waiting.filter(deadline__lte=today() + datetime.timedelta(days=7)).exists()


def test_participations_come_from_their_referral(demo: Organisation) -> None:
    participations = Participation.objects.select_related("referral", "group_run__programme")

    for participation in participations:
        referral = participation.referral
        assert referral is not None
        assert referral.client_id == participation.client_id
        assert referral.group_run_id == participation.group_run_id
        assert referral.status in IN_A_RUN
        assert participation.joined_on >= participation.group_run.start_date
        assert referral.placed_on is not None
        assert referral.placed_on < participation.joined_on
    assert participations.count() == Referral.objects.filter(status__in=IN_A_RUN).count()
    assert not Participation.objects.filter(group_run__status=RunStatus.CANCELLED).exists()
    # Continuous intake: someone joined a running group later than its first session.
    assert participations.filter(group_run__programme__is_continuous=True, joined_on__gt=F("group_run__start_date"))


def test_attendance_is_recorded_by_the_runs_trainer_for_held_sessions(demo: Organisation) -> None:
    rows = Attendance.objects.select_related("session", "participation")
    trainers: dict[int, set[int]] = defaultdict(set)
    for run_id, user_id in GroupRun.trainers.through.objects.values_list("grouprun_id", "user_id"):
        trainers[run_id].add(user_id)
    statuses = Counter(rows.values_list("status", flat=True))

    for row in rows:
        assert row.session.date < today()
        assert not row.session.is_cancelled
        assert row.session.group_run_id == row.participation.group_run_id
        assert row.recorded_by_id in trainers[row.session.group_run_id]
        assert row.participation.joined_on <= row.session.date
        assert row.participation.left_on is None or row.session.date <= row.participation.left_on
        assert row.session.attendance_recorded_at is not None
    assert statuses[AttendanceStatus.PRESENT] / sum(statuses.values()) > 0.75
    assert all(statuses[s] for s in AttendanceStatus.values)
    # Placed clients have no attendance yet; started ones do.
    assert not rows.filter(participation__referral__status=S.PLACED).exists()
    acknowledged = rows.filter(acknowledged_at__isnull=False)
    assert acknowledged.filter(status__in=ABSENT_STATUSES).exists()
    assert not acknowledged.exclude(acknowledged_by=F("participation__client__consultant")).exists()


def test_drop_outs_stop_attending_after_leaving(demo: Organisation) -> None:
    dropped = Participation.objects.filter(referral__status=S.DROPPED_OUT).select_related("referral")

    assert dropped.exists()
    for participation in dropped:
        assert participation.left_on == participation.referral.ended_on
        assert not participation.attendances.filter(session__date__gt=participation.left_on).exists()
    no_shows = Attendance.objects.filter(participation__in=dropped, status=AttendanceStatus.UNEXCUSED).values(
        "participation"
    )
    assert no_shows.exists()


def test_session_logs_follow_the_group_phases_with_some_argued_deviations(demo: Organisation) -> None:
    logged = Session.objects.exclude(log_done="").select_related("group_run__programme").order_by("group_run", "number")
    trainers: dict[int, set[int]] = defaultdict(set)
    for run_id, user_id in GroupRun.trainers.through.objects.values_list("grouprun_id", "user_id"):
        trainers[run_id].add(user_id)
    phases: dict[int, list[tuple[int, str]]] = defaultdict(list)

    for session in logged:
        assert session.date < today()
        assert session.group_phase in PHASES
        assert session.norms_and_roles
        assert session.logged_by_id in trainers[session.group_run_id]
        assert session.logged_at is not None
        phases[session.group_run_id].append((session.number, session.group_phase))
    for run_id, sequence in phases.items():
        order = [PHASES.index(phase) for _, phase in sequence]
        assert order == sorted(order), (run_id, sequence)
    held = Session.objects.filter(date__lt=today(), is_cancelled=False, group_run__status__in=["running", "completed"])
    assert logged.count() > 0.75 * held.count()
    assert Counter(logged.values_list("group_phase", flat=True)).keys() == set(PHASES)
    deviations = logged.exclude(protocol_deviation="")
    assert 0 < deviations.count() < 0.3 * logged.count()
    assert all(":" in s.protocol_deviation for s in deviations)  # what was changed: and why


def test_invitations_and_reminders_go_out_before_the_first_session(demo: Organisation) -> None:
    participations = Participation.objects.annotate(
        invitations_sent=Count("invitations", filter=Q(invitations__kind=InvitationKind.INVITATION))
    )

    assert not participations.exclude(invitations_sent=1).exists()
    for invitation in Invitation.objects.select_related("participation"):
        assert timezone.localdate(invitation.sent_at) <= invitation.participation.joined_on
    assert Invitation.objects.filter(kind=InvitationKind.REMINDER).exists()
    assert set(Invitation.objects.values_list("channel", flat=True)) == {"letter", "email"}


def test_hand_offs_close_completed_runs_with_an_observation_per_igm_factor(demo: Organisation) -> None:
    hand_offs = HandOff.objects.select_related("participation__group_run", "participation__client")
    trainers: dict[int, set[int]] = defaultdict(set)
    for run_id, user_id in GroupRun.trainers.through.objects.values_list("grouprun_id", "user_id"):
        trainers[run_id].add(user_id)
    last_session = dict(Session.objects.values("group_run").annotate(last=Max("date")).values_list("group_run", "last"))

    assert hand_offs.count() > 50
    for hand_off in hand_offs:
        run = hand_off.participation.group_run
        assert run.status == RunStatus.COMPLETED
        assert hand_off.written_by_id in trainers[run.pk]
        assert hand_off.advice
        assert timezone.localdate(hand_off.written_at) > last_session[run.pk]
        if hand_off.acknowledged_at is not None:
            assert hand_off.acknowledged_by_id == hand_off.participation.client.consultant_id
            assert hand_off.acknowledged_at > hand_off.written_at
    factors = Counter(HandOffObservation.objects.values_list("factor", flat=True))
    assert set(factors) == set(IgmFactor.values)
    assert len(set(factors.values())) == 1  # six per hand-off
    assert hand_offs.filter(acknowledged_at__isnull=True).exists()
    assert hand_offs.filter(acknowledged_at__isnull=False).exists()


def test_evaluation_answers_are_complete_and_links_hold_no_usable_token(demo: Organisation) -> None:
    responses = EvaluationResponse.objects.select_related("questionnaire", "group_run")
    scale_questions = dict(
        Questionnaire.objects.annotate(n=Count("questions", filter=Q(questions__kind=QuestionKind.SCALE))).values_list(
            "pk", "n"
        )
    )
    scored = dict(
        Answer.objects.filter(score__isnull=False)
        .values("response")
        .annotate(n=Count("id"))
        .values_list("response", "n")
    )

    assert set(responses.values_list("perspective", flat=True)) == set(Perspective.values)
    for response in responses:
        assert response.group_run.status == RunStatus.COMPLETED
        assert response.perspective == response.questionnaire.perspective
        assert scored.get(response.pk, 0) == scale_questions[response.questionnaire_id]
    assert Answer.objects.exclude(text="").exists()
    assert not EvaluationInvite.objects.filter(used_at__isnull=False, token_hash__isnull=False).exists()
    assert not EvaluationInvite.objects.filter(respondent__isnull=False, token_hash__isnull=False).exists()
    assert not EvaluationInvite.objects.filter(expires_at__lt=timezone.now(), token_hash__isnull=False).exists()
    assert EvaluationInvite.objects.filter(used_at__isnull=False).count() == responses.count()
    assert Question.objects.filter(questionnaire__programme__organisation=demo).count() == 5 * 3 * 5


def test_demo_trainer_has_sessions_this_week_and_several_runs(demo: Organisation) -> None:
    trainer = User.objects.get(username="demo-trainer")
    monday = today() - datetime.timedelta(days=today().weekday())
    this_week = Session.objects.filter(
        group_run__trainers=trainer, date__range=(monday, monday + datetime.timedelta(6))
    )

    assert this_week.values("group_run").distinct().count() >= 2
    assert GroupRun.objects.filter(trainers=trainer).exclude(status=RunStatus.CANCELLED).count() >= 5
    assert GroupRun.objects.filter(trainers=trainer, status=RunStatus.COMPLETED).count() >= 2
    assert EvaluationInvite.objects.filter(respondent=trainer, used_at__isnull=True, expires_at__gt=timezone.now())
    # The participants the trainer may see are exactly those of the trainer's own runs.
    visible = set(scope(Client.objects.all(), trainer).values_list("pk", flat=True))
    own = set(Participation.objects.filter(group_run__trainers=trainer).values_list("client_id", flat=True))
    assert visible
    assert visible <= own


def test_demo_consultant_has_group_signals_to_act_on(demo: Organisation) -> None:
    consultant = User.objects.get(username="demo-consulent")
    own = Q(participation__client__consultant=consultant)

    assert HandOff.objects.filter(own, acknowledged_at__isnull=True).exists()
    assert Attendance.objects.filter(own, status__in=ABSENT_STATUSES, acknowledged_at__isnull=True).exists()
    referrals = Counter(Referral.objects.filter(client__consultant=consultant).values_list("status", flat=True))
    assert {S.SCREENING, S.WAITING, S.PLACED, S.STARTED, S.COMPLETED, S.WITHDRAWN, S.DECLINED} <= set(referrals)


def digest() -> list[tuple[object, ...]]:
    referrals = Referral.objects.values_list(
        "client__bsn", "programme__slug", "status", "referred_on", "placed_on", "ended_on", "group_run__start_date"
    )
    attendance = Attendance.objects.values_list("participation__client__bsn", "session__date", "status")
    runs = GroupRun.objects.values_list("programme__slug", "start_date", "variant", "status", "room__name")
    return sorted(map(tuple, [*referrals, *attendance, *runs]), key=repr)


def test_group_work_is_the_same_for_the_same_seed() -> None:
    # reset: the module's demo is replaced within this test's savepoint and comes back after it.
    services.seed_demo(password=PASSWORD, seed=7, clients=400, reset=True)
    first = digest()
    services.seed_demo(password=PASSWORD, seed=7, clients=400, reset=True)
    same = digest()
    services.seed_demo(password=PASSWORD, seed=8, clients=400, reset=True)

    assert same == first
    assert digest() != first


def test_reset_removes_all_group_work() -> None:
    organisation = services.seed_demo(password=PASSWORD, seed=2, clients=400, reset=True).organisation
    assert HandOff.objects.exists()
    assert EvaluationResponse.objects.exists()

    services.delete_demo_organisation(organisation)

    assert not Organisation.objects.filter(name=DEMO_ORGANISATION_NAME).exists()
    for model in (
        Programme,
        ProgrammeSession,
        Questionnaire,
        Question,
        GroupRun,
        Session,
        Referral,
        ReferralEvent,
        Participation,
        Invitation,
        Attendance,
        HandOff,
        HandOffObservation,
        EvaluationInvite,
        EvaluationResponse,
        Answer,
        TrainerProfile,
    ):
        assert not model.objects.exists(), model.__name__
