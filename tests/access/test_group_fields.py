"""Issue 4, "Done when": a trainer sees only their own participants and only the permitted fields, in pages, API
and PDFs; a planner sees logistics only.

One world: two running groups of two trainers in one organisation, participants with a BSN, an e-mail, a date of
birth, special-category flags with notes, a plan with a progress report, a referral with an argued added value
and a support note, attendance and hand-off signals; plus a client on the waiting list. Every page, API endpoint
and PDF that a trainer (or planner) can open about group work is fetched and its text (PDFs through pdftotext,
because WeasyPrint compresses text) is checked: what the role may not see never appears, what the group needs
does appear (so the check can fail), and every client whose name is shown was written to the audit trail by that
request. Every marker text is one word, so that a line break in a PDF cannot hide it.
"""

import datetime
import re
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pytest
from django.http import HttpResponseBase
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from koers.access.categories import DataCategory
from koers.accounts.models import Municipality, Organisation, User
from koers.accounts.roles import Role
from koers.audit.models import AuditEvent
from koers.clients.models import FLAG_CATEGORY, Client, FlagKind
from koers.groupwork.evaluation_services import new_token
from koers.groupwork.models import (
    Attendance,
    AttendanceStatus,
    EvaluationInvite,
    GroupRun,
    HandOff,
    HandOffObservation,
    Participation,
    Perspective,
    Programme,
    Referral,
    ReferralStatus,
    Session,
    Variant,
)
from koers.trajectories.models import IgmFactor, ProgressReportFacet
from tests import factories
from tests import groupwork_factories as gw
from tests import trajectory_factories as tf
from tests.helpers import require_tool

pytestmark = pytest.mark.django_db

PDFTOTEXT = shutil.which("pdftotext")

DATE_OF_BIRTH = datetime.date(1971, 3, 29)
ADDED_OWN, ADDED_OTHER, ADDED_WAITING = "XqAddedValueOwn", "XqAddedValueOther", "XqAddedValueWaiting"
SUPPORT_OWN, SUPPORT_OTHER, SUPPORT_WAITING = "XqSupportOwn", "XqSupportOther", "XqSupportWaiting"
HANDOFF_OWN, HANDOFF_OTHER = "XqHandoffOwn", "XqHandoffOther"
FLAG_NOTES = {
    FlagKind.PSYCHOLOGICAL_CONDITION: "XqPsychNote",
    FlagKind.ACTIVE_ADDICTION: "XqAddictionNote",
    FlagKind.LOW_LANGUAGE: "XqLanguageNote",
}
DOSSIER_TEXTS = (
    "XqPerspective",
    "XqStrengths",
    "XqGoalText",
    "XqInstrumentPurpose",
    "XqIgmTarget",
    "XqProgressSummary",
    "XqProgressChanged",
    "XqProgressNext",
)


@dataclass
class World:
    organisation: Organisation
    trainer: User
    other_trainer: User
    planner: User
    consultant: User
    programme: Programme
    run: GroupRun
    other_run: GroupRun
    sessions: list[Session]
    own: list[Participation]
    other: list[Participation]
    waiting: Referral
    hand_off: HandOff
    other_hand_off: HandOff
    staff_invite: EvaluationInvite
    public_token: str

    @property
    def clients(self) -> list[Client]:
        return [p.client for p in self.own + self.other] + [self.waiting.client]


def _dossier(client: Client, consultant: User) -> tuple[Any, Any]:
    """Flags with notes and a plan with a progress report along the IGM facets: all dossier content."""
    for kind, note in FLAG_NOTES.items():
        factories.ScreeningFlagFactory(client=client, kind=kind, note=f"{note} details", recorded_by=consultant)
    trajectory = tf.TrajectoryFactory(
        client=client, created_by=consultant, future_perspective="XqPerspective", strengths="XqStrengths"
    )
    goal = tf.GoalFactory(trajectory=trajectory, text="XqGoalText")
    instrument = tf.InstrumentFactory(trajectory=trajectory, goal=goal, purpose="XqInstrumentPurpose")
    profile = tf.IgmProfileFactory(trajectory=trajectory, target_behaviour="XqIgmTarget")
    report = tf.ProgressReportFactory(trajectory=trajectory, summary="XqProgressSummary", igm_profile=profile)
    ProgressReportFacet.objects.create(
        report=report, factor=IgmFactor.SELF_EFFICACY, changed="XqProgressChanged", next_steps="XqProgressNext"
    )
    return instrument, goal


