"""Referral from the plan, the waiting lists and manual placement.

The consultant refers a client from an instrument in the plan and follows the referral; the planner works the
waiting lists and places referrals in runs. The planner sees what logistics need (name, municipality, availability,
variant, support note, deadline), never the argued added value or the dossier.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.access.categories import DataCategory
from koers.access.scoping import categories_for
from koers.accounts.decorators import role_required
from koers.accounts.roles import Role
from koers.accounts.types import AuthenticatedRequest
from koers.audit.models import Action
from koers.audit.services import record_client_reads, record_event
from koers.clients.models import CONTRA_INDICATION_KINDS, NEED_KINDS, FlagKind, availability_labels
from koers.groupwork.models import OPEN_REFERRAL_STATUSES, Programme, Referral, ReferralStatus, Variant
from koers.groupwork.placement_services import (
    PlacementRefusedError,
    PlacementWarnings,
    assess_run,
    place_referral,
    screening_notices,
    unplace,
)
from koers.groupwork.referral_forms import PlacementForm, ReasonForm, ReferralForm, programmes_for
from koers.groupwork.referral_selectors import (
    DEADLINE_SOON,
    placement_runs,
    planner_programme,
    referral_for,
    referral_history,
    waiting_days,
    waiting_list_overview,
    waiting_referrals,
)
from koers.groupwork.referral_services import decline, refer, withdraw
from koers.groupwork.referral_states import TransitionError
from koers.groupwork.screening import FITTING_VARIANTS
from koers.pagination import query_prefix
from koers.trajectories.models import Instrument
from koers.trajectories.selectors import part_of_visible_trajectory, trajectory_for

PAGE_SIZE = 25


@role_required(Role.CONSULTANT)
def refer_view(request: AuthenticatedRequest, instrument_pk: int) -> HttpResponse:
    """The consultant refers the client to a group from an instrument of the plan; a refusal keeps the input."""
    instrument = part_of_visible_trajectory(request.user, Instrument, instrument_pk)
    trajectory = trajectory_for(request.user, instrument.trajectory_id, reason="referral form")
    instrument.trajectory = trajectory
    if not trajectory.is_open:
        messages.error(request, _("This trajectory has ended; a referral starts from an open plan."))
        return redirect("trajectories:detail", pk=trajectory.pk)
    form = ReferralForm(request.POST or None, instrument=instrument)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = refer(
                request.user,
                instrument,
                data["programme"],
                data["goal"],
                data["added_value"],
                data["needed_variant"],
                data["support_note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The referral to %(programme)s has passed screening and is on the waiting list.")
                % {"programme": referral.programme.name},
            )
            return redirect("groupwork:referral_detail", pk=referral.pk)
    client = trajectory.client
    flags = list(client.flags.all())
    return render(
        request,
        "groupwork/referrals/refer_form.html",
        {
            "form": form,
            "instrument": instrument,
            "trajectory": trajectory,
            "client": client,
            "needs": [
                {"flag": flag, "fitting": [Variant(v).label for v in FITTING_VARIANTS.get(flag.kind, ())]}
                for flag in flags
                if flag.kind in NEED_KINDS
            ],
            "contra_indications": [flag for flag in flags if flag.kind in CONTRA_INDICATION_KINDS],
            "programmes": [_programme_info(programme) for programme in programmes_for(instrument)],
        },
    )


def _programme_info(programme: Programme) -> dict[str, Any]:
    """What a consultant weighs when choosing a programme: the catalogue's screening fields in words."""
    kinds = {str(kind): kind.label for kind in FlagKind}
    return {
        "programme": programme,
        "matches": getattr(programme, "matches_instrument", 1) == 0,
        "contra_indications": [kinds.get(kind, kind) for kind in programme.contra_indications or ()],
        "variants": [Variant(variant).label for variant in programme.offered_variants()],
    }


def _may_see_dossier(request: AuthenticatedRequest, referral: Referral) -> bool:
    return DataCategory.DOSSIER in categories_for(request.user, referral)


@role_required(Role.CONSULTANT, Role.PLANNER)
def referral_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The referral's status history with dates, waiting time and deadline. The planner sees no added value."""
    referral = referral_for(request.user, pk, reason="referral detail")
    today = timezone.localdate()
    dossier = _may_see_dossier(request, referral)
    is_open = referral.status in OPEN_REFERRAL_STATUSES
    return render(
        request,
        "groupwork/referrals/referral_detail.html",
        {
            "referral": referral,
            "events": referral_history(referral),
            "show_dossier": dossier,
            "waiting_days": waiting_days(referral, today),
            "deadline_passed": referral.deadline is not None and referral.deadline < today and is_open,
            "may_withdraw": dossier
            and request.user.has_role(Role.CONSULTANT)
            and referral.status in (ReferralStatus.SCREENING, ReferralStatus.WAITING, ReferralStatus.PLACED),
            "may_place": request.user.has_role(Role.PLANNER)
            and referral.status in (ReferralStatus.WAITING, ReferralStatus.PLACED),
            "withdraw_form": ReasonForm(required=False),
        },
    )


@require_POST
@role_required(Role.CONSULTANT)
def referral_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    referral = referral_for(request.user, pk, reason="withdraw referral")
    form = ReasonForm(request.POST, required=False)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        withdraw(request.user, referral, reason)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The referral has been withdrawn."))
    return redirect("groupwork:referral_detail", pk=referral.pk)


