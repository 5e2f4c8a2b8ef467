"""Time each report against hand-written SQL for the same figures: ``.venv/bin/python -m bench.reports [--requests 7]``.

Runs only on PostgreSQL holding the large demo (``DATABASE_URL=postgres://…``), which it reads and never changes:
everything runs in a transaction that is rolled back. It reports on the demo organisation, its municipality with
the most clients and the twelve months up to today. Per case of ``financier_sql`` and ``management_sql``: one
warm-up, then the report and the SQL timed in turn; it prints the medians, their ratio against the target, the
queries of one report and whether every figure the report publishes equals the SQL's. Exit status 1 when a figure
differs.
"""

import argparse
import datetime
import importlib
import math
import os
import statistics
import sys
import time
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from bench.reports.cases import Case, Context

CASE_MODULES = ("bench.reports.financier_sql", "bench.reports.management_sql")
RATIO_TARGET = 1.5
RELATIVE_TOLERANCE = 1e-6
COLUMNS = (("case", 34), ("report ms", 9), ("SQL ms", 8), ("ratio", 6), ("queries", 7), ("figures", 7), ("equal", 5))


def setup_django() -> None:
    """Django on the database of DATABASE_URL; exits with a message unless that is PostgreSQL holding the demo."""
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit(
            "bench.reports needs the large demo on PostgreSQL: set DATABASE_URL=postgres://… to a database "
            "seeded with `seed_demo --size large` (see bench/README.md)."
        )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from koers.demo.services import demo_organisation_exists

    executor = MigrationExecutor(connection)
    missing = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if missing:
        apps = ", ".join(sorted({migration.app_label for migration, _backwards in missing}))
        sys.exit(f"The database lacks {len(missing)} migrations (of {apps}): run `manage.py migrate` on it first.")
    if not demo_organisation_exists():
        sys.exit("The database has no demo organisation: seed it with `manage.py seed_demo --size large` first.")


def benchmark_context(today: datetime.date) -> Context:
    """The demo organisation, its municipality with the most clients, and the twelve months up to today."""
    from django.db.models import Count

    from koers.accounts.models import Municipality, Organisation
    from koers.demo.data import DEMO_ORGANISATION_NAME
    from koers.reporting.report import Period

    organisation = Organisation.objects.get(name=DEMO_ORGANISATION_NAME)
    municipality = (
        Municipality.objects.filter(organisation=organisation)
        .annotate(clients_count=Count("clients"))
        .order_by("-clients_count", "pk")
        .first()
    )
    if municipality is None:
        sys.exit("The demo organisation has no municipality.")
    return Context(organisation.pk, municipality.pk, Period(_a_year_before(today) + datetime.timedelta(days=1), today))


def _a_year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def load_cases(modules: Sequence[str]) -> list[Case]:
    """The CASES of each module; a module not written yet is named and skipped."""
    cases: list[Case] = []
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            print(f"({name} does not exist yet: skipped)")
            continue
        cases.extend(module.CASES)
    return cases


def same(report_value: Any, sql_value: Any) -> bool:
    """Equal; numbers with a float among them within a relative tolerance of 1e-6."""
    numbers = (int, float, Decimal)
    if isinstance(report_value, numbers) and isinstance(sql_value, numbers):
        if isinstance(report_value, float) or isinstance(sql_value, float):
            return math.isclose(float(report_value), float(sql_value), rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-12)
        return Decimal(report_value) == Decimal(sql_value)
    return bool(report_value == sql_value)


def differences(report_figures: dict[str, Any], sql_figures: dict[str, Any]) -> tuple[int, list[str]]:
    """How many figures were compared, and a line per difference. A figure the report withholds is not compared; one
    the report gives and the SQL does not is a difference."""
    from koers.reporting.report import Suppressed

    checked, lines = 0, []
    for name, value in sorted(report_figures.items()):
        if isinstance(value, Suppressed):
            continue
        if name not in sql_figures:
            lines.append(f"{name}: report {value!r}, not in the SQL")
            continue
        checked += 1
        if not same(value, sql_figures[name]):
            lines.append(f"{name}: report {value!r}, SQL {sql_figures[name]!r}")
    return checked, lines


