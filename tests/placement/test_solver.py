"""The placement solver keeps every hard rule, keeps pinned placements, and is optimal where that can be checked."""

import datetime
import itertools
import random
from dataclasses import replace

import pytest

from koers.placement import check, flow, rules, solver
from koers.placement.model import Client, Group, Instance, Policy, Trainer, Training, UnplacedReason

PLANNING = datetime.date(2026, 1, 5)
BALANCE = {"gender": "v"}


def day(offset: int) -> datetime.date:
    return PLANNING + datetime.timedelta(days=offset)


def training(training_id: str = "EMP", excluded: tuple[str, ...] = ("addiction",)) -> Training:
    return Training(training_id, training_id, sessions=6, session_hours=3, excluded_contraindications=excluded)


def run(group_id: str, start: int, **fields: object) -> Group:
    values: dict[str, object] = {
        "training": "EMP",
        "slot": "day",
        "location": "Centrum",
        "capacity": 4,
        "min_size": 1,
        "trainers": ("T1",),
        "trainer_hours": 10.0,
    }
    values.update(fields)
    return Group(id=group_id, start_date=day(start), **values)  # type: ignore[arg-type]


def client(client_id: str, referral: int = -10, **fields: object) -> Client:
    values: dict[str, object] = {"training": "EMP", "availability": ("day", "evening"), "attributes": {"gender": "v"}}
    values.update(fields)
    return Client(id=client_id, referral_date=day(referral), **values)  # type: ignore[arg-type]


def instance(
    groups: list[Group],
    clients: list[Client],
    *,
    trainers: tuple[Trainer, ...] = (Trainer("T1", ("EMP",), 1000.0),),
    trainings: tuple[Training, ...] = (training(),),
    pinned: dict[str, str] | None = None,
) -> Instance:
    return Instance(
        name="test",
        planning_date=PLANNING,
        horizon_end=day(90),
        policy=Policy(lead_days=2, balance=BALANCE),
        trainings=trainings,
        trainers=trainers,
        groups=tuple(groups),
        clients=tuple(clients),
        pinned=pinned or {},
    )


def random_instance(seed: int, clients: int = 40, runs: int = 8) -> Instance:
    """Two trainings sharing trainers on tight budgets, mixed slots, needs, deadlines and contra-indications."""
    rng = random.Random(seed)
    trainings = (training("EMP"), training("SOL", excluded=("acute_crisis",)))
    groups = [
        Group(
            id=f"G{number}",
            training=rng.choice(["EMP", "SOL"]),
            start_date=day(rng.randrange(0, 60)),
            slot=rng.choice(["day", "day", "evening"]),
            location=rng.choice(["Centrum", "Noord"]),
            capacity=rng.choice([4, 6, 8]),
            min_size=rng.choice([2, 3]),
            features=tuple(rng.sample(["small_group", "language_support"], rng.randrange(0, 2))),
            trainers=(rng.choice(["T1", "T2"]),),
            trainer_hours=10.0,
        )
        for number in range(runs)
    ]
    people = [
        Client(
            id=f"C{number:03d}",
            training=rng.choice(["EMP", "SOL"]),
            referral_date=day(rng.randrange(-30, 40)),
            deadline=day(rng.randrange(0, 60)) if rng.random() < 0.3 else None,
            needs=("low_language",) if rng.random() < 0.3 else (),
            availability=rng.choice([("day",), ("evening",), ("day", "evening")]),
            contraindications=("addiction",) if rng.random() < 0.1 else (),
            preferred_locations=(rng.choice(["Centrum", "Noord"]),) if rng.random() < 0.5 else (),
            attributes={"gender": rng.choice(["v", "m"])},
        )
        for number in range(clients)
    ]
    return Instance(
        name=f"random-{seed}",
        planning_date=PLANNING,
        horizon_end=day(90),
        policy=Policy(lead_days=2, need_rules={"low_language": ("language_support", "small_group")}, balance=BALANCE),
        trainings=trainings,
        trainers=(Trainer("T1", ("EMP", "SOL"), 40.0), Trainer("T2", ("EMP", "SOL"), 30.0)),
        groups=tuple(groups),
        clients=tuple(people),
    )


def assert_valid(problem: Instance, solution: solver.Solution) -> check.Report:
    report = check.check(problem, solution)
    assert report.violations == []
    assert report.reason_errors == []
    assert report.metrics.runs_below_min == 0
    assert solution.objective == report.metrics.objective
    return report


