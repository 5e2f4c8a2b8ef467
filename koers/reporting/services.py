"""Writes of the reporting app: the audit events of reading and exporting reports, and the exports themselves.

An export is asked for in the request (one transaction: the row, its audit event, the task) and made by a background
task, which reports every step on the row, so that the person who asked sees how far it is.
"""

import datetime
import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from koers.accounts.models import Municipality, User
from koers.audit.models import Action
from koers.audit.services import record_event
from koers.background import enqueue
from koers.reporting import csv_export, pdf, xlsx
from koers.reporting.formatting import xlsx_labels
from koers.reporting.models import ExportFormat, ExportStatus, ReportExport, ReportKind
from koers.reporting.report import Period, Report
from koers.reporting.selectors import KEEP_EXPORTS, build_report, period_of

logger = logging.getLogger(__name__)

CONTENT_TYPES = {
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.PDF: "application/pdf",
}


def _render(export_format: str, report: Report) -> bytes:
    if export_format == ExportFormat.XLSX:
        return xlsx.report_xlsx(report, labels=xlsx_labels())
    if export_format == ExportFormat.CSV:
        return csv_export.report_csv(report)
    return pdf.report_pdf(report)


def report_reason(what: str, kind: str, period: Period, municipality: str = "", export_format: str = "") -> str:
    """The audit reason of a report event, in English; ``audit.reasons.reason_label`` translates it by its pattern:
    "report <what>: <kind>[ (<format>)][, municipality <name>], <start> to <end>"."""
    subject = f"{kind} ({export_format})" if export_format else kind
    where = f", municipality {municipality}" if municipality else ""
    return f"report {what}: {subject}{where}, {period.start.isoformat()} to {period.end.isoformat()}"


def record_report_read(user: User, kind: str, period: Period, municipality: Municipality | None = None) -> None:
    """A report shows aggregates only, but who looked at which municipality's figures is still accounted for."""
    reason = report_reason("viewed", kind, period, municipality.name if municipality else "")
    if municipality is not None:
        record_event(user, Action.READ, municipality, reason=reason)
    else:
        record_event(
            user, Action.READ, object_type="accounts.organisation", object_id=str(user.organisation_id), reason=reason
        )


def _title(kind: str, period: Period, municipality: Municipality | None) -> str:
    dates = _("%(start)s to %(end)s") % {"start": f"{period.start:%d-%m-%Y}", "end": f"{period.end:%d-%m-%Y}"}
    parts = [str(ReportKind(kind).label), municipality.name if municipality else "", dates]
    return ", ".join(part for part in parts if part)


def request_export(user: User, kind: str, export_format: str, parameters: dict[str, Any]) -> ReportExport:
    """Queue an export of the report that the page showed (same parameters), in the language of the page, and
    delete the organisation's exports past the keeping period."""
    from koers.reporting.tasks import make_export  # here: the task module imports this one

    organisation_id = user.organisation_id
    if organisation_id is None:
        raise PermissionDenied
    period = period_of(parameters)
    municipality = None
    if kind == ReportKind.FINANCIER:
        municipality = Municipality.objects.get(organisation_id=organisation_id, pk=parameters["municipality"])
    with transaction.atomic():
        # Where the daily prune command is not scheduled (demo mode), a new export clears its organisation's old ones.
        prune_exports(organisation_id=organisation_id)
        export = ReportExport.objects.create(
            organisation_id=organisation_id,
            requested_by=user,
            kind=kind,
            export_format=export_format,
            parameters={**parameters, "language": translation.get_language()},
            title=_title(kind, period, municipality),
            step_label=_("Waiting to start…"),
        )
        record_event(
            user,
            Action.EXPORT,
            export,
            reason=report_reason(
                "export requested", kind, period, municipality.name if municipality else "", export_format
            ),
        )
        enqueue(make_export, export.pk)
    return export


def record_download(user: User, export: ReportExport) -> None:
    municipality = ""
    if export.kind == ReportKind.FINANCIER:
        municipality = (
            Municipality.objects.filter(pk=export.parameters.get("municipality")).values_list("name", flat=True).first()
            or ""
        )
    reason = report_reason(
        "export downloaded", export.kind, period_of(export.parameters), municipality, export.export_format
    )
    record_event(user, Action.EXPORT, export, reason=reason)


def _filename(export: ReportExport, report: Report) -> str:
    stem = slugify(f"{report.title} {report.subtitle}") or "report"
    return f"{stem[:150]}.{export.export_format}"


def _beat(export_id: int, **fields: Any) -> None:
    """One UPDATE: the new state and the heartbeat (``update`` leaves ``auto_now`` alone, so it is set here)."""
    ReportExport.objects.filter(pk=export_id).update(updated_at=timezone.now(), **fields)


def run_export(export_id: int) -> None:
    """Make the file of a queued export. Whatever happens, the export ends done or failed, never left running."""
    started = ReportExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, started_at=timezone.now(), updated_at=timezone.now()
    )
    if not started:
        return  # already taken by another worker, or pruned
    export = ReportExport.objects.defer("content").get(pk=export_id)
    with translation.override(export.parameters.get("language")):
        try:
            _make_file(export)
        except Exception:
            logger.exception("Report export %s failed", export_id)
            _beat(
                export_id,
                status=ExportStatus.FAILED,
                finished_at=timezone.now(),
                error=_("The export could not be made because of an error on our side. Try again in a moment."),
            )


def _make_file(export: ReportExport) -> None:
    # The report's steps, plus one: writing the file.
    steps = {"total": 2}

    def progress(done: int, total: int, step: str) -> None:
        steps["total"] = total + 1
        _beat(export.pk, steps_done=done, steps_total=total + 1, step_label=step[:200])

    report = build_report(export.kind, export.organisation_id, export.parameters, progress=progress)
    total = steps["total"]
    _beat(export.pk, steps_done=total - 1, steps_total=total, step_label=_("Writing the file"))
    content = _render(export.export_format, report)
    _beat(
        export.pk,
        status=ExportStatus.DONE,
        steps_done=total,
        steps_total=total,
        step_label="",
        content=content,
        size=len(content),
        content_type=CONTENT_TYPES[ExportFormat(export.export_format)],
        filename=_filename(export, report),
        finished_at=timezone.now(),
    )


def prune_exports(now: datetime.datetime | None = None, organisation_id: int | None = None) -> int:
    """Delete exports older than the keeping period (of one organisation, or all): their files are copies of data
    that should not linger. One DELETE: nothing refers to an export and no signal listens."""
    cutoff = (now or timezone.now()) - KEEP_EXPORTS
    expired = ReportExport.objects.filter(created_at__lt=cutoff)
    if organisation_id is not None:
        expired = expired.filter(organisation_id=organisation_id)
    deleted, _counts = expired.delete()
    return deleted
