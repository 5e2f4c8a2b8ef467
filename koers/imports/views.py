import csv
import io

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from koers.accounts.decorators import role_required
from koers.accounts.roles import Role
from koers.accounts.types import AuthenticatedRequest
from koers.audit.models import Action
from koers.audit.services import record_event
from koers.background import enqueue
from koers.imports.columns import COLUMNS
from koers.imports.forms import ImportUploadForm
from koers.imports.models import ClientImport
from koers.imports.selectors import rejections, visible_imports
from koers.imports.services import ImportBusyError, create_import
from koers.imports.tasks import run_import_task
from koers.pagination import query_prefix

IMPORT_ROLES = (Role.ADMINISTRATOR, Role.TEAM_MANAGER)
PAGE_SIZE = 25
REJECTIONS_PER_PAGE = 50
STOP_POLLING = 286  # htmx stops an hx-trigger="every …" poll on this status (and still swaps the content)


@role_required(*IMPORT_ROLES)
def import_list(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(visible_imports(request.user), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "imports/import_list.html", {"page": page, "query_prefix": query_prefix(request)})


@role_required(*IMPORT_ROLES)
def import_new(request: AuthenticatedRequest) -> HttpResponse:
    if request.user.organisation_id is None:
        raise PermissionDenied
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = create_import(
                request.user, file_name=upload.name or "", content=form.content, file_format=form.file_format
            )
        except ImportBusyError:
            form.add_error(None, _("Another import is still running. Wait until it is done, then upload again."))
        else:
            enqueue(run_import_task, job.pk)
            return redirect("imports:detail", pk=job.pk)
    return render(request, "imports/import_form.html", {"form": form, "columns": COLUMNS})


def _visible_import(request: AuthenticatedRequest, pk: int) -> ClientImport:
    """404 alike for a missing import and one of another organisation."""
    job = visible_imports(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def _result_context(request: AuthenticatedRequest, job: ClientImport) -> dict[str, object]:
    page = Paginator(rejections(job), REJECTIONS_PER_PAGE).get_page(request.GET.get("pagina"))
    return {"job": job, "page": page, "query_prefix": query_prefix(request)}


@role_required(*IMPORT_ROLES)
def import_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    job = _visible_import(request, pk)
    return render(request, "imports/import_detail.html", _result_context(request, job))


@role_required(*IMPORT_ROLES)
def import_progress(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The result block alone, polled every second while the import runs."""
    job = _visible_import(request, pk)
    finished = not job.is_active or job.is_stale
    status = STOP_POLLING if finished and request.htmx else 200  # type: ignore[attr-defined]
    context = {**_result_context(request, job), "announce": finished}
    return render(request, "imports/_result.html", context, status=status)


@role_required(*IMPORT_ROLES)
def import_report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Every rejected row and why, as CSV for Excel: row number, masked BSN, column and reason, nothing more."""
    job = _visible_import(request, pk)
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so that Excel reads the file as UTF-8
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_("row"), _("BSN (masked)"), _("column"), _("reason")])
    for rejection in rejections(job).iterator(chunk_size=2_000):
        writer.writerow([rejection.row_number, rejection.masked_bsn, _safe(rejection.column), rejection.reason])
    record_event(request.user, Action.EXPORT, job, reason=f"rejected rows of client import #{job.pk} downloaded")
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    filename = _("import-%(number)s-rejected-rows.csv") % {"number": job.pk}
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _safe(text: str) -> str:
    """A spreadsheet must not run a cell as a formula (CSV injection)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
