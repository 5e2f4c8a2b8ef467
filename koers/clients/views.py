from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.access.categories import DataCategory
from koers.access.scoping import categories_for
from koers.accounts.decorators import role_required
from koers.accounts.models import User
from koers.accounts.roles import Role
from koers.accounts.types import AuthenticatedRequest
from koers.audit.models import Action, AuditEvent
from koers.audit.services import record_client_reads, record_event
from koers.clients.forms import AccessLogLookupForm, ClientSearchForm, OpenDossierForm
from koers.clients.models import Client
from koers.clients.selectors import search_clients, visible_clients
from koers.clients.services import open_dossier_with_reason
from koers.pagination import query_prefix

PAGE_SIZE = 25
CLIENT_ROLES = (Role.CONSULTANT, Role.TEAM_MANAGER, Role.TRAINER, Role.PLANNER)


@role_required(*CLIENT_ROLES)
def client_list(request: AuthenticatedRequest) -> HttpResponse:
    form = ClientSearchForm(request.GET or None, organisation_id=request.user.organisation_id)
    query, municipality = "", None
    if form.is_valid():
        query = form.cleaned_data["q"]
        municipality = form.cleaned_data["municipality"]
    clients = search_clients(request.user, query, municipality.pk if municipality else None)
    page = Paginator(clients, PAGE_SIZE).get_page(request.GET.get("pagina"))
    record_client_reads(request.user, page.object_list, reason="client list")
    return render(
        request,
        "clients/client_list.html",
        {"form": form, "page": page, "query_prefix": query_prefix(request)},
    )


@role_required(*CLIENT_ROLES)
def client_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The parts of a dossier that the user's relation with this client opens; 404 alike for missing and forbidden."""
    client = visible_clients(request.user).filter(pk=pk).first()
    if client is None:
        raise Http404
    categories = categories_for(request.user, client)
    flags = [flag for flag in client.flags.select_related("recorded_by") if flag.category in categories]
    record_event(request.user, Action.READ, client, client_id=client.pk, reason="client detail")
    return render(
        request,
        "clients/client_detail.html",
        {
            "client": client,
            "flags": flags,
            "show_contact": DataCategory.CONTACT in categories,
            "show_bsn": DataCategory.BSN in categories,
            "show_group_needs": DataCategory.GROUP_NEEDS in categories,
            "show_dossier": DataCategory.DOSSIER in categories,
            "open_form": OpenDossierForm() if _may_open_with_reason(request.user, categories) else None,
        },
    )


def _may_open_with_reason(user: User, categories: frozenset[DataCategory]) -> bool:
    return user.has_role(Role.TEAM_MANAGER) and DataCategory.DOSSIER not in categories


@require_POST
@role_required(Role.TEAM_MANAGER)
def open_dossier(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    client = visible_clients(request.user).filter(pk=pk).first()
    if client is None:
        raise Http404
    form = OpenDossierForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason to open the dossier."))
        return redirect("clients:detail", pk=pk)
    open_dossier_with_reason(request.user, client, form.cleaned_data["reason"])
    messages.success(request, _("The dossier is open for you until the end of the working day. Your reason is logged."))
    return redirect("clients:detail", pk=pk)


@role_required(Role.PRIVACY_OFFICER)
def access_log(request: AuthenticatedRequest) -> HttpResponse:
    """Answers "who looked at client X, when, and why" from the audit trail."""
    form = AccessLogLookupForm(request.GET or None)
    client_id: int | None = None
    not_found = False
    page = None
    if form.is_valid():
        value = form.cleaned_data["client"]
        own_clients = Client.objects.filter(organisation_id=request.user.organisation_id or 0)
        lookup = {"bsn": value} if len(value) == 9 else {"pk": int(value)}
        client_id = own_clients.filter(**lookup).values_list("pk", flat=True).first()
        if client_id is None:
            not_found = True
        else:
            record_event(
                request.user,
                Action.READ,
                object_type="audit.auditevent",
                object_id="",
                client_id=client_id,
                reason="access log consulted by privacy officer",
            )
            events = AuditEvent.objects.filter(client_id=client_id).order_by("-at", "-id")
            page = Paginator(events, 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "clients/access_log.html",
        {
            "form": form,
            "page": page,
            "client_id": client_id,
            "not_found": not_found,
            "query_prefix": query_prefix(request),
        },
    )
