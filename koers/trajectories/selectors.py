"""Reads of trajectory data, scoped like the dossier they belong to."""

from typing import Any, TypeVar

from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from koers.access.scoping import scope
from koers.audit.models import Action
from koers.audit.services import record_event
from koers.clients.restriction import ProcessingRestricted
from koers.trajectories.models import Trajectory


def visible_trajectories(user: Any) -> QuerySet[Trajectory]:
    return scope(Trajectory.objects.all(), user).select_related("client", "client__municipality", "client__consultant")


PartOfTrajectory = TypeVar("PartOfTrajectory", bound=models.Model)


def part_of_visible_trajectory(user: Any, model: type[PartOfTrajectory], pk: int) -> PartOfTrajectory:
    """A goal, instrument or report only through a trajectory the user may see; 404 alike for missing and forbidden."""
    part = model._default_manager.filter(pk=pk, trajectory__in=visible_trajectories(user)).first()
    if part is None:
        raise Http404
    return part


def trajectory_for(user: Any, pk: int, *, reason: str) -> Trajectory:
    """The one way to open a trajectory: scoped (404 alike for missing and forbidden) and written to the audit trail.

    While the client's processing is restricted (AVG art. 18) the trajectory stays closed.
    """
    trajectory = visible_trajectories(user).filter(pk=pk).first()
    if trajectory is None:
        raise Http404
    if trajectory.client.processing_restricted:
        raise ProcessingRestricted
    record_event(user, Action.READ, trajectory, client_id=trajectory.client_id, reason=reason)
    return trajectory
