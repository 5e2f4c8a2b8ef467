"""Fictitious demo data: one regional organisation with its staff, clients and their dossiers; the group work
(programmes, runs and the process around them) comes from ``koers.demo.groupwork``.

Everything random comes from ``random.Random`` instances and Faker instances seeded from the seed, so a seed
gives the same people, BSNs, flags, dossiers and runs every time (for the same Faker version and the same day:
dates are relative to today). Nothing here reads global randomness. The data is built in memory first and written
with ``bulk_create`` (or plain multi-row INSERTs for leaf tables) inside one transaction; neither sends signals, so
seeding writes no audit events per row.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
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
from koers.clients.models import AccessGrant, Client, FlagKind, ScreeningFlag
from koers.demo import groupwork
from koers.demo import measurement as demo_measurement
from koers.demo.bulk import delete_rows, insert_rows
from koers.demo.data import (
    AGE_BANDS,
    AVAILABILITY_PATTERNS,
    BACKGROUNDS,
    BACKOFFICE_TEAM,
    BSN_BLOCK,
    BSN_PREFIX,
    CASELOAD_MAX,
    CASELOAD_MIN,
    CONSULTANT_TEAM_KINDS,
    DEMO_ACCOUNTS,
    DEMO_BY_ROLE,
    DEMO_CONSULTANT_CASELOAD,
    DEMO_ORGANISATION_NAME,
    DEMO_TRAINER_PROGRAMMES,
    FAKER_LOCALES,
    FLAG_NOTES,
    FLAG_SHARES,
    GOALS,
    GROUP_PROGRAMME_PURPOSES,
    GROUP_PROGRAMME_RESULTS,
    GROUP_PROGRAMME_WEEKS,
    IGM_DESCRIPTIONS,
    INSTRUMENT_TYPES,
    INTERMEDIATE_GOALS,
    LANGUAGE_LEVELS_LOW,
    LANGUAGE_LEVELS_OTHER,
    MUNICIPALITIES,
    NAME_LISTS,
    OUTCOMES,
    OUTFLOW_SHARES,
    OVER_DURATION_SHARE,
    PERSPECTIVES,
    PLAN_AGREEMENTS,
    PROGRAMMES,
    REPORT_CHANGED,
    REPORT_NEXT,
    REPORT_OVERDUE_SHARE,
    REPORT_SUMMARIES,
    REVIEW_OVERDUE_SHARE,
    SIZES,
    STAFF_EMAIL_DOMAIN,
    STAFF_TEAM,
    STOP_REASONS,
    STREETS,
    STRENGTHS,
    TARGET_BEHAVIOURS,
    TRAINER_POOL_TEAM,
    TRAJECTORY_SHARE,
    UNSPECIFIED_WEEKS,
    URGENT_BARRIER_SHARE,
    URGENT_WITHOUT_ACTION_SHARE,
    WEEKDAY_CODES,
    InstrumentTypeSpec,
    SizeSpec,
)
from koers.demo.plans import (
    ClientPlan,
    InstrumentPlan,
    Intents,
    ReportPlan,
    StaffPlan,
    TrajectoryPlan,
    aware,
)
from koers.principles.services import month_ends, record_snapshots
from koers.trajectories.models import (
    Goal,
    GoalStatus,
    IgmFactor,
    IgmFactorScore,
    IgmProfile,
    Instrument,
    InstrumentKind,
    InstrumentStatus,
    InstrumentType,
    LifeDomain,
    LifeDomainAssessment,
    LifeDomainScore,
    ProgressReport,
    ProgressReportFacet,
    Trajectory,
)

BATCH_SIZE = 2_000
PROGRESS_EVERY = 10_000

ProgressCallback = Callable[[str, int, int], None]
ASCII_LETTERS = str.maketrans({"ı": "i", "İ": "I", "ł": "l", "Ł": "L", "ø": "o", "ß": "ss"})
TeamMembership = User.teams.through


class DemoAlreadySeededError(Exception):
    """The demo organisation exists already; seeding again would duplicate it."""


class UsernameTakenError(Exception):
    """A username the seed needs belongs to someone outside the demo organisation."""


# --- In-memory plan ----------------------------------------------------------------------------------------------


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
    _plan_client_details(client_plans, random.Random(f"koers-demo-details-{seed}"))
    runs = groupwork.plan_runs(spec, client_count, layout.staff, rng, today)
    dossiers = _plan_dossiers(client_plans, layout.staff, spec, random.Random(f"koers-demo-dossiers-{seed}"), today)
    group_work = groupwork.plan_group_work(
        runs,
        layout.staff,
        client_plans,
        dossiers,
        [entry.name for entry in _catalogue()],
        spec,
        random.Random(f"koers-demo-groupwork-{seed}"),
        today,
        now,
    )
    measurements = demo_measurement.plan_measurements(
        dossiers,
        runs,
        [referral.trajectory for referral in group_work.referrals],
        next(i for i, s in enumerate(layout.staff) if s.username == DEMO_BY_ROLE[Role.CONSULTANT].username),
        size,
        random.Random(f"koers-demo-measurements-{seed}"),
        today,
    )
    if progress and client_count >= PROGRESS_EVERY:
        progress("Cliënten gegenereerd", len(client_plans), client_count)
        progress("Trajecten gegenereerd", len(dossiers), len(dossiers))
        progress("Aanmeldingen gegenereerd", len(group_work.referrals), len(group_work.referrals))

    with transaction.atomic():
        existing = Organisation.objects.filter(name=DEMO_ORGANISATION_NAME).first()
        if existing is not None:
            if not reset:
                raise DemoAlreadySeededError(DEMO_ORGANISATION_NAME)
            delete_demo_organisation(existing)
        _check_usernames_free([plan.username for plan in layout.staff])
        result = _write(spec, layout, client_plans, group_work, dossiers, measurements, password, now, progress)
    _refresh_planner_statistics()
    return result


def _refresh_planner_statistics() -> None:
    """After a bulk load PostgreSQL's planner still has the empty tables' statistics and picks plans for the
    principles audit that take seconds instead of milliseconds: ``ANALYZE`` at once instead of waiting for
    autovacuum (which may be off)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def delete_demo_organisation(organisation: Organisation) -> None:
    """Remove the demo organisation and everything hanging off it, children before parents.

    Links from outside the organisation to its staff are cleared rather than deleted, and the audit trail stays:
    events by demo staff keep the username but lose the link to the deleted account. Role assignments go without
    their per-row audit signal; one event records the reset instead. A model added later that protects a link
    to a client or staff member must be added here. Large tables go in one statement each (``delete_rows``), which
    falls back to Django's collector when anything still points at their rows.
    """
    org = organisation
    groupwork.delete_group_work(org)
    demo_measurement.delete_measurements(org)
    AccessGrant.objects.filter(Q(client__organisation=org) | Q(user__organisation=org)).delete()
    AccessGrant.objects.filter(granted_by__organisation=org).update(granted_by=None)
    delete_rows(ScreeningFlag.objects.filter(client__organisation=org))
    ScreeningFlag.objects.filter(recorded_by__organisation=org).update(recorded_by=None)
    _delete_dossiers(org)
    delete_rows(Client.objects.filter(organisation=org))
    AuditEvent.objects.filter(actor__organisation=org).update(actor=None)
    _delete_role_assignments_quietly(org)
    User.objects.filter(organisation=org).delete()
    Team.objects.filter(organisation=org).delete()
    Municipality.objects.filter(organisation=org).delete()
    InstrumentType.objects.filter(organisation=org).delete()
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
        plan.trainer_hours = Decimal(rng.choice((6, 8)))
        plan.switching_minutes = 30  # switching between the caseload and the group (DOMAIN.md §4)
        plan.competences = rng.sample(["rechten-en-plichten", "sollicitatietraining"], rng.randint(1, 2))

    slugs = [p.slug for p in PROGRAMMES]
    team_names.append(TRAINER_POOL_TEAM)
    pool = len(team_names) - 1
    for t_index in range(spec.dedicated_trainers):
        demo_role = Role.TRAINER if t_index == 0 else None
        plan = person([Role.TRAINER], [pool], demo_role)
        plan.trainer_hours = Decimal(rng.choice((16, 20, 24, 28, 32)))
        if demo_role:
            plan.trainer_hours = Decimal(32)
            plan.competences = list(DEMO_TRAINER_PROGRAMMES)
        else:
            # Round-robin so every programme has several trainers, plus one or two extra competences.
            own = {slugs[(t_index - 1) % len(slugs)], *rng.sample(slugs, rng.randint(1, 2))}
            plan.competences = [slug for slug in slugs if slug in own]
    dedicated = [p for p in staff if Role.TRAINER in p.roles and not p.is_demo and Role.CONSULTANT not in p.roles]
    for slug in slugs:
        # At least two trainers per programme, so a run can always be given (and by two when it needs two).
        while sum(slug in p.competences for p in staff) < 2:
            plan = min((p for p in dedicated if slug not in p.competences), key=lambda p: len(p.competences))
            plan.competences = [s for s in slugs if s in {*plan.competences, slug}]
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
                moment = aware(today - timedelta(days=days_ago), rng.randint(8, 16), rng.choice((0, 15, 30, 45)))
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


