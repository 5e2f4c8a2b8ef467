"""The export flow end to end with the immediate worker: ask on the report page, follow, download each format."""

import io

import openpyxl
import pytest
from django.urls import reverse

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.reporting.models import ExportStatus, ReportExport
from tests.reporting import test_views
from tests.reporting.test_views import PERIOD_QUERY

pytestmark = pytest.mark.django_db

built = test_views.built  # the fixture: the report functions answer the sample report


@pytest.fixture
def policy(make_user):
    return make_user(Role.POLICY)


def export_and_download(http, django_capture_on_commit_callbacks, data: dict) -> tuple[ReportExport, bytes, str]:
    with django_capture_on_commit_callbacks(execute=True):
        response = http.post(reverse("reporting:export"), data)
    export = ReportExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:export_status", args=[export.pk])
    status_page = http.get(response["Location"]).content.decode()
    download = http.get(reverse("reporting:export_download", args=[export.pk]))
    assert download.status_code == 200
    return export, download.content, status_page


def test_an_xlsx_export_holds_the_figures_of_the_page(
    policy, municipality, english, built, django_capture_on_commit_callbacks
) -> None:
    data = {"kind": "financier", "export_format": "xlsx", "municipality": municipality.pk, **PERIOD_QUERY}
    export, content, status_page = export_and_download(english(policy), django_capture_on_commit_callbacks, data)
    assert export.status == ExportStatus.DONE
    assert 'data-testid="export-download"' in status_page
    assert "The export is ready." in status_page
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    values = [cell.value for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert 1234 in values
    assert "Sollicitatietraining" in values
    assert export.filename.endswith(".xlsx")
    assert [call[0] for call in built] == ["financier"]
    reasons = list(AuditEvent.objects.filter(action=Action.EXPORT).order_by("pk").values_list("reason", flat=True))
    assert reasons == [
        "report export requested: financier (xlsx), municipality Lekkerwaard, 2026-01-01 to 2026-06-30",
        "report export downloaded: financier (xlsx), municipality Lekkerwaard, 2026-01-01 to 2026-06-30",
    ]


def test_a_csv_export_is_utf8_with_semicolons(policy, english, built, django_capture_on_commit_callbacks) -> None:
    data = {"kind": "management", "export_format": "csv", **PERIOD_QUERY}
    export, content, _page = export_and_download(english(policy), django_capture_on_commit_callbacks, data)
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0] == "section;table;row;column;value"
    assert "From referral to completion;Funnel per programme;Sollicitatietraining;Referred;1234" in lines
    assert export.content_type == "text/csv; charset=utf-8"


def test_a_pdf_export_is_a_pdf(policy, login, built, django_capture_on_commit_callbacks) -> None:
    data = {"kind": "management", "export_format": "pdf", **PERIOD_QUERY}
    export, content, _page = export_and_download(login(policy), django_capture_on_commit_callbacks, data)
    assert content.startswith(b"%PDF")
    assert export.content_type == "application/pdf"
