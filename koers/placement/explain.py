"""Why each client of a solution is placed where they are, or not at all: concrete statements a planner can check.

Every explanation is a code with parameters, each a fact about the instance and the solution (a run is full, a run
does not start, no run falls in the client's day parts...), never a guess at the solver's motives. The product turns
codes into text in the reader's language (``reasons.py``); the tests check every stated fact. Pure Python.
"""

import datetime
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from koers.placement import rules
from koers.placement.model import Client, Group, Instance, Solution


class Reason(StrEnum):
    # placed
    PINNED = "pinned"  # the planner fixed this placement
    EARLIEST = "earliest"  # no run that the client can join starts earlier
    EARLIER_FULL = "earlier_full"  # the earliest earlier run is full
    EARLIER_NEED_UNMET = "earlier_need_unmet"  # ... does not offer the needed variant, this one does
    EARLIER_LOCATION = "earlier_location"  # ... is outside the client's municipality, this one is not
    EARLIER_NOT_STARTING = "earlier_not_starting"  # ... does not start in this plan
    EARLIER_FOR_OTHERS = "earlier_for_others"  # ... has room, but the plan as a whole does better this way
    # not placed
    CONTRAINDICATION = "contraindication"
    NO_RUNS = "no_runs"  # the programme has no run to join
    NO_RUN_IN_AVAILABILITY = "no_run_in_availability"  # no run falls in the client's day parts
    NO_RUN_LATE_ENOUGH = "no_run_late_enough"  # every run starts before the lead time has passed
    ALL_FULL = "all_full"  # every run the client can join is full
    TRAINER_HOURS = "trainer_hours"  # runs with room do not start; the first one's trainer has too few hours left
    BELOW_MINIMUM = "below_minimum"  # ... the first one cannot reach its minimum size with the clients who fit it
    NOT_STARTING = "not_starting"  # ... the first one does not start in this plan
    NO_RUN_MEETING_NEED = "no_run_meeting_need"  # no starting run with room offers the needed variant (in time)
    AFTER_DEADLINE = "after_deadline"  # every starting run with room starts after the deadline
    WAIT_TOO_LONG = "wait_too_long"  # every starting run with room costs more than waiting for a new one
    FOR_OTHERS = "for_others"  # there is room, but the plan as a whole does better without this client


class PlacementWarning(StrEnum):
    NEED_UNMET = "need_unmet"
    LATE = "late"
    LOCATION = "location"


@dataclass(frozen=True)
class Explanation:
    code: Reason
    params: Mapping[str, object] = field(default_factory=dict)  # JSON values: str, int, list of str
    warnings: tuple[PlacementWarning, ...] = ()
    group: str | None = None  # the run the client is placed in


@dataclass
class _Plan:
    """The solution's occupancy of each run, and what each trainer has left."""

    instance: Instance
    solution: Solution
    size: Counter[str]
    hours_left: dict[str, float]

    @classmethod
    def of(cls, instance: Instance, solution: Solution) -> "_Plan":
        size = Counter(solution.assignments.values())
        hours_left = {trainer.id: trainer.hours_available for trainer in instance.trainers}
        for group in instance.groups:
            if size[group.id] > 0 or group.occupied > 0:
                for trainer_id in group.trainers:
                    hours_left[trainer_id] = hours_left.get(trainer_id, 0.0) - group.trainer_hours
        return cls(instance, solution, size, hours_left)

    def full(self, group: Group) -> bool:
        return group.occupied + self.size[group.id] >= group.capacity

    def starts(self, group: Group) -> bool:
        return group.occupied + self.size[group.id] > 0

    def short_of_hours(self, group: Group) -> bool:
        return any(self.hours_left.get(t, 0.0) < group.trainer_hours for t in group.trainers)


def _run(group: Group) -> dict[str, object]:
    return {"group": group.id, "start": group.start_date.isoformat()}


def _warnings(client: Client, group: Group, instance: Instance) -> tuple[PlacementWarning, ...]:
    found = []
    if rules.unmet_needs(client, group, instance.policy):
        found.append(PlacementWarning.NEED_UNMET)
    if rules.is_late(client, group):
        found.append(PlacementWarning.LATE)
    if rules.location_miss(client, group):
        found.append(PlacementWarning.LOCATION)
    return tuple(found)


