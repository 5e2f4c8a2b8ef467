"""Each caseload signal on and off, with a hand-built case; computed by the database, on SQLite and PostgreSQL."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.caseload.selectors import active_signals, badges, caseload_for
from koers.groupwork.models import AttendanceStatus
from koers.trajectories.models import InstrumentStatus, LifeDomain
from tests import factories
from tests.groupwork_factories import AttendanceFactory, HandOffFactory, SessionFactory
from tests.trajectory_factories import (
    InstrumentFactory,
    LifeDomainAssessmentFactory,
    ProgressReportFactory,
    TrajectoryFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(weeks=1)


@pytest.fixture
def trajectory(consultant, municipality):
    client = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=consultant
    )
    return TrajectoryFactory(client=client, created_by=consultant)


def signals(consultant, trajectory) -> set[str]:
    row = caseload_for(consultant, today=TODAY).get(pk=trajectory.client_id)
    return {signal.param for signal in active_signals(row)}


def test_a_fresh_trajectory_has_no_signals(consultant, trajectory) -> None:
    InstrumentFactory(trajectory=trajectory, status=InstrumentStatus.ACTIVE)
    LifeDomainAssessmentFactory(trajectory=trajectory)
    assert signals(consultant, trajectory) == set()


# (a) review date passed


def test_review_date_yesterday_is_signalled(consultant, trajectory) -> None:
    InstrumentFactory(trajectory=trajectory, status=InstrumentStatus.ACTIVE, review_on=TODAY - DAY)
    assert "evaluatie" in signals(consultant, trajectory)


def test_planned_instrument_past_review_date_is_signalled(consultant, trajectory) -> None:
    InstrumentFactory(trajectory=trajectory, status=InstrumentStatus.PLANNED, started_on=None, review_on=TODAY - DAY)
    assert "evaluatie" in signals(consultant, trajectory)


def test_review_date_today_is_not_yet_signalled(consultant, trajectory) -> None:
    InstrumentFactory(trajectory=trajectory, status=InstrumentStatus.ACTIVE, review_on=TODAY)
    assert "evaluatie" not in signals(consultant, trajectory)


def test_completed_instrument_past_review_date_is_not_signalled(consultant, trajectory) -> None:
    InstrumentFactory(trajectory=trajectory, status=InstrumentStatus.COMPLETED, review_on=TODAY - 10 * DAY)
    assert "evaluatie" not in signals(consultant, trajectory)


def test_instrument_of_an_ended_trajectory_is_not_signalled(consultant, trajectory) -> None:
    InstrumentFactory(trajectory=trajectory, status=InstrumentStatus.ACTIVE, review_on=TODAY - 10 * DAY)
    trajectory.ended_on = TODAY - DAY
    trajectory.outflow_reason = "moved"
    trajectory.save()
    assert signals(consultant, trajectory) == set()


# (b) instrument over its planned duration


def test_active_instrument_past_its_planned_weeks_is_signalled(consultant, trajectory) -> None:
    InstrumentFactory(
        trajectory=trajectory,
        status=InstrumentStatus.ACTIVE,
        started_on=TODAY - 12 * WEEK - DAY,
        planned_weeks=12,
        review_on=TODAY + WEEK,
    )
    assert signals(consultant, trajectory) == {"duur"}


def test_active_instrument_ending_today_is_not_over_time(consultant, trajectory) -> None:
    InstrumentFactory(
        trajectory=trajectory,
        status=InstrumentStatus.ACTIVE,
        started_on=TODAY - 12 * WEEK,
        planned_weeks=12,
        review_on=TODAY + WEEK,
    )
    assert "duur" not in signals(consultant, trajectory)


def test_duration_uses_each_instruments_own_planned_weeks(consultant, trajectory) -> None:
    """A long instrument that started long ago is fine; a short one from the same day is over time."""
    started = TODAY - 10 * WEEK
    InstrumentFactory(
        trajectory=trajectory,
        status=InstrumentStatus.ACTIVE,
        started_on=started,
        planned_weeks=52,
        review_on=TODAY + WEEK,
    )
    assert "duur" not in signals(consultant, trajectory)
    InstrumentFactory(
        trajectory=trajectory,
        status=InstrumentStatus.ACTIVE,
        started_on=started,
        planned_weeks=4,
        review_on=TODAY + WEEK,
    )
    assert "duur" in signals(consultant, trajectory)


def test_duration_is_counted_across_a_month_and_year_end(consultant, trajectory) -> None:
    """Date arithmetic in the database (not string tricks): 1 week from 28 December is 4 January."""
    InstrumentFactory(
        trajectory=trajectory,
        status=InstrumentStatus.ACTIVE,
        started_on=datetime.date(2024, 12, 28),
        planned_weeks=1,
        review_on=datetime.date(2025, 6, 1),
    )
    row = lambda today: caseload_for(consultant, today=today).get(pk=trajectory.client_id)  # noqa: E731
    assert not row(datetime.date(2025, 1, 4)).signal_over_duration
    assert row(datetime.date(2025, 1, 5)).signal_over_duration


def test_planned_or_completed_instruments_are_not_over_time(consultant, trajectory) -> None:
    long_ago = TODAY - 52 * WEEK
    InstrumentFactory(
        trajectory=trajectory, status=InstrumentStatus.PLANNED, started_on=long_ago, review_on=TODAY + WEEK
    )
    InstrumentFactory(
        trajectory=trajectory,
        status=InstrumentStatus.COMPLETED,
        started_on=long_ago,
        review_on=TODAY + WEEK,
        ended_on=TODAY - WEEK,
    )
    assert "duur" not in signals(consultant, trajectory)


# (c) urgent barrier without an action


def test_acute_domain_without_an_instrument_is_signalled(consultant, trajectory) -> None:
    LifeDomainAssessmentFactory(trajectory=trajectory, scores={LifeDomain.HOUSING: 1})
    assert signals(consultant, trajectory) == {"belemmering"}


def test_acute_domain_with_a_planned_instrument_is_not_signalled(consultant, trajectory) -> None:
    LifeDomainAssessmentFactory(trajectory=trajectory, scores={LifeDomain.FINANCES: 1})
    InstrumentFactory(trajectory=trajectory, status=InstrumentStatus.PLANNED)
    assert "belemmering" not in signals(consultant, trajectory)


def test_acute_domain_with_only_a_stopped_instrument_is_signalled(consultant, trajectory) -> None:
    LifeDomainAssessmentFactory(trajectory=trajectory, scores={LifeDomain.FINANCES: 1})
    InstrumentFactory(trajectory=trajectory, status=InstrumentStatus.STOPPED, stop_reason="Werkt niet")
    assert "belemmering" in signals(consultant, trajectory)


def test_only_the_latest_assessment_counts(consultant, trajectory) -> None:
    LifeDomainAssessmentFactory(trajectory=trajectory, assessed_on=TODAY - 8 * WEEK, scores={LifeDomain.HOUSING: 1})
    LifeDomainAssessmentFactory(trajectory=trajectory, assessed_on=TODAY - WEEK, scores={LifeDomain.HOUSING: 2})
    assert "belemmering" not in signals(consultant, trajectory)
    LifeDomainAssessmentFactory(trajectory=trajectory, assessed_on=TODAY, scores={LifeDomain.MENTAL: 1})
    assert "belemmering" in signals(consultant, trajectory)


def test_scores_of_two_are_not_an_urgent_barrier(consultant, trajectory) -> None:
    LifeDomainAssessmentFactory(trajectory=trajectory, scores=dict.fromkeys(LifeDomain.values, 2))
    assert "belemmering" not in signals(consultant, trajectory)


# (d) no progress report for N weeks


def test_trajectory_without_report_since_its_start_long_ago_is_signalled(consultant, trajectory) -> None:
    trajectory.started_on = TODAY - 14 * WEEK
    trajectory.save()
    assert signals(consultant, trajectory) == {"rapportage"}


def test_young_trajectory_without_report_is_not_signalled(consultant, trajectory) -> None:
    trajectory.started_on = TODAY - 12 * WEEK
    trajectory.save()
    assert "rapportage" not in signals(consultant, trajectory)


def test_recent_report_clears_the_signal(consultant, trajectory) -> None:
    trajectory.started_on = TODAY - 30 * WEEK
    trajectory.save()
    ProgressReportFactory(trajectory=trajectory, written_on=TODAY - 20 * WEEK)
    assert "rapportage" in signals(consultant, trajectory)
    ProgressReportFactory(trajectory=trajectory, written_on=TODAY - 2 * WEEK)
    assert "rapportage" not in signals(consultant, trajectory)


def test_report_period_follows_the_setting(consultant, trajectory, settings) -> None:
    settings.KOERS_PROGRESS_REPORT_WEEKS = 4
    trajectory.started_on = TODAY - 30 * WEEK
    trajectory.save()
    ProgressReportFactory(trajectory=trajectory, written_on=TODAY - 5 * WEEK)
    assert "rapportage" in signals(consultant, trajectory)
    settings.KOERS_PROGRESS_REPORT_WEEKS = 6
    assert "rapportage" not in signals(consultant, trajectory)


def test_client_without_trajectory_has_no_signals(consultant, municipality) -> None:
    client = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=consultant
    )
    row = caseload_for(consultant, today=TODAY).get(pk=client.pk)
    assert active_signals(row) == []
    assert row.signal_count == 0
    assert row.open_since is None


def test_signal_count_adds_up_the_signals(consultant, trajectory) -> None:
    trajectory.started_on = TODAY - 20 * WEEK
    trajectory.save()
    InstrumentFactory(
        trajectory=trajectory,
        status=InstrumentStatus.ACTIVE,
        started_on=TODAY - 20 * WEEK,
        planned_weeks=8,
        review_on=TODAY - WEEK,
    )
    row = caseload_for(consultant, today=TODAY).get(pk=trajectory.client_id)
    assert {signal.param for signal in active_signals(row)} == {"evaluatie", "duur", "rapportage"}
    assert row.signal_count == 3


# (e) hand-off signal not yet acknowledged


def participation_of(trajectory, **run):
    group_run = factories.GroupRunFactory(
        programme__organisation=trajectory.client.organisation, start_date=TODAY - 6 * WEEK, **run
    )
    return factories.ParticipationFactory(group_run=group_run, client=trajectory.client)


def test_unacknowledged_hand_off_is_signalled_and_links_to_it(consultant, trajectory) -> None:
    hand_off = HandOffFactory(participation=participation_of(trajectory))
    assert signals(consultant, trajectory) == {"overdracht"}
    row = caseload_for(consultant, today=TODAY).get(pk=trajectory.client_id)
    (badge,) = badges(row)
    assert badge.url == reverse("groupwork:handoff_detail", args=[hand_off.pk])
    assert badge.marker == ""


def test_acknowledged_hand_off_is_not_signalled(consultant, trajectory) -> None:
    HandOffFactory(
        participation=participation_of(trajectory), acknowledged_at=timezone.now(), acknowledged_by=consultant
    )
    assert "overdracht" not in signals(consultant, trajectory)


def test_the_badge_links_to_the_oldest_open_hand_off(consultant, trajectory) -> None:
    older = HandOffFactory(participation=participation_of(trajectory), written_at=timezone.now() - 3 * WEEK)
    HandOffFactory(participation=participation_of(trajectory))
    row = caseload_for(consultant, today=TODAY).get(pk=trajectory.client_id)
    assert badges(row)[0].url == reverse("groupwork:handoff_detail", args=[older.pk])


def test_hand_off_signal_needs_no_trajectory(consultant, municipality) -> None:
    client = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=consultant
    )
    run = factories.GroupRunFactory(programme__organisation=municipality.organisation)
    HandOffFactory(participation=factories.ParticipationFactory(group_run=run, client=client))
    row = caseload_for(consultant, today=TODAY).get(pk=client.pk)
    assert [signal.param for signal in active_signals(row)] == ["overdracht"]


# (f) absent from a group session, not yet seen


def absence(trajectory, status=AttendanceStatus.UNEXCUSED, mandatory=False, **kwargs):
    participation = participation_of(trajectory, programme__is_mandatory=mandatory)
    session = SessionFactory(group_run=participation.group_run)
    return AttendanceFactory(session=session, participation=participation, status=status, **kwargs)


@pytest.mark.parametrize("status", [AttendanceStatus.UNEXCUSED, AttendanceStatus.EXCUSED])
def test_absence_is_signalled_and_links_to_the_clients_absences(consultant, trajectory, status) -> None:
    absence(trajectory, status)
    assert signals(consultant, trajectory) == {"afwezig"}
    row = caseload_for(consultant, today=TODAY).get(pk=trajectory.client_id)
    (badge,) = badges(row)
    assert badge.url == reverse("groupwork:absences") + f"?client={trajectory.client_id}"
    assert badge.marker == "", "a voluntary programme is not marked"


@pytest.mark.parametrize("status", [AttendanceStatus.PRESENT, AttendanceStatus.LATE])
def test_presence_is_not_signalled(consultant, trajectory, status) -> None:
    absence(trajectory, status)
    assert "afwezig" not in signals(consultant, trajectory)


def test_acknowledged_absence_is_not_signalled(consultant, trajectory) -> None:
    absence(trajectory, acknowledged_at=timezone.now(), acknowledged_by=consultant)
    assert "afwezig" not in signals(consultant, trajectory)


def test_absence_from_a_mandatory_programme_is_marked(consultant, trajectory) -> None:
    absence(trajectory)
    absence(trajectory, mandatory=True)
    row = caseload_for(consultant, today=TODAY).get(pk=trajectory.client_id)
    (badge,) = badges(row)
    assert badge.marker, "marked mandatory"
    assert row.signal_count == 1


def test_seen_mandatory_absence_no_longer_marks_the_open_one(consultant, trajectory) -> None:
    absence(trajectory)
    absence(trajectory, mandatory=True, acknowledged_at=timezone.now(), acknowledged_by=consultant)
    row = caseload_for(consultant, today=TODAY).get(pk=trajectory.client_id)
    assert badges(row)[0].marker == ""
