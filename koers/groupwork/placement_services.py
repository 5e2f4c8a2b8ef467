"""Placement of a waiting referral into a group run: the one function a planner's click and the optimiser call.

The run row is locked while its places are counted, so two planners cannot fill the last place twice. Screening is
repeated against the client's current needs and contra-indications (one recorded since the referral blocks), then
the fit is assessed: refusals stop the placement; warnings stop it unless the caller accepts them. Messages never
name a need or contra-indication, because the planner who reads them may not see the dossier.
"""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from koers.audit.models import Action
from koers.audit.services import record_event
from koers.clients.models import DAY_PARTS, ScreeningFlag
from koers.groupwork.fit import Fit, FitRefusal, FitWarning, assess
from koers.groupwork.models import GroupRun, Participation, Referral, ReferralStatus, Variant
from koers.groupwork.referral_selectors import referral_facts, run_facts, with_placement_figures
from koers.groupwork.referral_states import transition
from koers.groupwork.screening import screen


class PlacementRefusedError(Exception):
    """The referral cannot be placed in this run; ``reasons`` says why, in words a planner can act on."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(" ".join(reasons))
        self.reasons = reasons


class PlacementWarnings(Exception):  # noqa: N818 - named for what it carries; the optimiser catches it by this name
    """The placement is possible but fits poorly; place again with ``accept_warnings=True`` to go ahead."""

    def __init__(self, warnings: list[str], codes: tuple[str, ...] = ()) -> None:
        super().__init__(" ".join(warnings))
        self.warnings = warnings
        self.codes = codes


def _day(date: datetime.date) -> str:
    return date_format(date, "l j F Y")


def refusal_messages(fit: Fit, facts_capacity: int, first_session: datetime.date) -> list[str]:
    texts = {
        FitRefusal.CLOSED: _("This group has been cancelled or has ended."),
        FitRefusal.FULL: _("This group is full: all %(capacity)s places are taken.") % {"capacity": facts_capacity},
        FitRefusal.ALREADY_STARTED: _("This group started on %(date)s and takes no newcomers after its first session.")
        % {"date": _day(first_session)},
        FitRefusal.NO_SESSIONS_LEFT: _("This group has no sessions left to join."),
    }
    return [str(texts[code]) for code in fit.refusals]


def warning_messages(fit: Fit, run: GroupRun, referral: Referral) -> list[str]:
    parts = dict(DAY_PARTS)
    texts: dict[FitWarning, str] = {}
    if FitWarning.VARIANT in fit.warnings:
        texts[FitWarning.VARIANT] = _(
            "The client needs the variant “%(needed)s” but this group is “%(variant)s”, and the referral has no note "
            "on extra support beside the group."
        ) % {"needed": Variant(referral.needed_variant).label, "variant": Variant(run.variant).label}
    if FitWarning.AVAILABILITY in fit.warnings and fit.joins_on is not None:
        part = fit.slot.rsplit("_", 1)[-1]
        texts[FitWarning.AVAILABILITY] = _("The client is not available on %(weekday)s %(part)s.") % {
            "weekday": date_format(fit.joins_on, "l"),
            "part": parts.get(part, part),
        }
    if FitWarning.MUNICIPALITY in fit.warnings:
        texts[FitWarning.MUNICIPALITY] = _(
            "This group is for clients of %(run_municipality)s; the client lives in %(municipality)s."
        ) % {
            "run_municipality": run.municipality.name if run.municipality else "",
            "municipality": referral.client.municipality.name,
        }
    if FitWarning.DEADLINE in fit.warnings and fit.joins_on is not None and referral.deadline is not None:
        texts[FitWarning.DEADLINE] = _("The client would start on %(start)s, after the deadline of %(deadline)s.") % {
            "start": _day(fit.joins_on),
            "deadline": _day(referral.deadline),
        }
    return [str(texts[code]) for code in fit.warnings if code in texts]


def _current_screening(referral: Referral) -> tuple[bool, bool]:
    """Whether a contra-indication now blocks, and whether a need is now unprovided for."""
    kinds = ScreeningFlag.objects.filter(client_id=referral.client_id).values_list("kind", flat=True)
    programme = referral.programme
    result = screen(
        kinds,
        programme.contra_indications or (),
        programme.offered_variants(),
        referral.needed_variant,
        referral.support_note,
    )
    return bool(result.blocking), bool(result.unmet_needs)


def screening_notices(referral: Referral) -> tuple[list[str], list[str]]:
    """What the current screening means for placement, without naming the need or contra-indication."""
    blocked, unmet = _current_screening(referral)
    refusals = (
        [
            _(
                "Since the referral, the dossier records a contra-indication for this programme. The client cannot be "
                "placed; the consultant reviews the referral."
            )
        ]
        if blocked
        else []
    )
    warnings = (
        [
            _(
                "Since the referral, the dossier records a need that this referral does not provide for. Check with "
                "the consultant before placing."
            )
        ]
        if unmet
        else []
    )
    return [str(text) for text in refusals], [str(text) for text in warnings]


def assess_run(referral: Referral, run: GroupRun, today: datetime.date) -> tuple[Fit, list[str], list[str]]:
    """The fit of an annotated run (see ``with_placement_figures``), with its refusals and warnings as text."""
    facts = run_facts(run, today)
    fit = assess(referral_facts(referral), facts, today)
    return fit, refusal_messages(fit, facts.capacity, facts.first_session), warning_messages(fit, run, referral)


def place_referral(referral: Referral, run: GroupRun, by: Any, *, accept_warnings: bool = False) -> Participation:
    """Place a waiting referral in a run: a participation from the session the client joins, status placed.

    Raises ``PlacementRefusedError`` (with reasons) or ``PlacementWarnings`` (unless ``accept_warnings``).
    """
    today = timezone.localdate()
    with transaction.atomic():
        runs = GroupRun.objects.select_for_update(of=("self",)).select_related("programme", "room", "municipality")
        locked_run = with_placement_figures(runs, today).filter(pk=run.pk).first()
        locked = (
            Referral.objects.select_for_update(of=("self",))
            .select_related("client", "client__municipality", "programme")
            .filter(pk=referral.pk)
            .first()
        )
        if locked_run is None or locked is None:
            raise PlacementRefusedError([_("This referral or group no longer exists.")])
        if locked.status != ReferralStatus.WAITING:
            raise PlacementRefusedError(
                [
                    _("This referral is no longer waiting: its status is “%(status)s”.")
                    % {"status": locked.get_status_display()}
                ]
            )
        if locked_run.programme_id != locked.programme_id:
            raise PlacementRefusedError([_("This group belongs to another programme than the referral.")])
        if Participation.objects.filter(group_run=locked_run, client_id=locked.client_id).exists():
            raise PlacementRefusedError([_("The client already takes part in this group.")])
        screening_refusals, screening_warnings = screening_notices(locked)
        fit, refusals, warnings = assess_run(locked, locked_run, today)
        if screening_refusals or refusals:
            raise PlacementRefusedError(screening_refusals + refusals)
        warnings = screening_warnings + warnings
        if warnings and not accept_warnings:
            raise PlacementWarnings(warnings, tuple(str(code) for code in fit.warnings))
        assert fit.joins_on is not None  # a fit without refusals has a session to join
        participation = Participation.objects.create(
            group_run=locked_run, client_id=locked.client_id, referral=locked, joined_on=fit.joins_on
        )
        locked.group_run = locked_run
        locked.save(update_fields=["group_run"])
        note = _("Placed in the group of %(date)s.") % {"date": _day(locked_run.start_date)}
        if warnings:
            note = f"{note} " + _("Placed despite: %(warnings)s") % {"warnings": " ".join(warnings)}
        transition(locked, ReferralStatus.PLACED, by, note=note)
        record_event(by, Action.CREATE, participation, client_id=locked.client_id, reason="placed in group run")
    referral.refresh_from_db()
    return participation


def release_place(referral: Referral, by: Any) -> bool:
    """Free the referral's place in its run: the participation goes when nothing was recorded for it yet,
    otherwise it ends today. Returns whether it was removed. Call inside the caller's transaction."""
    participation = Participation.objects.filter(referral=referral).first()
    if participation is None:
        return True
    if participation.attendances.exists():
        participation.left_on = timezone.localdate()
        participation.save(update_fields=["left_on"])
        record_event(by, Action.UPDATE, participation, client_id=referral.client_id, reason="left group run")
        return False
    record_event(by, Action.DELETE, participation, client_id=referral.client_id, reason="placement undone")
    participation.delete()
    return True


def unplace(referral: Referral, by: Any, reason: str) -> Referral:
    """Undo a placement: the referral waits again and the participation goes. A client with recorded attendance
    has started; end that with a drop-out instead."""
    if not reason.strip():
        raise PlacementRefusedError([_("Give the reason for undoing the placement.")])
    with transaction.atomic():
        locked = Referral.objects.select_for_update().filter(pk=referral.pk).first()
        if locked is None or locked.status != ReferralStatus.PLACED:
            raise PlacementRefusedError([_("Only a placed referral can be taken out of its group.")])
        participation = Participation.objects.filter(referral=locked).first()
        if participation is not None and participation.attendances.exists():
            raise PlacementRefusedError(
                [_("Attendance has been recorded for this client in the group, so the placement cannot be undone.")]
            )
        release_place(locked, by)
        transition(locked, ReferralStatus.WAITING, by, note=reason.strip())
    referral.refresh_from_db()
    return referral
