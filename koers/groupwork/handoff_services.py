"""Writes on the trainer's hand-off signal (kort signaal) and on the consultant's signals from group work.

The trainer of a run writes the signal per participant and may change it until the consultant has acknowledged it;
from then on it is a record. The consultant acknowledges it ("takes over the baton"), or turns the advice into a goal
or an instrument of the client's open trajectory, which acknowledges the signal in the same transaction. Absences
are signals too: the consultant acknowledges them; Koers only signals, a sanction is the municipality's decision.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from koers.accounts.roles import Role
from koers.audit.models import Action
from koers.audit.services import record_event
from koers.clients.models import Client
from koers.groupwork.access import attendance_of_own_clients, hand_offs_about_own_clients, own_current_runs
from koers.groupwork.models import ABSENT_STATUSES, Attendance, HandOff, HandOffObservation, Participation
from koers.trajectories.models import Goal, GoalStatus, IgmFactor, Instrument, Trajectory
from koers.trajectories.services import StaleEditError, create_goal, create_instrument


class HandOffAcknowledgedError(Exception):
    """The consultant has acknowledged the signal: it is a record now and is no longer changed."""


class NoOpenTrajectoryError(Exception):
    """The client has no open trajectory to add a goal or instrument to."""


def _check_trainer(by: Any, participation: Participation) -> None:
    """Only a trainer of the participant's run, while that run still opens its participants, writes the signal."""
    own = Participation.objects.filter(pk=participation.pk, group_run__in=own_current_runs(by))
    if not by.has_role(Role.TRAINER) or not own.exists():
        raise PermissionDenied


def _check_consultant(by: Any, hand_off: HandOff) -> None:
    """The client's consultant, or a colleague with active temporary access, takes over the signal."""
    about_own = HandOff.objects.filter(hand_offs_about_own_clients(by), pk=hand_off.pk)
    if not by.has_role(Role.CONSULTANT) or not about_own.exists():
        raise PermissionDenied


def _observation_rows(hand_off: HandOff, observations: dict[IgmFactor, str]) -> list[HandOffObservation]:
    unknown = {str(factor) for factor in observations} - set(IgmFactor.values)
    if unknown:
        raise ValueError(f"Unknown IGM factors: {sorted(unknown)}")
    return [
        HandOffObservation(hand_off=hand_off, factor=factor, observation=observations.get(factor, "").strip())
        for factor in IgmFactor
    ]


def write_hand_off(
    by: Any,
    participation: Participation,
    advice: str,
    observations: dict[IgmFactor, str],
    version: int | None = None,
) -> HandOff:
    """Creates the participant's signal, or changes it with the version the form was opened with (``None``: the
    form was opened before there was a signal). Refused once the consultant has acknowledged it."""
    advice = advice.strip()
    if not advice:
        raise ValueError("The advice to the consultant is required.")
    _check_trainer(by, participation)
    client_id = participation.client_id
    with transaction.atomic():
        existing = HandOff.objects.filter(participation=participation).first()
        if existing is None:
            if version is not None:
                raise StaleEditError
            try:
                with transaction.atomic():
                    hand_off = HandOff.objects.create(participation=participation, advice=advice, written_by=by)
            except IntegrityError as error:  # a co-trainer wrote it at the same moment
                raise StaleEditError from error
            HandOffObservation.objects.bulk_create(_observation_rows(hand_off, observations))
            record_event(by, Action.CREATE, hand_off, client_id=client_id, reason="hand-off signal written")
            return hand_off
        if existing.acknowledged_at is not None:
            raise HandOffAcknowledgedError
        if version is None:
            raise StaleEditError
        rows = _observation_rows(existing, observations)
        stored = dict(existing.observations.values_list("factor", "observation"))
        changed = ["advice"] if existing.advice != advice else []
        changed += [row.factor for row in rows if stored.get(row.factor, "") != row.observation]
        updated = HandOff.objects.filter(pk=existing.pk, version=version, acknowledged_at__isnull=True).update(
            advice=advice, written_by=by, written_at=timezone.now(), version=F("version") + 1
        )
        if not updated:
            if HandOff.objects.filter(pk=existing.pk, acknowledged_at__isnull=False).exists():
                raise HandOffAcknowledgedError
            raise StaleEditError
        existing.observations.all().delete()
        HandOffObservation.objects.bulk_create(rows)
        reason = "hand-off signal changed: " + (", ".join(changed) if changed else "nothing changed")
        record_event(by, Action.UPDATE, existing, client_id=client_id, reason=reason)
    existing.refresh_from_db()
    return existing


