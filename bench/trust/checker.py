"""Invariant checker: runs against the database (not through HTTP) before and after a drill.

It proves "no acknowledged write lost": every acknowledged marker is stored exactly once, tables the load must not
change kept their row count, and tables the writes target grew by at least the acknowledged and at most the
attempted writes. The expectations are plain data so the comparison is a pure function (``compare``).
"""

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

# Tables whose rows change with any traffic: logs, sessions, lockout records, caches and task bookkeeping.
VOLATILE_PREFIXES = ("audit_", "django_session", "axes_", "koers_cache", "django_tasks_", "django_admin_log")


def pg_connect(database_url: str) -> psycopg.Connection[Any]:
    return psycopg.connect(database_url.replace("postgres://", "postgresql://", 1), connect_timeout=10, autocommit=True)


def row_counts(database_url: str) -> dict[str, int]:
    """Exact row count of every table in the public schema."""
    with pg_connect(database_url) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).fetchall()
        ]
        counts = {}
        for table in tables:  # names from the catalogue, quoted
            row = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()  # noqa: S608
            counts[table] = int(row[0]) if row else 0
        return counts


@dataclass(frozen=True)
class Growth:
    """A table the drill writes to: it may grow by ``low`` to ``high`` rows (acknowledged to attempted)."""

    low: int
    high: int


def compare(
    before: Mapping[str, int], after: Mapping[str, int], growth: Mapping[str, Growth], volatile: Iterable[str] = ()
) -> list[str]:
    """Problems found between two snapshots (empty when every invariant holds)."""
    skip = tuple(volatile) or VOLATILE_PREFIXES
    problems = []
    for table in sorted(set(before) | set(after)):
        old, new = before.get(table, 0), after.get(table, 0)
        if table in growth:
            expected = growth[table]
            if not expected.low <= new - old <= expected.high:
                problems.append(f"{table}: grew by {new - old}, expected {expected.low}..{expected.high}")
        elif not table.startswith(skip) and old != new:
            problems.append(f"{table}: {old} rows before, {new} after; the load must not change it")
    return problems


@dataclass
class WriteLog:
    """What the load client wrote to its JSONL: attempted and acknowledged markers, server errors seen."""

    attempted: list[str]
    acknowledged: list[str]
    attendance_saves: int
    attendance_rows_attempted: int
    server_errors: Counter[int]
    tracebacks: int

    @classmethod
    def read(cls, path: Path) -> "WriteLog":
        attempted: list[str] = []
        acknowledged: list[str] = []
        attendance = attendance_rows = tracebacks = 0
        errors: Counter[int] = Counter()
        lines = path.read_text().splitlines() if path.exists() else []
        for line in lines:
            if not line.strip():
                continue
            record = json.loads(line)
            if record["kind"] == "goal":
                (attempted if record["event"] == "attempt" else acknowledged).append(record["marker"])
            elif record["kind"] == "attendance" and record["event"] == "attempt":
                attendance_rows += record["rows"]
            elif record["kind"] == "attendance":
                attendance += 1
            elif record["kind"] == "server_error":
                errors[int(record["status"])] += 1
                tracebacks += bool(record["traceback"])
        return cls(attempted, acknowledged, attendance, attendance_rows, errors, tracebacks)


def marker_problems(database_url: str, log: WriteLog) -> tuple[list[str], int]:
    """Each acknowledged marker stored exactly once, no attempted marker twice; returns (problems, writes lost)."""
    with pg_connect(database_url) as conn:
        stored = Counter(
            row[0].rsplit(" ", 1)[-1]
            for row in conn.execute(
                "SELECT text FROM trajectories_goal WHERE text LIKE %s", [f"Load drill goal trust-{_run(log)}-%"]
            )
        )
    lost = [marker for marker in log.acknowledged if stored[marker] == 0]
    doubled = [marker for marker, count in stored.items() if count > 1]
    unknown = set(stored) - set(log.attempted)
    problems = [f"acknowledged goal missing: {marker}" for marker in lost[:10]]
    problems += [f"goal stored {stored[marker]} times: {marker}" for marker in doubled[:10]]
    problems += [f"goal stored that was never attempted: {marker}" for marker in sorted(unknown)[:10]]
    return problems, len(lost)


def _run(log: WriteLog) -> str:
    """The run id shared by all markers of one drill (``trust-<run>-<n>``)."""
    markers = log.attempted or log.acknowledged
    return markers[0].split("-")[1] if markers else "none"


def attendance_problems(database_url: str) -> list[str]:
    """At most one attendance per participant and session (the unique constraint, checked in the data)."""
    with pg_connect(database_url) as conn:
        doubles = conn.execute(
            "SELECT session_id, participation_id, count(*) FROM groupwork_attendance"
            " GROUP BY session_id, participation_id HAVING count(*) > 1"
        ).fetchall()
    return [f"attendance recorded {count} times: session {s}, participation {p}" for s, p, count in doubles]


def import_problems(database_url: str, organisation_id: int, bsns: list[str]) -> list[str]:
    """Every client of the import file exists exactly once in the organisation."""
    with pg_connect(database_url) as conn:
        stored = Counter(
            row[0]
            for row in conn.execute(
                "SELECT bsn FROM clients_client WHERE organisation_id = %s AND bsn = ANY(%s)", [organisation_id, bsns]
            )
        )
    missing = [bsn for bsn in bsns if stored[bsn] == 0]
    doubled = [bsn for bsn, count in stored.items() if count > 1]
    problems = [f"import: {len(missing)} of {len(bsns)} clients missing"] if missing else []
    return problems + ([f"import: {len(doubled)} clients stored more than once"] if doubled else [])
