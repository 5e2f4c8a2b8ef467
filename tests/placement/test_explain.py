"""Every explanation states facts that hold in the instance and the solution; hand-made cases pin each code."""

import datetime
import random
from collections import Counter

import pytest

from koers.placement import rules
from koers.placement.baseline import first_come_first_served
from koers.placement.explain import Explanation, PlacementWarning, Reason, explain
from koers.placement.model import Client, Group, Instance, Policy, Solution, Trainer, Training, UnplacedReason
from tests.placement.instances import client, day, group, instance

SLOTS = ("mon_morning", "tue_evening", "wed_afternoon")
NEEDS = ("small_group", "language_support")


def random_instance(seed: int) -> Instance:
    rng = random.Random(seed)
    start = datetime.date(2026, 1, 5)
    trainers = tuple(Trainer(f"T{n}", ("P",), rng.choice([0.0, 20.0, 60.0, 500.0])) for n in range(3))
    groups = tuple(
        Group(
            id=f"G{n}",
            training="P",
            start_date=start + datetime.timedelta(days=rng.randrange(0, 60)),
            slot=rng.choice(SLOTS),
            location=rng.choice(["Noord", "Zuid", "*"]),
            capacity=rng.randrange(1, 5),
            min_size=rng.randrange(1, 4),
            features=(rng.choice(("standard", *NEEDS)),),
            trainers=(rng.choice(trainers).id,),
            trainer_hours=20.0,
            occupied=rng.choice([0, 0, 1]),
        )
        for n in range(rng.randrange(0, 6))
    )
    clients = tuple(
        Client(
            id=f"C{n}",
            training="P",
            referral_date=start - datetime.timedelta(days=rng.randrange(0, 90)),
            deadline=rng.choice([None, start + datetime.timedelta(days=rng.randrange(0, 40))]),
            needs=rng.choice([(), (), (rng.choice(NEEDS),)]),
            availability=tuple(rng.sample(SLOTS, rng.randrange(1, 4))),
            contraindications=rng.choice([(), (), (), ("contra_indication",)]),
            preferred_locations=rng.choice([(), ("Noord", "*")]),
        )
        for n in range(rng.randrange(1, 14))
    )
    return Instance(
        name=f"random-{seed}",
        planning_date=start,
        horizon_end=start + datetime.timedelta(days=120),
        policy=Policy(lead_days=0, need_rules={need: (need,) for need in NEEDS}),
        trainings=(Training("P", "Programme", 6, 2.5, ("contra_indication",)),),
        trainers=trainers,
        groups=groups,
        clients=clients,
    )


def random_solution(inst: Instance, seed: int) -> Solution:
    """Any assignment within the hard rules and capacity: explanations must hold for poor plans too."""
    rng = random.Random(seed)
    allowed = rules.compatible_groups(inst)
    size: Counter[str] = Counter()
    solution = Solution(inst.name, "random")
    for c in inst.clients:
        options = [g for g in allowed[c.id] if g.occupied + size[g.id] < g.capacity]
        if options and rng.random() < 0.7:
            chosen = rng.choice(options)
            size[chosen.id] += 1
            solution.assignments[c.id] = chosen.id
        else:
            solution.unplaced[c.id] = UnplacedReason.NO_CAPACITY
    return solution


