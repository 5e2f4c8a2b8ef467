"""The principles pages: who may open them, what they show, and a query count that does not grow with the data."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.accounts.roles import Role
from koers.audit.models import AuditEvent
from koers.principles.services import record_snapshots
from koers.trajectories.models import InstrumentStatus
from tests import factories
from tests.helpers import assert_query_budget
from tests.trajectory_factories import (
    GoalFactory,
    IgmProfileFactory,
    InstrumentFactory,
    LifeDomainAssessmentFactory,
    TrajectoryFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(weeks=1)
TEAM_URL = reverse("principles:team")


def page_url(trajectory) -> str:
    return reverse("principles:trajectory", args=[trajectory.pk])


@pytest.fixture
def manager(make_user):
    return make_user(Role.TEAM_MANAGER)


def full_trajectory(consultant, municipality, index: int = 0):
    """A trajectory with a bit of everything the rules read."""
    client = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=consultant
    )
    start = TODAY - 30 * WEEK
    trajectory = TrajectoryFactory(client=client, created_by=consultant, started_on=start)
    goal = GoalFactory(trajectory=trajectory)
    GoalFactory(trajectory=trajectory, parent=goal, target_date=TODAY + (index % 5) * WEEK)
    InstrumentFactory(
        trajectory=trajectory,
        goal=goal,
        status=InstrumentStatus.ACTIVE,
        started_on=TODAY - 20 * WEEK,
        review_on=TODAY - WEEK if index % 2 else TODAY + WEEK,
    )
    LifeDomainAssessmentFactory(trajectory=trajectory, assessed_on=start + DAY, scores={"housing": 1})
    IgmProfileFactory(trajectory=trajectory, assessed_on=TODAY - (index % 4) * 40 * DAY)
    return trajectory


# One trajectory's page


def test_consultant_sees_the_ten_principles_with_status_reason_and_link(consultant, trajectory, english) -> None:
    InstrumentFactory(trajectory=trajectory, status=InstrumentStatus.ACTIVE, started_on=TODAY - 14 * WEEK)
    response = english(consultant).get(page_url(trajectory))
    assert response.status_code == 200
    page = response.content.decode()
    for number in range(1, 11):
        assert f'data-testid="principle-{number}"' in page
    assert "Watch and limit the duration of an instrument" in page
    assert "An instrument runs longer than planned and its review date has passed." in page
    instrument = trajectory.instruments.get()
    assert reverse("trajectories:instrument_edit", args=[instrument.pk]) in page
    assert reverse("trajectories:life_domains", args=[trajectory.pk]) in page  # principle 9 fails: no assessment
    assert 'data-status="fail"' in page
    assert 'data-status="pass"' in page
    assert ">Fail<" in page  # the status is written out, not only coloured


def test_opening_the_page_is_written_to_the_audit_trail(consultant, trajectory, login) -> None:
    login(consultant).get(page_url(trajectory))
    event = AuditEvent.objects.filter(reason="principles audit").get()
    assert event.client_id == trajectory.client_id
    assert event.actor == consultant


def test_another_consultants_trajectory_is_not_found(make_user, trajectory, login) -> None:
    colleague = make_user(Role.CONSULTANT)
    assert login(colleague).get(page_url(trajectory)).status_code == 404


def test_team_manager_needs_a_reasoned_access_grant(manager, trajectory, login) -> None:
    http = login(manager)
    assert http.get(page_url(trajectory)).status_code == 404
    factories.AccessGrantFactory(client=trajectory.client, user=manager, granted_by=manager)
    assert http.get(page_url(trajectory)).status_code == 200


def test_other_roles_are_refused(planner, trajectory, login) -> None:
    assert login(planner).get(page_url(trajectory)).status_code == 403


def test_an_ended_trajectory_is_checked_on_its_last_day_without_fix_links(consultant, trajectory, english) -> None:
    trajectory.ended_on = TODAY - 10 * DAY
    trajectory.outflow_reason = "moved"
    trajectory.save()
    page = english(consultant).get(page_url(trajectory)).content.decode()
    assert "the last day of the trajectory" in page
    assert reverse("trajectories:life_domains", args=[trajectory.pk]) not in page


def test_trajectory_page_query_count_does_not_grow(consultant, municipality, login) -> None:
    trajectory = full_trajectory(consultant, municipality)

    def grow() -> None:
        for index in range(5):
            goal = GoalFactory(trajectory=trajectory)
            GoalFactory(trajectory=trajectory, parent=goal)
            InstrumentFactory(trajectory=trajectory, goal=goal, status=InstrumentStatus.ACTIVE)
            LifeDomainAssessmentFactory(trajectory=trajectory, assessed_on=TODAY - index * WEEK)
            IgmProfileFactory(trajectory=trajectory)

    assert_query_budget(login(consultant), page_url(trajectory), budget=12, grow=grow)


# The team page


def test_team_manager_sees_the_team_page_without_client_names(manager, consultant, municipality, english) -> None:
    trajectories = [full_trajectory(consultant, municipality, index) for index in range(5)]
    record_snapshots(municipality.organisation, TODAY)
    response = english(manager).get(TEAM_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="trajectory-count">5<' in page
    assert consultant.last_name in page
    assert 'data-testid="trend-chart"' in page
    assert "<svg" in page
    for trajectory in trajectories:
        assert trajectory.client.last_name not in page
        assert f"{trajectory.client.first_name} {trajectory.client.last_name}" not in page  # "Jan" is also a month


def consultant_row(page: str, consultant) -> str:
    """The HTML of one consultant's row in the team table."""
    start = page.index(f'data-testid="consultant-{consultant.pk}"')
    return page[start : page.index("</tr>", start)]


