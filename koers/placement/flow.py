"""Placement as a min-cost flow per training with the open runs fixed, and the local search over which runs open.

Trainings only share trainers, so one flow network per training is solved again after each move on its runs; a move
opens, closes or swaps runs, and the flow prices it exactly (balance aside). A run's minimum size is a lower bound
on its flow, written as an arc with a negative cost so that the network stays a plain min-cost flow.
"""

from __future__ import annotations

import random
import time
from typing import TYPE_CHECKING

import numpy as np
from ortools.graph.python import min_cost_flow

if TYPE_CHECKING:
    from koers.placement.solver import Problem

HOURS_TOLERANCE = 1e-6
# Runs whose closing is tried to make trainer hours free for a closed run.
SWAP_CANDIDATES = 3
# Moves priced exactly, best estimate first, before the estimates are brought up to date again.
PRICED_TRIES = 20


class TrainingFlow:
    """One training's free clients and runs; opening or closing a run changes only two arc capacities."""

    def __init__(self, problem: Problem, runs: list[int], clients: list[int]) -> None:
        self.problem = problem
        self.runs = runs
        self.position = {g: i for i, g in enumerate(runs)}
        n, m = len(clients), len(runs)
        sink = n + m
        largest = max([problem.unplaced_cost[c] for c in clients] + [0])
        largest += max([cost for c in clients for cost in problem.arcs[c].values()] + [0])
        # a unit of unmet minimum costs more than any placement can save, so the flow fills minimums first
        self.penalty = 2 * largest + 1
        tails: list[int] = []
        heads: list[int] = []
        costs: list[int] = []
        self.arc_clients: list[int] = []
        self.arc_runs: list[int] = []
        for i, c in enumerate(clients):
            for g, cost in problem.arcs[c].items():
                tails.append(i)
                heads.append(n + self.position[g])
                costs.append(cost)
                self.arc_clients.append(c)
                self.arc_runs.append(g)
        assignment_arcs = len(tails)
        for i, c in enumerate(clients):
            tails.append(i)
            heads.append(sink)
            costs.append(problem.unplaced_cost[c])
        for i in range(m):
            tails += [n + i, n + i]
            heads += [sink, sink]
            costs += [-self.penalty, 0]
        capacities = [1] * (assignment_arcs + n) + [0] * (2 * m)
        self.network = min_cost_flow.SimpleMinCostFlow()
        arcs = self.network.add_arcs_with_capacity_and_unit_cost(
            np.array(tails, dtype=np.int32),
            np.array(heads, dtype=np.int32),
            np.array(capacities, dtype=np.int64),
            np.array(costs, dtype=np.int64),
        )
        self.clients = clients
        self.arc_tails = np.array(tails[:assignment_arcs], dtype=np.int64)
        self.arc_heads = np.array(heads[:assignment_arcs], dtype=np.int64) - n
        self.arc_costs = np.array(costs[:assignment_arcs], dtype=np.float64)
        self.unplaced_costs = np.array([problem.unplaced_cost[c] for c in clients], dtype=np.float64)
        self.assignment_arcs = arcs[:assignment_arcs]
        self.minimum_arcs = arcs[assignment_arcs + n :: 2]
        self.rest_arcs = arcs[assignment_arcs + n + 1 :: 2]
        self.minimum = [0] * m
        supplies = [1] * n + [0] * m + [-n]
        self.network.set_nodes_supplies(np.arange(n + m + 1, dtype=np.int32), np.array(supplies, dtype=np.int64))

    def set_open(self, group: int, is_open: bool, enforce_minimum: bool) -> None:
        problem, i = self.problem, self.position[group]
        capacity = problem.free_capacity[group] if is_open else 0
        minimum = problem.lower[group] if is_open and enforce_minimum and not problem.forced_open[group] else 0
        self.minimum[i] = minimum
        self.network.set_arc_capacity(int(self.minimum_arcs[i]), minimum)
        self.network.set_arc_capacity(int(self.rest_arcs[i]), capacity - minimum)

    def solve(self) -> tuple[int, int]:
        """The cost of the best placement (balance aside) and the participants missing to reach the minimums."""
        status = self.network.solve()
        if status != self.network.OPTIMAL:
            raise RuntimeError(f"min-cost flow ended with status {status}")
        required = sum(self.minimum)
        filled = int(self.network.flows(self.minimum_arcs).sum()) if required else 0
        return self.network.optimal_cost() + self.penalty * required, required - filled

    def loads(self) -> dict[int, int]:
        totals = self.network.flows(self.minimum_arcs) + self.network.flows(self.rest_arcs)
        return {g: int(totals[i]) for i, g in enumerate(self.runs)}

    def estimates(self, is_open: list[bool]) -> tuple[dict[int, float], dict[int, float]]:
        """From the last solve: the estimated saving of opening each closed run and loss of closing each open run.

        Shortest paths in the flow's residual graph, contracted to the runs, price one place more or less in each
        run (a freed place passes down a chain of moves to a client left out). Opening a run is worth the best
        ``free_capacity`` client savings against those prices; closing one costs its members' best alternatives.
        Clients sharing a chain are counted once each, so the figures only rank the moves the flow then prices.
        """
        problem, m = self.problem, len(self.runs)
        if not m or not len(self.arc_tails):
            return {}, {}
        flows = self.network.flows(self.assignment_arcs).astype(bool)
        member_of = np.full(len(self.clients), -1, dtype=np.int64)
        member_of[self.arc_tails[flows]] = self.arc_heads[flows]
        own_cost = np.zeros(len(self.clients))
        own_cost[self.arc_tails[flows]] = self.arc_costs[flows]
        loads = self.network.flows(self.minimum_arcs) + self.network.flows(self.rest_arcs)
        runs = np.array(self.runs)
        open_mask = np.array([is_open[g] for g in self.runs], dtype=bool)
        capacity = np.array([problem.free_capacity[g] for g in self.runs]) * open_mask
        above_minimum = self.network.flows(self.rest_arcs) > 0

        tails_member = member_of[self.arc_tails]
        placed = tails_member >= 0
        # run-to-run moves of a placed client to another of its runs, contracted to the cheapest per pair of runs
        moves = placed & (tails_member != self.arc_heads)
        source, target = tails_member[moves], self.arc_heads[moves]
        weight = self.arc_costs[moves] - own_cost[self.arc_tails[moves]]
        pair = source * m + target
        order = np.lexsort((weight, pair))
        first = np.ones(len(order), dtype=bool)
        first[1:] = pair[order][1:] != pair[order][:-1]
        source, target, weight = source[order][first], target[order][first], weight[order][first]

        # cost of freeing a place in each run for someone (0 when a member above the minimum may simply leave)
        free_place = np.where(open_mask & above_minimum, 0.0, np.inf)
        waiting = ~placed
        np.minimum.at(
            free_place, self.arc_heads[waiting], self.arc_costs[waiting] - self.unplaced_costs[self.arc_tails[waiting]]
        )
        free_place = _shortest(free_place, source, target, weight, m)
        # cost of taking one more client into each run (0 when it has room, otherwise a member moves on or out)
        extra = np.where(open_mask & (loads < capacity), 0.0, np.inf)
        leave = self.unplaced_costs[self.arc_tails[placed]] - own_cost[self.arc_tails[placed]]
        np.minimum.at(extra, tails_member[placed], leave)
        extra = _shortest(extra, target, source, weight, m)

        client_value = np.where(member_of >= 0, own_cost - free_place[np.maximum(member_of, 0)], self.unplaced_costs)
        gains: dict[int, float] = {}
        for i in np.flatnonzero(~open_mask):
            g = int(runs[i])
            into = self.arc_heads == i
            savings = np.sort(client_value[self.arc_tails[into]] - self.arc_costs[into])[::-1]
            needed = 0 if problem.forced_open[g] else problem.lower[g]
            if problem.free_capacity[g] > 0 and len(savings) >= max(needed, 1):
                chosen = savings[: problem.free_capacity[g]]
                gains[g] = float(chosen[:needed].sum() + np.maximum(chosen[needed:], 0).sum())
        # per member: the cheapest other open run (with the price of its extra place), or leaving unplaced
        elsewhere = placed & (tails_member != self.arc_heads) & open_mask[self.arc_heads]
        best = self.unplaced_costs.copy()
        np.minimum.at(best, self.arc_tails[elsewhere], self.arc_costs[elsewhere] + extra[self.arc_heads[elsewhere]])
        members = np.flatnonzero(member_of >= 0)
        loss = np.zeros(m)
        np.add.at(loss, member_of[members], best[members] - own_cost[members])
        losses = {int(runs[i]): float(loss[i]) for i in np.flatnonzero(open_mask)}
        return gains, losses

    def placements(self) -> list[tuple[int, int]]:
        used = np.flatnonzero(self.network.flows(self.assignment_arcs))
        return [(self.arc_clients[a], self.arc_runs[a]) for a in used]


