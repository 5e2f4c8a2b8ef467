"""The fit of a referral for a run (pure): refusals a planner cannot override, warnings a planner may accept."""

import ast
import datetime
from dataclasses import replace
from pathlib import Path

import pytest

from koers.clients.models import AVAILABILITY_SLOTS
from koers.groupwork import fit as fit_module
from koers.groupwork.fit import FitRefusal, FitWarning, ReferralFacts, RunFacts, assess, capacity, day_part, slot

TODAY = datetime.date(2025, 3, 5)  # a Wednesday
MONDAY = datetime.date(2025, 3, 10)
MORNING = datetime.time(9, 30)

RUN = RunFacts(
    status="planned",
    variant="standard",
    is_continuous=False,
    first_session=MONDAY,
    starts_at=MORNING,
    capacity=12,
    participants=5,
    municipality_id=1,
)
REFERRAL = ReferralFacts(needed_variant="standard", municipality_id=1, availability=("mon_morning", "tue_morning"))


def test_a_fitting_run_has_neither_refusals_nor_warnings() -> None:
    result = assess(REFERRAL, RUN, TODAY)
    assert result.possible
    assert (result.refusals, result.warnings) == ((), ())
    assert result.joins_on == MONDAY
    assert result.slot == "mon_morning"
    assert result.places_left == 7


@pytest.mark.parametrize(
    ("time", "part"),
    [
        (datetime.time(8, 0), "morning"),
        (datetime.time(11, 59), "morning"),
        (datetime.time(12, 0), "afternoon"),
        (datetime.time(16, 59), "afternoon"),
        (datetime.time(17, 0), "evening"),
        (datetime.time(19, 30), "evening"),
    ],
)
def test_day_parts(time: datetime.time, part: str) -> None:
    assert day_part(time) == part


def test_weekday_slots_use_the_clients_availability_codes() -> None:
    week = [MONDAY + datetime.timedelta(days=n) for n in range(5)]
    codes = {slot(day, time) for day in week for time in (MORNING, datetime.time(13, 0), datetime.time(19, 0))}
    assert codes == set(AVAILABILITY_SLOTS)


def test_capacity_is_the_group_size_at_most_the_room() -> None:
    assert capacity(15, 12, small_group=False, small_group_max_size=6) == 12
    assert capacity(15, 20, small_group=False, small_group_max_size=6) == 15
    assert capacity(15, None, small_group=False, small_group_max_size=None) == 15


def test_a_small_group_run_uses_the_small_group_size() -> None:
    assert capacity(15, 20, small_group=True, small_group_max_size=6) == 6
    assert capacity(15, 4, small_group=True, small_group_max_size=6) == 4
    assert capacity(15, 20, small_group=True, small_group_max_size=None) == 15


def test_a_full_run_is_refused() -> None:
    result = assess(REFERRAL, replace(RUN, participants=12), TODAY)
    assert not result.possible
    assert result.refusals == (FitRefusal.FULL,)
    assert result.places_left == 0


def test_an_overfull_run_has_no_negative_places() -> None:
    assert assess(REFERRAL, replace(RUN, participants=14), TODAY).places_left == 0


@pytest.mark.parametrize("status", ["cancelled", "completed"])
def test_a_cancelled_or_completed_run_is_refused(status: str) -> None:
    assert FitRefusal.CLOSED in assess(REFERRAL, replace(RUN, status=status), TODAY).refusals


def test_a_running_run_is_not_refused_for_its_status() -> None:
    continuous = replace(RUN, status="running", is_continuous=True, first_session=TODAY - datetime.timedelta(days=14))
    result = assess(REFERRAL, replace(continuous, next_session=MONDAY, next_starts_at=MORNING), TODAY)
    assert result.possible


def test_a_cohort_run_whose_first_session_passed_is_refused() -> None:
    started = replace(RUN, first_session=TODAY - datetime.timedelta(days=1), next_session=MONDAY)
    assert assess(REFERRAL, started, TODAY).refusals == (FitRefusal.ALREADY_STARTED,)


