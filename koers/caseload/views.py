from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from koers.accounts.decorators import role_required
from koers.accounts.roles import Role
from koers.accounts.types import AuthenticatedRequest
from koers.audit.services import record_client_reads
from koers.caseload.forms import CaseloadFilterForm
from koers.caseload.selectors import (
    SIGNALS,
    SIGNALS_BY_PARAM,
    Badge,
    Selection,
    Sort,
    badges,
    caseload_for,
    caseload_summary,
    progress_report_weeks,
)
from koers.clients.models import Client
from koers.pagination import query_prefix

PAGE_SIZE = 25


@dataclass(frozen=True)
class Row:
    client: Client
    badges: list[Badge]


@role_required(Role.CONSULTANT)
def index(request: AuthenticatedRequest) -> HttpResponse:
    """The consultant's home: own clients (or those of a colleague being replaced) with what needs attention."""
    form = CaseloadFilterForm(request.GET or None, organisation_id=request.user.organisation_id)
    selection = Selection(str(form.value("clienten") or Selection.OWN))
    municipality = form.value("gemeente")
    signal = SIGNALS_BY_PARAM.get(str(form.value("signaal") or ""))
    today = timezone.localdate()
    clients = caseload_for(
        request.user,
        today=today,
        selection=selection,
        query=str(form.value("q") or ""),
        municipality_id=getattr(municipality, "pk", None),
        signal=signal,
        sort=Sort(str(form.value("sorteer") or Sort.NAME)),
    )
    page = Paginator(clients, PAGE_SIZE).get_page(request.GET.get("pagina"))
    record_client_reads(request.user, page.object_list, reason="caseload")
    summary = caseload_summary(request.user, today=today, selection=selection)
    weeks = progress_report_weeks()
    return render(
        request,
        "caseload/index.html",
        {
            "form": form,
            "page": page,
            "rows": [Row(client, badges(client)) for client in page.object_list],
            "summary": [(s, summary[s.name]) for s in SIGNALS],
            "legend": [(s, s.description % {"weeks": weeks}) for s in SIGNALS],
            "totals": summary,
            "signal": signal,
            "selection": selection,
            "query_prefix": query_prefix(request),
        },
    )