def assert_true(inst: Instance, solution: Solution, client_id: str, explanation: Explanation) -> None:
    """Check each fact the explanation states against the instance and the solution."""
    c = next(c for c in inst.clients if c.id == client_id)
    groups = {g.id: g for g in inst.groups}
    training = inst.training(c.training)
    policy = inst.policy
    size = Counter(solution.assignments.values())
    allowed = rules.compatible_groups(inst)[c.id]

    def full(g: Group) -> bool:
        return g.occupied + size[g.id] >= g.capacity

    def starts(g: Group) -> bool:
        return g.occupied + size[g.id] > 0

    named = groups.get(str(explanation.params.get("group", "")))
    if named is not None:
        assert explanation.params["start"] == named.start_date.isoformat()
    code = explanation.code
    placed_in = solution.assignments.get(c.id)
    if placed_in is not None:
        chosen = groups[placed_in]
        assert explanation.group == placed_in
        assert (PlacementWarning.NEED_UNMET in explanation.warnings) == bool(rules.unmet_needs(c, chosen, policy))
        assert (PlacementWarning.LATE in explanation.warnings) == rules.is_late(c, chosen)
        assert (PlacementWarning.LOCATION in explanation.warnings) == rules.location_miss(c, chosen)
        if code == Reason.PINNED:
            assert inst.pinned[c.id] == placed_in
            return
        earlier = [g for g in allowed if g.start_date < chosen.start_date]
        if code == Reason.EARLIEST:
            assert not earlier
            return
        assert named is not None
        assert named in earlier
        if code == Reason.EARLIER_FULL:
            assert full(named)
        elif code == Reason.EARLIER_NEED_UNMET:
            assert rules.unmet_needs(c, named, policy)
            assert not rules.unmet_needs(c, chosen, policy)
        elif code == Reason.EARLIER_LOCATION:
            assert rules.location_miss(c, named)
            assert not rules.location_miss(c, chosen)
        elif code == Reason.EARLIER_NOT_STARTING:
            assert not starts(named)
        else:
            assert code == Reason.EARLIER_FOR_OTHERS
            assert not full(named)
            assert starts(named)
        return
    assert explanation.group is None
    if code == Reason.CONTRAINDICATION:
        assert rules.contraindicated(c, training)
        return
    assert not rules.contraindicated(c, training)
    own = [g for g in inst.groups if g.training == c.training]
    if code == Reason.NO_RUNS:
        assert not own
    elif code == Reason.NO_RUN_IN_AVAILABILITY:
        assert own
        assert all(g.slot not in c.availability for g in own)
        assert set(explanation.params["slots"]) == {g.slot for g in own}  # type: ignore[call-overload]
    elif code == Reason.NO_RUN_LATE_ENOUGH:
        assert not allowed
    elif code == Reason.ALL_FULL:
        assert allowed
        assert all(full(g) for g in allowed)
        assert explanation.params["runs"] == len(allowed)
    elif code in (Reason.TRAINER_HOURS, Reason.BELOW_MINIMUM, Reason.NOT_STARTING):
        assert named is not None
        assert named in allowed
        assert not full(named)
        assert not any(starts(g) for g in allowed if not full(g))
        if code == Reason.TRAINER_HOURS:
            running = [g for g in inst.groups if starts(g)]
            left = {
                t.id: t.hours_available - sum(g.trainer_hours for g in running if t.id in g.trainers)
                for t in inst.trainers
            }
            assert any(left[t] < named.trainer_hours for t in named.trainers)
        if code == Reason.BELOW_MINIMUM:
            fitting = [
                x
                for x in inst.clients
                if x.id not in solution.assignments and named in rules.compatible_groups(inst)[x.id]
            ]
            assert len(fitting) < named.min_size == explanation.params["min_size"]
    else:
        starting = [g for g in allowed if not full(g) and starts(g)]
        assert starting
        if code == Reason.NO_RUN_MEETING_NEED:
            assert list(c.needs) == explanation.params["needs"]
            assert all(rules.unmet_needs(c, g, policy) or rules.is_late(c, g) for g in starting)
        elif code == Reason.AFTER_DEADLINE:
            assert c.deadline is not None
            assert explanation.params["deadline"] == c.deadline.isoformat()
            assert all(rules.is_late(c, g) for g in starting)
        elif code == Reason.WAIT_TOO_LONG:
            leave = rules.unplaced_cost(c, training, policy)
            assert all(rules.assignment_cost(c, g, policy) >= leave for g in starting)
        else:
            assert code == Reason.FOR_OTHERS
            assert named == starting[0]


@pytest.mark.parametrize("seed", range(60))
def test_every_explanation_is_true(seed: int) -> None:
    inst = random_instance(seed)
    for solution in (first_come_first_served(inst), random_solution(inst, seed)):
        explanations = explain(inst, solution)
        assert explanations.keys() == {c.id for c in inst.clients}
        for client_id, explanation in explanations.items():
            assert_true(inst, solution, client_id, explanation)