def _acknowledge(by: Any, hand_off: HandOff) -> None:
    """Marks the signal as seen unless it already was; the first acknowledgement stays on record."""
    now = timezone.now()
    updated = HandOff.objects.filter(pk=hand_off.pk, acknowledged_at__isnull=True).update(
        acknowledged_by=by, acknowledged_at=now
    )
    if updated:
        record_event(
            by,
            Action.UPDATE,
            hand_off,
            client_id=hand_off.participation.client_id,
            reason="hand-off signal acknowledged",
        )


def acknowledge_hand_off(by: Any, hand_off: HandOff) -> HandOff:
    """The consultant has seen the signal and takes over. Acknowledging twice changes nothing."""
    _check_consultant(by, hand_off)
    with transaction.atomic():
        _acknowledge(by, hand_off)
    hand_off.refresh_from_db()
    return hand_off


def _open_trajectory(hand_off: HandOff) -> Trajectory:
    trajectory = (
        Trajectory.objects.select_related("client")
        .filter(client_id=hand_off.participation.client_id, ended_on__isnull=True)
        .first()
    )
    if trajectory is None:
        raise NoOpenTrajectoryError
    return trajectory


def advice_to_goal(
    by: Any,
    hand_off: HandOff,
    text: str,
    *,
    target_date: datetime.date | None = None,
    parent: Goal | None = None,
) -> Goal:
    """A goal in the client's open trajectory from the trainer's advice; acknowledges the signal in the same step."""
    if not text.strip():
        raise ValueError("A goal needs a text.")
    _check_consultant(by, hand_off)
    trajectory = _open_trajectory(hand_off)
    with transaction.atomic():
        goal = create_goal(
            by,
            trajectory,
            {"text": text.strip(), "target_date": target_date, "parent": parent, "status": GoalStatus.OPEN},
        )
        _acknowledge(by, hand_off)
        record_event(
            by,
            Action.UPDATE,
            hand_off,
            client_id=trajectory.client_id,
            reason=f"hand-off advice turned into goal {goal.pk}",
        )
    return goal


def advice_to_instrument(by: Any, hand_off: HandOff, data: dict[str, Any]) -> Instrument:
    """An instrument in the client's open trajectory from the trainer's advice (``data`` as for
    ``trajectories.services.create_instrument``); acknowledges the signal in the same step."""
    _check_consultant(by, hand_off)
    trajectory = _open_trajectory(hand_off)
    with transaction.atomic():
        instrument = create_instrument(by, trajectory, data)
        _acknowledge(by, hand_off)
        record_event(
            by,
            Action.UPDATE,
            hand_off,
            client_id=trajectory.client_id,
            reason=f"hand-off advice turned into instrument {instrument.pk}",
        )
    return instrument


def _unseen_absences_of_own_clients(by: Any) -> QuerySet[Attendance]:
    if not by.has_role(Role.CONSULTANT):
        raise PermissionDenied
    return Attendance.objects.filter(
        attendance_of_own_clients(by), status__in=ABSENT_STATUSES, acknowledged_at__isnull=True
    )


def _locked(absences: QuerySet[Attendance]) -> list[Attendance]:
    """Locks the rows, so that two acknowledgements at the same moment write one audit event per absence."""
    return list(absences.select_related("participation").select_for_update(of=("self",)))


def _mark_seen(by: Any, absences: list[Attendance]) -> int:
    now = timezone.now()
    updated = Attendance.objects.filter(pk__in=[a.pk for a in absences], acknowledged_at__isnull=True).update(
        acknowledged_by=by, acknowledged_at=now
    )
    for absence in absences:
        record_event(
            by, Action.UPDATE, absence, client_id=absence.participation.client_id, reason="absence acknowledged"
        )
    return updated


def acknowledge_absence(by: Any, attendance: Attendance) -> Attendance:
    """The consultant has seen an absence of an own client. Acknowledging twice changes nothing."""
    if attendance.status not in ABSENT_STATUSES:
        raise ValueError("Only an absence is acknowledged.")
    own = Attendance.objects.filter(attendance_of_own_clients(by), pk=attendance.pk)
    if not by.has_role(Role.CONSULTANT) or not own.exists():
        raise PermissionDenied
    with transaction.atomic():
        _mark_seen(by, _locked(_unseen_absences_of_own_clients(by).filter(pk=attendance.pk)))
    attendance.refresh_from_db()
    return attendance


def acknowledge_absences(by: Any, client: Client) -> int:
    """All absences of one client not yet seen, acknowledged at once; answers how many."""
    with transaction.atomic():
        return _mark_seen(by, _locked(_unseen_absences_of_own_clients(by).filter(participation__client=client)))
