"""Every group-work page in a real browser, as the role that uses it, with realistic data: axe (WCAG 2.1 A/AA)
finds nothing on any of them. Plus the keyboard on the attendance page, the attendance page on a phone, and the
public questionnaire answered for real.

One organisation is built per test with the factories: a mandatory programme with a running group of 15 (today is
its third session), an upcoming morning group, an upcoming evening group, a completed group with hand-off signals
and an evaluation, and a waiting list. Pages are grouped per role so that each test logs in once.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, ViewportSize, expect

from koers.accounts.models import Municipality, User
from koers.accounts.roles import Role
from koers.clients.models import Client
from koers.groupwork import evaluation_services
from koers.groupwork.handoff_services import acknowledge_hand_off, write_hand_off
from koers.groupwork.models import (
    Attendance,
    AttendanceStatus,
    EvaluationInvite,
    EvaluationResponse,
    GroupRun,
    HandOff,
    Invitation,
    Participation,
    Perspective,
    Programme,
    Question,
    Referral,
    RunStatus,
    Session,
)
from koers.trajectories.models import IgmFactor, Instrument, InstrumentKind, InstrumentType
from tests import factories
from tests import groupwork_factories as gw
from tests.browser.conftest import describe
from tests.trajectory_factories import GoalFactory, InstrumentFactory, InstrumentTypeFactory, TrajectoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 390, "height": 844}
GROUP_SIZE = 15
MORNINGS = ["mon_morning", "tue_morning", "wed_morning", "thu_morning", "fri_morning"]
ADDED_VALUE = (
    "Mevrouw durft niet te solliciteren; in de groep oefent zij gesprekken met lotgenoten en krijgt zij herkenning "
    "die in de individuele gesprekken ontbreekt."
)


@dataclass
class World:
    consultant: User
    colleague: User
    planner: User
    trainer: User
    programme: Programme
    running: GroupRun
    today_session: Session
    upcoming: GroupRun
    evening: GroupRun
    completed: GroupRun
    waiting: Referral  # the consultant's client, available on weekday mornings only
    blocked_instrument: Instrument  # a group instrument of a client with a contra-indication
    absent_client: Client
    open_hand_off: HandOff
    seen_hand_off: HandOff
    no_hand_off: Participation
    trainer_invite: EvaluationInvite
    consultant_invite: EvaluationInvite
    used_invite: EvaluationInvite
    tokens: list[str] = field(default_factory=list)  # open participant links of the completed run


def _weekday_after(days: int, weekday: int) -> datetime.date:
    start = timezone.localdate() + datetime.timedelta(days=days)
    return start + datetime.timedelta(days=(weekday - start.weekday()) % 7)


def _named(user: User, first: str, last: str) -> User:
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return user


def _sessions(run: GroupRun, count: int, starts: datetime.time, ends: datetime.time) -> list[Session]:
    return [
        gw.SessionFactory(
            group_run=run,
            number=n,
            date=run.start_date + datetime.timedelta(weeks=n - 1),
            starts_at=starts,
            ends_at=ends,
            room=run.room,
        )
        for n in range(1, count + 1)
    ]


def _programme(municipality: Municipality, group_type: InstrumentType) -> Programme:
    programme = factories.ProgrammeFactory(
        organisation=municipality.organisation,
        name="Empowermenttraining",
        slug="empowerment",
        instrument_type=group_type,
        description="Een training van zes bijeenkomsten over je sterke punten en wat je wilt.",
        learning_goals="Je kunt je sterke punten in eigen woorden noemen.\nJe durft je verhaal te vertellen.",
        target_group="Mensen die lang niet gewerkt hebben en weinig zelfvertrouwen hebben.",
        selection_criteria="Kan in een groep van 15 meedoen; spreekt Nederlands op A2-niveau of hoger.",
        is_mandatory=True,
        mandatory_reason="De gemeente vraagt u mee te doen omdat het u helpt werk te vinden.",
        deadline_weeks=6,
        offers_language_support=True,
        what_to_bring="Pen en papier. Koffie en thee staan klaar.",
        evaluation_plan="Aan het eind: deelnemers, trainer en consulent vullen een korte vragenlijst in.",
    )
    for number, title in enumerate(
        ["Kennismaken", "Sterke punten", "Je verhaal vertellen", "Netwerk", "Oefengesprekken", "Afsluiting"], 1
    ):
        gw.ProgrammeSessionFactory(programme=programme, number=number, title=title)
    for perspective, title, questions in (
        (
            Perspective.PARTICIPANT,
            "Wat vond u van de training?",
            [
                ("De training hielp mij verder.", "scale"),
                ("De trainer legde goed uit.", "scale"),
                ("Wat kan beter?", "text"),
            ],
        ),
        (Perspective.TRAINER, "Evaluatie trainer", [("De groep werkte goed samen.", "scale"), ("Toelichting", "text")]),
        (Perspective.CONSULTANT, "Evaluatie consulent", [("Mijn cliënt had er baat bij.", "scale")]),
    ):
        questionnaire = gw.QuestionnaireFactory(
            programme=programme, perspective=perspective, title=title, introduction="Het kost ongeveer 5 minuten."
        )
        for position, (text, kind) in enumerate(questions, 1):
            gw.QuestionFactory(questionnaire=questionnaire, position=position, text=text, kind=kind)
    return programme


def _participant(run: GroupRun, client: Client, status: str, **referral: Any) -> Participation:
    placed = gw.ReferralFactory(client=client, programme=run.programme, status=status, group_run=run, **referral)
    return factories.ParticipationFactory(group_run=run, client=client, referral=placed, joined_on=run.start_date)


def build_world(make_user: Callable[..., User], municipality: Municipality) -> World:
    organisation = municipality.organisation
    today = timezone.localdate()
    consultant = _named(make_user(Role.CONSULTANT), "Sanne", "Vermeer")
    colleague = _named(make_user(Role.CONSULTANT), "Karim", "Benali")
    planner = _named(make_user(Role.PLANNER), "Petra", "Planmaker")
    trainer = _named(make_user(Role.TRAINER), "Tess", "de Trainer")
    gw.TrainerProfileFactory(user=trainer, hours_per_week=Decimal("12.0"), competences="Empowerment, SOVA")
    other_trainer = _named(make_user(Role.TRAINER), "Ruben", "Groot")
    gw.TrainerProfileFactory(user=other_trainer, hours_per_week=Decimal("8.0"), switching_minutes=15)

    group_type = InstrumentTypeFactory.create(
        organisation=organisation, name="Groepstraining", kind=InstrumentKind.GROUP_PROGRAMME
    )
    programme = _programme(municipality, group_type)
    sova = factories.ProgrammeFactory(
        organisation=organisation, name="SOVA-training", slug="sova", goal_type="skills", session_count=8
    )
    north, east, south = (
        factories.RoomFactory(organisation=organisation, name=name, capacity=capacity, has_av=av)
        for name, capacity, av in (("Zaal Noord", 16, True), ("Zaal Oost", 15, False), ("Zaal Zuid", 15, False))
    )

    def client(consultant_: User, **kwargs: Any) -> Client:
        defaults: dict[str, Any] = {"availability": MORNINGS, "email": ""}
        return factories.ClientFactory(
            organisation=organisation,
            municipality=municipality,
            consultant=consultant_,
            **{**defaults, **kwargs},
        )

    # A running group of 15 that meets weekly in the morning; today is its third session.
    running = factories.GroupRunFactory.create(
        programme=programme,
        room=north,
        start_date=today - datetime.timedelta(weeks=2),
        status=RunStatus.RUNNING,
        trainers=[trainer],
        created_by=planner,
    )
    running_sessions = _sessions(running, 6, datetime.time(9, 30), datetime.time(12, 0))
    absent_client = client(consultant, language_level="A2")
    members = [_participant(running, absent_client, "started")]
    factories.ScreeningFlagFactory(client=absent_client, kind="low_language")
    members.append(
        _participant(
            running,
            client(colleague),
            "started",
            needed_variant="language_support",
            support_note="Haar coach belt na elke bijeenkomst even na.",
        )
    )
    members += [_participant(running, client(colleague), "started") for _ in range(GROUP_SIZE - 2)]
    for session in running_sessions[:2]:
        Attendance.objects.bulk_create(
            Attendance(
                session=session,
                participation=member,
                recorded_by=trainer,
                status=AttendanceStatus.UNEXCUSED
                if member.client == absent_client and session.number == 2
                else AttendanceStatus.PRESENT,
            )
            for member in members
        )
        session.attendance_recorded_at = timezone.now()
        session.log_done = "Kennismaking en groepsafspraken."
        session.group_phase = "forming"
        session.logged_by = trainer
        session.logged_at = timezone.now()
        session.save()

    # An upcoming morning group with four placed participants (one invited already), and an evening group.
    upcoming = factories.GroupRunFactory.create(
        programme=programme, room=east, start_date=_weekday_after(7, 0), trainers=[trainer], created_by=planner
    )
    _sessions(upcoming, 6, datetime.time(9, 30), datetime.time(12, 0))
    placed = [
        _participant(upcoming, client(colleague, email=email), "placed")
        for email in ("fatima@example.org", "johan@example.org", "", "")
    ]
    Invitation.objects.create(participation=placed[0], kind="invitation", channel="email", sent_by=planner)
    evening = factories.GroupRunFactory.create(
        programme=programme,
        room=south,
        start_date=_weekday_after(8, 2),
        start_time=datetime.time(19, 0),
        trainers=[other_trainer],
        created_by=planner,
    )
    _sessions(evening, 6, datetime.time(19, 0), datetime.time(21, 30))
    factories.GroupRunFactory(programme=sova, room=south, start_date=_weekday_after(21, 3), trainers=[other_trainer])

    # A completed group: hand-off signals (one open for the consultant, one seen) and an evaluation under way.
    completed = factories.GroupRunFactory.create(
        programme=programme,
        room=north,
        start_date=today - datetime.timedelta(weeks=8),
        status=RunStatus.COMPLETED,
        trainers=[trainer],
        created_by=planner,
    )
    _sessions(completed, 6, datetime.time(9, 30), datetime.time(12, 0))
    finished = [_participant(completed, client(consultant), "completed")]
    finished += [_participant(completed, client(colleague), "completed") for _ in range(4)]
    # The referral factory gave each participant an open trajectory: there the advice can become a goal.
    open_hand_off = write_hand_off(
        trainer,
        finished[0],
        "Zet door met een werkervaringsplek in de zorg; zij is er klaar voor.",
        {
            IgmFactor.SELF_EFFICACY: "Durfde in bijeenkomst 2 als eerste haar verhaal te doen.",
            IgmFactor.SKILLS: "Kan haar sterke punten nu in eigen woorden noemen.",
        },
    )
    seen_hand_off = write_hand_off(
        trainer, finished[1], "Een taalcursus naast werk helpt hem verder.", {IgmFactor.ATTITUDE: "Gemotiveerd."}
    )
    acknowledge_hand_off(colleague, seen_hand_off)
    started = evaluation_services.start_evaluation(planner, completed)
    tokens = [link.url.rstrip("/").rsplit("/", 1)[1] for link in started.printed]
    for token in tokens[:3]:  # three answers: enough for the results to show
        invite = evaluation_services.find_invite(token)
        assert invite is not None
        answers: dict[int, int | str | None] = {
            q.pk: 4 if q.kind == "scale" else "Meer tijd om te oefenen."
            for q in Question.objects.filter(questionnaire=invite.questionnaire)
        }
        evaluation_services.submit_answers(invite, answers)
    invites = EvaluationInvite.objects.filter(group_run=completed, respondent__isnull=False)
    used_invite = EvaluationInvite.objects.create(
        questionnaire=invites.get(respondent=consultant).questionnaire,
        group_run=running,
        respondent=consultant,
        expires_at=timezone.now() + datetime.timedelta(days=7),
        used_at=timezone.now(),
    )

    # The waiting lists: the consultant's client with a deadline soon, a passed deadline, one needing support.
    waiting_client = client(consultant)
    trajectory = TrajectoryFactory(client=waiting_client, created_by=consultant)
    goal = GoalFactory(trajectory=trajectory, text="Ik durf te vertellen wat ik kan")
    instrument = InstrumentFactory(trajectory=trajectory, goal=goal, instrument_type=group_type)
    waiting = gw.ReferralFactory.create(
        client=waiting_client,
        programme=programme,
        instrument=instrument,
        goal=goal,
        added_value=ADDED_VALUE,
        deadline=today + datetime.timedelta(days=5),
    )
    gw.ReferralFactory(
        client=client(colleague, availability=["mon_morning", "mon_afternoon"]),
        programme=programme,
        referred_on=today - datetime.timedelta(days=50),
        deadline=today - datetime.timedelta(days=3),
    )
    gw.ReferralFactory(
        client=client(colleague),
        programme=programme,
        needed_variant="language_support",
        support_note="Tolk bij de eerste bijeenkomst.",
    )
    gw.ReferralFactory(client=client(colleague), programme=sova, referred_on=today - datetime.timedelta(days=30))

    # A client of the consultant for whom screening refuses the programme (a recorded contra-indication).
    blocked_client = client(consultant)
    factories.ScreeningFlagFactory(client=blocked_client, kind="active_addiction")
    blocked_trajectory = TrajectoryFactory(client=blocked_client, created_by=consultant)
    blocked_instrument = InstrumentFactory.create(trajectory=blocked_trajectory, instrument_type=group_type)

    return World(
        consultant=consultant,
        colleague=colleague,
        planner=planner,
        trainer=trainer,
        programme=programme,
        running=running,
        today_session=running_sessions[2],
        upcoming=upcoming,
        evening=evening,
        completed=completed,
        waiting=waiting,
        blocked_instrument=blocked_instrument,
        absent_client=absent_client,
        open_hand_off=open_hand_off,
        seen_hand_off=seen_hand_off,
        no_hand_off=finished[2],
        trainer_invite=invites.get(respondent=trainer),
        consultant_invite=invites.get(respondent=consultant),
        used_invite=used_invite,
        tokens=tokens[3:],
    )


@pytest.fixture
def world(make_user, municipality) -> World:
    return build_world(make_user, municipality)


class Pages:
    """Opens pages, checks the status and runs axe on each; the violations of all pages are asserted together."""

    def __init__(self, page: Page, base_url: str, axe: Callable[..., list[dict[str, Any]]]) -> None:
        self.page, self.base_url, self.axe = page, base_url, axe
        self.violations: dict[str, Any] = {}

    def open(self, path: str, status: int = 200) -> Page:
        response = self.page.goto(self.base_url + path)
        assert response is not None
        assert response.status == status, f"{path}: HTTP {response.status}"
        self.check(path)
        return self.page

    def check(self, where: str) -> None:
        found = self.axe()
        if found:
            self.violations[where] = describe(found)

    def submit(self, form: str = "main form", status: int = 200) -> None:
        """Sends the form with its (last) submit button; the answer must be the page itself or a redirect."""
        with self.page.expect_navigation() as navigation:
            self.page.locator(f"{form} button[type=submit]").last.click()
        response = navigation.value
        assert response is not None
        assert response.status == status, f"{response.url}: HTTP {response.status}"

    def assert_clean(self) -> None:
        assert self.violations == {}, self.violations


@pytest.fixture
def pages(page: Page, live_server, axe) -> Pages:
    return Pages(page, live_server.url, axe)


def test_public_pages(pages: Pages, world: World) -> None:
    page = pages.open("/aanbod/")
    expect(page.locator("main")).to_contain_text("Empowermenttraining")
    page = pages.open(f"/aanbod/{world.programme.pk}/")
    expect(page.locator("[data-testid=start-table] tbody tr")).to_have_count(2)  # the morning and evening groups
    page = pages.open(f"/vragenlijst/{world.tokens[0]}/")
    expect(page.locator("main fieldset[data-question]")).to_have_count(2)
    page = pages.open("/vragenlijst/dit-is-geen-geldige-link-0123456789/", status=404)
    expect(page.locator("main form")).to_have_count(0)
    pages.open("/vragenlijst/bedankt/")
    pages.assert_clean()


def test_the_public_questionnaire_is_answered_for_real(pages: Pages, world: World) -> None:
    token = world.tokens[0]
    before = EvaluationResponse.objects.filter(perspective=Perspective.PARTICIPANT).count()
    page = pages.open(f"/vragenlijst/{token}/")
    # A scale question left open is refused on the page; the page with its errors passes axe too.
    pages.submit()
    expect(page.locator("main [aria-invalid=true]").first).to_be_attached()
    pages.check("questionnaire with errors")
    for fieldset in page.locator("main fieldset[data-question]").all():
        fieldset.locator("input[type=radio][value='4']").check()
    page.locator("main textarea").fill("Meer oefenen met sollicitatiegesprekken.")
    pages.submit()
    expect(page).to_have_url(re.compile(r"/vragenlijst/bedankt/$"))
    pages.check("thank-you page after answering")
    saved = EvaluationResponse.objects.filter(perspective=Perspective.PARTICIPANT)
    assert saved.count() == before + 1
    answers = saved.latest("pk").answers.all()
    assert sorted(a.score for a in answers if a.score is not None) == [4, 4]
    assert [a.text for a in answers if a.text] == ["Meer oefenen met sollicitatiegesprekken."]

    # The link is used now: the same neutral page as an unknown link, with nothing about the person.
    page = pages.open(f"/vragenlijst/{token}/", status=410)
    expect(page.locator("main form")).to_have_count(0)
    pages.assert_clean()


def test_planner_pages(pages: Pages, world: World, browser_login) -> None:
    browser_login(world.planner)
    programme = world.programme
    pages.open("/wachtlijsten/")
    pages.open(f"/wachtlijsten/{programme.pk}/")
    page = pages.open(f"/aanmeldingen/{world.waiting.pk}/plaatsen/")
    # The evening group does not fit a client who is available in the mornings only: its warning shows.
    evening = page.locator(f"main [data-run='{world.evening.pk}']")
    expect(evening.locator("[data-testid=run-warnings]")).to_be_visible()
    expect(page.locator(f"main [data-run='{world.upcoming.pk}']")).to_be_visible()
    pages.open(f"/aanmeldingen/{world.waiting.pk}/")
    expect(page.locator("main")).not_to_contain_text(ADDED_VALUE)

    pages.open("/groepen/")
    pages.open(f"/groepen/{world.upcoming.pk}/")
    pages.open(f"/groepen/{world.running.pk}/")
    pages.open(f"/groepen/{world.upcoming.pk}/wijzigen/")
    pages.open(f"/sessies/{world.upcoming.sessions.get(number=2).pk}/wijzigen/")
    pages.open(f"/groepen/{world.upcoming.pk}/uitnodigingen/")
    pages.open(f"/sessies/{world.today_session.pk}/aanwezigheid/")
    pages.open("/ruimtes/")
    pages.open("/trainers/")
    chart = pages.open(f"/trainers/?trainer={world.trainer.pk}")
    expect(chart.locator("main svg[role=img]").first).to_be_visible()
    pages.open("/trainers/wat-als/")
    pages.open(
        f"/trainers/wat-als/?programme={programme.pk}&start_date={world.upcoming.start_date.isoformat()}"
        f"&start_time=13:00&weeks_between=1&runs=2&trainers={world.trainer.pk}&skip_public_holidays=on"
    )
    pages.open(f"/groepen/{world.completed.pk}/evaluatie/")
    pages.open(f"/programmas/{programme.pk}/evaluatie/")

    # Planning a second programme in a room that is booked then: the refusal shows on the form, input kept.
    page = pages.open(f"/groepen/nieuw/?programme={programme.pk}")
    page.locator("#id_programme").select_option(label="SOVA-training")
    page.locator("#id_start_date").fill(world.upcoming.start_date.isoformat())
    page.locator("#id_start_time").fill("10:00")
    page.locator("#id_skip_public_holidays").uncheck()  # the clash stays on the first date, holiday or not
    page.locator("#id_room").select_option(str(world.upcoming.room_id))
    pages.submit()
    refusal = page.locator("main [role=alert]")
    expect(refusal).to_contain_text("Zaal Oost")
    expect(refusal).to_contain_text(world.upcoming.start_date.strftime("%d-%m-%Y"))
    expect(page.locator("#id_start_date")).to_have_value(world.upcoming.start_date.isoformat())
    assert GroupRun.objects.filter(programme__name="SOVA-training").count() == 1
    pages.check("run form with a double booking refused")
    pages.assert_clean()


def test_trainer_pages(pages: Pages, world: World, browser_login) -> None:
    browser_login(world.trainer)
    page = pages.open("/mijn-groepen/")
    expect(page.locator("main")).to_contain_text("Empowermenttraining")
    pages.open("/groepen/")
    pages.open(f"/groepen/{world.running.pk}/")
    pages.open(f"/sessies/{world.today_session.pk}/verslag/")
    pages.open(f"/sessies/{world.running.sessions.get(number=1).pk}/verslag/")  # a log written before
    pages.open(f"/sessies/{world.running.sessions.get(number=5).pk}/aanwezigheid/")  # not yet: the reason shows
    pages.open(f"/groepen/{world.completed.pk}/overdracht/")
    pages.open(f"/deelnames/{world.no_hand_off.pk}/overdracht/")
    pages.open(f"/deelnames/{world.open_hand_off.participation_id}/overdracht/")
    pages.open(f"/deelnames/{world.seen_hand_off.participation_id}/overdracht/")  # seen: shown, not edited
    pages.open(f"/groepen/{world.completed.pk}/evaluatie/")
    pages.open("/evaluaties/")
    pages.open(f"/evaluaties/{world.trainer_invite.pk}/")
    pages.assert_clean()


def test_consultant_pages(pages: Pages, world: World, browser_login) -> None:
    browser_login(world.consultant)
    page = pages.open("/caseload/")
    table = page.locator("[data-testid=caseload-table]")
    expect(table.locator("[data-signal=overdracht]")).to_have_count(1)
    expect(table.locator("[data-signal=afwezig]")).to_have_count(1)
    pages.open(f"/overdrachten/{world.open_hand_off.pk}/")
    pages.open("/afwezigheid/")
    pages.open(f"/afwezigheid/?client={world.absent_client.pk}")
    pages.open(f"/aanmeldingen/{world.waiting.pk}/")
    expect(page.locator("[data-testid=added-value]")).to_be_visible()
    pages.open("/evaluaties/")
    pages.open(f"/evaluaties/{world.consultant_invite.pk}/")
    pages.open(f"/evaluaties/{world.used_invite.pk}/", status=410)

    # Screening refuses the referral of a client with a contra-indication; the reason shows and the input stays.
    page = pages.open(f"/trajecten/instrumenten/{world.blocked_instrument.pk}/aanmelden/")
    page.locator("#id_programme").select_option(str(world.programme.pk))
    page.locator("#id_added_value").fill(ADDED_VALUE)
    pages.submit()
    expect(page.locator("main [role=alert]")).to_contain_text("Empowermenttraining")
    expect(page.locator("#id_added_value")).to_have_value(ADDED_VALUE)
    assert not Referral.objects.filter(client=world.blocked_instrument.trajectory.client).exists()
    pages.check("refer form with a screening refusal")
    pages.assert_clean()


def test_attendance_by_keyboard_and_on_a_phone(pages: Pages, world: World, browser_login) -> None:
    session = world.today_session
    url = f"/sessies/{session.pk}/aanwezigheid/"
    browser_login(world.trainer)
    page = pages.open(url)
    people = page.locator("main [data-attendance-person]")
    expect(people).to_have_count(GROUP_SIZE)

    # Tab reaches "everyone present", then the first participant's choices, then the next participant's.
    everyone = page.locator("main [data-everyone-present]")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(60):
        page.keyboard.press("Tab")
        if everyone.evaluate("button => button === document.activeElement"):
            break
    expect(everyone).to_be_focused()
    page.keyboard.press("Tab")
    first = people.nth(0)
    expect(first.locator("input[type=radio][value=present]")).to_be_focused()
    # Arrow keys move through one participant's choices and choose as they go.
    page.keyboard.press("ArrowDown")
    expect(first.locator("input[value=late]")).to_be_focused()
    expect(first.locator("input[value=late]")).to_be_checked()
    page.keyboard.press("ArrowRight")
    expect(first.locator("input[value=excused]")).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(first.locator("input[value=late]")).to_be_checked()
    expect(first.locator("input:checked")).to_have_count(1)
    page.keyboard.press("Tab")  # one tab stop per participant
    expect(people.nth(1).locator("input[type=radio][value=present]")).to_be_focused()
    # "Everyone present" by keyboard: the others become present, the choice made stays.
    everyone.focus()
    page.keyboard.press("Enter")
    expect(first.locator("input[value=late]")).to_be_checked()
    expect(page.locator("main input[value=present]:checked")).to_have_count(GROUP_SIZE - 1)
    expect(page.locator("[data-testid=attendance-status]")).not_to_be_empty()
    pages.check("attendance after everyone present by keyboard")

    # On a phone: no sideways scrolling; everyone present, two exceptions, save.
    page.set_viewport_size(PHONE)
    pages.open(url)
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"), page.evaluate(
        "[document.scrollingElement.scrollWidth, window.innerWidth]"
    )
    everyone.click()
    expect(page.locator("main input[value=present]:checked")).to_have_count(GROUP_SIZE)
    late, absent = people.nth(3), people.nth(7)
    late.locator("label:has(input[value=late])").click()
    absent.locator("label:has(input[value=excused])").click()
    expect(late.locator("input[value=late]")).to_be_checked()
    with page.expect_navigation():
        page.locator("main form button[name=action][value=save]").click()
    expect(page).to_have_url(re.compile(re.escape(url) + "$"))
    pages.check("attendance saved, on a phone")
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")

    recorded = dict(
        Attendance.objects.filter(session=session).values_list("participation__pk", "status").order_by("pk")
    )
    assert len(recorded) == GROUP_SIZE
    statuses = sorted(recorded.values())
    assert statuses.count(AttendanceStatus.PRESENT) == GROUP_SIZE - 2
    late_pk = int(late.get_attribute("data-participation") or 0)
    absent_pk = int(absent.get_attribute("data-participation") or 0)
    assert (recorded[late_pk], recorded[absent_pk]) == (AttendanceStatus.LATE, AttendanceStatus.EXCUSED)
    session.refresh_from_db()
    assert session.attendance_recorded_at is not None
    pages.assert_clean()
