"""Lower bounds on the common objective of FORMAT.md, to measure how far a solution can at most be from the optimum.

Two relaxations, each a valid bound on every solution that keeps the hard rules and the pinned placements:

- ``flow_bound``: every run open and no trainer budgets, minimum sizes or balance: a min-cost flow from the
  clients to the runs' free places or to "unplaced". Seconds even at 20,000 clients.
- ``lp_bound``: the LP relaxation (GLOP) of the whole model: ``x ≤ open``, capacity ``Σx + occupied ≤ cap·open``,
  trainer budgets on ``open``, the minimum size as ``Σx + occupied ≥ min·(open − below)`` with ``below`` charged
  7300, and balance as ``d ≥ ±Σx·(10·[value] − target)`` charged 3. Tighter; takes tens of seconds at 2,000 clients,
  so it is only built up to ``LP_MAX_ARCS`` client–run pairs.

The LP value is rounded up, since the objective is an integer.
"""

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass

import numpy
from ortools.graph.python import min_cost_flow
from ortools.linear_solver import pywraplp

from koers.placement import check, rules
from koers.placement.model import Group, Instance

LP_MAX_ARCS = 200_000
EPSILON = 1e-6


@dataclass(frozen=True)
class Bound:
    value: int | None  # None: not computed
    method: str
    seconds: float


def placeable_pairs(instance: Instance) -> dict[str, list[Group]]:
    """Per client the runs they may join; pinned clients only their pinned run; contra-indicated clients none."""
    allowed = rules.compatible_groups(instance)
    groups = {group.id: group for group in instance.groups}
    for client_id, group_id in instance.pinned.items():
        allowed[client_id] = [groups[group_id]]
    return allowed


def flow_bound(instance: Instance, allowed: Mapping[str, list[Group]] | None = None) -> Bound:
    started = time.perf_counter()
    policy = instance.policy
    allowed = allowed or placeable_pairs(instance)
    group_node = {group.id: len(instance.clients) + number for number, group in enumerate(instance.groups)}
    sink = len(instance.clients) + len(instance.groups)
    tails: list[int] = []
    heads: list[int] = []
    capacities: list[int] = []
    costs: list[int] = []
    for node, client in enumerate(instance.clients):
        if client.id not in instance.pinned:
            tails.append(node)
            heads.append(sink)
            capacities.append(1)
            costs.append(rules.unplaced_cost(client, instance.training(client.training), policy))
        for group in allowed[client.id]:
            tails.append(node)
            heads.append(group_node[group.id])
            capacities.append(1)
            costs.append(rules.assignment_cost(client, group, policy))
    for group in instance.groups:
        tails.append(group_node[group.id])
        heads.append(sink)
        capacities.append(max(0, group.capacity - group.occupied))
        costs.append(0)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        numpy.array(tails), numpy.array(heads), numpy.array(capacities), numpy.array(costs)
    )
    supplies = numpy.zeros(sink + 1, dtype=numpy.int64)
    supplies[: len(instance.clients)] = 1
    supplies[sink] = -len(instance.clients)
    flow.set_nodes_supplies(numpy.arange(sink + 1), supplies)
    status = flow.solve()
    value = flow.optimal_cost() if status == flow.OPTIMAL else None
    return Bound(value, "flow", time.perf_counter() - started)


def lp_bound(
    instance: Instance, allowed: Mapping[str, list[Group]] | None = None, *, time_limit_s: float = 300.0
) -> Bound:
    started = time.perf_counter()
    allowed = allowed or placeable_pairs(instance)
    if sum(len(groups) for groups in allowed.values()) > LP_MAX_ARCS:
        return Bound(None, "lp (too large)", time.perf_counter() - started)
    policy = instance.policy
    weights = policy.weights
    solver = pywraplp.Solver.CreateSolver("GLOP")
    solver.SetTimeLimit(int(time_limit_s * 1000))
    infinity = solver.infinity()
    fixed_open = {group.id for group in instance.groups if group.occupied > 0} | set(instance.pinned.values())
    opened = {group.id: solver.NumVar(1.0 if group.id in fixed_open else 0.0, 1.0, "") for group in instance.groups}
    below = {group.id: solver.NumVar(0.0, 1.0, "") for group in instance.groups}
    members: dict[str, list[tuple[pywraplp.Variable, int]]] = {group.id: [] for group in instance.groups}
    targets = check.balance_targets(instance, rules.compatible_groups(instance))
    balance_terms: dict[tuple[str, str], list[tuple[pywraplp.Variable, int]]] = {}
    objective = solver.Objective()
    for client in instance.clients:
        training = instance.training(client.training)
        if rules.contraindicated(client, training):
            continue
        placed = []
        for group in allowed[client.id]:
            x = solver.NumVar(0.0, 1.0, "")
            placed.append(x)
            members[group.id].append((x, 1))
            solver.Add(x <= opened[group.id])
            objective.SetCoefficient(x, rules.assignment_cost(client, group, policy))
            for attribute, value in policy.balance.items():
                share = 10 * (client.attributes.get(attribute) == value) - targets.get((group.training, attribute), 0)
                balance_terms.setdefault((group.id, attribute), []).append((x, share))
        unplaced = solver.NumVar(0.0, 0.0 if client.id in instance.pinned else 1.0, "")
        objective.SetCoefficient(unplaced, rules.unplaced_cost(client, training, policy))
        solver.Add(solver.Sum([*placed, unplaced]) == 1)
    for group in instance.groups:
        size = solver.Sum([x for x, _ in members[group.id]])
        solver.Add(size + group.occupied <= group.capacity * opened[group.id])
        solver.Add(size + group.occupied >= group.min_size * (opened[group.id] - below[group.id]))
        solver.Add(below[group.id] <= opened[group.id])
        objective.SetCoefficient(below[group.id], weights.below_min_group)
    for trainer in instance.trainers:
        hours = [group.trainer_hours * opened[group.id] for group in instance.groups if trainer.id in group.trainers]
        if hours:
            solver.Add(solver.Sum(hours) <= trainer.hours_available)
    for terms in balance_terms.values():
        deviation = solver.NumVar(0.0, infinity, "")
        total = solver.Sum([share * x for x, share in terms])
        solver.Add(deviation >= total)
        solver.Add(deviation >= -total)
        objective.SetCoefficient(deviation, weights.balance)
    objective.SetMinimization()
    status = solver.Solve()
    seconds = time.perf_counter() - started
    if status != pywraplp.Solver.OPTIMAL:
        return Bound(None, "lp (not solved)", seconds)
    return Bound(math.ceil(objective.Value() - EPSILON), "lp", seconds)


def best_bound(instance: Instance, *, lp_time_limit_s: float = 300.0) -> tuple[Bound, list[Bound]]:
    """The highest of the bounds that could be computed, and all of them (for the report)."""
    allowed = placeable_pairs(instance)
    bounds = [flow_bound(instance, allowed), lp_bound(instance, allowed, time_limit_s=lp_time_limit_s)]
    computed = [bound for bound in bounds if bound.value is not None]
    best = max(computed, key=lambda bound: bound.value or 0) if computed else Bound(None, "n/a", 0.0)
    return best, bounds
