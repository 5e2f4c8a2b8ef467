"""The checker: is a solution valid under the hard rules of FORMAT.md, and what does it score.

One definition of the metrics and of the common objective, used by the command line (``score``), the benchmark,
the tests and the product's comparison with first-come-first-served. Definitions the format leaves open:

- a client's share for balance counts the *placeable* clients of the training: no contra-indication and at least
  one run the hard rules allow; ``round`` rounds halves up; a run's size counts the instance's clients only;
- "deadlines missed" counts placed clients who start after their deadline and unplaced clients with a deadline
  (they miss it too, and the objective charges both);
- a reason ``no_capacity`` is true when every allowed run is full, does not take place, or would cost more than
  leaving the client unplaced.
"""

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from koers.placement import rules
from koers.placement.model import Client, Group, Instance, Solution, UnplacedReason

HOURS_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Metrics:
    clients: int
    placed: int
    unplaced: int
    contraindicated: int
    mean_wait: float
    p95_wait: float
    deadlines_missed: int
    clients_with_needs: int  # placed clients with at least one need
    needs_met: int  # ... of whom the run meets every need
    with_location_preference: int  # placed clients with a preferred location
    location_hits: int
    runs_taking_place: int
    runs_below_min: int
    balance_cost: int
    objective: int


@dataclass
class Report:
    metrics: Metrics
    violations: list[str] = field(default_factory=list)
    reason_errors: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.violations and not self.reason_errors


def _round_half_up(value: float) -> int:
    return math.floor(value + 0.5)


def balance_targets(instance: Instance, allowed: Mapping[str, list[Group]]) -> dict[tuple[str, str], int]:
    """Per (training, attribute) the balanced value's share among the placeable clients, in whole tenths."""
    placeable: dict[str, list[Client]] = {}
    for client in instance.clients:
        if allowed[client.id]:
            placeable.setdefault(client.training, []).append(client)
    targets = {}
    for training, clients in placeable.items():
        for attribute, value in instance.policy.balance.items():
            share = sum(client.attributes.get(attribute) == value for client in clients) / len(clients)
            targets[training, attribute] = _round_half_up(10 * share)
    return targets


def run_balance_cost(
    instance: Instance, group: Group, members: list[Client], targets: Mapping[tuple[str, str], int]
) -> int:
    """The balance term of one run: 3 × |10·count(value) − round(10·share)·size| summed over the attributes."""
    total = 0
    for attribute, value in instance.policy.balance.items():
        count = sum(member.attributes.get(attribute) == value for member in members)
        target = targets.get((group.training, attribute), 0)
        total += abs(10 * count - target * len(members))
    return instance.policy.weights.balance * total


def taking_place(group: Group, size: int) -> bool:
    return size > 0 or group.occupied > 0


def objective(instance: Instance, assignments: Mapping[str, str]) -> int:
    """The common objective of FORMAT.md for these assignments (clients not assigned count as unplaced)."""
    return check(instance, Solution(instance.name, "", assignments=dict(assignments))).metrics.objective


def _p95(values: list[int]) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return float(ordered[max(math.ceil(0.95 * len(ordered)) - 1, 0)])


