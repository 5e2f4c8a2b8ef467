"""The full placement model in CP-SAT, warm-started from the heuristic, for instances small enough to prove optimal.

The model is the FORMAT.md objective with the minimum size hard (except for runs that take place anyway, where a
run below its minimum costs its weight): a run opens or not, trainer hours count for open runs, and each run's
balance term is an absolute value over its members.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

if TYPE_CHECKING:
    from koers.placement.solver import Problem

# The proof comes from CP-SAT's LP-based workers; with its default portfolio they run only from 8 workers on, which
# share 2 cores with six others. Naming the two that close the gap (the reduced-cost fixing and the full
# linearisation) proves small instances 2-4 times faster (0.3-0.8 s against 0.7-3 s on seeds 1-8).
SUBSOLVERS = ("reduced_costs", "max_lp_sym")
HOURS_SCALE = 1000
HOURS_TOLERANCE = 1e-6
# Share of the remaining time kept back: CP-SAT takes a moment to stop its workers after its limit.
STOP_MARGIN = 0.15


@dataclass(frozen=True)
class ExactResult:
    assignment: list[int]
    optimal: bool
    bound: int


def solve_exact(problem: Problem, hint: list[int], seed: int, deadline: float) -> ExactResult | None:
    """Solve the full model; ``None`` when CP-SAT finds nothing in time (the hint is then kept by the caller)."""
    model, chosen = build_model(problem, hint)
    time_limit = (deadline - time.monotonic()) * (1 - STOP_MARGIN)
    if time_limit <= 0:
        return None
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = len(SUBSOLVERS)
    solver.parameters.subsolvers.extend(SUBSOLVERS)
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = time_limit
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    assignment = [-1] * len(problem.clients)
    for c, g in problem.pinned.items():
        assignment[c] = g
    for (c, g), var in chosen.items():
        if solver.boolean_value(var):
            assignment[c] = g
    return ExactResult(
        assignment=assignment,
        optimal=status == cp_model.OPTIMAL,
        bound=math.ceil(solver.best_objective_bound - 1e-6),
    )


def build_model(problem: Problem, hint: list[int]) -> tuple[cp_model.CpModel, dict[tuple[int, int], cp_model.IntVar]]:
    """The full model with ``hint`` as a complete hint; the variables of the client-run pairs by (client, run)."""
    model = cp_model.CpModel()
    weights = problem.instance.policy.weights
    groups = problem.groups
    chosen: dict[tuple[int, int], cp_model.IntVar] = {}
    members: list[list[int]] = [[] for _ in groups]
    for c in problem.free_clients:
        for g in problem.arcs[c]:
            chosen[c, g] = model.new_bool_var(f"x_{c}_{g}")
            members[g].append(c)
        model.add_at_most_one(chosen[c, g] for g in problem.arcs[c])
    pinned_members: list[list[int]] = [[] for _ in groups]
    for c, g in problem.pinned.items():
        pinned_members[g].append(c)

    hinted_size = [0] * len(groups)
    for c in problem.free_clients:
        if hint[c] >= 0:
            hinted_size[hint[c]] += 1
    objective_terms: list[cp_model.LinearExprT] = []
    opened: dict[int, cp_model.IntVar] = {}
    for g in range(len(groups)):
        load = sum(chosen[c, g] for c in members[g])
        if problem.forced_open[g]:
            model.add(load <= problem.free_capacity[g])
            if problem.lower[g] > 0:
                below = model.new_bool_var(f"below_{g}")
                model.add(load >= problem.lower[g]).only_enforce_if(~below)
                model.add_hint(below, hinted_size[g] < problem.lower[g])
                objective_terms.append(weights.below_min_group * below)
        elif members[g] and problem.free_capacity[g] == 0:
            model.add(load == 0)
        elif members[g]:
            opened[g] = model.new_bool_var(f"open_{g}")
            size = model.new_int_var_from_domain(
                cp_model.Domain.from_intervals([[0, 0], [max(problem.lower[g], 1), problem.free_capacity[g]]]),
                f"size_{g}",
            )
            model.add(size == load)
            model.add(load <= problem.free_capacity[g] * opened[g])
            model.add(load >= problem.lower[g] * opened[g])
            for c in members[g]:
                model.add_implication(chosen[c, g], opened[g])
            model.add_hint(opened[g], hinted_size[g] > 0)

    for trainer, budget in sorted(problem.trainer_budget.items()):
        hours = [
            (round(groups[g].trainer_hours * HOURS_SCALE), var)
            for g, var in opened.items()
            if trainer in groups[g].trainers
        ]
        if hours:
            model.add(sum(h * var for h, var in hours) <= math.floor((budget + HOURS_TOLERANCE) * HOURS_SCALE))

    for g in range(len(groups)):
        for a, target in enumerate(problem.targets[g]):
            constant = sum(10 * problem.marks[c][a] - target for c in pinned_members[g])
            if not members[g] and constant == 0:
                continue
            terms = [(10 * problem.marks[c][a] - target, chosen[c, g]) for c in members[g]]
            excess = constant + sum(coefficient * var for coefficient, var in terms)
            limit = abs(constant) + sum(abs(coefficient) for coefficient, _ in terms)
            deviation = model.new_int_var(0, limit, f"dev_{g}_{a}")
            model.add(deviation >= excess)
            model.add(deviation >= -excess)
            hinted = constant + sum(10 * problem.marks[c][a] - target for c in members[g] if hint[c] == g)
            model.add_hint(deviation, abs(hinted))
            objective_terms.append(weights.balance * deviation)

    free = set(problem.free_clients)
    constant_cost = sum(problem.arc_cost(c, g) for c, g in problem.pinned.items()) + sum(
        problem.unplaced_cost[c] for c in range(len(problem.clients)) if c not in problem.pinned and c not in free
    )
    for c in problem.free_clients:
        constant_cost += problem.unplaced_cost[c]
        for g, cost in problem.arcs[c].items():
            objective_terms.append((cost - problem.unplaced_cost[c]) * chosen[c, g])
    for (c, g), var in chosen.items():
        model.add_hint(var, hint[c] == g)
    model.minimize(sum(objective_terms) + constant_cost)
    return model, chosen
