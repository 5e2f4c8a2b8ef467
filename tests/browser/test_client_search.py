"""The client list filters while typing (htmx), announces the new count, and keeps the filter in the address."""

import re

import pytest
from playwright.sync_api import expect

from koers.accounts.roles import Role
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_filters_the_list_and_updates_the_count(
    live_server, page, browser_login, make_user, municipality, axe
) -> None:
    consultant = make_user(Role.CONSULTANT)
    for last_name in ["Zwanenburg", "Aydin", "Bakker"]:
        factories.ClientFactory(
            organisation=municipality.organisation,
            municipality=municipality,
            consultant=consultant,
            last_name=last_name,
        )
    browser_login(consultant)
    page.goto(f"{live_server.url}/clienten/")
    expect(page.locator("#client-count")).to_contain_text("3")
    page.locator("#id_q").fill("zwan")
    expect(page.locator("[data-testid=client-table] tbody tr")).to_have_count(1)
    expect(page.locator("[data-testid=client-table]")).to_contain_text("Zwanenburg")
    expect(page.locator("#client-count")).to_contain_text("1")
    expect(page).to_have_url(re.compile(r"q=zwan"))
    assert axe() == []