def test_places_clients_only_in_runs_of_their_training() -> None:
    problem = instance(
        [run("G1", 10, training="SOL", trainers=("T2",)), run("G2", 40)],
        [client("C1")],
        trainings=(training("EMP"), training("SOL")),
        trainers=(Trainer("T1", ("EMP",), 100.0), Trainer("T2", ("SOL",), 100.0)),
    )
    solution = solver.solve(problem, time_limit=5)
    assert solution.assignments == {"C1": "G2"}
    assert_valid(problem, solution)


def test_places_clients_only_in_a_slot_they_are_available_for() -> None:
    problem = instance([run("G1", 10, slot="evening"), run("G2", 40)], [client("C1", availability=("day",))])
    assert solver.solve(problem, time_limit=5).assignments == {"C1": "G2"}


def test_places_clients_only_in_runs_starting_after_the_lead_days() -> None:
    problem = instance([run("G1", 10), run("G2", 40)], [client("C1", referral=9)])
    assert solver.solve(problem, time_limit=5).assignments == {"C1": "G2"}


def test_never_places_a_contraindicated_client() -> None:
    problem = instance([run("G1", 10)], [client("C1", contraindications=("addiction",)), client("C2")])
    solution = solver.solve(problem, time_limit=5)
    assert solution.unplaced == {"C1": UnplacedReason.CONTRAINDICATION}
    assert_valid(problem, solution)


def test_capacity_counts_places_taken_outside_the_instance() -> None:
    problem = instance([run("G1", 10, capacity=3, occupied=2)], [client("C1"), client("C2"), client("C3")])
    solution = solver.solve(problem, time_limit=5)
    assert len(solution.assignments) == 1
    assert set(solution.unplaced.values()) == {UnplacedReason.NO_CAPACITY}
    assert_valid(problem, solution)


def test_runs_stay_within_the_trainers_hours() -> None:
    groups = [run("G1", 10, capacity=2), run("G2", 12, capacity=2), run("G3", 14, capacity=2)]
    problem = instance(groups, [client(f"C{n}") for n in range(6)], trainers=(Trainer("T1", ("EMP",), 20.0),))
    solution = solver.solve(problem, time_limit=5)
    assert len(set(solution.assignments.values())) == 2
    assert len(solution.unplaced) == 2
    assert_valid(problem, solution)


def test_a_run_below_its_minimum_does_not_take_place() -> None:
    groups = [run("G1", 10, min_size=3), run("G2", 60, min_size=1)]
    problem = instance(groups, [client("C1"), client("C2")])
    solution = solver.solve(problem, time_limit=5)
    assert solution.assignments == {"C1": "G2", "C2": "G2"}
    assert_valid(problem, solution)


def test_pinned_placement_is_kept_and_the_rest_placed_around_it() -> None:
    groups = [run("G1", 10, capacity=2), run("G2", 30, capacity=2)]
    people = [client("C1", referral=-20), client("C2", referral=-10), client("C3", referral=-5)]
    problem = instance(groups, people, pinned={"C3": "G1"})
    solution = solver.solve(problem, time_limit=5)
    assert solution.assignments["C3"] == "G1"
    assert sorted(solution.assignments.values()) == ["G1", "G1", "G2"]
    assert_valid(problem, solution)


def test_pinned_placement_is_kept_even_when_its_run_stays_below_minimum() -> None:
    problem = instance([run("G1", 10, min_size=3), run("G2", 12, min_size=1)], [client("C1")], pinned={"C1": "G1"})
    solution = solver.solve(problem, time_limit=5)
    assert solution.assignments == {"C1": "G1"}
    assert check.check(problem, solution).violations == []


def test_every_client_appears_exactly_once() -> None:
    problem = random_instance(1)
    solution = solver.solve(problem, time_limit=5)
    assert solution.assignments.keys().isdisjoint(solution.unplaced)
    assert solution.assignments.keys() | solution.unplaced.keys() == {c.id for c in problem.clients}
    assert_valid(problem, solution)


def test_every_unplaced_reason_is_true() -> None:
    problem = random_instance(2, clients=60)
    solution = solver.solve(problem, time_limit=5)
    assert_valid(problem, solution)
    compatible = {c.id: bool(g) for c, g in zip(problem.clients, solver.prepare(problem).compatible, strict=True)}
    reasons = set(solution.unplaced.values())
    assert reasons == {UnplacedReason.CONTRAINDICATION, UnplacedReason.NO_COMPATIBLE_GROUP, UnplacedReason.NO_CAPACITY}
    for client_id, reason in solution.unplaced.items():
        assert (reason == UnplacedReason.NO_COMPATIBLE_GROUP) == (
            not compatible[client_id] and reason != UnplacedReason.CONTRAINDICATION
        )