def _client(world: dict[str, Any], first: str, last: str, email: str) -> Client:
    client = factories.ClientFactory(
        organisation=world["organisation"],
        municipality=world["municipality"],
        consultant=world["consultant"],
        first_name=first,
        last_name=last,
        email=email,
        date_of_birth=DATE_OF_BIRTH,
        language_level="A2",
        street="Kerkstraat 1",
        postal_code="1234AB",
        city="Lekkerwaard",
    )
    return client


def _referral(world: dict[str, Any], client: Client, added: str, support: str, **kwargs: Any) -> Referral:
    instrument, goal = _dossier(client, world["consultant"])
    return gw.ReferralFactory(
        client=client,
        programme=world["programme"],
        instrument=instrument,
        goal=goal,
        added_value=f"{added} in de groep oefent zij met lotgenoten.",
        needed_variant=Variant.SMALL_GROUP,
        support_note=f"{support} coach belt na elke bijeenkomst",
        referred_by=world["consultant"],
        **kwargs,
    )


def _participant(world: dict[str, Any], run: GroupRun, first: str, last: str, email: str, marks: str) -> Participation:
    client = _client(world, first, last, email)
    added, support = (ADDED_OWN, SUPPORT_OWN) if marks == "own" else (ADDED_OTHER, SUPPORT_OTHER)
    referral = _referral(
        world,
        client,
        added,
        support,
        status=ReferralStatus.STARTED,
        group_run=run,
        placed_on=run.start_date - datetime.timedelta(days=7),
        started_on=run.start_date,
    )
    return factories.ParticipationFactory(group_run=run, client=client, referral=referral, joined_on=run.start_date)


def _running(programme: Programme, trainer: User) -> tuple[GroupRun, list[Session]]:
    """A run that started two weeks ago with weekly sessions, the last one today."""
    start = timezone.localdate() - datetime.timedelta(weeks=2)
    run = factories.GroupRunFactory(programme=programme, start_date=start, status="running", trainers=[trainer])
    return run, [gw.SessionFactory(group_run=run) for _ in range(3)]


def _attended(session: Session, participations: list[Participation], trainer: User) -> None:
    for participation, status in zip(
        participations, (AttendanceStatus.PRESENT, AttendanceStatus.UNEXCUSED), strict=True
    ):
        gw.AttendanceFactory(session=session, participation=participation, status=status, recorded_by=trainer)
    session.attendance_recorded_at = timezone.now()
    session.save(update_fields=["attendance_recorded_at"])


def _hand_off(participation: Participation, trainer: User, advice: str) -> HandOff:
    hand_off: HandOff = gw.HandOffFactory(participation=participation, advice=f"{advice} advies", written_by=trainer)
    HandOffObservation.objects.create(hand_off=hand_off, factor=IgmFactor.ATTITUDE, observation=f"{advice}Observed")
    return hand_off


def _named(user: User, first: str, last: str) -> User:
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return user


