"""The demo's effect measurement: realistic series, consistent scores, the demo consultant's showcase and resets."""

import math
from collections import defaultdict
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from koers.accounts.models import Organisation
from koers.demo import services
from koers.demo.data import DEMO_ORGANISATION_NAME
from koers.groupwork.models import GroupRun, RunStatus
from koers.measurement.models import (
    Measurement,
    MeasurementAnswer,
    MeasurementLink,
    MeasurementPolicy,
    MeasurementStatus,
    Phase,
    Questionnaire,
    Respondent,
    Scale,
    ScaleKind,
    ScaleScore,
)
from koers.measurement.scoring import ItemRule, scale_scores
from koers.measurement.starter import STARTER_NAME
from koers.principles.models import PrincipleSnapshot
from koers.trajectories.models import Trajectory

PASSWORD = "demo-wachtwoord-voor-tests"
TEST_CLIENTS = 400
DEMO_CONSULTANT = "demo-consulent"
WINDOW = timedelta(days=42)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Organisation]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield services.seed_demo(password=PASSWORD, seed=4, clients=TEST_CLIENTS).organisation
        transaction.set_rollback(True)


def completed_series(username: str) -> dict[int, list[Measurement]]:
    series: dict[int, list[Measurement]] = defaultdict(list)
    measurements = Measurement.objects.filter(
        trajectory__client__consultant__username=username, status=MeasurementStatus.COMPLETED
    ).order_by("taken_on", "pk")
    for measurement in measurements:
        series[measurement.trajectory_id].append(measurement)
    return series


def both_phases(series: dict[int, list[Measurement]]) -> list[int]:
    return [
        trajectory
        for trajectory, measurements in series.items()
        if len(measurements) >= 5
        and sum(m.phase == Phase.BASELINE for m in measurements) >= 3
        and sum(m.phase == Phase.INTERVENTION for m in measurements) >= 3
    ]


def test_demo_organisation_uses_the_starter_questionnaire(demo: Organisation) -> None:
    questionnaire = Questionnaire.objects.get(organisation=demo)
    policy = MeasurementPolicy.objects.get(organisation=demo)

    assert questionnaire.name == STARTER_NAME
    assert policy.questionnaire == questionnaire
    assert set(Measurement.objects.values_list("version__questionnaire", flat=True).distinct()) == {questionnaire.pk}


def test_measurements_lie_in_open_trajectories_between_their_start_and_today(demo: Organisation) -> None:
    today = timezone.localdate()
    measurements = Measurement.objects.select_related("trajectory")

    assert measurements.count() > 500
    for measurement in measurements:
        assert measurement.trajectory.ended_on is None
        if measurement.status == MeasurementStatus.COMPLETED:
            assert measurement.taken_on is not None
            assert measurement.trajectory.started_on <= measurement.taken_on <= today
        else:
            assert measurement.taken_on is None
            assert measurement.due_on is not None
            assert measurement.due_on <= today


def test_every_completed_measurement_has_all_answers_and_the_products_scale_scores(demo: Organisation) -> None:
    items = list(Questionnaire.objects.get(organisation=demo).versions.get().items.all())
    rules = [ItemRule(item.pk, item.scale_id, item.reverse_scored) for item in items]
    answers: dict[int, dict[int, int]] = defaultdict(dict)
    for measurement_id, item_id, value in MeasurementAnswer.objects.values_list("measurement", "item", "value"):
        answers[measurement_id][item_id] = value
    stored: dict[int, dict[int, object]] = defaultdict(dict)
    for measurement_id, scale_id, score in ScaleScore.objects.values_list("measurement", "scale", "score"):
        stored[measurement_id][scale_id] = score

    completed = list(Measurement.objects.filter(status=MeasurementStatus.COMPLETED).values_list("pk", flat=True))
    for pk in completed:
        assert len(answers[pk]) == 20
        assert stored[pk] == scale_scores(rules, answers[pk], low=1, high=5)
    open_ones = Measurement.objects.filter(status=MeasurementStatus.OPEN).values_list("pk", flat=True)
    assert not any(answers.get(pk) or stored.get(pk) for pk in open_ones)


def test_most_are_answered_by_the_client_and_some_entered_by_the_consultant(demo: Organisation) -> None:
    completed = Measurement.objects.filter(status=MeasurementStatus.COMPLETED)
    by_professional = completed.filter(respondent=Respondent.PROFESSIONAL)

    assert 0.05 < by_professional.count() / completed.count() < 0.4
    assert all(
        m.entered_by_id == m.trajectory.client.consultant_id
        for m in by_professional.select_related("trajectory__client")
    )
    assert not completed.filter(respondent=Respondent.CLIENT, entered_by__isnull=False).exists()


def test_most_changes_are_small_with_some_clear_improvements_and_a_few_declines(demo: Organisation) -> None:
    changes = []
    for scale in Scale.objects.filter(kind=ScaleKind.IGM_FACTOR, version__questionnaire__organisation=demo):
        firsts: dict[int, float] = {}
        lasts: dict[int, float] = {}
        scores = ScaleScore.objects.filter(scale=scale).order_by("measurement__taken_on", "measurement_id")
        for trajectory, score in scores.values_list("measurement__trajectory", "score"):
            firsts.setdefault(trajectory, float(score))
            lasts[trajectory] = float(score)
        changes += [lasts[t] - firsts[t] for t in firsts]

    small = sum(abs(change) < 1.0 for change in changes) / len(changes)
    improved = sum(change >= 1.5 for change in changes) / len(changes)
    declined = sum(change <= -1.5 for change in changes) / len(changes)
    assert small > 0.5
    assert improved > 0.03
    assert 0 < declined < improved


