"""The placement problem and its solution as plain values (``../shared/placement/FORMAT.md``, version 1).

Pure Python: the solver, the checker, the baseline, the command line and the benchmark use these classes, and the
Django adapter builds them from the database. Two product extensions are optional in the JSON and default to the
format's meaning: ``Group.occupied`` (places already taken by participants outside the instance) and
``Instance.pinned`` (client → run placements a planner fixed by hand).
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

INSTANCE_FORMAT = "placement-instance/1"
SOLUTION_FORMAT = "placement-solution/1"


class UnplacedReason(StrEnum):
    CONTRAINDICATION = "contraindication"
    NO_COMPATIBLE_GROUP = "no_compatible_group"
    NO_CAPACITY = "no_capacity"


@dataclass(frozen=True)
class Weights:
    """Costs in tenths of a day of waiting (FORMAT.md, "The objective")."""

    wait_day: int = 10
    deadline_miss: int = 600
    need_unmet: int = 2000
    location_miss: int = 70
    unplaced: int = 3650
    balance: int = 3
    below_min_group: int = 7300


@dataclass(frozen=True)
class Policy:
    lead_days: int = 2
    # need -> group features, any one of which meets it
    need_rules: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # attribute -> the value whose share is balanced across the runs of a training
    balance: Mapping[str, str] = field(default_factory=dict)
    weights: Weights = field(default_factory=Weights)
    trainer_budget_factor: float | None = None  # generator only


@dataclass(frozen=True)
class Training:
    id: str
    name: str
    sessions: int
    session_hours: float
    excluded_contraindications: tuple[str, ...] = ()


@dataclass(frozen=True)
class Trainer:
    id: str
    trainings: tuple[str, ...]
    hours_available: float


@dataclass(frozen=True)
class Group:
    """A candidate run; it takes place exactly when at least one client is assigned to it (or it is ``occupied``)."""

    id: str
    training: str
    start_date: datetime.date
    slot: str  # "day" | "evening" in the format; the product uses finer codes such as "mon_morning"
    location: str
    capacity: int
    min_size: int
    features: tuple[str, ...] = ()
    trainers: tuple[str, ...] = ()
    trainer_hours: float = 0.0
    occupied: int = 0


@dataclass(frozen=True)
class Client:
    """One referral: a person referred to two trainings appears as two clients."""

    id: str
    training: str
    referral_date: datetime.date
    deadline: datetime.date | None = None
    needs: tuple[str, ...] = ()
    availability: tuple[str, ...] = ()
    contraindications: tuple[str, ...] = ()
    preferred_locations: tuple[str, ...] = ()
    attributes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Instance:
    name: str
    planning_date: datetime.date
    horizon_end: datetime.date
    policy: Policy
    trainings: tuple[Training, ...]
    trainers: tuple[Trainer, ...]
    groups: tuple[Group, ...]
    clients: tuple[Client, ...]
    locations: tuple[str, ...] = ()
    scale: str = ""
    seed: int | None = None
    pinned: Mapping[str, str] = field(default_factory=dict)  # client id -> group id, fixed by a planner

    def training(self, training_id: str) -> Training:
        return self._trainings_by_id()[training_id]

    def _trainings_by_id(self) -> dict[str, Training]:
        return {training.id: training for training in self.trainings}


@dataclass
class Solution:
    """Every client of the instance exactly once: in ``assignments`` (client → group) or in ``unplaced`` (→ reason)."""

    instance: str
    solver: str
    assignments: dict[str, str] = field(default_factory=dict)
    unplaced: dict[str, UnplacedReason] = field(default_factory=dict)
    runtime_s: float = 0.0
    status: str = "FEASIBLE"  # "OPTIMAL" when the solver proved it, "FEASIBLE" otherwise
    objective: int | None = None
    bound: int | None = None
    extras: dict[str, object] = field(default_factory=dict)  # solver-specific figures, written to the JSON as is
