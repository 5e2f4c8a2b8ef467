"""The planner's pages for group runs: plan a run, change it, move or cancel a session, complete, cancel or extend a
run, and the overviews of room bookings and trainer hours. No client data is shown here (the participant list is on
the run page, which audits the read).
"""

from django.contrib import messages
from django.forms import BaseForm
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.accounts.decorators import role_required
from koers.accounts.roles import Role
from koers.accounts.types import AuthenticatedRequest
from koers.groupwork.capacity_views import CAPACITY_ROLES, render_overview
from koers.groupwork.models import GroupRun, RunStatus
from koers.groupwork.run_forms import ExtendForm, ReasonForm, RunForm, SessionForm
from koers.groupwork.run_services import (
    PlanningRefusedError,
    StaleEditError,
    cancel_run,
    cancel_session,
    complete_run,
    create_run,
    extend_continuous_run,
    reschedule_session,
    update_run,
)
from koers.groupwork.selectors import (
    organisation_programmes,
    organisation_rooms,
    room_weeks,
    visible_runs,
    visible_session,
)

OPEN_RUN = (RunStatus.PLANNED, RunStatus.RUNNING)
ROOM_WEEKS = 4


def _run(request: AuthenticatedRequest, pk: int) -> GroupRun:
    run = visible_runs(request.user).filter(pk=pk).first()
    if run is None:
        raise Http404
    return run


def _refused(form: BaseForm, refusal: PlanningRefusedError) -> None:
    for reason in refusal.reasons:
        form.add_error(None, reason)


def _warn(request: AuthenticatedRequest, warnings: tuple[str, ...]) -> None:
    for warning in warnings:
        messages.warning(request, warning)


def _closed(request: AuthenticatedRequest, run: GroupRun) -> HttpResponse:
    messages.error(
        request,
        _("This group run is %(status)s; it can no longer be changed.") % {"status": run.get_status_display().lower()},
    )
    return redirect("groupwork:run_detail", pk=run.pk)


@role_required(Role.PLANNER)
def run_create(request: AuthenticatedRequest) -> HttpResponse:
    """A new run; ``?programme=<pk>`` chooses the programme beforehand (from its page or waiting list)."""
    wanted = request.GET.get("programme", "")
    programme = organisation_programmes(request.user).filter(pk=int(wanted)).first() if wanted.isdecimal() else None
    initial = {"programme": programme.pk} if programme else {}
    form = RunForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            planned = create_run(request.user, **form.service_arguments())
        except PlanningRefusedError as refusal:
            _refused(form, refusal)
        else:
            _warn(request, planned.warnings)
            messages.success(
                request,
                _("The group run has been planned with %(count)d sessions.")
                % {"count": planned.saved.sessions.count()},
            )
            return redirect("groupwork:run_detail", pk=planned.saved.pk)
    return render(request, "groupwork/runs/run_form.html", {"form": form, "programme": programme, "run": None})


