"""How well a waiting referral fits a group run: hard refusals and warnings a planner may accept.

Refusals: the run is full, cancelled or completed, or a cohort run whose first session has passed (a continuous
run takes newcomers at any later session). Warnings: the run's variant is not the one the client needs (and no
support note covers it), the client is not available on the run's day part, the run is in another municipality, or
it starts after the referral's deadline (a client without recorded availability gets no availability warning).
Pure Python, so the placement optimiser can use it as it is; the services turn the codes into readable messages.
"""

import datetime
from dataclasses import dataclass
from enum import StrEnum

WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
STANDARD = "standard"
CLOSED_RUN_STATUSES = frozenset({"cancelled", "completed"})


class FitRefusal(StrEnum):
    FULL = "full"
    CLOSED = "closed"
    ALREADY_STARTED = "already_started"
    NO_SESSIONS_LEFT = "no_sessions_left"


class FitWarning(StrEnum):
    VARIANT = "variant"
    AVAILABILITY = "availability"
    MUNICIPALITY = "municipality"
    DEADLINE = "deadline"


@dataclass(frozen=True)
class RunFacts:
    """What placement needs to know of a run, as plain values."""

    status: str
    variant: str
    is_continuous: bool
    first_session: datetime.date
    starts_at: datetime.time
    capacity: int
    participants: int
    municipality_id: int | None = None
    # For a continuous run: the next session on or after today (and its start time), None when none is left.
    next_session: datetime.date | None = None
    next_starts_at: datetime.time | None = None


@dataclass(frozen=True)
class ReferralFacts:
    needed_variant: str
    municipality_id: int
    availability: tuple[str, ...] = ()
    support_note: str = ""
    deadline: datetime.date | None = None


@dataclass(frozen=True)
class Fit:
    refusals: tuple[FitRefusal, ...] = ()
    warnings: tuple[FitWarning, ...] = ()
    joins_on: datetime.date | None = None  # the session the client would start at
    slot: str = ""  # the run's day part on that date, as an availability code such as "mon_morning"
    places_left: int = 0

    @property
    def possible(self) -> bool:
        return not self.refusals


def capacity(max_size: int, room_capacity: int | None, *, small_group: bool, small_group_max_size: int | None) -> int:
    """Places in a run: the programme's group size (the small-group size for a small-group run), at most the room."""
    size = small_group_max_size if small_group and small_group_max_size else max_size
    return min(size, room_capacity) if room_capacity is not None else size


def day_part(time: datetime.time) -> str:
    if time < datetime.time(12, 0):
        return "morning"
    if time < datetime.time(17, 0):
        return "afternoon"
    return "evening"


def slot(date: datetime.date, time: datetime.time) -> str:
    """The availability code of a session, e.g. ``mon_morning``."""
    return f"{WEEKDAY_CODES[date.weekday()]}_{day_part(time)}"


def joining_session(run: RunFacts, today: datetime.date) -> tuple[datetime.date | None, datetime.time]:
    """The first session a newcomer attends: the first one, or for a continuous run that started, the next one."""
    if run.is_continuous and run.first_session < today:
        return run.next_session, run.next_starts_at or run.starts_at
    return run.first_session, run.starts_at


def assess(referral: ReferralFacts, run: RunFacts, today: datetime.date) -> Fit:
    refusals: list[FitRefusal] = []
    warnings: list[FitWarning] = []
    places_left = max(run.capacity - run.participants, 0)
    if run.status in CLOSED_RUN_STATUSES:
        refusals.append(FitRefusal.CLOSED)
    if places_left == 0:
        refusals.append(FitRefusal.FULL)
    joins_on, starts_at = joining_session(run, today)
    if not run.is_continuous and run.first_session < today:
        refusals.append(FitRefusal.ALREADY_STARTED)
    elif joins_on is None:
        refusals.append(FitRefusal.NO_SESSIONS_LEFT)
    session_slot = slot(joins_on, starts_at) if joins_on is not None else ""
    needs_variant = referral.needed_variant != STANDARD
    if needs_variant and run.variant != referral.needed_variant and not referral.support_note.strip():
        warnings.append(FitWarning.VARIANT)
    if referral.availability and session_slot and session_slot not in referral.availability:
        warnings.append(FitWarning.AVAILABILITY)
    if run.municipality_id is not None and run.municipality_id != referral.municipality_id:
        warnings.append(FitWarning.MUNICIPALITY)
    if referral.deadline is not None and joins_on is not None and joins_on > referral.deadline:
        warnings.append(FitWarning.DEADLINE)
    return Fit(
        refusals=tuple(refusals),
        warnings=tuple(warnings),
        joins_on=joins_on,
        slot=session_slot,
        places_left=places_left,
    )
