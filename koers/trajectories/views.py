"""The trajectory plan: diagnosis, goals, instruments and the client's agreement.

Every page opens the trajectory through ``selectors.trajectory_for`` (scoped, audited); goals and instruments are
found through ``visible_trajectories``, never by a bare primary key.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.access.categories import DataCategory
from koers.access.scoping import categories_for
from koers.accounts.decorators import role_required
from koers.accounts.roles import Role
from koers.accounts.types import AuthenticatedRequest
from koers.audit.models import Action
from koers.audit.services import record_event
from koers.clients.selectors import visible_clients
from koers.trajectories.forms import (
    EndTrajectoryForm,
    GoalForm,
    IgmProfileForm,
    InstrumentForm,
    LifeDomainAssessmentForm,
    PerspectiveForm,
    PlanAgreementForm,
    StartTrajectoryForm,
)
from koers.trajectories.models import (
    KUNNEN,
    WILLEN,
    Goal,
    IgmProfile,
    Instrument,
    LifeDomain,
    LifeDomainAssessment,
    Trajectory,
)
from koers.trajectories.selectors import part_of_visible_trajectory, trajectory_for
from koers.trajectories.services import (
    OpenTrajectoryExistsError,
    StaleEditError,
    TrajectoryClosedError,
    create_goal,
    create_instrument,
    end_trajectory,
    record_igm_profile,
    record_life_domain_assessment,
    record_plan_agreement,
    start_trajectory,
    update_goal,
    update_instrument,
    update_perspective,
)

TRAJECTORY_ROLES = (Role.CONSULTANT, Role.TEAM_MANAGER)
# The trajectory page compares the latest life-domain assessment with at most this many earlier ones.
HISTORY_LENGTH = 6


def _latest_life_domain_assessment(trajectory: Trajectory) -> LifeDomainAssessment | None:
    return trajectory.life_domain_assessments.prefetch_related("scores").first()


def _latest_igm_profile(trajectory: Trajectory) -> IgmProfile | None:
    return trajectory.igm_profiles.select_related("assessed_by").prefetch_related("factors").first()


def _life_domains(trajectory: Trajectory) -> dict[str, Any]:
    """The latest assessment per domain, urgent barriers first in attention, and a domain × date history."""
    recent = list(
        trajectory.life_domain_assessments.select_related("assessed_by").prefetch_related("scores")[:HISTORY_LENGTH]
    )
    by_assessment = [{item.domain: item for item in assessment.scores.all()} for assessment in recent]
    latest = recent[0] if recent else None
    rows: list[dict[str, Any]] = (
        [{"domain": domain, "score": by_assessment[0].get(domain.value)} for domain in LifeDomain] if latest else []
    )
    oldest_first = list(reversed(by_assessment))
    history = [
        {"domain": domain, "cells": [scores.get(domain.value) for scores in oldest_first]} for domain in LifeDomain
    ]
    return {
        "assessment": latest,
        "life_domain_rows": rows,
        "urgent_barriers": [row for row in rows if row["score"] is not None and row["score"].is_urgent_barrier],
        "history_dates": [assessment.assessed_on for assessment in reversed(recent)],
        "history_rows": history if len(recent) > 1 else [],
    }


def _igm(trajectory: Trajectory) -> dict[str, Any]:
    profile = _latest_igm_profile(trajectory)
    if profile is None:
        return {"igm_profile": None, "igm_groups": []}
    by_factor = {item.factor: item for item in profile.factors.all()}
    groups = [
        {"key": key, "label": label, "factors": [(factor, by_factor.get(factor.value)) for factor in factors]}
        for key, label, factors in (
            ("willen", _("Willen: wanting"), WILLEN),
            ("kunnen", _("Kunnen: being able"), KUNNEN),
        )
    ]
    return {"igm_profile": profile, "igm_groups": groups}


def _goals(trajectory: Trajectory) -> list[Goal]:
    """Main goals in date order, each with its intermediate goals as ``step_list``; instruments prefetched."""
    goals = list(
        trajectory.goals.prefetch_related(
            Prefetch("instruments", queryset=Instrument.objects.select_related("instrument_type"))
        )
    )
    steps: dict[int, list[Goal]] = {}
    for goal in goals:
        if goal.parent_id is not None:
            steps.setdefault(goal.parent_id, []).append(goal)
    main = [goal for goal in goals if goal.parent_id is None]
    for goal in main:
        goal.step_list = steps.get(goal.pk, [])  # type: ignore[attr-defined]
    return main


def _plan_overview(trajectory: Trajectory) -> dict[str, Any]:
    """Everything the trajectory page shows, in a fixed number of queries whatever the size of the plan."""
    return {**_life_domains(trajectory), **_igm(trajectory), "goals": _goals(trajectory)}


def _closed(request: AuthenticatedRequest, trajectory: Trajectory) -> HttpResponse:
    messages.error(request, _("This trajectory has ended. Its plan is kept as it was and can no longer be changed."))
    return redirect("trajectories:detail", pk=trajectory.pk)


@role_required(*TRAJECTORY_ROLES)
def trajectory_start(request: AuthenticatedRequest, client_pk: int) -> HttpResponse:
    """Starts a client's trajectory; a client with an open trajectory is sent to it instead."""
    client = visible_clients(request.user).filter(pk=client_pk).first()
    if client is None:
        raise Http404
    if DataCategory.DOSSIER not in categories_for(request.user, client):
        raise PermissionDenied
    record_event(request.user, Action.READ, client, client_id=client.pk, reason="start trajectory form")
    open_trajectory = client.trajectories.filter(ended_on__isnull=True).first()
    form = StartTrajectoryForm(request.POST or None)
    if request.method == "POST" and open_trajectory is None and form.is_valid():
        try:
            trajectory = start_trajectory(request.user, client, **form.cleaned_data)
        except OpenTrajectoryExistsError as error:
            open_trajectory = error.trajectory or client.trajectories.filter(ended_on__isnull=True).first()
        else:
            messages.success(request, _("The trajectory has started. Record the life domains next."))
            return redirect("trajectories:detail", pk=trajectory.pk)
    return render(
        request,
        "trajectories/trajectory_start.html",
        {"client": client, "form": form, "open_trajectory": open_trajectory},
    )


