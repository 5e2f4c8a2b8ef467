"""Time the placement proposal page: ``.venv/bin/python bench/placement_page.py [--referrals 2000] [--requests 10]``.

Seeds one programme with a waiting list of ``--referrals`` clients and its upcoming runs, asks for a proposal (solved
inline, as the worker's task would), then requests the proposal page as the planner through Django's
test client: the first page, a later page of each table, the accepted-lines filter and the progress fragment. It
prints the solve time, and per page the queries and the median time. Issue 5's target: the page of a 2,000-referral
proposal renders in under 2 s after the solve.

Without DATABASE_URL it uses a fresh SQLite file in a temporary folder; with DATABASE_URL (PostgreSQL) it migrates
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

from caseload import logged_in  # the benchmark folder is on the path when a script in it runs

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SLOTS = [f"{day}_{part}" for day in ("mon", "tue", "wed", "thu", "fri") for part in ("morning", "afternoon")]


def seed(referrals: int, rng: random.Random) -> tuple[Any, Any]:
    """A programme of groups of 8–12 with a run starting each week for 40 weeks, and ``referrals`` waiting clients."""
    from django.utils import timezone

    from koers.accounts.models import Municipality, Organisation
    from koers.accounts.roles import Role
    from koers.clients.models import Client
    from koers.groupwork.models import GroupRun, Programme, Referral, ReferralStatus, Room
    from tests.factories import UserFactory
    from tests.groupwork_factories import ReferralFactory

    today = timezone.localdate()
    first_monday = today + datetime.timedelta(days=14 + (7 - today.weekday()) % 7)
    organisation = Organisation.objects.create(name=f"Bench placement {time.strftime('%Y%m%d%H%M%S')}")
    municipalities = [
        Municipality.objects.create(organisation=organisation, name=f"Benchgemeente {n}") for n in range(3)
    ]
    planner = UserFactory.create(
        organisation=organisation, roles=[Role.PLANNER], username=f"bench-planner-{time.time_ns()}"
    )
    consultant = UserFactory.create(organisation=organisation, roles=[Role.CONSULTANT])
    programme = Programme.objects.create(
        organisation=organisation,
        name="Sollicitatietraining",
        slug="sollicitatietraining",
        goal_type="skills",
        session_count=6,
        session_minutes=150,
        min_size=8,
        max_size=12,
        offers_language_support=True,
    )
    room = Room.objects.create(organisation=organisation, name="Zaal 1", location="Stationsplein 1", capacity=14)
    GroupRun.objects.bulk_create(
        [
            GroupRun(
                programme=programme,
                room=room,
                municipality=municipalities[week % 3] if week % 4 == 0 else None,
                start_date=first_monday + datetime.timedelta(days=7 * week + week % 5),
                start_time=datetime.time(9, 30) if week % 2 else datetime.time(13, 30),
                variant="language_support" if week % 5 == 0 else "standard",
            )
            for week in range(40)
        ]
    )
    template = ReferralFactory.create(
        client__organisation=organisation,
        client__municipality=municipalities[0],
        client__consultant=consultant,
        programme=programme,
    )
    clients = Client.objects.bulk_create(
        [
            Client(
                organisation=organisation,
                municipality=rng.choice(municipalities),
                consultant=consultant,
                bsn=f"8{n:08d}",
                first_name=rng.choice(["Fatima", "Jan", "Samira", "Piet", "Olga", "Mohammed", "Anouk", "Kees"]),
                last_name=rng.choice(["de Vries", "Jansen", "El Amrani", "Bakker", "Nowak", "Visser", "Yilmaz"]),
                availability=rng.sample(SLOTS, rng.randint(3, 8)),
            )
            for n in range(referrals - 1)
        ]
    )
    Referral.objects.bulk_create(
        [
            Referral(
                client=client,
                programme=programme,
                instrument_id=template.instrument_id,
                goal_id=template.goal_id,
                added_value="Oefent in de groep met lotgenoten.",
                needed_variant="language_support" if rng.random() < 0.15 else "standard",
                status=ReferralStatus.WAITING,
                referred_by=consultant,
                referred_on=today - datetime.timedelta(days=rng.randint(1, 240)),
                deadline=today + datetime.timedelta(days=rng.randint(20, 120)) if rng.random() < 0.3 else None,
            )
            for client in clients
        ]
    )
    return planner, programme


class RollbackError(Exception):
    """Raised at the end to undo the seeded data."""


def timed(http: Any, url: str, requests: int) -> tuple[int, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = http.get(url)
    count = len(queries)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        http.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return count, statistics.median(timings), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--referrals", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        os.environ["KOERS_VAR_DIR"] = tempfile.mkdtemp(prefix="koers-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")

    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    try:
        with transaction.atomic():
            measure(args)
            raise RollbackError
    except RollbackError:
        pass


def measure(args: argparse.Namespace) -> None:
    from django.db import connection
    from django.urls import reverse

    from koers.placement.services import request_proposal, run_proposal

    planner, programme = seed(args.referrals, random.Random(args.seed))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    started = time.perf_counter()
    proposal = request_proposal(programme, planner)
    run_proposal(proposal.pk)  # the worker's part: inside this rolled-back transaction the task is never queued
    proposal.refresh_from_db()
    solved = time.perf_counter() - started
    lines = proposal.lines.count()
    placed = proposal.lines.exclude(group_run=None).count()
    print(
        f"database: {connection.vendor}; {lines} referrals, {placed} placed; proposal #{proposal.pk} {proposal.status}"
    )
    print(f"request + solve + store: {solved:.1f} s")
    http = logged_in(planner)
    page = reverse("placement:proposal", kwargs={"pk": proposal.pk})
    urls = [
        page,
        f"{page}?pagina=3",
        f"{page}?pagina-niet-geplaatst=5",
        f"{page}?status=accepted",
        reverse("placement:progress", kwargs={"pk": proposal.pk}),
    ]
    print(f"{'request':<48} {'queries':>7} {'median ms':>10} {'KB':>6}")
    for url in urls:
        queries, median, size = timed(http, url, args.requests)
        print(f"GET {url:<44} {queries:>7} {median:>10.1f} {size / 1024:>6.0f}")


if __name__ == "__main__":
    main()
