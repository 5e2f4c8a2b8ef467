"""Import pages: who may open them, uploading, progress polling, the rejection report, and query budgets."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.clients.models import Client
from koers.imports.models import ClientImport, ImportRejection, ImportStatus, RejectionReason
from koers.imports.services import create_import
from tests import factories
from tests.helpers import assert_access_matrix, assert_query_budget
from tests.imports.files import bsn, csv_bytes, row

pytestmark = pytest.mark.django_db

ALLOWED = {Role.ADMINISTRATOR: 200, Role.TEAM_MANAGER: 200}


def expected_statuses(allowed: dict[str, int] = ALLOWED) -> dict[str, int]:
    return {role: allowed.get(role, 403) for role in Role.values}


@pytest.fixture
def finished_import(role_users, municipality, consultant) -> ClientImport:
    job = create_import(
        role_users[Role.ADMINISTRATOR],
        file_name="clienten.csv",
        content=csv_bytes([row(1), row(2, bsn="123456789"), row(3, postcode="12")]),
        file_format="csv",
    )
    from koers.imports.services import run_import

    run_import(job.pk)
    job.refresh_from_db()
    return job


@pytest.mark.parametrize("name", ["imports:list", "imports:new"])
def test_access_matrix_of_the_pages_without_an_import(name, role_users, login) -> None:
    assert_access_matrix(reverse(name), expected_statuses(), role_users, login)


@pytest.mark.parametrize("name", ["imports:detail", "imports:progress", "imports:report"])
def test_access_matrix_of_the_pages_of_an_import(name, finished_import, role_users, login) -> None:
    assert_access_matrix(reverse(name, args=[finished_import.pk]), expected_statuses(), role_users, login)


@pytest.mark.parametrize(
    "name", ["imports:list", "imports:new", "imports:detail", "imports:progress", "imports:report"]
)
def test_anonymous_is_sent_to_the_login(name, finished_import, client) -> None:
    url = reverse(name, args=[finished_import.pk]) if name not in ("imports:list", "imports:new") else reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/inloggen/")


def test_another_organisations_import_is_not_found(finished_import, login) -> None:
    stranger = factories.UserFactory(
        organisation=factories.OrganisationFactory(name="Ander werkbedrijf"), roles=[Role.ADMINISTRATOR]
    )
    http = login(stranger)
    for name in ("imports:detail", "imports:progress", "imports:report"):
        assert http.get(reverse(name, args=[finished_import.pk])).status_code == 404
    assert "clienten.csv" not in http.get(reverse("imports:list")).content.decode()


def upload(http, name: str, content: bytes):
    return http.post(reverse("imports:new"), {"file": SimpleUploadedFile(name, content)})


def test_uploading_a_csv_runs_the_import_and_shows_the_result(
    role_users, login, municipality, consultant, django_capture_on_commit_callbacks
) -> None:
    http = login(role_users[Role.TEAM_MANAGER])
    with django_capture_on_commit_callbacks(execute=True):  # the import task is queued once the upload is committed
        response = upload(http, "export.csv", csv_bytes([row(1), row(2, bsn="123456789")]))
    job = ClientImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:detail", args=[job.pk])
    assert job.status == ImportStatus.DONE
    assert job.uploaded_by == role_users[Role.TEAM_MANAGER]
    html = http.get(response["Location"]).content.decode()
    assert 'data-testid="created-count">1<' in html
    assert "*****6789" in html
    assert "hx-trigger" not in html, "a finished import is not polled"
    assert Client.objects.filter(bsn=bsn(1)).exists()


def test_uploading_an_xlsx(role_users, login, municipality, consultant, django_capture_on_commit_callbacks) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["bsn", "voornaam", "achternaam", "gemeente"])
    workbook.active.append([int(bsn(1)), "Jan", "Jansen", "Lekkerwaard"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(login(role_users[Role.ADMINISTRATOR]), "export.xlsx", buffer.getvalue())
    assert response.status_code == 302
    assert ClientImport.objects.get().created_count == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("export.txt", b"bsn;voornaam\r\n", "Kies een CSV-bestand"),
        ("export.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls"),
        ("export.csv", b"PK\x03\x04zip", "komt niet overeen"),
        ("export.xlsx", b"bsn;voornaam\r\n", "komt niet overeen"),
        ("export.csv", b"%PDF-1.4\n\x00\x00", "komt niet overeen"),
    ],
)
def test_wrong_files_are_refused_before_anything_is_stored(name, content, message, role_users, login) -> None:
    response = upload(login(role_users[Role.ADMINISTRATOR]), name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ClientImport.objects.exists()


def test_a_file_over_the_size_limit_is_refused(settings, role_users, login) -> None:
    settings.KOERS_IMPORT_MAX_BYTES = 100
    response = upload(login(role_users[Role.ADMINISTRATOR]), "export.csv", csv_bytes([row(1), row(2)]))
    assert "groter dan" in response.content.decode()
    assert not ClientImport.objects.exists()


def test_an_upload_while_another_import_runs_is_refused_with_a_message(role_users, login, municipality) -> None:
    create_import(role_users[Role.ADMINISTRATOR], file_name="a.csv", content=csv_bytes([row(1)]), file_format="csv")
    response = upload(login(role_users[Role.TEAM_MANAGER]), "b.csv", csv_bytes([row(2)]))
    assert response.status_code == 200
    assert "nog een import bezig" in response.content.decode()
    assert ClientImport.objects.count() == 1


def test_the_upload_page_explains_the_columns_and_links_the_sample(role_users, login) -> None:
    html = login(role_users[Role.ADMINISTRATOR]).get(reverse("imports:new")).content.decode()
    for column in ("bsn", "achternaam", "geboortedatum", "beschikbaarheid"):
        assert f"<code>{column}</code>" in html
    assert "imports/voorbeeld-clientimport.csv" in html


def test_a_running_import_is_polled_and_the_poll_stops_when_done(role_users, login, municipality) -> None:
    job = create_import(
        role_users[Role.ADMINISTRATOR], file_name="a.csv", content=csv_bytes([row(1)]), file_format="csv"
    )
    ClientImport.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, total_rows=4000, processed_rows=1000)
    http = login(role_users[Role.ADMINISTRATOR])
    html = http.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert 'max="4000" value="1000"' in html
    progress = reverse("imports:progress", args=[job.pk])
    running = http.get(progress, headers={"HX-Request": "true"})
    assert running.status_code == 200
    assert "25%" in running.content.decode()
    ClientImport.objects.filter(pk=job.pk).update(status=ImportStatus.DONE, processed_rows=4000)
    done = http.get(progress, headers={"HX-Request": "true"})
    assert done.status_code == 286, "htmx stops polling on 286"
    assert 'hx-swap-oob="innerHTML"' in done.content.decode(), "the end is announced to screen readers"
    assert http.get(progress).status_code == 200, "without htmx a plain 200"


def test_the_report_lists_every_rejected_row_without_client_content(finished_import, role_users, login) -> None:
    response = login(role_users[Role.TEAM_MANAGER]).get(reverse("imports:report", args=[finished_import.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="import-')
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0] == "rij;BSN (gemaskeerd);kolom;reden"
    assert lines[1].startswith("3;*****6789;bsn;")
    assert lines[2].startswith(f"4;*****{bsn(3)[-4:]};postcode;")
    assert len(lines) == 3
    assert bsn(3) not in text
    assert "Achternaam3" not in text
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.object_id == str(finished_import.pk)
    assert event.actor == role_users[Role.TEAM_MANAGER]


def test_list_page_query_budget(finished_import, role_users, login, municipality) -> None:
    def grow() -> None:
        for n in range(3):
            ClientImport.objects.create(
                organisation=municipality.organisation,
                uploaded_by=role_users[Role.TEAM_MANAGER],
                file_name=f"extra{n}.csv",
                file_format="csv",
                status=ImportStatus.DONE,
            )

    assert_query_budget(login(role_users[Role.ADMINISTRATOR]), reverse("imports:list"), 12, grow)


@pytest.mark.parametrize("name", ["imports:detail", "imports:progress"])
def test_detail_and_progress_query_budget(name, finished_import, role_users, login) -> None:
    def grow() -> None:
        ImportRejection.objects.bulk_create(
            ImportRejection(
                client_import=finished_import,
                row_number=10 + n,
                masked_bsn="*****1234",
                column="postcode",
                code=RejectionReason.POSTAL_CODE,
            )
            for n in range(5)
        )

    assert_query_budget(login(role_users[Role.ADMINISTRATOR]), reverse(name, args=[finished_import.pk]), 12, grow)


def test_navigation_shows_the_import_to_administrators_and_team_managers_only(role_users, login) -> None:
    url = reverse("imports:list")
    for role, user in role_users.items():
        html = login(user).get(reverse("home:start")).content.decode()
        assert (f'href="{url}"' in html) == (role in ALLOWED), role
