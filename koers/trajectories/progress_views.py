"""Pages for progress reports and the case discussion; their PDFs. Thin: open through the selectors, render."""

import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from koers.accounts.decorators import role_required
from koers.accounts.types import AuthenticatedRequest
from koers.audit.models import Action
from koers.trajectories import charts
from koers.trajectories.models import LifeDomain, LifeDomainAssessment
from koers.trajectories.progress import (
    REPORT_ROLES,
    case_discussion,
    draft_context,
    record_case_discussion_print,
    report_content,
    report_for,
    report_history,
    write_progress_report,
)
from koers.trajectories.progress_forms import ProgressReportForm
from koers.trajectories.report_sections import sections_for
from koers.trajectories.selectors import trajectory_for


def life_domain_chart(assessments: list[LifeDomainAssessment], chart_id: str) -> SafeString:
    """The scores of the eight domains over the given assessments (oldest first), as inline SVG."""
    scores = [{score.domain: score.score for score in assessment.scores.all()} for assessment in assessments]
    svg = charts.life_domain_chart(
        [assessment.assessed_on for assessment in assessments],
        [
            charts.DomainSeries(str(domain.label), [by_domain.get(domain.value) for by_domain in scores])
            for domain in LifeDomain
        ],
        title=_("Life-domain scores over time"),
        description=_(
            "One small chart per life domain, score 1 (acute problems) to 5 (fully self-reliant), from %(first)s "
            "to %(last)s. A square marks an urgent barrier. The table gives every value."
        )
        % {
            "first": _date(assessments[0].assessed_on) if assessments else "",
            "last": _date(assessments[-1].assessed_on) if assessments else "",
        },
        date_labels=[date_format(assessment.assessed_on, "SHORT_DATE_FORMAT") for assessment in assessments],
        urgent_label=_("Score 1: urgent barrier"),
        chart_id=chart_id,
    )
    return mark_safe(svg)  # noqa: S308 - charts escapes every label it writes


def score_table(assessments: list[LifeDomainAssessment]) -> list[tuple[str, list[int | None]]]:
    """Rows of the data table beside the chart: per domain its score at each assessment."""
    scores = [{score.domain: score.score for score in assessment.scores.all()} for assessment in assessments]
    return [(str(domain.label), [by_domain.get(domain.value) for by_domain in scores]) for domain in LifeDomain]


def _pdf(template_name: str, context: dict[str, Any], request: AuthenticatedRequest, filename: str) -> HttpResponse:
    """WeasyPrint takes about a second to import: it is loaded with the first PDF, not with the URLconf."""
    from koers.pdf import pdf_response, render_pdf

    return pdf_response(render_pdf(template_name, context, request), filename)


def _date(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def _filename(kind: str, number: int, day: datetime.date) -> str:
    """E.g. voortgangsrapportage-12-20261123.pdf: an id and a date, never a name."""
    return f"{slugify(kind)}-{number}-{day:%Y%m%d}.pdf"


@role_required(*REPORT_ROLES)
def history(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    trajectory = trajectory_for(request.user, pk, reason="progress report history")
    return render(
        request,
        "trajectories/progress_history.html",
        {"trajectory": trajectory, "client": trajectory.client, "reports": report_history(trajectory)},
    )


@role_required(*REPORT_ROLES)
def report_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The form opens with the previous report; the new report links the latest assessment and IGM profile."""
    trajectory = trajectory_for(request.user, pk, reason="progress report form")
    draft = draft_context(trajectory)
    form = ProgressReportForm(request.POST or None, trajectory=trajectory, previous=draft.previous)
    if request.method == "POST" and form.is_valid():
        write_progress_report(request.user, trajectory, form.report_data())
        messages.success(request, _("The progress report has been saved."))
        return redirect("progress:history", pk=trajectory.pk)
    return render(
        request,
        "trajectories/progress_form.html",
        {
            "trajectory": trajectory,
            "client": trajectory.client,
            "form": form,
            "draft": draft,
            "facet_groups": form.facet_groups(draft.facets),
        },
    )


def _report_context(content: Any, chart_id: str) -> dict[str, Any]:
    trajectory = content.report.trajectory
    return {
        "content": content,
        "report": content.report,
        "trajectory": trajectory,
        "client": trajectory.client,
        "chart": life_domain_chart(content.assessments, chart_id),
        "score_table": score_table(content.assessments),
    }


@role_required(*REPORT_ROLES)
def report_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    content = report_content(report_for(request.user, pk, reason="progress report"))
    return render(request, "trajectories/progress_detail.html", _report_context(content, "report-chart"))


@role_required(*REPORT_ROLES)
def report_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The report as a PDF a municipality can file; the download is on record as a print."""
    report = report_for(request.user, pk, reason="progress report printed (PDF)", action=Action.PRINT)
    content = report_content(report)
    context = {**_report_context(content, "report-chart"), "sections": sections_for(report.trajectory, request.user)}
    return _pdf(
        "trajectories/print/progress_report.html",
        context,
        request,
        _filename(_("progress report"), report.pk, report.written_on),
    )


def _case_context(trajectory: Any) -> dict[str, Any]:
    case = case_discussion(trajectory)
    return {
        "case": case,
        "trajectory": trajectory,
        "client": trajectory.client,
        "chart": life_domain_chart(case.assessments, "case-chart"),
        "score_table": score_table(case.assessments),
    }


@role_required(*REPORT_ROLES)
def case_discussion_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    trajectory = trajectory_for(request.user, pk, reason="case discussion")
    return render(request, "trajectories/case_discussion.html", _case_context(trajectory))


@role_required(*REPORT_ROLES)
def case_discussion_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    trajectory = trajectory_for(request.user, pk, reason="case discussion printed (PDF)")
    context = _case_context(trajectory)
    response = _pdf(
        "trajectories/print/case_discussion.html",
        context,
        request,
        _filename(_("case discussion"), trajectory.pk, context["case"].today),
    )
    record_case_discussion_print(request.user, trajectory)
    return response