@role_required(Role.PLANNER)
def waiting_lists(request: AuthenticatedRequest) -> HttpResponse:
    """Per programme: how many wait, the longest wait, and deadlines within a week or passed."""
    today = timezone.localdate()
    programmes = list(waiting_list_overview(request.user, today))
    for programme in programmes:
        since = programme.waiting_since  # type: ignore[attr-defined]
        programme.longest_wait = (today - since).days if since else None  # type: ignore[attr-defined]
    return render(
        request,
        "groupwork/referrals/waiting_lists.html",
        {"programmes": programmes, "soon_days": DEADLINE_SOON.days},
    )


@role_required(Role.PLANNER)
def waiting_list(request: AuthenticatedRequest, programme_pk: int) -> HttpResponse:
    """One programme's waiting list: nearest deadline first, then the longest wait."""
    programme = planner_programme(request.user, programme_pk)
    today = timezone.localdate()
    referrals = waiting_referrals(request.user, programme)
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("pagina"))
    # The page's rows fetched by their own slice, so an empty list costs the same queries as a full one.
    start = (page.number - 1) * PAGE_SIZE
    shown = list(referrals[start : start + PAGE_SIZE])
    rows = [
        {
            "referral": referral,
            "waiting_days": waiting_days(referral, today),
            "deadline_passed": referral.deadline is not None and referral.deadline < today,
            "deadline_soon": referral.deadline is not None and today <= referral.deadline <= today + DEADLINE_SOON,
            "availability": availability_labels(referral.client.availability or []),
        }
        for referral in shown
    ]
    if shown:
        record_client_reads(request.user, [referral.client for referral in shown], reason="waiting list")
    else:
        record_event(request.user, Action.READ, programme, reason="waiting list")
    return render(
        request,
        "groupwork/referrals/waiting_list.html",
        {"programme": programme, "page": page, "rows": rows, "query_prefix": query_prefix(request)},
    )


def _placement_context(referral: Referral) -> dict[str, Any]:
    today = timezone.localdate()
    options = []
    if referral.status == ReferralStatus.WAITING:
        for run in placement_runs(referral.programme, today):
            fit, refusals, warnings = assess_run(referral, run, today)
            options.append({"run": run, "fit": fit, "refusals": refusals, "warnings": warnings})
    screening_refusals, screening_warnings = (
        screening_notices(referral) if referral.status == ReferralStatus.WAITING else ([], [])
    )
    return {
        "referral": referral,
        "options": options,
        "screening_refusals": screening_refusals,
        "screening_warnings": screening_warnings,
        "waiting_days": waiting_days(referral, today),
        "deadline_passed": referral.deadline is not None and referral.deadline < today,
        "availability": availability_labels(referral.client.availability or []),
        "decline_form": ReasonForm(prefix="decline"),
        "unplace_form": ReasonForm(prefix="unplace"),
    }


@role_required(Role.PLANNER)
def referral_place(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Manual placement: the programme's upcoming runs with places left and the fit of each; a run with warnings
    needs an explicit "place anyway"."""
    referral = referral_for(request.user, pk, reason="placement page")
    confirm: dict[str, Any] | None = None
    refused: list[str] = []
    if request.method == "POST":
        form = PlacementForm(request.POST, programme=referral.programme)
        if form.is_valid():
            run = form.cleaned_data["run"]
            try:
                place_referral(referral, run, request.user, accept_warnings=form.cleaned_data["accept_warnings"])
            except PlacementWarnings as warning:
                confirm = {"run": run, "warnings": warning.warnings}
            except PlacementRefusedError as refusal:
                refused = refusal.reasons
            except TransitionError as error:
                refused = [str(error)]
            else:
                messages.success(
                    request,
                    _("%(name)s has been placed in the group of %(date)s.")
                    % {"name": referral.client.full_name, "date": date_format(run.start_date, "j F Y")},
                )
                return redirect("groupwork:waiting_list", programme_pk=referral.programme_id)
        else:
            refused = [_("Choose one of the groups below.")]
    return render(
        request,
        "groupwork/referrals/place.html",
        {**_placement_context(referral), "confirm": confirm, "refused": refused},
    )


@require_POST
@role_required(Role.PLANNER)
def referral_decline(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    referral = referral_for(request.user, pk, reason="decline referral")
    form = ReasonForm(request.POST, prefix="decline")
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        decline(request.user, referral, reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("groupwork:referral_place", pk=referral.pk)
    except TransitionError as error:
        messages.error(request, str(error))
        return redirect("groupwork:referral_place", pk=referral.pk)
    messages.success(request, _("The referral of %(name)s has been declined.") % {"name": referral.client.full_name})
    return redirect("groupwork:waiting_list", programme_pk=referral.programme_id)


@require_POST
@role_required(Role.PLANNER)
def referral_unplace(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Undo a placement by hand: the referral waits again (before any attendance was recorded)."""
    referral = referral_for(request.user, pk, reason="undo placement")
    form = ReasonForm(request.POST, prefix="unplace")
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        unplace(referral, request.user, reason)
    except PlacementRefusedError as refusal:
        messages.error(request, " ".join(refusal.reasons))
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The placement has been undone; the referral is waiting again."))
    return redirect("groupwork:referral_place", pk=referral.pk)
