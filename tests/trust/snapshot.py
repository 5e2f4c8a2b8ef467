"""What is in the database, table by table, to prove that refused input changed nothing.

Logs and machinery (audit and processing logs, sessions, login attempts, cache and task tables) are left out: a
refused request may rightly write to them.
"""

import hashlib
from collections.abc import Iterable

from django.db import connection

SKIPPED_PREFIXES = ("audit_", "axes_", "django_session", "django_tasks_", "django_cache", "django_admin_log")


def snapshot(also_skip: Iterable[str] = ()) -> dict[str, tuple[int, str]]:
    """Table → (row count, digest of every row in primary-key order), for every table of the project."""
    skipped = (*SKIPPED_PREFIXES, *also_skip)
    quote = connection.ops.quote_name
    state: dict[str, tuple[int, str]] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table.startswith(skipped) or "processing" in table or "cache" in table:
                continue
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY 1")  # noqa: S608 - names from introspection
            rows = cursor.fetchall()
            state[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return state


def assert_unchanged(before: dict[str, tuple[int, str]], also_skip: Iterable[str] = ()) -> None:
    """Every table holds the same rows as in ``before``; the message names the tables that differ."""
    after = snapshot(also_skip)
    changed = {
        table: (before.get(table, (0, ""))[0], after.get(table, (0, ""))[0])
        for table in set(before) | set(after)
        if before.get(table) != after.get(table)
    }
    assert not changed, f"tables changed (rows before, after): {changed}"
