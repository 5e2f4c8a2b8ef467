"""The trainer's pages: attendance on a phone, the session log, the printable attendance list and "my groups".

Sessions are opened through ``attendance_selectors.session_for`` (scoped: a trainer's own runs, a planner's
organisation; 404 alike for missing and forbidden). Participants show only what the group needs.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koers.accounts.decorators import role_required
from koers.accounts.roles import Role
from koers.accounts.types import AuthenticatedRequest
from koers.audit.services import record_client_reads
from koers.groupwork.attendance_forms import AttendanceForm, SessionLogForm, everyone_present, field_name
from koers.groupwork.attendance_pdf import attendance_list_response
from koers.groupwork.attendance_selectors import (
    group_needs,
    my_runs,
    my_sessions_between,
    protocol_for,
    recorded_statuses,
    session_for,
    session_participants,
    trainer_runs,
    week_of,
)
from koers.groupwork.attendance_services import (
    AttendanceRefusedError,
    StaleEditError,
    can_record,
    record_attendance,
    save_session_log,
)
from koers.groupwork.models import AttendanceStatus
from koers.pagination import query_prefix

RUNS_PER_PAGE = 10


@role_required(Role.TRAINER, Role.PLANNER)
def session_attendance(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One fieldset per participant, four choices each; "everyone present" fills the open ones, then one save."""
    session = session_for(request.user, pk)
    participants = list(session_participants(session, request.user))
    recorded = recorded_statuses(session, participants)
    refusal = can_record(session)
    data: QueryDict | None = request.POST if request.method == "POST" else None
    prefilled = data is not None and data.get("action") == "everyone_present"
    if data is not None and prefilled:
        data = everyone_present(data, participants, recorded)
    form = AttendanceForm(
        data,
        participants=participants,
        initial={field_name(p): recorded[p.pk] for p in participants if p.pk in recorded},
    )
    if data is not None and not prefilled and refusal is None and form.is_valid():
        statuses = form.statuses()
        if not statuses:
            form.add_error(None, _("Choose an attendance for at least one participant, or use “Everyone present”."))
        else:
            try:
                record_attendance(request.user, session, statuses)
            except AttendanceRefusedError as error:
                form.add_error(None, str(error))
            else:
                _saved_message(request, len(participants) - len(recorded.keys() | statuses.keys()))
                return redirect("groupwork:session_attendance", pk=session.pk)
    record_client_reads(request.user, [p.client for p in participants], reason="session attendance")
    return render(
        request,
        "groupwork/attendance/session_attendance.html",
        {
            "session": session,
            "run": session.group_run,
            "programme": session.group_run.programme,
            "form": form,
            "rows": [{"participation": p, "field": form[field_name(p)], "needs": group_needs(p)} for p in participants],
            "choices": AttendanceStatus.choices,
            "refusal": refusal,
            "prefilled": prefilled,
            "is_trainer": request.user.has_role(Role.TRAINER),
        },
    )


def _saved_message(request: AuthenticatedRequest, still_open: int) -> None:
    message = _("The attendance has been saved.")
    if still_open:
        message += " " + ngettext(
            "%(count)d participant has no attendance yet.", "%(count)d participants have no attendance yet.", still_open
        ) % {"count": still_open}
    messages.success(request, message)


@role_required(Role.TRAINER)
def session_log(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The trainer's log beside the protocol of this session; a save over a colleague's change is refused."""
    session = session_for(request.user, pk)
    form = SessionLogForm(request.POST or None, session=session)
    stale = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            save_session_log(
                request.user,
                session,
                version=data["version"],
                log_done=data["log_done"],
                group_phase=data["group_phase"],
                norms_and_roles=data["norms_and_roles"],
                protocol_deviation=data["protocol_deviation"],
            )
        except StaleEditError:
            stale = True
        else:
            messages.success(request, _("The session log has been saved."))
            return redirect("groupwork:trainer_home")
    return render(
        request,
        "groupwork/attendance/session_log.html",
        {
            "session": session,
            "run": session.group_run,
            "programme": session.group_run.programme,
            "form": form,
            "stale": stale,
            "protocol": protocol_for(session),
        },
    )


@role_required(Role.TRAINER, Role.PLANNER)
def session_attendance_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return attendance_list_response(request, session_for(request.user, pk))


@role_required(Role.TRAINER)
def trainer_home(request: AuthenticatedRequest) -> HttpResponse:
    """My sessions this week and my current runs, each with its participants: name, group needs, attendance."""
    today = timezone.localdate()
    monday, sunday = week_of(today)
    sessions = list(my_sessions_between(request.user, monday, sunday))
    page = Paginator(my_runs(request.user), RUNS_PER_PAGE).get_page(request.GET.get("pagina"))
    runs = trainer_runs(request.user, list(page.object_list), today)
    clients = {row.participation.client_id: row.participation.client for run in runs for row in run.participants}
    record_client_reads(request.user, clients.values(), reason="trainer's group overview")
    return render(
        request,
        "groupwork/trainer/home.html",
        {
            "sessions": sessions,
            "week": (monday, sunday),
            "today": today,
            "page": page,
            "runs": runs,
            "query_prefix": query_prefix(request),
        },
    )