def test_demo_consultant_has_three_clients_with_a_baseline_and_an_intervention_phase(demo: Organisation) -> None:
    series = completed_series(DEMO_CONSULTANT)
    showcase = both_phases(series)

    assert len(showcase) >= 3
    for trajectory in showcase:
        phases = [m.phase for m in series[trajectory]]
        first_intervention = phases.index(Phase.INTERVENTION)
        assert Phase.BASELINE not in phases[first_intervention:]  # the baseline comes first


def test_a_showcase_client_shows_a_reliable_improvement_on_an_igm_scale(demo: Organisation) -> None:
    """Jacobson & Truax: RCI = (post - pre) / (SD · √(1 - r) · √2) > 1.96, with the scale's provisional values."""
    series = completed_series(DEMO_CONSULTANT)
    found = []
    for trajectory in both_phases(series):
        first, last = series[trajectory][0], series[trajectory][-1]
        for scale in Scale.objects.filter(kind=ScaleKind.IGM_FACTOR, version=first.version):
            pre = float(ScaleScore.objects.get(measurement=first, scale=scale).score)
            post = float(ScaleScore.objects.get(measurement=last, scale=scale).score)
            assert scale.reliability is not None
            assert scale.reference_sd is not None
            s_diff = float(scale.reference_sd) * math.sqrt(1 - float(scale.reliability)) * math.sqrt(2)
            if (post - pre) / s_diff > 1.96:
                found.append((trajectory, scale.code))

    assert found


def test_demo_consultant_has_a_measurement_due_with_and_without_a_link(demo: Organisation) -> None:
    today = timezone.localdate()
    open_ones = Measurement.objects.filter(
        trajectory__client__consultant__username=DEMO_CONSULTANT, status=MeasurementStatus.OPEN
    )
    recent = Measurement.objects.filter(
        status=MeasurementStatus.COMPLETED, taken_on__gte=today - timedelta(weeks=13)
    ).values("trajectory")
    due = open_ones.filter(due_on__lte=today).exclude(trajectory__in=recent)

    assert due.filter(links__isnull=False).exists()
    assert due.filter(links__isnull=True).exists()
    for link in MeasurementLink.objects.filter(measurement__in=due):
        assert link.used_at is None
        assert link.expires_at > timezone.now()
        assert len(link.token_hash or "") == 64


def test_most_measured_open_trajectories_were_measured_in_the_last_interval(demo: Organisation) -> None:
    today = timezone.localdate()
    measured = Trajectory.objects.filter(ended_on__isnull=True, measurements__isnull=False).distinct()
    recent = measured.filter(
        measurements__status=MeasurementStatus.COMPLETED, measurements__taken_on__gte=today - timedelta(weeks=13)
    ).distinct()

    assert 0.75 < recent.count() / measured.count() < 1


def test_two_finished_runs_show_group_effects(demo: Organisation) -> None:
    """The product's own pairing (pre in [start - 42 days, start], post in [last session, last session + 42],
    recorded in time, window closed) finds at least five pairs on a scale in at least two runs."""
    from koers.measurement.group_effects import run_effects

    runs = GroupRun.objects.filter(programme__organisation=demo, status=RunStatus.COMPLETED).select_related("programme")
    shown = [run for run in runs if run_effects(run).has_results]

    assert len(shown) >= 2


def test_principles_audit_has_a_trend_over_the_last_six_month_ends(demo: Organisation) -> None:
    today = timezone.localdate()
    months = sorted(set(PrincipleSnapshot.objects.filter(organisation=demo).values_list("month", flat=True)))

    assert len(months) == 6
    assert months[-1] < today.replace(day=1)
    assert all(month.day == 1 for month in months)
    assert PrincipleSnapshot.objects.filter(organisation=demo, consultant__username=DEMO_CONSULTANT).exists()


def test_same_seed_gives_the_same_measurements() -> None:
    def fingerprint() -> list[tuple[object, ...]]:
        return sorted(
            ScaleScore.objects.values_list(
                "measurement__trajectory__client__bsn", "measurement__taken_on", "scale__code", "score"
            )
        )

    services.seed_demo(password=PASSWORD, seed=9, clients=TEST_CLIENTS, reset=True)
    first = fingerprint()
    services.seed_demo(password=PASSWORD, seed=9, clients=TEST_CLIENTS, reset=True)

    assert fingerprint() == first


def test_reset_twice_replaces_the_measurements_and_the_questionnaire() -> None:
    services.seed_demo(password=PASSWORD, seed=2, clients=TEST_CLIENTS, reset=True)  # the module's demo may exist
    counts = (Measurement.objects.count(), MeasurementAnswer.objects.count(), ScaleScore.objects.count())

    for _ in range(2):
        services.seed_demo(password=PASSWORD, seed=2, clients=TEST_CLIENTS, reset=True)

        assert (Measurement.objects.count(), MeasurementAnswer.objects.count(), ScaleScore.objects.count()) == counts
        assert Questionnaire.objects.filter(organisation__name=DEMO_ORGANISATION_NAME).count() == 1
        assert MeasurementPolicy.objects.count() == 1
        assert PrincipleSnapshot.objects.values("month").distinct().count() == 6
