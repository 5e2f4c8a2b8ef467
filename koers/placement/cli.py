"""Command line of the optimiser: ``python -m koers.placement solve|score`` on FORMAT.md files, without Django."""

import argparse
import sys
import time
from collections.abc import Sequence

from koers.placement.baseline import first_come_first_served
from koers.placement.check import Report, check
from koers.placement.io import FormatError, read_instance, read_solution, write_solution


def _solve(args: argparse.Namespace) -> int:
    instance = read_instance(args.instance)
    started = time.perf_counter()
    if args.method == "fcfs":
        solution = first_come_first_served(instance)
    else:
        from koers.placement.solver import solve  # here, not on top: loading OR-Tools takes seconds ``score`` needn't

        solution = solve(
            instance, time_limit=args.time_limit, seed=args.seed, progress=_progress if args.verbose else None
        )
    solution.runtime_s = time.perf_counter() - started
    report = check(instance, solution)
    solution.objective = report.metrics.objective
    write_solution(solution, args.out)
    print(
        f"{instance.name}: {report.metrics.placed} of {report.metrics.clients} placed, objective "
        f"{report.metrics.objective}, {solution.status}, {solution.runtime_s:.1f} s → {args.out}"
    )
    return _exit(report)


def _progress(fraction: float, stage: str) -> None:
    print(f"  {100 * fraction:5.1f}%  {stage}", file=sys.stderr)


def _score(args: argparse.Namespace) -> int:
    instance = read_instance(args.instance)
    report = check(instance, read_solution(args.solution))
    metrics = report.metrics
    rows = [
        ("valid", "yes" if report.valid else "NO"),
        ("clients", metrics.clients),
        ("placed", metrics.placed),
        ("unplaced", f"{metrics.unplaced} (of whom contra-indicated: {metrics.contraindicated})"),
        ("mean wait (days)", f"{metrics.mean_wait:.1f}"),
        ("p95 wait (days)", f"{metrics.p95_wait:.0f}"),
        ("deadlines missed", metrics.deadlines_missed),
        ("needs met", f"{metrics.needs_met} of {metrics.clients_with_needs}"),
        ("location hits", f"{metrics.location_hits} of {metrics.with_location_preference}"),
        ("runs taking place", metrics.runs_taking_place),
        ("runs below minimum", metrics.runs_below_min),
        ("balance cost", metrics.balance_cost),
        ("objective", metrics.objective),
    ]
    width = max(len(label) for label, _value in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    for problem in report.violations + report.reason_errors:
        print(f"violation: {problem}")
    return _exit(report)


def _exit(report: Report) -> int:
    return 0 if report.valid else 1


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="python -m koers.placement", description="Place waiting clients into group runs."
    )
    commands = main.add_subparsers(dest="command", required=True)
    solve = commands.add_parser("solve", help="solve an instance and write the solution")
    solve.add_argument("instance", help="placement-instance/1 JSON file")
    solve.add_argument("--out", required=True, help="where to write the placement-solution/1 JSON")
    solve.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
    solve.add_argument("--seed", type=int, default=0)
    solve.add_argument(
        "--method",
        choices=("optimise", "fcfs"),
        default="optimise",
        help="optimise (default) or fcfs: the first-come-first-served baseline",
    )
    solve.add_argument("--verbose", action="store_true", help="print progress to standard error")
    solve.set_defaults(run=_solve)
    score = commands.add_parser("score", help="check a solution and print its metrics and objective")
    score.add_argument("instance")
    score.add_argument("solution")
    score.set_defaults(run=_score)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except (FormatError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
