"""The demo's group work (DOMAIN.md §4): the catalogue, runs with their sessions, and the process around them —
referrals with their history, placement, invitations, attendance, session logs, hand-off signals and evaluation.

Planned in memory from one ``random.Random`` (dates relative to today), then written in bulk like the rest of the
demo. What holds by construction, and what the tests check: no room or trainer is booked twice, a trainer's hours
stay within their weekly hours under the programme's time model, no client is placed against a contra-indication
of the programme, a run's participants meet only that run's trainers, and a referral's dates follow its status
steps, each with an event.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import random
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Generic, TypeVar

from django.db.models import Q

from koers.accounts.models import Municipality, Organisation, User
from koers.accounts.roles import Role
from koers.clients.models import Client, FlagKind
from koers.demo.bulk import delete_rows, insert_rows
from koers.demo.data import (
    ADDED_VALUE_BY_FACTOR,
    ADDED_VALUE_REASONS,
    ATTENDANCE_SHARES,
    CANCELLED_RUN_NOTE,
    CANCELLED_SESSION_SHARE,
    CANCELLED_SHARE,
    COMPLETED_NOTE,
    CONSULTANT_QUESTIONNAIRE,
    CONSULTANT_RESPONSE_SHARE,
    CONTRA_INDICATION_DECLINE,
    DAYPARTS,
    DECLINE_REASONS,
    DEMO_BY_ROLE,
    DROP_OUT_NO_SHOW,
    DROP_OUT_REASONS,
    DROP_OUT_SHARE,
    EVALUATION_DAYS,
    GROUP_OUTCOMES,
    GROUP_PHASES,
    GROUP_PROGRAMME_PURPOSES,
    GROUP_PROGRAMME_RESULTS,
    GROUP_PROGRAMME_WEEKS,
    GROUP_STOP_REASONS,
    HAND_OFF_ADVICE,
    HAND_OFF_DROP_OUT_ADVICE,
    HAND_OFF_DROP_OUT_SHARE,
    HAND_OFF_OBSERVATIONS,
    LOG_EXTRAS,
    MUNICIPALITIES,
    NEED_VARIANTS,
    NO_SHOW_DROP_OUT_SHARE,
    NORMS_AND_ROLES,
    OPEN_ANSWERS,
    PARTICIPANT_INTRODUCTION,
    PARTICIPANT_QUESTIONS,
    PARTICIPANT_RESPONSE_SHARE,
    PLACED_NOTE,
    PROGRAMMES,
    PROTOCOL_DEVIATION_SHARE,
    PROTOCOL_DEVIATIONS,
    ROOMS_PER_LOCATION,
    RUN_AHEAD_DAYS,
    SCREENED_NOTE,
    SCREENED_SUPPORT_NOTE,
    SCREENED_VARIANT_NOTE,
    SESSION_LOG_SHARE,
    STARTED_NOTE,
    SUPPORT_NOTES,
    TRAINER_QUESTIONNAIRE,
    TRAINER_RESPONSE_SHARE,
    VARIANT_LABELS,
    WEEKDAY_CODES,
    WITHDRAW_REASONS,
    ProgrammeSpec,
    QuestionnaireSpec,
    RoomSpec,
    SizeSpec,
)
from koers.demo.plans import ClientPlan, InstrumentPlan, StaffPlan, TrajectoryPlan, aware
from koers.groupwork.models import (
    Answer,
    Attendance,
    AttendanceStatus,
    EvaluationInvite,
    EvaluationResponse,
    GroupRun,
    HandOff,
    HandOffObservation,
    Invitation,
    InvitationChannel,
    InvitationKind,
    Participation,
    Perspective,
    Programme,
    ProgrammeSession,
    Question,
    Questionnaire,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Room,
    RunStatus,
    Session,
    TrainerProfile,
    Variant,
)
from koers.groupwork.scheduling import IsoWeek, end_time, holidays_from, iso_week, session_dates
from koers.groupwork.timemodel import TimeModel, session_hours
from koers.trajectories.models import GoalStatus, IgmFactor, InstrumentStatus, InstrumentType

S = ReferralStatus
RunTrainer = GroupRun.trainers.through
DAYPART_STARTS = {"morning": time(9, 30), "afternoon": time(13, 30), "evening": time(19, 0)}
FACTORS = list(IgmFactor.values)
NEEDS = (FlagKind.LOW_LANGUAGE, FlagKind.COGNITIVE_LIMITATION, FlagKind.PSYCHOLOGICAL_CONDITION)
# Days a voluntary referral waits between screening and placement: most weeks, some months.
WAIT_BANDS = ((3, 14, 0.30), (15, 60, 0.40), (61, 150, 0.25), (151, 240, 0.05))
# Scores of evaluation answers (1 to 5) for a run that went so-so, well, very well.
SCORE_WEIGHTS = ((1, 3, 8, 12, 6), (1, 2, 5, 12, 10), (0, 1, 3, 10, 16))
MAX_GROUP_REFERRALS = 3  # group referrals per client in the demo, the mandatory workshop included
MIN_WAITING = 6  # waiting referrals per programme, also at the smallest size
RECENT_DAYS = 14  # absences and hand-offs younger than this are often not yet acknowledged
AFTER_RUN_DAYS = 21  # a trajectory that has ended ran on past its runs' hand-offs and evaluations
WAITING_LIST_BASIS_DAYS = 270  # the runs started since then (and the coming ones) set the waiting lists' length


# --- In-memory plan -------------------------------------------------------------------------------------------


@dataclass
class SessionPlan:
    date: date
    cancelled: bool = False
    recorded_by: int | None = None  # staff index; attendance is recorded for the whole group at once
    recorded_at: datetime | None = None
    log: tuple[str, str, str, str] | None = None  # what was done, group phase, norms and roles, deviation
    logged_at: datetime | None = None


@dataclass
class HandOffPlan:
    advice: str
    written_by: int
    written_at: datetime
    observations: list[tuple[str, str]]
    acknowledged_by: int | None = None
    acknowledged_at: datetime | None = None


@dataclass
class ParticipationPlan:
    client: int
    referral: int
    joined_on: date
    left_on: date | None = None
    # (session index, status, acknowledged by, acknowledged at)
    attendance: list[tuple[int, str, int | None, datetime | None]] = field(default_factory=list)
    invitations: list[tuple[str, str, datetime, int | None]] = field(default_factory=list)  # kind, channel, at, by
    hand_off: HandOffPlan | None = None


@dataclass
class InvitePlan:
    perspective: str
    expires_at: datetime
    created_at: datetime
    participation: int | None = None  # index in the run's participations
    respondent: int | None = None  # staff index
    used_at: datetime | None = None
    token_hash: str | None = None


@dataclass
class ResponsePlan:
    perspective: str
    submitted_at: datetime
    answers: list[tuple[int, int | None, str]]  # (question position, score, text)


@dataclass
class RunPlan:
    programme: int
    municipality: int
    start_date: date
    size: int
    trainer_count: int
    variant: str = Variant.STANDARD
    status: str = RunStatus.PLANNED
    daypart: str = "morning"
    room: int | None = None
    trainers: list[int] = field(default_factory=list)
    created_by: int | None = None
    dates: list[date] = field(default_factory=list)
    sessions: list[SessionPlan] = field(default_factory=list)
    participations: list[ParticipationPlan] = field(default_factory=list)
    invites: list[InvitePlan] = field(default_factory=list)
    responses: list[ResponsePlan] = field(default_factory=list)
    anchor: str = ""  # the demo trainer's fixed runs: "completed", "handoff", "today", "week", "soon", "later"

    @property
    def for_demo_trainer(self) -> bool:
        return bool(self.anchor)

    @property
    def spec(self) -> ProgrammeSpec:
        return PROGRAMMES[self.programme]


@dataclass
class ReferralPlan:
    client: int
    programme: int
    consultant: int
    trajectory: int  # index in the dossiers
    goal: int  # index in the trajectory's goals
    added_value: str
    needed_variant: str
    support_note: str
    referred_on: date
    status: str = S.SCREENING
    status_reason: str = ""
    deadline: date | None = None
    screened_on: date | None = None
    placed_on: date | None = None
    started_on: date | None = None
    ended_on: date | None = None
    run: int | None = None
    events: list[tuple[str, datetime, int | None, str]] = field(default_factory=list)  # status, at, by, note


@dataclass
class GroupWorkPlan:
    runs: list[RunPlan]
    referrals: list[ReferralPlan]


@dataclass(frozen=True)
class Screening:
    """The outcome of screening one client for one programme: the variant needed and the needs left unmet."""

    variant: str
    unmet: tuple[str, ...]


BLOCKED = Screening("", ())  # a contra-indication of the programme
NOT_TARGET = Screening("", ("target",))  # outside the programme's target group


def time_model(spec: ProgrammeSpec) -> TimeModel:
    prep, materials, arrangements, setup, clearing, report = (Decimal(value) for value in spec.time_model)
    return TimeModel(prep, materials, arrangements, setup, clearing, report)


def room_specs(spec: SizeSpec) -> list[tuple[int, RoomSpec]]:
    """(location index, room) for the rooms this size uses; the location of municipality i is i."""
    return [
        (location, room)
        for location in range(len(MUNICIPALITIES))
        for room in ROOMS_PER_LOCATION[location][: spec.rooms_per_location]
    ]


T = TypeVar("T")


class Weights(Generic[T]):
    """A weighted choice that costs one random number (``random.choices`` rebuilds its table on every call)."""

    def __init__(self, options: Sequence[tuple[T, float]]) -> None:
        self.values = [value for value, _ in options]
        self.cumulative = list(itertools.accumulate(weight for _, weight in options))

    def draw(self, rng: random.Random) -> T:
        index = bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])
        return self.values[min(index, len(self.values) - 1)]


ATTENDANCE = Weights(ATTENDANCE_SHARES)
WAITS = Weights([((low, high), share) for low, high, share in WAIT_BANDS])
SCORES = [Weights(list(zip((1, 2, 3, 4, 5), weights, strict=True))) for weights in SCORE_WEIGHTS]
MUNICIPALITY = Weights([(index, m.share) for index, m in enumerate(MUNICIPALITIES)])
# Hand-off observations that go well, are mixed or are a concern, for completers and for drop-outs.
TIERS = Weights([(0, 0.45), (1, 0.40), (2, 0.15)])
DROP_OUT_TIERS = Weights([(0, 0.10), (1, 0.40), (2, 0.50)])


def _weighted(rng: random.Random, options: Sequence[tuple[str, float]]) -> str:
    return rng.choices([o[0] for o in options], weights=[o[1] for o in options])[0]


def _weekday(day: date) -> date:
    """The day itself, or the Monday after when it falls in a weekend."""
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def _moment(day: date, hour: int, minute: int, now: datetime) -> datetime:
    """A moment on ``day`` that is not in the future."""
    return min(aware(day, hour, minute), now)


def _after(moment: datetime, rng: random.Random, low_minutes: int, high_minutes: int, now: datetime) -> datetime:
    return min(moment + timedelta(minutes=rng.randint(low_minutes, high_minutes)), now)


# --- Runs: dates, rooms and trainers ---------------------------------------------------------------------------


class Calendar:
    """Which rooms and trainers are taken on which day part, and the trainer hours per ISO week (time model)."""

    def __init__(self, staff: list[StaffPlan]) -> None:
        self.staff = staff
        self.rooms: set[tuple[int, date, str]] = set()
        self.trainers: set[tuple[int, date, str]] = set()
        self.hours: dict[tuple[int, IsoWeek], Decimal] = defaultdict(Decimal)
        self.load: dict[int, int] = defaultdict(int)
        self._cost: dict[tuple[int, int], Decimal] = {}

    def cost(self, trainer: int, programme: int) -> Decimal:
        """A trainer's hours for one session of the programme: the time model plus their switching time."""
        key = (trainer, programme)
        if key not in self._cost:
            spec = PROGRAMMES[programme]
            switching = self.staff[trainer].switching_minutes
            self._cost[key] = session_hours(time_model(spec), spec.session_minutes, switching)
        return self._cost[key]

    def room_free(self, room: int, days: list[date], part: str) -> bool:
        return not any((room, day, part) in self.rooms for day in days)

    def trainer_fits(self, trainer: int, programme: int, days: list[date], part: str) -> bool:
        capacity = self.staff[trainer].trainer_hours or Decimal(0)
        cost = self.cost(trainer, programme)
        return all(
            (trainer, day, part) not in self.trainers and self.hours[(trainer, iso_week(day))] + cost <= capacity
            for day in days
        )

    def book(self, plan: RunPlan) -> None:
        assert plan.room is not None
        for day in plan.dates:
            self.rooms.add((plan.room, day, plan.daypart))
            for trainer in plan.trainers:
                self.trainers.add((trainer, day, plan.daypart))
                self.hours[(trainer, iso_week(day))] += self.cost(trainer, plan.programme)
        for trainer in plan.trainers:
            self.load[trainer] += len(plan.dates)


