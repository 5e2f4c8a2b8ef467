"""A consultant builds a client's plan in the browser: start, life domains, IGM profile, goal, instrument, agreement."""

import re

import pytest
from playwright.sync_api import Page, expect

from koers.accounts.roles import Role
from koers.trajectories.models import IgmFactor, Instrument, LifeDomain, Trajectory
from tests import factories
from tests.browser.conftest import describe
from tests.trajectory_factories import InstrumentTypeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def follow(page: Page, href: str) -> None:
    """Click the link to ``href`` in the page content, as a person would."""
    with page.expect_navigation():
        page.locator(f"main a[href='{href}']").first.click()


def submit(page: Page) -> None:
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def test_consultant_builds_a_plan(live_server, page, browser_login, make_user, municipality, axe) -> None:
    consultant = make_user(Role.CONSULTANT)
    client = factories.ClientFactory(
        organisation=municipality.organisation,
        municipality=municipality,
        consultant=consultant,
        first_name="Noor",
        last_name="Bakker",
    )
    coaching = InstrumentTypeFactory(organisation=municipality.organisation, name="Individuele coaching")
    browser_login(consultant)

    page.goto(f"{live_server.url}/clienten/{client.pk}/")
    expect(page.locator("[data-testid=trajectory-section]")).to_be_visible()
    assert describe(axe()) == []
    follow(page, f"/clienten/{client.pk}/traject/nieuw/")
    expect(page.locator("h1")).to_have_text(re.compile(r"Noor Bakker"))
    assert describe(axe()) == []
    page.locator("#id_future_perspective").fill("Ik wil weer in de zorg werken, drie dagen per week.")
    page.locator("#id_strengths").fill("Geduldig en goed met ouderen.")
    submit(page)

    trajectory = Trajectory.objects.get(client=client)
    detail = f"/trajecten/{trajectory.pk}/"
    expect(page).to_have_url(re.compile(re.escape(detail) + "$"))
    expect(page.locator("[data-testid=future-perspective]")).to_contain_text("drie dagen per week")
    assert describe(axe()) == []

    follow(page, f"{detail}leefgebieden/nieuw/")
    assert describe(axe()) == []
    for domain in LifeDomain.values:
        page.locator(f"#id_{domain}_score").select_option("1" if domain == LifeDomain.HOUSING else "3")
    page.locator("#id_housing_note").fill("Dreigende huisuitzetting")
    submit(page)
    housing = page.locator("[data-testid=life-domains] tr[data-domain=housing]")
    expect(housing.locator("[data-testid=urgent-badge]")).to_have_text(
        re.compile(r"Urgente belemmering|Urgent barrier")
    )
    expect(page.locator("[data-testid=urgent-barriers]")).to_be_visible()
    assert describe(axe()) == []

    follow(page, f"{detail}igm/nieuw/")
    assert describe(axe()) == []
    page.locator("#id_target_behaviour").fill("Solliciteren op banen in de zorg")
    for factor in IgmFactor.values:
        page.locator(f"#id_{factor}_score").select_option("2" if factor == IgmFactor.SELF_EFFICACY else "4")
    page.locator("#id_self_efficacy_description").fill("Twijfelt of ze het kan na jaren thuis")
    submit(page)
    expect(page.locator("[data-testid=target-behaviour]")).to_have_text("Solliciteren op banen in de zorg")
    expect(page.locator("[data-testid=igm-willen] tr[data-factor=self_efficacy]")).to_contain_text("Twijfelt")
    assert describe(axe()) == []

    follow(page, f"{detail}doelen/nieuw/")
    assert describe(axe()) == []
    page.locator("#id_text").fill("Ik loop stage in een verpleeghuis")
    submit(page)
    goal = trajectory.goals.get()
    expect(page.locator(f"[data-testid=goal-{goal.pk}]")).to_contain_text("verpleeghuis")

    follow(page, f"{detail}instrumenten/nieuw/?doel={goal.pk}")
    expect(page.locator("#id_goal")).to_have_value(str(goal.pk))
    assert describe(axe()) == []
    submit(page)
    expect(page.locator("#id_instrument_type")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_purpose_error")).to_be_visible()
    assert describe(axe()) == []
    page.locator("#id_instrument_type").select_option(str(coaching.pk))
    page.locator("#id_purpose").fill("Vertrouwen opbouwen voor de stage")
    page.locator("#id_expected_result").fill("Stageplek gevonden binnen acht weken")
    page.locator("#id_planned_weeks").fill("8")
    submit(page)
    instrument = Instrument.objects.get(trajectory=trajectory)
    expect(page.locator(f"[data-testid=instrument-{instrument.pk}]")).to_contain_text("Individuele coaching")
    assert describe(axe()) == []

    follow(page, f"{detail}plan/")
    assert describe(axe()) == []
    page.locator("#id_agreement").fill("Ja, dit is wat ik wil. Eerst de huur regelen.")
    submit(page)
    expect(page.locator("main")).to_contain_text("Eerst de huur regelen.")
    expect(page.locator("[data-testid=plan-agreement]")).to_be_visible()
    assert describe(axe()) == []
    trajectory.refresh_from_db()
    assert trajectory.plan_agreement == "Ja, dit is wat ik wil. Eerst de huur regelen."
