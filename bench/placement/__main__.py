"""The placement benchmark: ``.venv/bin/python -m bench.placement [--scales tiny,small,medium,large] [--seed 1]``.

For each scale it generates the instance, places it first come, first served and with Koers's solver, checks both
solutions against the hard rules, computes a lower bound on the objective, and prints one table. The instance and
the solutions are written as FORMAT.md JSON into ``--out`` (a temporary folder by default), for use with
``python -m koers.placement solve|score``.
"""

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.placement.bound import Bound, best_bound
from bench.placement.generator import SCALES, generate
from koers.placement import io
from koers.placement.baseline import first_come_first_served
from koers.placement.check import Report, check
from koers.placement.model import Instance, Solution
from koers.placement.solver import solve

DEFAULT_TIME_LIMITS = {"tiny": 10.0, "small": 10.0, "medium": 60.0, "large": 120.0}
COLUMNS = (
    ("scale", 6),
    ("method", 6),
    ("placed", 12),
    ("mean wait", 9),
    ("p95 wait", 8),
    ("deadl. missed", 13),
    ("needs met", 11),
    ("location hits", 13),
    ("<min", 4),
    ("objective", 11),
    ("gap", 7),
    ("time s", 7),
    ("valid", 5),
)


@dataclass(frozen=True)
class Row:
    scale: str
    method: str
    report: Report
    seconds: float
    status: str


def _run(instance: Instance, method: Callable[[], Solution], out: Path, label: str) -> tuple[Solution, float]:
    started = time.perf_counter()
    solution = method()
    seconds = time.perf_counter() - started
    io.write_solution(solution, out / f"{instance.name}.{label}.json")
    return solution, seconds


def _cells(row: Row, bound: int | None) -> list[str]:
    metrics = row.report.metrics
    gap = "n/a" if bound is None or bound <= 0 else f"{100 * (metrics.objective - bound) / bound:.1f}%"
    return [
        row.scale,
        row.method,
        f"{metrics.placed}/{metrics.clients}",
        f"{metrics.mean_wait:.1f}",
        f"{metrics.p95_wait:.0f}",
        str(metrics.deadlines_missed),
        f"{metrics.needs_met}/{metrics.clients_with_needs}",
        f"{metrics.location_hits}/{metrics.with_location_preference}",
        str(metrics.runs_below_min),
        str(metrics.objective),
        gap,
        f"{row.seconds:.1f}",
        "yes" if row.report.valid else "NO",
    ]


def _print_table(rows: list[list[str]]) -> None:
    widths = [max(width, *(len(row[i]) for row in rows)) if rows else width for i, (_, width) in enumerate(COLUMNS)]
    header = [name for name, _ in COLUMNS]
    print("  ".join(cell.rjust(width) for cell, width in zip(header, widths, strict=True)))
    for row in rows:
        print("  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def benchmark(scale: str, seed: int, time_limit: float, out: Path) -> tuple[list[Row], Bound, list[Bound]]:
    instance = generate(scale, seed)
    io.write_json(io.instance_to_dict(instance), out / f"{instance.name}.instance.json")
    sizes = f"{len(instance.clients)} clients, {len(instance.groups)} runs, {len(instance.trainers)} trainers"
    _log(f"{instance.name}: {sizes}")
    baseline, baseline_s = _run(instance, lambda: first_come_first_served(instance), out, "fcfs")
    _log(f"{instance.name}: first come, first served in {baseline_s:.1f} s")
    solved, solved_s = _run(instance, lambda: solve(instance, time_limit=time_limit, seed=seed), out, "koers")
    _log(f"{instance.name}: solver {solved.status} in {solved_s:.1f} s")
    best, bounds = best_bound(instance)
    if solved.bound is not None and (best.value is None or solved.bound > best.value):
        bounds.append(Bound(solved.bound, f"solver ({solved.status.lower()})", solved_s))
        best = bounds[-1]
    _log(f"{instance.name}: " + ", ".join(f"{b.method} {b.value} ({b.seconds:.1f} s)" for b in bounds))
    rows = [
        Row(scale, "fcfs", check(instance, baseline), baseline_s, baseline.status),
        Row(scale, "koers", check(instance, solved), solved_s, solved.status),
    ]
    for row in rows:
        for problem in [*row.report.violations, *row.report.reason_errors][:5]:
            _log(f"{instance.name} {row.method}: {problem}")
    return rows, best, bounds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.placement", description=__doc__)
    parser.add_argument("--scales", default="tiny,small,medium,large")
    parser.add_argument("--seed", type=int, default=1)
    for scale, seconds in DEFAULT_TIME_LIMITS.items():
        parser.add_argument(f"--time-limit-{scale}", type=float, default=seconds, metavar="SECONDS")
    parser.add_argument("--out", type=Path, help="folder for the instance and solution JSON (default: a temp folder)")
    args = parser.parse_args(argv)
    scales = [scale.strip() for scale in args.scales.split(",") if scale.strip()]
    unknown = [scale for scale in scales if scale not in SCALES]
    if unknown:
        parser.error(f"unknown scale(s): {', '.join(unknown)}; choose from {', '.join(SCALES)}")
    out = args.out or Path(tempfile.mkdtemp(prefix="koers-placement-bench-"))
    out.mkdir(parents=True, exist_ok=True)

    table: list[list[str]] = []
    bound_lines = []
    all_valid = True
    for scale in scales:
        time_limit = getattr(args, f"time_limit_{scale}")
        rows, best, bounds = benchmark(scale, args.seed, time_limit, out)
        table.extend(_cells(row, best.value) for row in rows)
        all_valid &= all(row.report.valid for row in rows)
        solver_row = rows[-1]
        computed = ", ".join(
            f"{b.method} {b.value if b.value is not None else 'n/a'} {b.seconds:.0f} s" for b in bounds
        )
        bound_lines.append(
            f"{scale}: bound {best.value if best.value is not None else 'n/a'} ({best.method}; {computed}); "
            f"solver status {solver_row.status}, time limit {time_limit:g} s"
        )
    print()
    _print_table(table)
    print()
    for line in bound_lines:
        print(line)
    print(f"JSON files: {out}")
    return 0 if all_valid else 1


if __name__ == "__main__":
    sys.exit(main())
