"""When a trajectory's measurements are planned, and which are done (DOMAIN.md §3, individual effect measurement).

The organisation's ``MeasurementPolicy`` sets the moments: a start measurement within N days of the start, an interim
one every N weeks after the start, and one at the end. A moment is done when a completed measurement of that moment
exists; an interim measurement counts for the planned date it lies within half an interval of. ``planned_moments``
is pure; ``measurement_schedule`` reads the policy and the measurements (two queries).
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.measurement.models import Measurement, MeasurementPolicy, MeasurementStatus, Moment
from koers.measurement.selectors import policy_of
from koers.trajectories.models import Trajectory

# A planned interim or end measurement counts as due this many days before its date (the start one from the start).
DUE_SOON_DAYS = 14


class MomentStatus(models.TextChoices):
    DONE = "done", _("Done")
    DUE = "due", _("Due")
    OVERDUE = "overdue", _("Overdue")
    UPCOMING = "upcoming", _("Upcoming")


@dataclass(frozen=True)
class Plan:
    """One planned moment without its measurement: due on ``due_on``; a completed measurement of the moment taken
    in [``counts_from``, ``counts_until``) makes it done (``None``: any date)."""

    moment: str
    due_on: datetime.date
    opens_on: datetime.date
    counts_from: datetime.date | None = None
    counts_until: datetime.date | None = None

    def counts(self, measurement: Measurement) -> bool:
        if measurement.moment != self.moment:
            return False
        day = measurement.taken_on or measurement.due_on or measurement.created_at.date()
        if self.counts_from is not None and day < self.counts_from:
            return False
        return self.counts_until is None or day < self.counts_until


@dataclass(frozen=True)
class PlannedMoment:
    moment: str
    due_on: datetime.date
    status: str
    measurement: Measurement | None  # the completed one when done, else an open one if any

    @property
    def moment_label(self) -> str:
        return str(Moment(self.moment).label)

    @property
    def status_label(self) -> str:
        return str(MomentStatus(self.status).label)


def planned_moments(
    started_on: datetime.date,
    ended_on: datetime.date | None,
    *,
    start_within_days: int,
    interval_weeks: int,
    measure_at_end: bool,
    today: datetime.date,
) -> list[Plan]:
    """The moments of a trajectory in date order: the start, each interim up to the end (or, while the trajectory
    is open, up to and including the first one after today), and the end if it has ended."""
    start_due = started_on + datetime.timedelta(days=start_within_days)
    plans = [Plan(Moment.START, start_due, opens_on=started_on)]
    if interval_weeks > 0:
        interval = datetime.timedelta(weeks=interval_weeks)
        half = interval / 2
        soon = min(datetime.timedelta(days=DUE_SOON_DAYS), half)
        planned = started_on + interval
        while ended_on is None or planned < ended_on:
            plans.append(
                Plan(
                    Moment.INTERIM,
                    planned,
                    opens_on=planned - soon,
                    counts_from=planned - half,
                    counts_until=planned + half,
                )
            )
            if planned > today:
                break
            planned += interval
    if ended_on is not None and measure_at_end:
        plans.append(Plan(Moment.END, ended_on, opens_on=ended_on - datetime.timedelta(days=DUE_SOON_DAYS)))
    return plans


def _status(plan: Plan, today: datetime.date) -> str:
    if today > plan.due_on:
        return MomentStatus.OVERDUE
    if today >= plan.opens_on:
        return MomentStatus.DUE
    return MomentStatus.UPCOMING


def match(plans: Sequence[Plan], measurements: Iterable[Measurement], today: datetime.date) -> list[PlannedMoment]:
    """Each plan with its status and measurement; a measurement is used for one plan at most."""
    ordered = sorted(measurements, key=lambda m: (m.taken_on or datetime.date.max, m.pk or 0))
    completed = [m for m in ordered if m.status == MeasurementStatus.COMPLETED]
    open_ones = [m for m in ordered if m.status == MeasurementStatus.OPEN]
    used: set[int] = set()
    result = []
    for plan in plans:
        done = next((m for m in completed if m.pk not in used and plan.counts(m)), None)
        if done is not None:
            used.add(done.pk)
            result.append(PlannedMoment(plan.moment, plan.due_on, MomentStatus.DONE, done))
            continue
        pending = next((m for m in open_ones if m.pk not in used and m.moment == plan.moment), None)
        if pending is not None:
            used.add(pending.pk)
        result.append(PlannedMoment(plan.moment, plan.due_on, _status(plan, today), pending))
    return result


def measurement_schedule(
    trajectory: Trajectory,
    today: datetime.date,
    policy: MeasurementPolicy | None = None,
    measurements: Iterable[Measurement] | None = None,
) -> list[PlannedMoment]:
    """The trajectory's planned moments with status (done, due, overdue, upcoming) and measurement.

    ``policy`` and ``measurements`` (the trajectory's) save their queries when the caller has them already.
    """
    if policy is None:
        policy = policy_of(trajectory.client.organisation_id)
    plans = planned_moments(
        trajectory.started_on,
        trajectory.ended_on,
        start_within_days=policy.start_within_days,
        interval_weeks=policy.interval_weeks,
        measure_at_end=policy.measure_at_end,
        today=today,
    )
    if measurements is None:
        measurements = trajectory.measurements.filter(
            status__in=(MeasurementStatus.COMPLETED, MeasurementStatus.OPEN)
        ).order_by("taken_on", "pk")
    return match(plans, measurements, today)


def next_moment(schedule: Sequence[PlannedMoment]) -> PlannedMoment | None:
    """The first moment that is not done and not upcoming: what to measure now."""
    return next((p for p in schedule if p.status in (MomentStatus.OVERDUE, MomentStatus.DUE)), None)