@pytest.fixture
def world(organisation: Organisation, municipality: Municipality, make_user: Callable[..., User]) -> World:
    made: dict[str, Any] = {
        "organisation": organisation,
        "municipality": municipality,
        "trainer": _named(make_user(Role.TRAINER), "Tamara", "Oefenmeester"),
        "other_trainer": _named(make_user(Role.TRAINER), "Tobias", "Groepsleider"),
        "planner": make_user(Role.PLANNER),
        "consultant": _named(make_user(Role.CONSULTANT), "Karin", "Trajectwerker"),
    }
    programme = factories.ProgrammeFactory.create(
        organisation=organisation,
        name="Sollicitatietraining Noord",
        contra_indications=[],
        offers_small_group=True,
        small_group_max_size=8,
    )
    made["programme"] = programme
    for number in (1, 2, 3):
        gw.ProgrammeSessionFactory(programme=programme, number=number)
    questionnaires = {}
    for perspective in Perspective.values:
        questionnaires[perspective] = gw.QuestionnaireFactory(programme=programme, perspective=perspective)
        gw.QuestionFactory(questionnaire=questionnaires[perspective], position=1)
    run, sessions = _running(programme, made["trainer"])
    other_run, other_sessions = _running(programme, made["other_trainer"])
    own = [
        _participant(made, run, "Annemarie", "Zwiebelhuis", "zwiebelhuis@example.org", "own"),
        _participant(made, run, "Bertus", "Kwakkelstein", "", "own"),  # no e-mail: gets letters and paper links
    ]
    other = [
        _participant(made, other_run, "Cornelis", "Quaggelaar", "quaggelaar@example.org", "other"),
        _participant(made, other_run, "Dieuwke", "Ploegsteert", "ploegsteert@example.org", "other"),
    ]
    waiting_client = _client(made, "Evert", "Wachtebeek", "wachtebeek@example.org")
    waiting = _referral(made, waiting_client, ADDED_WAITING, SUPPORT_WAITING, status=ReferralStatus.WAITING)
    _attended(sessions[0], own, made["trainer"])
    _attended(other_sessions[0], other, made["other_trainer"])
    expires = timezone.now() + datetime.timedelta(days=7)
    staff_invite = EvaluationInvite.objects.create(
        questionnaire=questionnaires[Perspective.TRAINER], group_run=run, respondent=made["trainer"], expires_at=expires
    )
    EvaluationInvite.objects.create(
        questionnaire=questionnaires[Perspective.TRAINER],
        group_run=other_run,
        respondent=made["other_trainer"],
        expires_at=expires,
    )
    raw, hashed = new_token()
    EvaluationInvite.objects.create(
        questionnaire=questionnaires[Perspective.PARTICIPANT],
        group_run=run,
        participation=own[0],
        token_hash=hashed,
        expires_at=expires,
    )
    return World(
        organisation=organisation,
        trainer=made["trainer"],
        other_trainer=made["other_trainer"],
        planner=made["planner"],
        consultant=made["consultant"],
        programme=programme,
        run=run,
        other_run=other_run,
        sessions=sessions,
        own=own,
        other=other,
        waiting=waiting,
        hand_off=_hand_off(own[0], made["trainer"], HANDOFF_OWN),
        other_hand_off=_hand_off(other[0], made["other_trainer"], HANDOFF_OTHER),
        staff_invite=staff_invite,
        public_token=raw,
    )


# What may never show ----------------------------------------------------------------------------------------------


def _labels(kinds: Sequence[str]) -> list[str]:
    """The labels of these flag kinds in every site language, and their stored values."""
    labels = list(kinds)
    for language in ("nl", "en"):
        with translation.override(language):
            labels += [str(FlagKind(kind).label) for kind in kinds]
    return labels


def _date_texts(day: datetime.date) -> list[str]:
    texts = [f"{day:%d-%m-%Y}", f"{day:%Y-%m-%d}", f"{day:%d/%m/%Y}"]
    for language in ("nl", "en"):
        with translation.override(language):
            texts += [date_format(day, "j F Y"), date_format(day, "DATE_FORMAT")]
    return texts


def _never_for_anyone(world: World) -> list[str]:
    """Dossier content and special categories that neither trainer nor planner may see of anyone."""
    return [
        *FLAG_NOTES.values(),
        *DOSSIER_TEXTS,
        ADDED_OWN,
        ADDED_OTHER,
        ADDED_WAITING,
        *(client.bsn for client in world.clients),
        *_date_texts(DATE_OF_BIRTH),
    ]


