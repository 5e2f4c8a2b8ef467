"""Reading locust's ``--csv`` statistics (``<prefix>_stats.csv``); pure, so it is tested without running locust."""

import csv
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PageStats:
    name: str
    requests: int
    failures: int
    rps: float
    p50_ms: float
    p95_ms: float


def _number(value: str) -> float:
    return float(value) if value not in ("", "N/A") else 0.0


def read_stats(path: Path) -> tuple[list[PageStats], PageStats]:
    """Per-page rows and the 'Aggregated' total row."""
    pages, total = [], None
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            stats = PageStats(
                name=row["Name"],
                requests=int(row["Request Count"]),
                failures=int(row["Failure Count"]),
                rps=_number(row["Requests/s"]),
                p50_ms=_number(row["50%"]),
                p95_ms=_number(row["95%"]),
            )
            if row["Name"] == "Aggregated":
                total = stats
            else:
                pages.append(stats)
    if total is None:
        raise ValueError(f"{path} has no Aggregated row")
    return pages, total
