"""The hand-off signal (kort signaal) and the absence signals.

The trainer writes a signal per participant of an own run and sees only the participant's name and what the group
needs. The consultant sees the signals about own clients, acknowledges them, or turns the advice into a goal or an
instrument of the plan in one step; and acknowledges absences. Koers only signals: a sanction for an absence from a
mandatory programme is the municipality's separate decision.
"""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from koers.accounts.decorators import role_required
from koers.accounts.roles import Role
from koers.accounts.types import AuthenticatedRequest
from koers.audit.models import Action
from koers.audit.services import record_client_reads, record_event
from koers.clients.selectors import visible_clients
from koers.groupwork.handoff_forms import AdviceGoalForm, AdviceInstrumentForm, HandOffForm
from koers.groupwork.handoff_selectors import (
    absence_of_own_client,
    group_needs,
    hand_off_for_consultant,
    hand_off_of,
    hand_off_overview,
    open_trajectory_for,
    trainer_participation,
    trainer_run,
    unseen_absences,
)
from koers.groupwork.handoff_services import (
    HandOffAcknowledgedError,
    NoOpenTrajectoryError,
    acknowledge_absence,
    acknowledge_absences,
    acknowledge_hand_off,
    advice_to_goal,
    advice_to_instrument,
    write_hand_off,
)
from koers.groupwork.models import HandOff
from koers.pagination import query_prefix
from koers.trajectories.models import KUNNEN, WILLEN, Trajectory
from koers.trajectories.services import StaleEditError, TrajectoryClosedError

PAGE_SIZE = 25


def _observation_groups(hand_off: HandOff) -> list[dict[str, Any]]:
    """The observations per IGM factor, grouped as willen and kunnen (a factor left empty shows as such)."""
    by_factor = {item.factor: item.observation for item in hand_off.observations.all()}
    return [
        {"key": key, "label": label, "factors": [(factor, by_factor.get(factor.value, "")) for factor in factors]}
        for key, label, factors in (
            ("willen", _("Willen: wanting"), WILLEN),
            ("kunnen", _("Kunnen: being able"), KUNNEN),
        )
    ]


