"""Time the group-work pages on the large demo: ``.venv/bin/python bench/groupwork.py [--requests 20]``.

Loads ``seed_demo --size large`` (unless the database already has the demo organisation), then requests, as the
demo planner and the demo trainer, the pages of the group process with the most data behind them: the waiting lists,
the longest waiting list, the placement page of its first referral, the biggest run, the trainer's own page and the
attendance page of the trainer's fullest session. It prints the queries per request, the median time, and the
ratio to the start page measured in the same run (the baseline), so figures from different machines can be
compared.

Without DATABASE_URL it uses a fresh SQLite file in a temporary folder, or the one in KOERS_VAR_DIR (to reuse a
seeded demo); with DATABASE_URL (PostgreSQL) it uses that database as it is. It only reads.
"""

import argparse
import statistics
import time
from typing import Any

from caseload import large_demo, logged_in  # the benchmark folder is on the path when a script in it runs


def timed(http: Any, method: str, url: str, requests: int, data: dict[str, Any] | None = None) -> tuple[int, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call = http.post if method == "POST" else http.get
    with CaptureQueriesContext(connection) as queries:
        response = call(url, data) if data is not None else call(url)
    count = len(queries)
    assert response.status_code in {200, 302}, f"{method} {url} answered {response.status_code}"
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        call(url, data) if data is not None else call(url)
        timings.append((time.perf_counter() - started) * 1000)
    return count, statistics.median(timings)


def pages() -> list[tuple[str, str, str, dict[str, Any] | None]]:
    """(user, method, url, data) for the busiest objects of the demo."""
    from django.db.models import Count, Q
    from django.urls import reverse

    from koers.accounts.models import User
    from koers.groupwork.models import GroupRun, Programme, Referral, ReferralStatus, Session

    organisation = User.objects.get(username="demo-planner").organisation_id
    programme = (
        Programme.objects.filter(organisation=organisation)
        .annotate(waiting=Count("referrals", filter=Q(referrals__status=ReferralStatus.WAITING)))
        .order_by("-waiting", "pk")
        .first()
    )
    assert programme is not None, "no demo programme: run seed_demo first"
    referral = Referral.objects.filter(programme=programme, status=ReferralStatus.WAITING).order_by("pk").first()
    run = (
        GroupRun.objects.filter(programme__organisation=organisation)
        .annotate(n=Count("participations"))
        .order_by("-n", "pk")
        .first()
    )
    session = (
        Session.objects.filter(group_run__trainers__username="demo-trainer", is_cancelled=False)
        .annotate(n=Count("group_run__participations"))
        .order_by("-n", "date")
        .first()
    )
    assert run is not None
    assert session is not None
    rows: list[tuple[str, str, str, dict[str, Any] | None]] = [
        ("demo-planner", "GET", reverse("home:start"), None),
        ("demo-planner", "GET", reverse("groupwork:waiting_lists"), None),
        ("demo-planner", "GET", reverse("groupwork:waiting_list", kwargs={"programme_pk": programme.pk}), None),
        ("demo-planner", "GET", reverse("groupwork:run_detail", kwargs={"pk": run.pk}), None),
        ("demo-trainer", "GET", reverse("home:start"), None),
        ("demo-trainer", "GET", reverse("groupwork:trainer_home"), None),
        ("demo-trainer", "GET", reverse("groupwork:session_attendance", kwargs={"pk": session.pk}), None),
    ]
    if referral is not None:
        rows.insert(3, ("demo-planner", "GET", reverse("groupwork:referral_place", kwargs={"pk": referral.pk}), None))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    connection = large_demo()
    from koers.accounts.models import User

    sessions = {name: logged_in(User.objects.get(username=name)) for name in ("demo-planner", "demo-trainer")}
    print(f"database: {connection.vendor}; {args.requests} requests per page")
    print(f"{'user':<13} {'request':<48} {'queries':>7} {'median ms':>10} {'× start':>8}")
    baseline: dict[str, float] = {}
    for user, method, url, data in pages():
        queries, median = timed(sessions[user], method, url, args.requests, data)
        if url == "/start/" or user not in baseline:
            baseline.setdefault(user, median)
        ratio = median / baseline[user]
        print(f"{user:<13} {method + ' ' + url:<48} {queries:>7} {median:>10.1f} {ratio:>8.1f}")


if __name__ == "__main__":
    main()
