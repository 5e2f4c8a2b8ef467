"""Invitations and reminders for group runs (DOMAIN.md §4, step 4).

A participant with an e-mail address gets an e-mail through Django's mail backend (the console in demo mode);
one without gets a letter, which the planner prints with ``invitation_pdf``. Each message goes out once: an
``Invitation`` row records the kind and channel, and a second send skips whoever already has one. The texts are
rendered in the site language (Dutch), whatever language the planner works in, because clients read them.
"""

import datetime
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from koers.audit.models import Action
from koers.audit.services import record_event
from koers.groupwork.invitation_selectors import (
    InvitationMessage,
    current_participants,
    message_for,
    run_meetings,
    trainer_names,
)
from koers.groupwork.models import (
    GroupRun,
    Invitation,
    InvitationChannel,
    InvitationKind,
    Participation,
    RunStatus,
    Session,
)

logger = logging.getLogger(__name__)

CLOSED_STATUSES = (RunStatus.CANCELLED, RunStatus.COMPLETED)
AUDIT_REASONS: dict[tuple[str, str], str] = {
    (InvitationKind.INVITATION, InvitationChannel.EMAIL): "group invitation sent by e-mail",
    (InvitationKind.INVITATION, InvitationChannel.LETTER): "group invitation letter ready to print",
    (InvitationKind.REMINDER, InvitationChannel.EMAIL): "group reminder sent by e-mail",
    (InvitationKind.REMINDER, InvitationChannel.LETTER): "group reminder letter ready to print",
}


class InvitationError(Exception):
    """The run is not ready for invitations; the message says what to do first."""


@dataclass
class SendResult:
    """What one round of sending did."""

    emailed: int = 0
    letters: int = 0
    not_ready: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.emailed + self.letters


def reminder_days() -> int:
    """How many days before a participant's first session the reminder goes out."""
    return int(getattr(settings, "KOERS_REMINDER_DAYS", 2))


