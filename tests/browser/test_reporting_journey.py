"""Issue 7's journey in a real browser: the policy officer opens the financier report of one municipality, exports it
as XLSX and as PDF and downloads both; the XLSX holds the figure the page shows. axe checks the report page and the
progress page, also while an export is still running and the page polls for its progress.

Exports are made inline (tests run tasks immediately, and this test's requests commit), so the progress page opens
with the export done; the running export is written directly, then finished, and the page follows by itself.
"""

import datetime
import io
from typing import Any

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from koers.accounts.roles import Role
from koers.reporting.models import ExportStatus, ReportExport
from tests.browser.conftest import describe
from tests.reporting.test_views import grow_group_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def checked_by_axe(axe: Any, where: str) -> None:
    assert describe(axe()) == [], where


def click_and_wait(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def download(page: Page) -> bytes:
    with page.expect_download() as download_info:
        page.locator("[data-testid=export-download]").click()
    with open(download_info.value.path(), "rb") as file:
        return file.read()


def workbook_total(content: bytes, caption: str, row_label: str, column_label: str) -> Any:
    """The cell of the workbook's table titled ``caption``: the row ``row_label``, the column ``column_label``."""
    for sheet in openpyxl.load_workbook(io.BytesIO(content)).worksheets:
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        for index, row in enumerate(rows):
            if row and row[0] == caption:
                header = rows[index + 1]
                body = rows[index + 2 :]
                found = next(line for line in body if line[0] == row_label)
                return found[header.index(column_label)]
    raise AssertionError(f"no table {caption!r} in the workbook")


def test_policy_officer_reads_and_exports_the_financier_report(
    live_server, page, browser_login, make_user, municipality, consultant, axe
) -> None:
    policy = make_user(Role.POLICY)
    grow_group_work(municipality, consultant)  # twelve clients of Lekkerwaard referred 40 days ago, in two groups
    today = timezone.localdate()

    browser_login(policy)
    page.goto(f"{live_server.url}/verantwoording/")
    checked_by_axe(axe, "report index")
    click_and_wait(page, "main a[href='/verantwoording/financier/']")
    page.locator("#id_municipality").select_option(str(municipality.pk))
    page.locator("#id_start").fill(f"{today - datetime.timedelta(days=90):%Y-%m-%d}")
    page.locator("#id_end").fill(f"{today:%Y-%m-%d}")
    click_and_wait(page, "form[data-testid=report-form] button[type=submit]")
    expect(page.get_by_test_id("report")).to_be_visible()
    checked_by_axe(axe, "financier report")
    funnel = page.locator("table[data-table=funnel]")
    referred_total = funnel.locator("tfoot td[data-column=referred]")
    expect(referred_total).to_have_text("12")
    shown_total = int(referred_total.inner_text())
    caption = funnel.locator("caption").inner_text()
    row_label = funnel.locator("tfoot th").inner_text()
    column_label = funnel.locator("thead th").nth(1).inner_text()
    report_url = page.url

    click_and_wait(page, "form[data-testid=export-form] button[data-format=xlsx]")
    expect(page.get_by_test_id("export-progress")).to_have_attribute("data-status", "done")
    checked_by_axe(axe, "export ready")
    xlsx = download(page)
    assert workbook_total(xlsx, caption, row_label, column_label) == shown_total

    page.goto(report_url)
    click_and_wait(page, "form[data-testid=export-form] button[data-format=pdf]")
    assert download(page).startswith(b"%PDF")
    assert list(ReportExport.objects.values_list("export_format", "status")) == [
        ("pdf", ExportStatus.DONE),
        ("xlsx", ExportStatus.DONE),
    ]

    # An export under way: a progress bar and its step, polled until the file is there.
    running = ReportExport.objects.create(
        organisation=policy.organisation,
        requested_by=policy,
        kind="management",
        export_format="csv",
        parameters={"start": "2026-01-01", "end": "2026-06-30", "language": "nl"},
        title="Management",
        status=ExportStatus.RUNNING,
        steps_done=2,
        steps_total=5,
        step_label="Wachtlijsten",
    )
    page.goto(f"{live_server.url}/verantwoording/exports/{running.pk}/")
    expect(page.locator("progress")).to_have_attribute("value", "40")
    expect(page.locator("#export-progress-text")).to_contain_text("Wachtlijsten")
    checked_by_axe(axe, "export running")
    ReportExport.objects.filter(pk=running.pk).update(
        status=ExportStatus.DONE, steps_done=5, content=b"section;table\r\n", filename="management.csv", size=15
    )
    expect(page.get_by_test_id("export-download")).to_be_visible()
    expect(page.locator("#export-announcement")).not_to_be_empty()
    assert download(page) == b"section;table\r\n"
