"""The inactivity warning (WCAG 2.2.1): it opens in time, takes focus, and extends or ends the session."""

import re

import pytest
from playwright.sync_api import Page, expect

from koers.accounts.roles import Role
from tests.browser.conftest import LOGIN_HEADING, START_PATH, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def short_session(settings) -> None:
    """An 8-second session that warns after 2 seconds; set before any page loads."""
    settings.SESSION_IDLE_SECONDS = 8
    settings.SESSION_WARNING_SECONDS = 6
    settings.SESSION_COOKIE_AGE = 8


def test_warning_opens_with_focus_and_staying_keeps_the_session(page: Page, make_user, browser_login, axe) -> None:
    browser_login(make_user(Role.CONSULTANT))
    dialog = page.locator("#session-timeout")
    expect(dialog).to_be_visible(timeout=5_000)
    expect(dialog).to_have_attribute("open", "")
    title = page.locator("#session-timeout-title").inner_text().strip()
    assert title
    expect(dialog).to_have_accessible_name(title)
    expect(page.get_by_role("dialog", name=title)).to_be_visible()
    stay = dialog.locator("button[data-action=extend]")
    expect(stay).to_be_focused()
    violations = axe()
    assert violations == [], describe(violations)

    stay.click()
    expect(dialog).to_be_hidden()
    # The server session was extended: the start page still opens, well past the original warning time.
    page.goto(page.url.split(START_PATH)[0] + START_PATH)
    expect(page).to_have_url(re.compile(re.escape(START_PATH) + "$"))
    expect(page.get_by_test_id("caseload-count")).to_be_visible()


def test_ignoring_the_warning_ends_at_the_login_page(page: Page, make_user, browser_login) -> None:
    browser_login(make_user(Role.CONSULTANT))
    expect(page.locator("#session-timeout")).to_be_visible(timeout=5_000)
    expect(page).to_have_url(re.compile(r"/account/inloggen/\?timeout=1$"), timeout=12_000)
    expect(page.get_by_role("heading", level=1)).to_have_text(LOGIN_HEADING)
    notice = page.locator(".koers-form-narrow [role=status]")
    expect(notice).to_be_visible()
    expect(notice).to_have_text(re.compile(r"inactive|niets hebt gedaan"))
    # The session really is gone on the server, not just in the browser.
    page.goto(page.url.split("/account/")[0] + START_PATH)
    expect(page).to_have_url(re.compile(r"/account/inloggen/"))
