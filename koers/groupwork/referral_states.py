"""The one way a referral changes status: the allowed steps, the date fields and a history event per change.

Waiting time (referral → start), drop-out and reach are reported from these dates, so no code sets
``Referral.status`` directly.
"""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.audit.models import Action
from koers.audit.services import record_event
from koers.groupwork.models import Referral, ReferralEvent, ReferralStatus

S = ReferralStatus

ALLOWED: dict[str, frozenset[str]] = {
    S.SCREENING: frozenset({S.WAITING, S.DECLINED, S.WITHDRAWN}),
    S.WAITING: frozenset({S.PLACED, S.DECLINED, S.WITHDRAWN}),
    S.PLACED: frozenset({S.STARTED, S.WAITING, S.WITHDRAWN, S.DROPPED_OUT, S.DECLINED}),
    S.STARTED: frozenset({S.COMPLETED, S.DROPPED_OUT}),
    S.COMPLETED: frozenset(),
    S.DROPPED_OUT: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.DECLINED: frozenset(),
}

# The date field each status stamps (the first time it is reached).
_DATE_FIELD = {
    S.WAITING: "screened_on",
    S.PLACED: "placed_on",
    S.STARTED: "started_on",
    S.COMPLETED: "ended_on",
    S.DROPPED_OUT: "ended_on",
    S.WITHDRAWN: "ended_on",
    S.DECLINED: "ended_on",
}


class TransitionError(ValueError):
    """A status change that the referral's current status does not allow."""


def transition(
    referral: Referral,
    status: str,
    by: Any,
    *,
    note: str = "",
    on: datetime.date | None = None,
) -> Referral:
    """Move ``referral`` to ``status``: checks the step, stamps the date, records a history and an audit event."""
    if status not in ALLOWED[referral.status]:
        raise TransitionError(
            _("A referral that is “%(current)s” cannot become “%(new)s”.")
            % {"current": referral.get_status_display(), "new": S(status).label}
        )
    day = on or timezone.localdate()
    with transaction.atomic():
        referral.status = status
        referral.status_reason = note[:500]
        fields = ["status", "status_reason", "version"]
        date_field = _DATE_FIELD.get(S(status))
        if date_field:
            setattr(referral, date_field, day)
            fields.append(date_field)
        if status == S.WAITING:
            referral.placed_on = None
            referral.group_run = None
            fields += ["placed_on", "group_run"]
        referral.version += 1
        referral.save(update_fields=fields)
        ReferralEvent.objects.create(referral=referral, status=status, by=by, note=note[:500])
        record_event(by, Action.UPDATE, referral, client_id=referral.client_id, reason=f"referral {status}")
    return referral