def _placed(client: Client, group: Group, allowed: list[Group], plan: _Plan) -> Explanation:
    instance = plan.instance
    warnings = _warnings(client, group, instance)
    if instance.pinned.get(client.id) == group.id:
        return Explanation(Reason.PINNED, {}, warnings, group.id)
    earlier = [g for g in allowed if g.start_date < group.start_date]
    if not earlier:
        return Explanation(Reason.EARLIEST, {}, warnings, group.id)
    first = earlier[0]
    policy = instance.policy
    if plan.full(first):
        code = Reason.EARLIER_FULL
    elif rules.unmet_needs(client, first, policy) and not rules.unmet_needs(client, group, policy):
        code = Reason.EARLIER_NEED_UNMET
    elif rules.location_miss(client, first) and not rules.location_miss(client, group):
        code = Reason.EARLIER_LOCATION
    elif not plan.starts(first):
        code = Reason.EARLIER_NOT_STARTING
    else:
        code = Reason.EARLIER_FOR_OTHERS
    return Explanation(code, _run(first), warnings, group.id)


def _unplaced(client: Client, allowed: list[Group], plan: _Plan, waiting_fits: Counter[str]) -> Explanation:
    instance = plan.instance
    training = instance.training(client.training)
    if rules.contraindicated(client, training):
        return Explanation(Reason.CONTRAINDICATION)
    own = sorted((g for g in instance.groups if g.training == client.training), key=lambda g: (g.start_date, g.id))
    if not own:
        return Explanation(Reason.NO_RUNS)
    in_availability = [g for g in own if g.slot in client.availability]
    if not in_availability:
        return Explanation(Reason.NO_RUN_IN_AVAILABILITY, {"slots": sorted({g.slot for g in own})})
    if not allowed:
        return Explanation(Reason.NO_RUN_LATE_ENOUGH, {"lead_days": instance.policy.lead_days})
    with_room = [g for g in allowed if not plan.full(g)]
    if not with_room:
        return Explanation(Reason.ALL_FULL, {"runs": len(allowed)})
    starting = [g for g in with_room if plan.starts(g)]
    if not starting:
        first = with_room[0]
        if plan.short_of_hours(first):
            return Explanation(Reason.TRAINER_HOURS, _run(first))
        if waiting_fits[first.id] < first.min_size:
            return Explanation(Reason.BELOW_MINIMUM, {**_run(first), "min_size": first.min_size})
        return Explanation(Reason.NOT_STARTING, _run(first))
    policy = instance.policy
    deadline = client.deadline.isoformat() if client.deadline else None
    if client.needs and all(rules.unmet_needs(client, g, policy) or rules.is_late(client, g) for g in starting):
        return Explanation(Reason.NO_RUN_MEETING_NEED, {"needs": list(client.needs), "deadline": deadline})
    if client.deadline is not None and all(rules.is_late(client, g) for g in starting):
        return Explanation(Reason.AFTER_DEADLINE, {"deadline": deadline})
    leave = rules.unplaced_cost(client, training, policy)
    if all(rules.assignment_cost(client, g, policy) >= leave for g in starting):
        return Explanation(Reason.WAIT_TOO_LONG, _run(starting[0]))
    return Explanation(Reason.FOR_OTHERS, _run(starting[0]))


def explain(instance: Instance, solution: Solution) -> dict[str, Explanation]:
    """An explanation for every client of the instance."""
    plan = _Plan.of(instance, solution)
    allowed = rules.compatible_groups(instance)
    groups = {group.id: group for group in instance.groups}
    waiting_fits: Counter[str] = Counter(
        group.id for client in instance.clients if client.id not in solution.assignments for group in allowed[client.id]
    )
    explanations = {}
    for client in instance.clients:
        group_id = solution.assignments.get(client.id)
        if group_id is not None and group_id in groups:
            explanations[client.id] = _placed(client, groups[group_id], allowed[client.id], plan)
        else:
            explanations[client.id] = _unplaced(client, allowed[client.id], plan, waiting_fits)
    return explanations


def start_date(params: Mapping[str, object]) -> datetime.date | None:
    """The run start an explanation names, as a date."""
    value = params.get("start")
    return datetime.date.fromisoformat(value) if isinstance(value, str) else None
