"""A consultant opens the caseload, sees a signal as a text badge, filters on it, and the page passes axe."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from koers.accounts.roles import Role
from koers.trajectories.models import InstrumentStatus
from tests import factories
from tests.browser.conftest import describe
from tests.trajectory_factories import InstrumentFactory, TrajectoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_consultant_filters_the_caseload_on_a_signal(
    live_server, page, browser_login, make_user, municipality, axe
) -> None:
    consultant = make_user(Role.CONSULTANT)
    clients = {
        last_name: factories.ClientFactory(
            organisation=municipality.organisation,
            municipality=municipality,
            consultant=consultant,
            last_name=last_name,
        )
        for last_name in ["Aydin", "Bakker", "Claes"]
    }
    trajectory = TrajectoryFactory(client=clients["Bakker"], created_by=consultant)
    InstrumentFactory(
        trajectory=trajectory,
        status=InstrumentStatus.ACTIVE,
        review_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    browser_login(consultant)
    page.goto(f"{live_server.url}/caseload/")
    table = page.locator("[data-testid=caseload-table]")
    expect(table.locator("tbody tr")).to_have_count(3)
    badge = table.locator("[data-signal=evaluatie]")
    expect(badge).to_have_count(1)
    expect(badge).to_have_text(re.compile(r"\w"))
    assert axe() == [], describe(axe())

    page.locator("#id_signaal").select_option("evaluatie")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("Bakker")
    expect(page.locator("#caseload-count [data-count]")).to_have_attribute("data-count", "1")
    expect(page).to_have_url(re.compile(r"signaal=evaluatie"))
    violations = axe()
    assert violations == [], describe(violations)
