"""Koers's placement solver: which candidate runs take place and who goes where (docs/decisions/0009).

With the set of open runs fixed, placing clients is a min-cost flow per training; a local search decides which runs
open (trainer hours couple the trainings), a client-swap search improves balance (the flow ignores it), and CP-SAT
solves the full model when it is small enough to prove optimality. The minimum size is hard: a run that takes place
has at least ``min_size`` participants, except a run kept open by a pinned placement or by ``occupied`` places.
"""

import bisect
import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from koers.placement import check, rules
from koers.placement.exact import solve_exact
from koers.placement.flow import choose_open_runs
from koers.placement.local_search import Placement, fill_free_places, improve_balance
from koers.placement.model import Client, Group, Instance, Policy, Solution, Training, UnplacedReason

Progress = Callable[[float, str], None]

# Each client keeps arcs to its cheapest compatible runs only; later runs cost more waiting and rarely matter.
ARCS_PER_CLIENT = 30
# Above this many client-run pairs the full CP-SAT model no longer proves optimality within seconds on 2 cores.
EXACT_MAX_ARCS = 12_000
# Share of the time the open-run search may use when no exact phase follows; the balance search gets the rest.
OPEN_RUNS_SHARE_PRUNED = 0.8
# Share of the time limit kept back to assemble the solution after the last search phase.
ASSEMBLY_SHARE = 0.03


@dataclass
class Problem:
    """The instance in indices, with what pinned placements and occupied places leave to decide."""

    instance: Instance
    groups: tuple[Group, ...]
    clients: tuple[Client, ...]
    # per client index: compatible run indices, earliest first (all of them, for reasons and the final fill)
    compatible: list[list[int]]
    # clients the solver decides on: not pinned, not contra-indicated, at least one compatible run
    free_clients: list[int]
    # per client index: run index -> assignment cost, for the cheapest ARCS_PER_CLIENT runs (all when exact)
    arcs: list[dict[int, int]]
    unplaced_cost: list[int]
    pinned: dict[int, int]
    forced_open: list[bool]  # pinned placements or occupied places make the run take place anyway
    free_capacity: list[int]  # places left after occupied places and pinned clients
    lower: list[int]  # participants still needed to reach the minimum size
    trainer_budget: dict[str, float]  # hours left after the runs that take place anyway
    targets: list[list[int]]  # per run, per balance attribute: round(10 × share) of its training
    marks: list[tuple[bool, ...]]  # per client, per balance attribute: has the balanced value
    pruned: bool
    runs_of_training: dict[str, list[int]] = field(default_factory=dict)

    def arc_cost(self, client: int, group: int) -> int:
        cost = self.arcs[client].get(group)
        if cost is None:
            cost = rules.assignment_cost(self.clients[client], self.groups[group], self.instance.policy)
        return cost


def solve(
    instance: Instance,
    *,
    time_limit: float = 30.0,
    seed: int = 0,
    progress: Progress | None = None,
) -> Solution:
    """Place the instance's clients; every client once, pinned placements kept, returns within ``time_limit``."""
    started = time.monotonic()
    deadline = started + max(time_limit, 0.0) * (1 - ASSEMBLY_SHARE)
    report = progress or (lambda fraction, stage: None)
    rng = random.Random(seed)

    report(0.0, "Preparing the instance")
    problem = prepare(instance)
    report(0.1, "Choosing which runs take place")
    # which runs open decides who is left out (3,650 each); balance is worth far less, so it gets what remains
    choice_share = OPEN_RUNS_SHARE_PRUNED if problem.pruned else 0.6
    open_runs, assignment = choose_open_runs(problem, rng, _until(started, deadline, choice_share))
    placement = Placement(problem, assignment)
    report(choice_share, "Improving the balance within runs")
    improve_balance(placement, rng, _until(started, deadline, 0.75 if not problem.pruned else 1.0))
    fill_free_places(placement)

    status, bound, solver_name = "FEASIBLE", None, "koers-flow-ls"
    if not problem.pruned and time.monotonic() < deadline:
        report(0.75, "Proving optimality")
        exact = solve_exact(problem, placement.assignment, seed, deadline)
        if exact is not None:
            candidate = Placement(problem, exact.assignment)
            fill_free_places(candidate)
            if _within_trainer_budgets(problem, candidate) and objective(problem, candidate) <= objective(
                problem, placement
            ):
                placement = candidate
                status = "OPTIMAL" if exact.optimal else "FEASIBLE"
                solver_name = "koers-cpsat"
            bound = exact.bound

    solution = _solution(problem, placement, solver_name)
    solution.status = status
    solution.bound = bound
    solution.runtime_s = round(time.monotonic() - started, 3)
    solution.extras = {"seed": seed, "runs_opened": sum(open_runs)}
    report(1.0, "Done")
    return solution


