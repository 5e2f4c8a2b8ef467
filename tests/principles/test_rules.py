"""Every principle rule passes, asks attention and fails on a hand-built trajectory, computed by the database.

``outcome`` evaluates a rule three ways (the status annotation, the one-trajectory page's branch, and the weighted
team tally) and checks that they agree, so each test covers all three.
"""

import datetime

import pytest
from django.utils import timezone

from koers.principles.models import PrincipleThresholds
from koers.principles.rules import PRINCIPLES, AuditDay, Status, thresholds_for, with_statuses
from koers.principles.selectors import tallies_by_consultant, trajectory_audit
from koers.trajectories.models import (
    GoalStatus,
    IgmFactor,
    IgmFactorScore,
    Instrument,
    InstrumentStatus,
    Trajectory,
)
from tests.trajectory_factories import (
    GoalFactory,
    IgmProfileFactory,
    InstrumentFactory,
    LifeDomainAssessmentFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(weeks=1)
PASS, ATTENTION, FAIL = Status.PASS, Status.ATTENTION, Status.FAIL


def outcome(trajectory: Trajectory, number: int, as_of: datetime.date = TODAY) -> Status:
    organisation_id = trajectory.client.organisation_id
    day = AuditDay(as_of, thresholds_for(organisation_id))
    annotated = with_statuses(Trajectory.objects.filter(pk=trajectory.pk), day).values_list(f"p{number}", flat=True)
    status = Status(annotated.get())
    result = trajectory_audit(trajectory, as_of)[number - 1]
    assert result.principle.number == number
    assert result.status == status, "the trajectory page disagrees with the status annotation"
    assert result.reason
    assert "%(" not in result.reason
    consultant_id = trajectory.client.consultant_id
    assert consultant_id is not None
    tallies = tallies_by_consultant(organisation_id, day)[consultant_id][number]
    assert (tallies.passed, tallies.attention, tallies.failed) == tuple(int(status == s) for s in Status)
    return status


def started(trajectory: Trajectory, days_ago: int) -> Trajectory:
    trajectory.started_on = TODAY - datetime.timedelta(days=days_ago)
    trajectory.save()
    return trajectory


def entered(record, day: datetime.date):
    """Pretend the record was entered on ``day`` (``created_at`` is set automatically on save)."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    type(record).objects.filter(pk=record.pk).update(created_at=moment)
    return record


def test_there_are_ten_principles_with_reasons_for_each_outcome(trajectory) -> None:
    day = AuditDay(TODAY, thresholds_for(trajectory.client.organisation_id))
    assert [p.number for p in PRINCIPLES] == list(range(1, 11))
    for principle in PRINCIPLES:
        reasons = principle.reasons(day)
        assert all(reasons[status] for status in Status), principle


# P1 tailored approach: an instrument


def test_p1_passes_with_a_planned_instrument(trajectory) -> None:
    InstrumentFactory(trajectory=trajectory, status=InstrumentStatus.PLANNED, started_on=None)
    assert outcome(trajectory, 1) == PASS


def test_p1_passes_with_an_ended_instrument(trajectory) -> None:
    InstrumentFactory(trajectory=trajectory, status=InstrumentStatus.COMPLETED, ended_on=TODAY - DAY)
    assert outcome(trajectory, 1) == PASS


def test_p1_asks_attention_without_instrument_in_the_plan_period(trajectory) -> None:
    assert outcome(started(trajectory, 42), 1) == ATTENTION


def test_p1_fails_without_instrument_after_the_plan_period(trajectory) -> None:
    assert outcome(started(trajectory, 43), 1) == FAIL


def test_p1_ignores_an_instrument_entered_after_the_audit_day(trajectory) -> None:
    started(trajectory, 100)
    instrument = InstrumentFactory(trajectory=trajectory, status=InstrumentStatus.PLANNED, started_on=None)
    assert outcome(trajectory, 1, as_of=TODAY - 30 * DAY) == FAIL
    entered(instrument, TODAY - 31 * DAY)
    assert outcome(trajectory, 1, as_of=TODAY - 30 * DAY) == PASS


def test_p1_uses_the_organisations_plan_period(trajectory) -> None:
    PrincipleThresholds.objects.create(organisation=trajectory.client.organisation, plan_days=90)
    assert outcome(started(trajectory, 60), 1) == ATTENTION


# P2 positive view: strengths


def test_p2_passes_with_strengths(trajectory) -> None:
    assert outcome(trajectory, 2) == PASS


def test_p2_asks_attention_without_strengths_on_the_last_day_of_intake(trajectory) -> None:
    trajectory.strengths = ""
    assert outcome(started(trajectory, 28), 2) == ATTENTION


def test_p2_fails_without_strengths_after_intake(trajectory) -> None:
    trajectory.strengths = ""
    assert outcome(started(trajectory, 29), 2) == FAIL


def test_p2_uses_the_organisations_intake_period(trajectory) -> None:
    PrincipleThresholds.objects.create(organisation=trajectory.client.organisation, intake_days=60)
    trajectory.strengths = ""
    assert outcome(started(trajectory, 40), 2) == ATTENTION


# P3 future perspective


def test_p3_passes_with_a_perspective(trajectory) -> None:
    assert outcome(trajectory, 3) == PASS


def test_p3_asks_attention_without_perspective_in_intake(trajectory) -> None:
    trajectory.future_perspective = ""
    assert outcome(started(trajectory, 10), 3) == ATTENTION


def test_p3_fails_without_perspective_after_intake(trajectory) -> None:
    trajectory.future_perspective = ""
    assert outcome(started(trajectory, 60), 3) == FAIL


# P4 own goals


def test_p4_passes_with_a_goal_and_an_intermediate_goal(trajectory) -> None:
    goal = GoalFactory(trajectory=trajectory)
    GoalFactory(trajectory=trajectory, parent=goal)
    assert outcome(trajectory, 4) == PASS


def test_p4_asks_attention_for_a_goal_without_intermediate_goal(trajectory) -> None:
    GoalFactory(trajectory=trajectory)
    assert outcome(started(trajectory, 200), 4) == ATTENTION


def test_p4_asks_attention_without_goal_in_intake(trajectory) -> None:
    assert outcome(started(trajectory, 10), 4) == ATTENTION


def test_p4_fails_without_goal_after_intake(trajectory) -> None:
    assert outcome(started(trajectory, 60), 4) == FAIL


def test_p4_ignores_an_intermediate_goal_entered_after_the_audit_day(trajectory) -> None:
    goal = entered(GoalFactory(trajectory=trajectory), TODAY - 20 * DAY)
    GoalFactory(trajectory=trajectory, parent=goal)
    assert outcome(trajectory, 4, as_of=TODAY - 10 * DAY) == ATTENTION
    assert outcome(trajectory, 4) == PASS


# P5 own direction: the client's agreement to the plan


def test_p5_passes_with_the_agreement_in_the_clients_words(trajectory) -> None:
    trajectory.plan_agreement = "Ik doe mee, want ik wil weer werken."
    trajectory.plan_agreed_on = TODAY - 5 * DAY
    trajectory.save()
    assert outcome(trajectory, 5) == PASS


def test_p5_asks_attention_without_agreement_in_the_plan_period(trajectory) -> None:
    assert outcome(started(trajectory, 30), 5) == ATTENTION


def test_p5_fails_without_agreement_after_the_plan_period(trajectory) -> None:
    assert outcome(started(trajectory, 60), 5) == FAIL


def test_p5_counts_the_agreement_only_from_its_date(trajectory) -> None:
    trajectory.plan_agreement = "Ja."
    trajectory.plan_agreed_on = TODAY - 5 * DAY
    started(trajectory, 100)
    assert outcome(trajectory, 5, as_of=TODAY - 10 * DAY) == FAIL


def test_p5_needs_the_words_not_only_a_date(trajectory) -> None:
    trajectory.plan_agreed_on = TODAY - 5 * DAY
    assert outcome(started(trajectory, 60), 5) == FAIL


# P6 intrinsic motivation: the IGM profile (willen side)


def test_p6_passes_with_a_recent_profile(trajectory) -> None:
    IgmProfileFactory(trajectory=trajectory, assessed_on=TODAY - 91 * DAY)
    assert outcome(trajectory, 6) == PASS


def test_p6_asks_attention_when_the_profile_is_older_than_the_review_period(trajectory) -> None:
    IgmProfileFactory(trajectory=trajectory, assessed_on=TODAY - 92 * DAY)
    assert outcome(started(trajectory, 300), 6) == ATTENTION


def test_p6_fails_when_the_profile_is_older_than_twice_the_review_period(trajectory) -> None:
    IgmProfileFactory(trajectory=trajectory, assessed_on=TODAY - 183 * DAY)
    assert outcome(started(trajectory, 300), 6) == FAIL


def test_p6_asks_attention_without_profile_in_intake(trajectory) -> None:
    assert outcome(started(trajectory, 10), 6) == ATTENTION


def test_p6_fails_without_profile_after_intake(trajectory) -> None:
    assert outcome(trajectory, 6) == FAIL


def test_p6_needs_the_willen_side(trajectory) -> None:
    profile = IgmProfileFactory(trajectory=trajectory, assessed_on=TODAY - 10 * DAY, factors=False)
    IgmFactorScore.objects.create(profile=profile, factor=IgmFactor.SKILLS, score=3)
    assert outcome(trajectory, 6) == FAIL
    IgmFactorScore.objects.create(profile=profile, factor=IgmFactor.INTENTION, score=3)
    assert outcome(trajectory, 6) == PASS


def test_p6_ignores_a_profile_assessed_after_the_audit_day(trajectory) -> None:
    IgmProfileFactory(trajectory=trajectory, assessed_on=TODAY - 5 * DAY)
    assert outcome(trajectory, 6, as_of=TODAY - 10 * DAY) == FAIL


def test_p6_uses_the_organisations_review_period(trajectory) -> None:
    PrincipleThresholds.objects.create(organisation=trajectory.client.organisation, review_days=30)
    IgmProfileFactory(trajectory=trajectory, assessed_on=TODAY - 40 * DAY)
    assert outcome(trajectory, 6) == ATTENTION


# P7 self-efficacy: small steps


@pytest.fixture
def goal(trajectory):
    return GoalFactory(trajectory=trajectory)


def test_p7_passes_with_an_intermediate_goal_achieved_recently(trajectory, goal) -> None:
    GoalFactory(trajectory=trajectory, parent=goal, status=GoalStatus.ACHIEVED, target_date=TODAY - 10 * DAY)
    assert outcome(trajectory, 7) == PASS


def test_p7_passes_with_an_intermediate_goal_due_soon(trajectory, goal) -> None:
    GoalFactory(trajectory=trajectory, parent=goal, target_date=TODAY + 30 * DAY)
    assert outcome(trajectory, 7) == PASS


def test_p7_asks_attention_when_open_intermediate_goals_are_overdue(trajectory, goal) -> None:
    GoalFactory(trajectory=trajectory, parent=goal, target_date=TODAY - DAY)
    assert outcome(trajectory, 7) == ATTENTION


def test_p7_asks_attention_when_no_step_is_near(trajectory, goal) -> None:
    GoalFactory(trajectory=trajectory, parent=goal, target_date=TODAY + 200 * DAY)
    GoalFactory(trajectory=trajectory, parent=goal, status=GoalStatus.ACHIEVED, target_date=TODAY - 200 * DAY)
    assert outcome(started(trajectory, 300), 7) == ATTENTION


def test_p7_asks_attention_without_intermediate_goal_in_the_plan_period(trajectory, goal) -> None:
    assert outcome(started(trajectory, 20), 7) == ATTENTION


def test_p7_fails_without_intermediate_goal_after_the_plan_period(trajectory, goal) -> None:
    assert outcome(trajectory, 7) == FAIL


# P8 urgent barriers first


def test_p8_passes_without_urgent_barrier(trajectory) -> None:
    LifeDomainAssessmentFactory(trajectory=trajectory, assessed_on=TODAY - 30 * DAY, scores={"social": 1})
    assert outcome(trajectory, 8) == PASS


def test_p8_passes_when_an_instrument_is_running(trajectory) -> None:
    LifeDomainAssessmentFactory(trajectory=trajectory, assessed_on=TODAY - 30 * DAY, scores={"housing": 1})
    InstrumentFactory(trajectory=trajectory, status=InstrumentStatus.ACTIVE, started_on=TODAY - 60 * DAY)
    assert outcome(trajectory, 8) == PASS


def test_p8_asks_attention_within_the_action_period(trajectory) -> None:
    LifeDomainAssessmentFactory(trajectory=trajectory, assessed_on=TODAY - 14 * DAY, scores={"finances": 1})
    assert outcome(trajectory, 8) == ATTENTION


def test_p8_fails_after_the_action_period(trajectory) -> None:
    LifeDomainAssessmentFactory(trajectory=trajectory, assessed_on=TODAY - 15 * DAY, scores={"housing": 1})
    assert outcome(trajectory, 8) == FAIL


def test_p8_does_not_count_an_instrument_that_ended_before_the_assessment(trajectory) -> None:
    InstrumentFactory(
        trajectory=trajectory,
        status=InstrumentStatus.STOPPED,
        stop_reason="Werkte niet",
        started_on=TODAY - 50 * DAY,
        ended_on=TODAY - 40 * DAY,
    )
    LifeDomainAssessmentFactory(trajectory=trajectory, assessed_on=TODAY - 30 * DAY, scores={"housing": 1})
    assert outcome(trajectory, 8) == FAIL


def test_p8_counts_an_instrument_that_ended_after_the_assessment(trajectory) -> None:
    LifeDomainAssessmentFactory(trajectory=trajectory, assessed_on=TODAY - 30 * DAY, scores={"housing": 1})
    InstrumentFactory(
        trajectory=trajectory, status=InstrumentStatus.COMPLETED, started_on=TODAY - 50 * DAY, ended_on=TODAY - DAY
    )
    assert outcome(trajectory, 8) == PASS


def test_p8_looks_only_at_the_latest_assessment(trajectory) -> None:
    LifeDomainAssessmentFactory(trajectory=trajectory, assessed_on=TODAY - 40 * DAY, scores={"housing": 1})
    LifeDomainAssessmentFactory(trajectory=trajectory, assessed_on=TODAY - 20 * DAY)
    assert outcome(trajectory, 8) == PASS
    assert outcome(trajectory, 8, as_of=TODAY - 21 * DAY) == FAIL


def test_p8_uses_the_organisations_action_period(trajectory) -> None:
    PrincipleThresholds.objects.create(organisation=trajectory.client.organisation, urgent_action_days=30)
    LifeDomainAssessmentFactory(trajectory=trajectory, assessed_on=TODAY - 20 * DAY, scores={"housing": 1})
    assert outcome(trajectory, 8) == ATTENTION


# P9 monitoring: the life domains


def test_p9_passes_with_an_assessment_at_the_start_and_a_recent_one(trajectory) -> None:
    LifeDomainAssessmentFactory(trajectory=trajectory, assessed_on=trajectory.started_on + 28 * DAY)
    assert outcome(trajectory, 9) == PASS


def test_p9_asks_attention_in_intake_without_assessment(trajectory) -> None:
    assert outcome(started(trajectory, 28), 9) == ATTENTION


def test_p9_asks_attention_when_the_latest_assessment_is_old(trajectory) -> None:
    started(trajectory, 200)
    LifeDomainAssessmentFactory(trajectory=trajectory, assessed_on=trajectory.started_on + 5 * DAY)
    assert outcome(trajectory, 9) == ATTENTION


def test_p9_fails_without_assessment_after_intake(trajectory) -> None:
    assert outcome(started(trajectory, 29), 9) == FAIL


def test_p9_fails_when_the_first_assessment_came_too_late(trajectory) -> None:
    LifeDomainAssessmentFactory(trajectory=trajectory, assessed_on=trajectory.started_on + 29 * DAY)
    assert outcome(trajectory, 9) == FAIL


def test_p9_ignores_an_assessment_after_the_audit_day(trajectory) -> None:
    LifeDomainAssessmentFactory(trajectory=trajectory, assessed_on=trajectory.started_on + 20 * DAY)
    assert outcome(trajectory, 9, as_of=trajectory.started_on + 19 * DAY) == ATTENTION
    assert outcome(trajectory, 9, as_of=trajectory.started_on + 20 * DAY) == PASS


# P10 an instrument's duration


def running(trajectory: Trajectory, weeks_ago: float, planned_weeks: int = 12, **kwargs) -> Instrument:
    start = TODAY - datetime.timedelta(weeks=weeks_ago)
    fields = {"status": InstrumentStatus.ACTIVE, "started_on": start, "planned_weeks": planned_weeks} | kwargs
    return InstrumentFactory(trajectory=trajectory, **fields)


def test_p10_passes_with_an_instrument_within_its_duration(trajectory) -> None:
    running(trajectory, weeks_ago=2)
    assert outcome(trajectory, 10) == PASS


def test_p10_passes_without_running_instruments(trajectory) -> None:
    InstrumentFactory(trajectory=trajectory, status=InstrumentStatus.PLANNED, started_on=None, review_on=TODAY - DAY)
    InstrumentFactory(
        trajectory=trajectory, status=InstrumentStatus.COMPLETED, started_on=TODAY - 30 * WEEK, ended_on=TODAY - DAY
    )
    assert outcome(trajectory, 10) == PASS


def test_p10_asks_attention_when_the_planned_end_is_near(trajectory) -> None:
    running(trajectory, weeks_ago=10)  # ends in 14 days
    assert outcome(trajectory, 10) == ATTENTION


def test_p10_asks_attention_when_over_time_with_a_review_ahead(trajectory) -> None:
    running(trajectory, weeks_ago=14, review_on=TODAY + WEEK)
    assert outcome(trajectory, 10) == ATTENTION


def test_p10_fails_when_over_time_and_the_review_date_passed(trajectory) -> None:
    running(trajectory, weeks_ago=14, review_on=TODAY - DAY)
    assert outcome(trajectory, 10) == FAIL


def test_p10_fails_when_over_time_without_review_after_the_planned_end(trajectory) -> None:
    instrument = running(trajectory, weeks_ago=13)
    assert instrument.review_on == TODAY - WEEK  # the factory's default: at the planned end
    assert outcome(trajectory, 10) == FAIL


def test_p10_on_the_planned_end_day_is_not_yet_over_time(trajectory) -> None:
    running(trajectory, weeks_ago=12)
    assert outcome(trajectory, 10) == ATTENTION


def test_p10_reconstructs_an_instrument_that_was_running_on_the_audit_day(trajectory) -> None:
    started(trajectory, 300)
    running(trajectory, weeks_ago=20, status=InstrumentStatus.COMPLETED, ended_on=TODAY - DAY)
    assert outcome(trajectory, 10) == PASS
    assert outcome(trajectory, 10, as_of=TODAY - 2 * DAY) == FAIL


def test_p10_uses_the_organisations_warning_period(trajectory) -> None:
    PrincipleThresholds.objects.create(organisation=trajectory.client.organisation, instrument_warning_days=7)
    running(trajectory, weeks_ago=10)
    assert outcome(trajectory, 10) == PASS


def test_p10_links_to_the_instrument_to_review(trajectory) -> None:
    running(trajectory, weeks_ago=2)
    late = running(trajectory, weeks_ago=14, review_on=TODAY - DAY)
    result = trajectory_audit(trajectory, TODAY)[9]
    assert result.fix_url == f"/instrumenten/{late.pk}/wijzigen/"
