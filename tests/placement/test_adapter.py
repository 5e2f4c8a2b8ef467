"""The database → placement problem mapping, and that building it costs the same queries for any waiting list."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from koers.groupwork.models import ReferralStatus, RunStatus
from koers.placement.adapter import CONTRA_INDICATION, OPEN_TO_ALL, build_instance
from tests.factories import MunicipalityFactory, ParticipationFactory, RoomFactory, ScreeningFlagFactory, UserFactory
from tests.groupwork_factories import SessionFactory, TrainerProfileFactory
from tests.placement_factories import programme_with_planner, run, waiting

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultant(organisation):
    return UserFactory(organisation=organisation, roles=["consultant"])


def test_referrals_and_runs_map_to_clients_and_groups(organisation, municipality, consultant) -> None:
    programme, _planner = programme_with_planner(
        organisation, max_size=12, offers_language_support=True, small_group_max_size=6, offers_small_group=True
    )
    small_room = RoomFactory(organisation=organisation, capacity=10)
    plain = run(programme, room=small_room)
    ParticipationFactory(group_run=plain, client__organisation=organisation, client__municipality=municipality)
    evening = run(programme, in_days=21, variant="language_support", start_time=datetime.time(19, 0))
    cancelled = run(programme, status=RunStatus.CANCELLED)
    available = waiting(programme, municipality, consultant, availability=["mon_morning"], deadline=evening.start_date)
    needing = waiting(programme, municipality, consultant, needed_variant="language_support")
    covered = waiting(programme, municipality, consultant, needed_variant="language_support", support_note="Coach.")
    blocked = waiting(programme, municipality, consultant)
    ScreeningFlagFactory(client=blocked.client, kind="acute_crisis")
    waiting(programme, municipality, consultant, status=ReferralStatus.SCREENING)

    instance, ids = build_instance(programme, timezone.localdate())

    groups = {g.id: g for g in instance.groups}
    assert set(groups) == {f"G{plain.pk}", f"G{evening.pk}"}  # a cancelled run takes nobody
    assert f"G{cancelled.pk}" not in ids.runs
    g_plain, g_evening = groups[f"G{plain.pk}"], groups[f"G{evening.pk}"]
    assert (g_plain.slot, g_plain.capacity, g_plain.occupied, g_plain.min_size) == ("mon_morning", 10, 1, 1)
    assert (g_evening.slot, g_evening.capacity, g_evening.features) == ("mon_evening", 12, ("language_support",))
    assert g_plain.start_date == plain.start_date
    assert g_plain.location == OPEN_TO_ALL
    clients = {c.id: c for c in instance.clients}
    assert set(clients) == {f"R{r.pk}" for r in (available, needing, covered, blocked)}
    first = clients[f"R{available.pk}"]
    assert first.availability == ("mon_morning",)
    assert first.deadline == evening.start_date
    assert first.referral_date == available.referred_on
    assert first.preferred_locations == ()
    assert clients[f"R{needing.pk}"].availability == ("mon_evening", "mon_morning")  # none recorded: any slot
    assert clients[f"R{needing.pk}"].needs == ("language_support",)
    assert clients[f"R{covered.pk}"].needs == ()  # a support note covers the need, as in fit.py
    assert clients[f"R{blocked.pk}"].contraindications == (CONTRA_INDICATION,)
    assert instance.trainings[0].excluded_contraindications == (CONTRA_INDICATION,)
    assert instance.policy.need_rules == {"small_group": ("small_group",), "language_support": ("language_support",)}
    assert ids.referral_id(f"R{blocked.pk}") == blocked.pk
    assert ids.run_id(f"G{plain.pk}") == plain.pk


def test_municipality_bound_runs_give_clients_their_municipality_as_preference(
    organisation, municipality, consultant
) -> None:
    programme, _planner = programme_with_planner(organisation)
    elsewhere = MunicipalityFactory(organisation=organisation, name="Dijkhoven")
    bound = run(programme, municipality=elsewhere)
    referral = waiting(programme, municipality, consultant)

    instance, _ids = build_instance(programme, timezone.localdate())

    assert instance.groups[0].id == f"G{bound.pk}"
    assert instance.groups[0].location == "Dijkhoven"
    assert instance.clients[0].id == f"R{referral.pk}"
    assert instance.clients[0].preferred_locations == ("Lekkerwaard", OPEN_TO_ALL)


def test_trainer_hours_left_over_the_horizon_and_run_hours_from_the_time_model(
    organisation, municipality, consultant
) -> None:
    programme, _planner = programme_with_planner(organisation, session_count=2, session_minutes=120)
    profile = TrainerProfileFactory(user__organisation=organisation, hours_per_week=Decimal("4"))
    candidate = run(programme, trainers=[profile.user])
    SessionFactory(group_run=candidate, ends_at=datetime.time(11, 30))
    SessionFactory(group_run=candidate, ends_at=datetime.time(11, 30))
    other_programme, _ = programme_with_planner(organisation, session_minutes=120)
    other = run(other_programme, trainers=[profile.user])
    SessionFactory(group_run=other, ends_at=datetime.time(11, 30))
    waiting(programme, municipality, consultant)

    instance, _ids = build_instance(programme, timezone.localdate())

    group = instance.groups[0]
    # 2 h training + 2/8 of 3 h preparing and reporting + 1 h set-up and clearing = 3.75 h a session
    assert group.trainers == (f"T{profile.user.pk}",)
    assert group.trainer_hours == pytest.approx(7.5)
    weeks = -(-((instance.horizon_end - instance.planning_date).days + 1) // 7)
    assert instance.trainers[0].hours_available == pytest.approx(4 * weeks - 3.75)


def test_a_pin_of_a_referral_that_no_longer_waits_is_dropped(organisation, municipality, consultant) -> None:
    programme, _planner = programme_with_planner(organisation)
    group_run = run(programme)
    kept = waiting(programme, municipality, consultant)
    gone = waiting(programme, municipality, consultant, status=ReferralStatus.WITHDRAWN)

    instance, _ids = build_instance(
        programme, timezone.localdate(), {str(kept.pk): group_run.pk, str(gone.pk): group_run.pk}
    )

    assert instance.pinned == {f"R{kept.pk}": f"G{group_run.pk}"}


def test_building_the_instance_costs_the_same_queries_for_a_long_waiting_list(
    organisation, municipality, consultant
) -> None:
    programme, _planner = programme_with_planner(organisation)
    trainer = TrainerProfileFactory(user__organisation=organisation).user
    for offset in (7, 14, 21):
        run(programme, in_days=offset, trainers=[trainer])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            build_instance(programme, timezone.localdate())
        return len(captured)

    waiting(programme, municipality, consultant)
    few = queries()
    for _ in range(20):
        referral = waiting(programme, municipality, consultant)
        ScreeningFlagFactory(client=referral.client, kind="low_language")
    run(programme, in_days=28, trainers=[trainer])
    assert queries() == few
