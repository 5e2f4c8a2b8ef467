"""The planner's invitations page of a group run, and the letters for the post as a PDF."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from koers.accounts.decorators import role_required
from koers.accounts.roles import Role
from koers.accounts.types import AuthenticatedRequest
from koers.audit.models import Action
from koers.audit.services import record_client_reads, record_event
from koers.groupwork.invitation_selectors import (
    InvitationRow,
    invitation_rows,
    message_for,
    run_meetings,
    trainer_names,
)
from koers.groupwork.invitation_services import InvitationError, SendResult, reminder_days, send_invitations
from koers.groupwork.models import GroupRun, InvitationChannel
from koers.groupwork.selectors import visible_runs

REMINDER_LETTERS = "herinnering"


def _run_for(request: AuthenticatedRequest, pk: int) -> GroupRun:
    run = visible_runs(request.user).filter(pk=pk).first()
    if run is None:
        raise Http404
    return run


def _report(request: AuthenticatedRequest, result: SendResult) -> None:
    if result.total:
        messages.success(
            request,
            _("Invitations sent by e-mail: %(emailed)d. Letters to print: %(letters)d.")
            % {"emailed": result.emailed, "letters": result.letters},
        )
    elif not result.failed and not result.not_ready:
        messages.info(request, _("Every participant has been invited already."))
    if result.not_ready:
        messages.warning(
            request,
            _("%(count)d participants have no session on or after the day they joined: they were not invited.")
            % {"count": result.not_ready},
        )
    if result.failed:
        messages.error(
            request,
            _("%(count)d e-mails could not be sent. They are still marked as not invited: try again later.")
            % {"count": result.failed},
        )


@role_required(Role.PLANNER)
@require_http_methods(["GET", "POST"])
def run_invitations(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    run = _run_for(request, pk)
    if request.method == "POST":
        try:
            _report(request, send_invitations(request.user, run))
        except InvitationError as error:
            messages.error(request, str(error))
        return redirect("groupwork:run_invitations", pk=run.pk)
    sessions = run_meetings(run)
    rows = invitation_rows(run, request.user, sessions)
    record_client_reads(request.user, [row.participation.client for row in rows], reason="group invitations")
    return render(
        request,
        "groupwork/invitations/run_invitations.html",
        {
            "run": run,
            "rows": rows,
            "sessions": sessions,
            "not_invited": sum(1 for row in rows if row.invitation is None),
            "letters": sum(1 for row in rows if row.gets_letter),
            "reminder_letters": sum(1 for row in rows if _reminder_letter(row)),
            "reminder_days": reminder_days(),
            "reminder_letters_query": REMINDER_LETTERS,
        },
    )


def _reminder_letter(row: InvitationRow) -> bool:
    return row.reminder is not None and row.reminder.channel == InvitationChannel.LETTER


@role_required(Role.PLANNER)
@require_GET
def run_invitation_letters(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """All letters of the run (those reached by post); ``?deelnemer=<participation>`` for one letter, to anyone;
    ``?soort=herinnering`` for the reminder letters instead of the invitations."""
    from koers.groupwork.invitation_pdf import letters_filename, letters_pdf
    from koers.pdf import pdf_response

    run = _run_for(request, pk)
    is_reminder = request.GET.get("soort") == REMINDER_LETTERS
    one = request.GET.get("deelnemer")
    sessions = run_meetings(run)
    rows = invitation_rows(run, request.user, sessions)
    if one is not None:
        rows = [row for row in rows if str(row.participation.pk) == one]
        if not rows:
            raise Http404
    else:
        rows = [row for row in rows if (_reminder_letter(row) if is_reminder else row.gets_letter)]
    names = trainer_names(run) if rows else []
    today = timezone.localdate()
    letters = [
        message
        for message in (
            message_for(row.participation, run, sessions, names, is_reminder=is_reminder, today=today) for row in rows
        )
        if message.can_be_sent
    ]
    pdf = letters_pdf(run, letters, is_reminder=is_reminder)
    reason = "group reminder letters printed (PDF)" if is_reminder else "group invitation letters printed (PDF)"
    if one is not None:
        participation = rows[0].participation
        record_event(request.user, Action.PRINT, participation, client_id=participation.client_id, reason=reason)
    else:
        record_client_reads(request.user, [row.participation.client for row in rows], reason=reason)
        record_event(request.user, Action.PRINT, run, reason=reason)
    return pdf_response(pdf, letters_filename(run, today, is_reminder=is_reminder))
