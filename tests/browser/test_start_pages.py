"""The start page of every role, reached through the real login, with its own figures; keyboard and language."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from koers.accounts.models import Municipality, Organisation, User
from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from tests import factories
from tests.browser.conftest import describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _consultant(user: User, organisation: Organisation, municipality: Municipality, make_user) -> None:
    factories.ClientFactory.create_batch(3, organisation=organisation, municipality=municipality, consultant=user)
    factories.ClientFactory(organisation=organisation, municipality=municipality)  # someone else's client


def _trainer(user: User, organisation: Organisation, municipality: Municipality, make_user) -> None:
    programme = factories.ProgrammeFactory(organisation=organisation)
    factories.GroupRunFactory.create_batch(2, programme=programme, trainers=[user])
    factories.GroupRunFactory(programme=programme)  # a run of another trainer


def _planner(user: User, organisation: Organisation, municipality: Municipality, make_user) -> None:
    programme = factories.ProgrammeFactory(organisation=organisation)
    factories.GroupRunFactory.create_batch(4, programme=programme)


def _team_manager(user: User, organisation: Organisation, municipality: Municipality, make_user) -> None:
    consultant = make_user(Role.CONSULTANT, username="team-consultant")
    consultant.first_name, consultant.last_name = "Ayla", "Visser"
    consultant.save(update_fields=["first_name", "last_name"])
    factories.ClientFactory.create_batch(3, organisation=organisation, municipality=municipality, consultant=consultant)


def _policy(user: User, organisation: Organisation, municipality: Municipality, make_user) -> None:
    factories.ClientFactory.create_batch(6, organisation=organisation, municipality=municipality)
    small = factories.MunicipalityFactory(organisation=organisation, name="Zuiderdijk")
    factories.ClientFactory.create_batch(2, organisation=organisation, municipality=small)


def _administrator(user: User, organisation: Organisation, municipality: Municipality, make_user) -> None:
    factories.ProgrammeFactory.create_batch(2, organisation=organisation)


def _privacy_officer(user: User, organisation: Organisation, municipality: Municipality, make_user) -> None:
    client = factories.ClientFactory(organisation=organisation, municipality=municipality)
    colleague = make_user(Role.CONSULTANT)
    stranger = factories.UserFactory(organisation=factories.OrganisationFactory(name="Elders"))
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(actor=colleague, actor_username=colleague.username, action=Action.READ, client_id=client.pk)
            for _ in range(5)
        ]
        + [AuditEvent(actor=stranger, actor_username=stranger.username, action=Action.READ, client_id=client.pk)]
    )


def _check_policy(page: Page) -> None:
    table = page.locator("[data-testid=municipality-figures]")
    expect(table.locator("tr", has_text="Lekkerwaard").locator("td").first).to_have_text("6")
    expect(table.locator("tr", has_text="Zuiderdijk").locator("td").first).to_have_text("<5")


def _check_team_manager(page: Page) -> None:
    row = page.locator("[data-testid=team-caseloads] tr", has_text="Ayla Visser")
    expect(row.locator("td").last).to_have_text("3")


# role -> (seed the data, check the figures on the page)
ROLE_CASES: dict[str, tuple[Callable[..., None], Callable[[Page], None]]] = {
    Role.CONSULTANT: (
        _consultant,
        lambda page: expect(page.get_by_test_id("caseload-count")).to_have_text("3"),
    ),
    Role.TRAINER: (_trainer, lambda page: expect(page.get_by_test_id("trainer-runs")).to_have_text("2")),
    Role.PLANNER: (_planner, lambda page: expect(page.get_by_test_id("planner-runs")).to_have_text("4")),
    Role.TEAM_MANAGER: (_team_manager, _check_team_manager),
    Role.POLICY: (_policy, _check_policy),
    Role.ADMINISTRATOR: (
        _administrator,
        lambda page: expect(page.get_by_test_id("admin-programmes")).to_have_text("2"),
    ),
    Role.PRIVACY_OFFICER: (
        _privacy_officer,
        lambda page: expect(page.get_by_test_id("privacy-reads")).to_have_text("5"),
    ),
}

SECTION_TITLES = {
    Role.CONSULTANT: "caseload-title",
    Role.TRAINER: "trainer-title",
    Role.PLANNER: "planner-title",
    Role.TEAM_MANAGER: "team-title",
    Role.POLICY: "policy-title",
    Role.ADMINISTRATOR: "admin-title",
    Role.PRIVACY_OFFICER: "privacy-title",
}


def test_every_role_is_covered() -> None:
    assert set(ROLE_CASES) == set(Role.values) == set(SECTION_TITLES)


@pytest.mark.parametrize("role", Role.values)
def test_start_page_per_role(role: str, page: Page, organisation, municipality, make_user, browser_login, axe) -> None:
    user = make_user(role, username=f"user-{role}")
    seed, check = ROLE_CASES[role]
    seed(user, organisation, municipality, make_user)

    browser_login(user)
    check(page)
    # Only this role's section is on the page; the others stay away.
    for other, title_id in SECTION_TITLES.items():
        expect(page.locator(f"#{title_id}")).to_have_count(1 if other == role else 0)
    violations = axe()
    assert violations == [], describe(violations)


def test_skip_link_is_the_first_tab_stop(page: Page, make_user, browser_login) -> None:
    browser_login(make_user(Role.CONSULTANT))
    page.evaluate("document.activeElement && document.activeElement.blur()")  # start at the top of the page
    page.keyboard.press("Tab")
    skip = page.locator("a.utrecht-skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_have_attribute("href", "#main")
    expect(skip).to_be_visible()  # visible on focus, for sighted keyboard users
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()


def test_language_switch_to_english(page: Page, make_user, browser_login) -> None:
    browser_login(make_user(Role.CONSULTANT))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("#caseload-title")).to_have_text(re.compile(r"^(Mijn caseload|My caseload)$"))
    page.get_by_label(re.compile(r"^(Taal|Language)$")).select_option("en")
    page.locator("form.koers-language-switch button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/start/$"))
    expect(page.get_by_role("heading", level=2, name="My caseload")).to_be_visible()
