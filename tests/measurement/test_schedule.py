"""Measurement moments of a trajectory (start, every N weeks, end) and the database's "measurement due" verdict."""

import datetime

import pytest
from django.utils import timezone

from koers.clients.models import Client
from koers.measurement.models import Measurement, MeasurementPolicy, MeasurementStatus, Moment, Respondent
from koers.measurement.schedule import MomentStatus, measurement_schedule, next_moment, planned_moments
from koers.measurement.selectors import measurement_due
from tests import factories
from tests.measurement_factories import completed_measurement
from tests.trajectory_factories import TrajectoryFactory

TODAY = datetime.date(2025, 6, 2)
DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(weeks=1)
POLICY = {"start_within_days": 14, "interval_weeks": 13, "measure_at_end": True}


def _plans(started_on, ended_on=None, today=TODAY, **policy):
    return planned_moments(started_on, ended_on, **{**POLICY, **policy}, today=today)


# Planned moments (pure) -------------------------------------------------------------------------------------------


def test_a_new_trajectory_plans_the_start_and_the_first_interim() -> None:
    plans = _plans(TODAY - 3 * DAY)
    assert [(p.moment, p.due_on) for p in plans] == [
        (Moment.START, TODAY + 11 * DAY),
        (Moment.INTERIM, TODAY - 3 * DAY + 13 * WEEK),
    ]


def test_interims_follow_every_interval_up_to_the_first_after_today() -> None:
    started = TODAY - 30 * WEEK
    plans = _plans(started)
    interims = [p.due_on for p in plans if p.moment == Moment.INTERIM]
    assert interims == [started + 13 * WEEK, started + 26 * WEEK, started + 39 * WEEK]


def test_an_ended_trajectory_plans_interims_before_the_end_and_the_end() -> None:
    started = TODAY - 30 * WEEK
    plans = _plans(started, ended_on=TODAY - WEEK)
    assert [(p.moment, p.due_on) for p in plans] == [
        (Moment.START, started + 14 * DAY),
        (Moment.INTERIM, started + 13 * WEEK),
        (Moment.INTERIM, started + 26 * WEEK),
        (Moment.END, TODAY - WEEK),
    ]


def test_no_end_measurement_when_the_policy_says_so() -> None:
    plans = _plans(TODAY - 3 * WEEK, ended_on=TODAY, measure_at_end=False)
    assert [p.moment for p in plans] == [Moment.START]


# Schedule with measurements ---------------------------------------------------------------------------------------


@pytest.fixture
def trajectory(consultant, municipality):
    client = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=consultant
    )
    return TrajectoryFactory(client=client, created_by=consultant, started_on=TODAY - 20 * WEEK)


def _statuses(trajectory, today=TODAY):
    return [(p.moment, p.status) for p in measurement_schedule(trajectory, today)]


@pytest.mark.django_db
def test_missing_start_past_its_date_is_overdue_and_the_interim_too(trajectory, version) -> None:
    assert _statuses(trajectory) == [
        (Moment.START, MomentStatus.OVERDUE),
        (Moment.INTERIM, MomentStatus.OVERDUE),
        (Moment.INTERIM, MomentStatus.UPCOMING),
    ]


@pytest.mark.django_db
def test_a_start_measurement_makes_the_start_done(trajectory, version) -> None:
    start = completed_measurement(trajectory, version, moment=Moment.START, taken_on=trajectory.started_on + DAY)
    schedule = measurement_schedule(trajectory, TODAY)
    assert (schedule[0].status, schedule[0].measurement) == (MomentStatus.DONE, start)


@pytest.mark.django_db
def test_an_interim_counts_within_half_an_interval_of_its_date(trajectory, version) -> None:
    planned = trajectory.started_on + 13 * WEEK
    completed_measurement(trajectory, version, moment=Moment.INTERIM, taken_on=planned - 6 * WEEK)
    assert _statuses(trajectory)[1] == (Moment.INTERIM, MomentStatus.DONE)


@pytest.mark.django_db
def test_an_interim_too_far_from_its_date_does_not_count(trajectory, version) -> None:
    planned = trajectory.started_on + 13 * WEEK
    completed_measurement(trajectory, version, moment=Moment.INTERIM, taken_on=planned - 8 * WEEK)
    assert _statuses(trajectory)[1] == (Moment.INTERIM, MomentStatus.OVERDUE)


@pytest.mark.django_db
def test_one_measurement_counts_for_one_moment_only(trajectory, version) -> None:
    planned = trajectory.started_on + 13 * WEEK
    completed_measurement(trajectory, version, moment=Moment.INTERIM, taken_on=planned)
    statuses = _statuses(trajectory, today=trajectory.started_on + 26 * WEEK)
    assert statuses[1:3] == [(Moment.INTERIM, MomentStatus.DONE), (Moment.INTERIM, MomentStatus.DUE)]


