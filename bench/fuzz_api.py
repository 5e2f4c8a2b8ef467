"""Fuzz the API per role: ``.venv/bin/python -m bench.fuzz_api [--examples 50] [--identities consultant,anonymous]``.

The long form of ``tests/api/test_fuzz.py`` (SECURITY.md item 104): the same world, checks and runner
(``tests/api/fuzzing.py``), with more generated examples per operation. For every staff role and once without
credentials it prints the operations fuzzed, the examples run, the failures and the seconds, then what failed; the
exit status is 1 when anything failed. The examples are derandomized, so a run repeats exactly.

Without DATABASE_URL it uses a fresh SQLite file in a temporary folder; with DATABASE_URL (PostgreSQL) it migrates that
database and builds the world inside a transaction that is rolled back at the end, so the database is left as it was.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class RollbackError(Exception):
    """Raised at the end to undo the world."""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=50, help="generated examples per operation and identity")
    parser.add_argument("--identities", default="", help="comma-separated roles and/or 'anonymous' (default: all)")
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

    from tests.api import fuzzing

    identities = [name for name in args.identities.split(",") if name] or list(fuzzing.IDENTITIES)
    unknown = set(identities) - set(fuzzing.IDENTITIES)
    if unknown:
        parser.error(f"unknown identities: {', '.join(sorted(unknown))}")
    failed: dict[str, fuzzing.Tally] = {}
    try:
        with transaction.atomic():
            world = fuzzing.build_world()
            schema = fuzzing.load_schema(world)
            print(f"database: {connection.vendor}; {args.examples} examples per operation")
            print(
                f"{'identity':<16} {'operations':>10} {'cases':>7} {'failures':>8} {'2xx':>6} {'4xx':>6} {'seconds':>8}"
            )
            for identity in identities:
                started = time.perf_counter()
                tally = fuzzing.fuzz(schema, identity, world, args.examples)
                seconds = time.perf_counter() - started
                ok = sum(n for (_, status), n in tally.statuses.items() if 200 <= status < 300)
                refused = sum(n for (_, status), n in tally.statuses.items() if 400 <= status < 500)
                print(
                    f"{identity:<16} {tally.operations:>10} {tally.cases:>7} {len(tally.failures):>8} "
                    f"{ok:>6} {refused:>6} {seconds:>8.1f}"
                )
                if tally.failures:
                    failed[identity] = tally
            raise RollbackError
    except RollbackError:
        pass
    for identity, tally in failed.items():
        print(f"\n== {identity}\n{tally.report()}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
