"""The trainer time model (DOMAIN.md §4): the hours a session costs a trainer, not just the hours in the room.

The seed table gives the work around one training day of 8 hours (12 hours in all). For a shorter session the
preparation, materials, arrangements and reporting shrink in proportion to the training time, while arriving early,
setting up and clearing up take the same time however short the session is. Pure Python: no Django import.
"""

from dataclasses import dataclass
from decimal import Decimal

DAY_HOURS = Decimal("8")
QUARTER = Decimal("0.01")


@dataclass(frozen=True)
class TimeModel:
    """Hours of work around one training day of ``DAY_HOURS``."""

    prep: Decimal = Decimal("1.50")
    materials: Decimal = Decimal("0.50")
    arrangements: Decimal = Decimal("0.50")
    setup: Decimal = Decimal("0.75")
    clearing: Decimal = Decimal("0.25")
    report: Decimal = Decimal("0.50")

    def proportional(self) -> Decimal:
        return self.prep + self.materials + self.arrangements + self.report

    def fixed(self) -> Decimal:
        return self.setup + self.clearing


def session_hours(model: TimeModel, session_minutes: int, switching_minutes: int = 0) -> Decimal:
    """Trainer hours for one session: training + scaled preparation and reporting + fixed set-up, + switching."""
    training = Decimal(session_minutes) / 60
    scaled = model.proportional() * min(training / DAY_HOURS, Decimal(1)) if training else Decimal(0)
    total = training + scaled + model.fixed() + Decimal(switching_minutes) / 60
    return total.quantize(QUARTER)
