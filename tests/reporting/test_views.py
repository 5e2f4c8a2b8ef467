"""The report pages and the export pages: who may open them, what they show, what they log."""

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.reporting import selectors, views
from koers.reporting.models import CostAssumptions, ExportStatus, ReportExport
from koers.reporting.report import SUPPRESSED, Chart, Column, Kind, Period, Report, Section, Table
from tests import factories
from tests import groupwork_factories as gw
from tests.helpers import assert_access_matrix, assert_query_budget

pytestmark = pytest.mark.django_db

REPORT_PAGES = ("reporting:index", "reporting:financier", "reporting:management")
START, END = datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)
PERIOD_QUERY = {"start": "2026-01-01", "end": "2026-06-30"}
PERIOD = Period(START, END)
FINANCIER_BUDGET = 25
MANAGEMENT_BUDGET = 22
WITHHELD_NOTE = "x = withheld: fewer than 5 persons, or a figure from which such a number could be worked out"


def sample_report(kind: str = "financier", period: Period = PERIOD) -> Report:
    """A small report by hand: a count, a percentage, money, a withheld cell and a total."""
    table = Table(
        key="funnel",
        title="Funnel per programme",
        columns=[
            Column("programme", "Programme", Kind.TEXT),
            Column("referred", "Referred", Kind.COUNT),
            Column("attendance", "Attendance", Kind.PERCENT),
            Column("cost", "Cost per participant", Kind.MONEY),
        ],
        rows=[
            ["Sollicitatietraining", 1234, 0.875, Decimal("312.5")],
            ["Werkfit", SUPPRESSED, SUPPRESSED, None],
        ],
        total=["Total", SUPPRESSED, 0.8, Decimal("400")],
        note="Referred in the period.",
    )
    chart = Chart(
        title="Referred per programme", svg='<svg role="img" data-testid="sample-chart"><title>t</title></svg>'
    )
    section = Section(key="funnel", title="From referral to completion", intro="How clients moved.", tables=[table])
    section.charts.append(chart)
    return Report(
        kind=kind,
        title="Financier report" if kind == "financier" else "Management report",
        subtitle="Lekkerwaard, 1-1-2026 to 30-6-2026",
        organisation="Werkbedrijf Test",
        period=period,
        generated_at=timezone.now(),
        sections=[section],
        assumptions=[("Trainer hourly rate", "€ 78,00")],
    )


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    """The report functions answer the sample report; each call is kept (kind, arguments)."""
    calls: list[tuple[str, dict[str, Any]]] = []

    def financier(organisation_id: int, municipality: Any, period: Period, progress: Any = None) -> Report:
        calls.append(
            ("financier", {"organisation_id": organisation_id, "municipality": municipality, "period": period})
        )
        return sample_report("financier", period)

    def management(organisation_id: int, period: Period, progress: Any = None) -> Report:
        calls.append(("management", {"organisation_id": organisation_id, "period": period}))
        return sample_report("management", period)

    for module in (views, selectors):
        monkeypatch.setattr(module, "financier_report", financier)
        monkeypatch.setattr(module, "management_report", management)
    return calls


@pytest.fixture
def policy(make_user):
    return make_user(Role.POLICY)


def financier_url(municipality, **query: str) -> str:
    params = {"municipality": str(municipality.pk), **PERIOD_QUERY, **query}
    return reverse("reporting:financier") + "?" + "&".join(f"{key}={value}" for key, value in params.items())


def make_export(user, **fields: Any) -> ReportExport:
    values = {
        "organisation": user.organisation,
        "requested_by": user,
        "kind": "management",
        "export_format": "csv",
        "parameters": {**PERIOD_QUERY, "language": "nl"},
        "title": "Management report, 01-01-2026 to 30-06-2026",
        **fields,
    }
    return ReportExport.objects.create(**values)


@pytest.mark.parametrize("name", REPORT_PAGES)
def test_only_team_managers_and_policy_staff_open_the_report_pages(name, role_users, login, built) -> None:
    expected = {role: 200 if role in (Role.TEAM_MANAGER, Role.POLICY) else 403 for role in Role.values}
    assert_access_matrix(reverse(name), expected, role_users, login)