def _plan_client_details(clients: list[ClientPlan], rng: random.Random) -> None:
    """Dutch language level (below A2 for those with the language need) and the day parts a client can come."""
    every_day = [f"{day}_{part}" for day in WEEKDAY_CODES for part in ("morning", "afternoon")]
    patterns = {
        "weekdays": every_day,
        "mornings": [f"{day}_morning" for day in WEEKDAY_CODES],
        "afternoons": [f"{day}_afternoon" for day in WEEKDAY_CODES],
        "not_wednesday": [slot for slot in every_day if not slot.startswith("wed")],
        "not_friday": [slot for slot in every_day if not slot.startswith("fri")],
        "unknown": [],
    }
    for client in clients:
        low = any(kind == FlagKind.LOW_LANGUAGE for kind, _, _ in client.flags)
        client.language_level = _weighted(rng, LANGUAGE_LEVELS_LOW if low else LANGUAGE_LEVELS_OTHER)
        client.availability = list(patterns[_weighted(rng, AVAILABILITY_PATTERNS)])


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
    group_work: groupwork.GroupWorkPlan,
    dossiers: list[TrajectoryPlan],
    measurements: list[demo_measurement.SeriesPlan],
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
    trainers = groupwork.write_trainer_profiles(staff, users, BATCH_SIZE)

    clients: list[Client] = []
    total = len(client_plans)
    loud = progress if total >= PROGRESS_EVERY else None
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
                    language_level=plan.language_level,
                    availability=plan.availability,
                    is_demo=True,
                )
                for plan in chunk
            ]
        )
        done = start + len(chunk)
        if loud and (done % PROGRESS_EVERY == 0 or done == total):
            loud("Cliënten", done, total)
    flags = [
        ScreeningFlag(client=clients[i], kind=kind, note=note, recorded_at=moment, recorded_by=users[plan.consultant])
        for i, plan in enumerate(client_plans)
        for kind, note, moment in plan.flags
    ]
    ScreeningFlag.objects.bulk_create(flags, batch_size=BATCH_SIZE)
    if loud:
        loud("Signaleringen", len(flags), len(flags))

    types = InstrumentType.objects.bulk_create(
        [
            InstrumentType(organisation=organisation, name=item.name, kind=item.kind, default_weeks=item.default_weeks)
            for item in _catalogue()
        ]
    )
    catalogue = groupwork.write_catalogue(organisation, spec, types)
    links: dict[int, tuple[int, int]] = {}
    dossier_counts = _write_dossiers(users, clients, types, dossiers, links, loud)
    group_counts = groupwork.write_group_work(group_work, catalogue, municipalities, users, clients, links, BATCH_SIZE)
    if loud:
        loud("Aanmeldingen", group_counts["referrals"], group_counts["referrals"])
    today = timezone.localdate(now)
    measurement_counts = demo_measurement.write_measurements(
        organisation, measurements, users, demo_measurement.trajectory_keys(organisation, len(dossiers)), today
    )
    if loud:
        loud("Metingen", measurement_counts["measurements"], measurement_counts["measurements"])
    # The principles audit's trend needs history: the last months' ends, counted on today's dossiers. Statistics
    # first: planned for empty tables, each month's count takes half a minute on the large demo instead of a second.
    _refresh_planner_statistics()
    snapshots = sum(record_snapshots(organisation, day) for day in month_ends(today, spec.snapshot_months))

    counts = {
        "municipalities": len(municipalities),
        "teams": len(teams),
        "staff": len(users),
        "trainers": trainers,
        "clients": len(clients),
        "flags": len(flags),
        "programmes": len(catalogue.programmes),
        "rooms": len(catalogue.rooms),
        "instrument_types": len(types),
        **dossier_counts,
        **group_counts,
        **measurement_counts,
        "principle_snapshots": snapshots,
    }
    logins = [(account.username, account.role) for account in DEMO_ACCOUNTS]
    return SeedResult(organisation, counts, logins)