@role_required(Role.PLANNER)
def run_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Changes a run with the version it was opened with; a refusal or a stale edit keeps the input."""
    run = _run(request, pk)
    if run.status not in OPEN_RUN:
        return _closed(request, run)
    form = RunForm(request.POST or None, user=request.user, run=run)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            planned = update_run(request.user, run, **form.service_arguments())
        except StaleEditError:
            stale = True
        except PlanningRefusedError as refusal:
            _refused(form, refusal)
        else:
            _warn(request, planned.warnings)
            messages.success(request, _("The group run has been saved."))
            return redirect("groupwork:run_detail", pk=run.pk)
    return render(
        request,
        "groupwork/runs/run_form.html",
        {"form": form, "programme": run.programme, "run": run, "stale": stale},
    )


@role_required(Role.PLANNER)
def session_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Moves one session (date, time, room) or cancels it, each with a reason."""
    session = visible_session(request.user, pk)
    if session is None:
        raise Http404
    run = session.group_run
    cancelling = request.method == "POST" and request.POST.get("action") == "cancel"
    moving = request.method == "POST" and not cancelling
    form = SessionForm(request.POST if moving else None, user=request.user, session=session)
    cancel_form = ReasonForm(
        request.POST if cancelling else None, prefix="cancel", initial={"version": session.version}
    )
    stale = False
    if moving and form.is_valid():
        data = form.cleaned_data
        try:
            planned = reschedule_session(
                request.user,
                session,
                data["date"],
                data["starts_at"],
                data["room"],
                data["reason"],
                version=data["version"],
            )
        except StaleEditError:
            stale = True
        except PlanningRefusedError as refusal:
            _refused(form, refusal)
        else:
            _warn(request, planned.warnings)
            messages.success(request, _("The session has been moved."))
            return redirect("groupwork:run_detail", pk=run.pk)
    if cancelling and cancel_form.is_valid():
        try:
            cancel_session(
                request.user, session, cancel_form.cleaned_data["reason"], version=cancel_form.cleaned_data["version"]
            )
        except StaleEditError:
            stale = True
        except PlanningRefusedError as refusal:
            _refused(cancel_form, refusal)
        else:
            messages.success(request, _("The session has been cancelled."))
            return redirect("groupwork:run_detail", pk=run.pk)
    editable = run.status in OPEN_RUN and not session.is_cancelled and session.attendance_recorded_at is None
    return render(
        request,
        "groupwork/runs/session_form.html",
        {
            "session": session,
            "run": run,
            "form": form,
            "cancel_form": cancel_form,
            "stale": stale,
            "editable": editable,
        },
    )


@require_POST
@role_required(Role.PLANNER)
def run_complete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    try:
        closed = complete_run(request.user, run)
    except PlanningRefusedError as refusal:
        messages.error(request, " ".join(refusal.reasons))
    else:
        messages.success(
            request,
            _("The group run has been completed: %(completed)d participants completed it, %(dropped)d dropped out.")
            % {"completed": closed.completed, "dropped": closed.dropped_out},
        )
    return redirect("groupwork:run_detail", pk=run.pk)


@require_POST
@role_required(Role.PLANNER)
def run_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for cancelling the run."))
        return redirect("groupwork:run_detail", pk=run.pk)
    try:
        closed = cancel_run(request.user, run, form.cleaned_data["reason"])
    except PlanningRefusedError as refusal:
        messages.error(request, " ".join(refusal.reasons))
    else:
        messages.success(
            request,
            _("The group run has been cancelled; %(count)d placed clients are back on the waiting list.")
            % {"count": closed.back_to_waiting},
        )
    return redirect("groupwork:run_detail", pk=run.pk)


@require_POST
@role_required(Role.PLANNER)
def run_extend(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    form = ExtendForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
        return redirect("groupwork:run_detail", pk=run.pk)
    extra = form.cleaned_data["extra_sessions"]
    try:
        planned = extend_continuous_run(request.user, run, extra)
    except PlanningRefusedError as refusal:
        messages.error(request, " ".join(refusal.reasons))
    else:
        _warn(request, planned.warnings)
        messages.success(request, _("%(count)d sessions have been added.") % {"count": extra})
    return redirect("groupwork:run_detail", pk=run.pk)


@role_required(Role.PLANNER)
def rooms(request: AuthenticatedRequest) -> HttpResponse:
    """The organisation's rooms with their features and their bookings in the coming weeks."""
    all_rooms = list(organisation_rooms(request.user))
    weeks = room_weeks(all_rooms, timezone.localdate(), ROOM_WEEKS)
    return render(request, "groupwork/runs/rooms.html", {"rooms": all_rooms, "weeks": weeks})


@role_required(*CAPACITY_ROLES)
def trainer_capacity(request: AuthenticatedRequest) -> HttpResponse:
    """Per trainer the hours planned per week and per month (trainer time model and switching time) against the
    hours available, with a chart and warnings; for planners and team managers (capacity_views.py)."""
    return render_overview(request)
