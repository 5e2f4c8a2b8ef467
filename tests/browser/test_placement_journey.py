"""Issue 5's journey in a real browser: the planner asks for a placement proposal from a waiting list, pins one
placement, asks again around it, and accepts; axe checks the waiting list, the progress page and the proposal pages.

Proposals are computed inline (tests run tasks immediately, and this test's requests commit), so the progress page
is shown with a proposal that is still running, written directly; the test then finishes it and sees the page reload
by itself.
"""

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from koers.accounts.roles import Role
from koers.groupwork.models import Referral, ReferralStatus
from koers.placement.models import PlacementProposal, ProposalStatus
from tests.browser.conftest import describe
from tests.placement_factories import programme_with_planner, run, waiting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def checked_by_axe(axe: Any, where: str) -> None:
    assert describe(axe()) == [], where


def click_and_wait(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def test_planner_proposes_pins_reruns_and_accepts(
    live_server, page, browser_login, make_user, municipality, axe
) -> None:
    organisation = municipality.organisation
    planner, consultant = make_user(Role.PLANNER), make_user(Role.CONSULTANT)
    programme, _other_planner = programme_with_planner(organisation, name="Sollicitatietraining", max_size=3)
    first_run, later_run = run(programme), run(programme, in_days=35)
    referrals = [waiting(programme, municipality, consultant, days_ago=20 + n) for n in range(3)]

    # The waiting list offers the proposal; asking for it opens the finished proposal.
    browser_login(planner)
    page.goto(f"{live_server.url}/wachtlijsten/{programme.pk}/")
    checked_by_axe(axe, "waiting list")
    click_and_wait(page, "main [data-testid=propose-placement]")
    proposal = PlacementProposal.objects.get(programme=programme)
    assert proposal.status == ProposalStatus.DONE
    expect(page.get_by_test_id("proposal-figures")).to_be_visible()
    checked_by_axe(axe, "proposal")

    # Pin one placement in the later run and ask again: the new proposal keeps it.
    pinned_referral = referrals[0]
    pinned_line = proposal.lines.get(referral=pinned_referral)
    assert pinned_line.group_run is not None
    pin = page.locator(f"#pin-{pinned_line.pk}")
    pin.focus()
    page.keyboard.press("Space")  # by keyboard, as a planner without a mouse would
    expect(pin).to_be_checked()
    click_and_wait(page, "main [data-testid=rerun]")
    rerun = PlacementProposal.objects.get(previous=proposal)
    assert rerun.pinned == {str(pinned_referral.pk): pinned_line.group_run_id}
    kept = rerun.lines.get(referral=pinned_referral)
    assert kept.pinned
    assert kept.group_run_id == pinned_line.group_run_id
    expect(page.locator(f"#pin-{kept.pk}")).to_be_checked()
    checked_by_axe(axe, "proposal made again")

    # Accept everything proposed: each referral with a run is placed, and the page says what happened.
    click_and_wait(page, "main [data-testid=accept-all]")
    placed = rerun.lines.exclude(group_run=None)
    for line in placed:
        referral = Referral.objects.get(pk=line.referral_id)
        assert (referral.status, referral.group_run_id) == (ReferralStatus.PLACED, line.group_run_id)
    assert {first_run.pk, later_run.pk} >= set(placed.values_list("group_run_id", flat=True))
    expect(page.locator("main .koers-messages")).to_be_visible()
    checked_by_axe(axe, "proposal accepted")


def test_the_progress_page_polls_and_shows_the_proposal_when_it_is_done(
    live_server, page, browser_login, make_user, organisation, axe
) -> None:
    planner = make_user(Role.PLANNER)
    programme, _other_planner = programme_with_planner(organisation)
    proposal = PlacementProposal.objects.create(
        organisation=organisation,
        programme=programme,
        requested_by=planner,
        status=ProposalStatus.RUNNING,
        started_at=timezone.now(),
        progress=30,
        stage="Choosing which runs take place",
    )
    browser_login(planner)
    page.goto(f"{live_server.url}/indeling/{proposal.pk}/")
    expect(page.locator("main progress")).to_have_attribute("value", "30")
    checked_by_axe(axe, "progress")
    PlacementProposal.objects.filter(pk=proposal.pk).update(progress=80)
    expect(page.locator("#proposal-announcement")).to_contain_text("80")
    PlacementProposal.objects.filter(pk=proposal.pk).update(
        status=ProposalStatus.DONE, progress=100, finished_at=timezone.now()
    )
    expect(page.get_by_test_id("proposal-figures")).to_be_visible()
    checked_by_axe(axe, "proposal after polling")
