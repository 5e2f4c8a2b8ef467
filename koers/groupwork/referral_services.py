"""Writes on referrals: the consultant refers from the plan (screened at once), withdraws; the planner declines.

Every status change goes through ``referral_states.transition``, so the dates of waiting time and drop-out are
always stamped. A refusal raises ``ValidationError`` with messages per form field (or for the whole form), and
nothing is saved.
"""

import datetime
import re
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from koers.accounts.roles import Role
from koers.audit.models import Action
from koers.audit.services import record_event
from koers.clients.models import FlagKind, ScreeningFlag
from koers.groupwork.access import referrals_of_own_clients, referrals_to_organisation
from koers.groupwork.models import (
    OPEN_REFERRAL_STATUSES,
    Programme,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Variant,
)
from koers.groupwork.placement_services import release_place
from koers.groupwork.referral_states import transition
from koers.groupwork.screening import ScreeningResult, screen
from koers.trajectories.models import Goal, Instrument, InstrumentStatus
from koers.trajectories.selectors import part_of_visible_trajectory

MIN_ADDED_VALUE = 40
MIN_ADDED_VALUE_WORDS = 6
# Added value is argued for this client, never "to fill the group" (DOMAIN.md §4).
FILLER_PHRASES = (
    "fill the group",
    "fill up the group",
    "filling the group",
    "fill places",
    "fill the places",
    "groep vullen",
    "groep te vullen",
    "groep op te vullen",
    "groep opvullen",
    "groep vol te krijgen",
    "groep vol maken",
    "vullen van de groep",
    "opvullen van de groep",
    "plekken vullen",
    "plekken te vullen",
    "plaatsen vullen",
    "plaatsen te vullen",
)


def added_value_problems(text: str) -> list[str]:
    """Why an argued added value is not yet an argument (empty when it is)."""
    words = re.findall(r"\w+", text.lower())
    normalised = " ".join(words)
    if not words:
        return [_("Write why this group adds value for this client: it is required.")]
    if any(phrase in normalised for phrase in FILLER_PHRASES):
        return [
            _(
                "Filling a group is no reason to refer. Write what this group adds for this client: which goal in "
                "the plan it serves and what the client gains from working with others."
            )
        ]
    if len(text.strip()) < MIN_ADDED_VALUE or len(words) < MIN_ADDED_VALUE_WORDS:
        return [
            _(
                "Argue the added value in at least %(count)s characters: what does the group bring this client that "
                "individual guidance does not, and for which goal?"
            )
            % {"count": MIN_ADDED_VALUE}
        ]
    return []


def screening_messages(result: ScreeningResult, programme: Programme) -> dict[str, list[str]]:
    """The consultant's view of a failed screening, per form field. Names the need or contra-indication: the
    consultant sees the dossier."""
    errors: dict[str, list[str]] = {}
    for kind in result.blocking:
        errors.setdefault(NON_FIELD_ERRORS, []).append(
            _(
                "%(programme)s is not possible for this client: the dossier records “%(kind)s”, which this programme "
                "lists as a contra-indication. Discuss another instrument with the client."
            )
            % {"programme": programme.name, "kind": FlagKind(kind).label}
        )
    for need in result.unmet_needs:
        if need.offered:
            variants = ", ".join(f"“{Variant(v).label}”" for v in need.offered)
            text = _(
                "The dossier records “%(kind)s”. Choose the variant %(variants)s, or describe the extra support "
                "beside the group in the note on extra support."
            ) % {"kind": FlagKind(need.kind).label, "variants": variants}
        else:
            text = _(
                "The dossier records “%(kind)s”, and %(programme)s has no variant that fits it. Describe the extra "
                "support beside the group in the note on extra support, or choose another programme."
            ) % {"kind": FlagKind(need.kind).label, "programme": programme.name}
        errors.setdefault("needed_variant", []).append(text)
    return errors


def _check_consultant(user: Any) -> None:
    if not user.has_role(Role.CONSULTANT):
        raise PermissionDenied


