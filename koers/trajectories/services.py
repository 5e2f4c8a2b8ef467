"""Writes on trajectories: each use case one function, in one transaction with its audit event."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone

from koers.access.categories import DataCategory
from koers.access.scoping import categories_for
from koers.audit.models import Action
from koers.audit.services import record_event
from koers.clients.models import Client
from koers.trajectories.models import (
    Goal,
    IgmFactor,
    IgmFactorScore,
    IgmProfile,
    Instrument,
    InstrumentStatus,
    LifeDomain,
    LifeDomainAssessment,
    LifeDomainScore,
    OutflowReason,
    Trajectory,
)


class StaleEditError(Exception):
    """Someone else saved this record since the form was opened; saving would overwrite their change."""


class TrajectoryClosedError(Exception):
    """The trajectory has ended; its plan is a record now and is no longer changed."""


class OpenTrajectoryExistsError(Exception):
    """A client has at most one open trajectory; end it before starting a new one."""

    def __init__(self, trajectory: Trajectory | None) -> None:
        super().__init__("The client already has an open trajectory.")
        self.trajectory = trajectory


@dataclass(frozen=True)
class Score:
    """One scored item of a diagnosis: a life domain or an IGM factor."""

    score: int
    note: str = ""


def _ensure_open(trajectory: Trajectory) -> None:
    if not Trajectory.objects.filter(pk=trajectory.pk, ended_on__isnull=True).exists():
        raise TrajectoryClosedError


def _versioned_update(model: type[Model], pk: int, version: int, changes: dict[str, Any]) -> None:
    """Saves only if nobody saved in between; ``version`` is the one the form was opened with."""
    updated = model._default_manager.filter(pk=pk, version=version).update(**changes, version=F("version") + 1)
    if not updated:
        raise StaleEditError


def _changed_fields(model: type[Model], pk: int, changes: dict[str, Any]) -> list[str]:
    stored = model._default_manager.filter(pk=pk).values(*changes).get()
    return [name for name, value in changes.items() if stored[name] != getattr(value, "pk", value)]


def _audit_reason(prefix: str, changed: list[str]) -> str:
    """Names the changed fields, never their content: the audit trail holds no dossier text."""
    return f"{prefix}: " + ", ".join(changed) if changed else f"{prefix}: nothing changed"


def start_trajectory(
    user: Any, client: Client, *, started_on: datetime.date, future_perspective: str = "", strengths: str = ""
) -> Trajectory:
    """A consultant with the full dossier starts the client's trajectory; one open trajectory per client."""
    if DataCategory.DOSSIER not in categories_for(user, client):
        raise PermissionDenied
    with transaction.atomic():
        existing = client.trajectories.filter(ended_on__isnull=True).first()
        if existing is not None:
            raise OpenTrajectoryExistsError(existing)
        try:
            with transaction.atomic():
                trajectory = Trajectory.objects.create(
                    client=client,
                    started_on=started_on,
                    future_perspective=future_perspective,
                    strengths=strengths,
                    created_by=user,
                )
        except IntegrityError as error:  # a colleague started one at the same moment
            raise OpenTrajectoryExistsError(None) from error
        record_event(user, Action.CREATE, trajectory, client_id=client.pk, reason="trajectory started")
    return trajectory


def update_perspective(
    user: Any, trajectory: Trajectory, *, future_perspective: str, strengths: str, version: int
) -> Trajectory:
    changes = {"future_perspective": future_perspective, "strengths": strengths, "updated_at": timezone.now()}
    with transaction.atomic():
        _ensure_open(trajectory)
        changed = _changed_fields(Trajectory, trajectory.pk, {k: v for k, v in changes.items() if k != "updated_at"})
        _versioned_update(Trajectory, trajectory.pk, version, changes)
        record_event(
            user,
            Action.UPDATE,
            trajectory,
            client_id=trajectory.client_id,
            reason=_audit_reason("perspective", changed),
        )
    trajectory.refresh_from_db()
    return trajectory


