import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
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
from koers.clients.forms import (
    AccessLogLookupForm,
    ClientForm,
    ClientSearchForm,
    OpenDossierForm,
    RectificationForm,
    RestrictionForm,
    TemporaryAccessForm,
    TransferForm,
)
from koers.clients.models import Client, availability_labels
from koers.clients.restriction import ProcessingRestricted
from koers.clients.selectors import organisation_client, rectification_history, search_clients, visible_clients
from koers.clients.services import (
    StaleEditError,
    grant_temporary_access,
    lift_restriction,
    may_manage_caseload,
    open_dossier_with_reason,
    rectify_client,
    register_client,
    restrict_processing,
    transfer_client,
    update_client,
)
from koers.clients.subject_access import names_shown, printable_sections, subject_access_export
from koers.pagination import query_prefix
from koers.pdf import pdf_response, render_pdf

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
    if client.processing_restricted:
        record_event(request.user, Action.READ, client, client_id=client.pk, reason="client detail (restricted)")
        return render(request, "clients/client_restricted.html", {"client": client})
    categories = categories_for(request.user, client)
    flags = [flag for flag in client.flags.select_related("recorded_by") if flag.category in categories]
    record_event(request.user, Action.READ, client, client_id=client.pk, reason="client detail")
    manages = may_manage_caseload(request.user, client)
    own_client = client.consultant_id == request.user.pk
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
            "may_edit": DataCategory.DOSSIER in categories,
            "transfer_form": TransferForm(client=client) if manages else None,
            "access_form": TemporaryAccessForm(client=client, user=request.user) if manages else None,
            "availability": availability_labels(client.availability),
            "may_rectify": own_client,
            "rectifications": rectification_history(client) if own_client else None,
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
    """Answers "who looked at client X, when, and why" from the audit trail.

    The lookup is a POST, so a BSN never ends up in a URL, a proxy log or the browser history; the result page
    carries only the client number. Every lookup is on record, also one without a match.
    """
    own_clients = Client.objects.filter(organisation_id=request.user.organisation_id or 0)
    if request.method == "POST":
        form = AccessLogLookupForm(request.POST)
        if form.is_valid():
            value = form.cleaned_data["client"]
            lookup = {"bsn": value} if len(value) == 9 else {"pk": int(value)}
            found = own_clients.filter(**lookup).values_list("pk", flat=True).first()
            if found is not None:
                return redirect(f"{reverse('clients:access_log')}?klant={found}")
            record_event(
                request.user, Action.READ, object_type="audit.auditevent", reason="access log lookup without a match"
            )
            return render(request, "clients/access_log.html", {"form": form, "page": None, "not_found": True})
        return render(request, "clients/access_log.html", {"form": form, "page": None})
    requested = request.GET.get("klant", "")
    wanted = requested.isascii() and requested.isdecimal()  # isdigit() takes "²" for a digit, int() does not
    client = organisation_client(request.user, int(requested)) if wanted else None
    client_id = client.pk if client is not None else None
    page = None
    if client_id is not None:
        record_event(
            request.user,
            Action.READ,
            object_type="audit.auditevent",
            client_id=client_id,
            reason="access log consulted by privacy officer",
        )
        events = AuditEvent.objects.filter(client_id=client_id).order_by("-at", "-id")
        page = Paginator(events, 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "clients/access_log.html",
        {
            "form": AccessLogLookupForm(),
            "page": page,
            "client_id": client_id,
            "client": client,
            "restriction_form": _restriction_form(client) if client is not None else None,
            "not_found": bool(requested) and client_id is None,
            "query_prefix": query_prefix(request),
        },
    )