def _until(started: float, deadline: float, fraction: float) -> float:
    return started + (deadline - started) * fraction


def prepare(instance: Instance) -> Problem:
    policy = instance.policy
    trainings = {training.id: training for training in instance.trainings}
    groups = tuple(sorted(instance.groups, key=lambda g: (g.start_date, g.id)))
    group_index = {group.id: index for index, group in enumerate(groups)}
    clients = instance.clients
    client_index = {client.id: index for index, client in enumerate(clients)}

    runs_of_training: dict[str, list[int]] = {}
    for index, group in enumerate(groups):
        runs_of_training.setdefault(group.training, []).append(index)
    compatible = [
        _compatible_runs(client, groups, runs_of_training, trainings[client.training], policy) for client in clients
    ]

    pinned: dict[int, int] = {}
    for client_id, group_id in instance.pinned.items():
        if client_id not in client_index or group_id not in group_index:
            raise ValueError(f"pinned placement {client_id} -> {group_id} names an unknown client or run")
        pinned[client_index[client_id]] = group_index[group_id]
    pinned_count = [0] * len(groups)
    for g in pinned.values():
        pinned_count[g] += 1
    forced_open = [group.occupied > 0 or pinned_count[g] > 0 for g, group in enumerate(groups)]
    free_capacity = [max(group.capacity - group.occupied - pinned_count[g], 0) for g, group in enumerate(groups)]
    lower = [
        min(max(group.min_size - group.occupied - pinned_count[g], 0), free_capacity[g])
        for g, group in enumerate(groups)
    ]
    budget = {trainer.id: float(trainer.hours_available) for trainer in instance.trainers}
    for g, group in enumerate(groups):
        if forced_open[g]:
            for trainer_id in group.trainers:
                budget[trainer_id] = budget.get(trainer_id, 0.0) - group.trainer_hours

    unplaced_cost = [rules.unplaced_cost(client, trainings[client.training], policy) for client in clients]
    free_clients = [
        c
        for c, client in enumerate(clients)
        if c not in pinned and compatible[c] and not rules.contraindicated(client, trainings[client.training])
    ]
    pruned = sum(len(compatible[c]) for c in free_clients) > EXACT_MAX_ARCS
    arcs: list[dict[int, int]] = [{} for _ in clients]
    for c in free_clients:
        arcs[c] = _cheapest_arcs(clients[c], [groups[g] for g in compatible[c]], compatible[c], instance, pruned)

    allowed = {client.id: [groups[g] for g in compatible[c]] for c, client in enumerate(clients)}
    by_training = check.balance_targets(instance, allowed)
    attributes = list(policy.balance.items())
    targets = [[by_training.get((group.training, attribute), 0) for attribute, _ in attributes] for group in groups]
    marks = [tuple(client.attributes.get(attribute) == value for attribute, value in attributes) for client in clients]
    return Problem(
        instance=instance,
        groups=groups,
        clients=clients,
        compatible=compatible,
        free_clients=free_clients,
        arcs=arcs,
        unplaced_cost=unplaced_cost,
        pinned=pinned,
        forced_open=forced_open,
        free_capacity=free_capacity,
        lower=lower,
        trainer_budget=budget,
        targets=targets,
        marks=marks,
        pruned=pruned,
        runs_of_training=runs_of_training,
    )


