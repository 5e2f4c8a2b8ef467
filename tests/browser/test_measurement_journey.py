"""Effect measurement end to end: a client answers through the personal link on a phone-sized screen, then the
consultant sees the chart with the reliable change marked; the quality pages pass axe as well."""

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from koers.accounts.roles import Role
from koers.measurement.models import Measurement, MeasurementPolicy, MeasurementStatus, Phase
from tests import factories
from tests.browser.conftest import AXE_TAGS, describe
from tests.measurement_factories import completed_measurement, small_questionnaire
from tests.trajectory_factories import TrajectoryFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def axe_engine(_axe_engine: Any) -> Any:
    return _axe_engine


def violations_on(page: Page, engine: Any) -> list[dict[str, Any]]:
    """axe on a page of a second browser context (the client's phone), with the suite's WCAG tags."""
    result = engine.run(page, options={"runOnly": {"type": "tag", "values": list(AXE_TAGS)}})
    return result.response["violations"]


def test_client_answers_on_a_phone_and_the_consultant_sees_a_reliable_change(
    live_server, page, browser, browser_login, make_user, municipality, axe, axe_engine
) -> None:
    consultant = make_user(Role.CONSULTANT)
    version = small_questionnaire(municipality.organisation)
    MeasurementPolicy.objects.create(organisation=municipality.organisation, questionnaire=version.questionnaire)
    client = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=consultant
    )
    trajectory = TrajectoryFactory(client=client, created_by=consultant)
    # At the start the client had little confidence: self-efficacy 1 (the second statement is reverse-scored).
    completed_measurement(
        trajectory,
        version,
        answers={1: 1, 2: 5, 3: 2},
        taken_on=timezone.localdate() - datetime.timedelta(days=30),
        phase=Phase.BASELINE,
        moment="start",
    )

    browser_login(consultant)
    page.goto(f"{live_server.url}/trajecten/{trajectory.pk}/metingen/nieuw/")
    assert describe(axe()) == []
    page.locator('input[name="way"][value="link"]').check()
    with page.expect_navigation():
        page.locator("form button[type=submit].utrecht-button--primary-action").last.click()
    assert describe(axe()) == []
    link = page.locator("#measurement-link").input_value()
    path = link[link.index("/m/") :]

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="nl-NL").new_page()
    phone.goto(live_server.url + path)
    expect(phone.get_by_text(client.last_name)).to_have_count(0)  # the link shows no stored data
    assert describe(violations_on(phone, axe_engine)) == []
    with phone.expect_navigation():
        phone.locator("button.koers-measurement-send").click()
    assert (
        describe(violations_on(phone, axe_engine)) == []
    )  # the form again, with "choose an answer" under each statement
    for fieldset in phone.locator("fieldset.koers-measurement-item").all():
        fieldset.locator("label").nth(3).click()  # "Mee eens" (4) everywhere: self-efficacy (4 + 2) / 2 = 3
    phone.locator("button.koers-measurement-send").click()
    expect(phone).to_have_url(f"{live_server.url}/m/bedankt/")
    assert describe(violations_on(phone, axe_engine)) == []
    answered = Measurement.objects.exclude(phase=Phase.BASELINE).get()
    assert answered.status == MeasurementStatus.COMPLETED
    phone.goto(live_server.url + path)  # single use
    expect(phone.locator("main")).not_to_contain_text("Helemaal mee eens")
    phone.context.close()

    page.goto(f"{live_server.url}/trajecten/{trajectory.pk}/metingen/")
    chart = page.locator("svg.koers-chart").first
    expect(chart.locator(".koers-chart__band")).to_have_count(1)
    expect(chart.locator(".koers-chart__point .koers-chart__marker--reliable")).to_have_count(1)
    assert describe(axe()) == []


def test_quality_pages_pass_axe(live_server, page, browser_login, make_user, municipality, axe) -> None:
    """The team's principles audit, a trajectory's principles check and the research export form."""
    manager = make_user(Role.TEAM_MANAGER)
    consultant = make_user(Role.CONSULTANT)
    policy = make_user(Role.POLICY)
    client = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=consultant
    )
    trajectory = TrajectoryFactory(client=client, created_by=consultant)

    browser_login(manager)
    page.goto(f"{live_server.url}/kwaliteit/principes/")
    expect(page.locator("h1")).to_be_visible()
    assert describe(axe()) == []

    page.context.clear_cookies()
    browser_login(consultant)
    page.goto(f"{live_server.url}/trajecten/{trajectory.pk}/principes/")
    expect(page.locator("h1")).to_be_visible()
    assert describe(axe()) == []

    page.context.clear_cookies()
    browser_login(policy)
    page.goto(f"{live_server.url}/metingen/onderzoeksexport/")
    expect(page.locator("h1")).to_be_visible()
    assert describe(axe()) == []
