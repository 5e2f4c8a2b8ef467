"""The in-memory plan of the demo organisation: what ``services`` and ``groupwork`` build before anything is written.

Items refer to each other by their index in the lists they belong to (staff, clients, trajectories), so a plan is
complete before the database hands out keys.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone


@dataclass
class StaffPlan:
    username: str
    first_name: str
    last_name: str
    roles: list[str]
    teams: list[int]
    is_demo: bool = False
    trainer_hours: Decimal | None = None
    switching_minutes: int = 0
    competences: list[str] = field(default_factory=list)


@dataclass
class ClientPlan:
    municipality: int
    consultant: int
    bsn: str
    first_name: str
    last_name: str
    date_of_birth: date
    email: str
    phone: str
    street: str
    postal_code: str
    city: str
    flags: list[tuple[str, str, datetime]]
    language_level: str = ""
    availability: list[str] = field(default_factory=list)


@dataclass
class Intents:
    """Which caseload signals an open trajectory is built to show today."""

    review: bool = False
    over_duration: bool = False
    urgent: bool = False
    no_action: bool = False
    report: bool = False


@dataclass
class InstrumentPlan:
    type: int  # index in the catalogue
    goal: int  # index in the trajectory's goals
    purpose: str
    expected_result: str
    started_on: date | None
    planned_weeks: int
    review_on: date
    status: str
    ended_on: date | None = None
    outcome: str = ""
    stop_reason: str = ""
    referral: int | None = None  # the group referral made from this instrument (index in the referral plans)


@dataclass
class ReportPlan:
    written_on: date
    period_start: date
    summary: str
    assessment: int | None  # index of the assessment of its time
    profile: int | None
    facets: list[tuple[str, str]]  # (what changed, what is next) per IGM factor


@dataclass
class TrajectoryPlan:
    client: int
    consultant: int
    started_on: date
    ended_on: date | None
    outflow_reason: str
    future_perspective: str
    strengths: str
    plan_agreed_on: date | None
    plan_agreement: str
    assessments: list[tuple[date, list[int]]] = field(default_factory=list)  # scores in DOMAINS order
    profiles: list[tuple[date, str, list[int]]] = field(default_factory=list)  # scores in FACTORS order
    goals: list[tuple[str, date | None, str, int | None]] = field(default_factory=list)  # text, target, status, parent
    instruments: list[InstrumentPlan] = field(default_factory=list)
    reports: list[ReportPlan] = field(default_factory=list)
    no_action: bool = False  # built to show "urgent barrier without action": nothing may be planned in it


def aware(day: date, hour: int, minute: int) -> datetime:
    """A moment in the site's time zone (``timezone.make_aware`` looks the zone up on every call)."""
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_default_timezone())
