"""Browser-only fixtures: axe, and logging in through the real login form (password, then TOTP)."""

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, Response, expect

from koers.accounts.models import User

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's password
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
# Dutch headings once the catalogue is compiled; English until then.
LOGIN_HEADING = re.compile(r"Inloggen bij Koers|Log in to Koers")
START_PATH = "/start/"

# Playwright's own default is 30 s; keep every wait short so a hanging page fails fast.
expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """A Dutch desktop browser, like the staff who use Koers (Accept-Language decides the first language)."""
    return {**browser_context_args, "locale": "nl-NL", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(autouse=True)
def _room_for_many_logins(settings: Any) -> None:
    """Every browser test logs in from 127.0.0.1, and the live server's cache table keeps counting across tests:
    the per-address login limit is for attackers, not for a test suite (tests/hardening checks the limits)."""
    settings.KOERS_RATELIMITS = {**settings.KOERS_RATELIMITS, "login": "10000/m", "second_factor": "10000/m"}


@pytest.fixture(autouse=True)
def _short_timeouts_and_asset_check(request: pytest.FixtureRequest) -> Iterator[None]:
    """Short waits, and every stylesheet and script the pages ask for must load (a 404 there once left every
    page unstyled and without session-timeout.js while axe still passed)."""
    if "page" not in request.fixturenames:
        yield
        return
    page: Page = request.getfixturevalue("page")
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(10_000)
    broken: list[str] = []

    def check(response: Response) -> None:
        if "/static/" in response.url and response.status >= 400:
            broken.append(f"{response.status} {response.url}")

    page.on("response", check)
    yield
    assert not broken, f"static assets failed to load: {broken}"


@pytest.fixture(scope="session")
def _axe_engine() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def axe(page: Page, _axe_engine: Any) -> Callable[..., list[dict[str, Any]]]:
    """Run axe on the current page for WCAG 2.1 A/AA and return the violations."""

    def run(tags: tuple[str, ...] = AXE_TAGS) -> list[dict[str, Any]]:
        result = _axe_engine.run(page, options={"runOnly": {"type": "tag", "values": list(tags)}})
        return result.response["violations"]

    return run


def describe(violations: list[dict[str, Any]]) -> list[tuple[str, str, list[Any]]]:
    """A readable assertion message: rule, help text and the offending elements."""
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in violations]


def confirmed_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=True)


def current_code(key: bytes, step: int = 30, t0: int = 0, digits: int = 6) -> str:
    return f"{totp(key, step=step, t0=t0, digits=digits):0{digits}d}"


def wrong_code(good: str) -> str:
    return "000000" if good != "000000" else "111111"


def wait_out_throttle() -> None:
    """django-otp refuses any code for 1 s after a wrong one (doubling each time); a person is never that fast."""
    time.sleep(1.2)


def device_code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return current_code(device.bin_key, device.step, device.t0, device.digits)


def submit_password(page: Page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(base_url + "/account/inloggen/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("form:has(#id_username) button[type=submit]").click()


def submit_code(page: Page, code: str) -> None:
    page.locator("#id_token").fill(code)
    with page.expect_navigation():
        page.locator("form:has(#id_token) button[type=submit]").click()


@pytest.fixture
def browser_login(page: Page, live_server: Any) -> Callable[..., Page]:
    """Log a staff member in as a person would: password, then the code from their (confirmed) app."""

    def log_in(user: User) -> Page:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or confirmed_device(user)
        submit_password(page, live_server.url, user.username)
        expect(page).to_have_url(re.compile(r"/account/tweede-factor/"))
        submit_code(page, device_code(device))
        expect(page).to_have_url(re.compile(re.escape(START_PATH) + "$"))
        return page

    return log_in
