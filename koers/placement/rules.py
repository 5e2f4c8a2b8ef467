"""The hard rules and the per-client costs of FORMAT.md, in one place for the solver, checker, baseline and reasons."""

from koers.placement.model import Client, Group, Instance, Policy, Training


def contraindicated(client: Client, training: Training) -> bool:
    return any(kind in training.excluded_contraindications for kind in client.contraindications)


def starts_late_enough(client: Client, group: Group, policy: Policy) -> bool:
    return (group.start_date - client.referral_date).days >= policy.lead_days


def compatible(client: Client, group: Group, training: Training, policy: Policy) -> bool:
    """Whether the hard rules allow the client in this run (capacity and trainer hours aside)."""
    return (
        group.training == client.training
        and group.slot in client.availability
        and starts_late_enough(client, group, policy)
        and not contraindicated(client, training)
    )


def wait_days(client: Client, group: Group) -> int:
    return (group.start_date - client.referral_date).days


def is_late(client: Client, group: Group) -> bool:
    return client.deadline is not None and group.start_date > client.deadline


def unmet_needs(client: Client, group: Group, policy: Policy) -> tuple[str, ...]:
    """The client's needs that none of the run's features meets (a need without a rule is never met)."""
    features = set(group.features)
    return tuple(need for need in client.needs if not features.intersection(policy.need_rules.get(need, ())))


def location_miss(client: Client, group: Group) -> bool:
    return bool(client.preferred_locations) and group.location not in client.preferred_locations


def assignment_cost(client: Client, group: Group, policy: Policy) -> int:
    """The client's share of the objective when placed in this run (balance and minimum size are per run)."""
    weights = policy.weights
    return (
        weights.wait_day * wait_days(client, group)
        + weights.deadline_miss * is_late(client, group)
        + weights.need_unmet * bool(unmet_needs(client, group, policy))
        + weights.location_miss * location_miss(client, group)
    )


def unplaced_cost(client: Client, training: Training, policy: Policy) -> int:
    """What leaving the client unplaced costs: nothing when a contra-indication rules the training out."""
    if contraindicated(client, training):
        return 0
    weights = policy.weights
    return weights.unplaced + (weights.deadline_miss if client.deadline is not None else 0)


def compatible_groups(instance: Instance) -> dict[str, list[Group]]:
    """Per client id the runs the hard rules allow, earliest first."""
    trainings = {training.id: training for training in instance.trainings}
    by_training: dict[str, list[Group]] = {}
    for group in sorted(instance.groups, key=lambda g: (g.start_date, g.id)):
        by_training.setdefault(group.training, []).append(group)
    return {
        client.id: [
            group
            for group in by_training.get(client.training, [])
            if compatible(client, group, trainings[client.training], instance.policy)
        ]
        for client in instance.clients
    }
