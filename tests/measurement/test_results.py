"""Assembling a trajectory's measurements into series, verdicts and charts (koers.measurement.results)."""

import datetime
import math
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from koers.accounts.roles import Role
from koers.measurement import stats
from koers.measurement.models import Measurement, MeasurementStatus, Phase, ScaleKind
from koers.measurement.results import (
    DETERIORATED,
    IMPROVED,
    SINGLE,
    UNCHANGED,
    UNKNOWN,
    ScaleSeries,
    trajectory_results,
)
from koers.trajectories.models import LifeDomain
from tests.measurement_factories import (
    ItemFactory,
    QuestionnaireVersionFactory,
    ScaleFactory,
    completed_measurement,
    small_questionnaire,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
# small_questionnaire: self-efficacy = mean(item 1, 6 − item 2) with reliability 0.8 and reference SD 0.8, so
# S_diff = √2 · 0.8 · √0.2 and a reliable change is at least 1.96 · S_diff ≈ 0.99. Housing (item 3) has no reliability.
MINIMAL_CHANGE = 1.96 * math.sqrt(2) * 0.8 * math.sqrt(0.2)
EFFICACY_2 = {1: 2, 2: 4, 3: 2}  # efficacy 2.0, housing 2
EFFICACY_2_5 = {1: 3, 2: 4, 3: 3}  # efficacy 2.5, housing 3
EFFICACY_4 = {1: 4, 2: 2, 3: 4}  # efficacy 4.0, housing 4


def measure(trajectory, version, answers, days_ago: int, phase: str = Phase.INTERVENTION) -> Measurement:
    return completed_measurement(trajectory, version, answers=answers, phase=phase, taken_on=TODAY - days_ago * DAY)


def series_by_code(trajectory, user) -> dict[str, ScaleSeries]:
    return {series.code: series for series in trajectory_results(trajectory, user).series}


def test_the_reference_is_the_first_baseline_measurement(trajectory, consultant) -> None:
    version = small_questionnaire(trajectory.client.organisation)
    measure(trajectory, version, EFFICACY_4, 90, Phase.INTERVENTION)
    baseline = measure(trajectory, version, EFFICACY_2, 80, Phase.BASELINE)
    measure(trajectory, version, EFFICACY_2_5, 70, Phase.BASELINE)
    measure(trajectory, version, EFFICACY_4, 60, Phase.INTERVENTION)
    efficacy = series_by_code(trajectory, consultant)["eigen-effectiviteit"]
    assert efficacy.reference.measurement_id == baseline.pk
    assert [point.is_reference for point in efficacy.points] == [False, True, False, False]
    # A point before the reference is not compared with it.
    assert efficacy.points[0].change is None
    assert efficacy.points[0].reliable is None
    assert efficacy.points[2].change == pytest.approx(0.5)


def test_without_a_baseline_the_reference_is_the_first_measurement(trajectory, consultant) -> None:
    version = small_questionnaire(trajectory.client.organisation)
    first = measure(trajectory, version, EFFICACY_2, 90)
    measure(trajectory, version, EFFICACY_4, 30)
    efficacy = series_by_code(trajectory, consultant)["eigen-effectiviteit"]
    assert efficacy.reference.measurement_id == first.pk
    assert efficacy.points[1].change == pytest.approx(2.0)


def test_each_later_point_says_whether_its_change_is_reliable(trajectory, consultant) -> None:
    version = small_questionnaire(trajectory.client.organisation)
    measure(trajectory, version, EFFICACY_2, 90, Phase.BASELINE)
    measure(trajectory, version, EFFICACY_2_5, 60)  # +0.5: smaller than measurement error
    measure(trajectory, version, EFFICACY_4, 30)  # +2.0: reliable
    points = series_by_code(trajectory, consultant)["eigen-effectiviteit"].points
    assert [point.reliable for point in points] == [None, False, True]
    assert [point.direction for point in points] == ["", UNCHANGED, IMPROVED]
    expected = stats.reliable_change_index(2.0, 4.0, 0.8, 0.8)
    assert points[2].reliable is expected.reliable


def test_the_band_is_the_reference_plus_and_minus_the_minimal_reliable_change(trajectory, consultant) -> None:
    version = small_questionnaire(trajectory.client.organisation)
    measure(trajectory, version, EFFICACY_2_5, 90, Phase.BASELINE)
    efficacy = series_by_code(trajectory, consultant)["eigen-effectiviteit"]
    assert efficacy.minimal_change == pytest.approx(MINIMAL_CHANGE)
    assert efficacy.band == pytest.approx((2.5 - MINIMAL_CHANGE, 2.5 + MINIMAL_CHANGE))
    assert 'class="koers-chart__band"' in efficacy.chart


def test_the_band_stays_within_the_answer_range(trajectory, consultant) -> None:
    version = small_questionnaire(trajectory.client.organisation)
    measure(trajectory, version, {1: 1, 2: 5, 3: 1}, 90, Phase.BASELINE)  # efficacy 1.0, the lowest score
    efficacy = series_by_code(trajectory, consultant)["eigen-effectiviteit"]
    assert efficacy.band == pytest.approx((1.0, 1.0 + MINIMAL_CHANGE))


def test_a_scale_without_reliability_shows_the_change_without_a_verdict(trajectory, consultant) -> None:
    version = small_questionnaire(trajectory.client.organisation)
    measure(trajectory, version, EFFICACY_2, 90)
    measure(trajectory, version, EFFICACY_4, 30)
    housing = series_by_code(trajectory, consultant)["huisvesting"]
    assert housing.band is None
    assert housing.minimal_change is None
    assert [point.reliable for point in housing.points] == [None, None]
    assert housing.points[1].change == pytest.approx(2.0)
    assert housing.verdict.kind == UNKNOWN
    assert "progress" not in housing.verdict.headline.lower()
    with translation.override("en"):
        assert str(housing.points[1].judgement) == "Unknown"
    assert 'class="koers-chart__band"' not in housing.chart


def test_the_latest_verdict_names_real_progress_in_plain_words(trajectory, consultant) -> None:
    version = small_questionnaire(trajectory.client.organisation)
    measure(trajectory, version, EFFICACY_2, 90)
    measure(trajectory, version, EFFICACY_4, 30)
    with translation.override("en"):
        verdict = series_by_code(trajectory, consultant)["eigen-effectiviteit"].verdict
    assert verdict.kind == IMPROVED
    assert verdict.headline == "Real progress"
    assert "larger than measurement errors can explain" in verdict.explanation
    assert "+2.00" in verdict.explanation


def test_a_small_change_is_no_clear_change(trajectory, consultant) -> None:
    version = small_questionnaire(trajectory.client.organisation)
    measure(trajectory, version, EFFICACY_2, 90)
    measure(trajectory, version, EFFICACY_2_5, 30)
    assert series_by_code(trajectory, consultant)["eigen-effectiviteit"].verdict.kind == UNCHANGED


def test_one_measurement_gives_no_change_yet(trajectory, consultant) -> None:
    version = small_questionnaire(trajectory.client.organisation)
    measure(trajectory, version, EFFICACY_2, 90)
    assert series_by_code(trajectory, consultant)["eigen-effectiviteit"].verdict.kind == SINGLE


def reversed_questionnaire(organisation) -> tuple[object, object]:
    """One scale where a lower score is better (e.g. worries about money), with a known reliability."""
    version = QuestionnaireVersionFactory(questionnaire__organisation=organisation)
    worries = ScaleFactory(version=version, code="geldzorgen", name="Geldzorgen", higher_is_better=False)
    ItemFactory(version=version, scale=worries, position=1, text="Ik maak me zorgen over geld.")
    return version, worries


def test_on_a_reversed_scale_a_lower_score_is_progress(trajectory, consultant) -> None:
    version, _scale = reversed_questionnaire(trajectory.client.organisation)
    measure(trajectory, version, {1: 5}, 90)
    measure(trajectory, version, {1: 2}, 30)
    worries = series_by_code(trajectory, consultant)["geldzorgen"]
    assert worries.higher_is_better is False
    assert worries.points[1].change == pytest.approx(-3.0)
    assert worries.points[1].direction == IMPROVED
    assert worries.verdict.kind == IMPROVED


def test_on_a_reversed_scale_a_higher_score_is_decline(trajectory, consultant) -> None:
    version, _scale = reversed_questionnaire(trajectory.client.organisation)
    measure(trajectory, version, {1: 1}, 90)
    measure(trajectory, version, {1: 4}, 30)
    assert series_by_code(trajectory, consultant)["geldzorgen"].verdict.kind == DETERIORATED


def test_nap_and_tau_u_need_three_points_in_each_phase(trajectory, consultant) -> None:
    version = small_questionnaire(trajectory.client.organisation)
    for days_ago in (100, 90):
        measure(trajectory, version, EFFICACY_2, days_ago, Phase.BASELINE)
    for days_ago in (60, 50, 40):
        measure(trajectory, version, EFFICACY_4, days_ago, Phase.INTERVENTION)
    with translation.override("en"):
        phases = series_by_code(trajectory, consultant)["eigen-effectiviteit"].phases
    assert not phases.enough
    assert phases.nap is None
    assert phases.tau_u is None
    assert (phases.baseline_points, phases.intervention_points, phases.needed) == (2, 3, 3)
    assert "at least 3 measurements" in phases.sentences[0]


def test_nap_and_tau_u_with_three_points_in_each_phase(trajectory, consultant) -> None:
    version = small_questionnaire(trajectory.client.organisation)
    baseline = [EFFICACY_2, EFFICACY_2_5, EFFICACY_2]
    intervention = [EFFICACY_2_5, EFFICACY_4, EFFICACY_4]
    for index, answers in enumerate(baseline):
        measure(trajectory, version, answers, 100 - index, Phase.BASELINE)
    for index, answers in enumerate(intervention):
        measure(trajectory, version, answers, 60 - index, Phase.INTERVENTION)
    measure(trajectory, version, EFFICACY_2, 10, Phase.FOLLOW_UP)  # follow-up is in neither phase
    phases = series_by_code(trajectory, consultant)["eigen-effectiviteit"].phases
    assert phases.enough
    expected_nap = stats.nap([2.0, 2.5, 2.0], [2.5, 4.0, 4.0])
    expected_tau_u = stats.tau_u([2.0, 2.5, 2.0], [2.5, 4.0, 4.0])
    assert not isinstance(expected_nap, stats.NotEnoughMeasurements)
    assert not isinstance(expected_tau_u, stats.NotEnoughMeasurements)
    assert phases.nap == pytest.approx(expected_nap.value)
    assert phases.tau_u == pytest.approx(expected_tau_u.value)
    assert len(phases.sentences) == 2


def test_nap_follows_the_direction_of_a_reversed_scale(trajectory, consultant) -> None:
    version, _scale = reversed_questionnaire(trajectory.client.organisation)
    for index, value in enumerate((5, 5, 4)):
        measure(trajectory, version, {1: value}, 100 - index, Phase.BASELINE)
    for index, value in enumerate((2, 1, 1)):
        measure(trajectory, version, {1: value}, 60 - index, Phase.INTERVENTION)
    assert series_by_code(trajectory, consultant)["geldzorgen"].phases.nap == pytest.approx(1.0)


def test_versions_of_one_questionnaire_are_matched_by_scale_code(trajectory, consultant) -> None:
    first = small_questionnaire(trajectory.client.organisation)
    second = QuestionnaireVersionFactory(questionnaire=first.questionnaire, number=2)
    renamed = ScaleFactory(version=second, code="eigen-effectiviteit", name="Vertrouwen in jezelf")
    ItemFactory(version=second, scale=renamed, position=1, text="Ik kan dit.")
    measure(trajectory, first, EFFICACY_2, 90)
    measure(trajectory, second, {1: 4}, 30)
    series = trajectory_results(trajectory, consultant).series
    efficacy = [item for item in series if item.code == "eigen-effectiviteit"]
    assert len(efficacy) == 1
    assert [point.score for point in efficacy[0].points] == [2.0, 4.0]
    assert efficacy[0].name == "Vertrouwen in jezelf"  # the newest version names the scale


def test_the_same_code_in_another_questionnaire_is_another_scale(trajectory, consultant) -> None:
    organisation = trajectory.client.organisation
    measure(trajectory, small_questionnaire(organisation), EFFICACY_2, 90)
    measure(trajectory, small_questionnaire(organisation), EFFICACY_4, 30)
    codes = [series.code for series in trajectory_results(trajectory, consultant).series]
    assert codes.count("eigen-effectiviteit") == 2


def test_igm_factors_come_before_life_domains(trajectory, consultant) -> None:
    version = small_questionnaire(trajectory.client.organisation)
    measure(trajectory, version, EFFICACY_2, 90)
    results = trajectory_results(trajectory, consultant)
    assert [series.kind for series in results.series] == [ScaleKind.IGM_FACTOR, ScaleKind.LIFE_DOMAIN]
    assert [len(group) for _heading, group in results.groups] == [1, 1]


def test_the_life_domain_profile_sets_the_first_against_the_latest(trajectory, consultant) -> None:
    version = small_questionnaire(trajectory.client.organisation)
    finances = ScaleFactory(
        version=version,
        code="financien",
        name="Financiën",
        kind=ScaleKind.LIFE_DOMAIN,
        igm_factor="",
        life_domain=LifeDomain.FINANCES,
    )
    ItemFactory(version=version, scale=finances, position=4, text="Ik kan mijn rekeningen betalen.")
    measure(trajectory, version, {**EFFICACY_2, 4: 1}, 90)
    measure(trajectory, version, {**EFFICACY_2_5, 4: 2}, 60)
    measure(trajectory, version, {**EFFICACY_4, 4: 3}, 30)
    results = trajectory_results(trajectory, consultant)
    profile = {row.label: (row.start, row.now) for row in results.profile}
    assert profile == {"Huisvesting": (2.0, 4.0), "Financiën": (1.0, 3.0)}
    assert results.profile_chart is not None
    assert "Financiën" in results.profile_chart


def test_a_profile_with_one_measurement_has_no_now_yet(trajectory, consultant) -> None:
    version = small_questionnaire(trajectory.client.organisation)
    measure(trajectory, version, EFFICACY_2, 90)
    row = trajectory_results(trajectory, consultant).profile[0]
    assert (row.start, row.now) == (2.0, None)


def test_only_completed_measurements_count(trajectory, consultant) -> None:
    version = small_questionnaire(trajectory.client.organisation)
    measure(trajectory, version, EFFICACY_2, 90)
    open_one = measure(trajectory, version, EFFICACY_4, 30)
    Measurement.objects.filter(pk=open_one.pk).update(status=MeasurementStatus.OPEN)
    results = trajectory_results(trajectory, consultant)
    assert results.measurement_count == 1
    assert [len(series.points) for series in results.series] == [1, 1]


def test_a_user_outside_the_dossier_gets_nothing(trajectory, make_user) -> None:
    measure(trajectory, small_questionnaire(trajectory.client.organisation), EFFICACY_2, 90)
    assert trajectory_results(trajectory, make_user(Role.CONSULTANT)).is_empty
    assert trajectory_results(trajectory, make_user(Role.POLICY)).is_empty


def test_the_scores_are_read_in_one_query(trajectory, consultant) -> None:
    def count() -> int:
        user = type(consultant).objects.get(pk=consultant.pk)
        _roles = user.roles
        with CaptureQueriesContext(connection) as queries:
            trajectory_results(trajectory, user)
        return len(queries)

    version = small_questionnaire(trajectory.client.organisation)
    measure(trajectory, version, EFFICACY_2, 90)
    assert count() == 1
    second, _scale = reversed_questionnaire(trajectory.client.organisation)
    for days_ago in (80, 70, 60):
        measure(trajectory, version, EFFICACY_4, days_ago)
        measure(trajectory, second, {1: 3}, days_ago)
    assert count() == 1


def test_a_scale_name_is_escaped_in_the_chart(trajectory, consultant) -> None:
    version = small_questionnaire(trajectory.client.organisation)
    version.scales.filter(code="huisvesting").update(name="<script>alert(1)</script>", reliability=Decimal("0.7"))
    measure(trajectory, version, EFFICACY_2, 90)
    housing = series_by_code(trajectory, consultant)["huisvesting"]
    assert "<script>" not in housing.chart
    assert "&lt;script&gt;" in housing.chart
