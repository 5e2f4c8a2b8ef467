"""Fictitious demo data: one regional organisation with its staff, clients, programmes, rooms and group runs.

Everything random comes from one ``random.Random(seed)`` and Faker instances seeded from the same seed, so a seed
gives the same people, BSNs, flags and runs every time (for the same Faker version and the same day: dates are
relative to today). Nothing here reads global randomness. The data is built in memory first and written with
``bulk_create`` inside one transaction; ``bulk_create`` skips signals, so seeding writes no audit events per row.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from faker import Faker
from stdnum.nl import bsn as bsn_number

from koers.accounts.models import Municipality, Organisation, RoleAssignment, Team, User
from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.audit.services import record_event
from koers.clients.models import CONTRA_INDICATION_KINDS, NEED_KINDS, AccessGrant, Client, FlagKind, ScreeningFlag
from koers.demo.data import (
    AGE_BANDS,
    BACKGROUNDS,
    BACKOFFICE_TEAM,
    BSN_BLOCK,
    BSN_PREFIX,
    CANCELLED_SHARE,
    CASELOAD_MAX,
    CASELOAD_MIN,
    CONSULTANT_TEAM_KINDS,
    DAYPARTS,
    DEMO_ACCOUNTS,
    DEMO_BY_ROLE,
    DEMO_CONSULTANT_CASELOAD,
    DEMO_ORGANISATION_NAME,
    DEMO_TRAINER_PROGRAMMES,
    FAKER_LOCALES,
    FLAG_NOTES,
    FLAG_SHARES,
    MUNICIPALITIES,
    NAME_LISTS,
    PROGRAMMES,
    ROOMS_PER_LOCATION,
    RUN_WINDOW_DAYS,
    SIZES,
    STAFF_EMAIL_DOMAIN,
    STAFF_TEAM,
    STREETS,
    TRAINER_POOL_TEAM,
    RoomSpec,
    SizeSpec,
)
from koers.groupwork.models import GroupRun, Participation, Programme, Room, RunStatus, TrainerProfile

BATCH_SIZE = 2_000
PROGRESS_EVERY = 10_000

ProgressCallback = Callable[[str, int, int], None]
ASCII_LETTERS = str.maketrans({"ı": "i", "İ": "I", "ł": "l", "Ł": "L", "ø": "o", "ß": "ss"})
TeamMembership = User.teams.through
RunTrainer = GroupRun.trainers.through


class DemoAlreadySeededError(Exception):
    """The demo organisation exists already; seeding again would duplicate it."""


class UsernameTakenError(Exception):
    """A username the seed needs belongs to someone outside the demo organisation."""


# --- In-memory plan ----------------------------------------------------------------------------------------------


@dataclass
class StaffPlan:
    username: str
    first_name: str
    last_name: str
    roles: list[str]
    teams: list[int]
    is_demo: bool = False
    trainer_hours: Decimal | None = None
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


@dataclass
class RunPlan:
    programme: int
    municipality: int
    start_date: date
    size: int
    trainer_count: int
    status: str = RunStatus.PLANNED
    daypart: str = "morning"
    room: int | None = None
    trainers: list[int] = field(default_factory=list)
    participants: list[tuple[int, date]] = field(default_factory=list)
    for_demo_trainer: bool = False


@dataclass
class StaffLayout:
    staff: list[StaffPlan]
    team_names: list[str]
    caseloads: list[list[tuple[int, int]]]  # per municipality: (staff index, caseload size)


@dataclass
class SeedResult:
    organisation: Organisation
    counts: dict[str, int]
    logins: list[tuple[str, str]]  # (username, role)


# --- Public entry points -------------------------------------------------------------------------------------------


def demo_organisation_exists() -> bool:
    return Organisation.objects.filter(name=DEMO_ORGANISATION_NAME).exists()


def set_demo_passwords(password: str) -> list[tuple[str, str]]:
    """Give the seeded demo accounts ``password`` (hashed once), so a restarted demo prints a password that works."""
    hashed = make_password(password)
    usernames = [account.username for account in DEMO_ACCOUNTS]
    User.objects.filter(username__in=usernames, is_demo_account=True).update(password=hashed)
    return [(account.username, account.role) for account in DEMO_ACCOUNTS]


def seed_demo(
    *,
    password: str,
    size: str = "small",
    seed: int = 1,
    reset: bool = False,
    clients: int | None = None,
    today: date | None = None,
    progress: ProgressCallback | None = None,
) -> SeedResult:
    """Create the demo organisation; with ``reset`` first remove an earlier one, else refuse to duplicate it.

    ``password`` is shared by the seven demo accounts; ``clients`` overrides the size's client count so tests
    can seed a smaller organisation quickly.
    """
    if demo_organisation_exists() and not reset:
        raise DemoAlreadySeededError(DEMO_ORGANISATION_NAME)
    spec = SIZES[size]
    client_count = spec.clients if clients is None else clients
    now = timezone.now()
    today = today or timezone.localdate(now)
    rng = random.Random(seed)
    fakers = _fakers(seed)

    layout = _plan_staff(spec, client_count, rng, fakers["nl_NL"])
    client_plans = _plan_clients(layout, rng, fakers, now)
    runs = _plan_runs(spec, client_count, layout.staff, client_plans, rng, today)
    if progress and client_count >= PROGRESS_EVERY:
        progress("Cliënten gegenereerd", len(client_plans), client_count)

    with transaction.atomic():
        existing = Organisation.objects.filter(name=DEMO_ORGANISATION_NAME).first()
        if existing is not None:
            if not reset:
                raise DemoAlreadySeededError(DEMO_ORGANISATION_NAME)
            delete_demo_organisation(existing)
        _check_usernames_free([plan.username for plan in layout.staff])
        return _write(spec, layout, client_plans, runs, password, now, progress)


def delete_demo_organisation(organisation: Organisation) -> None:
    """Remove the demo organisation and everything hanging off it, children before parents.

    Links from outside the organisation to its staff are cleared rather than deleted, and the audit trail stays:
    events by demo staff keep the username but lose the link to the deleted account. Role assignments go without
    their per-row audit signal; one event records the reset instead. A model added later that protects a link
    to a client or staff member must be added here.
    """
    org = organisation
    Participation.objects.filter(client__organisation=org).delete()
    GroupRun.objects.filter(Q(programme__organisation=org) | Q(municipality__organisation=org)).delete()
    Programme.objects.filter(organisation=org).delete()
    Room.objects.filter(organisation=org).delete()
    TrainerProfile.objects.filter(user__organisation=org).delete()
    AccessGrant.objects.filter(Q(client__organisation=org) | Q(user__organisation=org)).delete()
    AccessGrant.objects.filter(granted_by__organisation=org).update(granted_by=None)
    ScreeningFlag.objects.filter(client__organisation=org).delete()
    ScreeningFlag.objects.filter(recorded_by__organisation=org).update(recorded_by=None)
    Client.objects.filter(organisation=org).delete()
    AuditEvent.objects.filter(actor__organisation=org).update(actor=None)
    _delete_role_assignments_quietly(org)
    User.objects.filter(organisation=org).delete()
    Team.objects.filter(organisation=org).delete()
    Municipality.objects.filter(organisation=org).delete()
    org_id = org.pk
    org.delete()
    record_event(
        None,
        Action.DELETE,
        object_type="accounts.organisation",
        object_id=str(org_id),
        reason="seed_demo --reset: fictitious demo organisation removed",
    )


# --- Staff ------------------------------------------------------------------------------------------------------


def _fakers(seed: int) -> dict[str, Faker]:
    fakers = {}
    for locale in FAKER_LOCALES:
        fake = Faker(locale)
        fake.seed_instance(f"koers-demo-{seed}-{locale}")
        fakers[locale] = fake
    return fakers


class _Usernames:
    """Readable, unique usernames (``j.devries``, ``j.devries2``) for generated staff."""

    def __init__(self, reserved: Sequence[str]) -> None:
        self.taken = set(reserved)

    def make(self, first_name: str, last_name: str) -> str:
        base = f"{_ascii(first_name)[:1]}.{_ascii(last_name)}"
        name, number = base, 1
        while name in self.taken:
            number += 1
            name = f"{base}{number}"
        self.taken.add(name)
        return name


def _caseload_sizes(spec: SizeSpec, client_count: int) -> list[list[int]]:
    """Client counts and caseload sizes per municipality, every caseload within 60-150 (the demo one 80)."""
    low = max(CASELOAD_MIN, round(spec.average_caseload * 0.7))
    high = min(CASELOAD_MAX, round(spec.average_caseload * 1.3))
    counts = [round(client_count * m.share) for m in MUNICIPALITIES[1:]]
    counts.insert(0, client_count - sum(counts))
    caseloads = []
    for index, count in enumerate(counts):
        fixed = DEMO_CONSULTANT_CASELOAD if index == 0 else 0
        rest = count - fixed
        consultants = max(1, round(rest / spec.average_caseload))
        while rest / consultants > high:
            consultants += 1
        while consultants > 1 and rest / consultants < low:
            consultants -= 1
        if not low <= rest / consultants <= high:
            raise ValueError(f"{client_count} clients are too few for caseloads of {low}-{high}.")
        base, extra = divmod(rest, consultants)
        sizes = [base + (1 if i < extra else 0) for i in range(consultants)]
        caseloads.append(([fixed] if fixed else []) + sizes)
    return caseloads


def _balance_caseloads(sizes: list[int], rng: random.Random, low: int, high: int, frozen: int) -> None:
    """Spread equal caseloads into a realistic range without changing their sum."""
    movable = list(range(frozen, len(sizes)))
    if len(movable) < 2:
        return
    for _ in range(len(movable) * 4):
        giver, taker = rng.sample(movable, 2)
        delta = rng.randint(1, 15)
        if sizes[giver] - delta >= low and sizes[taker] + delta <= high:
            sizes[giver] -= delta
            sizes[taker] += delta


def _plan_staff(spec: SizeSpec, client_count: int, rng: random.Random, fake: Faker) -> StaffLayout:
    """Staff of every role in teams; consultants serve one municipality each, one manager per team."""
    usernames = _Usernames([account.username for account in DEMO_ACCOUNTS])
    staff: list[StaffPlan] = []
    team_names: list[str] = []

    def person(roles: list[str], teams: list[int], demo_role: str | None = None) -> StaffPlan:
        if demo_role is not None:
            account = DEMO_BY_ROLE[demo_role]
            plan = StaffPlan(account.username, account.first_name, account.last_name, roles, teams, is_demo=True)
        else:
            female = rng.random() < 0.6
            first = fake.first_name_female() if female else fake.first_name_male()
            last = fake.last_name()
            plan = StaffPlan(usernames.make(first, last), first, last, roles, teams)
        staff.append(plan)
        return plan

    caseloads = _caseload_sizes(spec, client_count)
    low = max(CASELOAD_MIN, round(spec.average_caseload * 0.7))
    high = min(CASELOAD_MAX, round(spec.average_caseload * 1.3))
    municipality_consultants: list[list[tuple[int, int]]] = []
    consultant_indices: list[int] = []
    for m_index, (municipality, sizes) in enumerate(zip(MUNICIPALITIES, caseloads, strict=True)):
        demo_here = m_index == 0
        _balance_caseloads(sizes, rng, low, high, frozen=1 if demo_here else 0)
        team_count = min(spec.teams_per_municipality[m_index], len(sizes))
        teams = []
        for kind in CONSULTANT_TEAM_KINDS[:team_count]:
            team_names.append(f"{municipality.name} {kind}")
            teams.append(len(team_names) - 1)
        pairs = []
        for c_index, caseload in enumerate(sizes):
            team = teams[c_index % team_count]
            demo_role = Role.CONSULTANT if demo_here and c_index == 0 else None
            person([Role.CONSULTANT], [team], demo_role)
            pairs.append((len(staff) - 1, caseload))
            consultant_indices.append(len(staff) - 1)
        municipality_consultants.append(pairs)
        for t_position, team in enumerate(teams):
            demo_role = Role.TEAM_MANAGER if demo_here and t_position == 0 else None
            person([Role.TEAM_MANAGER], [team], demo_role)

    # Some consultants also train; they stay in their own team (the trainer pool's manager does not see caseloads).
    non_demo_consultants = [i for i in consultant_indices if not staff[i].is_demo]
    for index in rng.sample(non_demo_consultants, min(spec.consultant_trainers, len(non_demo_consultants))):
        plan = staff[index]
        plan.roles.append(Role.TRAINER)
        plan.trainer_hours = Decimal(rng.choice((4, 6, 8)))
        plan.competences = rng.sample(["rechten-en-plichten", "sollicitatietraining"], rng.randint(1, 2))

    slugs = [p.slug for p in PROGRAMMES]
    team_names.append(TRAINER_POOL_TEAM)
    pool = len(team_names) - 1
    for t_index in range(spec.dedicated_trainers):
        demo_role = Role.TRAINER if t_index == 0 else None
        plan = person([Role.TRAINER], [pool], demo_role)
        plan.trainer_hours = Decimal(rng.choice((16, 20, 24, 28, 32)))
        if demo_role:
            plan.competences = list(DEMO_TRAINER_PROGRAMMES)
        else:
            # Round-robin so every programme has several trainers, plus one or two extra competences.
            own = {slugs[t_index % len(slugs)], *rng.sample(slugs, rng.randint(1, 2))}
            plan.competences = [slug for slug in slugs if slug in own]
    person([Role.TEAM_MANAGER], [pool])

    team_names.append(BACKOFFICE_TEAM)
    backoffice = len(team_names) - 1
    for p_index in range(spec.planners):
        person([Role.PLANNER], [backoffice], Role.PLANNER if p_index == 0 else None)
    person([Role.TEAM_MANAGER], [backoffice])

    team_names.append(STAFF_TEAM)
    staff_team = len(team_names) - 1
    for role, count in (
        (Role.POLICY, spec.policy_staff),
        (Role.ADMINISTRATOR, spec.administrators),
        (Role.PRIVACY_OFFICER, spec.privacy_officers),
    ):
        for index in range(count):
            person([role], [staff_team], role if index == 0 else None)
    person([Role.TEAM_MANAGER], [staff_team])

    return StaffLayout(staff, team_names, municipality_consultants)


# --- Clients ----------------------------------------------------------------------------------------------------


def _weighted(rng: random.Random, options: Sequence[tuple[str, float]]) -> str:
    return rng.choices([o[0] for o in options], weights=[o[1] for o in options])[0]


def _bsn_pool(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct fictitious BSNs in the demo block, each passing the elfproef."""
    weights = (9, 8, 7, 6, 5, 4, 3, 2)
    candidates = []
    for number in range(*BSN_BLOCK):
        digits = f"{BSN_PREFIX}{number:05d}"
        check = sum(w * int(d) for w, d in zip(weights, digits, strict=True)) % 11
        if check < 10:
            candidates.append(f"{digits}{check}")
    if count > len(candidates):
        raise ValueError(f"The demo BSN block holds {len(candidates)} numbers; {count} asked.")
    chosen = rng.sample(candidates, count)
    assert all(bsn_number.is_valid(number) for number in chosen)
    return chosen