@pytest.mark.parametrize("seed", [3, 4])
def test_same_seed_gives_the_same_solution(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(solver, "EXACT_MAX_ARCS", 0)  # the heuristic path, as on large instances
    problem = random_instance(seed, clients=80, runs=12)
    first = solver.solve(problem, time_limit=10, seed=7)
    second = solver.solve(problem, time_limit=10, seed=7)
    assert first.assignments == second.assignments
    assert first.unplaced == second.unplaced
    assert_valid(problem, first)


def test_a_spent_time_limit_skips_the_searches_but_still_places_everyone_validly() -> None:
    """The limit bounds the searches and the proof, not the construction: with no time at all the solver still
    returns a complete valid plan, just not a proven one (no wall-clock assertion, so no flaky test on a slow box)."""
    problem = random_instance(5, clients=60, runs=8)
    rushed = solver.solve(problem, time_limit=0.0)
    assert_valid(problem, rushed)
    assert rushed.status == "FEASIBLE"
    assert solver.solve(problem, time_limit=10).status == "OPTIMAL"


def test_reports_progress_from_start_to_end() -> None:
    stages: list[tuple[float, str]] = []
    solver.solve(random_instance(6), time_limit=5, progress=lambda fraction, stage: stages.append((fraction, stage)))
    assert stages[0][0] == 0.0
    assert stages[-1] == (1.0, "Done")
    assert [fraction for fraction, _ in stages] == sorted(fraction for fraction, _ in stages)


def brute_force_optimum(problem: Instance) -> int:
    """The lowest objective over every valid assignment in which no run takes place below its minimum."""
    options = [None, *(group.id for group in problem.groups)]
    best = None
    for choice in itertools.product(options, repeat=len(problem.clients)):
        assignments = {c.id: g for c, g in zip(problem.clients, choice, strict=True) if g is not None}
        unplaced = {c.id: UnplacedReason.NO_CAPACITY for c in problem.clients if c.id not in assignments}
        report = check.check(problem, solver.Solution("test", "brute", assignments=assignments, unplaced=unplaced))
        if report.violations or report.metrics.runs_below_min:
            continue
        if best is None or report.metrics.objective < best:
            best = report.metrics.objective
    assert best is not None
    return best


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_proves_the_optimum_that_brute_force_finds(seed: int) -> None:
    problem = random_instance(seed, clients=5, runs=3)
    problem = replace(problem, groups=tuple(replace(group, training="EMP") for group in problem.groups))
    problem = replace(problem, clients=tuple(replace(person, training="EMP") for person in problem.clients))
    solution = solver.solve(problem, time_limit=10)
    assert solution.status == "OPTIMAL"
    assert solution.objective == brute_force_optimum(problem)
    assert_valid(problem, solution)


def test_compatible_runs_are_those_the_rules_allow() -> None:
    problem = random_instance(7, clients=80, runs=16)
    prepared = solver.prepare(problem)
    allowed = rules.compatible_groups(problem)
    for index, person in enumerate(problem.clients):
        assert [prepared.groups[g].id for g in prepared.compatible[index]] == [g.id for g in allowed[person.id]]


def test_pins_that_overrun_a_trainer_are_kept_and_no_other_run_of_theirs_opens() -> None:
    groups = [run("G1", 10, trainer_hours=30.0), run("G2", 12)]
    problem = instance(
        groups, [client("C1"), client("C2")], trainers=(Trainer("T1", ("EMP",), 20.0),), pinned={"C1": "G1"}
    )
    solution = solver.solve(problem, time_limit=5)
    assert solution.assignments == {"C1": "G1", "C2": "G1"}


def test_flow_prices_estimate_what_opening_and_closing_a_run_changes() -> None:
    """No chains of moves here, so the estimates are exact: what the two clients left out would save, and lose."""
    groups = [run("G1", 10, capacity=2, min_size=1), run("G2", 20, capacity=2, min_size=1)]
    people = [client(f"C{n}", referral=-10) for n in range(4)]
    prepared = solver.prepare(instance(groups, people))
    choice = flow.RunChoice(prepared)
    choice.toggle(1)
    training_flow = choice.flows["EMP"]
    choice.resolve("EMP")
    gains, losses = training_flow.estimates(choice.open)

    unplaced = rules.unplaced_cost(people[0], training(), prepared.instance.policy)
    wait = {g: rules.assignment_cost(people[0], prepared.groups[g], prepared.instance.policy) for g in (0, 1)}
    assert gains == {1: 2 * (unplaced - wait[1])}
    assert losses == {0: 2 * (unplaced - wait[0])}
    before = choice.total()
    choice.toggle(1)
    choice.resolve("EMP")
    assert before - choice.total() == gains[1]
