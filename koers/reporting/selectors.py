"""Reads of the reporting app: the exports a person asked for, and the report a kind and its parameters stand for."""

import datetime
from typing import Any

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from koers.accounts.models import Municipality, User
from koers.reporting.financier import financier_report
from koers.reporting.management_report import management_report
from koers.reporting.models import ExportStatus, ReportExport, ReportKind
from koers.reporting.report import Period, Progress, Report, no_progress

# Exports are kept this long, then pruned (``services.prune_exports``); the list shows the same window.
KEEP_EXPORTS = datetime.timedelta(days=7)
# A running export writes its heartbeat at every step; silence this long means its worker is gone.
INTERRUPTED_AFTER = datetime.timedelta(minutes=3)
ACTIVE = (ExportStatus.QUEUED, ExportStatus.RUNNING)


def _exports_of(user: User) -> QuerySet[ReportExport]:
    """The person's own exports, without the file itself, and marked ``interrupted`` when their heartbeat stopped."""
    silent_since = timezone.now() - INTERRUPTED_AFTER
    return (
        ReportExport.objects.filter(requested_by=user)
        .defer("content")
        .annotate(
            interrupted=Case(
                When(Q(status__in=ACTIVE, updated_at__lt=silent_since), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )


def recent_exports(user: User) -> QuerySet[ReportExport]:
    return _exports_of(user).filter(created_at__gte=timezone.now() - KEEP_EXPORTS)


def export_for(user: User, pk: int) -> ReportExport:
    """Only the person who asked sees an export; for anyone else it does not exist (404)."""
    export = _exports_of(user).filter(pk=pk).first()
    if export is None:
        raise Http404
    return export


def export_file(user: User, pk: int) -> ReportExport:
    """A finished export with its content, for its download; past the keeping period it is gone, pruned or not."""
    export = ReportExport.objects.filter(
        requested_by=user, pk=pk, status=ExportStatus.DONE, created_at__gte=timezone.now() - KEEP_EXPORTS
    ).first()
    if export is None or export.content is None:
        raise Http404
    return export


def municipality_of(organisation_id: int, pk: Any) -> Municipality:
    """A municipality of the organisation; any other (or none) is a 404."""
    municipality = Municipality.objects.filter(organisation_id=organisation_id, pk=pk).first()
    if municipality is None:
        raise Http404
    return municipality


def period_of(parameters: dict[str, Any]) -> Period:
    """The period an export's stored parameters (ISO dates) describe."""
    return Period(datetime.date.fromisoformat(parameters["start"]), datetime.date.fromisoformat(parameters["end"]))


def build_report(
    kind: str, organisation_id: int, parameters: dict[str, Any], progress: Progress = no_progress
) -> Report:
    """The report that ``kind`` and the stored parameters of an export describe, figured out anew."""
    period = period_of(parameters)
    if kind == ReportKind.FINANCIER:
        municipality = municipality_of(organisation_id, parameters["municipality"])
        return financier_report(organisation_id, municipality, period, progress=progress)
    return management_report(organisation_id, period, progress=progress)