def plan_runs(
    spec: SizeSpec, client_count: int, staff: list[StaffPlan], rng: random.Random, today: date
) -> list[RunPlan]:
    """Past, current and upcoming runs with their session dates, a room and trainers, booked without conflicts."""
    run_count = max(len(PROGRAMMES) * 2, round(spec.runs * client_count / spec.clients))
    slug_index = {p.slug: i for i, p in enumerate(PROGRAMMES)}
    first_year = min(today.year - 1, (today - timedelta(days=spec.history_days)).year)
    holidays = holidays_from(date(first_year, 1, 1), years=today.year + 2 - first_year)
    planners = [i for i, s in enumerate(staff) if Role.PLANNER in s.roles]

    def new_run(programme: int, municipality: int, start: date, variant: str = "", anchor: str = "") -> RunPlan:
        programme_spec = PROGRAMMES[programme]
        chosen = variant or _weighted(rng, programme_spec.variants)
        return RunPlan(
            programme=programme,
            municipality=municipality,
            start_date=_weekday(start),
            size=_run_size(programme_spec, chosen, rng),
            trainer_count=rng.randint(*programme_spec.trainers),
            variant=chosen,
            anchor=anchor,
            created_by=planners[0] if rng.random() < 0.4 else rng.choice(planners),
        )

    anchors = _anchor_runs(today, holidays, slug_index, new_run)
    municipality_weights = [m.share for m in MUNICIPALITIES]

    def municipality() -> int:
        return rng.choices(range(len(MUNICIPALITIES)), weights=municipality_weights)[0]

    # Every programme gets a completed, a running (when it spans several weeks) and an upcoming run.
    last_weekday = today - timedelta(days=max(0, today.weekday() - 4))
    others = []
    for index, programme in enumerate(PROGRAMMES):
        weeks = programme.session_count - 1
        others.append(new_run(index, municipality(), today - timedelta(days=rng.randint(weeks * 7 + 14, 200))))
        if weeks:
            others.append(new_run(index, municipality(), last_weekday - timedelta(weeks=rng.randint(0, weeks - 1))))
        others.append(new_run(index, municipality(), today + timedelta(days=rng.randint(3, 60))))
    programme_weights = [p.run_weight for p in PROGRAMMES]
    for _ in range(max(0, run_count - len(anchors) - len(others))):
        chosen = rng.choices(range(len(PROGRAMMES)), weights=programme_weights)[0]
        where = municipality()
        others.append(new_run(chosen, where, today + timedelta(days=rng.randint(-spec.history_days, RUN_AHEAD_DAYS))))
    others.sort(key=lambda plan: (plan.start_date, plan.programme, plan.municipality))
    runs = anchors + others

    rooms = room_specs(spec)
    trainers = [i for i, s in enumerate(staff) if Role.TRAINER in s.roles]
    demo_trainer = next(i for i, s in enumerate(staff) if s.username == DEMO_BY_ROLE[Role.TRAINER].username)
    calendar = Calendar(staff)
    for plan in runs:
        # The demo trainer's runs start on a fixed day (a session this week, a hand-off just written), or nearly so.
        shifts = 1 if plan.anchor in ("today", "week", "handoff", "completed") else 5 if plan.anchor else 30
        _place(plan, rooms, trainers, calendar, rng, demo_trainer if plan.anchor else None, holidays, shifts)
        plan.status = _status(plan, today, rng)
        plan.sessions = [SessionPlan(day, cancelled=plan.status == RunStatus.CANCELLED) for day in plan.dates]
    return runs


def _run_size(spec: ProgrammeSpec, variant: str, rng: random.Random) -> int:
    if variant == Variant.SMALL_GROUP and spec.small_group_max_size:
        return rng.randint(max(3, spec.small_group_max_size - 3), spec.small_group_max_size)
    return rng.randint(spec.min_size, spec.max_size)


