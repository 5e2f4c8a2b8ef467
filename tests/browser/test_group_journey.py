"""The group process end to end in a real browser (issue 4's journey), with axe on every page on the way.

A consultant refers a client from a group instrument in the plan with the argued added value; screening passes and
the referral waits; the planner places the client in a run; when the sessions have taken place the trainer records
attendance for each of them and writes the hand-off signal; the consultant sees the signal on the caseload and
acknowledges it. Time moves forward (time-machine) between the placement and the first session, as it does in life.
"""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from koers.accounts.roles import Role
from koers.groupwork.models import AttendanceStatus, HandOff, Referral, ReferralStatus
from koers.trajectories.models import InstrumentKind
from tests import factories
from tests import groupwork_factories as gw
from tests.browser.conftest import describe
from tests.trajectory_factories import GoalFactory, InstrumentFactory, InstrumentTypeFactory, TrajectoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADDED_VALUE = (
    "Mevrouw oefent in de groep met lotgenoten het vertellen over haar sterke punten; de herkenning helpt haar "
    "meer dan een gesprek met mij alleen."
)


def submit(page: Page, form: str = "main form") -> None:
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").first.click()


def checked_by_axe(page: Page, axe, where: str) -> None:
    assert describe(axe()) == [], where


def log_out(page: Page) -> None:
    page.context.clear_cookies()


def test_refer_screen_place_attend_hand_off_and_acknowledge(
    live_server, page, browser_login, make_user, municipality, axe
) -> None:
    organisation = municipality.organisation
    consultant, planner, trainer = (make_user(role) for role in (Role.CONSULTANT, Role.PLANNER, Role.TRAINER))
    gw.TrainerProfileFactory(user=trainer, hours_per_week=16)
    group_type = InstrumentTypeFactory(
        organisation=organisation, name="Groepstraining", kind=InstrumentKind.GROUP_PROGRAMME
    )
    programme = factories.ProgrammeFactory(
        organisation=organisation, name="Empowermenttraining", instrument_type=group_type, session_count=2
    )
    client = factories.ClientFactory(organisation=organisation, municipality=municipality, consultant=consultant)
    trajectory = TrajectoryFactory(client=client, created_by=consultant)
    goal = GoalFactory(trajectory=trajectory, text="Ik durf te vertellen wat ik kan")
    instrument = InstrumentFactory(trajectory=trajectory, goal=goal, instrument_type=group_type)
    first_day = timezone.localdate() + datetime.timedelta(days=3)
    run = factories.GroupRunFactory(programme=programme, start_date=first_day, trainers=[trainer])
    sessions = [gw.SessionFactory(group_run=run, date=first_day + datetime.timedelta(weeks=n)) for n in range(2)]

    # The consultant refers from the plan: the link sits on the group instrument.
    browser_login(consultant)
    page.goto(f"{live_server.url}/trajecten/{trajectory.pk}/")
    checked_by_axe(page, axe, "trajectory")
    with page.expect_navigation():
        page.get_by_test_id("refer-link").first.click()
    checked_by_axe(page, axe, "refer form")
    page.locator("#id_programme").select_option(str(programme.pk))
    page.locator("#id_goal").select_option(str(goal.pk))
    page.locator("#id_added_value").fill(ADDED_VALUE)
    submit(page)
    referral = Referral.objects.get(client=client, programme=programme)
    assert referral.status == ReferralStatus.WAITING  # screening passed at once: no contra-indication, no need
    assert referral.instrument == instrument
    assert referral.goal == goal
    expect(page).to_have_url(re.compile(rf"/aanmeldingen/{referral.pk}/$"))
    checked_by_axe(page, axe, "referral detail")
    log_out(page)

    # The planner finds the client on the waiting list and places them in the run.
    browser_login(planner)
    page.goto(f"{live_server.url}/wachtlijsten/")
    checked_by_axe(page, axe, "waiting lists")
    page.goto(f"{live_server.url}/wachtlijsten/{programme.pk}/")
    checked_by_axe(page, axe, "waiting list")
    expect(page.locator("main")).not_to_contain_text(ADDED_VALUE)  # dossier content is the consultant's
    with page.expect_navigation():
        page.locator(f"main a[href='/aanmeldingen/{referral.pk}/plaatsen/']").click()
    checked_by_axe(page, axe, "placement")
    submit(page, f"main form:has(input[name=run][value='{run.pk}'])")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PLACED
    assert referral.group_run == run
    log_out(page)

    # Both sessions have taken place: the trainer records attendance and writes the hand-off signal.
    after_last_session = timezone.now() + datetime.timedelta(days=3 + 7, hours=2)
    with time_machine.travel(after_last_session, tick=True):
        browser_login(trainer)
        page.goto(f"{live_server.url}/mijn-groepen/")
        checked_by_axe(page, axe, "trainer home")
        for session in sessions:
            page.goto(f"{live_server.url}/sessies/{session.pk}/aanwezigheid/")
            checked_by_axe(page, axe, f"attendance {session.number}")
            page.locator("main form [name=action][value=everyone_present]").click()
            with page.expect_navigation():
                page.locator("main form [name=action][value=save]").click()
            checked_by_axe(page, axe, f"attendance {session.number} saved")
        statuses = set(referral.participation.attendances.values_list("status", flat=True))
        assert statuses == {AttendanceStatus.PRESENT}
        assert referral.participation.attendances.count() == 2
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.STARTED

        page.goto(f"{live_server.url}/groepen/{run.pk}/overdracht/")
        checked_by_axe(page, axe, "hand-offs of the run")
        with page.expect_navigation():
            page.locator(f"main a[href='/deelnames/{referral.participation.pk}/overdracht/']").click()
        checked_by_axe(page, axe, "hand-off form")
        page.locator("#id_self_efficacy").fill("Durfde in bijeenkomst 2 als eerste haar verhaal te doen.")
        page.locator("#id_skills").fill("Kan haar sterke punten nu in eigen woorden noemen.")
        page.locator("#id_advice").fill("Zet door met een werkervaringsplek in de zorg; zij is er klaar voor.")
        submit(page)
        hand_off = HandOff.objects.get(participation__client=client)
        assert hand_off.acknowledged_at is None
        checked_by_axe(page, axe, "hand-off saved")
        log_out(page)

        # The consultant sees the signal on the caseload, opens it and takes over.
        browser_login(consultant)
        page.goto(f"{live_server.url}/caseload/")
        checked_by_axe(page, axe, "caseload with hand-off signal")
        signal = page.locator(f"main a[href='/overdrachten/{hand_off.pk}/']").first
        expect(signal).to_be_visible()
        with page.expect_navigation():
            signal.click()
        checked_by_axe(page, axe, "hand-off detail")
        expect(page.locator("main")).to_contain_text("werkervaringsplek in de zorg")
        with page.expect_navigation():
            page.get_by_test_id("acknowledge").click()
        hand_off.refresh_from_db()
        assert hand_off.acknowledged_by == consultant
        checked_by_axe(page, axe, "hand-off acknowledged")
        page.goto(f"{live_server.url}/caseload/")
        expect(page.locator(f"main a[href='/overdrachten/{hand_off.pk}/']")).to_have_count(0)
