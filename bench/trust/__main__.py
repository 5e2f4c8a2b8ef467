"""``python -m bench.trust [--long]``: load, faults, invariant check and restore drill on a private cluster.

Short form (CI): small demo, 10 users for ~40 s. Long form: large demo (~4 min to seed), 20 users for 2 minutes.
Exit status 0 only when every check passed; ``--json`` writes the summary for the test that runs this.
"""

import argparse
import json
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.trust import checker, faults
from bench.trust.cluster import Cluster
from bench.trust.restore_drill import restore_drill
from bench.trust.server import ROOT, Server, has_command, koers_env, load_targets, manage
from bench.trust.stats import read_stats

LOCUST = str(Path(sys.executable).with_name("locust"))


@dataclass(frozen=True)
class Plan:
    """The faults come one after the other, each ``gap`` seconds after the previous one recovered; the load runs
    at least ``seconds`` and ``gap`` past the last fault, then stops (locust's own -t is only a safety cap)."""

    size: str
    users: int
    seconds: int
    import_rows: int
    gap: float


SHORT = Plan("small", users=10, seconds=40, import_rows=4_000, gap=5)
LONG = Plan("large", users=20, seconds=120, import_rows=20_000, gap=15)


@dataclass
class Summary:
    plan: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)
    pages: list[dict[str, Any]] = field(default_factory=list)
    total: dict[str, Any] = field(default_factory=dict)
    faults: list[dict[str, Any]] = field(default_factory=list)
    writes_attempted: int = 0
    writes_acknowledged: int = 0
    writes_lost: int = 0
    attendance_saves: int = 0
    server_errors: dict[int, int] = field(default_factory=dict)  # status -> count, during the faults
    tracebacks: int = 0
    restore: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)  # worth fixing, not a lost or wrong write

    @property
    def ok(self) -> bool:
        return not self.problems


def _timed(summary: Summary, name: str, action: Any) -> Any:
    start = time.monotonic()
    value = action()
    summary.timings[name] = round(time.monotonic() - start, 1)
    return value


def _checked(outcome: subprocess.CompletedProcess[str], what: str) -> None:
    if outcome.returncode != 0:
        raise RuntimeError(f"{what} failed (exit {outcome.returncode}):\n{outcome.stderr[-3000:]}")


def _wait_until(start: float, offset: float) -> None:
    time.sleep(max(0.0, start + offset - time.monotonic()))


def run(plan: Plan, work: Path) -> Summary:
    summary = Summary(plan=asdict(plan))
    password = secrets.token_urlsafe(16)
    cluster = Cluster()
    server: Server | None = None
    try:
        _timed(summary, "initdb + start", cluster.init)
        env = koers_env(cluster.url(), password, work)
        _checked(_timed(summary, "migrate", lambda: manage(env, "migrate", "--verbosity", "0")), "migrate")
        seed = _timed(summary, "seed_demo", lambda: manage(env, "seed_demo", "--size", plan.size, "--seed", "1"))
        _checked(seed, "seed_demo")
        (work / "targets.json").write_text(json.dumps(load_targets(cluster.url())))
        before = checker.row_counts(cluster.url())
        server = Server(env, work)
        _timed(summary, "server start", server.start)
        _load_with_faults(plan, summary, server, cluster, env, password, work, before)
        server.stop()
        server = None
        restore = restore_drill(cluster, env, work)
        summary.restore = {"seconds": restore.seconds, "total": round(restore.total_seconds, 2)}
        summary.restore["dump_bytes"] = restore.dump_bytes
        summary.problems += restore.problems
    except Exception as error:  # the summary must say what broke, and the cluster must still be removed
        summary.problems.append(f"drill stopped: {type(error).__name__}: {error}")
    finally:
        if server is not None:
            server.stop()
        cluster.destroy()
    return summary