def never_for_trainer(world: World) -> list[str]:
    not_for_the_group = [kind for kind in FlagKind.values if FLAG_CATEGORY[kind] != DataCategory.GROUP_NEEDS]
    others = [p.client for p in world.other] + [world.waiting.client]
    return [
        *_never_for_anyone(world),
        *_labels(not_for_the_group),
        *(client.last_name for client in others),
        *(client.email for client in others),
        SUPPORT_OTHER,
        SUPPORT_WAITING,
        HANDOFF_OTHER,
    ]


def never_for_planner(world: World) -> list[str]:
    return [*_never_for_anyone(world), *_labels(FlagKind.values), HANDOFF_OWN, HANDOFF_OTHER]


def never_in_public(world: World) -> list[str]:
    staff = [world.trainer, world.other_trainer, world.consultant]
    return [
        *_never_for_anyone(world),
        *(client.last_name for client in world.clients),
        *(client.email for client in world.clients if client.email),
        *(user.last_name for user in staff),
        SUPPORT_OWN,
        SUPPORT_OTHER,
        SUPPORT_WAITING,
        HANDOFF_OWN,
        HANDOFF_OTHER,
    ]


# Fetching and reading ---------------------------------------------------------------------------------------------


def text_of(response: HttpResponseBase) -> str:
    """The text a reader sees: the HTML or JSON as sent, or the text layer of a PDF with whitespace collapsed."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if not response.get("Content-Type", "").startswith("application/pdf"):
        return content.decode()
    assert content.startswith(b"%PDF")
    pdftotext = require_tool(PDFTOTEXT, "poppler-utils")
    extracted = subprocess.run([pdftotext, "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True)
    return " ".join(extracted.stdout.decode().split())


def _found(text: str, needle: str) -> bool:
    if needle.isdigit() or needle[:1].isdigit():  # a BSN or a date: not as part of a longer number
        return re.search(rf"(?<![\d-]){re.escape(needle)}(?![\d-])", text) is not None
    return needle in text


@dataclass(frozen=True)
class Url:
    """A URL by name, with its kwargs taken from the world (an object gives its ``pk``) and an optional query that
    may name ``{run}``, ``{first_session}`` and ``{first_participation}``."""

    name: str
    kwargs: tuple[tuple[str, Callable[[World], Any]], ...] = ()
    query: str = ""

    def __call__(self, world: World) -> str:
        kwargs = {key: getattr(value(world), "pk", value(world)) for key, value in self.kwargs}
        url = reverse(self.name, kwargs=kwargs or None)
        if not self.query:
            return url
        values = {"run": world.run.pk, "first_session": world.sessions[0].pk, "first_participation": world.own[0].pk}
        return f"{url}?{self.query.format(**values)}"


@dataclass(frozen=True)
class Page:
    """A page, endpoint or PDF: its URL in the world, and what it must show (so that the check can fail)."""

    id: str
    url: Url
    shows: Callable[[World], list[str]] = lambda world: []
    post: Callable[[World], dict[str, str]] | None = None
    pdf: bool = False


def fetch(http: HttpClient, page: Page, world: World, user: User | None) -> str:
    """The page's text; with ``user``, also checks that every client it names is on record as read by them."""
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    url = page.url(world)
    response = http.post(url, page.post(world)) if page.post else http.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    if page.pdf:
        assert response["Content-Type"].startswith("application/pdf"), f"{url} is not a PDF"
    text = text_of(response)
    if user is not None:
        audited = set(
            AuditEvent.objects.filter(pk__gt=before, actor=user, client_id__isnull=False).values_list(
                "client_id", flat=True
            )
        )
        shown = {client.pk for client in world.clients if client.last_name in text}
        assert shown <= audited, f"{url} shows clients {shown - audited} without an audit event"
    return text


def assert_fields(text: str, page: Page, world: World, never: list[str]) -> None:
    leaked = sorted({needle for needle in never if _found(text, needle)})
    assert not leaked, f"{page.id} shows what it may not: {leaked}"
    missing = [needle for needle in page.shows(world) if needle not in text]
    assert not missing, f"{page.id} does not show {missing}"


