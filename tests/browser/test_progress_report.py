"""A consultant writes a progress report in the browser, sees it in the history, downloads the PDF and opens the
case discussion; axe finds nothing on the way."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from koers.accounts.roles import Role
from koers.trajectories.models import IgmFactor, InstrumentStatus, ProgressReport, ProgressReportFacet
from tests import factories
from tests.browser.conftest import describe
from tests.trajectory_factories import (
    GoalFactory,
    IgmProfileFactory,
    InstrumentFactory,
    LifeDomainAssessmentFactory,
    ProgressReportFactory,
    TrajectoryFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = datetime.timedelta(days=1)


def follow(page: Page, href: str) -> None:
    with page.expect_navigation():
        page.locator(f"main a[href='{href}']").first.click()


def test_consultant_writes_a_progress_report_and_prints_it(
    live_server, page, browser_login, make_user, municipality, axe
) -> None:
    today = timezone.localdate()
    consultant = make_user(Role.CONSULTANT)
    client = factories.ClientFactory(
        organisation=municipality.organisation,
        municipality=municipality,
        consultant=consultant,
        first_name="Noor",
        last_name="Bakker",
    )
    trajectory = TrajectoryFactory(client=client, started_on=today - 200 * DAY, created_by=consultant)
    intake = LifeDomainAssessmentFactory(
        trajectory=trajectory, assessed_on=today - 190 * DAY, assessed_by=consultant, scores={"housing": 1}
    )
    LifeDomainAssessmentFactory(
        trajectory=trajectory, assessed_on=today - 7 * DAY, assessed_by=consultant, scores={"housing": 3}
    )
    IgmProfileFactory(trajectory=trajectory, assessed_by=consultant, factors={"self_efficacy": 2})
    goal = GoalFactory(trajectory=trajectory, text="Ik wil in de zorg werken")
    InstrumentFactory(trajectory=trajectory, goal=goal, review_on=today - 2 * DAY, status=InstrumentStatus.ACTIVE)
    previous = ProgressReportFactory(
        trajectory=trajectory,
        author=consultant,
        written_on=today - 90 * DAY,
        period_start=today - 200 * DAY,
        period_end=today - 91 * DAY,
        life_domain_assessment=intake,
        summary="Eerste periode: wonen is onrustig.",
    )
    ProgressReportFacet.objects.bulk_create(
        ProgressReportFacet(report=previous, factor=factor, changed="Nog niets veranderd.", next_steps="Afwachten.")
        for factor in IgmFactor.values
    )
    history = f"/trajecten/{trajectory.pk}/rapportages/"
    browser_login(consultant)

    page.goto(live_server.url + history)
    expect(page.locator("[data-testid=report-history] tbody tr")).to_have_count(1)
    assert describe(axe()) == []

    follow(page, f"{history}nieuw/")
    expect(page.locator("#id_self_efficacy_changed")).to_have_value("Nog niets veranderd.")
    expect(page.locator("#id_period_start")).to_have_value((today - 90 * DAY).isoformat())
    expect(page.locator("[data-testid=domain-changes] tr[data-domain=housing]")).to_contain_text("3")
    assert describe(axe()) == []
    page.locator("#id_summary").fill("Wonen is rustig; ze belt nu zelf werkgevers.")
    page.locator("#id_self_efficacy_changed").fill("Durft zelf werkgevers te bellen.")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(re.escape(history) + "$"))
    rows = page.locator("[data-testid=report-history] tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("ze belt nu zelf werkgevers")
    assert describe(axe()) == []
    report = ProgressReport.objects.exclude(pk=previous.pk).get()
    assert report.facets.get(factor="self_efficacy").changed == "Durft zelf werkgevers te bellen."
    assert report.facets.get(factor="attitude").changed == "Nog niets veranderd."

    with page.expect_download() as download_info:
        rows.first.locator(f"a[href='/rapportages/{report.pk}/pdf/']").click()
    download = download_info.value
    assert re.fullmatch(rf"[a-z-]+-{report.pk}-{today:%Y%m%d}\.pdf", download.suggested_filename)
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    follow(page, f"/rapportages/{report.pk}/")
    expect(page.locator("[data-testid=summary]")).to_contain_text("ze belt nu zelf werkgevers")
    assert describe(axe()) == []

    page.goto(f"{live_server.url}/trajecten/{trajectory.pk}/casuistiek/")
    expect(page.locator("[data-testid=review-overdue]")).to_have_count(1)
    expect(page.locator("[data-testid=last-summary]")).to_contain_text("ze belt nu zelf werkgevers")
    expect(page.locator("[data-testid=life-domain-chart] svg[role=img]")).to_be_visible()
    assert describe(axe()) == []
