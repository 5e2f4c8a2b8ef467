"""What ``python -m bench.reports`` times: per case, the Koers report against hand-written SQL for the same figures.

Each report module of the benchmark (``financier_sql``, ``management_sql``) lists its ``CASES``. A case builds the
report (or one section of it) the way the page does, runs the hand-written SQL, and reads the same figures from
both as a flat ``{name: value}`` dict, so the runner can check they agree before it prints the ratio.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from koers.reporting.report import Period, Report


@dataclass(frozen=True)
class Context:
    """The slice the benchmark reports on: picked from the large demo by the runner."""

    organisation_id: int
    municipality_id: int
    period: Period


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Context], Report]
    sql: Callable[[Context], dict[str, Any]]  # through django.db.connection.cursor(), no ORM
    figures: Callable[[Report], dict[str, Any]]  # the same names, read from the built report
    # A section on its own, to show where the time goes; held to no target, because a section alone still pays
    # for what the whole report shares (the municipality, the programmes, the cost assumptions and, for the
    # financier, the funnel that decides which figures are withheld) while its SQL computes only its figures.
    breakdown: bool = False
