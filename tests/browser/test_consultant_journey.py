"""The consultant's whole day in one journey: register a client, diagnose, plan, report, and file the PDF.

Every page on the way must pass axe. Step-level detail lives in the other browser tests; this one proves the pages
link up as a consultant walks through them, from the caseload to the printed report.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from koers.accounts.roles import Role
from koers.clients.models import Client
from koers.trajectories.models import IgmFactor, LifeDomain, ProgressReport
from tests.browser.conftest import describe
from tests.trajectory_factories import InstrumentTypeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page: Page) -> None:
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()


def go(page: Page, href: str, axe) -> None:
    """Follow a link on the page and check the page it opens."""
    with page.expect_navigation():
        page.locator(f"main a[href='{href}']").first.click()
    assert describe(axe()) == [], href


def test_register_diagnose_plan_report_and_print(
    live_server, page, browser_login, make_user, municipality, axe
) -> None:
    consultant = make_user(Role.CONSULTANT)
    coaching = InstrumentTypeFactory(organisation=municipality.organisation, name="Individuele coaching")
    browser_login(consultant)

    page.goto(f"{live_server.url}/caseload/")
    assert describe(axe()) == []
    page.goto(f"{live_server.url}/clienten/")
    go(page, "/clienten/nieuw/", axe)
    page.locator("#id_bsn").fill("111222333")
    page.locator("#id_first_name").fill("Samira")
    page.locator("#id_last_name").fill("El Idrissi")
    page.locator("#id_municipality").select_option(str(municipality.pk))
    submit(page)
    client = Client.objects.get(bsn="111222333")
    expect(page.locator("h1")).to_have_text("Samira El Idrissi")
    assert describe(axe()) == []

    go(page, f"/clienten/{client.pk}/traject/nieuw/", axe)
    page.locator("#id_future_perspective").fill("Werken in een bakkerij, in de ochtend.")
    submit(page)
    trajectory = client.trajectories.get()
    detail = f"/trajecten/{trajectory.pk}/"

    go(page, f"{detail}leefgebieden/nieuw/", axe)
    for domain in LifeDomain.values:
        page.locator(f"#id_{domain}_score").select_option("2" if domain == LifeDomain.FINANCES else "4")
    submit(page)
    go(page, f"{detail}igm/nieuw/", axe)
    page.locator("#id_target_behaviour").fill("Solliciteren bij bakkerijen")
    for factor in IgmFactor.values:
        page.locator(f"#id_{factor}_score").select_option("3")
    submit(page)
    go(page, f"{detail}doelen/nieuw/", axe)
    page.locator("#id_text").fill("Ik heb een proefplaats bij een bakker")
    submit(page)
    goal = trajectory.goals.get()
    go(page, f"{detail}instrumenten/nieuw/?doel={goal.pk}", axe)
    page.locator("#id_instrument_type").select_option(str(coaching.pk))
    page.locator("#id_purpose").fill("Sollicitatiebrief en gesprek oefenen")
    page.locator("#id_expected_result").fill("Twee gesprekken gevoerd")
    page.locator("#id_planned_weeks").fill("6")
    submit(page)
    assert describe(axe()) == []

    go(page, f"{detail}rapportages/nieuw/", axe)
    page.locator("#id_summary").fill("Goede start; de brief is klaar.")
    submit(page)
    report = ProgressReport.objects.get(trajectory=trajectory)
    expect(page.locator("main")).to_contain_text("de brief is klaar")
    assert describe(axe()) == []
    with page.expect_download() as download_info:
        page.locator(f"main a[href='/rapportages/{report.pk}/pdf/']").first.click()
    with open(download_info.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    page.goto(f"{live_server.url}{detail}")
    go(page, f"{detail}casuistiek/", axe)
    expect(page.locator("main")).to_contain_text(re.compile("bakker", re.IGNORECASE))
