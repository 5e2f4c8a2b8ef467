"""Review findings on the trainer capacity pages: odd input in the address gives the page or a form error, never a
server error (each test failed before its fix)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from koers.accounts.roles import Role
from tests import factories
from tests import groupwork_factories as gw

pytestmark = pytest.mark.django_db

OVERVIEW = "groupwork:trainer_capacity"
WHAT_IF = "groupwork:capacity_what_if"


@pytest.fixture(autouse=True)
def today(time_machine) -> None:
    time_machine.move_to(datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def trainer(make_user):
    user = make_user(Role.TRAINER)
    gw.TrainerProfileFactory(user=user, hours_per_week=Decimal("12.0"))
    return user


@pytest.fixture
def planner_page(make_user, login):
    return login(make_user(Role.PLANNER))


def what_if_query(programme, trainers, **extra) -> dict:
    return {
        "programme": programme.pk,
        "start_date": "2026-12-09",
        "start_time": "13:00",
        "sessions": "52",
        "weeks_between": "8",
        "runs": "6",
        "weeks_between_runs": "",
        "trainers": trainers,
        "skip_public_holidays": "on",
    } | extra


@pytest.mark.parametrize("chosen", ["²", "٣", "1" * 30])
def test_an_odd_trainer_in_the_address_shows_the_pool(planner_page, trainer, chosen) -> None:
    """``"²".isdigit()`` is true but ``int("²")`` fails: that was a 500 once the organisation has a trainer."""
    response = planner_page.get(reverse(OVERVIEW), {"trainer": chosen})

    assert response.status_code == 200
    assert response.context["chosen"] is None


@pytest.mark.parametrize("start", ["9999-12-31", "9990-01-01", "0001-01-01", "2040-01-01"])
def test_a_start_date_far_off_is_a_form_error(planner_page, trainer, organisation, start) -> None:
    """Six runs of 52 sessions eight weeks apart from year 9990 run past the last date Python knows: that was a 500."""
    programme = factories.ProgrammeFactory(organisation=organisation, session_minutes=150)

    response = planner_page.get(reverse(WHAT_IF), what_if_query(programme, [trainer.pk], start_date=start))

    assert response.status_code == 200
    assert response.context["outcome"] is None
    assert "start_date" in response.context["form"].errors


def test_a_start_date_within_five_years_is_answered(planner_page, trainer, organisation) -> None:
    programme = factories.ProgrammeFactory(organisation=organisation, session_minutes=150)

    response = planner_page.get(reverse(WHAT_IF), what_if_query(programme, [trainer.pk], start_date="2031-11-30"))

    assert response.context["form"].errors == {}
    assert response.context["outcome"] is not None


@pytest.mark.parametrize("value", [str(2**64), str(-(2**64))])
def test_a_trainer_id_beyond_the_database_range_is_a_form_error(planner_page, trainer, organisation, value) -> None:
    """SQLite cannot compare an id beyond 64 bits (OverflowError in ``pk__in``): that was a 500."""
    programme = factories.ProgrammeFactory(organisation=organisation, session_minutes=150)

    response = planner_page.get(reverse(WHAT_IF), what_if_query(programme, [str(trainer.pk), value]))

    assert response.status_code == 200
    assert response.context["outcome"] is None
    assert "trainers" in response.context["form"].errors