def test_the_form_starts_with_this_year_to_date_and_shows_no_report_yet(policy, login, built) -> None:
    response = login(policy).get(reverse("reporting:financier"))
    today = timezone.localdate()
    html = response.content.decode()
    assert f'value="{today.year}-01-01"' in html
    assert f'value="{today:%Y-%m-%d}"' in html
    assert 'data-testid="report"' not in html
    assert built == []
    assert not AuditEvent.objects.filter(action=Action.READ).exists()


def test_the_financier_report_shows_the_figures_formatted_and_explains_withheld_ones(
    policy, municipality, english, built
) -> None:
    response = english(policy).get(financier_url(municipality))
    html = response.content.decode()
    assert built == [
        (
            "financier",
            {"organisation_id": policy.organisation_id, "municipality": municipality, "period": Period(START, END)},
        )
    ]
    assert '<caption class="utrecht-table__caption" id="table-funnel-funnel">Funnel per programme</caption>' in html
    assert 'role="region" tabindex="0" aria-labelledby="table-funnel-funnel"' in html
    assert '<th scope="row" class="utrecht-table__header-cell">Sollicitatietraining</th>' in html
    assert re.search(r'numeric-column[^"]*" data-column="referred">1,234</td>', html)
    assert 'data-column="attendance">87.5%</td>' in html
    assert 'data-column="cost">€312.50</td>' in html
    assert 'data-column="cost">–</td>' in html
    assert html.count(f'<abbr title="{WITHHELD_NOTE}">x</abbr>') == 3  # Werkfit's two cells and the total
    assert f'id="suppression-note" data-testid="suppression-note">{WITHHELD_NOTE}</p>' in html
    assert 'data-table="funnel" aria-describedby="suppression-note"' in html
    assert 'data-testid="sample-chart"' in html  # the chart's markup as it is, not escaped
    assert "<dt>Trainer hourly rate</dt><dd>€ 78,00</dd>" in html
    assert '<h2 class="utrecht-heading-2" id="section-funnel">From referral to completion</h2>' in html


def test_viewing_a_report_is_logged_with_report_municipality_and_period(policy, municipality, login, built) -> None:
    login(policy).get(financier_url(municipality))
    event = AuditEvent.objects.get(action=Action.READ)
    assert (event.actor, event.client_id, event.object_type, event.object_id) == (
        policy,
        None,
        "accounts.municipality",
        str(municipality.pk),
    )
    assert event.reason == "report viewed: financier, municipality Lekkerwaard, 2026-01-01 to 2026-06-30"


def test_the_management_report_is_logged_against_the_organisation(policy, login, built) -> None:
    response = login(policy).get(reverse("reporting:management") + "?start=2026-01-01&end=2026-06-30")
    assert 'data-testid="report"' in response.content.decode()
    assert built == [("management", {"organisation_id": policy.organisation_id, "period": Period(START, END)})]
    event = AuditEvent.objects.get(action=Action.READ)
    assert (event.object_type, event.object_id) == ("accounts.organisation", str(policy.organisation_id))
    assert event.reason == "report viewed: management, 2026-01-01 to 2026-06-30"


def test_a_municipality_of_another_organisation_is_not_found(policy, login, built) -> None:
    elsewhere = factories.MunicipalityFactory(organisation=factories.OrganisationFactory(name="Elders"))
    assert login(policy).get(financier_url(elsewhere)).status_code == 404
    assert built == []


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-06-30", "2026-01-01", "The end of the period lies before its start."),
        ("2020-01-01", "2025-01-01", "A report covers at most 5 years. Choose an end no later than 31-12-2024."),
    ],
)
def test_a_wrong_period_is_explained_and_the_input_kept(
    start, end, message, policy, municipality, english, built
) -> None:
    response = english(policy).get(financier_url(municipality, start=start, end=end))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert f'value="{start}"' in html
    assert f'value="{end}"' in html
    assert built == []
    assert not AuditEvent.objects.filter(action=Action.READ).exists()