def _url(name: str, **kwargs: Callable[[World], Any]) -> Url:
    return Url(name, tuple(kwargs.items()))


def _with_query(url: Url, query: str) -> Url:
    return replace(url, query=query)


def _variant_label() -> str:
    with translation.override("nl"):
        return str(Variant.SMALL_GROUP.label)


def own_names(world: World) -> list[str]:
    return [p.client.last_name for p in world.own]


def own_needs(world: World) -> list[str]:
    return [*own_names(world), SUPPORT_OWN, _variant_label()]


def _run(world: World) -> GroupRun:
    return world.run


def _today(world: World) -> Session:
    return world.sessions[-1]


def _first(world: World) -> Session:
    return world.sessions[0]


def _first_participant(world: World) -> Participation:
    return world.own[0]


def _first_client(world: World) -> Client:
    return world.own[0].client


def _first_attendance(world: World) -> Attendance:
    return Attendance.objects.get(session=world.sessions[0], participation=world.own[0])


def _evaluation_start(world: World) -> dict[str, str]:
    return {"days_valid": "21", "confirm_new_links": "on"}


# The trainer ------------------------------------------------------------------------------------------------------

TRAINER_PAGES = [
    Page("runs", _url("groupwork:runs")),
    Page("runs-past", _with_query(_url("groupwork:runs"), "periode=afgelopen")),
    Page("run_detail", _url("groupwork:run_detail", pk=_run), shows=lambda w: [*own_names(w), _variant_label()]),
    Page("session_attendance", _url("groupwork:session_attendance", pk=_today), shows=own_needs),
    Page("session_attendance-recorded", _url("groupwork:session_attendance", pk=_first), shows=own_needs),
    Page("session_log", _url("groupwork:session_log", pk=_today)),
    Page("session_attendance_pdf", _url("groupwork:session_attendance_pdf", pk=_today), shows=own_names, pdf=True),
    Page("trainer_home", _url("groupwork:trainer_home"), shows=own_needs),
    Page("run_handoffs", _url("groupwork:run_handoffs", pk=_run), shows=own_names),
    Page(
        "handoff_write-written",
        _url("groupwork:handoff_write", pk=_first_participant),
        shows=lambda w: [w.own[0].client.last_name, SUPPORT_OWN, _variant_label(), HANDOFF_OWN],
    ),
    Page(
        "handoff_write-new",
        _url("groupwork:handoff_write", pk=lambda w: w.own[1]),
        shows=lambda w: [w.own[1].client.last_name, SUPPORT_OWN],
    ),
    Page("my_evaluations", _url("groupwork:my_evaluations"), shows=lambda w: [w.programme.name]),
    Page("staff_evaluation_answer", _url("groupwork:staff_evaluation_answer", pk=lambda w: w.staff_invite)),
    Page("run_evaluation", _url("groupwork:run_evaluation", pk=_run)),
    Page(
        "run_evaluation-links_pdf",
        _url("groupwork:run_evaluation", pk=_run),
        shows=lambda w: [w.own[1].client.last_name],
        post=_evaluation_start,
        pdf=True,
    ),
    Page("clients:list", _url("clients:list"), shows=own_names),
    Page("clients:detail", _url("clients:detail", pk=_first_client), shows=lambda w: [w.own[0].client.last_name]),
    Page("catalogue", _url("groupwork:catalogue"), shows=lambda w: [w.programme.name]),
    Page("programme_public", _url("groupwork:programme_public", pk=lambda w: w.programme)),
    Page("api:group-runs", _url("v1:grouprun-list")),
    Page("api:group-run", _url("v1:grouprun-detail", pk=_run)),
    Page("api:sessions", _url("v1:session-list")),
    Page("api:sessions-of-run", _with_query(_url("v1:session-list"), "group_run={run}")),
    Page("api:session", _url("v1:session-detail", pk=_today)),
    Page("api:referrals", _url("v1:referral-list"), shows=lambda w: [*own_names(w), SUPPORT_OWN, "small_group"]),
    Page(
        "api:referral",
        _url("v1:referral-detail", pk=lambda w: w.own[0].referral),
        shows=lambda w: [w.own[0].client.last_name, SUPPORT_OWN],
    ),
    Page("api:attendance", _url("v1:attendance-list")),
    Page("api:attendance-of-session", _with_query(_url("v1:attendance-list"), "session={first_session}")),
    Page("api:attendance-record", _url("v1:attendance-detail", pk=_first_attendance)),
    Page("api:hand-offs", _url("v1:handoff-list"), shows=lambda w: [HANDOFF_OWN]),
    Page("api:hand-off", _url("v1:handoff-detail", pk=lambda w: w.hand_off), shows=lambda w: [HANDOFF_OWN]),
    Page("api:programmes", _url("v1:programme-list"), shows=lambda w: [w.programme.name]),
    Page("api:programme", _url("v1:programme-detail", pk=lambda w: w.programme), shows=lambda w: [w.programme.name]),
    Page("api:clients", _url("v1:client-list"), shows=own_names),
    Page("api:client", _url("v1:client-detail", pk=_first_client), shows=lambda w: [w.own[0].client.last_name]),
]