@pytest.mark.django_db
def test_an_interim_is_due_two_weeks_before_its_date(trajectory, version) -> None:
    planned = trajectory.started_on + 13 * WEEK
    completed_measurement(trajectory, version, moment=Moment.START, taken_on=trajectory.started_on)
    assert _statuses(trajectory, today=planned - 15 * DAY)[1] == (Moment.INTERIM, MomentStatus.UPCOMING)
    assert _statuses(trajectory, today=planned - 14 * DAY)[1] == (Moment.INTERIM, MomentStatus.DUE)
    assert _statuses(trajectory, today=planned)[1] == (Moment.INTERIM, MomentStatus.DUE)
    assert _statuses(trajectory, today=planned + DAY)[1] == (Moment.INTERIM, MomentStatus.OVERDUE)


@pytest.mark.django_db
def test_the_start_is_due_from_the_first_day(consultant, municipality, version) -> None:
    client = factories.ClientFactory(organisation=municipality.organisation, consultant=consultant)
    trajectory = TrajectoryFactory.create(client=client, created_by=consultant, started_on=TODAY)
    assert _statuses(trajectory)[0] == (Moment.START, MomentStatus.DUE)
    suggested = next_moment(measurement_schedule(trajectory, TODAY))
    assert suggested is not None
    assert suggested.moment == Moment.START


@pytest.mark.django_db
def test_an_open_measurement_is_shown_at_its_moment_without_making_it_done(trajectory, version) -> None:
    pending = Measurement.objects.create(
        trajectory=trajectory,
        version=version,
        moment=Moment.START,
        respondent=Respondent.CLIENT,
        created_by=trajectory.created_by,
    )
    first = measurement_schedule(trajectory, TODAY)[0]
    assert (first.status, first.measurement) == (MomentStatus.OVERDUE, pending)


@pytest.mark.django_db
def test_a_cancelled_measurement_does_not_count(trajectory, version) -> None:
    measurement = completed_measurement(trajectory, version, moment=Moment.START, taken_on=trajectory.started_on)
    Measurement.objects.filter(pk=measurement.pk).update(status=MeasurementStatus.CANCELLED)
    assert _statuses(trajectory)[0] == (Moment.START, MomentStatus.OVERDUE)


@pytest.mark.django_db
def test_the_schedule_follows_the_organisations_policy(trajectory, version) -> None:
    MeasurementPolicy.objects.filter(organisation=trajectory.client.organisation).update(interval_weeks=4)
    interims = [p for p in measurement_schedule(trajectory, TODAY) if p.moment == Moment.INTERIM]
    assert len(interims) == 6  # weeks 4 … 20 passed or today, week 24 the next


# The caseload's verdict, computed in the database -----------------------------------------------------------------


def _due(client, today=TODAY) -> bool:
    return Client.objects.annotate(due=measurement_due(today)).get(pk=client.pk).due


@pytest.mark.django_db
def test_missing_start_measurement_past_its_date_is_due(trajectory, version) -> None:
    assert _due(trajectory.client)


@pytest.mark.django_db
def test_start_measurement_not_yet_due(trajectory, version) -> None:
    start_due = trajectory.started_on + 14 * DAY
    assert not _due(trajectory.client, today=start_due)
    assert _due(trajectory.client, today=start_due + DAY)


@pytest.mark.django_db
def test_a_recent_measurement_clears_the_signal(trajectory, version) -> None:
    completed_measurement(trajectory, version, moment=Moment.START, taken_on=trajectory.started_on)
    completed_measurement(trajectory, version, moment=Moment.INTERIM, taken_on=TODAY - 2 * WEEK)
    assert not _due(trajectory.client)


@pytest.mark.django_db
def test_the_latest_measurement_older_than_the_interval_is_due(trajectory, version) -> None:
    completed_measurement(trajectory, version, moment=Moment.START, taken_on=TODAY - 13 * WEEK)
    assert not _due(trajectory.client)
    assert _due(trajectory.client, today=TODAY + DAY)


@pytest.mark.django_db
def test_the_interval_comes_from_the_organisations_policy(trajectory, version) -> None:
    completed_measurement(trajectory, version, moment=Moment.START, taken_on=TODAY - 5 * WEEK)
    assert not _due(trajectory.client)
    MeasurementPolicy.objects.filter(organisation=trajectory.client.organisation).update(interval_weeks=4)
    assert _due(trajectory.client)


@pytest.mark.django_db
def test_no_signal_where_the_organisation_does_not_measure(trajectory) -> None:
    assert not _due(trajectory.client)
    MeasurementPolicy.objects.create(organisation=trajectory.client.organisation)
    assert not _due(trajectory.client)


@pytest.mark.django_db
def test_an_ended_trajectory_is_not_signalled(trajectory, version) -> None:
    trajectory.ended_on = TODAY - WEEK
    trajectory.save()
    assert not _due(trajectory.client)


@pytest.mark.django_db
def test_the_verdict_is_one_query_for_many_clients(trajectory, version, django_assert_num_queries) -> None:
    for _ in range(3):
        TrajectoryFactory(client=factories.ClientFactory(organisation=trajectory.client.organisation))
    with django_assert_num_queries(1):
        rows = list(Client.objects.annotate(due=measurement_due(timezone.localdate())).values_list("due", flat=True))
    assert len(rows) == 4
