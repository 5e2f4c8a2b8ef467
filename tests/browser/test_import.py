"""An administrator uploads a client file, watches the progress to the end and sees the rejected row."""

import re
import threading
import time

import pytest
from django.db import connections
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import expect

from koers.accounts.roles import Role
from koers.clients.models import Client
from koers.imports import services
from tests import factories
from tests.browser.conftest import describe
from tests.imports.files import bsn, csv_bytes, row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def queue(settings) -> None:
    """As in production: the upload is queued in the database until a worker takes it."""
    settings.KOERS_TASK_WORKER = "external"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def work_through_the_queue() -> threading.Thread:
    """``db_worker --batch`` in a thread beside the live server: every queued task, then it ends."""

    def run() -> None:
        try:
            Worker(
                queue_names=["default"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id="browser-test",
                excluded_queue_names=[],
            ).run()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_upload_watch_progress_and_see_the_rejected_row(
    live_server, queue, page, browser_login, make_user, organisation, axe, tmp_path, monkeypatch
) -> None:
    factories.MunicipalityFactory(organisation=organisation, name="Lekkerwaard", cbs_code="GM9901")
    make_user(Role.CONSULTANT, username="j.jansen")
    administrator = make_user(Role.ADMINISTRATOR)
    # One row per batch and a pause in each, so that the page shows the import while it runs.
    monkeypatch.setattr(services, "BATCH_ROWS", 1)
    write_batch = services._write_batch

    def slow_write(job, results):
        time.sleep(0.4)
        return write_batch(job, results)

    monkeypatch.setattr(services, "_write_batch", slow_write)
    upload = tmp_path / "export-uitkeringen.csv"
    upload.write_bytes(csv_bytes([row(1), row(2), row(3, bsn="123456789"), row(4), row(5)]))

    browser_login(administrator)
    page.get_by_role("link", name="Cliënten importeren").click()
    page.get_by_role("link", name="Nieuwe import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe cliëntimport")
    assert (violations := axe()) == [], describe(violations)

    page.locator("#id_file").set_input_files(upload)
    page.get_by_role("button", name="Uploaden en importeren").click()
    expect(page).to_have_url(re.compile(r"/importeren/\d+/$"))
    status = page.get_by_test_id("import-status")
    expect(status).to_have_text("Wacht op start")
    worker = work_through_the_queue()
    expect(status).to_have_text("Bezig")
    expect(page.locator("#import-progress")).to_be_visible()
    expect(status).to_have_text("Klaar", timeout=15_000)
    worker.join(10)
    expect(page.locator("#import-progress-text")).to_have_text("Klaar: 5 rijen verwerkt.")
    expect(page.get_by_test_id("created-count")).to_have_text("4")
    expect(page.get_by_test_id("rejected-count")).to_have_text("1")
    table = page.get_by_test_id("rejection-table")
    expect(table).to_contain_text("*****6789")
    expect(table).to_contain_text("elfproef")
    expect(page.locator("#import-announcement")).to_have_text(re.compile("Klaar"))
    assert (violations := axe()) == [], describe(violations)
    assert Client.objects.filter(bsn__in=[bsn(1), bsn(2), bsn(4), bsn(5)]).count() == 4