def refer(
    user: Any,
    instrument: Instrument,
    programme: Programme,
    goal: Goal,
    added_value: str,
    needed_variant: str = Variant.STANDARD,
    support_note: str = "",
) -> Referral:
    """Refer the client of ``instrument`` to ``programme``: screened at once, then on the waiting list.

    The instrument must be in a trajectory the consultant may see (404 otherwise), the goal in the same trajectory.
    """
    _check_consultant(user)
    instrument = part_of_visible_trajectory(user, Instrument, instrument.pk)
    trajectory = instrument.trajectory
    client = trajectory.client
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not trajectory.is_open:
        refuse(NON_FIELD_ERRORS, _("This trajectory has ended; a referral starts from an open plan."))
    if instrument.status in (InstrumentStatus.STOPPED, InstrumentStatus.COMPLETED):
        refuse(NON_FIELD_ERRORS, _("This instrument has ended; refer from an instrument that is planned or active."))
    if programme.organisation_id != client.organisation_id or not programme.is_active:
        refuse("programme", _("Choose a programme that your organisation offers now."))
    if goal.trajectory_id != trajectory.pk:
        refuse("goal", _("Choose a goal of this client's plan."))
    if needed_variant not in Variant.values:
        refuse("needed_variant", _("Choose a variant."))
    elif needed_variant not in programme.offered_variants():
        refuse(
            "needed_variant",
            _("%(programme)s does not offer the variant “%(variant)s”.")
            % {"programme": programme.name, "variant": Variant(needed_variant).label},
        )
    for message in added_value_problems(added_value):
        refuse("added_value", message)
    flags = ScreeningFlag.objects.filter(client=client).values_list("kind", flat=True)
    result = screen(
        flags, programme.contra_indications or (), programme.offered_variants(), needed_variant, support_note
    )
    for field, messages in screening_messages(result, programme).items():
        errors.setdefault(field, []).extend(messages)
    open_referral = (
        Referral.objects.filter(client=client, programme=programme, status__in=OPEN_REFERRAL_STATUSES)
        .only("status", "referred_on")
        .first()
    )
    if open_referral is not None:
        refuse(NON_FIELD_ERRORS, _already_open(open_referral))
    if errors:
        raise ValidationError(errors)

    today = timezone.localdate()
    deadline = (
        today + datetime.timedelta(weeks=programme.deadline_weeks)
        if programme.is_mandatory and programme.deadline_weeks
        else None
    )
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                client=client,
                programme=programme,
                instrument=instrument,
                goal=goal,
                added_value=added_value.strip(),
                needed_variant=needed_variant,
                support_note=support_note.strip(),
                status=ReferralStatus.SCREENING,
                referred_by=user,
                referred_on=today,
                deadline=deadline,
            )
            ReferralEvent.objects.create(referral=referral, status=ReferralStatus.SCREENING, by=user)
            record_event(user, Action.CREATE, referral, client_id=client.pk, reason="referral created")
            transition(referral, ReferralStatus.WAITING, user, note=_("Screening passed."))
    except IntegrityError as error:  # a colleague referred the client to this programme at the same moment
        existing = Referral.objects.filter(
            client=client, programme=programme, status__in=OPEN_REFERRAL_STATUSES
        ).first()
        message = _already_open(existing) if existing else _("This client already has an open referral here.")
        raise ValidationError({NON_FIELD_ERRORS: [message]}) from error
    return referral


def _already_open(referral: Referral) -> str:
    return _(
        "This client already has an open referral to this programme (status “%(status)s”, referred on %(date)s). "
        "Withdraw it first if you want to refer again."
    ) % {"status": referral.get_status_display(), "date": date_format(referral.referred_on, "j F Y")}


def withdraw(user: Any, referral: Referral, reason: str = "") -> Referral:
    """The consultant withdraws a referral of an own client; a place in a run is freed."""
    _check_consultant(user)
    with transaction.atomic():
        locked = Referral.objects.select_for_update().filter(referrals_of_own_clients(user), pk=referral.pk).first()
        if locked is None:
            raise PermissionDenied
        if locked.status == ReferralStatus.PLACED:
            release_place(locked, user)
        transition(locked, ReferralStatus.WITHDRAWN, user, note=reason.strip())
    referral.refresh_from_db()
    return referral


def decline(user: Any, referral: Referral, reason: str) -> Referral:
    """The planner declines a referral to one of the organisation's programmes, always with a reason."""
    if not user.has_role(Role.PLANNER):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for declining: the consultant reads it.")]})
    with transaction.atomic():
        locked = Referral.objects.select_for_update().filter(referrals_to_organisation(user), pk=referral.pk).first()
        if locked is None:
            raise PermissionDenied
        if locked.status == ReferralStatus.PLACED:
            release_place(locked, user)
        transition(locked, ReferralStatus.DECLINED, user, note=reason.strip())
    referral.refresh_from_db()
    return referral