# --- Dossiers: trajectories with diagnosis, plan and progress ----------------------------------------------------

DOMAINS = list(LifeDomain.values)
FACTORS = list(IgmFactor.values)
URGENT_DOMAINS = (DOMAINS.index(LifeDomain.HOUSING), DOMAINS.index(LifeDomain.FINANCES))
REPORT_WEEKS = 13  # the caseload's default period without a progress report (KOERS_PROGRESS_REPORT_WEEKS)
DEBT_HELP, COACHING = "Schuldhulpverlening (verwijzing)", "Individuele coaching"


def _catalogue() -> list[InstrumentTypeSpec]:
    """The instrument catalogue: the fixed entries with one per group programme after the first."""
    programmes = [
        InstrumentTypeSpec(
            p.name, "group_programme", GROUP_PROGRAMME_WEEKS[p.slug], GROUP_PROGRAMME_PURPOSES, GROUP_PROGRAMME_RESULTS
        )
        for p in PROGRAMMES
    ]
    return [INSTRUMENT_TYPES[0], *programmes, *INSTRUMENT_TYPES[1:]]


def _days(day: date, other: date) -> int:
    return (day - other).days


def _draw_intents(rng: random.Random) -> Intents:
    urgent = rng.random() < URGENT_BARRIER_SHARE
    no_action = urgent and rng.random() < URGENT_WITHOUT_ACTION_SHARE
    return Intents(
        review=not no_action and rng.random() < REVIEW_OVERDUE_SHARE,
        over_duration=not no_action and rng.random() < OVER_DURATION_SHARE,
        urgent=urgent,
        no_action=no_action,
        report=rng.random() < REPORT_OVERDUE_SHARE,
    )


