"""Backup/restore drill (SECURITY.md item 97): pg_dump -Fc, restore into a fresh database, prove it is whole."""

import os
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.trust.checker import row_counts
from bench.trust.cluster import PASSWORD, PG_BIN, ROLE, Cluster
from bench.trust.server import has_command, manage


@dataclass
class RestoreResult:
    seconds: dict[str, float] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    dump_bytes: int = 0

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def _pg(binary: str, *args: str) -> None:
    env = {**os.environ, "PGPASSWORD": PASSWORD}
    command = [str(PG_BIN / binary), "-h", "127.0.0.1", "-U", ROLE, *args]
    subprocess.run(command, check=True, capture_output=True, text=True, env=env, timeout=900)  # noqa: S603


def restore_drill(cluster: Cluster, env: dict[str, str], work_dir: Path, source: str = "koers") -> RestoreResult:
    """Dump ``source``, restore it as a new database, then migrate --check, row counts and verify_logs on it."""
    result = RestoreResult()
    dump = work_dir / f"{source}.dump"
    target = f"{source}_restored"
    port = str(cluster.port)

    def step(name: str, action: Callable[[], object]) -> None:
        start = time.monotonic()
        action()
        result.seconds[name] = round(time.monotonic() - start, 2)

    step("pg_dump -Fc", lambda: _pg("pg_dump", "-p", port, "-Fc", "-f", str(dump), source))
    result.dump_bytes = dump.stat().st_size
    step("createdb", lambda: _pg("createdb", "-p", port, "-O", ROLE, target))
    step("pg_restore", lambda: _pg("pg_restore", "-p", port, "--exit-on-error", "-d", target, str(dump)))
    restored_env = {**env, "DATABASE_URL": cluster.url(target)}

    def migrate_check() -> None:
        outcome = manage(restored_env, "migrate", "--check", timeout=300)
        if outcome.returncode != 0:
            result.problems.append(f"migrate --check on the restored database: exit {outcome.returncode}")

    step("migrate --check", migrate_check)

    def counts() -> None:
        source_counts, restored_counts = row_counts(cluster.url(source)), row_counts(cluster.url(target))
        differing = sorted(t for t in source_counts if source_counts[t] != restored_counts.get(t))
        if differing:
            result.problems.append(f"row counts differ after restore: {', '.join(differing[:10])}")

    step("row counts", counts)

    def verify_logs() -> None:
        if not has_command("verify_logs"):
            result.problems.append("manage.py verify_logs is missing")
            return
        outcome = manage(restored_env, "verify_logs", timeout=600)
        if outcome.returncode != 0:
            result.problems.append(f"verify_logs on the restored database: exit {outcome.returncode}")

    step("verify_logs", verify_logs)
    return result
