"""Malformed client files, uploaded through the page as a team manager would: each gets a Dutch message naming the
problem and no client is created or changed. Complements tests/imports/ (which checks the reader and the runs)."""

import codecs
import io
import zipfile
from collections.abc import Sequence

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from koers.accounts.roles import Role
from koers.clients.models import Client
from koers.imports.models import ClientImport, ImportRejection, RejectionReason
from tests import factories
from tests.imports.files import HEADER, bsn, csv_bytes
from tests.imports.files import row as file_row
from tests.trust.snapshot import assert_unchanged, snapshot

pytestmark = pytest.mark.django_db

IMPORT_TABLES = ("imports_",)  # the import's own record of the refusal


@pytest.fixture
def existing(municipality, role_users) -> Client:
    """A client the files below name, to prove that a refused file changes nobody."""
    return factories.ClientFactory(
        organisation=municipality.organisation,
        municipality=municipality,
        consultant=role_users[Role.CONSULTANT],
        bsn=bsn(1),
        first_name="Ongewijzigd",
    )


@pytest.fixture
def upload(role_users, login, django_capture_on_commit_callbacks):
    """Upload a file as the team manager; the import runs once the upload commits. Answers the page shown after."""
    http = login(role_users[Role.TEAM_MANAGER])

    def send(name: str, content: bytes) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            response = http.post(reverse("imports:new"), {"file": SimpleUploadedFile(name, content)})
        if response.status_code == 302:
            response = http.get(response["Location"])
        assert response.status_code == 200
        return response.content.decode()

    return send


def row(number: int, **overrides: object) -> list[object]:
    return file_row(number, **{"klantmanager": "user-consultant", **overrides})


