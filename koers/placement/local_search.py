"""Moves and swaps of single clients between runs that take place, for the balance the flow does not see.

Swapping two clients between runs never changes the total wait (each run's start date stays counted once per
place), so swaps trade only balance against needs, deadlines and locations.
"""

from __future__ import annotations

import random
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from koers.placement.solver import Problem

# How often (in clients) the search looks at the clock.
CLOCK_EVERY = 64


class Placement:
    """Who is in which run (index -1: unplaced), with each run's size and count of balanced values."""

    def __init__(self, problem: Problem, assignment: list[int]) -> None:
        self.problem = problem
        self.assignment = list(assignment)
        attributes = len(problem.instance.policy.balance)
        self.size = [0] * len(problem.groups)
        self.counts = [[0] * attributes for _ in problem.groups]
        self.members: list[set[int]] = [set() for _ in problem.groups]
        for c, g in enumerate(self.assignment):
            if g >= 0:
                self._add(c, g)

    def _add(self, client: int, group: int) -> None:
        self.assignment[client] = group
        self.size[group] += 1
        self.members[group].add(client)
        for a, marked in enumerate(self.problem.marks[client]):
            self.counts[group][a] += marked

    def _remove(self, client: int) -> None:
        group = self.assignment[client]
        self.assignment[client] = -1
        self.size[group] -= 1
        self.members[group].discard(client)
        for a, marked in enumerate(self.problem.marks[client]):
            self.counts[group][a] -= marked

    def move(self, client: int, group: int) -> None:
        if self.assignment[client] >= 0:
            self._remove(client)
        if group >= 0:
            self._add(client, group)

    def balance_cost(self, group: int, size_change: int = 0, count_change: tuple[int, ...] = ()) -> int:
        """The run's balance term, optionally after adding to its size and counts."""
        size = self.size[group] + size_change
        targets = self.problem.targets[group]
        total = 0
        for a, count in enumerate(self.counts[group]):
            total += abs(10 * (count + (count_change[a] if count_change else 0)) - targets[a] * size)
        return self.problem.instance.policy.weights.balance * total

    def takes_place(self, group: int) -> bool:
        return self.size[group] > 0 or self.problem.groups[group].occupied > 0

    def has_room(self, group: int) -> bool:
        run = self.problem.groups[group]
        return self.size[group] + run.occupied < run.capacity

    def can_lose_one(self, group: int) -> bool:
        """Whether a participant may leave without the run dropping below its minimum (or it was below already)."""
        run = self.problem.groups[group]
        after = self.size[group] - 1 + run.occupied
        if self.problem.forced_open[group]:
            return after >= run.min_size or after + 1 < run.min_size
        return after >= run.min_size


def _difference(first: tuple[int, ...], second: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(int(x) - int(y) for x, y in zip(first, second, strict=True))


def improve_balance(placement: Placement, rng: random.Random, until: float) -> None:
    """Best-improvement moves and swaps per client, in a seeded order, until none helps or time is up."""
    problem = placement.problem
    if not problem.instance.policy.balance:
        return
    improved = True
    while improved and time.monotonic() < until:
        improved = False
        order = [c for c in problem.free_clients if placement.assignment[c] >= 0]
        rng.shuffle(order)
        for step, client in enumerate(order):
            if step % CLOCK_EVERY == 0 and time.monotonic() >= until:
                return
            if placement.balance_cost(placement.assignment[client]) > 0:
                improved |= _best_step(placement, client)


def _best_step(placement: Placement, client: int) -> bool:
    problem = placement.problem
    source = placement.assignment[client]
    marks = problem.marks[client]
    no_change: tuple[int, ...] = (0,) * len(marks)
    source_cost = problem.arc_cost(client, source)
    source_balance = placement.balance_cost(source)
    may_leave = placement.can_lose_one(source)
    best_delta, best_partner, best_target = 0, -1, -1
    for target, cost in problem.arcs[client].items():
        if target == source or not placement.takes_place(target):
            continue
        target_balance = placement.balance_cost(target)
        if may_leave and placement.has_room(target):
            removed = _difference(no_change, marks)
            delta = (
                cost
                - source_cost
                + placement.balance_cost(source, -1, removed)
                - source_balance
                + placement.balance_cost(target, 1, marks)
                - target_balance
            )
            if delta < best_delta:
                best_delta, best_partner, best_target = delta, -1, target
        for partner in sorted(placement.members[target]):
            partner_marks = problem.marks[partner]
            partner_cost_here = problem.arcs[partner].get(source)
            if partner_marks == marks or partner in problem.pinned or partner_cost_here is None:
                continue
            exchange = _difference(partner_marks, marks)
            balance_delta = (
                placement.balance_cost(source, 0, exchange)
                - source_balance
                + placement.balance_cost(target, 0, tuple(-x for x in exchange))
                - target_balance
            )
            delta = cost + partner_cost_here - source_cost - problem.arc_cost(partner, target) + balance_delta
            if delta < best_delta:
                best_delta, best_partner, best_target = delta, partner, target
    if best_target < 0:
        return False
    if best_partner >= 0:
        placement.move(best_partner, source)
    placement.move(client, best_target)
    return True


def fill_free_places(placement: Placement) -> None:
    """Place unplaced clients in free places of runs that take place, where that beats leaving them waiting.

    After this no client is left out while a run they may join takes place with room at a lower cost than leaving
    them out, which is what the reason ``no_capacity`` promises.
    """
    problem = placement.problem
    for client in problem.free_clients:
        if placement.assignment[client] >= 0:
            continue
        options = [
            (problem.arc_cost(client, g), g)
            for g in problem.compatible[client]
            if placement.takes_place(g) and placement.has_room(g)
        ]
        if options:
            cost, group = min(options)
            if cost < problem.unplaced_cost[client]:
                placement.move(client, group)
