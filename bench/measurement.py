"""Time the effect-measurement and principles pages on the large demo: ``.venv/bin/python bench/measurement.py``.

Loads ``seed_demo --size large`` (unless the database already has the demo organisation), runs ``ANALYZE``, then
requests as the demo accounts the pages of issue 6 with the most data behind them: the principles team page of
the demo team manager and of the team manager with the most open trajectories (sorted and unsorted), the
measurement results and principles pages of the demo consultant's most-measured client, the group effects of the
most-measured run and of its programme, and the research export of a year as CSV and XLSX (read to the end). It
prints queries per request, the median time and the ratio to the same user's start page measured in the same run.

Without DATABASE_URL it uses a fresh SQLite file in a temporary folder, or the one in KOERS_VAR_DIR (to reuse a
seeded demo); with DATABASE_URL (PostgreSQL) it uses that database as it is. Apart from a bench second-factor
device per user and the audit events of the requests, it only reads.
"""

import argparse
import datetime
import statistics
import time
from typing import Any

from caseload import large_demo, logged_in  # the benchmark folder is on the path when a script in it runs

Request = tuple[str, str, str, dict[str, Any] | None]


def timed(http: Any, method: str, url: str, requests: int, data: dict[str, Any] | None) -> tuple[int, float, int]:
    """Queries of the first request, the median milliseconds of the next ones, and the size of the answer in bytes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def call() -> tuple[int, int]:
        response = http.post(url, data) if method == "POST" else http.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response.status_code, len(body)

    with CaptureQueriesContext(connection) as queries:
        status, size = call()
    count = len(queries)  # now: the captured list is read from the connection's log, which the next request empties
    assert status == 200, f"{method} {url} answered {status}"
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return count, statistics.median(timings), size


def biggest_team_manager() -> str:
    """The team manager whose teams' consultants hold the most open trajectories."""
    from django.db.models import Count, Q

    from koers.accounts.models import User
    from koers.accounts.roles import Role

    managers = User.objects.filter(role_assignments__role=Role.TEAM_MANAGER)
    best = max(
        managers,
        key=lambda manager: (
            User.objects.filter(teams__in=manager.teams.all())
            .distinct()
            .aggregate(n=Count("caseload__trajectories", filter=Q(caseload__trajectories__ended_on__isnull=True)))["n"]
        ),
    )
    return best.username


def requests_to_time() -> list[Request]:
    from django.db.models import Count, Q
    from django.urls import reverse
    from django.utils import timezone

    from koers.groupwork.models import GroupRun
    from koers.measurement.models import MeasurementStatus
    from koers.trajectories.models import Trajectory

    trajectory = (
        Trajectory.objects.filter(client__consultant__username="demo-consulent", ended_on__isnull=True)
        .annotate(n=Count("measurements", filter=Q(measurements__status=MeasurementStatus.COMPLETED)))
        .order_by("-n", "pk")
        .first()
    )
    run = (
        GroupRun.objects.annotate(
            n=Count(
                "participations__client__trajectories__measurements",
                filter=Q(participations__client__trajectories__measurements__status=MeasurementStatus.COMPLETED),
            )
        )
        .order_by("-n", "pk")
        .first()
    )
    assert trajectory is not None, "no demo data: run seed_demo first"
    assert run is not None, "no demo data: run seed_demo first"
    today = timezone.localdate()
    export = {"van": (today - datetime.timedelta(days=365)).isoformat(), "tot": today.isoformat(), "gemeente": ""}
    big = biggest_team_manager()
    team = reverse("principles:team")
    return [
        ("demo-teammanager", "GET", reverse("home:start"), None),
        ("demo-teammanager", "GET", team, None),
        (big, "GET", reverse("home:start"), None),
        (big, "GET", team, None),
        (big, "GET", team + "?sorteer=p6", None),
        ("demo-consulent", "GET", reverse("home:start"), None),
        ("demo-consulent", "GET", reverse("measurement:overview", kwargs={"pk": trajectory.pk}), None),
        ("demo-consulent", "GET", reverse("principles:trajectory", kwargs={"pk": trajectory.pk}), None),
        ("demo-consulent", "GET", reverse("measurement:create", kwargs={"pk": trajectory.pk}), None),
        ("demo-beleid", "GET", reverse("home:start"), None),
        ("demo-beleid", "GET", reverse("measurement:run_effects", kwargs={"pk": run.pk}), None),
        ("demo-beleid", "GET", reverse("measurement:programme_effects", kwargs={"pk": run.programme_id}), None),
        ("demo-beleid", "POST", reverse("measurement:research_export"), {**export, "formaat": "csv"}),
        ("demo-beleid", "POST", reverse("measurement:research_export"), {**export, "formaat": "xlsx"}),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args()
    connection = large_demo()
    from koers.accounts.models import User

    rows = requests_to_time()
    sessions = {name: logged_in(User.objects.get(username=name)) for name in {row[0] for row in rows}}
    print(f"database: {connection.vendor}; {args.requests} requests per page")
    print(f"{'user':<18} {'request':<52} {'queries':>7} {'median ms':>10} {'KB':>7} {'× start':>8}")
    baseline: dict[str, float] = {}
    for user, method, url, data in rows:
        queries, median, size = timed(sessions[user], method, url, args.requests, data)
        baseline.setdefault(user, median)
        label = f"{method} {url}" + (f" ({data['formaat']})" if data else "")
        print(
            f"{user:<18} {label:<52} {queries:>7} {median:>10.1f} {size / 1024:>7.0f} {median / baseline[user]:>8.1f}"
        )


if __name__ == "__main__":
    main()