def xlsx(rows: Sequence[Sequence[object]], sheets: int = 1, first_sheet_empty: bool = False) -> bytes:
    workbook = openpyxl.Workbook()
    target = workbook.active
    if first_sheet_empty:
        target = workbook.create_sheet("Gegevens")
    for line in rows:
        target.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def junk_xlsx() -> bytes:
    """A zip with the names of a workbook but junk inside."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", b"\x00\xff junk")
        archive.writestr("xl/workbook.xml", b"<not-a-workbook")
    return buffer.getvalue()


def dutch(message: object) -> str:
    with translation.override("nl"):
        return str(message)


# (file name, content, part of the Dutch message). Each is refused as a whole.
REFUSED_FILES = {
    "empty file": ("leeg.csv", b"", "leeg"),
    "binary garbage named .csv": ("export.csv", bytes(range(256)) * 8, "komt niet overeen"),
    "zip of junk named .xlsx": ("export.xlsx", junk_xlsx(), "kon niet worden gelezen"),
    "workbook with the data on the second sheet": (
        "export.xlsx",
        xlsx([HEADER, row(1)], first_sheet_empty=True),
        "geen kopregel",
    ),
    "workbook with other columns": (
        "export.xlsx",
        xlsx([["Naam", "Leeftijd"], ["Jan", 40]]),
        "&#x27;Naam&#x27;, &#x27;Leeftijd&#x27;",
    ),
    "CSV with another delimiter": ("export.csv", csv_bytes([row(1)], delimiter="|"), "kolommen die Koers niet kent"),
    "CSV without header row": (
        "export.csv",
        csv_bytes([row(2)], header=[str(cell) for cell in row(1)]),
        "geen kopregel",
    ),
    "formula in the header": (
        "export.csv",
        csv_bytes([[*row(1), "x"]], header=[*HEADER, "=cmd|' /C calc'!A0"]),
        "=cmd|&#x27; /C calc&#x27;!A0",
    ),
    "a cell over the CSV reader's limit": (
        "export.csv",
        csv_bytes([row(1, straat="x" * 200_000)]),
        "kon niet worden gelezen",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED_FILES))
def test_a_malformed_file_is_refused_with_a_dutch_message_and_changes_no_client(
    case, upload, existing, municipality
) -> None:
    name, content, message = REFUSED_FILES[case]
    before = snapshot(also_skip=IMPORT_TABLES)
    html = upload(name, content)
    assert message in html, f"{case}: {message!r} not on the page"
    assert_unchanged(before, also_skip=IMPORT_TABLES)
    assert not ImportRejection.objects.exists()


def test_no_header_message_does_not_show_the_bsns_of_the_first_row(upload, existing, municipality) -> None:
    """A file starting with data would otherwise be named back as 'unknown columns', BSN and all."""
    html = upload("export.csv", csv_bytes([row(2)], header=[str(cell) for cell in row(1)]))
    assert bsn(1) not in html
    assert bsn(1) not in ClientImport.objects.get().error_detail


def test_more_rows_than_allowed_refuse_the_whole_file(settings, upload, existing, municipality) -> None:
    settings.KOERS_IMPORT_MAX_ROWS = 2
    before = snapshot(also_skip=IMPORT_TABLES)
    html = upload("export.csv", csv_bytes([row(1), row(2), row(3)]))
    assert "meer dan 2 rijen" in html
    assert_unchanged(before, also_skip=IMPORT_TABLES)


def test_a_file_over_the_size_limit_is_refused_before_it_is_stored(settings, upload, existing) -> None:
    settings.KOERS_IMPORT_MAX_BYTES = 200
    before = snapshot()
    html = upload("export.csv", csv_bytes([row(1), row(2), row(3)]))
    assert "groter dan 200" in html
    assert_unchanged(before)


@pytest.mark.parametrize(
    ("case", "encode"),
    [
        ("UTF-16 with BOM, as Excel's 'Unicode text'", lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le")),
        ("UTF-16 big-endian with BOM", lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be")),
        ("Latin-1", lambda text: text.encode("latin-1")),
        ("UTF-8 with BOM", lambda text: text.encode("utf-8-sig")),
    ],
)
def test_other_encodings_are_read_with_their_accents(case, encode, upload, municipality, role_users) -> None:
    city = "Ĳsselmonde" if "UTF" in case else "Sint-Oedenrode"
    text = csv_bytes([row(5, voornaam="Zoë", woonplaats=city)], delimiter="\t").decode("utf-8-sig")
    upload("export.csv", encode(text))
    client = Client.objects.get(bsn=bsn(5))
    assert (client.first_name, client.city) == ("Zoë", city), case


def test_row_problems_reject_the_row_with_the_reason_in_the_report(upload, existing, municipality) -> None:
    """Duplicate BSN, a formula, a value far too long, a broken BSN: each row is reported, no client touched."""
    rows = [
        row(1, voornaam="=cmd|' /C calc'!A0"),
        row(2, achternaam="@SUM(1+1)*cmd|' /C calc'!A0"),
        row(3, straat="x" * 10_000),
        row(4, bsn="12345678A"),
        row(5),
        row(5, voornaam="Tweede"),
    ]
    before = snapshot(also_skip=("imports_", "clients_client"))
    html = upload("export.csv", csv_bytes(rows))
    rejected = {r.row_number: r.code for r in ImportRejection.objects.all()}
    assert rejected == {
        2: RejectionReason.FORMULA,
        3: RejectionReason.FORMULA,
        4: RejectionReason.TOO_LONG,
        5: RejectionReason.BSN_FORMAT,
        7: RejectionReason.BSN_DUPLICATE,
    }
    for code in set(rejected.values()):
        assert dutch(RejectionReason(code).label).split("%")[0] in html
    existing.refresh_from_db()
    assert existing.first_name == "Ongewijzigd"
    assert list(Client.objects.exclude(pk=existing.pk).values_list("bsn", "first_name")) == [(bsn(5), "Sanne")]
    assert_unchanged(before, also_skip=("imports_", "clients_client"))