class RunChoice:
    """Which runs are open, the trainer hours they use, and one flow per training."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.open = [True] * len(problem.groups)
        self.enforce_minimum = False
        clients_of: dict[str, list[int]] = {}
        for c in problem.free_clients:
            clients_of.setdefault(problem.clients[c].training, []).append(c)
        self.flows = {
            training: TrainingFlow(problem, runs, clients_of.get(training, []))
            for training, runs in sorted(problem.runs_of_training.items())
        }
        self.training_of = [group.training for group in problem.groups]
        self.used: dict[str, float] = {}
        for g, group in enumerate(problem.groups):
            if not problem.forced_open[g]:
                for trainer in group.trainers:
                    self.used[trainer] = self.used.get(trainer, 0.0) + group.trainer_hours
        for flow in self.flows.values():
            for g in flow.runs:
                flow.set_open(g, True, False)
        self.cost: dict[str, int] = {}
        self.shortfall: dict[str, int] = {}
        self.loads: dict[int, int] = {}
        self.stale: set[str] = set()  # flows whose last solve was of a rejected move
        for training in self.flows:
            self.resolve(training)

    def resolve(self, training: str) -> None:
        flow = self.flows[training]
        self.cost[training], self.shortfall[training] = flow.solve()
        self.loads.update(flow.loads())
        self.stale.discard(training)

    def toggle(self, group: int) -> None:
        """Open a closed run or close an open one (the flow is not solved again)."""
        problem = self.problem
        self.open[group] = not self.open[group]
        sign = 1 if self.open[group] else -1
        for trainer in problem.groups[group].trainers:
            self.used[trainer] = self.used.get(trainer, 0.0) + sign * problem.groups[group].trainer_hours
        self.flows[self.training_of[group]].set_open(group, self.open[group], self.enforce_minimum)

    def over_budget(self) -> list[str]:
        budget = self.problem.trainer_budget
        return sorted(t for t, hours in self.used.items() if hours > budget.get(t, 0.0) + HOURS_TOLERANCE)

    def fits(self, group: int) -> bool:
        """Whether opening this closed run keeps every trainer within budget."""
        problem = self.problem
        hours = problem.groups[group].trainer_hours
        return all(
            self.used.get(t, 0.0) + hours <= problem.trainer_budget.get(t, 0.0) + HOURS_TOLERANCE
            for t in problem.groups[group].trainers
        )

    def total(self) -> int:
        return sum(self.cost.values())


def choose_open_runs(problem: Problem, rng: random.Random, until: float) -> tuple[list[bool], list[int]]:
    """Open runs within the trainer budgets and at their minimum size, and the flow's placement for them."""
    choice = RunChoice(problem)
    _close_small_runs(choice)
    while over := [t for t in choice.over_budget() if _closable_runs(choice, t)]:
        _close_for_trainers(choice, over)
        _close_small_runs(choice)
    choice.enforce_minimum = True
    for training, flow in choice.flows.items():
        for g in flow.runs:
            flow.set_open(g, choice.open[g], True)
        choice.resolve(training)
    while time.monotonic() < until:
        before = choice.total()
        _improve_by_prices(choice, until)
        _improve_open_runs(choice, rng, until)
        if choice.total() >= before:
            break
    for training in sorted(choice.stale):
        choice.resolve(training)
    assignment = [-1] * len(problem.clients)
    for c, g in problem.pinned.items():
        assignment[c] = g
    for flow in choice.flows.values():
        for c, g in flow.placements():
            assignment[c] = g
    return choice.open, assignment


