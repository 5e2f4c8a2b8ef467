"""The research export: policy staff only, pseudonymised, the same figures in CSV and XLSX, and logged."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.measurement.models import Measurement
from koers.measurement.research_export import CLIENT_READ_REASON, COLUMNS, MIN_MUNICIPALITY_CLIENTS
from tests import factories
from tests.helpers import assert_access_matrix, assert_query_budget
from tests.measurement_factories import completed_measurement, small_questionnaire
from tests.trajectory_factories import TrajectoryFactory

pytestmark = pytest.mark.django_db

URL = "/metingen/onderzoeksexport/"
JANUARY = datetime.date(2025, 1, 15)
FEBRUARY = datetime.date(2025, 2, 10)
TRAJECTORY_START = datetime.date(2025, 1, 1)


@pytest.fixture
def version(organisation):
    return small_questionnaire(organisation)


@pytest.fixture
def policy(role_users):
    return role_users[Role.POLICY]


def measured_client(version, municipality, *, dates=(JANUARY, FEBRUARY), efficacy=(2, 4)):
    client = factories.ClientFactory(organisation=municipality.organisation, municipality=municipality)
    trajectory = TrajectoryFactory(client=client, started_on=TRAJECTORY_START)
    for taken_on, value in zip(dates, efficacy, strict=True):
        completed_measurement(trajectory, version, answers={1: value, 2: 6 - value, 3: 3}, taken_on=taken_on)
    return client


def measured_clients(version, municipality, count=MIN_MUNICIPALITY_CLIENTS, **kwargs):
    """Enough clients for the municipality to be named in the export (by default)."""
    return [measured_client(version, municipality, **kwargs) for _ in range(count)]


def download(http, **fields):
    data = {"van": "2025-01-01", "tot": "2025-12-31", "formaat": "csv", **fields}
    response = http.post(URL, data)
    assert response.status_code == 200, response.content[:500]
    return response


def csv_rows(response) -> list[dict[str, str]]:
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte order mark, for Excel"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def xlsx_sheets(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_only_policy_staff_may_export(role_users, login) -> None:
    expected = {role: 403 for role in Role.values} | {Role.POLICY: 200}
    assert_access_matrix(URL, expected, role_users, login)
    post_expected = {role: 403 for role in Role.values if role != Role.POLICY}
    assert_access_matrix(URL, post_expected, role_users, login, method="post")


def test_csv_is_long_format_for_dutch_excel(version, municipality, policy, login) -> None:
    measured_clients(version, municipality)
    response = download(login(policy))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="onderzoeksexport-metingen-')
    assert "no-store" in response["Cache-Control"]
    rows = csv_rows(response)
    assert list(rows[0]) == list(COLUMNS)
    assert len(rows) == 5 * 4  # five clients × two measurements × two scales
    first = rows[0]
    assert first["municipality"] == "Lekkerwaard"
    assert first["measurement_year"] == "2025"
    assert first["weeks_since_trajectory_start"] == "2"  # 14 days
    assert first["row_type"] == "scale"
    assert {row["scale_code"] for row in rows} == {"eigen-effectiviteit", "huisvesting"}
    efficacy = [row["value"] for row in rows if row["scale_code"] == "eigen-effectiviteit"]
    assert sorted(set(efficacy)) == ["2,000", "4,000"], "decimal comma"


def test_no_identifying_data_leaves(version, municipality, policy, login) -> None:
    client = measured_client(version, municipality)
    client.street, client.postal_code, client.city = "Lindelaan 12", "3811AB", "Amersfoort"
    client.save()
    raw = b"".join(download(login(policy), antwoorden="on").streaming_content).decode("utf-8-sig")
    identifying = (client.bsn, client.first_name, client.last_name, client.email, "Lindelaan", "3811AB")
    dates = ("1985-05-17", "17-05-1985", JANUARY.isoformat(), "15-01-2025")  # birth date, exact measurement date
    for secret in (*identifying, *dates):
        assert secret not in raw
    header = raw.splitlines()[0].lower()
    for column in ("bsn", "name", "birth", "address", "client_id"):
        assert column not in header


def test_one_client_one_pseudonym_within_an_export_and_a_new_one_in_the_next(
    version, municipality, policy, login
) -> None:
    first_client = measured_client(version, municipality)
    measured_client(version, municipality)
    http = login(policy)
    rows = csv_rows(download(http))
    pseudonyms = [row["pseudonym"] for row in rows]
    assert len(set(pseudonyms)) == 2
    assert all(pseudonyms.count(p) == 4 for p in set(pseudonyms))
    assert all(len(p) == 16 and str(first_client.pk) != p for p in pseudonyms)
    trajectories = {row["pseudonym"]: row["trajectory"] for row in rows}
    assert {(row["pseudonym"], row["trajectory"]) for row in rows} == set(trajectories.items())
    again = csv_rows(download(http))
    assert not {row["pseudonym"] for row in again} & set(pseudonyms)
    assert not {row["trajectory"] for row in again} & set(trajectories.values())


def test_period_and_municipality_filter(version, municipality, organisation, policy, login) -> None:
    measured_clients(version, municipality)
    elsewhere = factories.MunicipalityFactory(organisation=organisation, name="Eemdal")
    measured_clients(version, elsewhere, dates=(FEBRUARY,), efficacy=(3,))
    http = login(policy)
    february = csv_rows(download(http, van="2025-02-01", tot="2025-02-28"))
    assert {row["weeks_since_trajectory_start"] for row in february} == {"5"}  # 40 days: February only
    assert len(february) == 2 * 5 * 2
    eemdal = csv_rows(download(http, gemeente=str(elsewhere.pk)))
    assert {row["municipality"] for row in eemdal} == {"Eemdal"}
    assert len(eemdal) == 5 * 2


def test_only_completed_measurements_of_the_own_organisation(version, municipality, policy, login) -> None:
    client, *_others = measured_clients(version, municipality)
    Measurement.objects.filter(trajectory__client=client, taken_on=FEBRUARY).update(status="cancelled")
    foreign = factories.OrganisationFactory(name="Ander Werkbedrijf")
    measured_clients(small_questionnaire(foreign), factories.MunicipalityFactory(organisation=foreign))
    rows = csv_rows(download(login(policy)))
    assert len(rows) == 5 * 4 - 2
    assert {row["municipality"] for row in rows} == {"Lekkerwaard"}


def test_item_answers_are_added_as_rows_when_asked(version, municipality, policy, login) -> None:
    measured_client(version, municipality, dates=(JANUARY,), efficacy=(4,))
    rows = csv_rows(download(login(policy), antwoorden="on"))
    items = [row for row in rows if row["row_type"] == "item"]
    assert [(row["item"], row["value"]) for row in items] == [("1", "4"), ("2", "2"), ("3", "3")]
    assert {row["measurement"] for row in rows} == {"1"}


def test_xlsx_holds_the_same_figures_as_the_csv(version, municipality, policy, login) -> None:
    measured_client(version, municipality)
    measured_client(version, municipality, efficacy=(3, 5))
    http = login(policy)
    from_csv = csv_rows(download(http, antwoorden="on"))
    response = download(http, formaat="xlsx", antwoorden="on")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="onderzoeksexport-metingen-' in response["Content-Disposition"]
    workbook = xlsx_sheets(response)
    data, explanation = workbook.worksheets
    header = [cell.value for cell in data[1]]
    assert header == list(COLUMNS)
    assert all(cell.font.bold for cell in data[1])
    value = header.index("value")
    from_xlsx = [[cell.value for cell in row] for row in data.iter_rows(min_row=2)]
    assert len(from_xlsx) == len(from_csv)

    def figures(rows_csv, rows_xlsx):
        for row_csv, row_xlsx in zip(rows_csv, rows_xlsx, strict=True):
            yield (
                (
                    row_csv["scale_code"],
                    row_csv["measurement_year"],
                    Decimal(row_csv["value"].replace(",", ".")),
                ),
                (
                    row_xlsx[header.index("scale_code")],
                    str(row_xlsx[header.index("measurement_year")]),
                    row_xlsx[value],
                ),
            )

    for expected, got in figures(from_csv, from_xlsx):
        assert (expected[0], expected[1]) == (got[0], got[1])
        assert Decimal(str(got[2])) == expected[2]
    score_cells = [row[value] for row in data.iter_rows(min_row=2) if row[header.index("row_type")].value == "scale"]
    assert score_cells
    assert all(cell.number_format == "0.000" for cell in score_cells)
    described = [row[0].value for row in explanation.iter_rows(min_row=2)]
    assert set(COLUMNS) <= set(described)
    assert any("HMAC-SHA256" in str(row[0].value) for row in explanation.iter_rows())


def test_an_export_is_logged_with_its_row_count_and_a_read_per_client(version, municipality, policy, login) -> None:
    clients = [measured_client(version, municipality) for _ in range(3)]
    download(login(policy))
    export = AuditEvent.objects.get(action=Action.EXPORT, actor=policy)
    assert export.reason == "research export (pseudonymised): 12 rows"
    reads = AuditEvent.objects.filter(action=Action.READ, actor=policy, reason=CLIENT_READ_REASON)
    assert set(reads.values_list("client_id", flat=True)) == {client.pk for client in clients}
    assert reads.count() == len(clients)


def test_an_invalid_period_shows_the_form_again(policy, english) -> None:
    response = english(policy).post(URL, {"van": "2025-03-01", "tot": "2025-01-01", "formaat": "csv"})
    assert response.status_code == 200
    assert "The start of the period lies after its end." in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_a_municipality_of_another_organisation_cannot_be_chosen(policy, login) -> None:
    foreign = factories.MunicipalityFactory(organisation=factories.OrganisationFactory(name="Ander Werkbedrijf"))
    response = login(policy).post(
        URL, {"van": "2025-01-01", "tot": "2025-12-31", "formaat": "csv", "gemeente": foreign.pk}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_the_form_page_query_budget(policy, login, organisation) -> None:
    assert_query_budget(
        login(policy), URL, 9, lambda: [factories.MunicipalityFactory(organisation=organisation) for _ in range(3)]
    )


def test_the_export_streams_in_a_fixed_number_of_queries(version, municipality, policy, login) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    measured_client(version, municipality)
    http = login(policy)
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            b"".join(download(http, antwoorden="on").streaming_content)
        counts.append(len(queries))
        for _ in range(3):
            measured_client(version, municipality)
    assert counts[0] == counts[1]


# Re-identification (issue 6, security review F2): no exact day or month, no small municipality by name.


def test_no_column_gives_the_day_or_the_month(version, municipality, policy, login) -> None:
    """Days since the start plus the month let a reader find the start day: two measurements a day apart across a
    month boundary. Whole weeks and the year do not."""
    measured_clients(version, municipality, dates=(datetime.date(2025, 1, 31), datetime.date(2025, 2, 1)))
    rows = csv_rows(download(login(policy)))
    for column in COLUMNS:
        assert "day" not in column
        assert "month" not in column
    assert {row["measurement_year"] for row in rows} == {"2025"}
    assert {row["weeks_since_trajectory_start"] for row in rows} == {"4"}  # days 30 and 31
    raw = ";".join(value for row in rows for value in row.values())
    for shown in ("2025-01", "2025-02", "30", "31"):
        assert shown not in raw.split(";")


def test_a_municipality_with_fewer_than_five_clients_is_merged(version, municipality, organisation, policy, english):
    measured_clients(version, municipality)
    small = factories.MunicipalityFactory(organisation=organisation, name="Eemdal")
    smaller = factories.MunicipalityFactory(organisation=organisation, name="Zuidoever")
    measured_clients(version, small, count=MIN_MUNICIPALITY_CLIENTS - 1)
    measured_client(version, smaller)
    http = english(policy)
    rows = csv_rows(download(http))
    other = "other municipalities (fewer than 5 clients each)"
    assert {row["municipality"] for row in rows} == {"Lekkerwaard", other}
    assert sum(row["municipality"] == other for row in rows) == 5 * 4
    workbook = xlsx_sheets(download(http, formaat="xlsx"))
    data, explanation = workbook.worksheets
    assert "Eemdal" not in {cell.value for row in data.iter_rows() for cell in row}
    assert any(other in str(row[1].value) for row in explanation.iter_rows() if row[0].value == "municipality")


def test_exporting_one_municipality_with_fewer_than_five_clients_is_refused(
    version, municipality, organisation, policy, english
) -> None:
    small = factories.MunicipalityFactory(organisation=organisation, name="Eemdal")
    measured_clients(version, small, count=MIN_MUNICIPALITY_CLIENTS - 1)
    measured_client(version, small, dates=(datetime.date(2025, 6, 2),), efficacy=(3,))
    http = english(policy)
    response = http.post(URL, {"van": "2025-01-01", "tot": "2025-03-31", "formaat": "csv", "gemeente": small.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Fewer than 5 clients of Eemdal have measurements in this period" in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
    whole_year = csv_rows(download(http, gemeente=str(small.pk)))  # the fifth client measured in June
    assert {row["municipality"] for row in whole_year} == {"Eemdal"}


def test_the_logged_row_count_matches_the_file(version, municipality, organisation, policy, login) -> None:
    measured_clients(version, municipality)
    elsewhere = factories.MunicipalityFactory(organisation=organisation, name="Eemdal")
    measured_clients(version, elsewhere, dates=(FEBRUARY,), efficacy=(3,))
    rows = csv_rows(
        download(login(policy), van="2025-02-01", tot="2025-02-28", gemeente=str(municipality.pk), antwoorden="on")
    )
    export = AuditEvent.objects.get(action=Action.EXPORT, actor=policy)
    assert len(rows) == 5 * (2 + 3)  # February only, Lekkerwaard only: two scales and three items
    assert export.reason == f"research export (pseudonymised): {len(rows)} rows"
