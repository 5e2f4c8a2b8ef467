"""The effect-measurement page of one trajectory: the charts and verdicts a consultant shows the client."""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from koers.accounts.decorators import role_required
from koers.accounts.roles import Role
from koers.accounts.types import AuthenticatedRequest
from koers.measurement.results import trajectory_results
from koers.measurement.schedule import measurement_schedule
from koers.measurement.selectors import policy_of
from koers.trajectories.models import Trajectory
from koers.trajectories.selectors import trajectory_for

RESULT_ROLES = (Role.CONSULTANT, Role.TEAM_MANAGER)


@role_required(*RESULT_ROLES)
def overview(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A team manager reaches it only through an opened dossier: ``trajectory_for`` scopes like the trajectory."""
    trajectory = trajectory_for(request.user, pk, reason="effect measurement results")
    policy = policy_of(trajectory.client.organisation_id)
    return render(
        request,
        "measurement/results/overview.html",
        {
            "trajectory": trajectory,
            "client": trajectory.client,
            "results": trajectory_results(trajectory, request.user),
            "policy": policy,
            "schedule": measurement_schedule(trajectory, timezone.localdate(), policy),
        },
    )


def progress_report_section(trajectory: Trajectory, user: Any) -> str | None:
    """The effect measurement in the progress report PDF: the page's charts and tables, or nothing without data."""
    results = trajectory_results(trajectory, user)
    if results.is_empty:
        return None
    return render_to_string(
        "measurement/results/print_section.html", {"results": results, "today": timezone.localdate()}
    )