@role_required(*TRAJECTORY_ROLES)
def trajectory_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    trajectory = trajectory_for(request.user, pk, reason="trajectory plan")
    return render(
        request,
        "trajectories/trajectory_detail.html",
        {"trajectory": trajectory, "today": timezone.localdate(), **_plan_overview(trajectory)},
    )


@role_required(*TRAJECTORY_ROLES)
def perspective_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Edits keep the version they started from; a save over someone else's change is refused, input kept."""
    trajectory = trajectory_for(request.user, pk, reason="perspective form")
    if not trajectory.is_open:
        return _closed(request, trajectory)
    form = PerspectiveForm(request.POST or None, trajectory=trajectory)
    stale = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            update_perspective(
                request.user,
                trajectory,
                future_perspective=data["future_perspective"],
                strengths=data["strengths"],
                version=data["version"],
            )
        except StaleEditError:
            stale = True
        except TrajectoryClosedError:
            return _closed(request, trajectory)
        else:
            messages.success(request, _("The perspective has been saved."))
            return redirect("trajectories:detail", pk=trajectory.pk)
    return render(
        request, "trajectories/perspective_form.html", {"trajectory": trajectory, "form": form, "stale": stale}
    )


@role_required(*TRAJECTORY_ROLES)
def life_domain_assessment_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    trajectory = trajectory_for(request.user, pk, reason="life-domain assessment form")
    if not trajectory.is_open:
        return _closed(request, trajectory)
    previous = _latest_life_domain_assessment(trajectory)
    form = LifeDomainAssessmentForm(request.POST or None, trajectory=trajectory, previous=previous)
    if request.method == "POST" and form.is_valid():
        try:
            record_life_domain_assessment(
                request.user, trajectory, assessed_on=form.cleaned_data["assessed_on"], scores=form.scores()
            )
        except TrajectoryClosedError:
            return _closed(request, trajectory)
        messages.success(request, _("The life-domain assessment has been recorded."))
        return redirect("trajectories:detail", pk=trajectory.pk)
    return render(
        request,
        "trajectories/life_domains_form.html",
        {"trajectory": trajectory, "form": form, "previous": previous},
    )


@role_required(*TRAJECTORY_ROLES)
def igm_profile_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    trajectory = trajectory_for(request.user, pk, reason="IGM profile form")
    if not trajectory.is_open:
        return _closed(request, trajectory)
    previous = _latest_igm_profile(trajectory)
    form = IgmProfileForm(request.POST or None, trajectory=trajectory, previous=previous)
    if request.method == "POST" and form.is_valid():
        try:
            record_igm_profile(
                request.user,
                trajectory,
                assessed_on=form.cleaned_data["assessed_on"],
                target_behaviour=form.cleaned_data["target_behaviour"],
                factors=form.factors(),
            )
        except TrajectoryClosedError:
            return _closed(request, trajectory)
        messages.success(request, _("The IGM profile has been recorded."))
        return redirect("trajectories:detail", pk=trajectory.pk)
    return render(request, "trajectories/igm_form.html", {"trajectory": trajectory, "form": form, "previous": previous})