def _anchor_runs(
    today: date,
    holidays: set[date],
    slug_index: dict[str, int],
    new_run: Callable[..., RunPlan],
) -> list[RunPlan]:
    """The demo trainer's runs in the first municipality: two with a session this week (one today when today is a
    working day), two upcoming, one completed with the hand-off just written and one completed two months ago."""
    monday = today - timedelta(days=today.weekday())
    week = [monday + timedelta(days=k) for k in range(5) if monday + timedelta(days=k) not in holidays]
    today_session = today if today in week else max((d for d in week if d <= today), default=week[0])
    others = [day for day in week if day != today_session]
    before = [day for day in others if day < today]
    second = max(before) if before else min(others, default=today_session)
    empowerment, applying = slug_index["empowermenttraining"], slug_index["sollicitatietraining"]
    # The run whose hand-off was just written ended one to three weeks ago, also when holidays stretched it.
    ended = today - timedelta(days=52)
    while session_dates(_weekday(ended), PROGRAMMES[applying].session_count, skip=holidays)[-1] > today - timedelta(7):
        ended -= timedelta(weeks=1)
    return [
        new_run(empowerment, 0, today_session - timedelta(weeks=3), Variant.STANDARD, "today"),
        new_run(applying, 0, second - timedelta(weeks=2), Variant.BLENDED, "week"),
        new_run(slug_index["rechten-en-plichten"], 0, today + timedelta(days=3), Variant.STANDARD, "soon"),
        new_run(empowerment, 0, today + timedelta(days=15), Variant.LANGUAGE_SUPPORT, "later"),
        new_run(applying, 0, ended, Variant.STANDARD, "handoff"),
        new_run(empowerment, 0, today - timedelta(weeks=13), Variant.SMALL_GROUP, "completed"),
    ]


def _status(plan: RunPlan, today: date, rng: random.Random) -> str:
    if plan.start_date > today:
        return RunStatus.PLANNED
    if plan.dates[-1] >= today:
        return RunStatus.RUNNING
    if not plan.for_demo_trainer and rng.random() < CANCELLED_SHARE:
        return RunStatus.CANCELLED
    return RunStatus.COMPLETED


def _place(
    plan: RunPlan,
    rooms: list[tuple[int, RoomSpec]],
    trainers: list[int],
    calendar: Calendar,
    rng: random.Random,
    required_trainer: int | None,
    holidays: set[date],
    shifts: int,
) -> None:
    """Find a day part, room and trainers free on every session date (public holidays skipped) and within the
    trainers' weekly hours; move the start a day on if needed, up to ``shifts`` days."""
    spec = plan.spec
    competent = [t for t in trainers if spec.slug in calendar.staff[t].competences]
    parts = ("evening",) if spec.is_evening else DAYPARTS
    for shift in range(shifts):
        days = session_dates(_weekday(plan.start_date + timedelta(days=shift)), spec.session_count, skip=holidays)
        start = days[0]
        for part in rng.sample(parts, len(parts)):
            room = _pick_room(plan, rooms, days, part, calendar, rng)
            if room is None:
                continue
            free = [t for t in competent if calendar.trainer_fits(t, plan.programme, days, part)]
            if required_trainer is not None:
                if required_trainer not in free:
                    continue
                free.remove(required_trainer)
            # Least loaded relative to their hours first; the random key breaks ties reproducibly.
            free.sort(key=lambda t: (calendar.load[t] / float(calendar.staff[t].trainer_hours or 1), rng.random()))
            chosen = ([required_trainer] if required_trainer is not None else []) + free
            if not chosen:
                continue
            plan.start_date, plan.daypart, plan.room, plan.dates = start, part, room, days
            plan.trainers = chosen[: plan.trainer_count]
            calendar.book(plan)
            return
    raise RuntimeError(f"No room or trainer free for {spec.slug} around {plan.start_date}.")


def _pick_room(
    plan: RunPlan,
    rooms: list[tuple[int, RoomSpec]],
    days: list[date],
    part: str,
    calendar: Calendar,
    rng: random.Random,
) -> int | None:
    """A free room that fits the group, preferably in the municipality and with daylight and free access."""
    fitting = [i for i, (_, room) in enumerate(rooms) if room.capacity >= plan.size]
    for local in (True, False):
        options = [
            i for i in fitting if (rooms[i][0] == plan.municipality) == local and calendar.room_free(i, days, part)
        ]
        if options:
            weights = [1 + 2 * rooms[i][1].has_daylight + 2 * rooms[i][1].accessible_without_escort for i in options]
            return rng.choices(options, weights=weights)[0]
    return None


# --- Screening and referrals -------------------------------------------------------------------------------------


def screen(kinds: frozenset[str], spec: ProgrammeSpec) -> Screening:
    """Contra-indications block; each need is met by an offered variant or is left for a note on extra support."""
    if kinds & set(spec.contra_indications):
        return BLOCKED
    if spec.requires_need and spec.requires_need not in kinds:
        return NOT_TARGET
    variant: str = Variant.STANDARD
    unmet = []
    for need in NEEDS:
        if need not in kinds:
            continue
        fitting = [v for v in NEED_VARIANTS[need] if v in spec.offers]
        if variant == Variant.STANDARD and fitting:
            variant = fitting[0]
        elif variant not in NEED_VARIANTS[need]:
            unmet.append(need)
    return Screening(variant, tuple(unmet))


