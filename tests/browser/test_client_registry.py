"""A consultant registers a client in the browser, sees the errors of a wrong BSN, and lands on the dossier."""

import re

import pytest
from playwright.sync_api import expect

from koers.accounts.roles import Role
from koers.clients.models import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_a_client_with_needs_and_availability(
    live_server, page, browser_login, make_user, municipality, axe
) -> None:
    consultant = make_user(Role.CONSULTANT)
    browser_login(consultant)
    page.goto(f"{live_server.url}/clienten/")
    page.get_by_role("link", name=re.compile("Cliënt registreren|Register a client")).click()
    assert axe() == []
    page.locator("#id_bsn").fill("123456780")
    page.locator("#id_first_name").fill("Noor")
    page.locator("#id_last_name").fill("Bakker")
    page.locator("#id_municipality").select_option(str(municipality.pk))
    page.locator("main button[type=submit]").click()
    expect(page.locator("#id_bsn_error")).to_contain_text("elfproef")
    expect(page.locator("#id_bsn")).to_have_attribute("aria-invalid", "true")
    assert axe() == []
    page.locator("#id_bsn").fill("111222333")
    page.get_by_label(re.compile("maandag ochtend")).check()
    page.get_by_label(re.compile("Beperkte taalvaardigheid")).check()
    page.locator("main button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Noor Bakker")
    expect(page.locator("main")).to_contain_text("maandag ochtend")
    expect(page.locator("main")).to_contain_text("Beperkte taalvaardigheid")
    assert axe() == []
    client = Client.objects.get(bsn="111222333")
    assert client.availability == ["mon_morning"]
