"""Reads for the principles audit: one trajectory's ten outcomes, a team's shares, and the trend from snapshots.

All counting happens in the database (``rules.tally_expression``); Python only arranges the few rows that come back
(one per consultant, or per consultant and month), never loops over trajectories.

The team view never shows a count over fewer than ``MIN_CELL`` trajectories, nor one from which such a count can be
worked out by subtraction (see ``discloses_small_group``).
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils.functional import Promise

from koers.accounts.models import User
from koers.accounts.roles import Role
from koers.principles.models import PrincipleSnapshot
from koers.principles.rules import (
    PRINCIPLES,
    STATUS_LABELS,
    AuditDay,
    Principle,
    Status,
    audited_trajectories,
    branch_expression,
    decode_tally,
    tally_expression,
    thresholds_for,
)
from koers.trajectories.models import Trajectory

MIN_CELL = 5
"""The fewest audited trajectories a count on the team view may cover.

Over one to four trajectories a count points at clients: "0 of 1" for principle 8 tells the team manager that this
consultant's one client has an urgent barrier without action, which the manager may only learn by opening the file
with a logged reason. Below this the cell says "fewer than 5 trajectories" instead.
"""


def discloses_small_group(totals: list[int]) -> bool:
    """Whether counts summed over groups of these ``totals`` (trajectories per consultant) reveal a small group.

    True when the sum itself covers fewer than ``MIN_CELL`` trajectories, or when the groups hidden for being
    small add up to one to ``MIN_CELL - 1`` trajectories: the sum minus the groups that are shown gives their count.
    """
    hidden = sum(total for total in totals if total < MIN_CELL)
    return sum(totals) < MIN_CELL or 0 < hidden < MIN_CELL


@dataclass(frozen=True)
class PrincipleResult:
    """One principle's outcome for one trajectory: status, the reason in plain language, where to fix it."""

    principle: Principle
    status: Status
    reason: str
    fix_url: str

    @property
    def status_label(self) -> Promise:
        return STATUS_LABELS[self.status]

    @property
    def status_key(self) -> str:
        return self.status.name.lower()


def trajectory_audit(trajectory: Trajectory, as_of: datetime.date) -> list[PrincipleResult]:
    """The ten principles for one trajectory on ``as_of``: two queries (thresholds and one annotated row)."""
    day = AuditDay(as_of, thresholds_for(trajectory.client.organisation_id))
    extras: dict[str, Any] = {}
    for principle in PRINCIPLES:
        extras.update(principle.extras(day))
    row = (
        Trajectory.objects.filter(pk=trajectory.pk)
        .annotate(**{principle.key: branch_expression(principle, day) for principle in PRINCIPLES}, **extras)
        .values(*(principle.key for principle in PRINCIPLES), *extras)
        .get()
    )
    for name in extras:
        setattr(trajectory, name, row[name])
    params = day.params()
    results = []
    for principle in PRINCIPLES:
        branch = principle.branches(day)[row[principle.key]]
        results.append(
            PrincipleResult(principle, branch.status, str(branch.reason) % params, principle.fix_url(trajectory))
        )
    return results


@dataclass(frozen=True)
class Tally:
    """How many audited trajectories passed, needed attention or failed one principle."""

    passed: int = 0
    attention: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.passed + self.attention + self.failed

    def share(self, count: int) -> float | None:
        return None if not self.total else count / self.total

    @property
    def pass_share(self) -> float | None:
        return self.share(self.passed)

    @property
    def pass_percent(self) -> int | None:
        share = self.pass_share
        return None if share is None else round(share * 100)

    @property
    def attention_share(self) -> float | None:
        return self.share(self.attention)

    @property
    def fail_share(self) -> float | None:
        return self.share(self.failed)

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(self.passed + other.passed, self.attention + other.attention, self.failed + other.failed)


@dataclass(frozen=True)
class PrincipleTally:
    """One principle's counts; ``suppressed`` means they cover too few trajectories to show (the tally is empty)."""

    principle: Principle
    tally: Tally
    suppressed: bool = False


def cells_for(tallies: dict[int, Tally], suppressed: bool) -> list[PrincipleTally]:
    """The ten cells in principle order; suppressed cells carry no counts, so no template can show them."""
    if suppressed:
        return [PrincipleTally(principle, Tally(), suppressed=True) for principle in PRINCIPLES]
    return [PrincipleTally(principle, tallies[principle.number]) for principle in PRINCIPLES]


@dataclass(frozen=True)
class ConsultantRow:
    consultant: User
    trajectories: int
    cells: list[PrincipleTally]

    @property
    def suppressed(self) -> bool:
        return self.trajectories < MIN_CELL


@dataclass(frozen=True)
class TeamAudit:
    as_of: datetime.date
    trajectories: int
    overall: list[PrincipleTally]
    consultants: list[ConsultantRow]
    params: dict[str, int]

    @property
    def totals_suppressed(self) -> bool:
        return bool(self.overall) and self.overall[0].suppressed