def _closable(choice: RunChoice, group: int) -> bool:
    return choice.open[group] and not choice.problem.forced_open[group]


def _close_small_runs(choice: RunChoice) -> None:
    """Close the runs the flow leaves empty or below their minimum, the smallest first, until none is left."""
    problem = choice.problem
    for training, flow in choice.flows.items():
        while True:
            small = [g for g in flow.runs if _closable(choice, g) and choice.loads[g] < max(problem.lower[g], 1)]
            if not small:
                break
            empty = [g for g in small if choice.loads[g] == 0]
            small.sort(key=lambda g: (choice.loads[g], -g))
            for g in empty or small[: len(small) // 2 + 1]:
                choice.toggle(g)
            choice.resolve(training)


def _closable_runs(choice: RunChoice, trainer: str) -> list[int]:
    return [g for g, group in enumerate(choice.problem.groups) if trainer in group.trainers and _closable(choice, g)]


def _close_for_trainers(choice: RunChoice, trainers: list[str]) -> None:
    """Close the least-filled open run (the latest on a tie) of each trainer still over budget."""
    touched: set[str] = set()
    for trainer in trainers:
        if trainer not in choice.over_budget():
            continue
        runs = _closable_runs(choice, trainer)
        if not runs:
            continue
        group = min(runs, key=lambda g: (choice.loads[g], -g))
        choice.toggle(group)
        touched.add(choice.training_of[group])
    for training in sorted(touched):
        choice.resolve(training)


def _try(choice: RunChoice, groups: list[int]) -> bool:
    """Toggle the runs; keep the change when it lowers the cost and keeps budgets and minimums, else undo it."""
    trainings = sorted({choice.training_of[g] for g in groups})
    before = {t: (choice.cost[t], choice.shortfall[t]) for t in trainings}
    for g in groups:
        choice.toggle(g)
    over = set(choice.over_budget())
    if any(over.intersection(choice.problem.groups[g].trainers) for g in groups if choice.open[g]):
        for g in groups:
            choice.toggle(g)
        return False
    after = {t: choice.flows[t].solve() for t in trainings}
    if sum(a[0] for a in after.values()) < sum(b[0] for b in before.values()) and not any(a[1] for a in after.values()):
        for t in trainings:
            choice.cost[t], choice.shortfall[t] = after[t]
            choice.loads.update(choice.flows[t].loads())
        return True
    for g in groups:
        choice.toggle(g)
    choice.stale.update(trainings)
    return False


def _improve_by_prices(choice: RunChoice, until: float) -> None:
    """Try the moves the flow's prices rank best, pricing each exactly; stop when none of them improves."""
    for training in sorted(choice.stale):
        choice.resolve(training)
    estimates = {training: flow.estimates(choice.open) for training, flow in choice.flows.items()}
    rejected: set[tuple[int, ...]] = set()
    while time.monotonic() < until:
        moves = [move for move in _ranked_moves(choice, estimates) if move not in rejected]
        if not moves:
            return
        for move in moves[:PRICED_TRIES]:
            if time.monotonic() >= until:
                return
            if _try(choice, list(move)):
                touched = {choice.training_of[g] for g in move}
                for training in touched:
                    estimates[training] = choice.flows[training].estimates(choice.open)
                rejected = {old for old in rejected if not touched.intersection(choice.training_of[g] for g in old)}
                break
            rejected.add(move)


def _ranked_moves(
    choice: RunChoice, estimates: dict[str, tuple[dict[int, float], dict[int, float]]]
) -> list[tuple[int, ...]]:
    """Opening, closing and swapping runs, by estimated saving, the best first; only those estimated to save."""
    problem = choice.problem
    gains: dict[int, float] = {}
    losses: dict[int, float] = {}
    for opening, closing in estimates.values():
        gains.update(opening)
        losses.update(closing)
    open_runs_of: dict[str, list[int]] = {}
    for h in losses:
        if _closable(choice, h):
            for trainer in problem.groups[h].trainers:
                open_runs_of.setdefault(trainer, []).append(h)
    scored: list[tuple[float, tuple[int, ...]]] = []
    for h, loss in losses.items():
        if loss < 0 and _closable(choice, h):
            scored.append((-loss, (h,)))
    for g, gain in gains.items():
        if gain <= 0 or choice.open[g] or problem.forced_open[g]:
            continue
        if choice.fits(g):
            scored.append((gain, (g,)))
            continue
        partners = {h for trainer in problem.groups[g].trainers for h in open_runs_of.get(trainer, [])}
        swaps = [(gain - losses[h], (h, g)) for h in sorted(partners) if _fits_after_closing(choice, g, h)]
        swaps.sort(key=lambda swap: -swap[0])
        scored.extend(swap for swap in swaps[:SWAP_CANDIDATES] if swap[0] > 0)
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [move for _, move in scored]


def _fits_after_closing(choice: RunChoice, group: int, closed: int) -> bool:
    problem = choice.problem
    hours = problem.groups[group].trainer_hours
    freed = problem.groups[closed].trainer_hours
    return all(
        choice.used.get(t, 0.0) + hours - (freed if t in problem.groups[closed].trainers else 0.0)
        <= problem.trainer_budget.get(t, 0.0) + HOURS_TOLERANCE
        for t in problem.groups[group].trainers
    )


def _improve_open_runs(choice: RunChoice, rng: random.Random, until: float) -> None:
    """First-improvement search over closing, opening and swapping runs, in a seeded order."""
    problem = choice.problem
    candidates = [g for g in range(len(problem.groups)) if not problem.forced_open[g]]
    improved = True
    while improved and time.monotonic() < until:
        improved = False
        order = candidates[:]
        rng.shuffle(order)
        for g in order:
            if time.monotonic() >= until:
                return
            if choice.open[g] or choice.fits(g):
                improved |= _try(choice, [g])
            else:
                improved |= any(_try(choice, [h, g]) for h in _swap_partners(choice, g))


def _swap_partners(choice: RunChoice, group: int) -> list[int]:
    """Open runs sharing a trainer with the closed run, nearest in start date first."""
    problem = choice.problem
    trainers = set(problem.groups[group].trainers)
    partners = [
        h for h, other in enumerate(problem.groups) if _closable(choice, h) and trainers.intersection(other.trainers)
    ]
    partners.sort(key=lambda h: (abs(h - group), h))
    return partners[:SWAP_CANDIDATES]


def _shortest(
    distance: np.ndarray, source: np.ndarray, target: np.ndarray, weight: np.ndarray, nodes: int
) -> np.ndarray:
    """Bellman-Ford: lower ``distance[target]`` to ``distance[source] + weight`` until nothing changes.

    The flow is optimal, so its residual graph, and this contraction of it, has no negative cycle.
    """
    for _ in range(nodes + 1):
        updated = distance.copy()
        np.minimum.at(updated, target, distance[source] + weight)
        if np.array_equal(updated, distance):
            break
        distance = updated
    return distance