def _compatible_runs(
    client: Client,
    groups: tuple[Group, ...],
    runs_of_training: dict[str, list[int]],
    training: Training,
    policy: Policy,
) -> list[int]:
    """``rules.compatible_groups`` for one client, skipping by bisection the runs that start too early.

    After the bisection the training, the lead days and the contra-indications hold for every run left, so of
    ``rules.compatible`` only the slot remains to test (the test suite compares the two).
    """
    runs = runs_of_training.get(client.training, [])
    if rules.contraindicated(client, training):
        return []
    earliest = client.referral_date + datetime.timedelta(days=policy.lead_days)
    first = bisect.bisect_left(runs, earliest, key=lambda g: groups[g].start_date)
    availability = set(client.availability)
    return [g for g in runs[first:] if groups[g].slot in availability]


def _cheapest_arcs(
    client: Client, groups: list[Group], indices: list[int], instance: Instance, pruned: bool
) -> dict[int, int]:
    """The client's cheapest runs; the runs come earliest first and cost at least the wait, so the scan stops early."""
    policy = instance.policy
    costs: list[tuple[int, int]] = []
    for group, index in zip(groups, indices, strict=True):
        if pruned and len(costs) >= ARCS_PER_CLIENT:
            costs.sort()
            costs = costs[:ARCS_PER_CLIENT]
            if policy.weights.wait_day * rules.wait_days(client, group) > costs[-1][0]:
                break
        costs.append((rules.assignment_cost(client, group, policy), index))
    costs.sort()
    if pruned:
        costs = costs[:ARCS_PER_CLIENT]
    return {index: cost for cost, index in costs}


def _solution(problem: Problem, placement: Placement, solver_name: str) -> Solution:
    instance = problem.instance
    solution = Solution(instance=instance.name, solver=solver_name)
    trainings = {training.id: training for training in instance.trainings}
    for c, client in enumerate(problem.clients):
        g = placement.assignment[c]
        if g >= 0:
            solution.assignments[client.id] = problem.groups[g].id
        elif rules.contraindicated(client, trainings[client.training]):
            solution.unplaced[client.id] = UnplacedReason.CONTRAINDICATION
        elif not problem.compatible[c]:
            solution.unplaced[client.id] = UnplacedReason.NO_COMPATIBLE_GROUP
        else:
            solution.unplaced[client.id] = UnplacedReason.NO_CAPACITY
    solution.objective = objective(problem, placement)
    return solution


def _within_trainer_budgets(problem: Problem, placement: Placement) -> bool:
    hours: dict[str, float] = {}
    for g, group in enumerate(problem.groups):
        if placement.takes_place(g):
            for trainer in group.trainers:
                hours[trainer] = hours.get(trainer, 0.0) + group.trainer_hours
    available = {trainer.id: trainer.hours_available for trainer in problem.instance.trainers}
    return all(used <= available.get(t, 0.0) + check.HOURS_TOLERANCE for t, used in hours.items())


def objective(problem: Problem, placement: Placement) -> int:
    """The common objective of FORMAT.md (as ``check.objective``) without recomputing compatibility."""
    weights = problem.instance.policy.weights
    total = sum(
        problem.arc_cost(c, g) if g >= 0 else problem.unplaced_cost[c] for c, g in enumerate(placement.assignment)
    )
    for g, group in enumerate(problem.groups):
        size = placement.size[g]
        if size > 0 or group.occupied > 0:
            total += placement.balance_cost(g)
            if 0 < size + group.occupied < group.min_size:
                total += weights.below_min_group
    return total
