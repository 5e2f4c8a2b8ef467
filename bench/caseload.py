"""Time the caseload page: ``.venv/bin/python bench/caseload.py [--clients 150] [--requests 20] [--seed 1]``.

Seeds one consultant with a caseload of clients with realistic trajectories (goals, instruments in every status,
life-domain assessments, IGM profiles, progress reports), then requests the caseload page through Django's test
client and prints, per variant of the page, the queries per request and the median time. The seeded tables are
ANALYZEd first, so the query planner has the statistics a database in use has.

Without DATABASE_URL it uses a fresh SQLite file in a temporary folder. With DATABASE_URL (PostgreSQL) it migrates
that database and seeds inside a transaction that is rolled back at the end, so the database is left as it was.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ["", "?sorteer=signalen", "?sorteer=rapportage", "?signaal=evaluatie", "?q=de&clienten=alle"]


class RollbackError(Exception):
    """Raised at the end to undo the seeded data."""


def seed(clients: int, rng: random.Random) -> Any:
    """A consultant with ``clients`` own clients and one in thirty more of a colleague being replaced."""
    from django.utils import timezone

    from koers.accounts.models import Municipality, Organisation, RoleAssignment, User
    from koers.accounts.roles import Role
    from koers.clients.models import AccessGrant, Client
    from koers.trajectories.models import (
        Goal,
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

    today = timezone.localdate()
    stamp = time.strftime("%Y%m%d%H%M%S")
    organisation = Organisation.objects.create(name=f"Bench caseload {stamp}")
    municipalities = [
        Municipality.objects.create(organisation=organisation, name=f"Benchgemeente {n}") for n in range(3)
    ]
    consultant = User.objects.create_user(
        username=f"bench-consultant-{stamp}", organisation=organisation, first_name="Bench", last_name="Consulent"
    )
    colleague = User.objects.create_user(username=f"bench-colleague-{stamp}", organisation=organisation)
    for user in (consultant, colleague):
        RoleAssignment.objects.create(user=user, role=Role.CONSULTANT)
    types = [
        InstrumentType.objects.create(organisation=organisation, name=name, kind=kind, default_weeks=weeks)
        for name, kind, weeks in [
            ("Individuele coaching", InstrumentKind.COACHING, 12),
            ("Empowermenttraining", InstrumentKind.GROUP_PROGRAMME, 6),
            ("Werkervaringsplaats", InstrumentKind.WORK_EXPERIENCE, 26),
            ("Schuldhulpverlening", InstrumentKind.DEBT_HELP, 52),
        ]
    ]
    last_names = ["de Vries", "Jansen", "Bakker", "Yilmaz", "El Amrani", "Visser", "Smit", "de Boer", "Mulder"]
    first_names = ["Sanne", "Mohammed", "Fatima", "Jan", "Priya", "Kees", "Noor", "Daan", "Lotte", "Ahmet"]
    people = Client.objects.bulk_create(
        Client(
            organisation=organisation,
            municipality=rng.choice(municipalities),
            consultant=consultant if n % 30 else colleague,
            bsn=f"{n:09d}",
            first_name=rng.choice(first_names),
            last_name=f"{rng.choice(last_names)} {n}",
            date_of_birth=datetime.date(1970 + n % 35, 1 + n % 12, 1 + n % 28),
            is_demo=True,
        )
        for n in range(1, clients + clients // 30 + 1)
    )
    AccessGrant.objects.bulk_create(
        AccessGrant(
            client=person,
            user=consultant,
            granted_by=colleague,
            reason="Vervanging tijdens verlof",
            valid_until=timezone.now() + datetime.timedelta(days=14),
        )
        for person in people
        if person.consultant_id == colleague.pk
    )
    trajectories = Trajectory.objects.bulk_create(
        Trajectory(
            client=person,
            started_on=today - datetime.timedelta(weeks=rng.randint(2, 120)),
            future_perspective="Ik wil weer aan het werk, liefst met mensen.",
            created_by=consultant,
        )
        for person in people
        if rng.random() < 0.9
    )
    goals = Goal.objects.bulk_create(
        Goal(
            trajectory=trajectory,
            text=f"Doel {g + 1} in eigen woorden",
            target_date=today + datetime.timedelta(weeks=12),
        )
        for trajectory in trajectories
        for g in range(rng.randint(1, 3))
    )
    statuses = [InstrumentStatus.PLANNED, InstrumentStatus.ACTIVE, InstrumentStatus.ACTIVE, InstrumentStatus.COMPLETED]
    instruments = []
    for goal in goals:
        for _ in range(rng.randint(0, 2)):
            kind = rng.choice(types)
            started = goal.trajectory.started_on + datetime.timedelta(weeks=rng.randint(0, 20))
            status = rng.choice(statuses)
            weeks = kind.default_weeks or 12
            instruments.append(
                Instrument(
                    trajectory=goal.trajectory,
                    goal=goal,
                    instrument_type=kind,
                    purpose="Stap richting het doel",
                    expected_result="Zichtbare vooruitgang",
                    started_on=None if status == InstrumentStatus.PLANNED else started,
                    planned_weeks=weeks,
                    review_on=started + datetime.timedelta(weeks=weeks // 2 + rng.randint(-2, 4)),
                    status=status,
                    ended_on=(started + datetime.timedelta(weeks=weeks))
                    if status == InstrumentStatus.COMPLETED
                    else None,
                )
            )
    Instrument.objects.bulk_create(instruments)
    assessments = LifeDomainAssessment.objects.bulk_create(
        LifeDomainAssessment(
            trajectory=trajectory,
            assessed_on=trajectory.started_on + datetime.timedelta(weeks=12 * a),
            assessed_by=consultant,
        )
        for trajectory in trajectories
        for a in range(rng.randint(1, 3))
    )
    LifeDomainScore.objects.bulk_create(
        LifeDomainScore(assessment=assessment, domain=domain, score=rng.choice([1, 2, 3, 3, 4, 4, 5, 5, 5, 5]))
        for assessment in assessments
        for domain in LifeDomain.values
    )
    profiles = IgmProfile.objects.bulk_create(
        IgmProfile(
            trajectory=trajectory,
            target_behaviour="Solliciteren buiten de eigen branche",
            assessed_on=trajectory.started_on,
            assessed_by=consultant,
        )
        for trajectory in trajectories
    )
    IgmFactorScore.objects.bulk_create(
        IgmFactorScore(profile=profile, factor=factor, score=rng.randint(1, 5))
        for profile in profiles
        for factor in IgmFactor.values
    )
    reports = ProgressReport.objects.bulk_create(
        ProgressReport(
            trajectory=trajectory,
            written_on=min(today, trajectory.started_on + datetime.timedelta(weeks=13 * (r + 1))),
            author=consultant,
            period_start=trajectory.started_on,
            period_end=today,
            summary="Voortgang besproken.",
        )
        for trajectory in trajectories
        for r in range(rng.randint(0, 4))
    )
    ProgressReportFacet.objects.bulk_create(
        ProgressReportFacet(report=report, factor=factor, changed="Iets veranderd", next_steps="Volgende stap")
        for report in reports
        for factor in IgmFactor.values
    )
    return consultant


def logged_in(user: Any) -> Any:
    """A test client after password and second factor, as in tests/conftest.py::verified_login."""
    from django.test import Client as HttpClient
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from koers.accounts.middleware import AUTH_TIME_KEY

    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    http = HttpClient()
    http.force_login(user)
    session = http.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[AUTH_TIME_KEY] = time.time()
    session.save()
    return http


def seed_large_demo() -> None:
    """Load ``seed_demo --size large`` unless the database already has the demo organisation."""
    from django.core.management import call_command

    from koers.demo.services import demo_organisation_exists

    if not demo_organisation_exists():
        os.environ.setdefault("KOERS_DEMO_PASSWORD", "bench-demo-wachtwoord")
        started = time.perf_counter()
        call_command("seed_demo", size="large", stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(f"seed_demo --size large: {time.perf_counter() - started:.1f} s")


def large_demo() -> Any:
    """Django on the benchmark database, migrated, holding ``seed_demo --size large`` and ANALYZEd: its connection.

    Without DATABASE_URL a fresh SQLite file in a temporary folder, or the one in KOERS_VAR_DIR (to reuse a seeded
    demo); with DATABASE_URL (PostgreSQL) that database as it is. The demo is seeded only if it is not there yet.
    """
    if not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("KOERS_VAR_DIR", tempfile.mkdtemp(prefix="koers-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    os.environ.setdefault("KOERS_DEMO_MODE", "1")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))

    import django
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    call_command("migrate", verbosity=0)
    seed_large_demo()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as a database in use has them
    return connection


def measure(http: Any, url: str, requests: int) -> tuple[int, int, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = http.get(url)
    count = len(queries)  # read now: the next request clears the connection's query log
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    rows = response.content.count(b"data-client=")
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        http.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return count, rows, statistics.median(timings)


def dossier_pages(consultant: Any) -> list[str]:
    """The dossier pages of the consultant's client with the most history."""
    from django.db.models import Count

    from koers.trajectories.models import Trajectory

    trajectory = (
        Trajectory.objects.filter(client__consultant=consultant)
        .annotate(reports=Count("progress_reports"))
        .order_by("-reports", "pk")
        .first()
    )
    if trajectory is None:
        return []
    client = trajectory.client_id
    return [
        f"/clienten/{client}/",
        f"/clienten/{client}/wijzigen/",
        f"/trajecten/{trajectory.pk}/",
        f"/trajecten/{trajectory.pk}/rapportages/",
        f"/trajecten/{trajectory.pk}/rapportages/nieuw/",
        f"/trajecten/{trajectory.pk}/casuistiek/",
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=150)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--large-demo",
        action="store_true",
        help="first load seed_demo --size large (40,000 clients) unless present, so every table is full-size",
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        os.environ["KOERS_VAR_DIR"] = tempfile.mkdtemp(prefix="koers-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    sys.path.insert(0, str(ROOT))

    import django
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    call_command("migrate", verbosity=0)
    if args.large_demo:
        seed_large_demo()
    try:
        with transaction.atomic():
            started = time.perf_counter()
            consultant = seed(args.clients, random.Random(args.seed))
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # planner statistics, as a database in use has them
            seconds = time.perf_counter() - started
            replaced = args.clients // 30
            print(f"database: {connection.vendor}; {args.clients} own clients + {replaced} replaced, {seconds:.1f} s")
            http = logged_in(consultant)
            print(f"{'page':<34} {'queries':>7} {'rows':>5} {'median ms':>10}  ({args.requests} requests)")
            for variant in VARIANTS:
                queries, rows, median = measure(http, "/caseload/" + variant, args.requests)
                print(f"{'/caseload/' + variant:<34} {queries:>7} {rows:>5} {median:>10.1f}")
            for url in dossier_pages(consultant):
                queries, rows, median = measure(http, url, args.requests)
                print(f"{url:<34} {queries:>7} {'':>5} {median:>10.1f}")
            raise RollbackError
    except RollbackError:
        pass


if __name__ == "__main__":
    main()