@pytest.mark.parametrize("target", TRAINER_PAGES, ids=lambda target: target.id)
def test_trainer_sees_own_participants_and_only_what_the_group_needs(world: World, login, target: Page) -> None:
    text = fetch(login(world.trainer), target, world, world.trainer)
    assert_fields(text, target, world, never_for_trainer(world))


def _reachable(role: str) -> set[str]:
    """Group-work pages and endpoints (and the client pages they link to) that ``role`` opens, by the URL matrix."""
    from tests.access.test_url_matrix import MATRIX

    prefixes = ("groupwork:", "v1:", "clients:")
    return {
        name.split("#")[0]
        for name, (_kwargs, expected) in MATRIX.items()
        if expected[role] == 200 and name.startswith(prefixes) and name != "v1:me"
    }


def test_every_page_a_trainer_opens_is_checked() -> None:
    """A new page or endpoint that the URL matrix opens to trainers must be added to TRAINER_PAGES."""
    checked = {target.url.name for target in TRAINER_PAGES + PUBLIC_PAGES}
    assert not _reachable(Role.TRAINER) - checked


# The planner ------------------------------------------------------------------------------------------------------


def _waiting(world: World) -> Referral:
    return world.waiting


def _programme(world: World) -> Programme:
    return world.programme


def waiting_needs(world: World) -> list[str]:
    return [world.waiting.client.last_name, SUPPORT_WAITING]