class _Planner:
    """Builds the referrals and the group process around the planned runs; one instance per seed."""

    def __init__(
        self,
        runs: list[RunPlan],
        staff: list[StaffPlan],
        clients: list[ClientPlan],
        dossiers: list[TrajectoryPlan],
        instrument_types: Sequence[str],
        spec: SizeSpec,
        rng: random.Random,
        today: date,
        now: datetime,
    ) -> None:
        self.runs, self.staff, self.clients, self.dossiers = runs, staff, clients, dossiers
        self.instrument_types = {name: index for index, name in enumerate(instrument_types)}
        self.history_days = spec.history_days
        self.rng, self.today, self.now = rng, today, now
        self.referrals: list[ReferralPlan] = []
        self.planners = [i for i, s in enumerate(staff) if Role.PLANNER in s.roles]
        self.demo_consultant = next(
            i for i, s in enumerate(staff) if s.username == DEMO_BY_ROLE[Role.CONSULTANT].username
        )
        self.kinds = [frozenset(kind for kind, _, _ in client.flags) for client in clients]
        # Per client the trajectories a referral may come from: the open one, and ended ones when the size says so.
        self.trajectories: dict[int, list[int]] = {}
        for index, plan in enumerate(dossiers):
            if not plan.no_action and (plan.ended_on is None or spec.ended_in_groups):
                self.trajectories.setdefault(plan.client, []).append(index)
        self.referred: set[tuple[int, int]] = set()  # (client, programme)
        self.demo_absence = False
        self.referral_count: dict[int, int] = defaultdict(int)
        self.busy: dict[int, set[tuple[date, str]]] = defaultdict(set)
        self.screenings: dict[tuple[frozenset[str], int], Screening] = {}
        self.pools: dict[tuple[int, int, str], list[int]] = defaultdict(list)
        self.blocked: dict[tuple[int, int], list[int]] = defaultdict(list)
        for client_index in sorted(self.trajectories):
            municipality = clients[client_index].municipality
            for programme in range(len(PROGRAMMES)):
                result = self.screening(client_index, programme)
                if result is BLOCKED:
                    self.blocked[(municipality, programme)].append(client_index)
                elif result is not NOT_TARGET:
                    self.pools[(municipality, programme, result.variant)].append(client_index)

    def screening(self, client: int, programme: int) -> Screening:
        key = (self.kinds[client], programme)
        if key not in self.screenings:
            self.screenings[key] = screen(self.kinds[client], PROGRAMMES[programme])
        return self.screenings[key]

    def planner(self) -> int:
        """Who did the back-office step: often the demo planner, so that login sees its own work."""
        return self.planners[0] if self.rng.random() < 0.4 else self.rng.choice(self.planners)

    # --- Drawing clients ---

    def trajectory_for(self, client: int, referred_on: date, until: date) -> int | None:
        """The client's trajectory that was open on ``referred_on`` and still is on ``until``: a referral, its run
        and what follows it lie within one trajectory."""
        for index in self.trajectories.get(client, ()):
            plan = self.dossiers[index]
            if plan.started_on <= referred_on and (plan.ended_on is None or until < plan.ended_on):
                return index
        return None

    def may_refer(self, client: int, programme: int, referred_on: date, until: date) -> bool:
        if (client, programme) in self.referred or self.referral_count[client] >= MAX_GROUP_REFERRALS:
            return False
        return self.trajectory_for(client, referred_on, until) is not None

    def draw(self, pool: list[int], accept: Callable[[int], bool]) -> int | None:
        """A random client from ``pool`` that ``accept`` takes; taken clients leave the pool."""
        for _ in range(60):
            if not pool:
                return None
            position = self.rng.randrange(len(pool))
            candidate = pool[position]
            if accept(candidate):
                pool[position] = pool[-1]
                pool.pop()
                return candidate
        return None

    # --- Referrals ---

    def new_referral(self, client: int, programme: int, referred_on: date, until: date, run: int | None = None) -> int:
        spec = PROGRAMMES[programme]
        trajectory_index = self.trajectory_for(client, referred_on, until)
        assert trajectory_index is not None  # drawn by may_refer
        trajectory = self.dossiers[trajectory_index]
        result = self.screening(client, programme)
        goals = [i for i, (_, _, status, _) in enumerate(trajectory.goals) if status == GoalStatus.OPEN]
        goal = self.rng.choice(goals or list(range(len(trajectory.goals))))
        weakest = FACTORS[min(range(len(FACTORS)), key=lambda k: trajectory.profiles[-1][2][k])]
        added_value = " ".join(
            (
                self.rng.choice(ADDED_VALUE_REASONS[spec.slug]),
                ADDED_VALUE_BY_FACTOR[weakest],
                f"Sluit aan bij het doel “{trajectory.goals[goal][0].rstrip('.')}” en bij het toekomstperspectief "
                f"van cliënt: “{trajectory.future_perspective.rstrip('.')}”.",
            )
        )
        unmet = result.unmet if result is not BLOCKED else ()
        support = " ".join(self.rng.choice(SUPPORT_NOTES[need]) for need in unmet)
        referral = ReferralPlan(
            client=client,
            programme=programme,
            consultant=self.clients[client].consultant,
            trajectory=trajectory_index,
            goal=goal,
            added_value=added_value,
            needed_variant=result.variant or Variant.STANDARD,
            support_note=support,
            referred_on=referred_on,
            deadline=referred_on + timedelta(weeks=spec.deadline_weeks) if spec.deadline_weeks else None,
            run=run,
        )
        self.referred.add((client, programme))
        self.referral_count[client] += 1
        self.referrals.append(referral)
        self.step(referral, S.SCREENING, referred_on, referral.consultant, "", hour=9)
        return len(self.referrals) - 1

    def step(
        self, referral: ReferralPlan, status: str, day: date, by: int | None, note: str, hour: int, minute: int = -1
    ) -> None:
        """Move the referral to ``status`` on ``day``: the date field of the step and an event, as the app does."""
        at = _moment(day, hour, self.rng.randint(0, 59) if minute < 0 else minute, self.now)
        if referral.events and at < referral.events[-1][1]:
            at = referral.events[-1][1]
        referral.status = status
        referral.status_reason = note if status in (S.DROPPED_OUT, S.WITHDRAWN, S.DECLINED) else ""
        if status == S.WAITING:
            referral.screened_on = referral.screened_on or day
            referral.placed_on, referral.run = None, None
        elif status == S.PLACED:
            referral.placed_on = day
        elif status == S.STARTED:
            referral.started_on = day
        elif status in (S.COMPLETED, S.DROPPED_OUT, S.WITHDRAWN, S.DECLINED):
            referral.ended_on = day
        referral.events.append((status, at, by, note))

    def screened_note(self, referral: ReferralPlan) -> str:
        if referral.support_note:
            return SCREENED_SUPPORT_NOTE
        if referral.needed_variant != Variant.STANDARD:
            return SCREENED_VARIANT_NOTE.format(variant=VARIANT_LABELS[referral.needed_variant])
        return SCREENED_NOTE

    def timeline(self, spec: ProgrammeSpec, joined_on: date) -> tuple[date, date, date]:
        """Referred, screened and placed for someone who joins a run on ``joined_on``; all on or before today."""
        rng, today = self.rng, self.today
        if spec.is_mandatory:
            referred = min(joined_on - timedelta(days=rng.randint(5, 27)), today - timedelta(days=rng.randint(0, 3)))
            screened = min(referred + timedelta(days=rng.randint(0, 2)), today)
            placed = min(screened + timedelta(days=rng.randint(0, 3)), today, joined_on - timedelta(days=1))
            return referred, min(screened, placed), placed
        placed = joined_on - timedelta(days=rng.randint(7, 35))
        if placed > today:
            placed = today - timedelta(days=rng.randint(0, 14))
        low, high = WAITS.draw(rng)
        screened = placed - timedelta(days=rng.randint(low, high))
        return screened - timedelta(days=rng.randint(0, 7)), screened, placed

    # --- Runs ---

    def fill(self) -> None:
        for index, run in enumerate(self.runs):
            if run.status != RunStatus.CANCELLED:
                self.fill_run(index, run)
                self.hold_sessions(run)
                if run.status == RunStatus.COMPLETED:
                    self.hand_offs(run)
                    self.evaluate(run)

    def fill_run(self, index: int, run: RunPlan) -> None:
        spec = run.spec
        target = run.size
        if run.status == RunStatus.PLANNED:
            # Upcoming runs fill as their start comes closer; a mandatory one only within its deadline.
            ahead = (run.start_date - self.today).days
            horizon = 35 if spec.is_mandatory else 100
            target = round(run.size * max(0.0 if spec.is_mandatory else 0.4, min(1.0, 1 - (ahead - 10) / horizon)))
        slot = f"{WEEKDAY_CODES[run.dates[0].weekday()]}_{run.daypart}"
        until = run.dates[-1] + timedelta(days=AFTER_RUN_DAYS)
        pool = self.pools[(run.municipality, run.programme, run.variant)]
        demo_quota = min(3, target) if run.for_demo_trainer else 0
        joined: list[tuple[int, int]] = []  # (client, session index)
        while len(joined) < target:
            join_at = 0
            if spec.is_continuous and run.status != RunStatus.PLANNED and self.rng.random() < 0.4:
                join_at = self.rng.randrange(len(run.dates))
            timeline = self.timeline(spec, run.dates[join_at])
            days = {(day, run.daypart) for day in run.dates[join_at:]}

            def accept(client: int, referred_on: date = timeline[0], days: set[tuple[date, str]] = days) -> bool:
                availability = self.clients[client].availability
                return (
                    (not availability or slot in availability)
                    and self.may_refer(client, run.programme, referred_on, until)
                    and not days & self.busy[client]
                )

            client = None
            if len(joined) < demo_quota:
                demo_clients = [c for c in pool if self.clients[c].consultant == self.demo_consultant]
                client = self.draw(demo_clients, accept)
                if client is not None:
                    pool.remove(client)
                else:
                    demo_quota = len(joined)
            if client is None:
                client = self.draw(pool, accept)
            if client is None:
                break
            self.busy[client] |= days
            joined.append((client, join_at))
            self.place(index, run, client, join_at, timeline, until)

    def place(
        self, index: int, run: RunPlan, client: int, join_at: int, timeline: tuple[date, date, date], until: date
    ) -> None:
        referred, screened, placed = timeline
        referral_index = self.new_referral(client, run.programme, referred, until, run=index)
        referral = self.referrals[referral_index]
        self.step(referral, S.WAITING, screened, self.planner(), self.screened_note(referral), hour=11)
        self.step(
            referral,
            S.PLACED,
            placed,
            self.planner(),
            PLACED_NOTE.format(start=f"{run.dates[join_at]:%d-%m-%Y}"),
            hour=14,
        )
        referral.run = index
        participation = ParticipationPlan(client, referral_index, run.dates[join_at])
        self.invite(run, participation, placed)
        run.participations.append(participation)

    def invite(self, run: RunPlan, participation: ParticipationPlan, placed: date) -> None:
        """The invitation a few days after placement and the reminder two days before the first session."""
        rng = self.rng
        client = self.clients[participation.client]
        channel = InvitationChannel.EMAIL if client.email and rng.random() < 0.75 else InvitationChannel.LETTER
        sent_on = min(placed + timedelta(days=rng.randint(0, 2)), self.today, participation.joined_on)
        sent_at = _moment(sent_on, rng.randint(10, 16), rng.randint(0, 59), self.now)
        participation.invitations.append((InvitationKind.INVITATION, channel, sent_at, self.planner()))
        reminder_on = participation.joined_on - timedelta(days=2)
        if sent_on < reminder_on <= self.today:
            reminder_at = _moment(reminder_on, 9, rng.randint(0, 15), self.now)
            participation.invitations.append((InvitationKind.REMINDER, channel, reminder_at, None))

    def hold_sessions(self, run: RunPlan) -> None:
        """Attendance, drop-outs and the session log for the sessions held so far."""
        rng, today = self.rng, self.today
        monday = today - timedelta(days=today.weekday())
        count = len(run.sessions)
        phase = 0
        for number, session in enumerate(run.sessions):
            if session.date >= today:
                break
            if 0 < number < count - 1 and not run.for_demo_trainer and rng.random() < CANCELLED_SESSION_SHARE:
                session.cancelled = True
                continue
            trainer = rng.choice(run.trainers)
            start = DAYPART_STARTS[run.daypart]
            ended = end_time(start, run.spec.session_minutes)
            session.recorded_by = trainer
            session.recorded_at = _after(aware(session.date, ended.hour, ended.minute), rng, 5, 40, self.now)
            phase = self.next_phase(phase, number, count)
            if run.for_demo_trainer and session.date >= monday:
                continue  # this week's log is still to write: work on the demo trainer's page
            if rng.random() < SESSION_LOG_SHARE:
                session.log = self.session_log(run, number, GROUP_PHASES[phase])
                session.logged_at = _after(session.recorded_at, rng, 15, 300, self.now)
        for participation in run.participations:
            self.attend(run, participation)

    def next_phase(self, phase: int, number: int, count: int) -> int:
        """Tuckman's phases in order: forming first, adjourning at the last session, storming and norming between."""
        if number == 0 or count == 1:
            return 0
        if number == count - 1:
            return len(GROUP_PHASES) - 1
        expected = 1 + (number - 1) * 3 // max(1, count - 2)  # storming, norming, performing over the middle
        if expected > phase and self.rng.random() < 0.25:
            return phase  # some groups take longer in a phase
        return max(phase, min(expected, len(GROUP_PHASES) - 2))

    def session_log(self, run: RunPlan, number: int, phase: str) -> tuple[str, str, str, str]:
        rng = self.rng
        title, _ = run.spec.protocol[number % len(run.spec.protocol)]
        deviation = rng.choice(PROTOCOL_DEVIATIONS) if rng.random() < PROTOCOL_DEVIATION_SHARE else ""
        done = f"Bijeenkomst {number + 1}, {title}: volgens het protocol gewerkt. {rng.choice(LOG_EXTRAS)}"
        if deviation:
            done = f"Bijeenkomst {number + 1}, {title}: deels afgeweken van het protocol (zie hieronder)."
        return done, phase, rng.choice(NORMS_AND_ROLES[phase]), deviation

    def attend(self, run: RunPlan, participation: ParticipationPlan) -> None:
        """Mostly present; some late or absent; a few drop out and stop coming. Absences reach the consultant."""
        rng, today = self.rng, self.today
        referral = self.referrals[participation.referral]
        consultant = self.clients[participation.client].consultant
        held = [
            k
            for k, s in enumerate(run.sessions)
            if s.date >= participation.joined_on and s.date < today and not s.cancelled
        ]
        if not held:
            return
        first = run.sessions[held[0]]
        assert first.recorded_by is not None
        start = DAYPART_STARTS[run.daypart]
        self.step(referral, S.STARTED, first.date, first.recorded_by, STARTED_NOTE, start.hour, start.minute)
        anchor_client = run.for_demo_trainer and consultant == self.demo_consultant
        unseen = anchor_client and run.anchor == "today"  # the demo consultant has yet to see these absences
        statuses = [ATTENDANCE.draw(rng) for _ in held]
        drop_after = None
        if len(held) >= 2 and not anchor_client and rng.random() < DROP_OUT_SHARE:
            drop_after = rng.randint(1, len(held) - 1)
            statuses[:drop_after] = [AttendanceStatus.PRESENT] * drop_after
            no_show = rng.random() < NO_SHOW_DROP_OUT_SHARE
            missed = (AttendanceStatus.UNEXCUSED,) * 2 if no_show else (AttendanceStatus.EXCUSED,)
            statuses = statuses[:drop_after] + list(missed[: len(held) - drop_after])
            last = run.sessions[held[len(statuses) - 1]].date
            left_on = min(last + timedelta(days=rng.randint(1, 5)), today)
            participation.left_on = left_on
            reason = DROP_OUT_NO_SHOW if no_show else rng.choice(DROP_OUT_REASONS)
            self.step(referral, S.DROPPED_OUT, left_on, self.planner(), reason, hour=15)
        if unseen and not self.demo_absence:
            # One demo client missed the last session: an absence the demo consultant has yet to see.
            statuses[-1] = AttendanceStatus.UNEXCUSED if rng.random() < 0.5 else AttendanceStatus.EXCUSED
            self.demo_absence = True
        for k, status in zip(held, statuses, strict=False):
            session = run.sessions[k]
            assert session.recorded_at is not None
            acknowledged_by = acknowledged_at = None
            if status in (AttendanceStatus.EXCUSED, AttendanceStatus.UNEXCUSED) and not unseen:
                recent = session.date >= today - timedelta(days=RECENT_DAYS)
                if rng.random() < (0.35 if recent else 0.95):
                    moment = session.recorded_at + timedelta(days=rng.randint(0, 4), hours=rng.randint(1, 6))
                    if moment <= self.now:
                        acknowledged_by, acknowledged_at = consultant, moment
            participation.attendance.append((k, status, acknowledged_by, acknowledged_at))
        if drop_after is None and run.status == RunStatus.COMPLETED:
            last_session = run.sessions[-1]
            ended = end_time(start, run.spec.session_minutes)
            by = last_session.recorded_by or run.trainers[0]
            self.step(referral, S.COMPLETED, last_session.date, by, COMPLETED_NOTE, ended.hour, ended.minute)

    def hand_offs(self, run: RunPlan) -> None:
        """The trainer's short signal per participant after the last session; recent ones often still unread."""
        rng, today = self.rng, self.today
        last = run.dates[-1]
        for participation in run.participations:
            referral = self.referrals[participation.referral]
            consultant = self.clients[participation.client].consultant
            if referral.status == S.DROPPED_OUT:
                if rng.random() >= HAND_OFF_DROP_OUT_SHARE:
                    continue
                attended = sum(1 for _, status, _, _ in participation.attendance if status in ("present", "late"))
                advice = rng.choice(HAND_OFF_DROP_OUT_ADVICE).format(session=max(1, attended))
                tiers = DROP_OUT_TIERS
            elif referral.status == S.COMPLETED:
                advice = rng.choice(HAND_OFF_ADVICE)
                tiers = TIERS
            else:
                continue
            written_on = last + timedelta(days=rng.randint(1, 6))
            if written_on > today:
                continue  # not written yet
            tier = tiers.draw(rng)
            observations = []
            for factor in FACTORS:
                own = min(2, max(0, tier + rng.choice((-1, 0, 0, 1))))
                text = HAND_OFF_OBSERVATIONS[factor][own] if rng.random() > 0.05 else ""
                observations.append((factor, text))
            written_at = _moment(written_on, rng.randint(13, 17), rng.randint(0, 59), self.now)
            hand_off = HandOffPlan(advice, rng.choice(run.trainers), written_at, observations)
            demo_signal = run.anchor == "handoff" and consultant == self.demo_consultant
            recent = written_on >= today - timedelta(days=3 * 7)
            if not demo_signal and rng.random() < (0.35 if recent else 0.95):
                moment = written_at + timedelta(days=rng.randint(1, 10), hours=rng.randint(0, 3))
                if moment <= self.now:
                    hand_off.acknowledged_by, hand_off.acknowledged_at = consultant, moment
            participation.hand_off = hand_off

    def evaluate(self, run: RunPlan) -> None:
        """Answers from participants, trainers and consultants after the last session, as the evaluation plan says.

        Participants answer through a personal link: an answered or expired one keeps no token (the raw token was
        never stored anyway); an open one gets the hash of a fresh random token that nobody holds.
        """
        rng, today = self.rng, self.today
        sent_on = run.dates[-1] + timedelta(days=1)
        if sent_on > today:
            return
        created_at = _moment(sent_on, 10, 0, self.now)
        expires_at = aware(sent_on + timedelta(days=EVALUATION_DAYS), 23, 59)
        quality = rng.choice((0, 1, 1, 2))  # how well the run went, for the scores
        respondents: list[tuple[str, int | None, int | None, float]] = [
            (str(Perspective.PARTICIPANT), p, None, PARTICIPANT_RESPONSE_SHARE)
            for p, participation in enumerate(run.participations)
            if self.referrals[participation.referral].status == S.COMPLETED
        ]
        respondents += [(str(Perspective.TRAINER), None, t, TRAINER_RESPONSE_SHARE) for t in run.trainers]
        consultants = sorted({self.clients[p.client].consultant for p in run.participations})
        respondents += [(str(Perspective.CONSULTANT), None, c, CONSULTANT_RESPONSE_SHARE) for c in consultants]
        for perspective, participation, respondent, share in respondents:
            invite = InvitePlan(perspective, expires_at, created_at, participation, respondent)
            answered_on = sent_on + timedelta(days=rng.randint(0, 12))
            demo_open = run.anchor == "handoff" and respondent is not None and self.staff[respondent].is_demo
            if not demo_open and rng.random() < share and answered_on <= today:
                day = aware(answered_on, 0, 0)
                invite.used_at = day
                answers = self.answers(run.spec, perspective, quality)
                run.responses.append(ResponsePlan(perspective, day, answers))
            elif perspective == Perspective.PARTICIPANT and expires_at > self.now:
                invite.token_hash = hashlib.sha256(secrets.token_urlsafe(32).encode()).hexdigest()
            run.invites.append(invite)

    def answers(self, spec: ProgrammeSpec, perspective: str, quality: int) -> list[tuple[int, int | None, str]]:
        rng = self.rng
        questions = _questionnaire(spec, perspective).questions
        rows: list[tuple[int, int | None, str]] = []
        for position, (_, kind) in enumerate(questions):
            if kind == "scale":
                rows.append((position, SCORES[quality].draw(rng), ""))
            elif rng.random() < 0.5:
                rows.append((position, None, rng.choice(OPEN_ANSWERS[perspective])))
        return rows

    # --- Referrals outside the runs ---

    def waiting_lists(self) -> None:
        """Waiting, screening, withdrawn and declined referrals per programme, and the history of cancelled runs."""
        runs_per_programme: dict[int, int] = defaultdict(int)
        participants: dict[int, int] = defaultdict(int)
        basis = self.today - timedelta(days=WAITING_LIST_BASIS_DAYS)
        for run in self.runs:
            if run.start_date >= basis:
                runs_per_programme[run.programme] += 1
            participants[run.programme] += len(run.participations)
        self.demo_referrals()
        for programme, spec in enumerate(PROGRAMMES):
            waiting = max(MIN_WAITING, round(runs_per_programme[programme] * spec.waiting_per_run))
            for _ in range(waiting):
                self.waiting_referral(programme, self.municipality())
            for _ in range(max(1, round(waiting * 0.05))):
                self.screening_referral(programme, self.municipality())
            for _ in range(max(1, round(participants[programme] * 0.04))):
                self.withdrawn_referral(programme, self.municipality())
            for _ in range(max(1, round(participants[programme] * 0.03))):
                self.declined_referral(programme, self.municipality(), contra_indicated=True)
            for _ in range(max(1, round(participants[programme] * 0.01))):
                self.declined_referral(programme, self.municipality(), contra_indicated=False)
        for run in self.runs:
            if run.status == RunStatus.CANCELLED:
                self.cancelled_history(run)

    def municipality(self) -> int:
        return MUNICIPALITY.draw(self.rng)

    def eligible(
        self, programme: int, municipality: int, referred_on: date, until: date, only: int | None = None
    ) -> int | None:
        """A client of the municipality who passes screening for the programme (any variant) and is in a
        trajectory from ``referred_on`` until ``until``; with ``only``, a client of that consultant."""
        pools = [self.pools[(municipality, programme, variant)] for variant in Variant.values]
        pools = [pool for pool in pools if pool]
        if not pools:
            return None
        if only is not None:
            own = [c for pool in pools for c in pool if self.clients[c].consultant == only]
            client = self.draw(own, lambda c: self.may_refer(c, programme, referred_on, until))
            if client is not None:
                next(pool for pool in pools if client in pool).remove(client)
            return client
        pool = self.rng.choices(pools, weights=[len(pool) for pool in pools])[0]
        return self.draw(pool, lambda c: self.may_refer(c, programme, referred_on, until))

    def waited(self, spec: ProgrammeSpec) -> date:
        rng = self.rng
        if spec.is_mandatory:
            return self.today - timedelta(days=rng.randint(1, 35))  # some past the four-week deadline
        low, high = WAITS.draw(rng)
        return self.today - timedelta(days=rng.randint(low, high))

    def waiting_referral(
        self, programme: int, municipality: int, only: int | None = None, referred: date | None = None
    ) -> None:
        referred = referred or self.waited(PROGRAMMES[programme])
        client = self.eligible(programme, municipality, referred, self.today, only)
        if client is None:
            return
        referral = self.referrals[self.new_referral(client, programme, referred, self.today)]
        screened = min(referred + timedelta(days=self.rng.randint(0, 5)), self.today)
        self.step(referral, S.WAITING, screened, self.planner(), self.screened_note(referral), hour=11)

    def screening_referral(self, programme: int, municipality: int, only: int | None = None) -> None:
        referred = self.today - timedelta(days=self.rng.randint(0, 3))
        client = self.eligible(programme, municipality, referred, self.today, only)
        if client is not None:
            self.new_referral(client, programme, referred, self.today)

    def withdrawn_referral(self, programme: int, municipality: int, only: int | None = None) -> None:
        rng = self.rng
        referred = self.today - timedelta(days=rng.randint(30, max(330, self.history_days)))
        until = min(referred + timedelta(days=65), self.today)  # withdrawn by then
        client = self.eligible(programme, municipality, referred, until, only)
        if client is None:
            return
        referral = self.referrals[self.new_referral(client, programme, referred, until)]
        screened = referred + timedelta(days=rng.randint(0, 5))
        self.step(referral, S.WAITING, screened, self.planner(), self.screened_note(referral), hour=11)
        withdrawn = min(screened + timedelta(days=rng.randint(7, 60)), self.today)
        self.step(referral, S.WITHDRAWN, withdrawn, referral.consultant, rng.choice(WITHDRAW_REASONS), hour=15)

    def declined_referral(
        self, programme: int, municipality: int, *, contra_indicated: bool, only: int | None = None
    ) -> bool:
        """Screening turns down a client with a contra-indication of the programme (or, rarely, another misfit)."""
        rng = self.rng
        referred = self.today - timedelta(days=rng.randint(5, max(300, self.history_days)))
        until = min(referred + timedelta(days=95), self.today)  # declined by then
        if contra_indicated:
            candidates = [
                c
                for c in self.blocked[(municipality, programme)]
                if (only is None or self.clients[c].consultant == only)
            ]
            client = self.draw(candidates, lambda c: self.may_refer(c, programme, referred, until))
            if client is not None:
                self.blocked[(municipality, programme)].remove(client)
        else:
            client = self.eligible(programme, municipality, referred, until, only)
        if client is None:
            return False
        referral = self.referrals[self.new_referral(client, programme, referred, until)]
        screened = referred + timedelta(days=rng.randint(0, 5))
        if contra_indicated:
            self.step(referral, S.DECLINED, screened, self.planner(), CONTRA_INDICATION_DECLINE, hour=11)
            return True
        self.step(referral, S.WAITING, screened, self.planner(), self.screened_note(referral), hour=11)
        declined = min(screened + timedelta(days=rng.randint(14, 90)), self.today)
        self.step(referral, S.DECLINED, declined, self.planner(), rng.choice(DECLINE_REASONS), hour=14)
        return True

    def demo_referrals(self) -> None:
        """The demo consultant sees a referral in every status: open ones beside those in the demo trainer's runs."""
        demo = self.demo_consultant
        home = 0  # the demo consultant works in the first municipality
        slugs = {spec.slug: i for i, spec in enumerate(PROGRAMMES)}
        # Referred 24 days ago: the four-week deadline of the mandatory workshop is close.
        self.waiting_referral(slugs["rechten-en-plichten"], home, only=demo, referred=self.today - timedelta(days=24))
        for slug in ("sova-training", "sollicitatietraining"):
            self.waiting_referral(slugs[slug], home, only=demo)
        self.screening_referral(slugs["empowermenttraining"], home, only=demo)
        self.withdrawn_referral(slugs["sollicitatietraining"], home, only=demo)
        empowerment = slugs["empowermenttraining"]
        if not self.declined_referral(empowerment, home, contra_indicated=True, only=demo):
            self.declined_referral(empowerment, home, contra_indicated=False, only=demo)

    def cancelled_history(self, run: RunPlan) -> None:
        """A run cancelled for too few registrations sent its placed referrals back to the waiting list."""
        cancelled_on = run.start_date - timedelta(days=7)
        candidates = [
            referral
            for referral in self.referrals
            if referral.programme == run.programme
            and referral.status == S.WAITING
            and self.clients[referral.client].municipality == run.municipality
            and referral.screened_on is not None
            and referral.screened_on < cancelled_on - timedelta(days=7)
            and len(referral.events) == 2
        ]
        for referral in candidates[: self.rng.randint(2, max(2, run.spec.min_size - 1))]:
            assert referral.screened_on is not None
            days = (cancelled_on - referral.screened_on).days
            placed = referral.screened_on + timedelta(days=self.rng.randint(1, days - 1))
            note = PLACED_NOTE.format(start=f"{run.start_date:%d-%m-%Y}")
            self.step(referral, S.PLACED, placed, self.planner(), note, hour=14)
            self.step(referral, S.WAITING, cancelled_on, self.planner(), CANCELLED_RUN_NOTE, hour=10)

    # --- Instruments in the plan ---

    def instruments(self) -> None:
        """Every referral comes from a group-programme instrument in the client's open trajectory (DOMAIN.md §4)."""
        for index, referral in enumerate(self.referrals):
            spec = PROGRAMMES[referral.programme]
            run = self.runs[referral.run] if referral.run is not None else None
            weeks = GROUP_PROGRAMME_WEEKS[spec.slug]
            start = referral.started_on
            if run is not None:
                first = self.participation_of(run, index).joined_on
                weeks = max(weeks, (run.dates[-1] - first).days // 7 + 2)
                start = start or first
            status, ended_on, outcome, stop_reason = InstrumentStatus.PLANNED, None, "", ""
            if referral.status == S.STARTED:
                status = InstrumentStatus.ACTIVE
            elif referral.status == S.COMPLETED:
                status, ended_on, outcome = (
                    InstrumentStatus.COMPLETED,
                    referral.ended_on,
                    self.rng.choice(GROUP_OUTCOMES),
                )
            elif referral.status in GROUP_STOP_REASONS:
                status, ended_on = InstrumentStatus.STOPPED, referral.ended_on
                stop_reason = f"{GROUP_STOP_REASONS[referral.status]} {referral.status_reason}"[:500]
            if start is not None:
                review_on = start + timedelta(weeks=weeks)
            elif spec.is_mandatory:
                review_on = referral.referred_on + timedelta(weeks=6)
            else:
                review_on = referral.referred_on + timedelta(weeks=weeks + 16)
            self.dossiers[referral.trajectory].instruments.append(
                InstrumentPlan(
                    type=self.instrument_types[spec.name],
                    goal=referral.goal,
                    purpose=self.rng.choice(GROUP_PROGRAMME_PURPOSES),
                    expected_result=self.rng.choice(GROUP_PROGRAMME_RESULTS),
                    started_on=referral.started_on,
                    planned_weeks=weeks,
                    review_on=review_on,
                    status=status,
                    ended_on=ended_on,
                    outcome=outcome,
                    stop_reason=stop_reason,
                    referral=index,
                )
            )

    def participation_of(self, run: RunPlan, referral: int) -> ParticipationPlan:
        return next(p for p in run.participations if p.referral == referral)


def plan_group_work(
    runs: list[RunPlan],
    staff: list[StaffPlan],
    clients: list[ClientPlan],
    dossiers: list[TrajectoryPlan],
    instrument_types: Sequence[str],
    spec: SizeSpec,
    rng: random.Random,
    today: date,
    now: datetime,
) -> GroupWorkPlan:
    """The referrals and what happened in the runs so far; adds the referrals' instruments to the dossiers, each of
    the type in ``instrument_types`` (the catalogue, by name) that bears the programme's name."""
    planner = _Planner(runs, staff, clients, dossiers, instrument_types, spec, rng, today, now)
    planner.fill()
    planner.waiting_lists()
    planner.instruments()
    return GroupWorkPlan(runs, planner.referrals)


# --- Writing ----------------------------------------------------------------------------------------------------


def _questionnaire(spec: ProgrammeSpec, perspective: str) -> QuestionnaireSpec:
    if perspective in (Perspective.TRAINER, Perspective.CONSULTANT):
        staff = TRAINER_QUESTIONNAIRE if perspective == Perspective.TRAINER else CONSULTANT_QUESTIONNAIRE
        return QuestionnaireSpec(f"{spec.name}: {staff.title.lower()}", staff.introduction, staff.questions)
    questions = tuple((text or spec.learning_question, kind) for text, kind in PARTICIPANT_QUESTIONS)
    return QuestionnaireSpec(f"Wat vond je van {spec.name}?", PARTICIPANT_INTRODUCTION, questions)


@dataclass
class Catalogue:
    programmes: list[Programme]
    questions: dict[tuple[int, str], tuple[Questionnaire, list[Question]]]
    rooms: list[Room]


def write_catalogue(organisation: Organisation, spec: SizeSpec, types: list[InstrumentType]) -> Catalogue:
    """Programmes with every catalogue field, their protocol and questionnaires, and the rooms."""
    by_name = {instrument_type.name: instrument_type for instrument_type in types}
    programmes = Programme.objects.bulk_create(
        [
            Programme(
                organisation=organisation,
                name=p.name,
                slug=p.slug,
                description=p.description,
                instrument_type=by_name[p.name],
                goal_type=p.goal_type,
                learning_goals=p.learning_goals,
                target_group=p.target_group,
                selection_criteria=p.selection_criteria,
                contra_indications=sorted(p.contra_indications),
                contra_indication_notes=p.contra_indication_notes,
                session_count=p.session_count,
                session_minutes=p.session_minutes,
                min_size=p.min_size,
                max_size=p.max_size,
                small_group_max_size=p.small_group_max_size,
                is_evening=p.is_evening,
                is_continuous=p.is_continuous,
                offers_blended=Variant.BLENDED in p.offers,
                offers_small_group=Variant.SMALL_GROUP in p.offers,
                offers_language_support=Variant.LANGUAGE_SUPPORT in p.offers,
                is_mandatory=p.is_mandatory,
                mandatory_reason=p.mandatory_reason,
                deadline_weeks=p.deadline_weeks,
                what_to_bring=p.what_to_bring,
                evaluation_plan=p.evaluation_plan,
                prep_hours=Decimal(p.time_model[0]),
                materials_hours=Decimal(p.time_model[1]),
                arrangements_hours=Decimal(p.time_model[2]),
                setup_hours=Decimal(p.time_model[3]),
                clearing_hours=Decimal(p.time_model[4]),
                report_hours=Decimal(p.time_model[5]),
            )
            for p in PROGRAMMES
        ]
    )
    ProgrammeSession.objects.bulk_create(
        [
            ProgrammeSession(programme=programme, number=number, title=title, content=content)
            for programme, p in zip(programmes, PROGRAMMES, strict=True)
            for number, (title, content) in enumerate(p.protocol, start=1)
        ]
    )
    keys = [(index, str(perspective)) for index in range(len(PROGRAMMES)) for perspective in Perspective.values]
    specs = {key: _questionnaire(PROGRAMMES[key[0]], key[1]) for key in keys}
    questionnaires = Questionnaire.objects.bulk_create(
        [
            Questionnaire(
                programme=programmes[index],
                perspective=perspective,
                title=specs[(index, perspective)].title,
                introduction=specs[(index, perspective)].introduction,
            )
            for index, perspective in keys
        ]
    )
    questions = Question.objects.bulk_create(
        [
            Question(questionnaire=questionnaire, position=position, text=text, kind=kind)
            for questionnaire, key in zip(questionnaires, keys, strict=True)
            for position, (text, kind) in enumerate(specs[key].questions, start=1)
        ]
    )
    by_questionnaire: dict[int, list[Question]] = defaultdict(list)
    for question in questions:
        by_questionnaire[question.questionnaire_id].append(question)
    rooms = Room.objects.bulk_create(
        [
            Room(
                organisation=organisation,
                name=room.name,
                location=MUNICIPALITIES[location].location,
                capacity=room.capacity,
                has_daylight=room.has_daylight,
                accessible_without_escort=room.accessible_without_escort,
                door_can_stay_open=room.door_can_stay_open,
                has_av=room.has_av,
                has_ventilation=room.has_ventilation,
            )
            for location, room in room_specs(spec)
        ]
    )
    return Catalogue(
        programmes,
        {key: (q, by_questionnaire[q.pk]) for key, q in zip(keys, questionnaires, strict=True)},
        rooms,
    )


def write_group_work(
    plan: GroupWorkPlan,
    catalogue: Catalogue,
    municipalities: list[Municipality],
    users: list[User],
    clients: list[Client],
    links: dict[int, tuple[int, int]],
    batch_size: int,
) -> dict[str, int]:
    """Runs and sessions, referrals with their events, participations and everything that happened in the runs.

    ``links`` gives per referral the keys of its instrument and goal, written with the dossiers.
    """
    runs = plan.runs
    group_runs = GroupRun.objects.bulk_create(
        [
            GroupRun(
                programme=catalogue.programmes[run.programme],
                municipality=municipalities[run.municipality],
                variant=run.variant,
                room=catalogue.rooms[run.room] if run.room is not None else None,
                start_date=run.start_date,
                start_time=DAYPART_STARTS[run.daypart],
                status=run.status,
                created_by=users[run.created_by] if run.created_by is not None else None,
            )
            for run in runs
        ],
        batch_size=batch_size,
    )
    RunTrainer.objects.bulk_create(
        [
            RunTrainer(grouprun_id=group_runs[r].pk, user_id=users[t].pk)
            for r, run in enumerate(runs)
            for t in run.trainers
        ],
        batch_size=batch_size,
    )
    sessions = Session.objects.bulk_create(
        [
            _session(run, group_runs[r], catalogue, number, session, users)
            for r, run in enumerate(runs)
            for number, session in enumerate(run.sessions)
        ],
        batch_size=batch_size,
    )
    session_keys: list[list[int]] = []
    position = 0
    for run in runs:
        session_keys.append([s.pk for s in sessions[position : position + len(run.sessions)]])
        position += len(run.sessions)

    referrals = Referral.objects.bulk_create(
        [
            Referral(
                client_id=clients[r.client].pk,
                programme=catalogue.programmes[r.programme],
                instrument_id=links[index][0],
                goal_id=links[index][1],
                added_value=r.added_value,
                needed_variant=r.needed_variant,
                support_note=r.support_note,
                status=r.status,
                status_reason=r.status_reason,
                referred_by_id=users[r.consultant].pk,
                referred_on=r.referred_on,
                deadline=r.deadline,
                screened_on=r.screened_on,
                placed_on=r.placed_on,
                started_on=r.started_on,
                ended_on=r.ended_on,
                group_run_id=group_runs[r.run].pk if r.run is not None else None,
                version=len(r.events),
            )
            for index, r in enumerate(plan.referrals)
        ],
        batch_size=batch_size,
    )
    events = insert_rows(
        ReferralEvent,
        ("referral", "status", "at", "by", "note"),
        (
            (referral.pk, status, at, users[by].pk if by is not None else None, note)
            for referral, r in zip(referrals, plan.referrals, strict=True)
            for status, at, by, note in r.events
        ),
    )
    flat = [(r, p) for r, run in enumerate(runs) for p in run.participations]
    participations = Participation.objects.bulk_create(
        [
            Participation(
                group_run_id=group_runs[r].pk,
                client_id=clients[p.client].pk,
                referral_id=referrals[p.referral].pk,
                joined_on=p.joined_on,
                left_on=p.left_on,
            )
            for r, p in flat
        ],
        batch_size=batch_size,
    )
    attendance = insert_rows(
        Attendance,
        ("session", "participation", "status", "recorded_by", "recorded_at", "acknowledged_by", "acknowledged_at"),
        _attendance_rows(runs, flat, participations, session_keys, users),
    )
    invitations = insert_rows(
        Invitation,
        ("participation", "kind", "channel", "sent_at", "sent_by"),
        (
            (participation.pk, kind, channel, at, users[by].pk if by is not None else None)
            for participation, (_, p) in zip(participations, flat, strict=True)
            for kind, channel, at, by in p.invitations
        ),
    )
    with_hand_off = [
        (participation, p.hand_off) for participation, (_, p) in zip(participations, flat, strict=True) if p.hand_off
    ]
    hand_offs = HandOff.objects.bulk_create(
        [
            HandOff(
                participation=participation,
                advice=h.advice,
                written_by_id=users[h.written_by].pk,
                written_at=h.written_at,
                acknowledged_by_id=users[h.acknowledged_by].pk if h.acknowledged_by is not None else None,
                acknowledged_at=h.acknowledged_at,
            )
            for participation, h in with_hand_off
        ],
        batch_size=batch_size,
    )
    observations = insert_rows(
        HandOffObservation,
        ("hand_off", "factor", "observation"),
        (
            (hand_off.pk, factor, text)
            for hand_off, (_, h) in zip(hand_offs, with_hand_off, strict=True)
            for factor, text in h.observations
        ),
    )
    participation_keys: list[list[int]] = [[] for _ in runs]
    for participation, (r, _) in zip(participations, flat, strict=True):
        participation_keys[r].append(participation.pk)
    invites = insert_rows(
        EvaluationInvite,
        (
            "questionnaire",
            "group_run",
            "participation",
            "respondent",
            "token_hash",
            "expires_at",
            "used_at",
            "created_at",
        ),
        (
            (
                catalogue.questions[(run.programme, invite.perspective)][0].pk,
                group_runs[r].pk,
                participation_keys[r][invite.participation] if invite.participation is not None else None,
                users[invite.respondent].pk if invite.respondent is not None else None,
                invite.token_hash,
                invite.expires_at,
                invite.used_at,
                invite.created_at,
            )
            for r, run in enumerate(runs)
            for invite in run.invites
        ),
    )
    answered = [(r, response) for r, run in enumerate(runs) for response in run.responses]
    responses = EvaluationResponse.objects.bulk_create(
        [
            EvaluationResponse(
                questionnaire=catalogue.questions[(runs[r].programme, response.perspective)][0],
                group_run_id=group_runs[r].pk,
                perspective=response.perspective,
                submitted_at=response.submitted_at,
            )
            for r, response in answered
        ],
        batch_size=batch_size,
    )
    answers = insert_rows(
        Answer,
        ("response", "question", "score", "text"),
        (
            (stored.pk, catalogue.questions[(runs[r].programme, response.perspective)][1][position].pk, score, text)
            for stored, (r, response) in zip(responses, answered, strict=True)
            for position, score, text in response.answers
        ),
    )
    return {
        "runs": len(group_runs),
        "sessions": len(sessions),
        "referrals": len(referrals),
        "referral_events": events,
        "participations": len(participations),
        "invitations": invitations,
        "attendance": attendance,
        "session_logs": sum(1 for run in runs for session in run.sessions if session.log),
        "hand_offs": len(hand_offs),
        "hand_off_observations": observations,
        "evaluation_invites": invites,
        "evaluation_responses": len(responses),
        "answers": answers,
    }


def _attendance_rows(
    runs: list[RunPlan],
    flat: list[tuple[int, ParticipationPlan]],
    participations: list[Participation],
    session_keys: list[list[int]],
    users: list[User],
) -> Iterator[tuple[int | str | datetime | None, ...]]:
    for participation, (r, plan) in zip(participations, flat, strict=True):
        for k, status, by, at in plan.attendance:
            session = runs[r].sessions[k]
            assert session.recorded_by is not None  # attendance is only recorded for held sessions
            acknowledged_by = users[by].pk if by is not None else None
            yield (
                session_keys[r][k],
                participation.pk,
                status,
                users[session.recorded_by].pk,
                session.recorded_at,
                acknowledged_by,
                at,
            )


def _session(
    run: RunPlan, group_run: GroupRun, catalogue: Catalogue, number: int, session: SessionPlan, users: list[User]
) -> Session:
    starts_at = DAYPART_STARTS[run.daypart]
    done, phase, norms, deviation = session.log or ("", "", "", "")
    logged_by = users[session.recorded_by] if session.log and session.recorded_by is not None else None
    return Session(
        group_run=group_run,
        number=number + 1,
        date=session.date,
        starts_at=starts_at,
        ends_at=end_time(starts_at, run.spec.session_minutes),
        room=catalogue.rooms[run.room] if run.room is not None else None,
        is_cancelled=session.cancelled,
        attendance_recorded_at=session.recorded_at,
        log_done=done,
        group_phase=phase,
        norms_and_roles=norms,
        protocol_deviation=deviation,
        logged_by=logged_by,
        logged_at=session.logged_at,
    )


def write_trainer_profiles(staff: list[StaffPlan], users: list[User], batch_size: int) -> int:
    names = {p.slug: p.name for p in PROGRAMMES}
    profiles = TrainerProfile.objects.bulk_create(
        [
            TrainerProfile(
                user=users[i],
                hours_per_week=plan.trainer_hours,
                switching_minutes=plan.switching_minutes,
                competences=", ".join(names[slug] for slug in plan.competences),
            )
            for i, plan in enumerate(staff)
            if plan.trainer_hours is not None
        ],
        batch_size=batch_size,
    )
    return len(profiles)


def delete_group_work(organisation: Organisation) -> None:
    """Everything of group work in the organisation, leaves first: answers protect questions, a referral its
    instrument and run, a participation its referral."""
    org = organisation
    in_runs = Q(group_run__programme__organisation=org) | Q(group_run__municipality__organisation=org)
    delete_rows(Answer.objects.filter(response__group_run__programme__organisation=org))
    delete_rows(EvaluationResponse.objects.filter(in_runs))
    delete_rows(EvaluationInvite.objects.filter(in_runs))
    delete_rows(Question.objects.filter(questionnaire__programme__organisation=org))
    delete_rows(Questionnaire.objects.filter(programme__organisation=org))
    delete_rows(HandOffObservation.objects.filter(hand_off__participation__client__organisation=org))
    delete_rows(HandOff.objects.filter(participation__client__organisation=org))
    delete_rows(Attendance.objects.filter(participation__client__organisation=org))
    delete_rows(Invitation.objects.filter(participation__client__organisation=org))
    delete_rows(Participation.objects.filter(client__organisation=org))
    delete_rows(ReferralEvent.objects.filter(referral__client__organisation=org))
    delete_rows(Referral.objects.filter(client__organisation=org))
    delete_rows(Session.objects.filter(in_runs))
    delete_rows(GroupRun.objects.filter(Q(programme__organisation=org) | Q(municipality__organisation=org)))
    delete_rows(ProgrammeSession.objects.filter(programme__organisation=org))
    delete_rows(Programme.objects.filter(organisation=org))
    delete_rows(Room.objects.filter(organisation=org))
    delete_rows(TrainerProfile.objects.filter(user__organisation=org))
