"""Group effects: the pairing rule, the minimum of five measured participants, programmes and the words used."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from koers.groupwork.models import GroupRun, Participation, Programme, RunStatus
from koers.measurement import stats
from koers.measurement.group_effects import (
    DEFAULT_WINDOW_DAYS,
    chart_rows,
    forest_plot,
    interpretation,
    programme_effects,
    run_effects,
)
from koers.measurement.models import Measurement, MeasurementPolicy, QuestionnaireVersion, Scale, VersionStatus
from tests import factories
from tests import groupwork_factories as gw
from tests.measurement_factories import completed_measurement as _completed_measurement
from tests.measurement_factories import small_questionnaire
from tests.trajectory_factories import TrajectoryFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2025, 3, 3)
SESSIONS = 6
END = START + datetime.timedelta(weeks=SESSIONS - 1)
EFFICACY, HOUSING = "eigen-effectiviteit", "huisvesting"


def make_run(organisation, *, programme=None, start=START, sessions=SESSIONS, trainers=None) -> GroupRun:
    """A completed run with weekly sessions from ``start``."""
    programme = programme or factories.ProgrammeFactory(organisation=organisation)
    run = factories.GroupRunFactory(
        programme=programme, start_date=start, status=RunStatus.COMPLETED, trainers=trainers or []
    )
    for number in range(1, sessions + 1):
        gw.SessionFactory(group_run=run, number=number, date=start + datetime.timedelta(weeks=number - 1))
    return run


def recorded_on(measurement: Measurement, day: datetime.date) -> Measurement:
    """Backdate the recording: in these tests a measurement is entered on the day it is taken, unless told."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    Measurement.objects.filter(pk=measurement.pk).update(created_at=moment, completed_at=moment)
    measurement.refresh_from_db()
    return measurement


def completed_measurement(
    trajectory, version, *, recorded: datetime.date | None = None, **kwargs: object
) -> Measurement:
    """A completed measurement recorded on ``recorded`` (the day it was taken by default)."""
    measurement = _completed_measurement(trajectory, version, **kwargs)  # type: ignore[arg-type]
    assert measurement.taken_on is not None
    return recorded_on(measurement, recorded or measurement.taken_on)


def answers(efficacy: int, housing: int = 3) -> dict[int, int]:
    """Item answers that give these scale scores (item 2 of the efficacy scale is reverse-scored)."""
    return {1: efficacy, 2: 6 - efficacy, 3: housing}


def participant(
    run: GroupRun,
    version: QuestionnaireVersion,
    *,
    pre: int | None = 2,
    post: int | None = 4,
    pre_on: datetime.date | None = None,
    post_on: datetime.date | None = None,
    started: bool = True,
    left_on: datetime.date | None = None,
    municipality=None,
) -> Participation:
    """A client in the run with a measurement a week before the first and a week after the last session."""
    organisation = run.programme.organisation
    client = factories.ClientFactory(
        organisation=organisation, **({"municipality": municipality} if municipality else {})
    )
    trajectory = TrajectoryFactory(client=client, started_on=START - datetime.timedelta(days=120))
    referral = gw.ReferralFactory(
        client=client,
        programme=run.programme,
        status="started" if started else "placed",
        started_on=START if started else None,
        group_run=run,
        referred_by=trajectory.created_by,
    )
    participation = factories.ParticipationFactory(
        group_run=run, client=client, referral=referral, joined_on=START, left_on=left_on
    )
    first, last = run_span(run)
    if pre is not None:
        completed_measurement(
            trajectory, version, answers=answers(pre), taken_on=pre_on or first - datetime.timedelta(days=7)
        )
    if post is not None:
        completed_measurement(
            trajectory, version, answers=answers(post), taken_on=post_on or last + datetime.timedelta(days=7)
        )
    return participation


def run_span(run: GroupRun) -> tuple[datetime.date, datetime.date]:
    dates = list(run.sessions.filter(is_cancelled=False).values_list("date", flat=True))
    return min(dates), max(dates)


def scale_effect(effects, code: str = EFFICACY):
    return next(scale for q in effects.questionnaires for scale in q.scales if scale.code == code)


@pytest.fixture
def version(organisation) -> QuestionnaireVersion:
    return small_questionnaire(organisation)