def check(instance: Instance, solution: Solution) -> Report:
    policy = instance.policy
    weights = policy.weights
    trainings = {training.id: training for training in instance.trainings}
    groups = {group.id: group for group in instance.groups}
    clients = {client.id: client for client in instance.clients}
    allowed = rules.compatible_groups(instance)
    violations: list[str] = []

    for client_id in sorted(solution.assignments.keys() & solution.unplaced.keys()):
        violations.append(f"{client_id}: both assigned and unplaced")
    for client_id in sorted((solution.assignments.keys() | solution.unplaced.keys()) - clients.keys()):
        violations.append(f"{client_id}: not a client of the instance")
    for client_id in sorted(clients.keys() - solution.assignments.keys() - solution.unplaced.keys()):
        violations.append(f"{client_id}: neither assigned nor unplaced")

    members: dict[str, list[Client]] = {}
    for client_id, group_id in sorted(solution.assignments.items()):
        client, group = clients.get(client_id), groups.get(group_id)
        if client is None:
            continue
        if group is None:
            violations.append(f"{client_id}: assigned to unknown run {group_id}")
            continue
        members.setdefault(group_id, []).append(client)
        if group.training != client.training:
            violations.append(f"{client_id}: run {group_id} is of training {group.training}, not {client.training}")
        if group.slot not in client.availability:
            violations.append(f"{client_id}: not available for the {group.slot} slot of run {group_id}")
        if not rules.starts_late_enough(client, group, policy):
            violations.append(f"{client_id}: run {group_id} starts less than {policy.lead_days} days after referral")
        if client.training in trainings and rules.contraindicated(client, trainings[client.training]):
            violations.append(f"{client_id}: contra-indicated for {client.training}")
    for client_id, group_id in sorted(instance.pinned.items()):
        if solution.assignments.get(client_id) != group_id:
            violations.append(f"{client_id}: pinned to run {group_id} but not placed there")

    hours_used: defaultdict[str, float] = defaultdict(float)
    running = [group for group in instance.groups if taking_place(group, len(members.get(group.id, [])))]
    for group in running:
        size = len(members.get(group.id, []))
        if size + group.occupied > group.capacity:
            violations.append(f"run {group.id}: {size + group.occupied} clients for {group.capacity} places")
        for trainer_id in group.trainers:
            hours_used[trainer_id] += group.trainer_hours
    for trainer in instance.trainers:
        if hours_used[trainer.id] > trainer.hours_available + HOURS_TOLERANCE:
            violations.append(
                f"trainer {trainer.id}: {hours_used[trainer.id]:g} hours for {trainer.hours_available:g} available"
            )

    reason_errors = _reason_errors(instance, solution, allowed, members, running)
    targets = balance_targets(instance, allowed)
    placed = [(clients[c], groups[g]) for c, g in solution.assignments.items() if c in clients and g in groups]
    waits = [rules.wait_days(client, group) for client, group in placed]
    late = sum(rules.is_late(client, group) for client, group in placed)
    with_needs = [(client, group) for client, group in placed if client.needs]
    needs_met = sum(not rules.unmet_needs(client, group, policy) for client, group in with_needs)
    with_preference = [(client, group) for client, group in placed if client.preferred_locations]
    hits = sum(not rules.location_miss(client, group) for client, group in with_preference)
    below_min = sum(1 for group in running if 0 < len(members.get(group.id, [])) + group.occupied < group.min_size)
    balance = sum(run_balance_cost(instance, group, members.get(group.id, []), targets) for group in running)
    not_assigned = [client for client in instance.clients if client.id not in solution.assignments]
    contraindicated = sum(rules.contraindicated(client, trainings[client.training]) for client in not_assigned)
    unplaced_with_deadline = sum(
        client.deadline is not None and not rules.contraindicated(client, trainings[client.training])
        for client in not_assigned
    )
    total = (
        sum(rules.assignment_cost(client, group, policy) for client, group in placed)
        + sum(rules.unplaced_cost(client, trainings[client.training], policy) for client in not_assigned)
        + balance
        + weights.below_min_group * below_min
    )
    metrics = Metrics(
        clients=len(clients),
        placed=len(placed),
        unplaced=len(not_assigned),
        contraindicated=contraindicated,
        mean_wait=sum(waits) / len(waits) if waits else 0.0,
        p95_wait=_p95(waits),
        deadlines_missed=late + unplaced_with_deadline,
        clients_with_needs=len(with_needs),
        needs_met=needs_met,
        with_location_preference=len(with_preference),
        location_hits=hits,
        runs_taking_place=len(running),
        runs_below_min=below_min,
        balance_cost=balance,
        objective=total,
    )
    return Report(metrics=metrics, violations=violations, reason_errors=reason_errors)


def _reason_errors(
    instance: Instance,
    solution: Solution,
    allowed: Mapping[str, list[Group]],
    members: Mapping[str, list[Client]],
    running: list[Group],
) -> list[str]:
    """Unplaced reasons that the instance and the solution contradict."""
    errors = []
    open_ids = {group.id for group in running}
    for client in instance.clients:
        reason = solution.unplaced.get(client.id)
        if reason is None:
            continue
        training = instance.training(client.training)
        if reason == UnplacedReason.CONTRAINDICATION:
            if not rules.contraindicated(client, training):
                errors.append(f"{client.id}: reason contraindication, but none is excluded by {client.training}")
        elif rules.contraindicated(client, training):
            errors.append(f"{client.id}: reason {reason}, but the client is contra-indicated")
        elif reason == UnplacedReason.NO_COMPATIBLE_GROUP:
            if allowed[client.id]:
                errors.append(f"{client.id}: reason no_compatible_group, but {len(allowed[client.id])} runs allow them")
        elif reason == UnplacedReason.NO_CAPACITY:
            leave = rules.unplaced_cost(client, training, instance.policy)
            for group in allowed[client.id]:
                free = group.capacity - group.occupied - len(members.get(group.id, []))
                worth_it = rules.assignment_cost(client, group, instance.policy) < leave
                if group.id in open_ids and free > 0 and worth_it:
                    errors.append(f"{client.id}: reason no_capacity, but run {group.id} takes place with a free place")
                    break
    return errors