# The demo consultant's first four clients show one signal each, so every badge appears whatever the seed.
FORCED_INTENTS = (
    Intents(review=True),
    Intents(over_duration=True),
    Intents(urgent=True, no_action=True),
    Intents(report=True),
)


def _plan_dossiers(
    clients: list[ClientPlan], staff: list[StaffPlan], spec: SizeSpec, rng: random.Random, today: date
) -> list[TrajectoryPlan]:
    """Every client of the demo consultant and most others have an open trajectory; some have an ended one, which
    ended within the group-work history shown (a year and a half at least). Open ones started up to three years
    ago, or a year before the history starts, so that its first runs find participants."""
    demo = next(i for i, s in enumerate(staff) if s.username == DEMO_BY_ROLE[Role.CONSULTANT].username)
    catalogue = _catalogue()
    forced = list(FORCED_INTENTS)
    plans: list[TrajectoryPlan] = []
    for index, client in enumerate(clients):
        if client.consultant == demo or rng.random() < TRAJECTORY_SHARE:
            started = today - timedelta(days=rng.randint(30, max(1095, spec.history_days + 365)))
            intents = _draw_intents(rng)
            if client.consultant == demo and forced:
                intents = forced.pop(0)
                started = today - timedelta(days=rng.randint(200, 700))
            if rng.random() < spec.earlier_trajectory_share:
                ended = started - timedelta(days=rng.randint(1, 120))
                earlier = ended - timedelta(days=rng.randint(90, 720))
                plans.append(_plan_trajectory(rng, catalogue, index, client.consultant, earlier, ended, Intents()))
            plans.append(_plan_trajectory(rng, catalogue, index, client.consultant, started, None, intents, today))
        elif rng.random() < spec.ended_only_share:
            ended = today - timedelta(days=rng.randint(7, max(540, spec.history_days)))
            started = ended - timedelta(days=rng.randint(90, 720))
            plans.append(_plan_trajectory(rng, catalogue, index, client.consultant, started, ended, Intents()))
    return plans


def _plan_trajectory(
    rng: random.Random,
    catalogue: list[InstrumentTypeSpec],
    client: int,
    consultant: int,
    started: date,
    ended: date | None,
    intents: Intents,
    today: date | None = None,
) -> TrajectoryPlan:
    as_of = ended or today
    assert as_of is not None
    age = _days(as_of, started)
    agreed = rng.random() < 0.85 and age >= 14
    plan = TrajectoryPlan(
        client=client,
        consultant=consultant,
        started_on=started,
        ended_on=ended,
        outflow_reason=_weighted(rng, OUTFLOW_SHARES) if ended else "",
        future_perspective=rng.choice(PERSPECTIVES),
        strengths=" ".join(rng.sample(STRENGTHS, rng.randint(1, 3))),
        plan_agreed_on=started + timedelta(days=rng.randint(7, min(42, age))) if agreed else None,
        plan_agreement=rng.choice(PLAN_AGREEMENTS) if agreed else "",
    )
    _plan_diagnosis(plan, rng, as_of, intents)
    _plan_goals(plan, rng, as_of)
    _plan_instruments(plan, rng, catalogue, as_of, intents)
    _plan_reports(plan, rng, as_of, intents)
    plan.no_action = intents.no_action
    return plan