@pytest.fixture
def run(organisation) -> GroupRun:
    return make_run(organisation)


def test_five_measured_participants_give_the_pre_post_result(run, version) -> None:
    for pre, post in [(2, 4), (2, 3), (3, 4), (1, 3), (2, 5)]:
        participant(run, version, pre=pre, post=post)
    effects = run_effects(run)
    efficacy = scale_effect(effects)
    assert isinstance(efficacy.result, stats.PrePost)
    assert efficacy.n == efficacy.result.n == 5
    assert efficacy.result.mean_pre == pytest.approx(2.0)
    assert efficacy.result.mean_post == pytest.approx(3.8)
    assert efficacy.result.hedges_g > 0
    assert effects.participants == 5
    assert effects.window_days == DEFAULT_WINDOW_DAYS
    assert (effects.span.start, effects.span.end) == (START, END)


def test_four_measured_participants_give_no_figures(run, version) -> None:
    for _ in range(4):
        participant(run, version)
    participant(run, version, post=None)  # started, but never measured afterwards
    efficacy = scale_effect(run_effects(run))
    assert isinstance(efficacy.result, stats.NotEnoughMeasurements)
    assert efficacy.result.value is None
    assert (efficacy.n, efficacy.shown) == (4, False)
    assert not hasattr(efficacy.result, "mean_pre")


def test_pre_is_the_latest_before_the_start_and_post_the_earliest_after_the_end(run, version) -> None:
    for _ in range(5):
        person = participant(run, version, pre=3, post=4)
        trajectory = person.client.trajectories.get()
        # Earlier before the start and later after the end: neither may replace the pair above.
        completed_measurement(trajectory, version, answers=answers(1), taken_on=START - datetime.timedelta(days=20))
        completed_measurement(trajectory, version, answers=answers(5), taken_on=END + datetime.timedelta(days=20))
        # During the run: not before the start, not after the end.
        completed_measurement(trajectory, version, answers=answers(5), taken_on=START + datetime.timedelta(days=3))
    result = scale_effect(run_effects(run)).result
    assert (result.mean_pre, result.mean_post) == (pytest.approx(3.0), pytest.approx(4.0))


def test_measurements_on_the_first_and_last_session_day_count(run, version) -> None:
    for _ in range(5):
        participant(run, version, pre=2, post=4, pre_on=START, post_on=END)
    assert scale_effect(run_effects(run)).n == 5


def test_measurements_outside_the_window_do_not_count(run, version) -> None:
    window = datetime.timedelta(days=DEFAULT_WINDOW_DAYS)
    for _ in range(4):
        participant(run, version, pre_on=START - window, post_on=END + window)
    participant(run, version, pre_on=START - window - datetime.timedelta(days=1))
    participant(run, version, post_on=END + window + datetime.timedelta(days=1))
    assert scale_effect(run_effects(run)).n == 4


def test_the_window_comes_from_the_organisations_measurement_policy(run, version, organisation) -> None:
    MeasurementPolicy.objects.create(organisation=organisation, group_window_days=10)
    for _ in range(5):
        participant(run, version, pre_on=START - datetime.timedelta(days=14))
    effects = run_effects(run)
    assert effects.window_days == 10
    assert effects.questionnaires == []


def test_participants_who_never_started_or_left_before_the_start_are_left_out(run, version) -> None:
    for _ in range(4):
        participant(run, version)
    participant(run, version, started=False)
    participant(run, version, left_on=START - datetime.timedelta(days=1))
    effects = run_effects(run)
    assert effects.participants == 4
    assert scale_effect(effects).n == 4


def test_an_attendance_counts_as_a_start_without_a_referral(run, version, organisation) -> None:
    for _ in range(4):
        participant(run, version)
    client = factories.ClientFactory(organisation=organisation)
    trajectory = TrajectoryFactory(client=client, started_on=START - datetime.timedelta(days=90))
    participation = factories.ParticipationFactory(group_run=run, client=client, referral=None, joined_on=START)
    gw.AttendanceFactory(session=run.sessions.first(), participation=participation, status="late")
    completed_measurement(trajectory, version, answers=answers(2), taken_on=START - datetime.timedelta(days=2))
    completed_measurement(trajectory, version, answers=answers(4), taken_on=END + datetime.timedelta(days=2))
    assert scale_effect(run_effects(run)).n == 5