@role_required(Role.TRAINER)
def run_handoffs(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The trainer's overview at the end of a run: per participant whether the signal is written and seen."""
    run = trainer_run(request.user, pk)
    participations = hand_off_overview(run, request.user)
    record_client_reads(request.user, [p.client for p in participations], reason="hand-off overview")
    return render(request, "groupwork/handoff/run_handoffs.html", {"run": run, "participations": participations})


@role_required(Role.TRAINER)
def handoff_write(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The trainer writes or changes the signal for one participant; once acknowledged it is shown, not edited."""
    participation = trainer_participation(request.user, pk)
    record_event(
        request.user, Action.READ, participation.client, client_id=participation.client_id, reason="hand-off form"
    )
    hand_off = hand_off_of(participation)
    context: dict[str, Any] = {
        "participation": participation,
        "run": participation.group_run,
        "needs": group_needs(request.user, participation),
        "hand_off": hand_off,
    }
    if hand_off is not None and hand_off.acknowledged_at is not None:
        if request.method == "POST":
            messages.error(request, _("The consultant has already seen this signal, so it can no longer be changed."))
        return render(
            request, "groupwork/handoff/handoff_written.html", {**context, "groups": _observation_groups(hand_off)}
        )
    form = HandOffForm(request.POST or None, hand_off=hand_off)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            write_hand_off(
                request.user,
                participation,
                form.cleaned_data["advice"],
                form.observations(),
                version=form.cleaned_data["version"],
            )
        except StaleEditError:
            # The input stays; the form now carries the current version, so saving again is a deliberate choice.
            stale = True
            context["hand_off"] = hand_off = hand_off_of(participation)
            data = request.POST.copy()
            data["version"] = str(hand_off.version) if hand_off else ""
            form = HandOffForm(data, hand_off=hand_off)
        except HandOffAcknowledgedError:
            messages.error(request, _("The consultant has already seen this signal, so it can no longer be changed."))
            return redirect("groupwork:handoff_write", pk=participation.pk)
        else:
            messages.success(
                request,
                _("The hand-off signal for %(name)s has been saved.") % {"name": participation.client.full_name},
            )
            return redirect("groupwork:run_handoffs", pk=participation.group_run_id)
    return render(request, "groupwork/handoff/handoff_form.html", {**context, "form": form, "stale": stale})


def _detail(
    request: AuthenticatedRequest,
    hand_off: HandOff,
    *,
    goal_form: AdviceGoalForm | None = None,
    instrument_form: AdviceInstrumentForm | None = None,
) -> HttpResponse:
    """The consultant's page of one signal, with the forms that turn the advice into a goal or an instrument."""
    client = hand_off.participation.client
    record_event(request.user, Action.READ, hand_off, client_id=client.pk, reason="hand-off signal")
    trajectory: Trajectory | None = open_trajectory_for(request.user, client)
    plan_has_goals = False
    if trajectory is not None:
        goal_form = goal_form or AdviceGoalForm(trajectory=trajectory, hand_off=hand_off)
        instrument_form = instrument_form or AdviceInstrumentForm(trajectory=trajectory, hand_off=hand_off)
        plan_has_goals = trajectory.goals.exists()
    return render(
        request,
        "groupwork/handoff/handoff_detail.html",
        {
            "hand_off": hand_off,
            "client": client,
            "run": hand_off.participation.group_run,
            "groups": _observation_groups(hand_off),
            "trajectory": trajectory,
            "goal_form": goal_form,
            "instrument_form": instrument_form,
            "plan_has_goals": plan_has_goals,
        },
    )


@role_required(Role.CONSULTANT)
def handoff_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _detail(request, hand_off_for_consultant(request.user, pk))


@require_POST
@role_required(Role.CONSULTANT)
def handoff_acknowledge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    hand_off = hand_off_for_consultant(request.user, pk)
    if hand_off.acknowledged_at is None:
        acknowledge_hand_off(request.user, hand_off)
        messages.success(request, _("The hand-off signal is marked as seen."))
    return redirect("groupwork:handoff_detail", pk=hand_off.pk)


def _no_plan(request: AuthenticatedRequest, hand_off: HandOff) -> HttpResponse:
    messages.error(request, _("The client has no open trajectory. Start one first; the signal stays until then."))
    return redirect("groupwork:handoff_detail", pk=hand_off.pk)


@require_POST
@role_required(Role.CONSULTANT)
def handoff_to_goal(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Advice becomes a goal in the client's open trajectory; the signal is acknowledged in the same step."""
    hand_off = hand_off_for_consultant(request.user, pk)
    trajectory = open_trajectory_for(request.user, hand_off.participation.client)
    if trajectory is None:
        return _no_plan(request, hand_off)
    form = AdviceGoalForm(request.POST, trajectory=trajectory, hand_off=hand_off)
    if not form.is_valid():
        return _detail(request, hand_off, goal_form=form)
    try:
        advice_to_goal(
            request.user,
            hand_off,
            form.cleaned_data["text"],
            target_date=form.cleaned_data["target_date"],
            parent=form.cleaned_data["parent"],
        )
    except (NoOpenTrajectoryError, TrajectoryClosedError):
        return _no_plan(request, hand_off)
    messages.success(request, _("The goal has been added to the plan and the hand-off signal is marked as seen."))
    return redirect("trajectories:detail", pk=trajectory.pk)


@require_POST
@role_required(Role.CONSULTANT)
def handoff_to_instrument(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Advice becomes an instrument in the client's open trajectory; the signal is acknowledged in the same step."""
    hand_off = hand_off_for_consultant(request.user, pk)
    trajectory = open_trajectory_for(request.user, hand_off.participation.client)
    if trajectory is None:
        return _no_plan(request, hand_off)
    form = AdviceInstrumentForm(request.POST, trajectory=trajectory, hand_off=hand_off)
    if not form.is_valid():
        return _detail(request, hand_off, instrument_form=form)
    try:
        advice_to_instrument(request.user, hand_off, form.instrument_data())
    except (NoOpenTrajectoryError, TrajectoryClosedError):
        return _no_plan(request, hand_off)
    messages.success(request, _("The instrument has been added to the plan and the hand-off signal is marked as seen."))
    return redirect("trajectories:detail", pk=trajectory.pk)


def _client_filter(params: QueryDict) -> int | None:
    """The client the absence list is narrowed to (``?client=``), if any."""
    value = params.get("client", "")
    return int(value) if value.isdecimal() else None  # isdigit() takes "²" for a digit, int() does not


@role_required(Role.CONSULTANT)
def absences(request: AuthenticatedRequest) -> HttpResponse:
    """Absences of own clients that nobody has acknowledged yet, with the mandatory ones marked."""
    client_id = _client_filter(request.GET)
    client = None
    if client_id is not None:
        client = visible_clients(request.user).filter(pk=client_id).first()
        if client is None:
            raise Http404
    page = Paginator(unseen_absences(request.user, client_id), PAGE_SIZE).get_page(request.GET.get("pagina"))
    rows = list(page.object_list)
    record_client_reads(
        request.user,
        list({row.participation.client_id: row.participation.client for row in rows}.values()),
        reason="absence signals",
    )
    return render(
        request,
        "groupwork/handoff/absences.html",
        {
            "page": page,
            "rows": rows,
            "client": client,
            "any_mandatory": any(row.session.group_run.programme.is_mandatory for row in rows),
            "query_prefix": query_prefix(request),
        },
    )


def _back_to_absences(client_id: int | None) -> HttpResponse:
    url = reverse("groupwork:absences")
    return redirect(f"{url}?client={client_id}" if client_id is not None else url)


@require_POST
@role_required(Role.CONSULTANT)
def absence_acknowledge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    absence = absence_of_own_client(request.user, pk)
    if absence.acknowledged_at is None:
        acknowledge_absence(request.user, absence)
        messages.success(request, _("The absence is marked as seen."))
    return _back_to_absences(_client_filter(request.POST))


@require_POST
@role_required(Role.CONSULTANT)
def client_absences_acknowledge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """All absences of one client marked as seen at once."""
    client = visible_clients(request.user).filter(pk=pk).first()
    if client is None:
        raise Http404
    count = acknowledge_absences(request.user, client)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s absence of %(name)s is marked as seen.",
                "%(count)s absences of %(name)s are marked as seen.",
                count,
            )
            % {"count": count, "name": client.full_name},
        )
    return _back_to_absences(client.pk)
