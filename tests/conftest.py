import os
import time
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.test import Client as HttpClient
from django.test import override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from koers.accounts.middleware import AUTH_TIME_KEY
from koers.accounts.models import Municipality, Organisation, Team, User
from koers.accounts.roles import Role
from tests import factories

# Playwright's sync API runs an event loop in the test thread; Django's ORM must be allowed there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium; browser tests skip without it on a laptop, but CI sets KOERS_REQUIRE_BROWSER=1."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("KOERS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and browser tests are required (apt-get install -y chromium)")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True, scope="session")
def tasks_run_immediately() -> Iterator[None]:
    """Background tasks run inline, once the transaction commits (``django_capture_on_commit_callbacks(execute=True)``
    in a ``django_db`` test). Settings are read before any conftest, so an environment variable set here would come
    too late; overriding sends ``setting_changed``, on which django-tasks drops its cached backends."""
    immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
    with override_settings(KOERS_TASK_WORKER="immediate", TASKS=immediate):
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """Argon2 is slow by design; tests that check hashing set it back themselves."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def organisation() -> Organisation:
    return factories.OrganisationFactory()


@pytest.fixture
def municipality(organisation: Organisation) -> Municipality:
    return factories.MunicipalityFactory(organisation=organisation, name="Lekkerwaard")


@pytest.fixture
def team(organisation: Organisation) -> Team:
    return factories.TeamFactory(organisation=organisation, name="Team Noord")


@pytest.fixture
def make_user(organisation: Organisation, team: Team) -> Callable[..., User]:
    def make(*roles: str, username: str | None = None, in_team: bool = True) -> User:
        kwargs = {"username": username} if username else {}
        user = factories.UserFactory(organisation=organisation, roles=list(roles), **kwargs)
        if in_team:
            user.teams.add(team)
        return user

    return make


@pytest.fixture
def consultant(make_user: Callable[..., User]) -> User:
    return make_user(Role.CONSULTANT)


@pytest.fixture
def planner(make_user: Callable[..., User]) -> User:
    return make_user(Role.PLANNER)


@pytest.fixture
def english(login: Callable[..., HttpClient]) -> Callable[[User], HttpClient]:
    """A logged-in page client with English chosen, so messages can be compared with their source text."""

    def make(user: User) -> HttpClient:
        http = login(user)
        http.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return http

    return make


@pytest.fixture
def role_users(make_user: Callable[..., User]) -> dict[str, User]:
    """One staff member per role, all in the same organisation and team."""
    return {role: make_user(role, username=f"user-{role}") for role in Role.values}


def verified_login(http: HttpClient, user: User) -> HttpClient:
    """Log in as after password and TOTP: the session carries the verified device, as django-otp's login sets."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    http.force_login(user)
    session = http.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[AUTH_TIME_KEY] = time.time()
    session.save()
    return http


@pytest.fixture
def login() -> Callable[[User], HttpClient]:
    def make(user: User) -> HttpClient:
        return verified_login(HttpClient(), user)

    return make