def test_cancelled_sessions_do_not_mark_the_start_or_end(organisation, version) -> None:
    run = make_run(organisation)
    run.sessions.filter(number__in=[1, SESSIONS]).update(is_cancelled=True)
    first, last = START + datetime.timedelta(weeks=1), END - datetime.timedelta(weeks=1)
    for _ in range(5):
        participant(run, version, pre_on=first - datetime.timedelta(days=3), post_on=last + datetime.timedelta(days=3))
    effects = run_effects(run)
    assert (effects.span.start, effects.span.end) == (first, last)
    assert scale_effect(effects).n == 5


def test_a_run_without_sessions_has_no_span_and_no_results(organisation, version) -> None:
    run = make_run(organisation, sessions=0)
    effects = run_effects(run)
    assert (effects.span, effects.runs, effects.questionnaires) == (None, 0, [])


def test_scores_pair_by_scale_code_across_versions_of_the_questionnaire(run, version) -> None:
    newer = QuestionnaireVersion.objects.create(
        questionnaire=version.questionnaire, number=2, status=VersionStatus.PUBLISHED
    )
    for scale in version.scales.all():
        new_scale = Scale.objects.create(
            version=newer, code=scale.code, name=f"{scale.name} (nieuw)", kind=scale.kind, position=scale.position
        )
        for item in scale.items.all():
            item.pk = None
            item.version, item.scale = newer, new_scale
            item.save()
    for _ in range(5):
        participant(run, version, post=None)
    for participation in run.participations.all():
        trajectory = participation.client.trajectories.get()
        completed_measurement(trajectory, newer, answers=answers(4), taken_on=END + datetime.timedelta(days=7))
    efficacy = scale_effect(run_effects(run))
    assert efficacy.n == 5
    assert efficacy.name.endswith("(nieuw)"), "the newest version names the scale"


def test_a_scale_where_lower_is_better_calls_a_fall_an_improvement(run, version) -> None:
    Scale.objects.filter(version=version, code=EFFICACY).update(higher_is_better=False)
    for pre, post in [(4, 2), (4, 3), (5, 2), (4, 1), (3, 2)]:
        participant(run, version, pre=pre, post=post)
    efficacy = scale_effect(run_effects(run))
    assert not efficacy.higher_is_better
    assert efficacy.result.mean_change < 0
    assert efficacy.result.hedges_g > 0


def test_each_questionnaire_gets_its_own_section(run, version, organisation) -> None:
    other = small_questionnaire(organisation)
    for _ in range(5):
        person = participant(run, version)
        trajectory = person.client.trajectories.get()
        completed_measurement(trajectory, other, answers=answers(3), taken_on=START - datetime.timedelta(days=1))
        completed_measurement(trajectory, other, answers=answers(3), taken_on=END + datetime.timedelta(days=1))
    effects = run_effects(run)
    assert {q.questionnaire_id for q in effects.questionnaires} == {version.questionnaire_id, other.questionnaire_id}
    for questionnaire in effects.questionnaires:
        assert {scale.code: scale.n for scale in questionnaire.scales} == {EFFICACY: 5, HOUSING: 5}


def test_a_programme_pools_only_runs_that_reach_five_on_their_own(organisation, version) -> None:
    programme: Programme = factories.ProgrammeFactory(organisation=organisation)
    large = make_run(organisation, programme=programme)
    later = make_run(organisation, programme=programme, start=START + datetime.timedelta(weeks=10))
    small = make_run(organisation, programme=programme, start=START + datetime.timedelta(weeks=20))
    for run, count in ((large, 5), (later, 6), (small, 3)):
        for _ in range(count):
            participant(run, version)
    effects = programme_effects(programme)
    efficacy = scale_effect(effects)
    assert (efficacy.n, efficacy.runs_counted) == (11, 2)
    assert (effects.runs, effects.participants) == (3, 14)


def test_a_programme_period_selects_runs_by_their_first_session(organisation, version) -> None:
    programme: Programme = factories.ProgrammeFactory(organisation=organisation)
    early = make_run(organisation, programme=programme)
    late = make_run(organisation, programme=programme, start=START + datetime.timedelta(weeks=10))
    for run in (early, late):
        for _ in range(5):
            participant(run, version)
    only_late = programme_effects(programme, start_from=START + datetime.timedelta(days=1))
    assert (only_late.runs, scale_effect(only_late).n) == (1, 5)
    only_early = programme_effects(programme, start_to=START)
    assert (only_early.runs, scale_effect(only_early).n) == (1, 5)