def _name(rng: random.Random, fakers: dict[str, Faker]) -> tuple[str, str]:
    background = _weighted(rng, BACKGROUNDS)
    female = rng.random() < 0.5
    if background in fakers:
        fake = fakers[background]
        return (fake.first_name_female() if female else fake.first_name_male()), fake.last_name()
    male_names, female_names, last_names = NAME_LISTS[background]
    return rng.choice(female_names if female else male_names), rng.choice(last_names)


def _ascii(name: str) -> str:
    """Lower-case ASCII letters for an address or username: 'Yılmaz' -> 'yilmaz', "van 't Riet" -> 'vantriet'."""
    return slugify(name.translate(ASCII_LETTERS)).replace("-", "")


def _email(rng: random.Random, first: str, last: str) -> str:
    """Addresses under the reserved example domains (RFC 2606), so no mail can reach a real person."""
    local = f"{_ascii(first)}.{_ascii(last)}"
    return f"{local}{rng.randint(1, 99)}@{rng.choice(('example.com', 'example.net', 'example.org'))}"


def _postcode(rng: random.Random, postcode_range: tuple[int, int]) -> str:
    """A postcode in the municipality's range; Dutch postcodes skip F, I, O, Q, U, Y and the pairs SA, SD, SS."""
    letters = "ABCDEGHJKLMNPRSTVWXZ"
    pair = "SS"
    while pair in ("SA", "SD", "SS"):
        pair = rng.choice(letters) + rng.choice(letters)
    return f"{rng.randint(*postcode_range)} {pair}"


