"""A private PostgreSQL cluster in a temporary directory, so faults (restart, crash) never touch a shared server.

PostgreSQL refuses to run as root, so initdb and pg_ctl run as the ``postgres`` OS user when we are root.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

PG_BIN = Path(os.environ.get("KOERS_PG_BIN", "/usr/lib/postgresql/15/bin"))
OS_USER = "postgres"
ROLE = "koers"
PASSWORD = "koers"  # noqa: S105  (a throwaway cluster on loopback)


def binaries_missing() -> list[str]:
    """The server binaries this module needs that are not installed (empty when all are there)."""
    needed = ("initdb", "pg_ctl", "postgres", "pg_dump", "pg_restore", "psql", "pg_isready")
    return [name for name in needed if not (PG_BIN / name).exists()]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", OS_USER, "--", *args] if os.geteuid() == 0 else args


@dataclass
class Cluster:
    """One initdb data directory, listening on 127.0.0.1 only (no Unix socket outside the data directory)."""

    port: int = field(default_factory=free_port)
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="koers-trust-pg-")))

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def url(self, database: str = "koers") -> str:
        return f"postgres://{ROLE}:{PASSWORD}@127.0.0.1:{self.port}/{database}"

    def _run(self, args: list[str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603  (our own argument lists)
            _as_postgres(args), check=True, capture_output=True, text=True, timeout=timeout
        )

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.root, user=OS_USER)
        password_file = self.root / "pwfile"
        password_file.write_text(PASSWORD)
        if os.geteuid() == 0:
            shutil.chown(password_file, user=OS_USER)
        self._run(
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(self.data_dir),
                "-U",
                OS_USER,
                "--auth=scram-sha-256",
                f"--pwfile={password_file}",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ]
        )
        # Durability is what the crash drill checks, so the defaults that give it stay on (fsync, synchronous_commit).
        with (self.data_dir / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\nlisten_addresses = '127.0.0.1'\nport = {self.port}\n"
                f"unix_socket_directories = '{self.root}'\nmax_connections = 60\n"
                "fsync = on\nsynchronous_commit = on\nfull_page_writes = on\n"
            )
        self.start()
        self.psql("postgres", f"CREATE ROLE {ROLE} LOGIN PASSWORD '{PASSWORD}' CREATEDB")
        self.psql("postgres", f"CREATE DATABASE koers OWNER {ROLE}")

    def psql(self, database: str, sql: str) -> str:
        env = {**os.environ, "PGPASSWORD": PASSWORD}
        connect = ["-h", "127.0.0.1", "-p", str(self.port), "-U", OS_USER, "-d", database]
        result = subprocess.run(  # noqa: S603
            [str(PG_BIN / "psql"), *connect, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql],
            check=True,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        return result.stdout.strip()

    def _pg_ctl(self, *args: str) -> None:
        log = self.root / "server.log"
        self._run([str(PG_BIN / "pg_ctl"), "-D", str(self.data_dir), "-l", str(log), "-w", "-t", "60", *args])

    def start(self) -> None:
        self._pg_ctl("start")

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("stop", "-m", mode)

    def restart(self) -> None:
        """``pg_ctl restart -m fast``: sessions are cut, committed work stays."""
        self._pg_ctl("restart", "-m", "fast")

    def crash(self) -> None:
        """``pg_ctl stop -m immediate`` (no shutdown checkpoint: recovery replays the WAL at the next start)."""
        self.stop("immediate")

    def is_ready(self) -> bool:
        probe = [str(PG_BIN / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)]
        return subprocess.run(probe, check=False, timeout=10).returncode == 0  # noqa: S603

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not self.is_ready():
            if time.monotonic() > deadline:
                raise TimeoutError(f"PostgreSQL on port {self.port} not ready after {timeout} s")
            time.sleep(0.2)

    def destroy(self) -> None:
        """Stop the server (if running) and remove the data directory."""
        if (self.data_dir / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)
