"""Proof that the axe check finds a real problem, so a green run means something."""

import pytest
from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_axe_reports_a_missing_label(page: Page, live_server, axe) -> None:
    page.goto(live_server.url + "/account/inloggen/")
    # test_login_page_is_accessible shows this page is clean; without its label the username field is not.
    page.evaluate("document.querySelector('label[for=id_username]').remove()")
    violations = {v["id"]: v for v in axe()}
    assert "label" in violations, list(violations)
    assert ["#id_username"] in [node["target"] for node in violations["label"]["nodes"]]
