"""Trainer capacity pages: the week and month overview with chart and warnings, the what-if for adding runs, and
the warning at planning when a trainer comes near their weekly hours."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from koers.accounts.roles import Role
from koers.groupwork.models import GroupRun, Session
from koers.groupwork.run_services import create_run
from tests import factories
from tests import groupwork_factories as gw
from tests.helpers import assert_query_budget

pytestmark = pytest.mark.django_db

D = datetime.date
T = datetime.time
OVERVIEW = "groupwork:trainer_capacity"
WHAT_IF = "groupwork:capacity_what_if"


@pytest.fixture(autouse=True)
def today(time_machine) -> None:
    time_machine.move_to(datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC), tick=False)


def make_trainer(make_user, first_name: str, hours: str, switching: int = 0):
    user = make_user(Role.TRAINER)
    user.first_name, user.last_name = first_name, "Trainer"
    user.save()
    gw.TrainerProfileFactory(user=user, hours_per_week=Decimal(hours), switching_minutes=switching)
    return user


@pytest.fixture
def trainer(make_user):
    """A consultant who also trains: 12 hours a week for groups, 30 minutes switching per session."""
    return make_trainer(make_user, "Tess", "12.0", switching=30)


def planned_run(planner, programme, trainers, start=D(2026, 12, 8), at=T(9, 30), room=None):  # noqa: B008
    return create_run(
        planner, programme, start, at, "standard", None, room, list(trainers), skip_public_holidays=False
    ).saved


def what_if_query(programme, trainers, **extra) -> dict:
    return {
        "programme": programme.pk,
        "start_date": "2026-12-09",
        "start_time": "13:00",
        "sessions": "",
        "weeks_between": "1",
        "runs": "1",
        "weeks_between_runs": "",
        "trainers": [t.pk for t in trainers],
        "skip_public_holidays": "on",
    } | extra


def part(html: str, pattern: str) -> str:
    """The first group of ``pattern`` in the page; the test fails when the page lacks it."""
    found = re.search(pattern, html, re.S)
    assert found is not None, pattern
    return found.group(1)


# --- Access -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [OVERVIEW, WHAT_IF])
@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.PLANNER, 200),
        (Role.TEAM_MANAGER, 200),
        (Role.TRAINER, 403),
        (Role.CONSULTANT, 403),
        (Role.POLICY, 403),
        (Role.ADMINISTRATOR, 403),
    ],
)
def test_planners_and_team_managers_see_capacity(name, role, status, make_user, login) -> None:
    assert login(make_user(role)).get(reverse(name)).status_code == status


def test_trainers_of_another_organisation_are_not_shown(planner, trainer, login) -> None:
    elsewhere = factories.UserFactory(
        organisation=factories.OrganisationFactory(name="Werkbedrijf Elders"), roles=[Role.TRAINER]
    )
    gw.TrainerProfileFactory(user=elsewhere)
    html = login(planner).get(reverse(OVERVIEW)).content.decode()
    assert f'data-trainer="{trainer.pk}"' in html
    assert f'data-trainer="{elsewhere.pk}"' not in html


def test_what_if_offers_only_the_organisations_programmes_and_trainers(planner, trainer, programme, login) -> None:
    other = factories.ProgrammeFactory(organisation=factories.OrganisationFactory(name="Werkbedrijf Elders"))
    response = login(planner).get(reverse(WHAT_IF), what_if_query(other, [trainer]))
    assert response.status_code == 200
    assert response.context["outcome"] is None
    assert "programme" in response.context["form"].errors


def test_no_participant_appears_on_the_capacity_pages(planner, trainer, programme, organisation, login) -> None:
    run = planned_run(planner, programme, [trainer])
    client = factories.ClientFactory(organisation=organisation, last_name="Xqparticipant")
    factories.ParticipationFactory(group_run=run, client=client)
    http = login(planner)
    for response in (
        http.get(reverse(OVERVIEW)),
        http.get(reverse(OVERVIEW), {"trainer": trainer.pk}),
        http.get(reverse(WHAT_IF), what_if_query(programme, [trainer])),
    ):
        assert response.status_code == 200
        assert "Xqparticipant" not in response.content.decode()


# --- Overview ---------------------------------------------------------------------------------------------------------


def test_overview_shows_hours_for_groups_switching_and_planned_hours_per_trainer(
    planner, trainer, programme, english
) -> None:
    planned_run(planner, programme, [trainer])  # six Tuesdays from 8 December: 4.44 + 0.50 switching each
    html = english(planner).get(reverse(OVERVIEW)).content.decode()
    row = part(html, rf'data-summary-trainer="{trainer.pk}">(.*?)</tr>')
    cells = re.findall(r'numeric-column">(.*?)</td>', row, re.S)
    assert cells[:4] == ["12.0", "30", "26.6", "3.0"]  # per week; minutes; 6 × 4.44; 6 × 0.50
    assert "4.9" in cells[4]  # the busiest week


def test_week_and_month_views_mark_near_and_over(planner, programme, make_user, english) -> None:
    near = make_trainer(make_user, "Nina", "5.5")  # 4.44 of 5.5: 81%, then two runs in one week: over
    full = make_trainer(make_user, "Otto", "5.0")  # 4.44 of 5.0: 89%
    planned_run(planner, programme, [near, full])
    planned_run(planner, programme, [full], start=D(2027, 2, 2))
    http = english(planner)
    html = http.get(reverse(OVERVIEW)).content.decode()
    near_row = part(html, rf'<tr class="utrecht-table__row" data-trainer="{near.pk}"[^>]*>(.*?)</tr>')
    full_row = part(html, rf'<tr class="utrecht-table__row" data-trainer="{full.pk}"[^>]*>(.*?)</tr>')
    assert near_row.count('data-level="ok"') == 13
    assert full_row.count('data-level="near"') == 6 + 4  # both runs: from 8 December and from 2 February
    assert 'data-over="true"' not in html
    months = part(html, rf'data-month-trainer="{full.pk}">(.*?)</tr>')
    cells = re.findall(r'data-level="(\w+)">(?:<span[^>]*>)?([\d.]+).*?/ ([\d.]+)</span>', months, re.S)
    # 5 hours a week: 23 working days in December and 21 in January, 20 in February with four sessions: 89%.
    assert cells == [("ok", "17.8", "23.0"), ("ok", "8.9", "21.0"), ("near", "17.8", "20.0")]
    warnings = part(html, r'data-testid="capacity-warnings">(.*?)</section>')
    assert warnings.count(f'data-warning="near" data-trainer="{full.pk}"') == 10 + 1  # ten weeks and February
    assert f'data-trainer="{near.pk}"' not in warnings
    assert "Otto Trainer: 4.4 of 5.0 hours for groups planned in week 50" in warnings


def test_over_capacity_week_is_warned_and_marked(planner, programme, make_user, english, trainer) -> None:
    planned_run(planner, programme, [trainer])
    trainer.trainer_profile.hours_per_week = Decimal("4.0")
    trainer.trainer_profile.save()
    html = english(planner).get(reverse(OVERVIEW)).content.decode()
    assert html.count('data-over="true"') == 6
    # six weeks, and December: 4 × 4.94 = 19.76 hours of 4.0 × 23 / 5 = 18.4
    assert html.count(f'data-warning="over" data-trainer="{trainer.pk}"') == 6 + 1


def test_a_trainer_without_hours_on_record_is_warned(planner, make_user, english) -> None:
    unrecorded = make_user(Role.TRAINER)
    html = english(planner).get(reverse(OVERVIEW)).content.decode()
    assert f'data-warning="unknown" data-trainer="{unrecorded.pk}"' in html


def test_chart_shows_the_pool_or_one_trainer_with_a_data_table(planner, trainer, programme, make_user, login) -> None:
    colleague = make_trainer(make_user, "Cas", "8.0")
    planned_run(planner, programme, [trainer, colleague])
    http = login(planner)
    pool = http.get(reverse(OVERVIEW))
    assert pool.context["chosen"] is None
    assert [cell.available for cell in pool.context["chart_cells"]][:1] == [Decimal("20.0")]
    assert pool.context["chart_cells"][1].load.total == Decimal("4.94") + Decimal("4.44")
    html = pool.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="koers-chart"' in html
    assert 'role="img"' in html
    assert html.count("data-chart-week=") == 13
    one = http.get(reverse(OVERVIEW), {"trainer": colleague.pk})
    assert one.context["chosen"].trainer == colleague
    assert one.context["chart_cells"][1].load.total == Decimal("4.44")


def test_overview_moves_with_vanaf_and_ignores_nonsense(planner, trainer, login) -> None:
    http = login(planner)
    assert http.get(reverse(OVERVIEW), {"vanaf": "2027-03-03"}).context["overview"].mondays[0] == D(2027, 3, 1)
    assert http.get(reverse(OVERVIEW), {"vanaf": "gisteren"}).context["overview"].mondays[0] == D(2026, 11, 30)
    assert http.get(reverse(OVERVIEW), {"vanaf": "9999-12-31"}).context["overview"].mondays[0] == D(2026, 11, 30)


# --- What if ----------------------------------------------------------------------------------------------------------


def test_what_if_shows_the_extra_hours_and_the_weeks_that_would_go_over(
    planner, trainer, programme, make_user, english
) -> None:
    planned_run(planner, programme, [trainer])  # 4.94 hours on each Tuesday
    trainer.trainer_profile.hours_per_week = Decimal("9.0")
    trainer.trainer_profile.save()
    runs, sessions = GroupRun.objects.count(), Session.objects.count()
    response = english(planner).get(reverse(WHAT_IF), what_if_query(programme, [trainer]))
    outcome = response.context["outcome"]
    [impact] = outcome.trainers
    assert outcome.session_count == 6
    assert [week.starts for week in impact.weeks_over] == [
        D(2026, 12, 7),
        D(2026, 12, 14),
        D(2026, 12, 21),
        D(2026, 12, 28),
        D(2027, 1, 4),
        D(2027, 1, 11),
    ]  # each Wednesday shares its week with a Tuesday already planned: 9.88 of 9.0 hours
    assert impact.extra.total == Decimal("29.64")
    assert impact.extra.switching == Decimal("3.00")
    assert not outcome.fits
    html = response.content.decode()
    assert 'data-fits="false"' in html
    assert "week 50 of 2026" in html
    assert (GroupRun.objects.count(), Session.objects.count()) == (runs, sessions)


def test_what_if_months_and_several_runs(planner, trainer, programme, english) -> None:
    response = english(planner).get(
        reverse(WHAT_IF), what_if_query(programme, [trainer], runs="2", sessions="3", start_date="2027-02-03")
    )
    outcome = response.context["outcome"]
    assert outcome.runs == [
        [D(2027, 2, 3), D(2027, 2, 10), D(2027, 2, 17)],
        [D(2027, 2, 24), D(2027, 3, 3), D(2027, 3, 10)],
    ]
    [impact] = outcome.trainers
    assert [(month.starts, month.extra.total, month.available) for month in impact.months] == [
        (D(2027, 2, 1), Decimal("19.76"), Decimal("48.0")),
        (D(2027, 3, 1), Decimal("9.88"), Decimal("55.2")),
    ]
    assert outcome.fits
    assert 'data-fits="true"' in response.content.decode()


def test_what_if_reports_a_trainer_booked_twice(planner, trainer, programme, english) -> None:
    planned_run(planner, programme, [trainer], start=D(2026, 12, 9), at=T(13, 0))
    response = english(planner).get(reverse(WHAT_IF), what_if_query(programme, [trainer], start_time="14:00"))
    [impact] = response.context["outcome"].trainers
    assert len(impact.clashes) == 6
    assert "Booked twice on 9 December 2026: already trains Empowermenttraining" in response.content.decode()


def test_what_if_without_input_shows_the_empty_form(planner, login) -> None:
    response = login(planner).get(reverse(WHAT_IF))
    assert response.context["outcome"] is None
    assert not response.context["form"].is_bound


def test_what_if_refuses_a_session_past_midnight(planner, trainer, programme, login) -> None:
    response = login(planner).get(reverse(WHAT_IF), what_if_query(programme, [trainer], start_time="22:30"))
    assert response.context["outcome"] is None
    assert "start_time" in response.context["form"].errors


# --- Planning warns near capacity ---------------------------------------------------------------------------------


def test_planning_warns_when_a_trainer_reaches_85_percent_of_the_week(planner, programme, make_user) -> None:
    full = make_trainer(make_user, "Otto", "5.0")
    with translation.override("en"):
        planned = create_run(
            planner, programme, D(2026, 12, 8), T(9, 30), "standard", None, None, [full], skip_public_holidays=False
        )
    assert planned.warnings == (
        "Trainer Otto Trainer would be close to their hours for groups in weeks 50, 51, 52, 53, 1, 2: up to 4.4 of "
        "5.0 hours.",
    )


def test_planning_does_not_warn_below_85_percent(planner, programme, trainer) -> None:
    planned = create_run(
        planner, programme, D(2026, 12, 8), T(9, 30), "standard", None, None, [trainer], skip_public_holidays=False
    )
    assert planned.warnings == ()


# --- Query budget -------------------------------------------------------------------------------------------------


def _grow(planner, programme, organisation, make_user) -> None:
    for n in range(3):
        colleague = make_trainer(make_user, f"Extra{n}", "10.0", switching=15)
        planned_run(planner, programme, [colleague], start=D(2026, 12, 2 + n))
        factories.ProgrammeFactory(organisation=organisation)
    make_user(Role.TRAINER)  # no hours on record


# The what-if also validates its programme and trainers before rendering their choices: two more queries.
@pytest.mark.parametrize(("page", "budget"), [("overview", 10), ("overview-one", 10), ("what_if", 13)])
def test_capacity_pages_have_a_constant_query_budget(
    page, budget, planner, trainer, programme, organisation, make_user, login
) -> None:
    planned_run(planner, programme, [trainer])
    url = {
        "overview": reverse(OVERVIEW),
        "overview-one": f"{reverse(OVERVIEW)}?trainer={trainer.pk}",
        "what_if": reverse(WHAT_IF)
        + f"?programme={programme.pk}&start_date=2026-12-09&start_time=13:00&weeks_between=1&runs=2"
        + f"&trainers={trainer.pk}&skip_public_holidays=on",
    }[page]
    assert_query_budget(
        login(planner), url, budget=budget, grow=lambda: _grow(planner, programme, organisation, make_user)
    )