def test_a_cohort_run_starting_today_can_still_be_joined() -> None:
    assert assess(REFERRAL, replace(RUN, first_session=TODAY), TODAY).possible


def test_a_continuous_run_that_started_is_joined_at_the_next_session() -> None:
    started = replace(
        RUN,
        is_continuous=True,
        first_session=TODAY - datetime.timedelta(days=21),
        next_session=MONDAY + datetime.timedelta(days=1),
        next_starts_at=datetime.time(13, 30),
    )
    result = assess(REFERRAL, started, TODAY)
    assert result.possible
    assert result.joins_on == MONDAY + datetime.timedelta(days=1)
    assert result.slot == "tue_afternoon"
    assert result.warnings == (FitWarning.AVAILABILITY,)


def test_a_continuous_run_without_sessions_left_is_refused() -> None:
    ended = replace(RUN, is_continuous=True, first_session=TODAY - datetime.timedelta(days=60), next_session=None)
    assert assess(REFERRAL, ended, TODAY).refusals == (FitRefusal.NO_SESSIONS_LEFT,)


def test_a_variant_mismatch_warns_without_a_support_note() -> None:
    needs = replace(REFERRAL, needed_variant="language_support")
    assert assess(needs, RUN, TODAY).warnings == (FitWarning.VARIANT,)
    assert assess(needs, replace(RUN, variant="language_support"), TODAY).warnings == ()


def test_a_support_note_covers_a_variant_mismatch() -> None:
    needs = replace(REFERRAL, needed_variant="small_group", support_note="Coach belt na elke bijeenkomst.")
    assert assess(needs, RUN, TODAY).warnings == ()


def test_a_client_needing_the_standard_variant_fits_any_variant() -> None:
    assert assess(REFERRAL, replace(RUN, variant="small_group"), TODAY).warnings == ()


def test_availability_outside_the_runs_day_part_warns() -> None:
    evening = replace(RUN, starts_at=datetime.time(19, 0))
    assert assess(REFERRAL, evening, TODAY).warnings == (FitWarning.AVAILABILITY,)


def test_no_recorded_availability_gives_no_availability_warning() -> None:
    unknown = replace(REFERRAL, availability=())
    assert assess(unknown, replace(RUN, starts_at=datetime.time(19, 0)), TODAY).warnings == ()


def test_a_weekend_session_is_outside_every_availability() -> None:
    saturday = replace(RUN, first_session=MONDAY + datetime.timedelta(days=5))
    assert assess(REFERRAL, saturday, TODAY).warnings == (FitWarning.AVAILABILITY,)


def test_a_run_for_another_municipality_warns() -> None:
    assert assess(REFERRAL, replace(RUN, municipality_id=2), TODAY).warnings == (FitWarning.MUNICIPALITY,)


def test_a_run_open_to_every_municipality_does_not_warn() -> None:
    assert assess(REFERRAL, replace(RUN, municipality_id=None), TODAY).warnings == ()


def test_a_run_starting_after_the_deadline_warns() -> None:
    late = replace(REFERRAL, deadline=MONDAY - datetime.timedelta(days=1))
    assert assess(late, RUN, TODAY).warnings == (FitWarning.DEADLINE,)
    assert assess(replace(REFERRAL, deadline=MONDAY), RUN, TODAY).warnings == ()


def test_warnings_and_refusals_add_up() -> None:
    poor = replace(REFERRAL, needed_variant="small_group", deadline=TODAY)
    run = replace(RUN, participants=12, municipality_id=9, starts_at=datetime.time(19, 0))
    result = assess(poor, run, TODAY)
    assert result.refusals == (FitRefusal.FULL,)
    assert set(result.warnings) == set(FitWarning)


def test_fit_is_pure_python() -> None:
    tree = ast.parse(Path(fit_module.__file__).read_text())
    modules = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not {module.split(".")[0] for module in modules} & {"django", "koers"}
