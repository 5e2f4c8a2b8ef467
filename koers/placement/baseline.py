"""First come, first served: how practitioners place clients in a spreadsheet today, as the yardstick to beat.

The planner goes down the waiting list in referral order and gives each client the earliest run with a free place
that meets the client's needs, or else the earliest run with a free place at all. A run opens with its first client
if its trainers still have the hours for it. Runs that end below their minimum size are cancelled at the planning
meeting ("gaat niet door") and the list is planned again without them, until every run that takes place has its
minimum; the clients of a cancelled run take a later run or stay on the waiting list. Placements a planner pinned and
runs with participants from outside the instance (``Group.occupied``) always take place and are never cancelled.

The result satisfies every hard rule of FORMAT.md, except that pinned placements are kept as the planner made them.
"""

import time
from collections.abc import Callable, Collection, Mapping

from koers.placement import check, rules
from koers.placement.model import Client, Group, Instance, Solution, UnplacedReason

HOURS_TOLERANCE = 1e-6


def first_come_first_served(instance: Instance) -> Solution:
    started = time.perf_counter()
    allowed = rules.compatible_groups(instance)
    cancelled: set[str] = set()
    rounds = 0
    while True:
        rounds += 1
        assignments = _fill(instance, allowed, cancelled)
        below_min = _cancellable_below_min(instance, assignments)
        if not below_min:
            break
        cancelled |= below_min
    unplaced = {
        client.id: _reason(instance, client, allowed[client.id])
        for client in instance.clients
        if client.id not in assignments
    }
    return Solution(
        instance=instance.name,
        solver="fcfs",
        assignments=assignments,
        unplaced=unplaced,
        runtime_s=time.perf_counter() - started,
        status="FEASIBLE",
        objective=check.objective(instance, assignments),
        extras={"rounds": rounds, "runs_cancelled": len(cancelled)},
    )


def _fill(instance: Instance, allowed: Mapping[str, list[Group]], cancelled: Collection[str]) -> dict[str, str]:
    """One pass down the waiting list, with the cancelled runs struck out."""
    hours_left = {trainer.id: trainer.hours_available for trainer in instance.trainers}
    size = {group.id: group.occupied for group in instance.groups}
    assignments = dict(instance.pinned)
    for group_id in assignments.values():
        size[group_id] += 1
    running: set[str] = set()
    for group in instance.groups:
        if size[group.id] > 0:
            running.add(group.id)
            for trainer_id in group.trainers:
                hours_left[trainer_id] = hours_left.get(trainer_id, 0.0) - group.trainer_hours

    def can_take(group: Group) -> bool:
        if group.id in cancelled or size[group.id] >= group.capacity:
            return False
        if group.id in running:
            return True
        return all(hours_left.get(tid, 0.0) + HOURS_TOLERANCE >= group.trainer_hours for tid in group.trainers)

    for client in sorted(instance.clients, key=lambda c: (c.referral_date, c.id)):
        if client.id in assignments:
            continue
        chosen = _earliest(client, allowed[client.id], can_take, instance)
        if chosen is None:
            continue
        if chosen.id not in running:
            running.add(chosen.id)
            for trainer_id in chosen.trainers:
                hours_left[trainer_id] -= chosen.trainer_hours
        size[chosen.id] += 1
        assignments[client.id] = chosen.id
    return dict(sorted(assignments.items()))


def _earliest(
    client: Client, allowed: list[Group], can_take: Callable[[Group], bool], instance: Instance
) -> Group | None:
    """The earliest run that can take the client and meets their needs, or else the earliest that can take them."""
    first_free = None
    for group in allowed:
        if not can_take(group):
            continue
        if not rules.unmet_needs(client, group, instance.policy):
            return group
        first_free = first_free or group
    return first_free


def _cancellable_below_min(instance: Instance, assignments: Mapping[str, str]) -> set[str]:
    size: dict[str, int] = {}
    for group_id in assignments.values():
        size[group_id] = size.get(group_id, 0) + 1
    fixed = set(instance.pinned.values())
    return {
        group.id
        for group in instance.groups
        if 0 < size.get(group.id, 0) < group.min_size and group.occupied == 0 and group.id not in fixed
    }


def _reason(instance: Instance, client: Client, allowed: list[Group]) -> UnplacedReason:
    if rules.contraindicated(client, instance.training(client.training)):
        return UnplacedReason.CONTRAINDICATION
    if not allowed:
        return UnplacedReason.NO_COMPATIBLE_GROUP
    return UnplacedReason.NO_CAPACITY