def run_case(case: Case, context: Context, requests: int) -> tuple[list[str], list[str]]:
    """The case's row of the table, and its differences."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    report = case.build(context)  # warm-up, also of the figures compared below
    checked, lines = differences(case.figures(report), case.sql(context))
    with CaptureQueriesContext(connection) as queries:
        case.build(context)
    query_count = len(queries)
    report_times, sql_times = [], []
    for _ in range(requests):
        started = time.perf_counter()
        case.build(context)
        report_times.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        case.sql(context)
        sql_times.append((time.perf_counter() - started) * 1000)
    report_ms, sql_ms = statistics.median(report_times), statistics.median(sql_times)
    ratio = report_ms / sql_ms if sql_ms else math.inf
    flag = " !" if ratio > RATIO_TARGET and not case.breakdown else ""
    row = [
        f"  {case.name}" if case.breakdown else case.name,
        f"{report_ms:.1f}",
        f"{sql_ms:.1f}",
        f"{ratio:.2f}{flag}",
        str(query_count),
        str(checked),
        "no" if lines else "yes",
    ]
    return row, lines


def time_pages(context: Context, requests: int) -> list[tuple[str, int, float]]:
    """The two report pages as the demo policy officer sees them: queries of one request and the median ms."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from bench.caseload import logged_in
    from koers.accounts.models import User

    setup_test_environment()  # the test client's host name, as in bench/caseload.py
    http = logged_in(User.objects.get(username="demo-beleid"))
    period = f"start={context.period.start.isoformat()}&end={context.period.end.isoformat()}"
    pages = [
        ("financier page", f"{reverse('reporting:financier')}?municipality={context.municipality_id}&{period}"),
        ("management page", f"{reverse('reporting:management')}?{period}"),
    ]
    measured = []
    for name, url in pages:
        http.get(url)  # warm-up
        with CaptureQueriesContext(connection) as queries:
            response = http.get(url)
        count = len(queries)  # read now: the next request empties the connection's log
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            http.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        measured.append((name, count, statistics.median(timings)))
    return measured


def print_row(values: Sequence[str]) -> None:
    print(
        "  ".join(
            value.ljust(width) if i == 0 else value.rjust(width)
            for i, (value, (_, width)) in enumerate(zip(values, COLUMNS, strict=True))
        )
    )


def main(argv: Sequence[str] | None = None, modules: Sequence[str] = CASE_MODULES) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reports", description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=7, help="timed runs per case (default 7)")
    args = parser.parse_args(argv)
    setup_django()
    from django.db import connection, transaction
    from django.utils import timezone

    cases = load_cases(modules)
    context = benchmark_context(timezone.localdate())
    print(
        f"organisation {context.organisation_id}, municipality {context.municipality_id}, "
        f"{context.period.start} to {context.period.end}; {args.requests} timed runs per case\n"
    )
    all_differences: list[str] = []
    slow: list[str] = []
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print_row([name for name, _width in COLUMNS])
        for case in cases:
            row, lines = run_case(case, context, args.requests)
            print_row(row)
            all_differences.extend(f"{case.name}: {line}" for line in lines)
            if row[3].endswith("!"):
                slow.append(case.name)
        pages = time_pages(context, args.requests)
        transaction.set_rollback(True)
    print(
        f"\nratio target ≤ {RATIO_TARGET} (report median / SQL median) for each whole report; indented rows are its "
        "sections alone, for where the time goes (each repeats the report's shared lookups, so no target)"
    )
    print("! marks a report above the target", end="")
    print(f": {', '.join(slow)}" if slow else ": none")
    print("\npages (demo policy officer, whole request):")
    for name, count, median in pages:
        print(f"  {name}: {count} queries, median {median:.1f} ms")
    if all_differences:
        print(f"\nfigures that differ ({len(all_differences)}):")
        print("\n".join(f"  {line}" for line in all_differences))
        return 1
    print("every figure the report publishes equals the SQL's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
