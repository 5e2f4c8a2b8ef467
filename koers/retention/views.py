"""Retention pages: candidates and legal holds (administrator), destruction lists (administrator and process owner)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.accounts.decorators import role_required
from koers.accounts.roles import Role
from koers.accounts.types import AuthenticatedRequest
from koers.audit.services import record_client_reads
from koers.background import enqueue
from koers.clients.models import Client
from koers.pagination import query_prefix
from koers.retention import services
from koers.retention.forms import DecisionForm, LegalHoldForm
from koers.retention.models import DestructionList, ItemOutcome, ListStatus
from koers.retention.selectors import active_holds, candidates, list_items, list_records, visible_lists
from koers.retention.tasks import execute_destruction_list

LIST_ROLES = (Role.ADMINISTRATOR, Role.TEAM_MANAGER)
PAGE_SIZE = 100
STOP_POLLING = 286  # htmx stops an hx-trigger="every …" poll on this status (and still swaps the content)


def _record_reads(request: AuthenticatedRequest, client_numbers: list[int], reason: str) -> None:
    """Client numbers are personal data too: one read event per client shown, without loading the clients."""
    record_client_reads(request.user, [Client(pk=number) for number in sorted(set(client_numbers))], reason=reason)


@role_required(*LIST_ROLES)
def list_index(request: AuthenticatedRequest) -> HttpResponse:
    context = {"lists": visible_lists(request.user), "is_administrator": request.user.has_role(Role.ADMINISTRATOR)}
    return render(request, "retention/list_index.html", context)


def _organisation_id(request: AuthenticatedRequest) -> int:
    if request.user.organisation_id is None:
        raise PermissionDenied
    return request.user.organisation_id


def _candidates_page(request: AuthenticatedRequest, hold_form: LegalHoldForm) -> HttpResponse:
    organisation_id = _organisation_id(request)
    found = candidates(organisation_id)
    holds = list(active_holds(organisation_id))
    _record_reads(
        request, [c.client_number for c in found] + [h.client_id for h in holds], "retention candidates and holds"
    )
    context = {"candidates": found, "holds": holds, "hold_form": hold_form}
    return render(request, "retention/candidates.html", context)


@role_required(Role.ADMINISTRATOR)
def candidate_list(request: AuthenticatedRequest) -> HttpResponse:
    return _candidates_page(request, LegalHoldForm())


@role_required(Role.ADMINISTRATOR)
@require_POST
def list_propose(request: AuthenticatedRequest) -> HttpResponse:
    try:
        destruction_list = services.propose_list(request.user)
    except services.NothingToProposeError:
        messages.info(request, _("No record has passed its retention period; there is nothing to propose."))
        return redirect("retention:candidates")
    messages.success(request, _("The destruction list has been proposed to the process owner."))
    return redirect("retention:detail", pk=destruction_list.pk)


@role_required(Role.ADMINISTRATOR)
@require_POST
def hold_place(request: AuthenticatedRequest) -> HttpResponse:
    form = LegalHoldForm(request.POST)
    if form.is_valid():
        client = Client.objects.filter(
            organisation_id=_organisation_id(request), pk=form.cleaned_data["client_number"]
        ).first()
        if client is None:
            form.add_error("client_number", _("Your organisation has no client with this number."))
        else:
            services.place_legal_hold(request.user, client, form.cleaned_data["reason"], form.cleaned_data["until"])
            messages.success(request, _("The legal hold has been placed."))
            return redirect("retention:candidates")
    return _candidates_page(request, form)


@role_required(Role.ADMINISTRATOR)
@require_POST
def hold_lift(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    hold = active_holds(_organisation_id(request)).filter(pk=pk).first()
    if hold is None:
        raise Http404
    services.lift_legal_hold(request.user, hold)
    messages.success(request, _("The legal hold has been lifted."))
    return redirect("retention:candidates")


def _visible_list(request: AuthenticatedRequest, pk: int) -> DestructionList:
    """404 alike for a missing list and one of another organisation."""
    destruction_list = visible_lists(request.user).filter(pk=pk).first()
    if destruction_list is None:
        raise Http404
    return destruction_list


def _progress(destruction_list: DestructionList) -> dict[str, int]:
    total = destruction_list.items.count()
    done = destruction_list.items.exclude(outcome=ItemOutcome.PENDING).count() if destruction_list.is_running else total
    return {"total": total, "done": done}


def _detail_page(
    request: AuthenticatedRequest, destruction_list: DestructionList, form: DecisionForm | None
) -> HttpResponse:
    executed = destruction_list.status == ListStatus.EXECUTED
    rows: QuerySet[Any] = list_records(destruction_list) if executed else list_items(destruction_list)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
    skipped = list(list_items(destruction_list).filter(outcome=ItemOutcome.SKIPPED)) if executed else []
    _record_reads(request, [row.client_number for row in [*page, *skipped]], "destruction list")
    user = request.user
    may_decide = (
        destruction_list.status == ListStatus.PROPOSED
        and user.has_role(Role.TEAM_MANAGER)
        and user.pk != destruction_list.created_by_id
    )
    context = {
        "destruction_list": destruction_list,
        "page": page,
        "executed": executed,
        "skipped": skipped,
        "query_prefix": query_prefix(request),
        "form": (form or DecisionForm()) if may_decide else None,
        "may_execute": destruction_list.status == ListStatus.APPROVED
        and destruction_list.execution_started_at is None
        and user.has_role(Role.ADMINISTRATOR),
        "progress": _progress(destruction_list) if destruction_list.is_running else None,
    }
    return render(request, "retention/list_detail.html", context)


@role_required(*LIST_ROLES)
def list_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _visible_list(request, pk), None)


@role_required(Role.TEAM_MANAGER)
@require_POST
def list_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    destruction_list = _visible_list(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.decide(destruction_list, request.user, approve=approve, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The list has been approved.") if approve else _("The list has been rejected."))
            return redirect("retention:detail", pk=pk)
    return _detail_page(request, destruction_list, form)


@role_required(Role.ADMINISTRATOR)
@require_POST
def list_execute(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    destruction_list = _visible_list(request, pk)
    try:
        services.start_execution(destruction_list, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        enqueue(execute_destruction_list, destruction_list.pk)
    return redirect("retention:detail", pk=pk)


@role_required(*LIST_ROLES)
def list_progress(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The progress block alone, polled every second while the list is being executed."""
    destruction_list = _visible_list(request, pk)
    finished = not destruction_list.is_running
    status = STOP_POLLING if finished and request.htmx else 200  # type: ignore[attr-defined]
    context = {"destruction_list": destruction_list, "progress": _progress(destruction_list)}
    return render(request, "retention/_progress.html", context, status=status)
