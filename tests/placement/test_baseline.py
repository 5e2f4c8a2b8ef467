import pytest

from bench.placement.generator import generate
from koers.placement.baseline import first_come_first_served
from koers.placement.check import check
from koers.placement.model import Trainer, UnplacedReason
from tests.placement.instances import client, day, group, instance


@pytest.mark.parametrize(("scale", "seed"), [("tiny", 1), ("tiny", 2), ("small", 1), ("small", 2), ("small", 3)])
def test_first_come_first_served_keeps_every_hard_rule_on_generated_instances(scale: str, seed: int) -> None:
    problem = generate(scale, seed)

    solution = first_come_first_served(problem)
    report = check(problem, solution)

    assert report.valid, report.violations + report.reason_errors
    assert report.metrics.runs_below_min == 0
    assert report.metrics.placed > 0
    assert solution.objective == report.metrics.objective


def test_earlier_referral_takes_the_earlier_run() -> None:
    problem = instance(
        [client("late", referral_date=day(-3)), client("early", referral_date=day(-9))],
        [group("G1", capacity=1, start_date=day(5)), group("G2", capacity=1, start_date=day(20))],
    )

    assert first_come_first_served(problem).assignments == {"early": "G1", "late": "G2"}


def test_a_client_with_a_need_waits_for_a_run_that_meets_it() -> None:
    problem = instance(
        [client("C1", needs=("low_language",))],
        [group("G1", start_date=day(5)), group("G2", start_date=day(20), features=("language_support",))],
    )

    assert first_come_first_served(problem).assignments == {"C1": "G2"}


def test_a_run_below_its_minimum_is_cancelled_and_its_clients_wait() -> None:
    problem = instance(
        [client("C1"), client("C2")],
        [group("G1", min_size=3)],
    )

    solution = first_come_first_served(problem)

    assert solution.assignments == {}
    assert solution.unplaced == {"C1": UnplacedReason.NO_CAPACITY, "C2": UnplacedReason.NO_CAPACITY}
    assert check(problem, solution).valid


def test_a_run_opens_only_when_its_trainer_has_the_hours_left() -> None:
    problem = instance(
        [client("C1", referral_date=day(-12)), client("C2")],
        [group("G1", capacity=1, start_date=day(5)), group("G2", capacity=1, start_date=day(20))],
        trainers=(Trainer("T1", ("EMP",), 40.0),),
    )

    solution = first_come_first_served(problem)

    assert solution.assignments == {"C1": "G1"}
    assert solution.unplaced == {"C2": UnplacedReason.NO_CAPACITY}


def test_unplaced_reasons_name_contraindication_and_missing_runs() -> None:
    problem = instance(
        [client("crisis", contraindications=("acute_crisis",)), client("evening", availability=("evening",))],
        [group("G1")],
    )

    assert first_come_first_served(problem).unplaced == {
        "crisis": UnplacedReason.CONTRAINDICATION,
        "evening": UnplacedReason.NO_COMPATIBLE_GROUP,
    }


def test_a_pinned_placement_is_kept_and_takes_its_place_first() -> None:
    problem = instance(
        [client("early", referral_date=day(-9)), client("pinned", referral_date=day(-3))],
        [group("G1", capacity=1, start_date=day(5)), group("G2", capacity=1, start_date=day(20))],
        pinned={"pinned": "G1"},
    )

    solution = first_come_first_served(problem)

    assert solution.assignments == {"pinned": "G1", "early": "G2"}
    assert check(problem, solution).valid


def test_a_pinned_run_below_its_minimum_still_takes_place() -> None:
    problem = instance([client("C1"), client("C2")], [group("G1", min_size=3)], pinned={"C1": "G1"})

    assert first_come_first_served(problem).assignments == {"C1": "G1", "C2": "G1"}


def test_occupied_places_count_for_capacity_minimum_and_trainer_hours() -> None:
    problem = instance(
        [client("C1", referral_date=day(-12)), client("C2"), client("C3")],
        [
            group("G1", capacity=3, min_size=3, occupied=2, start_date=day(20)),
            group("G2", capacity=3, min_size=1, start_date=day(5)),
        ],
        trainers=(Trainer("T1", ("EMP",), 40.0),),
    )

    solution = first_come_first_served(problem)

    # G1 takes place for its two outside participants, so T1 has no hours left for the earlier G2.
    assert solution.assignments == {"C1": "G1"}
    assert set(solution.unplaced) == {"C2", "C3"}
    assert check(problem, solution).valid