def test_a_programme_without_runs_large_enough_shows_no_figures(organisation, version) -> None:
    programme: Programme = factories.ProgrammeFactory(organisation=organisation)
    for weeks in (0, 10):
        run = make_run(organisation, programme=programme, start=START + datetime.timedelta(weeks=weeks))
        for _ in range(3):
            participant(run, version)
    efficacy = scale_effect(programme_effects(programme))
    assert (efficacy.n, efficacy.shown, efficacy.runs_counted) == (0, False, 0)


def test_cancelled_runs_do_not_count_for_a_programme(organisation, version) -> None:
    run = make_run(organisation)
    for _ in range(5):
        participant(run, version)
    GroupRun.objects.filter(pk=run.pk).update(status=RunStatus.CANCELLED)
    assert programme_effects(run.programme).runs == 0


def test_the_number_of_queries_does_not_grow_with_participants(organisation, version) -> None:
    programme: Programme = factories.ProgrammeFactory(organisation=organisation)
    run = make_run(organisation, programme=programme)
    for _ in range(5):
        participant(run, version)
    counts = []
    for _ in range(2):
        run = GroupRun.objects.select_related("programme").get(pk=run.pk)
        with CaptureQueriesContext(connection) as run_queries:
            run_effects(run)
        with CaptureQueriesContext(connection) as programme_queries:
            programme_effects(programme)
        counts.append((len(run_queries), len(programme_queries)))
        for _ in range(4):
            participant(run, version)
        make_run(organisation, programme=programme, start=START + datetime.timedelta(weeks=12))
    assert counts[0] == counts[1]
    assert counts[0][0] <= 6
    assert counts[0][1] <= 6


def prepost(g: float, low: float, high: float, *, standardised: bool = True) -> stats.PrePost:
    return stats.PrePost(
        value=g,
        n=8,
        mean_pre=2.0,
        mean_post=2.5,
        mean_change=0.5,
        d_z=g,
        hedges_g=g,
        ci_low=low,
        ci_high=high,
        t=1.0,
        p_t=0.2,
        p_wilcoxon=0.2,
        standardised=standardised,
    )


@pytest.mark.parametrize(
    ("result", "words"),
    [
        (prepost(0.9, 0.3, 1.5), "improved"),
        (prepost(-0.6, -1.1, -0.1), "went back"),
        (prepost(0.7, -0.1, 1.5), "No clear change"),
        (prepost(0.0, 0.0, 0.0, standardised=False), "do not vary"),
    ],
)
def test_the_words_follow_the_confidence_interval(result, words) -> None:
    with translation.override("en"):
        text = interpretation(result)
    assert words in text
    if result.ci_low <= 0:
        assert "improved" not in text
        assert "progress" not in text or "not read it as progress" in text


def test_an_interval_above_zero_names_the_size_of_the_effect() -> None:
    with translation.override("en"):
        assert "a large effect" in interpretation(prepost(0.9, 0.3, 1.5))
        assert "a small effect" in interpretation(prepost(0.3, 0.05, 0.6))


def test_the_forest_plot_is_an_accessible_svg_with_escaped_labels() -> None:
    svg = forest_plot([("Werk & <inkomen>", 0.5, 0.1, 0.9), ("Wonen", -0.2, -0.8, 0.4)], title="T", description="D")
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img"
    assert root.find(f"{ns}title").text == "T"
    assert root.find(f"{ns}desc").text == "D"
    assert "Werk &amp; &lt;inkomen&gt;" in svg
    assert len(root.findall(f"{ns}rect")) == 2
    assert "style=" not in svg
    assert forest_plot([], title="T", description="D") == ""


def test_only_standardised_results_are_charted(run, version) -> None:
    for _ in range(5):
        participant(run, version, pre=2, post=4)  # every score the same: nothing to standardise by
    effects = run_effects(run)
    assert scale_effect(effects).result.standardised is False
    assert chart_rows(effects) == []


