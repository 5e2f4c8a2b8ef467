"""The printable attendance list (presentielijst) of one session: names, arrival time and a signature.

Only what the group needs on paper: no BSN, no client number, no dossier. Continuous groups get empty rows for
newcomers who walk in. WeasyPrint is imported with the first PDF, not with the URLconf (it takes about a second).
"""

from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from koers.audit.models import Action
from koers.groupwork.attendance_selectors import session_participants
from koers.groupwork.attendance_services import client_events
from koers.groupwork.models import Session

MIN_WALK_IN_ROWS = 3


def walk_in_rows(session: Session, participant_count: int) -> int:
    """Empty rows for newcomers: continuous groups fill up to their maximum size, with at least a few rows."""
    programme = session.group_run.programme
    if not programme.is_continuous:
        return 0
    return max(MIN_WALK_IN_ROWS, programme.max_size - participant_count)


def attendance_list_context(session: Session, user: Any) -> dict[str, Any]:
    participants = list(session_participants(session, user))
    return {
        "session": session,
        "run": session.group_run,
        "programme": session.group_run.programme,
        "organisation": session.group_run.programme.organisation,
        "trainers": list(session.group_run.trainers.order_by("last_name", "first_name")),
        "participants": participants,
        "walk_in_rows": range(walk_in_rows(session, len(participants))),
        "printed_at": timezone.localtime(),
    }


def attendance_list_response(request: Any, session: Session) -> HttpResponse:
    """The attendance list as a PDF download; every participant on it is on record as printed."""
    from koers.pdf import pdf_response, render_pdf

    context = attendance_list_context(session, request.user)
    pdf = render_pdf("groupwork/attendance/print_attendance_list.html", context, request)
    client_events(
        request.user,
        Action.PRINT,
        [(session, participation.client_id) for participation in context["participants"]],
        "attendance list printed (PDF)",
    )
    return pdf_response(pdf, f"{slugify(_('attendance list'))}-{session.pk}-{session.date:%Y%m%d}.pdf")
