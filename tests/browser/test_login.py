"""Logging in through the real pages: password, lockout, enrolling an authenticator app, the code step, demo mode."""

import base64
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    LOGIN_HEADING,
    START_PATH,
    confirmed_device,
    current_code,
    describe,
    device_code,
    submit_code,
    submit_password,
    wait_out_throttle,
    wrong_code,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCKED_HEADING = re.compile(r"Login temporarily blocked|Inloggen tijdelijk geblokkeerd", re.I)


def test_login_page_is_accessible(page: Page, live_server, axe) -> None:
    page.goto(live_server.url + "/account/inloggen/")
    expect(page.get_by_role("heading", level=1)).to_have_text(LOGIN_HEADING)
    violations = axe()
    assert violations == [], describe(violations)


def test_wrong_password_is_announced_and_locks_out(page: Page, live_server, settings, make_user, axe) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    user = make_user("consultant")

    submit_password(page, live_server.url, user.username, "wrong-password-1")
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).not_to_be_empty()
    expect(page.get_by_role("heading", level=1)).to_have_text(LOGIN_HEADING)
    # The username stays filled in, so only the password has to be typed again.
    expect(page.locator("#id_username")).to_have_value(user.username)
    violations = axe()
    assert violations == [], describe(violations)

    submit_password(page, live_server.url, user.username, "wrong-password-2")
    expect(page.get_by_role("alert")).to_be_visible()
    submit_password(page, live_server.url, user.username, "wrong-password-3")
    expect(page.get_by_role("heading", level=1)).to_have_text(LOCKED_HEADING)

    # Locked out: even the correct password does not get past the first step.
    submit_password(page, live_server.url, user.username)
    expect(page.get_by_role("heading", level=1)).to_have_text(LOCKED_HEADING)
    assert "/tweede-factor/" not in page.url
    violations = axe()
    assert violations == [], describe(violations)


def test_first_login_enrols_an_authenticator_app(page: Page, live_server, make_user, axe) -> None:
    user = make_user("consultant")

    submit_password(page, live_server.url, user.username)
    expect(page).to_have_url(re.compile(r"/account/tweede-factor/instellen/"))
    expect(page.locator(".koers-qr svg")).to_be_visible()
    key = page.locator(".koers-secret").inner_text()
    assert re.fullmatch(r"[A-Z2-7 =]+", key), key
    violations = axe()
    assert violations == [], describe(violations)

    # A wrong code keeps the user on the enrolment page, with the error tied to the field.
    submit_code(page, wrong_code(current_code(base64.b32decode(key.replace(" ", "")))))
    expect(page).to_have_url(re.compile(r"/account/tweede-factor/instellen/"))
    expect(page.locator("#id_token")).to_have_attribute("aria-invalid", "true")

    wait_out_throttle()
    # The key on the screen (not the database) must be the one the app would compute codes from.
    secret = base64.b32decode(page.locator(".koers-secret").inner_text().replace(" ", ""))
    submit_code(page, current_code(secret))
    expect(page).to_have_url(re.compile(re.escape(START_PATH) + "$"))
    expect(page.get_by_role("status")).to_be_visible()  # "Your authenticator app is linked."


def test_second_login_asks_for_the_code(page: Page, live_server, make_user, axe) -> None:
    user = make_user("consultant")
    device = confirmed_device(user)

    submit_password(page, live_server.url, user.username)
    expect(page).to_have_url(re.compile(r"/account/tweede-factor/(\?.*)?$"))
    violations = axe()
    assert violations == [], describe(violations)

    submit_code(page, wrong_code(device_code(device)))
    expect(page).to_have_url(re.compile(r"/account/tweede-factor/"))
    expect(page.get_by_role("alert")).to_be_visible()
    token = page.locator("#id_token")
    expect(token).to_have_attribute("aria-invalid", "true")
    # The field's own error message is referenced from the input, so a screen reader reads it with the field.
    described_by = token.get_attribute("aria-describedby") or ""
    assert "id_token_error" in described_by.split(), described_by
    expect(page.locator("#id_token_error")).not_to_be_empty()
    violations = axe()
    assert violations == [], describe(violations)

    wait_out_throttle()
    submit_code(page, device_code(device))
    expect(page).to_have_url(re.compile(re.escape(START_PATH) + "$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_demo_account_skips_the_second_factor_in_demo_mode(page: Page, live_server, settings, make_user, axe) -> None:
    settings.DEMO_MODE = True
    user = make_user("consultant")
    user.is_demo_account = True
    user.save(update_fields=["is_demo_account"])

    page.goto(live_server.url + "/account/inloggen/")
    expect(page.locator(".koers-form-narrow [role=note]")).to_be_visible()
    expect(page.locator(".koers-demo-banner")).to_be_visible()
    violations = axe()
    assert violations == [], describe(violations)

    submit_password(page, live_server.url, user.username)
    expect(page).to_have_url(re.compile(re.escape(START_PATH) + "$"))
    expect(page.locator("[data-testid=caseload-count]")).to_have_text("0")


def test_non_demo_account_still_needs_the_second_factor_in_demo_mode(
    page: Page, live_server, settings, make_user
) -> None:
    settings.DEMO_MODE = True
    user = make_user("consultant")
    confirmed_device(user)

    submit_password(page, live_server.url, user.username)
    expect(page).to_have_url(re.compile(r"/account/tweede-factor/"))
    # And the start page itself is not reachable on the password alone.
    page.goto(live_server.url + START_PATH)
    expect(page).to_have_url(re.compile(r"/account/tweede-factor/"))