def test_the_random_cases_reach_most_codes() -> None:
    """The truth test above is only as good as the codes it meets."""
    seen = set()
    for seed in range(60):
        inst = random_instance(seed)
        for solution in (first_come_first_served(inst), random_solution(inst, seed)):
            seen |= {e.code for e in explain(inst, solution).values()}
    assert len(seen) >= 12, sorted(seen)


def solved(inst: Instance, assignments: dict[str, str]) -> dict[str, Explanation]:
    unplaced = {c.id: UnplacedReason.NO_CAPACITY for c in inst.clients if c.id not in assignments}
    return explain(inst, Solution(inst.name, "hand", assignments=assignments, unplaced=unplaced))


def test_a_placement_in_a_later_run_names_the_full_earlier_run() -> None:
    early, late = group("G1", start_date=day(7), capacity=1), group("G2", start_date=day(14))
    inst = instance([client("C1"), client("C2")], [early, late])
    explanations = solved(inst, {"C1": "G1", "C2": "G2"})
    assert explanations["C1"] == Explanation(Reason.EARLIEST, {}, (), "G1")
    assert explanations["C2"] == Explanation(
        Reason.EARLIER_FULL, {"group": "G1", "start": day(7).isoformat()}, (), "G2"
    )


def test_a_need_leads_past_an_earlier_run_and_warnings_are_listed() -> None:
    plain = group("G1", start_date=day(7))
    fitting = group("G2", start_date=day(14), features=("language_support",))
    c = client("C1", needs=("low_language",), deadline=day(10), preferred_locations=("Noord",))
    explanations = solved(instance([c], [plain, fitting]), {"C1": "G2"})
    assert explanations["C1"].code == Reason.EARLIER_NEED_UNMET
    assert explanations["C1"].warnings == (PlacementWarning.LATE, PlacementWarning.LOCATION)


def test_pinned_placement() -> None:
    inst = instance([client("C1")], [group("G1"), group("G2", start_date=day(30))], pinned={"C1": "G2"})
    assert solved(inst, {"C1": "G2"})["C1"].code == Reason.PINNED


@pytest.mark.parametrize(
    ("c", "groups", "assignments", "expected"),
    [
        (client("C1", contraindications=("acute_crisis",)), [group("G1")], {}, Reason.CONTRAINDICATION),
        (client("C1"), [], {}, Reason.NO_RUNS),
        (client("C1", availability=("evening",)), [group("G1")], {}, Reason.NO_RUN_IN_AVAILABILITY),
        (client("C1", referral_date=day(6)), [group("G1")], {}, Reason.NO_RUN_LATE_ENOUGH),
        (client("C1"), [group("G1", occupied=3)], {}, Reason.ALL_FULL),
        (client("C1"), [group("G1", min_size=3)], {}, Reason.BELOW_MINIMUM),
        (client("C1"), [group("G1", trainer_hours=2000.0)], {}, Reason.TRAINER_HOURS),
        (client("C1"), [group("G1")], {}, Reason.NOT_STARTING),
        (client("C1", needs=("low_language",)), [group("G1", occupied=1)], {}, Reason.NO_RUN_MEETING_NEED),
        (client("C1", deadline=day(3)), [group("G1", occupied=1)], {}, Reason.AFTER_DEADLINE),
        (client("C1"), [group("G1", occupied=1, start_date=day(400))], {}, Reason.WAIT_TOO_LONG),
        (client("C1"), [group("G1", occupied=1)], {}, Reason.FOR_OTHERS),
    ],
)
def test_each_reason_for_not_placing(
    c: Client, groups: list[Group], assignments: dict[str, str], expected: Reason
) -> None:
    inst = instance([c], groups)
    explanation = solved(inst, assignments)["C1"]
    assert explanation.code == expected
    assert_true(inst, Solution(inst.name, "hand", unplaced={"C1": UnplacedReason.NO_CAPACITY}), "C1", explanation)