PLANNER_PAGES = [
    Page("runs", _url("groupwork:runs")),
    Page("run_detail", _url("groupwork:run_detail", pk=_run), shows=lambda w: [*own_names(w), _variant_label()]),
    Page("run_detail-other", _url("groupwork:run_detail", pk=lambda w: w.other_run)),
    Page("session_attendance", _url("groupwork:session_attendance", pk=_today), shows=own_needs),
    Page("session_attendance_pdf", _url("groupwork:session_attendance_pdf", pk=_today), shows=own_names, pdf=True),
    Page("session_edit", _url("groupwork:session_edit", pk=_today)),
    Page("run_edit", _url("groupwork:run_edit", pk=_run)),
    Page("run_create", _url("groupwork:run_create")),
    Page("run_invitations", _url("groupwork:run_invitations", pk=_run), shows=own_names),
    Page(
        "run_invitation_letters",
        _url("groupwork:run_invitation_letters", pk=_run),
        shows=lambda w: [w.own[1].client.last_name],
        pdf=True,
    ),
    Page(
        "run_invitation_letters-one",
        _with_query(_url("groupwork:run_invitation_letters", pk=_run), "deelnemer={first_participation}"),
        shows=lambda w: [w.own[0].client.last_name],
        pdf=True,
    ),
    Page("waiting_lists", _url("groupwork:waiting_lists"), shows=lambda w: [w.programme.name]),
    Page("waiting_list", _url("groupwork:waiting_list", programme_pk=_programme), shows=waiting_needs),
    Page("referral_detail-waiting", _url("groupwork:referral_detail", pk=_waiting), shows=waiting_needs),
    Page(
        "referral_detail-started",
        _url("groupwork:referral_detail", pk=lambda w: w.own[0].referral),
        shows=lambda w: [w.own[0].client.last_name, SUPPORT_OWN],
    ),
    Page("referral_place", _url("groupwork:referral_place", pk=_waiting), shows=waiting_needs),
    Page("rooms", _url("groupwork:rooms")),
    Page("trainer_capacity", _url("groupwork:trainer_capacity")),
    Page("capacity_what_if", _url("groupwork:capacity_what_if")),
    Page("placement:request", _url("placement:request", programme_pk=_programme)),
    Page("run_evaluation", _url("groupwork:run_evaluation", pk=_run)),
    Page("programme_evaluation", _url("groupwork:programme_evaluation", pk=_programme)),
    Page("clients:list", _url("clients:list"), shows=own_names),
    Page("clients:detail", _url("clients:detail", pk=_first_client), shows=lambda w: [w.own[0].client.last_name]),
    Page("api:group-runs", _url("v1:grouprun-list")),
    Page("api:group-run", _url("v1:grouprun-detail", pk=lambda w: w.other_run)),
    Page("api:sessions", _url("v1:session-list")),
    Page("api:session", _url("v1:session-detail", pk=_today)),
    Page("api:programmes", _url("v1:programme-list"), shows=lambda w: [w.programme.name]),
    Page("api:programme", _url("v1:programme-detail", pk=lambda w: w.programme)),
    Page("api:attendance-record", _url("v1:attendance-detail", pk=_first_attendance)),
    Page(
        "api:referrals",
        _url("v1:referral-list"),
        shows=lambda w: [*own_names(w), w.waiting.client.last_name, SUPPORT_OWN, SUPPORT_WAITING],
    ),
    Page("api:referral", _url("v1:referral-detail", pk=_waiting), shows=waiting_needs),
    Page("api:attendance", _url("v1:attendance-list")),
    Page("api:clients", _url("v1:client-list"), shows=own_names),
    Page("api:client", _url("v1:client-detail", pk=_first_client), shows=lambda w: [w.own[0].client.last_name]),
]


@pytest.mark.parametrize("target", PLANNER_PAGES, ids=lambda target: target.id)
def test_planner_sees_logistics_only(world: World, login, target: Page) -> None:
    text = fetch(login(world.planner), target, world, world.planner)
    assert_fields(text, target, world, never_for_planner(world))


def test_every_page_a_planner_opens_is_checked() -> None:
    """A new page or endpoint that the URL matrix opens to planners must be added to PLANNER_PAGES."""
    checked = {target.url.name for target in PLANNER_PAGES + PUBLIC_PAGES}
    assert not _reachable(Role.PLANNER) - checked


# Public pages -----------------------------------------------------------------------------------------------------

PUBLIC_PAGES = [
    Page("catalogue", _url("groupwork:catalogue"), shows=lambda w: [w.programme.name]),
    Page("programme_public", _url("groupwork:programme_public", pk=_programme), shows=lambda w: [w.programme.name]),
    Page(
        "evaluation_answer",
        _url("groupwork:evaluation_answer", token=lambda w: w.public_token),
        shows=lambda w: [w.programme.name],
    ),
    Page("evaluation_thanks", _url("groupwork:evaluation_thanks")),
]


@pytest.mark.parametrize("target", PUBLIC_PAGES, ids=lambda target: target.id)
def test_public_pages_hold_no_personal_data(world: World, client: HttpClient, target: Page) -> None:
    text = fetch(client, target, world, None)
    assert_fields(text, target, world, never_in_public(world))