def _tidy(text: str) -> str:
    """Templates keep their tags on lines of their own; the e-mail gets no trailing spaces or piles of empty lines."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def render_email(message: InvitationMessage) -> tuple[str, str]:
    """Subject and plain-text body, in the site language."""
    template = "groupwork/invitations/reminder.txt" if message.is_reminder else "groupwork/invitations/email.txt"
    with translation.override(settings.LANGUAGE_CODE):
        body = _tidy(render_to_string(template, {"message": message}))
        first = message.first
        when = date_format(first.date, "l j F Y") if first else ""
        subject = (
            _("Reminder: %(programme)s on %(date)s")
            if message.is_reminder
            else _("Invitation: %(programme)s on %(date)s")
        ) % {"programme": message.programme_name, "date": when}
    return " ".join(subject.split()), body


def email_for(message: InvitationMessage, connection: BaseEmailBackend | None = None) -> mail.EmailMessage:
    """Replies go to the consultant, who is the one to tell when the client cannot come."""
    subject, body = render_email(message)
    return mail.EmailMessage(
        subject,
        body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.email],
        reply_to=[message.consultant_email] if message.consultant_email else None,
        connection=connection,
    )


def _deliver(message: InvitationMessage, kind: str, user: Any, connection: BaseEmailBackend) -> str | None:
    """Records the message and sends it (e-mail) or leaves it for printing (letter), once per participant.

    The row is written before the e-mail goes out and rolled back if sending fails, so a failure leaves the
    participant "not yet sent" for the next try. The participation row is locked so that two planners pressing
    the button at once do not both send.
    """
    with transaction.atomic():
        list(Participation.objects.select_for_update().filter(pk=message.participation_id).values_list("pk"))
        if Invitation.objects.filter(participation_id=message.participation_id, kind=kind).exists():
            return None
        channel = message.channel
        invitation = Invitation.objects.create(
            participation_id=message.participation_id, kind=kind, channel=channel, sent_by=user
        )
        record_event(
            user, Action.CREATE, invitation, client_id=message.client_id, reason=AUDIT_REASONS[(kind, channel)]
        )
        if channel == InvitationChannel.EMAIL:
            connection.open()
            email_for(message, connection).send()
    return channel


def _deliver_all(messages: Iterable[InvitationMessage], kind: str, user: Any) -> SendResult:
    result = SendResult()
    connection = mail.get_connection()
    try:
        for message in messages:
            if not message.can_be_sent:
                result.not_ready += 1
                continue
            try:
                channel = _deliver(message, kind, user, connection)
            except OSError as error:  # smtplib's errors are OSErrors too
                result.failed += 1
                logger.warning("Could not send %s for participation %s: %s", kind, message.participation_id, error)
                continue
            if channel == InvitationChannel.EMAIL:
                result.emailed += 1
            elif channel == InvitationChannel.LETTER:
                result.letters += 1
    finally:
        connection.close()
    return result


def check_ready(run: GroupRun, sessions: list[Session]) -> None:
    """An invitation names the dates and the place: refuse until the planning holds them."""
    if run.status in CLOSED_STATUSES:
        raise InvitationError(_("This group has ended or was cancelled: no invitations are sent."))
    if not sessions:
        raise InvitationError(_("This group has no sessions yet. Plan the sessions first, then send invitations."))
    if run.room_id is None and any(session.room_id is None for session in sessions):
        raise InvitationError(_("Not every session has a room yet. Assign a room first: the invitation names it."))


def send_invitations(user: Any, run: GroupRun, *, today: datetime.date | None = None) -> SendResult:
    """Invites every current participant the user may see who has not been invited yet."""
    sessions = run_meetings(run)
    check_ready(run, sessions)
    names = trainer_names(run)
    pending = [
        participation
        for participation in current_participants(run, user)
        if not any(sent.kind == InvitationKind.INVITATION for sent in participation.sent)  # type: ignore[attr-defined]
    ]
    messages = (message_for(participation, run, sessions, names, today=today) for participation in pending)
    return _deliver_all(messages, InvitationKind.INVITATION, user)


def due_for_reminder(today: datetime.date, days: int) -> Any:
    """Participants whose first session (the first that goes ahead on or after the day they joined) is within the
    next ``days`` days and who have had no reminder. Within, not exactly on: a day the job did not run is caught
    up the next day, while the first session is still ahead."""
    first_meeting = (
        Session.objects.filter(group_run=OuterRef("group_run"), is_cancelled=False, date__gte=OuterRef("joined_on"))
        .order_by("date", "starts_at")
        .values("date")[:1]
    )
    return (
        Participation.objects.filter(left_on__isnull=True)
        .exclude(group_run__status__in=CLOSED_STATUSES)
        .annotate(first_meeting=Subquery(first_meeting))
        .filter(first_meeting__gt=today, first_meeting__lte=today + datetime.timedelta(days=days))
        .exclude(invitations__kind=InvitationKind.REMINDER)
        .select_related("client__consultant", "client__organisation", "group_run__programme", "group_run__room")
        .order_by("group_run_id", "pk")
    )


def send_reminders(today: datetime.date | None = None) -> SendResult:
    """Reminds each participant once, ``KOERS_REMINDER_DAYS`` (default 2) days before their first session.

    Run daily (``manage.py send_group_reminders``); running it twice sends nothing twice.
    """
    today = today or timezone.localdate()
    by_run: dict[int, list[Participation]] = {}
    runs: dict[int, GroupRun] = {}
    for participation in due_for_reminder(today, reminder_days()):
        by_run.setdefault(participation.group_run_id, []).append(participation)
        runs[participation.group_run_id] = participation.group_run
    result = SendResult()
    for run_id, participations in by_run.items():
        run = runs[run_id]
        sessions, names = run_meetings(run), trainer_names(run)
        messages = [message_for(p, run, sessions, names, is_reminder=True, today=today) for p in participations]
        done = _deliver_all(messages, InvitationKind.REMINDER, None)
        result.emailed += done.emailed
        result.letters += done.letters
        result.not_ready += done.not_ready
        result.failed += done.failed
    return result