def test_five_years_to_the_day_is_allowed(policy, municipality, login, built) -> None:
    login(policy).get(financier_url(municipality, start="2020-01-01", end="2024-12-31"))
    assert built[0][1]["period"] == Period(datetime.date(2020, 1, 1), datetime.date(2024, 12, 31))


@pytest.mark.parametrize(("start", "end"), [("9999-01-01", "9999-12-31"), ("9995-03-01", "9999-12-31")])
def test_a_period_at_the_end_of_the_calendar_is_a_report_not_a_server_error(start, end, policy, login, built) -> None:
    response = login(policy).get(reverse("reporting:management") + f"?start={start}&end={end}")
    assert response.status_code == 200
    assert built == [
        (
            "management",
            {
                "organisation_id": policy.organisation_id,
                "period": Period(datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)),
            },
        )
    ]


def test_an_export_older_than_seven_days_is_no_longer_downloaded(policy, login) -> None:
    export = make_export(policy, status=ExportStatus.DONE, content=b"a;b\r\n", filename="r.csv", size=5)
    ReportExport.objects.filter(pk=export.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    assert login(policy).get(reverse("reporting:export_download", args=[export.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_the_report_page_offers_the_three_export_formats_with_its_own_fields(
    policy, municipality, login, built
) -> None:
    html = login(policy).get(financier_url(municipality)).content.decode()
    form = html[
        html.index('data-testid="export-form"') : html.index("</form>", html.index('data-testid="export-form"'))
    ]
    for name, value in [("kind", "financier"), ("municipality", municipality.pk), *PERIOD_QUERY.items()]:
        assert f'name="{name}" value="{value}"' in form
    assert re.findall(r'name="export_format" value="(\w+)"', form) == ["xlsx", "csv", "pdf"]


def test_the_index_lists_only_my_exports_of_the_last_seven_days(policy, make_user, login, built) -> None:
    mine = make_export(policy, title="Mine")
    old = make_export(policy, title="Old")
    ReportExport.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    make_export(make_user(Role.POLICY), title="Someone else's")
    html = login(policy).get(reverse("reporting:index")).content.decode()
    assert re.findall(r'href="/verantwoording/exports/\d+/">([^<]+)</a>', html) == ["Mine"]
    assert f'href="{reverse("reporting:export_status", args=[mine.pk])}"' in html


def test_only_the_requester_sees_or_downloads_an_export(policy, role_users, login) -> None:
    export = make_export(policy, status=ExportStatus.DONE, content=b"a;b\r\n", filename="r.csv", size=5)
    for name in ("reporting:export_status", "reporting:export_download"):
        expected = {role: 403 for role in Role.values} | {Role.TEAM_MANAGER: 404, Role.POLICY: 404}
        assert_access_matrix(reverse(name, args=[export.pk]), expected, role_users, login)
        assert login(policy).get(reverse(name, args=[export.pk])).status_code == 200


def test_the_download_is_an_uncached_attachment_and_logged(policy, login) -> None:
    export = make_export(
        policy,
        status=ExportStatus.DONE,
        content=b"\xef\xbb\xbfsection;table\r\n",
        filename="management-report.csv",
        content_type="text/csv; charset=utf-8",
        size=19,
    )
    http = login(policy)
    for _time in range(2):
        response = http.get(reverse("reporting:export_download", args=[export.pk]))
    assert response.content == b"\xef\xbb\xbfsection;table\r\n"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="management-report.csv"'
    assert "no-store" in response["Cache-Control"]
    events = AuditEvent.objects.filter(action=Action.EXPORT, object_type="reporting.reportexport")
    assert [event.reason for event in events] == [
        "report export downloaded: management (csv), 2026-01-01 to 2026-06-30"
    ] * 2


def test_an_unfinished_export_has_nothing_to_download(policy, login) -> None:
    export = make_export(policy, status=ExportStatus.RUNNING)
    assert login(policy).get(reverse("reporting:export_download", args=[export.pk])).status_code == 404


def test_a_running_export_is_polled_and_shows_its_step(policy, english) -> None:
    export = make_export(policy, status=ExportStatus.RUNNING, steps_done=3, steps_total=4, step_label="Attendance")
    http = english(policy)
    page = http.get(reverse("reporting:export_status", args=[export.pk])).content.decode()
    assert '<progress class="koers-export-progress" max="100" value="75"' in page
    assert "75% done: Attendance" in page
    assert 'aria-live="polite" id="export-announcement"' in page
    assert 'hx-trigger="every 1s"' in page
    fragment = http.get(reverse("reporting:export_status", args=[export.pk]), headers={"HX-Request": "true"})
    body = fragment.content.decode()
    assert body.startswith('<div id="export-progress"')
    assert "<html" not in body
    assert 'hx-trigger="every 1s"' in body
    assert "hx-swap-oob" not in body  # the same step as announced already: nothing new to say


def test_polling_stops_when_the_export_is_done_and_announces_it(policy, english) -> None:
    export = make_export(policy, status=ExportStatus.DONE, content=b"x", filename="m.csv", size=1)
    url = reverse("reporting:export_status", args=[export.pk]) + "?gezien=running-3-False"
    body = english(policy).get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in body
    assert f'href="{reverse("reporting:export_download", args=[export.pk])}"' in body
    assert '<span id="export-announcement" hx-swap-oob="innerHTML">The export is ready.</span>' in body


def test_a_failed_export_says_so_and_offers_to_try_again(policy, english) -> None:
    export = make_export(policy, status=ExportStatus.FAILED, error="The export could not be made because of an error.")
    html = english(policy).get(reverse("reporting:export_status", args=[export.pk])).content.decode()
    assert "The export could not be made." in html
    assert "because of an error." in html
    assert "hx-trigger" not in html
    retry = html[html.index('action="/verantwoording/exporteren/"') : html.index('data-testid="export-retry"')]
    for name, value in [("kind", "management"), ("export_format", "csv"), *PERIOD_QUERY.items()]:
        assert f'name="{name}" value="{value}"' in retry
    assert "language" not in retry


def test_an_export_whose_heartbeat_stopped_is_shown_as_interrupted(policy, english) -> None:
    export = make_export(policy, status=ExportStatus.RUNNING, steps_done=1, steps_total=4)
    silent = timezone.now() - selectors.INTERRUPTED_AFTER - datetime.timedelta(seconds=5)
    ReportExport.objects.filter(pk=export.pk).update(updated_at=silent)
    http = english(policy)
    html = http.get(reverse("reporting:export_status", args=[export.pk])).content.decode()
    assert 'data-status="interrupted"' in html
    assert "The export stopped before it was finished" in html
    assert 'data-testid="export-retry"' in html
    assert "hx-trigger" not in html
    index = http.get(reverse("reporting:index")).content.decode()
    assert re.search(r'data-testid="export-status">Interrupted', index)


def test_a_recent_heartbeat_is_still_running(policy, english) -> None:
    export = make_export(policy, status=ExportStatus.RUNNING)
    html = english(policy).get(reverse("reporting:export_status", args=[export.pk])).content.decode()
    assert 'data-status="running"' in html


def test_export_accepts_only_post(policy, login) -> None:
    assert login(policy).get(reverse("reporting:export")).status_code == 405


def test_exporting_another_organisations_municipality_is_not_found(policy, login) -> None:
    elsewhere = factories.MunicipalityFactory(organisation=factories.OrganisationFactory(name="Elders"))
    data = {"kind": "financier", "export_format": "csv", "municipality": elsewhere.pk, **PERIOD_QUERY}
    assert login(policy).post(reverse("reporting:export"), data).status_code == 404
    assert not ReportExport.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "nonsense", "export_format": "csv", **PERIOD_QUERY},
        {"kind": "management", "export_format": "docx", **PERIOD_QUERY},
        {"kind": "management", "export_format": "csv", "start": "2026-06-30", "end": "2026-01-01"},
    ],
)
def test_a_tampered_export_request_is_refused(data, policy, login) -> None:
    assert login(policy).post(reverse("reporting:export"), data).status_code == 400
    assert not ReportExport.objects.exists()


def grow_group_work(municipality, consultant) -> None:
    """Two programmes, each with a run under way: six placed clients of the municipality, present at a session."""
    today = timezone.localdate()
    for _programme in range(2):
        programme = factories.ProgrammeFactory(organisation=municipality.organisation)
        run = factories.GroupRunFactory(programme=programme, start_date=today - datetime.timedelta(days=20))
        session = gw.SessionFactory(group_run=run, date=today - datetime.timedelta(days=20))
        for _client in range(6):
            client = factories.ClientFactory(
                organisation=municipality.organisation, municipality=municipality, consultant=consultant
            )
            referral = gw.ReferralFactory(
                client=client,
                programme=programme,
                status="placed",
                group_run=run,
                referred_on=today - datetime.timedelta(days=40),
            )
            participation = factories.ParticipationFactory(
                group_run=run, client=client, referral=referral, joined_on=today - datetime.timedelta(days=20)
            )
            gw.AttendanceFactory(session=session, participation=participation)


def funnel_cell(html: str, row_label: str, column: str) -> str:
    """One cell of the funnel table, as markup."""
    table = re.search(r'data-table="funnel".*?</table>', html, re.S)
    assert table
    row = re.search(rf'<th scope="row" class="utrecht-table__header-cell">{row_label}</th>(.*?)</tr>', table[0], re.S)
    assert row, row_label
    cell = re.search(rf'data-column="{column}">(.*?)</td>', row[1])
    assert cell, column
    return cell[1]


def test_a_small_count_and_its_complement_both_read_x_and_neither_shows_its_number(
    policy, municipality, consultant, english, period_query
) -> None:
    referred_on = timezone.localdate() - datetime.timedelta(days=40)
    for name, clients in (("Budgetcursus", 3), ("Werkfit", 12)):
        programme = factories.ProgrammeFactory(organisation=municipality.organisation, name=name)
        for _client in range(clients):
            client = factories.ClientFactory(
                organisation=municipality.organisation, municipality=municipality, consultant=consultant
            )
            gw.ReferralFactory(client=client, programme=programme, referred_on=referred_on)
    url = f"{reverse('reporting:financier')}?municipality={municipality.pk}&{period_query}"
    html = english(policy).get(url).content.decode()
    withheld = f'<abbr title="{WITHHELD_NOTE}">x</abbr>'
    assert funnel_cell(html, "Budgetcursus", "referred") == withheld  # 3: fewer than 5
    assert funnel_cell(html, "Werkfit", "referred") == withheld  # 12: would give the 3 away beside the total
    assert funnel_cell(html, "Total", "referred") == "15"


@pytest.fixture
def period_query() -> str:
    today = timezone.localdate()
    return f"start={today - datetime.timedelta(days=90):%Y-%m-%d}&end={today:%Y-%m-%d}"


def test_the_financier_page_needs_the_same_queries_however_much_data(
    policy, municipality, consultant, login, period_query
) -> None:
    grow_group_work(municipality, consultant)
    url = f"{reverse('reporting:financier')}?municipality={municipality.pk}&{period_query}"
    assert_query_budget(login(policy), url, FINANCIER_BUDGET, lambda: grow_group_work(municipality, consultant))


def test_the_management_page_needs_the_same_queries_however_much_data(
    policy, municipality, consultant, login, period_query
) -> None:
    grow_group_work(municipality, consultant)
    url = f"{reverse('reporting:management')}?{period_query}"
    assert_query_budget(login(policy), url, MANAGEMENT_BUDGET, lambda: grow_group_work(municipality, consultant))


def test_the_administrator_sets_the_cost_assumptions_once(make_user, login) -> None:
    """Needs "reporting" in koers.accounts.backends.CONFIGURATION_APPS."""
    administrator = make_user(Role.ADMINISTRATOR)
    http = login(administrator)
    assert http.get(reverse("admin:reporting_costassumptions_add")).status_code == 200
    CostAssumptions.objects.create(organisation=administrator.organisation)
    assert http.get(reverse("admin:reporting_costassumptions_add")).status_code == 403
    assert http.get(reverse("admin:reporting_costassumptions_changelist")).status_code == 200
