"""The effect-measurement page of a trajectory: what it shows, who may open it, its audit trail and query count."""

import datetime
import re

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.measurement.models import Phase
from koers.trajectories.models import Trajectory
from tests import factories
from tests.helpers import assert_query_budget
from tests.measurement_factories import completed_measurement, small_questionnaire
from tests.trajectory_factories import TrajectoryFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
REASON = "effect measurement results"


@pytest.fixture
def trajectory(consultant, municipality) -> Trajectory:
    client = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=consultant
    )
    return TrajectoryFactory(client=client, created_by=consultant, started_on=TODAY - 200 * DAY)


def url(trajectory: Trajectory) -> str:
    return reverse("measurement:overview", kwargs={"pk": trajectory.pk})


def measured(trajectory: Trajectory) -> Trajectory:
    """Self-efficacy 2.0 at the start (baseline), 4.0 later: a reliable improvement. Housing 2 → 4, no reliability."""
    version = small_questionnaire(trajectory.client.organisation)
    completed_measurement(
        trajectory, version, answers={1: 2, 2: 4, 3: 2}, phase=Phase.BASELINE, taken_on=TODAY - 90 * DAY
    )
    completed_measurement(trajectory, version, answers={1: 4, 2: 2, 3: 4}, taken_on=TODAY - 30 * DAY)
    return trajectory


def test_the_consultant_sees_a_chart_verdict_and_data_table_per_scale(trajectory, consultant, english) -> None:
    response = english(consultant).get(url(measured(trajectory)))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('data-testid="scale-chart"') == 2
    assert page.count('role="img"') == 3  # two scales and the life-domain profile
    assert re.search(r'data-verdict="improved".*Real progress', page, re.DOTALL)
    assert 'data-verdict="unknown"' in page  # housing has no reliability: no verdict
    assert page.count('data-testid="scale-table"') == 2
    assert 'data-reliable="yes"' in page
    assert 'data-reliable="unknown"' in page
    assert 'data-testid="not-enough"' in page
    assert 'data-testid="profile-chart"' in page
    assert 'data-testid="profile-table"' in page


def test_the_chart_is_markup_not_escaped_text(trajectory, consultant, login) -> None:
    page = login(consultant).get(url(measured(trajectory))).content.decode()
    assert "<svg" in page
    assert "&lt;svg" not in page


def test_without_measurements_the_page_says_so(trajectory, consultant, login) -> None:
    response = login(consultant).get(url(trajectory))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="no-measurements"' in page
    assert "<svg" not in page


def test_a_new_measurement_can_be_started_from_an_open_trajectory(trajectory, consultant, login) -> None:
    try:
        create_url = reverse("measurement:create", kwargs={"pk": trajectory.pk})
    except NoReverseMatch:
        pytest.skip("the measurement entry pages are not wired yet")
    page = login(consultant).get(url(trajectory)).content.decode()
    assert f'href="{create_url}"' in page
    Trajectory.objects.filter(pk=trajectory.pk).update(ended_on=TODAY)
    assert 'data-testid="new-measurement"' not in login(consultant).get(url(trajectory)).content.decode()


def test_opening_the_page_is_on_record(trajectory, consultant, login) -> None:
    login(consultant).get(url(measured(trajectory)))
    event = AuditEvent.objects.get(reason=REASON)
    assert (event.actor, event.action, event.client_id) == (consultant, Action.READ, trajectory.client_id)


def test_another_consultant_gets_404_and_nothing_is_recorded(trajectory, make_user, login) -> None:
    assert login(make_user(Role.CONSULTANT)).get(url(measured(trajectory))).status_code == 404
    assert not AuditEvent.objects.filter(reason=REASON).exists()


@pytest.mark.parametrize("role", [Role.TRAINER, Role.PLANNER, Role.POLICY, Role.ADMINISTRATOR, Role.PRIVACY_OFFICER])
def test_other_roles_get_403(trajectory, make_user, login, role) -> None:
    assert login(make_user(role)).get(url(measured(trajectory))).status_code == 403


def test_a_team_manager_needs_an_opened_dossier(trajectory, make_user, login) -> None:
    manager = make_user(Role.TEAM_MANAGER)
    assert login(manager).get(url(measured(trajectory))).status_code == 404
    factories.AccessGrantFactory(client=trajectory.client, user=manager)
    response = login(manager).get(url(trajectory))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="scale-chart"') == 2


def test_the_query_count_does_not_grow_with_measurements_or_scales(trajectory, consultant, login) -> None:
    measured(trajectory)

    def grow() -> None:
        other = small_questionnaire(trajectory.client.organisation)  # two more scales
        for days_ago in (80, 70, 60):
            completed_measurement(trajectory, other, phase=Phase.BASELINE, taken_on=TODAY - days_ago * DAY)
            completed_measurement(trajectory, other, taken_on=TODAY - (days_ago - 50) * DAY)

    assert_query_budget(login(consultant), url(trajectory), 13, grow)
