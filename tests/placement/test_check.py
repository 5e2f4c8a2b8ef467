"""The checker: each hard rule of FORMAT.md is caught, and the objective is the one worked out on paper."""

import pytest

from koers.placement.check import check, objective
from koers.placement.model import Solution, Trainer, UnplacedReason
from tests.placement.instances import client, day, group, instance


def solution(assignments: dict[str, str], unplaced: dict[str, UnplacedReason] | None = None) -> Solution:
    return Solution("hand-made", "test", assignments=assignments, unplaced=unplaced or {})


def test_a_solution_within_the_rules_is_valid() -> None:
    report = check(instance([client("A")], [group("G1")]), solution({"A": "G1"}))
    assert report.valid, report.violations
    assert report.metrics.placed == 1


@pytest.mark.parametrize(
    ("the_client", "the_group", "complaint"),
    [
        (client("A", training="BUD"), group("G1"), "is of training EMP"),
        (client("A", availability=("evening",)), group("G1"), "not available for the day slot"),
        (client("A", referral_date=day(6)), group("G1", start_date=day(7)), "less than 2 days after referral"),
        (client("A", contraindications=("acute_crisis",)), group("G1"), "contra-indicated"),
    ],
    ids=["training", "availability", "lead days", "contra-indication"],
)
def test_each_rule_about_the_client_and_the_run_is_caught(the_client, the_group, complaint) -> None:
    report = check(instance([the_client], [the_group]), solution({"A": "G1"}))
    assert not report.valid
    assert any(complaint in violation for violation in report.violations), report.violations


def test_capacity_counts_the_places_already_taken() -> None:
    clients = [client("A"), client("B")]
    assert check(instance(clients, [group("G1", capacity=2)]), solution({"A": "G1", "B": "G1"})).valid
    report = check(instance(clients, [group("G1", capacity=2, occupied=1)]), solution({"A": "G1", "B": "G1"}))
    assert report.violations == ["run G1: 3 clients for 2 places"]


def test_trainer_hours_count_every_run_that_takes_place() -> None:
    groups = [group("G1"), group("G2"), group("G3", occupied=1)]
    trainers = (Trainer("T1", ("EMP",), 100.0),)
    one_run = instance([client("A"), client("B")], groups[:2], trainers=trainers)
    assert check(one_run, solution({"A": "G1", "B": "G1"})).valid
    assert check(one_run, solution({"A": "G1", "B": "G2"})).valid  # 72 hours
    already_open = instance([client("A"), client("B")], groups, trainers=trainers)
    report = check(already_open, solution({"A": "G1", "B": "G2"}))  # 3 × 36 hours
    assert report.violations == ["trainer T1: 108 hours for 100 available"]


def test_every_client_appears_exactly_once() -> None:
    the_instance = instance([client("A"), client("B")], [group("G1")])
    report = check(the_instance, Solution("x", "t", {"A": "G1", "Z": "G1"}, {"A": UnplacedReason.NO_CAPACITY}))
    assert "A: both assigned and unplaced" in report.violations
    assert "Z: not a client of the instance" in report.violations
    assert "B: neither assigned nor unplaced" in report.violations


def test_a_pinned_placement_must_be_kept() -> None:
    the_instance = instance([client("A")], [group("G1"), group("G2")], pinned={"A": "G2"})
    assert check(the_instance, solution({"A": "G2"})).valid
    assert check(the_instance, solution({"A": "G1"})).violations == ["A: pinned to run G2 but not placed there"]


def test_the_objective_adds_wait_deadline_need_and_location() -> None:
    late_and_unmet = client("A", deadline=day(5), needs=("low_language",), preferred_locations=("Noord",))
    the_instance = instance([late_and_unmet], [group("G1", start_date=day(7))])
    metrics = check(the_instance, solution({"A": "G1"})).metrics
    assert metrics.objective == 10 * 17 + 600 + 2000 + 70
    assert (metrics.deadlines_missed, metrics.needs_met, metrics.location_hits) == (1, 0, 0)
    met = check(
        instance([late_and_unmet], [group("G1", features=("small_group",), location="Noord")]), solution({"A": "G1"})
    )
    assert met.metrics.objective == 10 * 17 + 600


def test_unplaced_costs_more_with_a_deadline_and_nothing_when_contra_indicated() -> None:
    clients = [client("A"), client("B", deadline=day(30)), client("C", contraindications=("acute_crisis",))]
    the_instance = instance(clients, [group("G1")])
    unplaced = {
        "A": UnplacedReason.NO_CAPACITY,
        "B": UnplacedReason.NO_CAPACITY,
        "C": UnplacedReason.CONTRAINDICATION,
    }
    report = check(the_instance, solution({}, unplaced))
    assert report.metrics.objective == 3650 + 3650 + 600
    assert report.metrics.contraindicated == 1
    assert report.metrics.deadlines_missed == 1


def test_balance_compares_each_run_with_the_share_among_placeable_clients() -> None:
    clients = [client("A", attributes={"gender": "v"}), client("B"), client("C")]
    the_instance = instance(clients, [group("G1", start_date=day(7)), group("G2", start_date=day(7))])
    metrics = check(the_instance, solution({"A": "G1", "B": "G1", "C": "G2"})).metrics
    # share 1/3 → 3 tenths; G1: |10·1 − 3·2| = 4, G2: |0 − 3·1| = 3
    assert metrics.balance_cost == 3 * (4 + 3)
    assert metrics.objective == 3 * 170 + 3 * 7


def test_a_run_below_its_minimum_costs_the_penalty() -> None:
    the_instance = instance([client("A")], [group("G1", min_size=2)])
    metrics = check(the_instance, solution({"A": "G1"})).metrics
    assert metrics.runs_below_min == 1
    assert metrics.objective == 170 + 7300
    assert objective(the_instance, {"A": "G1"}) == metrics.objective


def test_wait_figures_use_the_placed_clients() -> None:
    clients = [client(f"C{n}", referral_date=day(-n)) for n in range(20)]
    the_instance = instance(clients, [group("G1", capacity=20, start_date=day(10))])
    metrics = check(the_instance, solution({c.id: "G1" for c in clients})).metrics
    assert metrics.mean_wait == pytest.approx(10 + 9.5)
    assert metrics.p95_wait == 10 + 18


@pytest.mark.parametrize(
    ("the_client", "reason", "true"),
    [
        (client("A", contraindications=("acute_crisis",)), UnplacedReason.CONTRAINDICATION, True),
        (client("A"), UnplacedReason.CONTRAINDICATION, False),
        (client("A", availability=("evening",)), UnplacedReason.NO_COMPATIBLE_GROUP, True),
        (client("A"), UnplacedReason.NO_COMPATIBLE_GROUP, False),
        (client("A", contraindications=("acute_crisis",)), UnplacedReason.NO_CAPACITY, False),
    ],
)
def test_an_unplaced_reason_must_be_true(the_client, reason, true) -> None:
    report = check(instance([the_client], [group("G1")]), solution({}, {"A": reason}))
    assert report.valid is true, report.reason_errors


def test_no_capacity_is_untrue_while_a_running_group_has_room() -> None:
    the_instance = instance([client("A"), client("B")], [group("G1", capacity=2), group("G2", capacity=1)])
    full = check(the_instance, solution({"B": "G1"}, {"A": UnplacedReason.NO_CAPACITY}))
    assert full.reason_errors == ["A: reason no_capacity, but run G1 takes place with a free place"]
    the_instance = instance([client("A"), client("B")], [group("G1", capacity=1)])
    assert check(the_instance, solution({"B": "G1"}, {"A": UnplacedReason.NO_CAPACITY})).valid
