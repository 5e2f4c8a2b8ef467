from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from koers.accounts.decorators import role_required
from koers.accounts.roles import Role
from koers.accounts.types import AuthenticatedRequest
from koers.audit.services import record_client_reads
from koers.groupwork.selectors import participants_of, visible_runs
from koers.pagination import query_prefix


@role_required(Role.TRAINER, Role.PLANNER)
def run_list(request: AuthenticatedRequest) -> HttpResponse:
    show_past = request.GET.get("periode") == "afgelopen"
    today = timezone.localdate()
    runs = visible_runs(request.user)
    runs = (
        runs.filter(start_date__lt=today).order_by("-start_date") if show_past else runs.filter(start_date__gte=today)
    )
    page = Paginator(runs, 25).get_page(request.GET.get("pagina"))
    return render(
        request,
        "groupwork/run_list.html",
        {"page": page, "show_past": show_past, "query_prefix": query_prefix(request)},
    )


@role_required(Role.TRAINER, Role.PLANNER)
def run_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    run = visible_runs(request.user).filter(pk=pk).first()
    if run is None:
        raise Http404
    participants = list(participants_of(run, request.user))
    record_client_reads(request.user, [p.client for p in participants], reason="group run participants")
    trainers = list(run.trainers.all())
    return render(
        request, "groupwork/run_detail.html", {"run": run, "participants": participants, "trainers": trainers}
    )