def record_plan_agreement(
    user: Any, trajectory: Trajectory, *, agreed_on: datetime.date, agreement: str, version: int
) -> Trajectory:
    """The plan records that the client agreed to it, when, and in what words."""
    if not agreement.strip():
        raise ValueError("The client's words are required.")
    if agreed_on < trajectory.started_on:
        raise ValueError("The plan cannot be agreed before the trajectory started.")
    with transaction.atomic():
        _ensure_open(trajectory)
        _versioned_update(
            Trajectory,
            trajectory.pk,
            version,
            {"plan_agreed_on": agreed_on, "plan_agreement": agreement, "updated_at": timezone.now()},
        )
        record_event(
            user, Action.UPDATE, trajectory, client_id=trajectory.client_id, reason=f"plan agreed on {agreed_on}"
        )
    trajectory.refresh_from_db()
    return trajectory


def end_trajectory(
    user: Any, trajectory: Trajectory, *, ended_on: datetime.date, outflow_reason: str, version: int
) -> Trajectory:
    """Ends the trajectory with its outflow reason; the end date is never before the start."""
    if outflow_reason not in OutflowReason.values:
        raise ValueError("An outflow reason is required to end a trajectory.")
    if ended_on < trajectory.started_on:
        raise ValueError("The end date lies before the start date.")
    with transaction.atomic():
        _ensure_open(trajectory)
        _versioned_update(
            Trajectory,
            trajectory.pk,
            version,
            {"ended_on": ended_on, "outflow_reason": outflow_reason, "updated_at": timezone.now()},
        )
        record_event(
            user,
            Action.UPDATE,
            trajectory,
            client_id=trajectory.client_id,
            reason=f"trajectory ended on {ended_on}: {outflow_reason}",
        )
    trajectory.refresh_from_db()
    return trajectory


def record_life_domain_assessment(
    user: Any, trajectory: Trajectory, *, assessed_on: datetime.date, scores: dict[str, Score]
) -> LifeDomainAssessment:
    """All eight life domains scored at one moment; a new assessment never changes an earlier one."""
    if set(scores) != set(LifeDomain.values):
        raise ValueError("Every life domain needs a score.")
    with transaction.atomic():
        _ensure_open(trajectory)
        assessment = LifeDomainAssessment.objects.create(
            trajectory=trajectory, assessed_on=assessed_on, assessed_by=user
        )
        LifeDomainScore.objects.bulk_create(
            LifeDomainScore(assessment=assessment, domain=domain, score=scores[domain].score, note=scores[domain].note)
            for domain in LifeDomain.values
        )
        record_event(
            user, Action.CREATE, assessment, client_id=trajectory.client_id, reason="life-domain assessment recorded"
        )
    return assessment


def record_igm_profile(
    user: Any,
    trajectory: Trajectory,
    *,
    assessed_on: datetime.date,
    target_behaviour: str,
    factors: dict[str, Score],
) -> IgmProfile:
    """The six IGM factors scored and described for one target behaviour."""
    if set(factors) != set(IgmFactor.values):
        raise ValueError("Every IGM factor needs a score.")
    with transaction.atomic():
        _ensure_open(trajectory)
        profile = IgmProfile.objects.create(
            trajectory=trajectory, assessed_on=assessed_on, target_behaviour=target_behaviour, assessed_by=user
        )
        IgmFactorScore.objects.bulk_create(
            IgmFactorScore(
                profile=profile, factor=factor, score=factors[factor].score, description=factors[factor].note
            )
            for factor in IgmFactor.values
        )
        record_event(user, Action.CREATE, profile, client_id=trajectory.client_id, reason="IGM profile recorded")
    return profile


GOAL_FIELDS = ("text", "target_date", "status", "parent")


def _check_parent(trajectory: Trajectory, parent: Goal | None, goal: Goal | None = None) -> None:
    """An intermediate goal leads to a top-level goal of the same trajectory: one level, no cycles."""
    if parent is None:
        return
    if parent.trajectory_id != trajectory.pk or parent.parent_id is not None:
        raise ValueError("An intermediate goal belongs to a top-level goal of the same trajectory.")
    if goal is not None and (parent.pk == goal.pk or goal.steps.exists()):
        raise ValueError("A goal with intermediate goals cannot itself become an intermediate goal.")