# Figures are final once shown: two visits can never be subtracted from each other (issue 6, security review F1).

WINDOW = datetime.timedelta(days=DEFAULT_WINDOW_DAYS)
CLOSES_ON = END + WINDOW  # the last day of the measurement window
AVAILABLE_ON = CLOSES_ON + datetime.timedelta(days=1)


def five_measured(run, version) -> None:
    for pre, post in [(2, 4), (2, 3), (3, 4), (1, 3), (2, 5)]:
        participant(run, version, pre=pre, post=post)


def test_no_figures_until_the_measurement_window_has_closed(run, version) -> None:
    five_measured(run, version)
    waiting = run_effects(run, today=CLOSES_ON)
    assert (waiting.closed, waiting.questionnaires, waiting.has_results) == (False, [], False)
    assert waiting.available_on == AVAILABLE_ON
    assert waiting.participants == 5
    shown = run_effects(run, today=AVAILABLE_ON)
    assert shown.closed
    assert scale_effect(shown).n == 5


def test_a_run_that_is_still_open_shows_no_figures_however_long_ago_it_ended(run, version) -> None:
    """Its last session could still be cancelled, which would move the window."""
    five_measured(run, version)
    GroupRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    run.refresh_from_db()
    effects = run_effects(run, today=AVAILABLE_ON + datetime.timedelta(days=365))
    assert (effects.closed, effects.questionnaires) == (False, [])


def test_a_measurement_recorded_after_the_window_closed_does_not_change_the_figures(run, version) -> None:
    five_measured(run, version)
    before = scale_effect(run_effects(run)).result
    # A sixth participant's before and after, entered late (back-dated into the window): 6·mean6 − 5·mean5 would
    # give them away if they counted.
    participant(run, version, pre=5, post=1)
    for measurement in Measurement.objects.filter(trajectory__client__participations__group_run=run).order_by("-pk")[
        :2
    ]:
        recorded_on(measurement, AVAILABLE_ON)
    after = run_effects(run)
    assert scale_effect(after).n == 5
    assert scale_effect(after).result == before


def test_a_post_measurement_recorded_on_the_last_day_of_the_window_counts(run, version) -> None:
    for _ in range(5):
        person = participant(run, version, post=None)
        trajectory = person.client.trajectories.get()
        completed_measurement(trajectory, version, answers=answers(4), taken_on=END, recorded=CLOSES_ON)
    assert scale_effect(run_effects(run)).n == 5


def test_answers_entered_after_the_window_closed_do_not_count_for_a_measurement_planned_in_time(run, version) -> None:
    """The row was created (planned) in time, but its answers were stored later and back-dated: ``completed_at``
    is what tells."""
    people = [participant(run, version) for _ in range(5)]
    late = Measurement.objects.filter(trajectory__client=people[0].client).order_by("-taken_on").first()
    assert late is not None
    stored = timezone.make_aware(datetime.datetime.combine(AVAILABLE_ON, datetime.time(9)))
    Measurement.objects.filter(pk=late.pk).update(completed_at=stored)
    assert scale_effect(run_effects(run)).n == 4


def test_a_programme_pools_only_runs_whose_window_has_closed(organisation, version) -> None:
    programme: Programme = factories.ProgrammeFactory(organisation=organisation)
    early = make_run(organisation, programme=programme)
    recent = make_run(organisation, programme=programme, start=START + datetime.timedelta(weeks=4))
    for run in (early, recent):
        five_measured(run, version)
    # The recent run ended four weeks after the early one, so its window is still open on the early one's first day.
    effects = programme_effects(programme, today=AVAILABLE_ON)
    assert (effects.runs, effects.pending_runs, effects.participants) == (1, 1, 5)
    assert (scale_effect(effects).n, scale_effect(effects).runs_counted) == (5, 1)
    later = programme_effects(programme, today=AVAILABLE_ON + datetime.timedelta(weeks=4))
    assert (later.runs, later.pending_runs, scale_effect(later).n) == (2, 0, 10)


def test_a_programme_leaves_out_runs_that_are_still_open(organisation, version) -> None:
    run = make_run(organisation)
    five_measured(run, version)
    GroupRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    effects = programme_effects(run.programme)
    assert (effects.runs, effects.pending_runs, effects.questionnaires) == (0, 1, [])