def _aware(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _plan_clients(layout: StaffLayout, rng: random.Random, fakers: dict[str, Faker], now: datetime) -> list[ClientPlan]:
    """Clients spread over caseloads in random order, with needs and contra-indications at realistic shares."""
    slots = [
        (m_index, consultant)
        for m_index, pairs in enumerate(layout.caseloads)
        for consultant, caseload in pairs
        for _ in range(caseload)
    ]
    rng.shuffle(slots)
    bsns = _bsn_pool(rng, len(slots))
    today = timezone.localdate(now)
    plans = []
    for (m_index, consultant), bsn in zip(slots, bsns, strict=True):
        municipality = MUNICIPALITIES[m_index]
        first, last = _name(rng, fakers)
        low_age, high_age, _ = rng.choices(AGE_BANDS, weights=[band[2] for band in AGE_BANDS])[0]
        birth = today - timedelta(days=rng.randint(low_age * 365 + 10, high_age * 365 + 360))
        flags = []
        for kind, share in FLAG_SHARES.items():
            if rng.random() < share:
                # A crisis is recent by nature; other flags were recorded over the past two years.
                days_ago = rng.randint(0, 120 if kind == FlagKind.ACUTE_CRISIS else 730)
                moment = _aware(today - timedelta(days=days_ago), rng.randint(8, 16), rng.choice((0, 15, 30, 45)))
                flags.append((kind, rng.choice(FLAG_NOTES[kind]), min(moment, now)))
        house = f"{rng.randint(1, 160)}{rng.choice(('', '', '', '', 'a', 'b', '-1', '-2'))}"
        plans.append(
            ClientPlan(
                municipality=m_index,
                consultant=consultant,
                bsn=bsn,
                first_name=first,
                last_name=last,
                date_of_birth=birth,
                email=_email(rng, first, last) if rng.random() < 0.8 else "",
                phone=f"06-{rng.randint(10_000_000, 69_999_999)}" if rng.random() < 0.9 else "",
                street=f"{rng.choice(STREETS)} {house}",
                postal_code=_postcode(rng, municipality.postcode_range),
                city=_weighted(rng, municipality.places),
                flags=flags,
            )
        )
    return plans


# --- Group runs -------------------------------------------------------------------------------------------------


def _room_specs(spec: SizeSpec) -> list[tuple[int, RoomSpec]]:
    """(location index, room) for the rooms this size uses; the location of municipality i is i."""
    return [
        (location, room)
        for location in range(len(MUNICIPALITIES))
        for room in ROOMS_PER_LOCATION[location][: spec.rooms_per_location]
    ]


def _weekday(day: date) -> date:
    """The day itself, or the Monday after when it falls in a weekend."""
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def _session_dates(plan: RunPlan) -> list[date]:
    return [plan.start_date + timedelta(weeks=k) for k in range(PROGRAMMES[plan.programme].session_count)]


def _status(plan: RunPlan, today: date, rng: random.Random) -> str:
    last = _session_dates(plan)[-1]
    if plan.start_date > today:
        return RunStatus.PLANNED
    if last >= today:
        return RunStatus.RUNNING
    if not plan.for_demo_trainer and rng.random() < CANCELLED_SHARE:
        return RunStatus.CANCELLED
    return RunStatus.COMPLETED


class _Calendar:
    """Which rooms and trainers are taken on which day part, so no one is booked twice."""

    def __init__(self) -> None:
        self.rooms: set[tuple[int, date, str]] = set()
        self.trainers: set[tuple[int, date, str]] = set()
        self.load: dict[int, int] = {}

    def room_free(self, room: int, days: list[date], part: str) -> bool:
        return not any((room, day, part) in self.rooms for day in days)

    def trainer_free(self, trainer: int, days: list[date], part: str) -> bool:
        return not any((trainer, day, part) in self.trainers for day in days)

    def book(self, plan: RunPlan, room: int, days: list[date]) -> None:
        for day in days:
            self.rooms.add((room, day, plan.daypart))
            for trainer in plan.trainers:
                self.trainers.add((trainer, day, plan.daypart))
        for trainer in plan.trainers:
            self.load[trainer] = self.load.get(trainer, 0) + len(days)


def _plan_runs(
    spec: SizeSpec,
    client_count: int,
    staff: list[StaffPlan],
    clients: list[ClientPlan],
    rng: random.Random,
    today: date,
) -> list[RunPlan]:
    """Past, current and upcoming runs with a room, trainers and suitable participants."""
    run_count = max(len(PROGRAMMES) * 2, round(spec.runs * client_count / spec.clients))
    slug_index = {p.slug: i for i, p in enumerate(PROGRAMMES)}
    demo_trainer = next(i for i, s in enumerate(staff) if s.username == DEMO_BY_ROLE[Role.TRAINER].username)

    def new_run(programme: int, municipality: int, start: date, *, for_demo: bool = False) -> RunPlan:
        spec_p = PROGRAMMES[programme]
        return RunPlan(
            programme=programme,
            municipality=municipality,
            start_date=_weekday(start),
            size=rng.randint(spec_p.min_size, spec_p.max_size),
            trainer_count=rng.randint(*spec_p.trainers),
            for_demo_trainer=for_demo,
        )

    # Fixed runs for the demo trainer in the first municipality: upcoming, running and completed.
    anchors = [
        new_run(slug_index["rechten-en-plichten"], 0, today + timedelta(days=3), for_demo=True),
        new_run(slug_index["empowermenttraining"], 0, today + timedelta(days=8), for_demo=True),
        new_run(slug_index["sollicitatietraining"], 0, today - timedelta(days=14), for_demo=True),
        new_run(slug_index["empowermenttraining"], 0, today - timedelta(days=120), for_demo=True),
    ]
    programme_weights = [p.run_weight for p in PROGRAMMES]
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
    for _ in range(max(0, run_count - len(anchors) - len(others))):
        chosen = rng.choices(range(len(PROGRAMMES)), weights=programme_weights)[0]
        others.append(new_run(chosen, municipality(), today + timedelta(days=rng.randint(*RUN_WINDOW_DAYS))))
    others.sort(key=lambda plan: (plan.start_date, plan.programme, plan.municipality))
    runs = anchors + others

    rooms = _room_specs(spec)
    trainers = [i for i, s in enumerate(staff) if Role.TRAINER in s.roles]
    calendar = _Calendar()
    for plan in runs:
        _place(plan, rooms, trainers, staff, calendar, rng, demo_trainer if plan.for_demo_trainer else None)
        plan.status = _status(plan, today, rng)
    _fill_runs(runs, staff, clients, rng, today)
    return runs


def _place(
    plan: RunPlan,
    rooms: list[tuple[int, RoomSpec]],
    trainers: list[int],
    staff: list[StaffPlan],
    calendar: _Calendar,
    rng: random.Random,
    required_trainer: int | None,
) -> None:
    """Find a day part, room and trainers free on every session date; move the start a day on if needed."""
    slug = PROGRAMMES[plan.programme].slug
    competent = [t for t in trainers if slug in staff[t].competences]
    for shift in range(30):
        start = _weekday(plan.start_date + timedelta(days=shift))
        days = [start + timedelta(weeks=k) for k in range(PROGRAMMES[plan.programme].session_count)]
        for part in rng.sample(DAYPARTS, len(DAYPARTS)):
            room = _pick_room(plan, rooms, days, part, calendar, rng)
            if room is None:
                continue
            free = [t for t in competent if calendar.trainer_free(t, days, part)]
            if required_trainer is not None:
                if required_trainer not in free:
                    continue
                free.remove(required_trainer)
            # Least loaded relative to their hours first; the random key breaks ties reproducibly.
            free.sort(key=lambda t: (calendar.load.get(t, 0) / float(staff[t].trainer_hours or 1), rng.random()))
            chosen = ([required_trainer] if required_trainer is not None else []) + free
            if not chosen:
                continue
            plan.start_date, plan.daypart, plan.room = start, part, room
            plan.trainers = chosen[: plan.trainer_count]
            calendar.book(plan, room, days)
            return
    raise RuntimeError(f"No room or trainer free for {slug} around {plan.start_date}.")


def _pick_room(
    plan: RunPlan,
    rooms: list[tuple[int, RoomSpec]],
    days: list[date],
    part: str,
    calendar: _Calendar,
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


def _fill_runs(
    runs: list[RunPlan],
    staff: list[StaffPlan],
    clients: list[ClientPlan],
    rng: random.Random,
    today: date,
) -> None:
    """Participants from the run's municipality, never with a contra-indication, at most one run per programme.

    Clients with a need (language, cognitive, psychological) take at most a third of the places, so a group keeps
    room for the extra support they need (DOMAIN.md §4, screening).
    """
    demo_consultant = next(i for i, s in enumerate(staff) if s.username == DEMO_BY_ROLE[Role.CONSULTANT].username)
    with_need: list[list[int]] = [[] for _ in MUNICIPALITIES]
    without_need: list[list[int]] = [[] for _ in MUNICIPALITIES]
    demo_caseload: list[int] = []
    for index, client in enumerate(clients):
        kinds = {kind for kind, _, _ in client.flags}
        if kinds & CONTRA_INDICATION_KINDS:
            continue
        (with_need if kinds & NEED_KINDS else without_need)[client.municipality].append(index)
        if client.consultant == demo_consultant:
            demo_caseload.append(index)
    placed: set[tuple[int, int]] = set()  # (client, programme)

    def draw(pool: list[int], count: int, programme: int, taken: list[int]) -> None:
        attempts = 0
        while count > 0 and pool and attempts < len(pool) * 3 + 50:
            attempts += 1
            candidate = pool[rng.randrange(len(pool))]
            if (candidate, programme) in placed or candidate in taken:
                continue
            placed.add((candidate, programme))
            taken.append(candidate)
            count -= 1

    for plan in runs:
        programme = PROGRAMMES[plan.programme]
        size = plan.size
        if plan.status == RunStatus.CANCELLED:
            # Cancelled for too few registrations: fewer than the minimum had been placed.
            size = rng.randint(max(2, programme.min_size - 4), programme.min_size - 1)
        taken: list[int] = []
        if plan.for_demo_trainer and plan.municipality == 0:
            # The demo trainer meets some of the demo consultant's clients, so both demo logins see them.
            draw(demo_caseload, min(3, size), plan.programme, taken)
        need_places = rng.randint(0, size // 3)
        draw(with_need[plan.municipality], need_places, plan.programme, taken)
        draw(without_need[plan.municipality], size - len(taken), plan.programme, taken)
        if len(taken) < size:
            draw(with_need[plan.municipality], size - len(taken), plan.programme, taken)
        days = _session_dates(plan)
        for client_index in taken:
            joined = plan.start_date
            if programme.is_continuous:
                # Continuous intake: people join at any session held so far.
                joined = rng.choice([day for day in days if day <= today] or [plan.start_date])
            plan.participants.append((client_index, joined))


# --- Writing ----------------------------------------------------------------------------------------------------


def _check_usernames_free(usernames: list[str]) -> None:
    taken: list[str] = []
    for start in range(0, len(usernames), 500):
        chunk = usernames[start : start + 500]
        taken += User.objects.filter(username__in=chunk).values_list("username", flat=True)
    if taken:
        raise UsernameTakenError(", ".join(sorted(taken)[:10]))


def _delete_role_assignments_quietly(organisation: Organisation) -> None:
    """Delete role assignments in one statement: the post_delete signal would write an event per row."""
    role_table = RoleAssignment._meta.db_table
    user_table = User._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {role_table} WHERE user_id IN "  # noqa: S608 - table names come from model metadata
            f"(SELECT id FROM {user_table} WHERE organisation_id = %s)",
            [organisation.pk],
        )


def _write(
    spec: SizeSpec,
    layout: StaffLayout,
    client_plans: list[ClientPlan],
    runs: list[RunPlan],
    password: str,
    now: datetime,
    progress: ProgressCallback | None,
) -> SeedResult:
    staff = layout.staff
    organisation = Organisation.objects.create(name=DEMO_ORGANISATION_NAME)
    municipalities = Municipality.objects.bulk_create(
        [Municipality(organisation=organisation, name=m.name, cbs_code=m.cbs_code) for m in MUNICIPALITIES]
    )
    teams = Team.objects.bulk_create([Team(organisation=organisation, name=name) for name in layout.team_names])

    # Hash once: Argon2 is slow on purpose, and every demo account shares the password.
    demo_hash = make_password(password)
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                username=plan.username,
                first_name=plan.first_name,
                last_name=plan.last_name,
                email=f"{plan.username}@{STAFF_EMAIL_DOMAIN}",
                organisation=organisation,
                is_demo_account=plan.is_demo,
                password=demo_hash if plan.is_demo else unusable,
                date_joined=now,
            )
            for plan in staff
        ],
        batch_size=BATCH_SIZE,
    )
    TeamMembership.objects.bulk_create(
        [TeamMembership(user_id=users[i].pk, team_id=teams[t].pk) for i, plan in enumerate(staff) for t in plan.teams],
        batch_size=BATCH_SIZE,
    )
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=users[i], role=role) for i, plan in enumerate(staff) for role in plan.roles],
        batch_size=BATCH_SIZE,
    )
    names = {p.slug: p.name for p in PROGRAMMES}
    TrainerProfile.objects.bulk_create(
        [
            TrainerProfile(
                user=users[i],
                hours_per_week=plan.trainer_hours,
                competences=", ".join(names[slug] for slug in plan.competences),
            )
            for i, plan in enumerate(staff)
            if plan.trainer_hours is not None
        ],
        batch_size=BATCH_SIZE,
    )

    clients: list[Client] = []
    total = len(client_plans)
    for start in range(0, total, BATCH_SIZE):
        chunk = client_plans[start : start + BATCH_SIZE]
        clients += Client.objects.bulk_create(
            [
                Client(
                    organisation=organisation,
                    municipality=municipalities[plan.municipality],
                    consultant=users[plan.consultant],
                    bsn=plan.bsn,
                    first_name=plan.first_name,
                    last_name=plan.last_name,
                    date_of_birth=plan.date_of_birth,
                    email=plan.email,
                    phone=plan.phone,
                    street=plan.street,
                    postal_code=plan.postal_code,
                    city=plan.city,
                    is_demo=True,
                )
                for plan in chunk
            ]
        )
        done = start + len(chunk)
        if progress and total >= PROGRESS_EVERY and (done % PROGRESS_EVERY == 0 or done == total):
            progress("Cliënten", done, total)
    flags = [
        ScreeningFlag(client=clients[i], kind=kind, note=note, recorded_at=moment, recorded_by=users[plan.consultant])
        for i, plan in enumerate(client_plans)
        for kind, note, moment in plan.flags
    ]
    ScreeningFlag.objects.bulk_create(flags, batch_size=BATCH_SIZE)
    if progress and total >= PROGRESS_EVERY:
        progress("Signaleringen", len(flags), len(flags))

    programmes = Programme.objects.bulk_create(
        [
            Programme(
                organisation=organisation,
                name=p.name,
                slug=p.slug,
                description=p.description,
                goal_type=p.goal_type,
                target_group=p.target_group,
                session_count=p.session_count,
                session_minutes=p.session_minutes,
                min_size=p.min_size,
                max_size=p.max_size,
                is_mandatory=p.is_mandatory,
                is_continuous=p.is_continuous,
            )
            for p in PROGRAMMES
        ]
    )
    rooms = Room.objects.bulk_create(
        [
            Room(
                organisation=organisation,
                name=room.name,
                location=MUNICIPALITIES[location].location,
                capacity=room.capacity,
                has_daylight=room.has_daylight,
                accessible_without_escort=room.accessible_without_escort,
                has_av=room.has_av,
            )
            for location, room in _room_specs(spec)
        ]
    )
    group_runs = GroupRun.objects.bulk_create(
        [
            GroupRun(
                programme=programmes[plan.programme],
                municipality=municipalities[plan.municipality],
                room=rooms[plan.room] if plan.room is not None else None,
                start_date=plan.start_date,
                status=plan.status,
            )
            for plan in runs
        ],
        batch_size=BATCH_SIZE,
    )
    RunTrainer.objects.bulk_create(
        [
            RunTrainer(grouprun_id=group_runs[r].pk, user_id=users[t].pk)
            for r, plan in enumerate(runs)
            for t in plan.trainers
        ],
        batch_size=BATCH_SIZE,
    )
    participations = [
        Participation(group_run=group_runs[r], client=clients[c], joined_on=joined)
        for r, plan in enumerate(runs)
        for c, joined in plan.participants
    ]
    Participation.objects.bulk_create(participations, batch_size=BATCH_SIZE)
    if progress and total >= PROGRESS_EVERY:
        progress("Deelnames", len(participations), len(participations))

    counts = {
        "municipalities": len(municipalities),
        "teams": len(teams),
        "staff": len(users),
        "trainers": sum(1 for plan in staff if plan.trainer_hours is not None),
        "clients": len(clients),
        "flags": len(flags),
        "programmes": len(programmes),
        "rooms": len(rooms),
        "runs": len(group_runs),
        "participations": len(participations),
    }
    logins = [(account.username, account.role) for account in DEMO_ACCOUNTS]
    return SeedResult(organisation, counts, logins)
