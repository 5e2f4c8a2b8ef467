"""The faults of SECURITY.md §14, each injected while the load runs and timed until the system is whole again."""

import json
import os
import random
import re
import signal
import time
from dataclasses import dataclass, field
from typing import Any

import requests

from bench.trust.checker import pg_connect
from bench.trust.cluster import Cluster
from bench.trust.server import Server

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RESPAWN_BUDGET_S = 10.0
DB_RECOVERY_BUDGET_S = 15.0
STALE_AFTER_S = 10 * 60  # koers.imports.models.STALE_AFTER


@dataclass
class FaultResult:
    name: str
    seconds: float
    ok: bool
    detail: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def kill_gunicorn_worker(server: Server) -> FaultResult:
    """kill -9 one web worker; the master must start a replacement within 10 s."""
    before = server.worker_pids()
    victim = random.choice(sorted(before))
    start = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    while time.monotonic() - start < RESPAWN_BUDGET_S * 3:
        now = server.worker_pids()
        if victim not in now and len(now) >= len(before):
            seconds = time.monotonic() - start
            return FaultResult("kill -9 gunicorn worker", seconds, seconds <= RESPAWN_BUDGET_S, f"pid {victim}")
        time.sleep(0.05)
    return FaultResult("kill -9 gunicorn worker", time.monotonic() - start, False, "no replacement worker")


def _outage(name: str, server: Server, cluster: Cluster, action: str) -> FaultResult:
    """Restart or crash PostgreSQL under load; the same web workers must serve again within 15 s."""
    workers = server.worker_pids()
    start = time.monotonic()
    if action == "restart":
        cluster.restart()
    else:
        cluster.crash()
        time.sleep(1.0)  # an outage long enough for requests to hit it
        cluster.start()
    while not server.ready():
        if time.monotonic() - start > DB_RECOVERY_BUDGET_S * 3:
            return FaultResult(name, time.monotonic() - start, False, "app did not reach the database again")
        time.sleep(0.1)
    seconds = time.monotonic() - start
    same = server.worker_pids() == workers
    detail = "same web workers" if same else "web workers were replaced"
    return FaultResult(name, seconds, seconds <= DB_RECOVERY_BUDGET_S and same, detail)


def restart_database(server: Server, cluster: Cluster) -> FaultResult:
    return _outage("PostgreSQL restart -m fast", server, cluster, "restart")


def crash_database(server: Server, cluster: Cluster) -> FaultResult:
    return _outage("PostgreSQL crash -m immediate", server, cluster, "crash")


def valid_bsns(count: int, seed: int, taken: set[str]) -> list[str]:
    """Distinct BSNs that pass the eleven test and are not in ``taken``."""
    rng = random.Random(seed)
    found: list[str] = []
    seen = set(taken)
    while len(found) < count:
        digits = [9, *(rng.randrange(10) for _ in range(7))]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check == 10:
            continue
        bsn = "".join(map(str, digits)) + str(check)
        if bsn not in seen:
            seen.add(bsn)
            found.append(bsn)
    return found


def import_csv(bsns: list[str], municipality: str) -> bytes:
    lines = ["bsn;voornaam;achternaam;gemeente;woonplaats"]
    lines += [f"{bsn};Drill{index};Importtest;{municipality};Hoogveld" for index, bsn in enumerate(bsns, 1)]
    return ("\n".join(lines) + "\n").encode()


def login(base_url: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base_url}/account/inloggen/", timeout=30)
    token = CSRF.search(page.text)
    assert token, "no CSRF token on the login page"
    done = session.post(
        f"{base_url}/account/inloggen/",
        {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password},
        timeout=30,
        allow_redirects=False,
    )
    assert done.status_code == 302, f"login of {username} failed: {done.status_code}"
    return session


def upload(session: requests.Session, base_url: str, content: bytes) -> int:
    """Upload through the import page; returns the import id from the redirect to its page."""
    form = session.get(f"{base_url}/importeren/nieuw/", timeout=30)
    token = CSRF.search(form.text)
    assert token, f"no import form ({form.status_code})"
    response = session.post(
        f"{base_url}/importeren/nieuw/",
        data={"csrfmiddlewaretoken": token.group(1)},
        files={"file": ("drill.csv", content, "text/csv")},
        timeout=60,
        allow_redirects=False,
    )
    match = re.search(r"/importeren/(\d+)/", response.headers.get("Location", ""))
    assert response.status_code == 302, f"upload refused: {response.status_code}"
    assert match, f"upload went to {response.headers.get('Location')}"
    return int(match.group(1))


def _import_state(database_url: str, import_id: int) -> tuple[str, int, int]:
    with pg_connect(database_url) as conn:
        row = conn.execute(
            "SELECT status, processed_rows, total_rows FROM imports_clientimport WHERE id = %s", [import_id]
        ).fetchone()
    assert row is not None
    return str(row[0]), int(row[1]), int(row[2] or 0)


def interrupted_import(server: Server, database_url: str, password: str, rows: int) -> tuple[FaultResult, list[str]]:
    """Upload N clients, kill -9 the task worker half-way, start it again and finish by uploading the file again.

    A killed worker leaves the import 'running' until its heartbeat is STALE_AFTER (10 minutes) old; the drill ages
    the heartbeat instead of waiting, then does what the page tells the user: upload the same file again.
    """
    with pg_connect(database_url) as conn:
        organisation_id, municipality = conn.execute(  # type: ignore[misc]
            "SELECT o.id, m.name FROM accounts_organisation o JOIN accounts_user u ON u.organisation_id = o.id"
            " JOIN accounts_municipality m ON m.organisation_id = o.id WHERE u.username = 'demo-beheer'"
            " ORDER BY m.id LIMIT 1"
        ).fetchone()
        taken = {row[0] for row in conn.execute("SELECT bsn FROM clients_client")}
    bsns = valid_bsns(rows, seed=rows, taken=taken)
    content = import_csv(bsns, municipality)
    session = login(server.base_url, "demo-beheer", password)
    start = time.monotonic()
    first = upload(session, server.base_url, content)
    processed = 0
    while time.monotonic() - start < 120:
        status, processed, total = _import_state(database_url, first)
        if status == "running" and 0 < processed < total:
            break
        if status in ("done", "failed"):
            return FaultResult("import: kill -9 task worker", 0, False, f"import {status} before the kill"), bsns
        time.sleep(0.02)
    server.kill_task_worker()
    killed_at = processed
    server.start_task_worker()
    with pg_connect(database_url) as conn:
        conn.execute(
            "UPDATE imports_clientimport SET heartbeat_at = heartbeat_at - make_interval(secs => %s) WHERE id = %s",
            [STALE_AFTER_S + 60, first],
        )
    second = upload(session, server.base_url, content)
    while time.monotonic() - start < 300:
        status, processed, total = _import_state(database_url, second)
        if status in ("done", "failed"):
            break
        time.sleep(0.2)
    first_status = _import_state(database_url, first)[0]
    seconds = time.monotonic() - start
    detail = json.dumps({"killed_after_rows": killed_at, "first": first_status, "second": status})
    ok = status == "done" and first_status == "failed"
    name = "import: kill -9 task worker, re-upload"
    return FaultResult(name, seconds, ok, detail, {"organisation": organisation_id}), bsns