def _load_with_faults(
    plan: Plan,
    summary: Summary,
    server: Server,
    cluster: Cluster,
    env: dict[str, str],
    password: str,
    work: Path,
    before: dict[str, int],
) -> None:
    writes = work / "writes.jsonl"
    locust_env = {
        **env,
        "KOERS_TRUST_TARGETS": str(work / "targets.json"),
        "KOERS_TRUST_WRITES": str(writes),
        "KOERS_TRUST_PASSWORD": password,
        "KOERS_TRUST_RUN": secrets.token_hex(4),
    }
    command = [LOCUST, "-f", str(Path(__file__).with_name("locustfile.py")), "--headless", "--only-summary"]
    command += ["-u", str(plan.users), "-r", "5", "-t", f"{plan.seconds * 6}s", "--stop-timeout", "5"]
    command += ["--host", server.base_url, "--csv", str(work / "load"), "--exit-code-on-error", "0"]
    with (work / "locust.log").open("w") as log:
        load = subprocess.Popen(command, cwd=ROOT, env=locust_env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    start = time.monotonic()
    results: list[faults.FaultResult] = []
    bsns: list[str] = []
    organisation = 0
    try:
        time.sleep(plan.gap)
        results.append(faults.kill_gunicorn_worker(server))
        time.sleep(plan.gap)
        imported, bsns = faults.interrupted_import(server, cluster.url(), password, plan.import_rows)
        results.append(imported)
        organisation = int(imported.extra.get("organisation", 0))
        time.sleep(plan.gap)
        results.append(faults.restart_database(server, cluster))
        _revive_task_worker(server, summary)
        time.sleep(plan.gap)
        results.append(_during_load(load, faults.crash_database(server, cluster)))
        _revive_task_worker(server, summary)
        _wait_until(start, max(plan.seconds, time.monotonic() - start + plan.gap))
    finally:
        load.terminate()  # locust writes its final statistics on SIGTERM
        load.wait(60)
    summary.timings["load"] = round(time.monotonic() - start, 1)
    summary.faults = [asdict(result) for result in results]
    summary.problems += [f"fault not recovered in budget: {r.name} ({r.detail})" for r in results if not r.ok]
    _check(summary, server, cluster, env, work, before, bsns, organisation)


def _revive_task_worker(server: Server, summary: Summary) -> None:
    """django-tasks-db's worker exits when the database goes away; a supervisor (systemd) would start it again."""
    if server.task_worker is not None and server.task_worker.poll() is not None:
        summary.findings.append(f"db_worker exited with status {server.task_worker.returncode} on a database outage")
        server.start_task_worker()


def _during_load(load: subprocess.Popen[bytes], result: faults.FaultResult) -> faults.FaultResult:
    if load.poll() is not None:
        result.ok, result.detail = False, f"{result.detail}; the load had already ended"
    return result


def _check(
    summary: Summary,
    server: Server,
    cluster: Cluster,
    env: dict[str, str],
    work: Path,
    before: dict[str, int],
    bsns: list[str],
    organisation: int,
) -> None:
    pages, total = read_stats(work / "load_stats.csv")
    summary.pages = [asdict(page) for page in pages]
    summary.total = asdict(total)
    log = checker.WriteLog.read(work / "writes.jsonl")
    summary.writes_attempted, summary.writes_acknowledged = len(log.attempted), len(log.acknowledged)
    summary.attendance_saves, summary.tracebacks = log.attendance_saves, log.tracebacks
    summary.server_errors = dict(sorted(log.server_errors.items()))
    if log.tracebacks:
        summary.problems.append(f"{log.tracebacks} server errors showed a traceback")
    if not log.acknowledged:
        summary.problems.append("no write was acknowledged: the load did not exercise the write path")
    server.stop()  # quiescent from here: the counts below must not move any more
    cluster.wait_ready()
    after = checker.row_counts(cluster.url())
    growth = {
        "trajectories_goal": checker.Growth(len(log.acknowledged), len(log.attempted)),
        "groupwork_attendance": checker.Growth(0, log.attendance_rows_attempted),
        "clients_client": checker.Growth(len(bsns), len(bsns)),
        "imports_clientimport": checker.Growth(2, 2),
    }
    summary.problems += checker.compare(before, after, growth)
    markers, summary.writes_lost = checker.marker_problems(cluster.url(), log)
    summary.problems += markers
    summary.problems += checker.attendance_problems(cluster.url())
    summary.problems += checker.import_problems(cluster.url(), organisation, bsns)
    if has_command("verify_logs"):
        verified = manage(env, "verify_logs", timeout=600)
        summary.timings["verify_logs exit"] = verified.returncode
        if verified.returncode != 0:
            summary.problems.append(f"verify_logs exit {verified.returncode}: {verified.stdout[-500:]}")


def print_summary(summary: Summary) -> None:
    total = summary.total
    print(f"\n{'page':44} {'requests':>8} {'fail':>5} {'rps':>6} {'p50 ms':>7} {'p95 ms':>7}")
    for page in [*summary.pages, total]:
        if not page:
            continue
        print(
            f"{page['name'][:44]:44} {page['requests']:>8} {page['failures']:>5} {page['rps']:>6.1f}"
            f" {page['p50_ms']:>7.0f} {page['p95_ms']:>7.0f}"
        )
    print("\nfault                                       seconds  ok  detail")
    for fault in summary.faults:
        print(f"{fault['name'][:44]:44} {fault['seconds']:>6.1f}  {'yes' if fault['ok'] else 'NO':3} {fault['detail']}")
    print(
        f"\nwrites attempted {summary.writes_attempted}, acknowledged {summary.writes_acknowledged},"
        f" lost {summary.writes_lost}; attendance saves {summary.attendance_saves};"
        f" 5xx seen {summary.server_errors}, with traceback {summary.tracebacks}"
    )
    print(f"restore drill: {summary.restore}")
    print(f"timings: {summary.timings}")
    for finding in summary.findings:
        print(f"finding: {finding}")
    print("problems:" if summary.problems else "all invariants hold")
    for problem in summary.problems:
        print(f"  - {problem}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.trust", description=__doc__)
    parser.add_argument("--long", action="store_true", help="large demo, 20 users for 2 minutes")
    parser.add_argument("--json", type=Path, help="write the summary as JSON to this file")
    parser.add_argument("--keep", type=Path, help="keep logs and locust CSVs in this directory")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="koers-trust-"))
    summary = run(LONG if args.long else SHORT, work)
    print_summary(summary)
    if args.json:
        args.json.write_text(json.dumps(asdict(summary), indent=2))
    if args.keep:
        shutil.copytree(work, args.keep, dirs_exist_ok=True)
    shutil.rmtree(work, ignore_errors=True)
    return 0 if summary.ok else 1


if __name__ == "__main__":
    sys.exit(main())