def trajectories_of(consultant, municipality, count: int, **kwargs) -> None:
    for _ in range(count):
        client = factories.ClientFactory(
            organisation=municipality.organisation, municipality=municipality, consultant=consultant
        )
        TrajectoryFactory(client=client, created_by=consultant, started_on=TODAY - 60 * DAY, **kwargs)


def test_team_page_shows_no_counts_for_a_consultant_with_three_trajectories(
    manager, make_user, municipality, english
) -> None:
    many, few = make_user(Role.CONSULTANT), make_user(Role.CONSULTANT)
    trajectories_of(many, municipality, 5)
    trajectories_of(few, municipality, 3, strengths="")
    page = english(manager).get(TEAM_URL).content.decode()
    row = consultant_row(page, few)
    assert row.count("fewer than 5 trajectories") == 10
    assert "%" not in row
    assert " of " not in row
    shown = consultant_row(page, many)
    assert "fewer than 5 trajectories" not in shown
    assert "5 of 5" in shown  # principle 2: all five have strengths
    assert "100%" in shown


def test_team_page_sorting_lists_suppressed_consultants_last(manager, make_user, municipality, english) -> None:
    few, many = make_user(Role.CONSULTANT), make_user(Role.CONSULTANT)
    few.last_name, many.last_name = "Aa", "Zz"
    few.save()
    many.save()
    trajectories_of(few, municipality, 1, strengths="")
    trajectories_of(many, municipality, 5, strengths="")
    page = english(manager).get(TEAM_URL + "?sorteer=p2").content.decode()
    assert page.index(f"consultant-{many.pk}") < page.index(f"consultant-{few.pk}")


def test_team_page_of_four_trajectories_shows_no_totals(manager, consultant, municipality, english) -> None:
    trajectories_of(consultant, municipality, 4, strengths="")
    record_snapshots(municipality.organisation, TODAY)
    page = english(manager).get(TEAM_URL).content.decode()
    overall = page[page.index('data-testid="overall"') : page.index("</table>", page.index('data-testid="overall"'))]
    assert overall.count('data-testid="suppressed"') == 10
    assert 'data-testid="passed"' not in overall
    assert "%" not in overall
    assert 'data-testid="totals-suppressed"' in page
    start = page.index('data-testid="trend-table"')
    trend_table = page[start : page.index("</table>", start)]
    assert "%" not in trend_table
    assert "fewer than 5 trajectories" in trend_table
    assert 'data-testid="trend-suppressed"' in page


def test_team_page_of_five_trajectories_shows_totals(manager, consultant, municipality, english) -> None:
    trajectories_of(consultant, municipality, 5)
    page = english(manager).get(TEAM_URL).content.decode()
    assert 'data-testid="totals-suppressed"' not in page
    assert 'data-testid="overall-2"' in page
    overall_two = page[page.index('data-testid="overall-2"') :]
    assert 'data-testid="passed">5<' in overall_two[: overall_two.index("</tr>")]


def test_team_page_without_snapshots_says_so(manager, english) -> None:
    page = english(manager).get(TEAM_URL).content.decode()
    assert "No monthly figures have been recorded yet." in page


def test_team_page_sorts_by_a_principle(manager, make_user, municipality, english) -> None:
    good = make_user(Role.CONSULTANT, username="goed")
    weak = make_user(Role.CONSULTANT, username="zwak")
    good.last_name, weak.last_name = "Aa", "Zz"
    good.save()
    weak.save()
    for index in range(5):
        full_trajectory(good, municipality, index)
    trajectories_of(weak, municipality, 5, strengths="")
    http = english(manager)
    by_name = http.get(TEAM_URL).content.decode()
    assert by_name.index(f"consultant-{good.pk}") < by_name.index(f"consultant-{weak.pk}")
    by_strengths = http.get(TEAM_URL + "?sorteer=p2").content.decode()
    assert by_strengths.index(f"consultant-{weak.pk}") < by_strengths.index(f"consultant-{good.pk}")
    assert 'aria-sort="ascending"><a class="utrecht-link" href="?sorteer=p2"' in by_strengths


@pytest.mark.parametrize("role", [Role.CONSULTANT, Role.PLANNER, Role.POLICY, Role.ADMINISTRATOR, Role.TRAINER])
def test_team_page_is_for_team_managers_only(role, make_user, login) -> None:
    assert login(make_user(role)).get(TEAM_URL).status_code == 403


def test_team_page_query_count_does_not_grow(manager, make_user, municipality, login) -> None:
    consultants = [make_user(Role.CONSULTANT) for _ in range(2)]
    for index, consultant in enumerate(consultants):
        full_trajectory(consultant, municipality, index)
    record_snapshots(municipality.organisation, TODAY)

    def grow() -> None:
        more = [*consultants, make_user(Role.CONSULTANT), make_user(Role.CONSULTANT)]
        for index in range(12):
            full_trajectory(more[index % len(more)], municipality, index)
        record_snapshots(municipality.organisation, TODAY.replace(day=1) - DAY)
        record_snapshots(municipality.organisation, TODAY)

    http = login(manager)
    assert_query_budget(http, TEAM_URL, budget=12, grow=lambda: None)
    assert_query_budget(http, TEAM_URL + "?sorteer=p10", budget=12, grow=grow)