@role_required(Role.PRIVACY_OFFICER)
def access_export(request: AuthenticatedRequest, pk: int, export_format: str) -> HttpResponse:
    """The complete access export of one client (AVG art. 15), as JSON or as a tagged PDF; works while restricted."""
    client = organisation_client(request.user, pk)
    if client is None:
        raise Http404
    record_event(
        request.user,
        Action.EXPORT,
        client,
        client_id=client.pk,
        reason=f"subject access export ({export_format})",
    )
    export = subject_access_export(client)
    filename = f"inzage-client-{client.pk}-{timezone.localdate():%Y%m%d}"
    if export_format == "pdf":
        context = {"export": export, "sections": printable_sections(export), "names_shown": names_shown()}
        pdf = render_pdf("clients/print/subject_access.html", context, request)
        return pdf_response(pdf, f"{filename}.pdf")
    response = HttpResponse(
        json.dumps(export, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@role_required(Role.PRIVACY_OFFICER)
def processing_restriction(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Restricts processing of a client (AVG art. 18), or lifts the restriction; the reason is logged either way."""
    client = organisation_client(request.user, pk)
    if client is None:
        raise Http404
    form = RestrictionForm(request.POST)
    back = f"{reverse('clients:access_log')}?klant={client.pk}"
    if not form.is_valid():
        messages.error(request, _("Give a reason."))
        return redirect(back)
    lifting = form.cleaned_data["action"] == RestrictionForm.LIFT
    if lifting != client.processing_restricted:
        messages.info(request, _("Someone already changed the restriction. Check the current state below."))
    elif lifting:
        lift_restriction(request.user, client, form.cleaned_data["reason"])
        messages.success(request, _("The restriction has been lifted. The client's data can be processed again."))
    else:
        restrict_processing(request.user, client, form.cleaned_data["reason"])
        messages.success(request, _("Processing is restricted. The client's data is only stored from now on."))
    return redirect(back)


def _restriction_form(client: Client) -> RestrictionForm:
    action = RestrictionForm.LIFT if client.processing_restricted else RestrictionForm.RESTRICT
    return RestrictionForm(initial={"action": action})


@role_required(Role.CONSULTANT)
def client_create(request: AuthenticatedRequest) -> HttpResponse:
    form = ClientForm(request.POST or None, organisation_id=request.user.organisation_id or 0)
    if request.method == "POST" and form.is_valid():
        client = register_client(request.user, form.client_data(), form.flag_kinds())
        messages.success(request, _("The client has been registered."))
        return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/client_form.html", {"form": form, "duplicate": _visible_duplicate(request, form)})


def _visible_duplicate(request: AuthenticatedRequest, form: ClientForm) -> Client | None:
    """The existing dossier behind a duplicate BSN, only when the user may open it.

    Learning that a BSN is known here reveals that the person is a client, so the hit is on record either way.
    """
    if form.existing is None:
        return None
    record_event(
        request.user,
        Action.READ,
        form.existing,
        client_id=form.existing.pk,
        reason="BSN already registered (checked while registering)",
    )
    return visible_clients(request.user).filter(pk=form.existing.pk).first()


def _editable_client(request: AuthenticatedRequest, pk: int) -> Client:
    client = visible_clients(request.user).filter(pk=pk).first()
    if client is None:
        raise Http404
    if client.processing_restricted:
        raise ProcessingRestricted
    if DataCategory.DOSSIER not in categories_for(request.user, client):
        raise PermissionDenied
    return client


@role_required(*CLIENT_ROLES)
def client_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Edits keep the version they started from; a save over someone else's change is refused, input kept."""
    client = _editable_client(request, pk)
    record_event(request.user, Action.READ, client, client_id=client.pk, reason="client edit form")
    form = ClientForm(request.POST or None, instance=client, organisation_id=client.organisation_id)
    stale = False
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"] or 0
        try:
            update_client(request.user, client, form.client_data(), form.flag_kinds(), version=version)
        except StaleEditError:
            stale = True
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("clients:detail", pk=client.pk)
    return render(
        request,
        "clients/client_form.html",
        {"form": form, "client": client, "stale": stale, "duplicate": _visible_duplicate(request, form)},
    )


def _managed_client(request: AuthenticatedRequest, pk: int) -> Client:
    client = visible_clients(request.user).filter(pk=pk).first()
    if client is None:
        raise Http404
    if not may_manage_caseload(request.user, client):
        raise PermissionDenied
    return client


@require_POST
@role_required(Role.CONSULTANT, Role.TEAM_MANAGER)
def client_transfer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    client = _managed_client(request, pk)
    form = TransferForm(request.POST, client=client)
    if not form.is_valid():
        messages.error(request, _("Choose the new consultant and give a reason."))
        return redirect("clients:detail", pk=pk)
    transfer_client(request.user, client, form.cleaned_data["to_consultant"], form.cleaned_data["reason"])
    messages.success(request, _("The client has been transferred."))
    if visible_clients(request.user).filter(pk=pk).exists():
        return redirect("clients:detail", pk=pk)
    return redirect("clients:list")


@require_POST
@role_required(Role.CONSULTANT, Role.TEAM_MANAGER)
def client_grant_access(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    client = _managed_client(request, pk)
    form = TemporaryAccessForm(request.POST, client=client, user=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
        return redirect("clients:detail", pk=pk)
    grant_temporary_access(
        request.user, client, form.cleaned_data["colleague"], form.cleaned_data["reason"], form.valid_until()
    )
    messages.success(request, _("Your colleague has access to this dossier until the chosen date."))
    return redirect("clients:detail", pk=pk)


@role_required(Role.CONSULTANT)
def client_rectify(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The client's consultant corrects identity and contact data; the correction and its reason are kept."""
    client = visible_clients(request.user).filter(pk=pk, consultant=request.user).first()
    if client is None:
        raise Http404
    if client.processing_restricted:
        raise ProcessingRestricted
    record_event(request.user, Action.READ, client, client_id=client.pk, reason="rectification form")
    form = RectificationForm(request.POST or None, instance=client)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            rectify_client(
                request.user,
                client,
                form.corrected(),
                form.cleaned_data["reason"],
                form.cleaned_data["client_view"],
                version=form.cleaned_data["version"],
            )
        except StaleEditError:
            stale = True
        else:
            messages.success(request, _("The correction has been saved, with its reason."))
            return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/rectification_form.html", {"form": form, "client": client, "stale": stale})