@role_required(*TRAJECTORY_ROLES)
def goal_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    trajectory = trajectory_for(request.user, pk, reason="goal form")
    if not trajectory.is_open:
        return _closed(request, trajectory)
    form = GoalForm(request.POST or None, trajectory=trajectory, initial={"parent": request.GET.get("hoofddoel")})
    if request.method == "POST" and form.is_valid():
        try:
            create_goal(request.user, trajectory, form.goal_data())
        except TrajectoryClosedError:
            return _closed(request, trajectory)
        messages.success(request, _("The goal has been added."))
        return redirect("trajectories:detail", pk=trajectory.pk)
    return render(request, "trajectories/goal_form.html", {"trajectory": trajectory, "form": form})


@role_required(*TRAJECTORY_ROLES)
def goal_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    goal = part_of_visible_trajectory(request.user, Goal, pk)
    trajectory = trajectory_for(request.user, goal.trajectory_id, reason="goal form")
    goal.trajectory = trajectory
    if not trajectory.is_open:
        return _closed(request, trajectory)
    form = GoalForm(request.POST or None, instance=goal, trajectory=trajectory)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            update_goal(request.user, goal, form.goal_data(), version=form.cleaned_data["version"] or 0)
        except StaleEditError:
            stale = True
        except TrajectoryClosedError:
            return _closed(request, trajectory)
        else:
            messages.success(request, _("The goal has been saved."))
            return redirect("trajectories:detail", pk=trajectory.pk)
    return render(
        request, "trajectories/goal_form.html", {"trajectory": trajectory, "form": form, "goal": goal, "stale": stale}
    )


@role_required(*TRAJECTORY_ROLES)
def instrument_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    trajectory = trajectory_for(request.user, pk, reason="instrument form")
    if not trajectory.is_open:
        return _closed(request, trajectory)
    form = InstrumentForm(request.POST or None, trajectory=trajectory, initial={"goal": request.GET.get("doel")})
    if request.method == "POST" and form.is_valid():
        try:
            create_instrument(request.user, trajectory, form.instrument_data())
        except TrajectoryClosedError:
            return _closed(request, trajectory)
        messages.success(request, _("The instrument has been added."))
        return redirect("trajectories:detail", pk=trajectory.pk)
    return render(request, "trajectories/instrument_form.html", {"trajectory": trajectory, "form": form})


@role_required(*TRAJECTORY_ROLES)
def instrument_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Edits an instrument; stopping it needs a reason and records the end date."""
    instrument = part_of_visible_trajectory(request.user, Instrument, pk)
    trajectory = trajectory_for(request.user, instrument.trajectory_id, reason="instrument form")
    instrument.trajectory = trajectory
    if not trajectory.is_open:
        return _closed(request, trajectory)
    form = InstrumentForm(request.POST or None, instance=instrument, trajectory=trajectory)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            update_instrument(
                request.user, instrument, form.instrument_data(), version=form.cleaned_data["version"] or 0
            )
        except StaleEditError:
            stale = True
        except TrajectoryClosedError:
            return _closed(request, trajectory)
        else:
            messages.success(request, _("The instrument has been saved."))
            return redirect("trajectories:detail", pk=trajectory.pk)
    return render(
        request,
        "trajectories/instrument_form.html",
        {"trajectory": trajectory, "form": form, "instrument": instrument, "stale": stale},
    )


@role_required(*TRAJECTORY_ROLES)
def plan_agreement(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Records that the client agreed to the plan, when, and in what words."""
    trajectory = trajectory_for(request.user, pk, reason="plan agreement form")
    if not trajectory.is_open:
        return _closed(request, trajectory)
    form = PlanAgreementForm(request.POST or None, trajectory=trajectory)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            record_plan_agreement(
                request.user,
                trajectory,
                agreed_on=form.cleaned_data["agreed_on"],
                agreement=form.cleaned_data["agreement"],
                version=form.cleaned_data["version"],
            )
        except StaleEditError:
            stale = True
        except TrajectoryClosedError:
            return _closed(request, trajectory)
        else:
            messages.success(request, _("The client's agreement with the plan has been recorded."))
            return redirect("trajectories:detail", pk=trajectory.pk)
    return render(
        request, "trajectories/plan_agreement_form.html", {"trajectory": trajectory, "form": form, "stale": stale}
    )


@role_required(*TRAJECTORY_ROLES)
def trajectory_end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    trajectory = trajectory_for(request.user, pk, reason="end trajectory form")
    if not trajectory.is_open:
        return _closed(request, trajectory)
    form = EndTrajectoryForm(request.POST or None, trajectory=trajectory)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            end_trajectory(
                request.user,
                trajectory,
                ended_on=form.cleaned_data["ended_on"],
                outflow_reason=form.cleaned_data["outflow_reason"],
                version=form.cleaned_data["version"],
            )
        except StaleEditError:
            stale = True
        except TrajectoryClosedError:
            return _closed(request, trajectory)
        else:
            messages.success(request, _("The trajectory has ended."))
            return redirect("trajectories:detail", pk=trajectory.pk)
    return render(request, "trajectories/trajectory_end.html", {"trajectory": trajectory, "form": form, "stale": stale})
