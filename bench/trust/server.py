"""The Koers side of the drill: migrate and seed the private database, gunicorn with 2 workers and one db_worker."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from bench.trust.cluster import free_port

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
GUNICORN_FLAGS = ("--preload", "--graceful-timeout", "10", "--timeout", "30", "--access-logfile", "-")
WORKER_FLAGS = ("--queue-name", "default", "--interval", "0.2", "--no-startup-delay", "--no-reload")


def koers_env(database_url: str, password: str, var_dir: Path) -> dict[str, str]:
    """The environment of every Koers process of the drill: demo mode (demo accounts skip the second factor)."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "KOERS_DEMO_MODE": "1",
        "KOERS_DEMO_PASSWORD": password,
        "KOERS_TASK_WORKER": "external",
        "KOERS_VAR_DIR": str(var_dir),
        "DEBUG": "0",
    }


def manage(env: dict[str, str], *args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def has_command(name: str) -> bool:
    """Whether a Koers app ships the management command (read from the tree: asking manage.py costs a start-up)."""
    return any(ROOT.glob(f"koers/*/management/commands/{name}.py"))


def children(pid: int) -> set[int]:
    """Child process ids of ``pid`` (gunicorn's workers), read from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name sits in parentheses and may hold spaces: the fields after the last ')' are fixed.
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z" and int(fields[1]) == pid:
            found.add(int(entry.name))
    return found


@dataclass
class Server:
    """gunicorn (2 sync workers as ``./run serve``, plus ``--preload``: see bench/trust/wsgi.py) and one external
    task worker, all on loopback."""

    env: dict[str, str]
    log_dir: Path
    port: int = field(default_factory=free_port)
    workers: int = 2
    gunicorn: subprocess.Popen[bytes] | None = None
    task_worker: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        log = (self.log_dir / "gunicorn.log").open("ab")
        bind = ("--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers))
        self.gunicorn = subprocess.Popen(  # noqa: S603
            [GUNICORN, "bench.trust.wsgi", *bind, *GUNICORN_FLAGS],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.start_task_worker()
        self.wait_ready(180)

    def start_task_worker(self) -> None:
        log = (self.log_dir / "db_worker.log").open("ab")
        self.task_worker = subprocess.Popen(  # noqa: S603
            [PYTHON, "manage.py", "db_worker", *WORKER_FLAGS],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def kill_task_worker(self) -> None:
        assert self.task_worker is not None
        self.task_worker.send_signal(signal.SIGKILL)
        self.task_worker.wait(10)

    def ready(self) -> bool:
        """The app answers and reaches its database. /health/ready is 503 for pending migrations too, so the body
        is read rather than the status (``migrate`` itself is checked before the server starts)."""
        try:
            with urllib.request.urlopen(f"{self.base_url}/health/ready", timeout=20) as response:  # noqa: S310
                body = response.read()
        except urllib.error.HTTPError as error:
            body = error.read()
        except (urllib.error.URLError, OSError):
            return False
        try:
            return bool(json.loads(body).get("database") == "ok")
        except ValueError:
            return False

    def wait_ready(self, timeout: float) -> float:
        """Seconds until /health/ready answers 200; TimeoutError after ``timeout``."""
        start = time.monotonic()
        while not self.ready():
            if time.monotonic() - start > timeout:
                raise TimeoutError(f"Koers not ready after {timeout} s")
            time.sleep(0.1)
        return time.monotonic() - start

    def worker_pids(self) -> set[int]:
        assert self.gunicorn is not None
        return children(self.gunicorn.pid)

    def stop(self) -> None:
        for process in (self.task_worker, self.gunicorn):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(5)


def load_targets(database_url: str) -> dict[str, list[object]]:
    """Ids the load client opens: the demo consultant's clients with an open trajectory, the demo trainer's sessions
    that attendance can be recorded for, runs and programmes for the planner."""
    with psycopg.connect(database_url.replace("postgres://", "postgresql://")) as conn:
        consultant = conn.execute(
            "SELECT c.id, t.id FROM clients_client c JOIN accounts_user u ON u.id = c.consultant_id"
            " JOIN trajectories_trajectory t ON t.client_id = c.id AND t.ended_on IS NULL"
            " WHERE u.username = 'demo-consulent' ORDER BY c.id LIMIT 60"
        ).fetchall()
        sessions = conn.execute(
            "SELECT s.id FROM groupwork_session s"
            " JOIN groupwork_grouprun_trainers gt ON gt.grouprun_id = s.group_run_id"
            " JOIN accounts_user u ON u.id = gt.user_id WHERE u.username = 'demo-trainer' AND NOT s.is_cancelled"
            " AND s.date <= CURRENT_DATE ORDER BY s.date DESC LIMIT 20"
        ).fetchall()
        runs = conn.execute("SELECT id FROM groupwork_grouprun ORDER BY id DESC LIMIT 30").fetchall()
        programmes = conn.execute("SELECT id FROM groupwork_programme ORDER BY id").fetchall()
    return {
        "consultant": [list(row) for row in consultant],
        "sessions": [row[0] for row in sessions],
        "runs": [row[0] for row in runs],
        "programmes": [row[0] for row in programmes],
    }
