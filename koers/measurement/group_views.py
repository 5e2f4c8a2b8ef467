"""Group effects of runs and programmes (aggregates only, no names) and the policy staff's research export."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from koers.accounts.decorators import role_required
from koers.accounts.roles import Role
from koers.accounts.types import AuthenticatedRequest
from koers.audit.models import Action
from koers.audit.services import record_event
from koers.measurement.group_effects import (
    ORGANISATION_VIEWERS,
    GroupEffects,
    chart_rows,
    forest_plot,
    programme_effects,
    programme_for_effects,
    run_effects,
    run_for_effects,
)
from koers.measurement.group_forms import PeriodForm, ResearchExportForm
from koers.measurement.research_export import MIN_MUNICIPALITY_CLIENTS, ExportQuery, start_export

RUN_REASON = "group effects of a group run"
PROGRAMME_REASON = "group effects of a programme"


def _chart(effects: GroupEffects) -> str:
    rows = chart_rows(effects)
    svg = forest_plot(
        rows,
        # xgettext:no-python-format
        title=_("Effect size per scale (Hedges' g) with its 95% confidence interval"),
        description=_(
            "A square marks the effect size, the line its confidence interval; right of the line at 0 is "
            "improvement. The table holds the same figures."
        ),
    )
    return mark_safe(svg)  # noqa: S308 (built from escaped text and numbers in group_effects.forest_plot)


@role_required(*ORGANISATION_VIEWERS, Role.TRAINER)
@require_GET
def run_effects_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    run = run_for_effects(request.user, pk)
    if run is None:
        raise Http404
    effects = run_effects(run)
    record_event(request.user, Action.READ, run, reason=RUN_REASON)
    context: dict[str, Any] = {"run": run, "effects": effects, "chart": _chart(effects)}
    return render(request, "measurement/group/run_effects.html", context)


@role_required(*ORGANISATION_VIEWERS)
@require_GET
def programme_effects_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = programme_for_effects(request.user, pk)
    if programme is None:
        raise Http404
    form = PeriodForm(request.GET or None)
    period = form.cleaned_data if form.is_bound and form.is_valid() else {}
    effects = programme_effects(programme, start_from=period.get("van"), start_to=period.get("tot"))
    record_event(request.user, Action.READ, programme, reason=PROGRAMME_REASON)
    context = {"programme": programme, "effects": effects, "form": form, "chart": _chart(effects)}
    return render(request, "measurement/group/programme_effects.html", context)


@role_required(Role.POLICY)
@require_http_methods(["GET", "POST"])
def research_export(request: AuthenticatedRequest) -> HttpResponse:
    """The form (GET) and the download (POST): pseudonymised measurements of the own organisation."""
    organisation_id = request.user.organisation_id
    if organisation_id is None:
        raise PermissionDenied
    form = ResearchExportForm(request.POST or None, organisation_id=organisation_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        export = start_export(
            request.user,
            ExportQuery(
                organisation_id=organisation_id,
                taken_from=data["van"],
                taken_to=data["tot"],
                municipality_id=data["gemeente"].pk if data["gemeente"] else None,
                file_format=data["formaat"],
                with_items=data["antwoorden"],
            ),
        )
        response: HttpResponse | StreamingHttpResponse
        if export.chunks is not None:
            response = StreamingHttpResponse(export.chunks, content_type=export.content_type)
            response["Content-Disposition"] = f'attachment; filename="{export.file_name}"'
        else:
            response = FileResponse(export.file, as_attachment=True, filename=export.file_name)
            response["Content-Type"] = export.content_type
        response["Cache-Control"] = "no-store"
        return response  # type: ignore[return-value]
    context = {"form": form, "min_clients": MIN_MUNICIPALITY_CLIENTS}
    return render(request, "measurement/group/research_export.html", context)