def team_consultants(user: Any) -> QuerySet[User]:
    """Consultants in the team manager's teams, in the manager's own organisation."""
    return (
        User.objects.filter(
            teams__in=user.teams.all(),
            organisation=user.organisation_id,
            role_assignments__role=Role.CONSULTANT,
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def tallies_by_consultant(organisation_id: int, day: AuditDay, consultants: Any = None) -> dict[int, dict[int, Tally]]:
    """Consultant id → principle number → tally, for trajectories open on ``as_of``: one grouped query.

    ``consultants`` (a queryset of users) limits it to their clients; clients without a consultant are left out.
    """
    trajectories = audited_trajectories(day).filter(
        client__organisation=organisation_id, client__consultant__isnull=False
    )
    if consultants is not None:
        trajectories = trajectories.filter(client__consultant__in=consultants.values("pk"))
    rows = (
        trajectories.values("client__consultant")
        .annotate(**{principle.key: Sum(tally_expression(principle, day)) for principle in PRINCIPLES})
        .order_by()
    )
    return {row["client__consultant"]: {p.number: Tally(*decode_tally(row[p.key])) for p in PRINCIPLES} for row in rows}


def team_audit(user: Any, as_of: datetime.date, sort: str = "") -> TeamAudit:
    """Per principle the pass, attention and fail counts of the manager's team, overall and per consultant.

    Three queries whatever the team's size: thresholds, consultants, and the grouped counts. ``sort`` is ``""``
    (by name) or a principle key ``"p1"`` … ``"p10"`` (lowest pass share first; consultants whose counts are
    suppressed last, by name). A consultant with fewer than ``MIN_CELL`` open trajectories gets suppressed cells;
    the team totals are suppressed when they would disclose a small group (``discloses_small_group``).
    """
    day = AuditDay(as_of, thresholds_for(user.organisation_id))
    consultants = list(team_consultants(user))
    counts = tallies_by_consultant(user.organisation_id, day, team_consultants(user))
    empty = {principle.number: Tally() for principle in PRINCIPLES}
    first = PRINCIPLES[0].number
    rows = []
    for consultant in consultants:
        tallies = counts.get(consultant.pk, empty)
        total = tallies[first].total
        rows.append(ConsultantRow(consultant, total, cells_for(tallies, suppressed=total < MIN_CELL)))
    team = {
        principle.number: sum((tallies[principle.number] for tallies in counts.values()), start=Tally())
        for principle in PRINCIPLES
    }
    overall = cells_for(team, suppressed=discloses_small_group([row.trajectories for row in rows]))
    keys = [principle.key for principle in PRINCIPLES]
    if sort in keys:
        index = keys.index(sort)

        def by_share(row: ConsultantRow) -> tuple[bool, float, str, str]:
            share = row.cells[index].tally.pass_share
            return (share is None, share or 0.0, row.consultant.last_name, row.consultant.first_name)

        rows.sort(key=by_share)
    return TeamAudit(as_of, sum(row.trajectories for row in rows), overall, rows, day.params())


@dataclass(frozen=True)
class TrendPoint:
    """The team's counts for one principle in one month; ``suppressed`` as in ``PrincipleTally``."""

    month: datetime.date
    tally: Tally
    suppressed: bool = False


@dataclass(frozen=True)
class TrendSeries:
    principle: Principle
    points: list[TrendPoint]


def month_starts(as_of: datetime.date, months: int) -> list[datetime.date]:
    """The first days of the ``months`` months up to and including the month of ``as_of``, oldest first."""
    index = as_of.year * 12 + as_of.month - 1
    return [datetime.date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


def trend(user: Any, as_of: datetime.date, months: int = 12) -> list[TrendSeries]:
    """Per principle the team's recorded counts per month (from snapshots), the last ``months`` months: one query.

    A month without a snapshot has an empty tally (its share is None), so the chart shows a gap, not a zero. A month
    whose team sum would disclose a small group (``discloses_small_group`` over the consultants' snapshots, the same
    rule as the team table) is suppressed: an empty tally too, and ``suppressed``.
    """
    starts = month_starts(as_of, months)
    sums = {
        f"{principle.key}_{field}": Sum(field, filter=Q(principle=principle.number))
        for principle in PRINCIPLES
        for field in ("passed", "attention", "failed")
    }
    rows = (
        PrincipleSnapshot.objects.filter(
            organisation=user.organisation_id,
            consultant__in=team_consultants(user).values("pk"),
            month__gte=starts[0],
            month__lte=starts[-1],
        )
        .values("month", "consultant")
        .annotate(**sums)
        .order_by()
    )
    by_month: dict[datetime.date, list[dict[int, Tally]]] = {}
    for row in rows:  # one per consultant and month
        by_month.setdefault(row["month"], []).append(
            {
                p.number: Tally(
                    row[f"{p.key}_passed"] or 0, row[f"{p.key}_attention"] or 0, row[f"{p.key}_failed"] or 0
                )
                for p in PRINCIPLES
            }
        )
    first = PRINCIPLES[0].number
    points: dict[datetime.date, list[PrincipleTally]] = {}
    for month, consultants in by_month.items():
        team = {p.number: sum((tallies[p.number] for tallies in consultants), start=Tally()) for p in PRINCIPLES}
        hidden = discloses_small_group([tallies[first].total for tallies in consultants])
        points[month] = cells_for(team, suppressed=hidden)
    empty = [PrincipleTally(p, Tally()) for p in PRINCIPLES]
    series = []
    for index, principle in enumerate(PRINCIPLES):
        cells = [points.get(month, empty)[index] for month in starts]
        series.append(
            TrendSeries(principle, [TrendPoint(m, c.tally, c.suppressed) for m, c in zip(starts, cells, strict=True)])
        )
    return series