def _spread(first: date, last: date, count: int) -> list[date]:
    """``count`` dates from ``first`` up to (not including) ``last``, evenly apart."""
    span = max(0, _days(last, first))
    return [first + timedelta(days=span * k // count) for k in range(count)]


def _plan_diagnosis(plan: TrajectoryPlan, rng: random.Random, as_of: date, intents: Intents) -> None:
    """Life-domain assessments (mostly 2-4, often improving) and IGM profiles over the trajectory."""
    age = _days(as_of, plan.started_on)
    count = 1 if age < 120 else rng.choices((1, 2, 3), weights=(3, 4, 3))[0]
    dates = _spread(plan.started_on + timedelta(days=rng.randint(0, min(21, age))), as_of, count)
    latest = [rng.choices((2, 3, 4, 5), weights=(3, 4, 3, 1))[0] for _ in DOMAINS]
    if intents.urgent:
        latest[rng.choice(URGENT_DOMAINS)] = 1
    improving = rng.random() < 0.6
    scores = [latest]
    for _ in dates[1:]:
        later = scores[0]
        step = 0.35 if improving else 0.05
        scores.insert(0, [max(1, s - 1) if rng.random() < step else s for s in later])
    plan.assessments = list(zip(dates, scores, strict=True))

    count = 1 if age < 180 else rng.randint(1, 2)
    dates = _spread(plan.started_on + timedelta(days=rng.randint(7, max(7, min(42, age)))), as_of, count)
    dates = [min(day, as_of) for day in dates]
    behaviour = rng.choice(TARGET_BEHAVIOURS)
    factors = [rng.choices((1, 2, 3, 4, 5), weights=(1, 3, 4, 3, 1))[0] for _ in FACTORS]
    for day in dates:
        plan.profiles.append((day, behaviour, factors))
        factors = [min(5, s + 1) if rng.random() < 0.4 else s for s in factors]


def _plan_goals(plan: TrajectoryPlan, rng: random.Random, as_of: date) -> None:
    """One to three goals in the client's words, sometimes with an intermediate goal under the first."""
    age = _days(as_of, plan.started_on)
    for text in rng.sample(GOALS, rng.randint(1, 3)):
        if plan.ended_on is not None:
            status = GoalStatus.ACHIEVED if rng.random() < 0.6 else GoalStatus.STOPPED
        else:
            status = GoalStatus.ACHIEVED if age > 180 and rng.random() < 0.15 else GoalStatus.OPEN
        if status == GoalStatus.OPEN:
            target: date | None = as_of + timedelta(days=rng.randint(30, 270))
        else:
            target = plan.started_on + timedelta(days=rng.randint(0, age))
        plan.goals.append((text, target if rng.random() < 0.9 else None, status, None))
    if rng.random() < 0.3:
        _, parent_target, parent_status, _ = plan.goals[0]
        target = parent_target - timedelta(days=rng.randint(14, 60)) if parent_target else None
        plan.goals.append((rng.choice(INTERMEDIATE_GOALS), target, parent_status, 0))


def _plan_instruments(
    plan: TrajectoryPlan, rng: random.Random, catalogue: list[InstrumentTypeSpec], as_of: date, intents: Intents
) -> None:
    """A running instrument (set up for the intended signals) and some finished ones, each for a goal."""
    age = _days(as_of, plan.started_on)
    names = [spec.name for spec in catalogue]

    def instrument(type_index: int, **values: object) -> InstrumentPlan:
        spec = catalogue[type_index]
        return InstrumentPlan(
            type=type_index,
            goal=rng.randrange(len(plan.goals)),
            purpose=rng.choice(spec.purposes),
            expected_result=rng.choice(spec.results),
            **values,  # type: ignore[arg-type]
        )

    def weeks(type_index: int) -> int:
        return catalogue[type_index].default_weeks or UNSPECIFIED_WEEKS

    for _ in range(rng.choices((0, 1, 2), weights=(4, 4, 2))[0] if age >= 28 else 0):
        kind = rng.randrange(len(catalogue))
        start = plan.started_on + timedelta(days=rng.randint(0, age - 14))
        end = min(as_of, start + timedelta(days=rng.randint(14, weeks(kind) * 7)))
        stopped = rng.random() < 0.3
        plan.instruments.append(
            instrument(
                kind,
                started_on=start,
                planned_weeks=weeks(kind),
                review_on=start + timedelta(weeks=weeks(kind)),
                status=InstrumentStatus.STOPPED if stopped else InstrumentStatus.COMPLETED,
                ended_on=end,
                outcome="" if stopped else rng.choice(OUTCOMES),
                stop_reason=rng.choice(STOP_REASONS) if stopped else "",
            )
        )
    if plan.ended_on is not None or intents.no_action:
        if plan.ended_on is not None and not plan.instruments:
            # An ended trajectory used at least one instrument.
            kind = rng.randrange(len(catalogue))
            plan.instruments.append(
                instrument(
                    kind,
                    started_on=plan.started_on,
                    planned_weeks=weeks(kind),
                    review_on=plan.started_on + timedelta(weeks=weeks(kind)),
                    status=InstrumentStatus.COMPLETED,
                    ended_on=min(as_of, plan.started_on + timedelta(weeks=weeks(kind))),
                    outcome=rng.choice(OUTCOMES),
                )
            )
        return

    today = as_of
    if intents.urgent:
        kind = names.index(DEBT_HELP if rng.random() < 0.6 else COACHING)
    else:
        # A running group programme comes with its referral (koers.demo.groupwork), so not from here.
        kind = rng.choice([i for i, spec in enumerate(catalogue) if spec.kind != InstrumentKind.GROUP_PROGRAMME])
    planned = weeks(kind)
    review_on: date
    if intents.over_duration and age >= 42:
        planned = max(2, min(planned, (age - 14) // 7))
        start = today - timedelta(days=planned * 7 + rng.randint(1, min(60, age - planned * 7)))
        if intents.review:
            review_on = max(start, today - timedelta(days=rng.randint(1, 30)))
        else:  # extended at the last review: the next one lies ahead
            review_on = today + timedelta(days=rng.randint(7, 42))
        status = InstrumentStatus.ACTIVE
    elif intents.review or rng.random() < 0.8:
        status = InstrumentStatus.ACTIVE
        start = today - timedelta(days=rng.randint(min(7, age), max(min(7, age), min(age, planned * 7 - 1))))
        if intents.review:
            review_on = today - timedelta(days=rng.randint(1, max(1, _days(today, start))))
        else:
            review_on = start + timedelta(weeks=planned)
    else:
        status = InstrumentStatus.PLANNED
        start = today + timedelta(days=rng.randint(7, 28))
        review_on = start + timedelta(weeks=planned)
    plan.instruments.append(
        instrument(
            kind,
            started_on=None if status == InstrumentStatus.PLANNED and rng.random() < 0.5 else start,
            planned_weeks=planned,
            review_on=review_on,
            status=status,
        )
    )


def _plan_reports(plan: TrajectoryPlan, rng: random.Random, as_of: date, intents: Intents) -> None:
    """Zero to four progress reports; an open trajectory meant to signal has none in the last 13 weeks."""
    first = plan.started_on + timedelta(days=28)
    if plan.ended_on is not None:
        dates = _spread(first, as_of, rng.randint(1, 3)) if first < as_of else []
    else:
        cutoff = as_of - timedelta(weeks=REPORT_WEEKS)
        if plan.started_on >= cutoff:
            dates = [as_of - timedelta(days=rng.randint(0, 14))] if rng.random() < 0.5 else []
        elif intents.report:
            count = rng.randint(0, 3)
            dates = _spread(first, cutoff - timedelta(days=1), count) if first < cutoff - timedelta(days=1) else []
        else:
            last = as_of - timedelta(days=rng.randint(0, REPORT_WEEKS * 7 - 10))
            count = rng.randint(1, 4)
            dates = [*_spread(first, last, count - 1), last] if first < last else [last]
    dates = [max(day, plan.started_on) for day in dates]
    period_start = plan.started_on
    for day in sorted(dates):
        assessment = max((i for i, (on, _) in enumerate(plan.assessments) if on <= day), default=None)
        profile = max((i for i, (on, _, _) in enumerate(plan.profiles) if on <= day), default=None)
        plan.reports.append(
            ReportPlan(
                written_on=day,
                period_start=period_start,
                summary=rng.choice(REPORT_SUMMARIES),
                assessment=assessment,
                profile=profile,
                facets=[(rng.choice(REPORT_CHANGED), rng.choice(REPORT_NEXT)) for _ in FACTORS],
            )
        )
        period_start = day


def _write_dossiers(
    users: list[User],
    clients: list[Client],
    types: list[InstrumentType],
    dossiers: list[TrajectoryPlan],
    links: dict[int, tuple[int, int]],
    progress: ProgressCallback | None,
) -> dict[str, int]:
    """Write the trajectories in chunks: parents first, to know their keys. ``links`` receives per group referral
    the keys of the instrument and goal it comes from."""
    counts = dict.fromkeys(("trajectories", "assessments", "igm_profiles", "goals", "instruments", "reports"), 0)
    total = len(dossiers)
    for start in range(0, total, BATCH_SIZE):
        chunk = dossiers[start : start + BATCH_SIZE]
        _write_dossier_chunk(chunk, types, users, clients, counts, links)
        done = start + len(chunk)
        if progress and (done % PROGRESS_EVERY < BATCH_SIZE or done == total):
            progress("Trajecten", done, total)
    return counts


def _write_dossier_chunk(
    chunk: list[TrajectoryPlan],
    types: list[InstrumentType],
    users: list[User],
    clients: list[Client],
    counts: dict[str, int],
    links: dict[int, tuple[int, int]],
) -> None:
    trajectories = Trajectory.objects.bulk_create(
        [
            Trajectory(
                client=clients[plan.client],
                started_on=plan.started_on,
                ended_on=plan.ended_on,
                outflow_reason=plan.outflow_reason,
                future_perspective=plan.future_perspective,
                strengths=plan.strengths,
                plan_agreed_on=plan.plan_agreed_on,
                plan_agreement=plan.plan_agreement,
                created_by=users[plan.consultant],
            )
            for plan in chunk
        ],
        batch_size=BATCH_SIZE,
    )
    pairs = list(zip(chunk, trajectories, strict=True))
    assessments = LifeDomainAssessment.objects.bulk_create(
        [
            LifeDomainAssessment(trajectory=trajectory, assessed_on=on, assessed_by=users[plan.consultant])
            for plan, trajectory in pairs
            for on, _ in plan.assessments
        ],
        batch_size=BATCH_SIZE,
    )
    insert_rows(
        LifeDomainScore,
        ("assessment", "domain", "score", "note"),
        (
            (assessment.pk, domain, score, "")
            for assessment, scores in zip(assessments, (s for plan in chunk for _, s in plan.assessments), strict=True)
            for domain, score in zip(DOMAINS, scores, strict=True)
        ),
    )
    profiles = IgmProfile.objects.bulk_create(
        [
            IgmProfile(
                trajectory=trajectory, target_behaviour=behaviour, assessed_on=on, assessed_by=users[plan.consultant]
            )
            for plan, trajectory in pairs
            for on, behaviour, _ in plan.profiles
        ],
        batch_size=BATCH_SIZE,
    )
    insert_rows(
        IgmFactorScore,
        ("profile", "factor", "score", "description"),
        (
            (profile.pk, factor, score, IGM_DESCRIPTIONS[factor][0 if score <= 2 else 1 if score == 3 else 2])
            for profile, scores in zip(profiles, (s for plan in chunk for _, _, s in plan.profiles), strict=True)
            for factor, score in zip(FACTORS, scores, strict=True)
        ),
    )
    # Goals without a parent first, then the intermediate goals that point to them.
    top = Goal.objects.bulk_create(
        [
            Goal(trajectory=trajectory, text=text, target_date=target, status=status)
            for plan, trajectory in pairs
            for text, target, status, parent in plan.goals
            if parent is None
        ],
        batch_size=BATCH_SIZE,
    )
    goals: list[list[Goal]] = []
    position = 0
    steps: list[Goal] = []
    for plan, trajectory in pairs:
        own: list[Goal] = []
        for text, target, status, parent in plan.goals:
            if parent is None:
                own.append(top[position])
                position += 1
            else:
                step = Goal(trajectory=trajectory, parent=own[parent], text=text, target_date=target, status=status)
                own.append(step)
                steps.append(step)
        goals.append(own)
    Goal.objects.bulk_create(steps, batch_size=BATCH_SIZE)
    # Instruments a group referral comes from need their key; the others go in as plain rows (most of them).
    linked = [
        (item.referral, own[item.goal], trajectory, item)
        for (plan, trajectory), own in zip(pairs, goals, strict=True)
        for item in plan.instruments
        if item.referral is not None
    ]
    created = Instrument.objects.bulk_create(
        [
            Instrument(
                trajectory=trajectory,
                instrument_type=types[item.type],
                goal=goal,
                purpose=item.purpose,
                expected_result=item.expected_result,
                started_on=item.started_on,
                planned_weeks=item.planned_weeks,
                review_on=item.review_on,
                status=item.status,
                outcome=item.outcome,
                ended_on=item.ended_on,
                stop_reason=item.stop_reason,
            )
            for _, goal, trajectory, item in linked
        ],
        batch_size=BATCH_SIZE,
    )
    for instrument, (referral, goal, _, _) in zip(created, linked, strict=True):
        links[referral] = (instrument.pk, goal.pk)
    now = timezone.now()
    plain = insert_rows(
        Instrument,
        (
            "trajectory",
            "instrument_type",
            "goal",
            "purpose",
            "expected_result",
            "started_on",
            "planned_weeks",
            "review_on",
            "status",
            "outcome",
            "ended_on",
            "stop_reason",
            "version",
            "created_at",
        ),
        (
            (
                trajectory.pk,
                types[item.type].pk,
                own[item.goal].pk,
                item.purpose,
                item.expected_result,
                item.started_on,
                item.planned_weeks,
                item.review_on,
                item.status,
                item.outcome,
                item.ended_on,
                item.stop_reason,
                1,
                now,
            )
            for (plan, trajectory), own in zip(pairs, goals, strict=True)
            for item in plan.instruments
            if item.referral is None
        ),
    )
    assessment_offsets, profile_offsets = _offsets(chunk, "assessments"), _offsets(chunk, "profiles")
    reports = ProgressReport.objects.bulk_create(
        [
            ProgressReport(
                trajectory=trajectory,
                written_on=report.written_on,
                author=users[plan.consultant],
                period_start=report.period_start,
                period_end=report.written_on,
                summary=report.summary,
                life_domain_assessment=(
                    assessments[assessment_offsets[p] + report.assessment] if report.assessment is not None else None
                ),
                igm_profile=profiles[profile_offsets[p] + report.profile] if report.profile is not None else None,
            )
            for p, (plan, trajectory) in enumerate(pairs)
            for report in plan.reports
        ],
        batch_size=BATCH_SIZE,
    )
    insert_rows(
        ProgressReportFacet,
        ("report", "factor", "changed", "next_steps"),
        (
            (report.pk, factor, changed, next_steps)
            for report, plan in zip(reports, (r for plan in chunk for r in plan.reports), strict=True)
            for factor, (changed, next_steps) in zip(FACTORS, plan.facets, strict=True)
        ),
    )
    counts["trajectories"] += len(trajectories)
    counts["assessments"] += len(assessments)
    counts["igm_profiles"] += len(profiles)
    counts["goals"] += len(top) + len(steps)
    counts["instruments"] += len(created) + plain
    counts["reports"] += len(reports)


def _offsets(chunk: list[TrajectoryPlan], attribute: str) -> list[int]:
    """Per trajectory of the chunk, where its assessments (or profiles) start in the chunk's created list."""
    offsets, position = [], 0
    for plan in chunk:
        offsets.append(position)
        position += len(getattr(plan, attribute))
    return offsets


def _delete_dossiers(organisation: Organisation) -> None:
    """Trajectories and everything under them, leaves first (an instrument protects its goal)."""
    in_org = Q(trajectory__client__organisation=organisation)
    delete_rows(ProgressReportFacet.objects.filter(report__trajectory__client__organisation=organisation))
    delete_rows(ProgressReport.objects.filter(in_org))
    delete_rows(Instrument.objects.filter(in_org))
    delete_rows(Goal.objects.filter(in_org, parent__isnull=False))
    delete_rows(Goal.objects.filter(in_org))
    delete_rows(IgmFactorScore.objects.filter(profile__trajectory__client__organisation=organisation))
    delete_rows(IgmProfile.objects.filter(in_org))
    delete_rows(LifeDomainScore.objects.filter(assessment__trajectory__client__organisation=organisation))
    delete_rows(LifeDomainAssessment.objects.filter(in_org))
    delete_rows(Trajectory.objects.filter(client__organisation=organisation))
