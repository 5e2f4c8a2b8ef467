"""Writes for one session: the attendance the trainer taps in, and the session log.

An absence (with or without notice) is a signal for the participant's consultant until acknowledged; the caseload
reads it from the ``Attendance`` row. The first time a placed participant is present, the referral has started.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from koers.audit import context
from koers.audit.models import Action, AuditEvent
from koers.audit.services import record_event, record_events
from koers.clients.restriction import refuse_restricted
from koers.groupwork.attendance_selectors import ATTENDED_STATUSES, session_participants
from koers.groupwork.models import Attendance, AttendanceStatus, ReferralStatus, Session
from koers.groupwork.referral_states import transition

GROUP_PHASES = ("forming", "storming", "norming", "performing", "adjourning")


class StaleEditError(Exception):
    """Someone else saved this session log since the form was opened; saving would overwrite their change."""


class AttendanceRefusedError(Exception):
    """Attendance cannot be recorded for this session (cancelled, in the future, or a participant not expected)."""


@dataclass(frozen=True)
class AttendanceSaved:
    created: int
    changed: int
    started: int


def client_events(actor: Any, action: str, rows: Iterable[tuple[Any, int]], reason: str) -> None:
    """One audit event (and processing-log row) per (record, client id), traced to the current request.

    A bulk write sends no ``pre_save`` signal, so a write for a client under a restriction of processing is refused
    here, in one query.
    """
    rows = list(rows)
    if action in (Action.CREATE, Action.UPDATE, Action.DELETE):
        refuse_restricted(client_id for _obj, client_id in rows)
    ctx = context.current()
    events = [
        AuditEvent(
            actor=actor,
            actor_username=actor.get_username(),
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            client_id=client_id,
            reason=reason,
            request_id=ctx.request_id if ctx else "",
            ip_address=ctx.ip_address if ctx else None,
        )
        for obj, client_id in rows
    ]
    record_events(events)


def record_attendance(by: Any, session: Session, statuses: Mapping[int, str]) -> AttendanceSaved:
    """Records the attendance of the given participations (id → status) at ``session``, in one transaction.

    Existing rows are updated; a changed status is a new signal, so its acknowledgement is cleared. Participants
    left out keep what was recorded before. Only participants expected at the session (and visible to ``by``) count.
    """
    if any(status not in AttendanceStatus.values for status in statuses.values()):
        raise ValueError("unknown attendance status")
    now = timezone.now()
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        _check_can_record(locked)
        expected = {p.pk: p for p in session_participants(locked, by)}
        if set(statuses) - set(expected):
            raise AttendanceRefusedError(
                _("Someone in the list is not (or no longer) in this group. Open the page again and save once more.")
            )
        existing = {row.participation_id: row for row in Attendance.objects.filter(session=locked)}
        created, changed = [], []
        stamp = {"recorded_by": by, "recorded_at": now}
        for participation_id, status in statuses.items():
            row = existing.get(participation_id)
            if row is None:
                created.append(Attendance(session=locked, participation_id=participation_id, status=status, **stamp))
            elif row.status != status:
                row.status, row.recorded_by, row.recorded_at = status, by, now
                row.acknowledged_at, row.acknowledged_by = None, None
                changed.append(row)
        Attendance.objects.bulk_create(created)
        Attendance.objects.bulk_update(
            changed, ["status", "recorded_by", "recorded_at", "acknowledged_at", "acknowledged_by"]
        )
        locked.attendance_recorded_at = now
        locked.save(update_fields=["attendance_recorded_at"])
        client_events(
            by,
            Action.CREATE,
            [(row, expected[row.participation_id].client_id) for row in created],
            "attendance recorded",
        )
        client_events(
            by,
            Action.UPDATE,
            [(row, expected[row.participation_id].client_id) for row in changed],
            "attendance changed",
        )
        started = 0
        for participation_id, status in statuses.items():
            referral = expected[participation_id].referral
            if status in ATTENDED_STATUSES and referral is not None and referral.status == ReferralStatus.PLACED:
                transition(referral, ReferralStatus.STARTED, by, note="first session attended", on=locked.date)
                started += 1
    session.attendance_recorded_at = now
    return AttendanceSaved(created=len(created), changed=len(changed), started=started)


def _check_can_record(session: Session, today: datetime.date | None = None) -> None:
    if session.is_cancelled:
        raise AttendanceRefusedError(_("This session was cancelled, so there is no attendance to record."))
    if session.date > (today or timezone.localdate()):
        raise AttendanceRefusedError(
            _("Attendance can be recorded from the day of the session, %(date)s.")
            % {"date": date_format(session.date, "DATE_FORMAT")}
        )


def can_record(session: Session) -> str | None:
    """None when attendance can be recorded now; otherwise the reason why not, for the page."""
    try:
        _check_can_record(session)
    except AttendanceRefusedError as refusal:
        return str(refusal)
    return None


def save_session_log(
    by: Any,
    session: Session,
    *,
    version: int,
    log_done: str,
    group_phase: str,
    norms_and_roles: str,
    protocol_deviation: str,
) -> Session:
    """The trainer's session log; saved only over the version the form was opened with."""
    if group_phase and group_phase not in GROUP_PHASES:
        raise ValueError("unknown group phase")
    with transaction.atomic():
        updated = Session.objects.filter(pk=session.pk, version=version).update(
            log_done=log_done,
            group_phase=group_phase,
            norms_and_roles=norms_and_roles,
            protocol_deviation=protocol_deviation,
            logged_by=by,
            logged_at=timezone.now(),
            version=F("version") + 1,
        )
        if not updated:
            raise StaleEditError
        record_event(by, Action.UPDATE, session, reason="session log saved")
    session.refresh_from_db()
    return session
