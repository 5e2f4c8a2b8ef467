"""Time ``seed_demo`` on a scratch database: ``.venv/bin/python bench/seed_demo.py [--size large] [--seed 1]``.

Without DATABASE_URL it uses a fresh SQLite file in a temporary folder. With DATABASE_URL (PostgreSQL) it seeds
into that database, so point it at a scratch database: the demo organisation there is replaced (--reset).
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="large", choices=["small", "large"])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("KOERS_DEMO_MODE", "1")
    os.environ.setdefault("KOERS_DEMO_PASSWORD", "bench-demo-wachtwoord")
    if not os.environ.get("DATABASE_URL"):
        os.environ["KOERS_VAR_DIR"] = tempfile.mkdtemp(prefix="koers-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    sys.path.insert(0, str(ROOT))

    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    call_command("seed_demo", size=args.size, seed=args.seed, reset=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    seeded = time.perf_counter()
    print(f"database: {connection.vendor}")
    print(f"migrate: {migrated - started:.1f} s")
    print(f"seed_demo --size {args.size} --seed {args.seed}: {seeded - migrated:.1f} s")


if __name__ == "__main__":
    main()
