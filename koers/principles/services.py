"""Writes for the principles audit: the monthly snapshot of counts per consultant and principle."""

import datetime

from django.db import transaction

from koers.accounts.models import Organisation
from koers.principles.models import PrincipleSnapshot
from koers.principles.rules import PRINCIPLES, AuditDay, thresholds_for
from koers.principles.selectors import tallies_by_consultant


@transaction.atomic
def record_snapshots(organisation: Organisation, as_of: datetime.date) -> int:
    """Store, for the month of ``as_of``, each consultant's counts per principle as of ``as_of``; returns the
    number of rows written.

    Idempotent: the month's earlier rows for the organisation are replaced, so a daily run keeps the current month
    up to date and the run on its last day leaves the month-end figures. Consultants without open trajectories get
    no rows.
    """
    month = as_of.replace(day=1)
    day = AuditDay(as_of, thresholds_for(organisation.pk))
    counts = tallies_by_consultant(organisation.pk, day)
    PrincipleSnapshot.objects.filter(organisation=organisation, month=month).delete()
    snapshots = PrincipleSnapshot.objects.bulk_create(
        PrincipleSnapshot(
            organisation=organisation,
            month=month,
            consultant_id=consultant_id,
            principle=principle.number,
            passed=tallies[principle.number].passed,
            attention=tallies[principle.number].attention,
            failed=tallies[principle.number].failed,
        )
        for consultant_id, tallies in sorted(counts.items())
        for principle in PRINCIPLES
    )
    return len(snapshots)


def month_ends(as_of: datetime.date, months: int) -> list[datetime.date]:
    """The last days of the ``months`` months before the month of ``as_of``, oldest first."""
    ends = []
    first = as_of.replace(day=1)
    for _ in range(months):
        end = first - datetime.timedelta(days=1)
        ends.append(end)
        first = end.replace(day=1)
    return list(reversed(ends))
