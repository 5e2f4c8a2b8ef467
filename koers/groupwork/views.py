"""Group runs for trainers and planners: the list and the run page with its sessions and participants."""

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from koers.accounts.decorators import role_required
from koers.accounts.roles import Role
from koers.accounts.types import AuthenticatedRequest
from koers.audit.services import record_client_reads
from koers.groupwork.models import RunStatus
from koers.groupwork.run_forms import ExtendForm, ReasonForm, RunFilterForm
from koers.groupwork.selectors import participants_of, run_sessions, visible_runs
from koers.pagination import query_prefix

OPEN_RUN = (RunStatus.PLANNED, RunStatus.RUNNING)

# Pages of the run that other parts of group work serve (all take the run's or session's ``pk``), and who gets the
# link: the run's own trainers and/or the organisation's planners. A link shows only once its URL exists.
RUN_PAGES = {
    "attendance": ("groupwork:session_attendance", {Role.TRAINER, Role.PLANNER}),
    "attendance_list": ("groupwork:session_attendance_pdf", {Role.TRAINER, Role.PLANNER}),
    "invitations": ("groupwork:run_invitations", {Role.PLANNER}),
    "handoffs": ("groupwork:run_handoffs", {Role.TRAINER}),
    "evaluation": ("groupwork:run_evaluation", {Role.TRAINER, Role.PLANNER}),
}


def run_page_links(*, planner: bool, trainer: bool) -> dict[str, bool]:
    """Which of ``RUN_PAGES`` this user gets a link to on the run page."""
    acting = {role for role, acts in ((Role.PLANNER, planner), (Role.TRAINER, trainer)) if acts}
    return {key: bool(acting & roles) for key, (_name, roles) in RUN_PAGES.items()}


@role_required(Role.TRAINER, Role.PLANNER)
def run_list(request: AuthenticatedRequest) -> HttpResponse:
    show_past = request.GET.get("periode") == "afgelopen"
    today = timezone.localdate()
    runs = visible_runs(request.user)
    runs = (
        runs.filter(start_date__lt=today).order_by("-start_date") if show_past else runs.filter(start_date__gte=today)
    )
    is_planner = request.user.has_role(Role.PLANNER)
    form = RunFilterForm(request.GET, user=request.user) if is_planner else None
    if form is not None and form.is_valid():
        if form.cleaned_data["programma"] is not None:
            runs = runs.filter(programme=form.cleaned_data["programma"])
        if form.cleaned_data["status"]:
            runs = runs.filter(status=form.cleaned_data["status"])
    page = Paginator(runs, 25).get_page(request.GET.get("pagina"))
    return render(
        request,
        "groupwork/run_list.html",
        {
            "page": page,
            "show_past": show_past,
            "query_prefix": query_prefix(request),
            "form": form,
            "is_planner": is_planner,
        },
    )


@role_required(Role.TRAINER, Role.PLANNER)
def run_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The run with its sessions and participants (name and needed variant only: no dossier data)."""
    run = visible_runs(request.user).filter(pk=pk).first()
    if run is None:
        raise Http404
    participants = list(participants_of(run, request.user))
    record_client_reads(request.user, [p.client for p in participants], reason="group run participants")
    trainers = list(run.trainers.all())
    sessions = list(run_sessions(run))
    planner = request.user.has_role(Role.PLANNER) and run.programme.organisation_id == request.user.organisation_id
    trainer = request.user.has_role(Role.TRAINER) and any(t.pk == request.user.pk for t in trainers)
    is_open = run.status in OPEN_RUN
    context: dict[str, Any] = {
        "run": run,
        "participants": participants,
        "trainers": trainers,
        "sessions": sessions,
        "is_planner": planner,
        "is_run_trainer": trainer,
        "is_open": is_open,
        "links": run_page_links(planner=planner, trainer=trainer),
    }
    if planner and is_open:
        context["cancel_form"] = ReasonForm()
        context["extend_form"] = ExtendForm() if run.programme.is_continuous else None
    return render(request, "groupwork/run_detail.html", context)
