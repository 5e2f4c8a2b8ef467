"""The report pages (financier, management), their exports and the progress of an export.

Reports show aggregates only, for team managers and policy staff; a municipality of another organisation is a 404.
Each report page is one GET form: the report shows once its fields are valid, and is logged as read.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from koers.accounts.decorators import role_required
from koers.accounts.roles import Role
from koers.accounts.types import AuthenticatedRequest
from koers.reporting.financier import financier_report
from koers.reporting.forms import ExportChoiceForm, FinancierReportForm, ManagementReportForm, report_form
from koers.reporting.management_report import management_report
from koers.reporting.models import ExportFormat, ExportStatus, ReportExport, ReportKind
from koers.reporting.report import SUPPRESSION_THRESHOLD
from koers.reporting.selectors import KEEP_EXPORTS, export_file, export_for, recent_exports
from koers.reporting.services import record_download, record_report_read, request_export

REPORT_ROLES = (Role.TEAM_MANAGER, Role.POLICY)


def _organisation_id(request: AuthenticatedRequest) -> int:
    if request.user.organisation_id is None:
        raise PermissionDenied
    return request.user.organisation_id


@role_required(*REPORT_ROLES)
@require_GET
def index(request: AuthenticatedRequest) -> HttpResponse:
    context = {"exports": recent_exports(request.user), "keep_days": KEEP_EXPORTS.days}
    return render(request, "reporting/index.html", context)


def _report_page(form: FinancierReportForm | ManagementReportForm) -> dict[str, Any]:
    return {
        "form": form,
        "kind": form.kind,
        "formats": ExportFormat.choices,
        "threshold": SUPPRESSION_THRESHOLD,
    }


@role_required(*REPORT_ROLES)
@require_GET
def financier(request: AuthenticatedRequest) -> HttpResponse:
    organisation_id = _organisation_id(request)
    form = FinancierReportForm(request.GET or None, organisation_id=organisation_id)
    context = _report_page(form)
    if form.is_bound and form.is_valid():
        municipality = form.cleaned_data["municipality"]
        context["report"] = financier_report(organisation_id, municipality, form.period)
        record_report_read(request.user, ReportKind.FINANCIER, form.period, municipality)
    elif form.is_bound and form.foreign_municipality:
        raise Http404
    return render(request, "reporting/report_page.html", context)


@role_required(*REPORT_ROLES)
@require_GET
def management(request: AuthenticatedRequest) -> HttpResponse:
    form = ManagementReportForm(request.GET or None)
    context = _report_page(form)
    if form.is_bound and form.is_valid():
        context["report"] = management_report(_organisation_id(request), form.period)
        record_report_read(request.user, ReportKind.MANAGEMENT, form.period)
    return render(request, "reporting/report_page.html", context)


@require_POST
@role_required(*REPORT_ROLES)
def export(request: AuthenticatedRequest) -> HttpResponse:
    """Queue an export of the report the page showed and open its progress page. The buttons send valid fields, so
    invalid ones were tampered with (400); a foreign municipality is a 404 as on the page."""
    choice = ExportChoiceForm(request.POST)
    if not choice.is_valid():
        return HttpResponseBadRequest()
    kind = choice.cleaned_data["kind"]
    form = report_form(kind, request.POST, _organisation_id(request))
    if not form.is_valid():
        if isinstance(form, FinancierReportForm) and form.foreign_municipality:
            raise Http404
        return HttpResponseBadRequest()
    job = request_export(request.user, kind, choice.cleaned_data["export_format"], form.parameters())
    return redirect("reporting:export_status", pk=job.pk)


def _status_context(request: AuthenticatedRequest, job: ReportExport) -> dict[str, Any]:
    """``gezien`` is the state the browser announced last, so that screen readers hear each step once."""
    finished = job.status in (ExportStatus.DONE, ExportStatus.FAILED) or job.interrupted  # type: ignore[attr-defined]
    state = f"{job.status}-{job.steps_done}-{job.interrupted}"  # type: ignore[attr-defined]
    return {
        "job": job,
        "polling": not finished,
        "percent": min(100, job.steps_done * 100 // max(job.steps_total, 1)),
        "state": state,
        "announce": request.GET.get("gezien", state) != state,
        "retry_fields": {key: value for key, value in job.parameters.items() if key != "language"},
    }


@role_required(*REPORT_ROLES)
@require_GET
def export_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The progress page; polled by htmx every second, it answers with the progress block alone."""
    job = export_for(request.user, pk)
    context = _status_context(request, job)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "reporting/_export_progress.html", context)
    return render(request, "reporting/export_status.html", context)


@role_required(*REPORT_ROLES)
@require_GET
def export_download(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    job = export_file(request.user, pk)
    record_download(request.user, job)
    response = HttpResponse(bytes(job.content or b""), content_type=job.content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    response["Cache-Control"] = "no-store"
    return response
