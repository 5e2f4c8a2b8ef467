"""The group effects pages: who may open them, aggregates without names, the minimum of five, audit and queries."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.measurement.group_effects import DEFAULT_WINDOW_DAYS
from koers.measurement.group_views import PROGRAMME_REASON, RUN_REASON
from koers.measurement.models import Questionnaire
from tests import factories
from tests.helpers import assert_access_matrix, assert_query_budget
from tests.measurement.test_group_effects import END, START, make_run, participant
from tests.measurement_factories import small_questionnaire

pytestmark = pytest.mark.django_db

ALL = list(Role.values)


def only(allowed: dict[str, int], otherwise: int = 403) -> dict[str, int]:
    return {role: allowed.get(role, otherwise) for role in ALL}


@pytest.fixture
def version(organisation):
    return small_questionnaire(organisation)


@pytest.fixture
def run(organisation, role_users):
    return make_run(organisation, trainers=[role_users[Role.TRAINER]])


def run_url(run) -> str:
    return reverse("measurement:run_effects", kwargs={"pk": run.pk})


def programme_url(programme) -> str:
    return reverse("measurement:programme_effects", kwargs={"pk": programme.pk})


def test_run_page_opens_for_its_trainer_and_the_organisations_staff(run, role_users, login) -> None:
    expected = only({Role.TRAINER: 200, Role.TEAM_MANAGER: 200, Role.POLICY: 200})
    assert_access_matrix(run_url(run), expected, role_users, login)


def test_run_of_another_trainer_is_not_found_for_a_trainer(organisation, role_users, login) -> None:
    other = make_run(organisation)
    expected = only({Role.TRAINER: 404, Role.TEAM_MANAGER: 200, Role.POLICY: 200})
    assert_access_matrix(run_url(other), expected, role_users, login)


def test_run_and_programme_of_another_organisation_are_not_found(role_users, login) -> None:
    elsewhere = factories.OrganisationFactory(name="Ander Werkbedrijf")
    foreign = make_run(elsewhere)
    for role in (Role.TEAM_MANAGER, Role.POLICY):
        http = login(role_users[role])
        assert http.get(run_url(foreign)).status_code == 404
        assert http.get(programme_url(foreign.programme)).status_code == 404


def test_programme_page_opens_for_the_organisations_staff_but_not_for_trainers(run, role_users, login) -> None:
    expected = only({Role.TEAM_MANAGER: 200, Role.POLICY: 200})
    assert_access_matrix(programme_url(run.programme), expected, role_users, login)


def test_pages_show_figures_without_names(run, version, role_users, english) -> None:
    people = [participant(run, version, pre=pre, post=post) for pre, post in [(2, 4), (2, 3), (3, 4), (1, 3), (2, 5)]]
    for url in (run_url(run), programme_url(run.programme)):
        content = english(role_users[Role.POLICY]).get(url).content.decode()
        assert 'data-scale="eigen-effectiviteit" data-shown="true"' in content
        assert "2.00 → 3.80" in content
        assert "+1.80" in content
        for person in people:
            assert person.client.last_name not in content
            assert person.client.bsn not in content


def test_fewer_than_five_measured_participants_show_only_the_count(run, version, role_users, english) -> None:
    for pre, post in [(1, 5), (1, 5), (1, 5), (1, 5)]:
        participant(run, version, pre=pre, post=post)
    content = english(role_users[Role.TEAM_MANAGER]).get(run_url(run)).content.decode()
    assert "Not enough measured participants (4 of 5)." in content
    assert "data-shown" not in content
    assert "1.00" not in content
    assert "5.00" not in content
    assert "<svg" not in content


def test_interpretation_and_statistics_are_shown(run, version, role_users, english) -> None:
    for pre, post in [(2, 4), (2, 3), (3, 4), (1, 3), (2, 5), (3, 5)]:
        participant(run, version, pre=pre, post=post)
    content = english(role_users[Role.TRAINER]).get(run_url(run)).content.decode()
    assert "The participants improved on average" in content
    assert 'data-testid="p-t"' in content
    assert 'data-testid="p-wilcoxon"' in content
    assert "<svg" in content
    assert 'role="img"' in content


def test_a_questionnaire_that_is_not_validated_is_marked(run, version, role_users, login) -> None:
    for _ in range(5):
        participant(run, version)
    http = login(role_users[Role.POLICY])
    assert 'data-testid="not-validated"' in http.get(run_url(run)).content.decode()
    Questionnaire.objects.filter(pk=version.questionnaire_id).update(is_validated=True)
    assert 'data-testid="not-validated"' not in http.get(run_url(run)).content.decode()


def test_opening_the_pages_is_logged_with_a_reason(run, role_users, login) -> None:
    http = login(role_users[Role.POLICY])
    http.get(run_url(run))
    http.get(programme_url(run.programme))
    events = AuditEvent.objects.filter(actor=role_users[Role.POLICY], action=Action.READ)
    assert set(events.values_list("object_type", "object_id", "reason")) == {
        ("groupwork.grouprun", str(run.pk), RUN_REASON),
        ("groupwork.programme", str(run.programme_id), PROGRAMME_REASON),
    }


def test_programme_period_filter_and_invalid_period(organisation, version, role_users, english) -> None:
    programme = factories.ProgrammeFactory(organisation=organisation)
    for weeks in (0, 10):
        run = make_run(organisation, programme=programme, start=START + datetime.timedelta(weeks=weeks))
        for _ in range(5):
            participant(run, version)
    http = english(role_users[Role.POLICY])
    later = (START + datetime.timedelta(days=1)).isoformat()
    content = http.get(programme_url(programme), {"van": later}).content.decode()
    assert '<dd data-testid="runs">1</dd>' in content
    wrong = http.get(programme_url(programme), {"van": "2025-06-01", "tot": "2025-01-01"})
    assert wrong.status_code == 200
    assert "The start of the period lies after its end." in wrong.content.decode()
    assert '<dd data-testid="runs">2</dd>' in wrong.content.decode()


def test_run_page_query_budget(run, version, role_users, login) -> None:
    for _ in range(5):
        participant(run, version)

    def grow() -> None:
        for _ in range(5):
            participant(run, version)

    assert_query_budget(login(role_users[Role.TRAINER]), run_url(run), 14, grow)


def test_programme_page_query_budget(run, version, organisation, role_users, login) -> None:
    for _ in range(5):
        participant(run, version)

    def grow() -> None:
        other = make_run(organisation, programme=run.programme, start=START + datetime.timedelta(weeks=12))
        for _ in range(6):
            participant(other, version)

    assert_query_budget(login(role_users[Role.POLICY]), programme_url(run.programme), 14, grow)


def test_run_page_links_to_the_group_effects_for_its_trainer_only(run, role_users, login) -> None:
    detail = reverse("groupwork:run_detail", args=[run.pk])
    assert run_url(run) in login(role_users[Role.TRAINER]).get(detail).content.decode()
    assert run_url(run) not in login(role_users[Role.PLANNER]).get(detail).content.decode()


def test_programme_evaluation_links_to_the_group_effects_for_those_who_may_open_them(run, role_users, login) -> None:
    url = reverse("groupwork:programme_evaluation", args=[run.programme_id])
    for role in (Role.POLICY, Role.TEAM_MANAGER):
        assert programme_url(run.programme) in login(role_users[role]).get(url).content.decode()
    assert programme_url(run.programme) not in login(role_users[Role.PLANNER]).get(url).content.decode()


def test_planners_see_no_outcome_data(run, version, role_users, login) -> None:
    """DOMAIN.md §2: planners get the logistics of group work, not its outcomes."""
    for _ in range(5):
        participant(run, version)
    http = login(role_users[Role.PLANNER])
    assert http.get(run_url(run)).status_code == 403
    assert http.get(programme_url(run.programme)).status_code == 403


def test_before_the_window_closes_the_run_page_gives_the_date_and_no_figures(run, version, role_users, english) -> None:
    for pre, post in [(2, 4), (2, 3), (3, 4), (1, 3), (2, 5)]:
        participant(run, version, pre=pre, post=post)
    available_on = END + datetime.timedelta(days=DEFAULT_WINDOW_DAYS + 1)
    http = english(role_users[Role.POLICY])
    last_day = timezone.make_aware(datetime.datetime.combine(available_on, datetime.time(8))) - datetime.timedelta(
        days=1
    )
    with time_machine.travel(last_day, tick=False):
        waiting = http.get(run_url(run)).content.decode()
        programme = http.get(programme_url(run.programme)).content.decode()
    assert 'data-testid="not-yet-available"' in waiting
    assert f"The results will be available from {available_on.day} May 2025" in waiting
    for content in (waiting, programme):
        assert "data-shown" not in content
        assert "2.00 → 3.80" not in content
    assert 'data-testid="pending-runs"' in programme
    assert "1 group run in this period is not counted yet" in programme
    content = english(role_users[Role.POLICY]).get(run_url(run)).content.decode()  # a new session: now
    assert 'data-testid="not-yet-available"' not in content
    assert "2.00 → 3.80" in content