def create_goal(user: Any, trajectory: Trajectory, data: dict[str, Any]) -> Goal:
    _check_parent(trajectory, data.get("parent"))
    with transaction.atomic():
        _ensure_open(trajectory)
        goal = Goal.objects.create(trajectory=trajectory, **{name: data[name] for name in GOAL_FIELDS if name in data})
        record_event(
            user,
            Action.CREATE,
            goal,
            client_id=trajectory.client_id,
            reason="intermediate goal added" if goal.parent_id else "goal added",
        )
    return goal


def update_goal(user: Any, goal: Goal, data: dict[str, Any], *, version: int) -> Goal:
    changes = {name: data[name] for name in GOAL_FIELDS if name in data}
    _check_parent(goal.trajectory, changes.get("parent"), goal)
    with transaction.atomic():
        _ensure_open(goal.trajectory)
        changed = _changed_fields(Goal, goal.pk, changes)
        _versioned_update(Goal, goal.pk, version, changes)
        record_event(
            user, Action.UPDATE, goal, client_id=goal.trajectory.client_id, reason=_audit_reason("goal", changed)
        )
    goal.refresh_from_db()
    return goal


INSTRUMENT_FIELDS = (
    "instrument_type",
    "goal",
    "purpose",
    "expected_result",
    "started_on",
    "planned_weeks",
    "review_on",
    "status",
    "outcome",
    "stop_reason",
)
FINISHED = (InstrumentStatus.COMPLETED, InstrumentStatus.STOPPED)


def _check_instrument(trajectory: Trajectory, data: dict[str, Any]) -> None:
    if data["goal"].trajectory_id != trajectory.pk:
        raise ValueError("The goal belongs to another trajectory.")
    if data["instrument_type"].organisation_id != trajectory.client.organisation_id:
        raise ValueError("The instrument is not in the organisation's catalogue.")
    if data.get("status") == InstrumentStatus.STOPPED and not data.get("stop_reason", "").strip():
        raise ValueError("Stopping an instrument requires a reason.")


def _end_date(status: str, current: datetime.date | None) -> datetime.date | None:
    """A finished instrument keeps the date it ended; one still running has none."""
    if status in FINISHED:
        return current or timezone.localdate()
    return None


def create_instrument(user: Any, trajectory: Trajectory, data: dict[str, Any]) -> Instrument:
    _check_instrument(trajectory, data)
    values = {name: data[name] for name in INSTRUMENT_FIELDS if name in data}
    values["ended_on"] = _end_date(values.get("status", InstrumentStatus.PLANNED), None)
    with transaction.atomic():
        _ensure_open(trajectory)
        instrument = Instrument.objects.create(trajectory=trajectory, **values)
        record_event(user, Action.CREATE, instrument, client_id=trajectory.client_id, reason="instrument deployed")
    return instrument


def update_instrument(user: Any, instrument: Instrument, data: dict[str, Any], *, version: int) -> Instrument:
    """Saves the instrument; stopping it needs a reason and sets the end date (principle 10)."""
    trajectory = instrument.trajectory
    changes = {name: data[name] for name in INSTRUMENT_FIELDS if name in data}
    _check_instrument(
        trajectory,
        {
            **changes,
            "goal": changes.get("goal", instrument.goal),
            "instrument_type": changes.get("instrument_type", instrument.instrument_type),
            "stop_reason": changes.get("stop_reason", instrument.stop_reason),
        },
    )
    with transaction.atomic():
        _ensure_open(trajectory)
        stored = Instrument.objects.filter(pk=instrument.pk).values_list("ended_on", flat=True).get()
        changes["ended_on"] = _end_date(changes.get("status", instrument.status), stored)
        changed = _changed_fields(Instrument, instrument.pk, changes)
        _versioned_update(Instrument, instrument.pk, version, changes)
        if changes.get("status") == InstrumentStatus.STOPPED and "status" in changed:
            reason = "instrument stopped"
        else:
            reason = _audit_reason("instrument", changed)
        record_event(user, Action.UPDATE, instrument, client_id=trajectory.client_id, reason=reason)
    instrument.refresh_from_db()
    return instrument
