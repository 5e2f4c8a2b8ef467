"""The management report on a small fixed dataset whose figures are worked out by hand in the comments.

The period is the first quarter of 2026: month ends 31 January, 28 February and 31 March, and 64 working days
(January 22, February 20, March 22; Monday to Friday).
"""

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from koers.accounts.models import Organisation, User
from koers.accounts.roles import Role
from koers.groupwork.models import AttendanceStatus, ReferralStatus, RunStatus
from koers.principles.models import PrincipleSnapshot
from koers.reporting.management_report import management_report, month_ends, utilisation_band, working_days
from koers.reporting.models import CostAssumptions
from koers.reporting.report import SUPPRESSED, Period, Report
from tests import factories
from tests.groupwork_factories import AttendanceFactory, ReferralFactory, SessionFactory, TrainerProfileFactory

pytestmark = pytest.mark.django_db

Q1 = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
JAN_31, FEB_28, MAR_31 = datetime.date(2026, 1, 31), datetime.date(2026, 2, 28), datetime.date(2026, 3, 31)


def build(organisation: Organisation, **kwargs: object) -> Report:
    with translation.override("en"):
        return management_report(organisation.pk, Q1, **kwargs)  # type: ignore[arg-type]


def consultant_with_clients(organisation: Organisation, teams: list, clients: int, **kwargs: object):
    consultant = factories.UserFactory(organisation=organisation, roles=[Role.CONSULTANT], **kwargs)
    consultant.teams.set(teams)
    factories.ClientFactory.create_batch(clients, organisation=organisation, consultant=consultant)
    return consultant


@pytest.fixture
def mgt_other_organisation() -> Organisation:
    return factories.OrganisationFactory(name="Ander Werkbedrijf")


# --- Calendar -----------------------------------------------------------------------------------------------------


def test_month_ends_are_those_within_the_period_and_at_most_36():
    assert month_ends(Q1) == [JAN_31, FEB_28, MAR_31]
    # 15 January to 14 February holds one month end; a period without one shows its own last day.
    assert month_ends(Period(datetime.date(2026, 1, 15), datetime.date(2026, 2, 14))) == [JAN_31]
    assert month_ends(Period(datetime.date(2026, 1, 2), datetime.date(2026, 1, 20))) == [datetime.date(2026, 1, 20)]
    # 2020-01-01 to 2026-03-31 holds 75 month ends: the latest 36 run from April 2023 to March 2026.
    long = month_ends(Period(datetime.date(2020, 1, 1), MAR_31))
    assert (len(long), long[0], long[-1]) == (36, datetime.date(2023, 4, 30), MAR_31)


def test_working_days_count_monday_to_friday():
    assert working_days(Q1) == 64  # 22 + 20 + 22
    # Saturday 3 January to Monday 5 January: one working day.
    assert working_days(Period(datetime.date(2026, 1, 3), datetime.date(2026, 1, 5))) == 1


# --- Caseload -----------------------------------------------------------------------------------------------------


@pytest.fixture
def mgt_caseload(organisation: Organisation, mgt_other_organisation: Organisation) -> None:
    noord, oost, west, zuid = (
        factories.TeamFactory(organisation=organisation, name=name) for name in ("Noord", "Oost", "West", "Zuid")
    )
    consultant_with_clients(organisation, [noord], 6)
    consultant_with_clients(organisation, [noord, oost], 8)  # in two teams: counts in both
    consultant_with_clients(organisation, [oost], 5)
    consultant_with_clients(organisation, [oost], 0)
    consultant_with_clients(organisation, [west], 5)
    consultant_with_clients(organisation, [zuid], 3)
    consultant_with_clients(organisation, [noord], 4, is_active=False)  # gone: not counted
    planner = factories.UserFactory(organisation=organisation, roles=[Role.PLANNER])
    planner.teams.add(noord)  # not a consultant: not counted
    elsewhere = factories.TeamFactory(organisation=mgt_other_organisation, name="Elders")
    consultant_with_clients(mgt_other_organisation, [elsewhere], 7)


def test_caseload_per_team_with_a_small_team_and_its_complement_withheld(organisation, mgt_caseload):
    table = build(organisation).table("caseload")
    assert table.rows == [
        # Noord: 6 + 8 = 14 clients over 2 consultants: mean 7, fewest 6, most 8, spread 2.
        ["Noord", 2, 14, 7.0, 6, 8, 2],
        # Oost: 8 + 5 + 0 = 13 over 3: mean 13/3; the consultant in Noord and Oost counts in both.
        ["Oost", 3, 13, 13 / 3, 0, 8, 8],
        # West: 5 clients, withheld as the smallest other team: otherwise 27 − 14 − 13 − 5 would give Zuid's 3
        # (the column's total) back. Its per-consultant figures would give the count back as well.
        ["West", 1, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED],
        # Zuid: 3 clients, under 5.
        ["Zuid", 1, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED],
    ]
    # Every consultant and client once: 6 consultants, 6 + 8 + 5 + 0 + 5 + 3 = 27 clients, mean 4.5.
    assert table.total == ["Total", 6, 27, 4.5, 0, 8, 8]


def test_caseload_withholds_a_consultant_with_one_to_four_clients(organisation):
    team = factories.TeamFactory(organisation=organisation, name="Noord")
    consultant_with_clients(organisation, [team], 3)
    consultant_with_clients(organisation, [team], 9)
    # 12 clients may be shown, and their mean 6, but not the caseload of 3, nor the spread 9 − 3 that gives it, nor
    # the most, 9: with two consultants 12 − 9 gives the 3 back.
    assert build(organisation).table("caseload").rows == [["Noord", 2, 12, 6.0, SUPPRESSED, SUPPRESSED, SUPPRESSED]]


def test_caseload_withholds_a_fewest_of_zero_beside_a_most_of_one_to_four(organisation):
    team = factories.TeamFactory(organisation=organisation, name="Noord")
    for clients in (0, 3, 4):
        consultant_with_clients(organisation, [team], clients)
    # Fewest 0 and a withheld most in 7 clients over 3: only 0 + 3 + 4 fits a most of 1 to 4, so the 0 goes too.
    assert build(organisation).table("caseload").rows == [["Noord", 3, 7, 7 / 3, SUPPRESSED, SUPPRESSED, SUPPRESSED]]


def test_a_period_up_to_the_last_representable_day_has_month_ends():
    period = Period(datetime.date(9999, 11, 1), datetime.date(9999, 12, 31))
    assert month_ends(period) == [datetime.date(9999, 11, 30), datetime.date(9999, 12, 31)]


# --- Waiting list -------------------------------------------------------------------------------------------------


def referral(programme: Any, referred_on: datetime.date, **dates: datetime.date) -> None:
    status = (
        ReferralStatus.WITHDRAWN
        if "ended_on" in dates
        else ReferralStatus.PLACED
        if "placed_on" in dates
        else ReferralStatus.WAITING
    )
    organisation = programme.organisation
    referrer = User.objects.filter(username=f"referrer-{organisation.pk}").first() or factories.UserFactory(
        organisation=organisation, username=f"referrer-{organisation.pk}"
    )
    client = factories.ClientFactory(organisation=organisation)  # in nobody's caseload
    ReferralFactory(
        client=client, programme=programme, referred_by=referrer, referred_on=referred_on, status=status, **dates
    )


@pytest.fixture
def mgt_waiting(organisation: Organisation, mgt_other_organisation: Organisation) -> None:
    empowerment = factories.ProgrammeFactory(organisation=organisation, name="Empowerment")
    applying = factories.ProgrammeFactory(organisation=organisation, name="Solliciteren")
    d = datetime.date
    for _ in range(4):
        referral(empowerment, d(2025, 12, 10))  # waiting at all three ends; 111 days on 31 March
    for _ in range(2):
        referral(empowerment, d(2026, 2, 20))  # February and March; 39 days on 31 March
    referral(empowerment, d(2026, 1, 20), placed_on=d(2026, 2, 14))  # placed mid-February: January only
    referral(empowerment, d(2026, 1, 5), ended_on=d(2026, 3, 10))  # withdrawn mid-March: January and February
    referral(empowerment, d(2026, 2, 15), placed_on=d(2026, 3, 15))  # February only
    referral(empowerment, d(2026, 3, 31))  # referred on the month end itself: March, 0 days
    referral(empowerment, d(2026, 2, 10), placed_on=d(2026, 2, 28))  # placed on a month end: not waiting then
    referral(applying, d(2026, 1, 10))  # all three; 80 days on 31 March
    referral(applying, d(2026, 1, 20))  # all three; 70 days on 31 March
    for _ in range(3):
        referral(applying, d(2026, 2, 1), placed_on=d(2026, 3, 16))  # February only
    referral(applying, d(2026, 3, 1))  # March; 30 days
    elsewhere = factories.ProgrammeFactory(organisation=mgt_other_organisation, name="Elders")
    for _ in range(5):
        referral(elsewhere, d(2026, 1, 2))


def test_waiting_list_at_month_ends_with_referrals_placed_mid_month(organisation, mgt_waiting):
    report = build(organisation)
    table = report.table("waiting")
    assert [column.label for column in table.columns] == ["Month end", "Empowerment", "Solliciteren", "All programmes"]
    assert table.rows == [
        # Empowerment 4 + 1 + 1 = 6, Solliciteren 2: the 2 is withheld, and Empowerment with it, since the row adds
        # up to its total 8.
        ["31 January 2026", SUPPRESSED, SUPPRESSED, 8],
        # Empowerment 4 + 2 + 1 (withdrawn later) + 1 (placed in March) = 8; Solliciteren 2 + 3 = 5.
        ["28 February 2026", 8, 5, 13],
        # Empowerment 4 + 2 + 1 = 7, Solliciteren 2 + 1 = 3: withheld with its complement.
        ["31 March 2026", SUPPRESSED, SUPPRESSED, 10],
    ]
    assert table.total is None  # waiting lists at month ends do not add up
    # Days waited on 31 March, sorted: 0, 30, 39, 39, 70, 80, 111, 111, 111, 111: the median is (70 + 80) / 2.
    assert report.table("waiting_median").rows == [["31 March 2026", 10, 75.0]]
    assert report.section("waiting").charts[0].svg.startswith("<svg")


def test_median_wait_is_withheld_below_five_referrals(organisation):
    programme = factories.ProgrammeFactory(organisation=organisation, name="Empowerment")
    for _ in range(3):
        referral(programme, datetime.date(2026, 3, 1))
    assert build(organisation).table("waiting_median").rows == [["31 March 2026", SUPPRESSED, SUPPRESSED]]


# --- Rooms and trainers -------------------------------------------------------------------------------------------


def session(run, day: datetime.date, starts: tuple[int, int], ends: tuple[int, int], **kwargs: object):
    return SessionFactory(
        group_run=run, date=day, starts_at=datetime.time(*starts), ends_at=datetime.time(*ends), **kwargs
    )


def attend(session_: Any, participations: list[Any], statuses: Sequence[str], recorder: Any) -> None:
    for participation, status in zip(participations, statuses, strict=False):
        AttendanceFactory(session=session_, participation=participation, status=status, recorded_by=recorder)


@pytest.fixture
def mgt_schedule(organisation: Organisation, mgt_other_organisation: Organisation) -> None:
    CostAssumptions.objects.create(organisation=organisation, room_hours_per_day=Decimal("6.00"))
    d = datetime.date
    first = TrainerProfileFactory(
        user__organisation=organisation, user__last_name="Aalders", user__first_name="Ada", hours_per_week=10
    ).user
    second = TrainerProfileFactory(
        user__organisation=organisation,
        user__last_name="Bakker",
        user__first_name="Bram",
        hours_per_week=4,
        switching_minutes=30,
    ).user
    factories.UserFactory(organisation=organisation, roles=[Role.TRAINER], last_name="Claassen", first_name="Cor")
    programme = factories.ProgrammeFactory(organisation=organisation)
    room = factories.RoomFactory(organisation=organisation, name="Zaal A", location="Markt 1", capacity=10)
    factories.RoomFactory(organisation=organisation, name="Zaal B", location="Markt 1", is_active=False)
    factories.RoomFactory(organisation=organisation, name="Zaal C", location="Markt 1")
    run = factories.GroupRunFactory(programme=programme, room=room, start_date=d(2026, 1, 12), trainers=[first])
    participations = [factories.ParticipationFactory(group_run=run, joined_on=d(2026, 1, 12)) for _ in range(8)]
    recorded = datetime.datetime(2026, 1, 12, 12, tzinfo=datetime.UTC)
    monday = session(run, d(2026, 1, 12), (9, 30), (12, 0), attendance_recorded_at=recorded)
    present, late, excused = AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.EXCUSED
    attend(monday, participations, [present] * 6 + [late, excused], first)
    afternoon = session(run, d(2026, 2, 9), (13, 0), (16, 0), attendance_recorded_at=recorded)
    attend(afternoon, participations, [present] * 5, first)
    session(run, d(2026, 3, 9), (9, 30), (12, 0), is_cancelled=True)
    session(run, d(2026, 3, 23), (9, 0), (10, 30))  # attendance not recorded yet
    session(run, d(2026, 4, 6), (9, 30), (12, 0))  # after the period
    cancelled_run = factories.GroupRunFactory(
        programme=programme, room=room, start_date=d(2026, 2, 2), status=RunStatus.CANCELLED, trainers=[first]
    )
    session(cancelled_run, d(2026, 2, 2), (9, 30), (12, 0))
    roomless = factories.GroupRunFactory(programme=programme, room=None, start_date=d(2026, 2, 2), trainers=[second])
    session(roomless, d(2026, 2, 2), (10, 0), (12, 0))
    other_trainer = TrainerProfileFactory(user__organisation=mgt_other_organisation).user
    other_run = factories.GroupRunFactory(
        programme=factories.ProgrammeFactory(organisation=mgt_other_organisation),
        start_date=d(2026, 1, 12),
        trainers=[other_trainer],
    )
    session(other_run, d(2026, 1, 12), (9, 0), (17, 0))


def test_room_occupancy_excludes_cancelled_sessions(organisation, mgt_schedule):
    table = build(organisation).table("rooms")
    # Zaal A: the sessions of 12 January (150 min), 9 February (180) and 23 March (90); not the cancelled one of
    # 9 March, not the one of the cancelled run, not April's: 420 min = 7 h. Available: 64 days × 6 h = 384 h.
    # Seat fill over the two recorded sessions: (6 present + 1 late) + 5 present = 12 of 2 × 10 seats.
    # Zaal B is not in use and unbooked: left out. Zaal C: nothing booked, no seat fill to report.
    assert table.rows == [
        ["Zaal A (Markt 1)", 10, 3, Decimal("7.00"), Decimal("384.00"), 7 / 384, 0.6],
        ["Zaal C (Markt 1)", 16, 0, Decimal("0.00"), Decimal("384.00"), 0.0, None],
    ]
    assert table.total == ["Total", None, 3, Decimal("7.00"), Decimal("768.00"), 7 / 768, 0.6]


def test_trainer_utilisation_from_the_time_model(organisation, mgt_schedule):
    report = build(organisation)
    table = report.table("trainers")
    # Time model defaults: 3 h scaled by the training's share of 8 h, plus 1 h set-up and clearing up.
    # Aalders: 150 min → 2.5 + 0.9375 + 1 = 4.44; 180 min → 3 + 1.125 + 1 = 5.12; 90 min → 1.5 + 0.5625 + 1 = 3.06:
    # 12.62 h of 10 h × 64 / 5 = 128 h.
    # Bakker: 120 min → 2 + 0.75 + 1 + 0.5 switching = 4.25 h of 4 h × 12.8 = 51.2 h.
    # Claassen: no hours on record, nothing trained.
    assert table.rows == [
        ["With hours for groups on record", 2, 4, Decimal("16.87"), Decimal("179.2"), 16.87 / 179.2],
        ["No hours for groups on record", 1, 0, Decimal("0"), None, None],
    ]
    assert table.total == ["All trainers", 3, 4, Decimal("16.87"), Decimal("179.2"), None]
    # Aalders 12.62 / 128 ≈ 9.9 % and Bakker 4.25 / 51.2 ≈ 8.3 %: both under 50 %.
    assert report.table("trainer_bands").rows == [
        ["Under 50%", 2],
        ["50% to under 80%", 0],
        ["80% to 100%", 0],
        ["Over 100%", 0],
        ["No hours for groups on record", 1],
    ]
    assert report.table("trainer_bands").total == ["Total", 3]


@pytest.fixture
def mgt_trainer_pool(organisation: Organisation) -> None:
    """Seven trainers over one week of sessions of 120 minutes: 2 + 0.75 + 1 = 3.75 hours each by the time model."""

    def trainer(hours_per_week: str, switching_minutes: int = 0) -> User:
        return TrainerProfileFactory(
            user__organisation=organisation,
            hours_per_week=Decimal(hours_per_week),
            switching_minutes=switching_minutes,
        ).user

    at_full = trainer("7.5")  # 2 sessions: 7.5 of 7.5 h, exactly 100 %: 80 % to 100 %
    at_half = trainer("7.5")  # 3.75 of 7.5 h, exactly 50 %: 50 % to under 80 %
    switching = trainer("5.0", switching_minutes=15)  # 3.75 + 0.25 = 4 of 5 h, exactly 80 %: 80 % to 100 %
    over = trainer("3.0")  # 3.75 of 3 h, 125 %: over 100 %
    trainer("10.0")  # nothing trained: 0 %, under 50 %
    zero_hours = trainer("0.0")  # 3.75 h trained, no hours for groups
    factories.UserFactory(organisation=organisation, roles=[Role.TRAINER])  # no profile, nothing trained
    factories.UserFactory(organisation=organisation, roles=[Role.TRAINER], is_active=False)  # gone: not counted
    programme = factories.ProgrammeFactory(organisation=organisation)
    monday = datetime.date(2026, 1, 5)
    for day, trainers in enumerate([[at_full, at_half, switching], [at_full, over], [zero_hours]]):
        run = factories.GroupRunFactory(programme=programme, start_date=monday, trainers=trainers)
        session(run, monday + datetime.timedelta(days=day), (9, 0), (11, 0))


def test_trainer_pool_and_utilisation_bands_name_nobody(organisation, mgt_trainer_pool):
    # Monday 5 to Sunday 11 January: 5 working days, 1 week, so hours available are the hours per week.
    with translation.override("en"):
        report = management_report(organisation.pk, Period(datetime.date(2026, 1, 5), datetime.date(2026, 1, 11)))
    table = report.table("trainers")
    # With hours: 2 + 1 + 1 + 1 + 0 = 5 sessions; 7.5 + 3.75 + 4 + 3.75 + 0 = 19 h of
    # 7.5 + 7.5 + 5 + 3 + 10 = 33 h. Without: the trainer with 0 hours a week (1 session, 3.75 h) and the one
    # without a profile.
    assert table.rows == [
        ["With hours for groups on record", 5, 5, Decimal("19.00"), Decimal("33.0"), 19 / 33],
        ["No hours for groups on record", 2, 1, Decimal("3.75"), None, None],
    ]
    assert table.total == ["All trainers", 7, 6, Decimal("22.75"), Decimal("33.0"), None]
    bands = report.table("trainer_bands")
    assert bands.rows == [
        ["Under 50%", 1],
        ["50% to under 80%", 1],
        ["80% to 100%", 2],
        ["Over 100%", 1],
        ["No hours for groups on record", 2],
    ]
    assert bands.total == ["Total", 7]
    section = report.section("trainers")
    assert "trainer capacity page" in section.intro
    shown = repr([section.intro, section.notes, [(t.rows, t.total, t.note) for t in section.tables]])
    assert not [user.last_name for user in User.objects.all() if user.last_name and user.last_name in shown]


def test_utilisation_of_a_single_trainer_is_withheld(organisation):
    trainer = TrainerProfileFactory(user__organisation=organisation, hours_per_week=8).user
    factories.UserFactory(organisation=organisation, roles=[Role.TRAINER])  # no hours on record
    run = factories.GroupRunFactory(
        programme=factories.ProgrammeFactory(organisation=organisation),
        start_date=datetime.date(2026, 1, 12),
        trainers=[trainer],
    )
    session(run, datetime.date(2026, 1, 12), (9, 0), (11, 0))
    report = build(organisation)
    # One trainer with hours: 3.75 h planned may show, not the 8 × 12.8 = 102.4 h available it would divide by.
    assert report.table("trainers").rows[0] == [
        "With hours for groups on record",
        1,
        1,
        Decimal("3.75"),
        SUPPRESSED,
        SUPPRESSED,
    ]
    assert report.table("trainers").total == ["All trainers", 2, 1, Decimal("3.75"), SUPPRESSED, None]
    with pytest.raises(KeyError):
        report.table("trainer_bands")  # its only band with hours would hold that one person
    assert report.section("trainers").notes == [
        "The number of trainers per utilisation band is shown once at least two trainers have hours for groups on "
        "record: with one, it would give that person's utilisation."
    ]


@pytest.mark.parametrize(
    ("planned", "available", "band"),
    [
        ("0", "10", "under_50"),
        ("4.99", "10", "under_50"),
        ("5", "10", "50_to_80"),
        ("7.99", "10", "50_to_80"),
        ("8", "10", "80_to_100"),
        ("10", "10", "80_to_100"),
        ("10.01", "10", "over_100"),
        ("3", "0", "no_hours"),
    ],
)
def test_utilisation_bands_hold_their_lower_bound_and_100_percent(planned, available, band):
    assert utilisation_band(Decimal(planned), Decimal(available)) == band


# --- Principles ---------------------------------------------------------------------------------------------------


def snapshots(organisation: Organisation, month: datetime.date, consultant, passed: int, attention: int, failed: int):
    """The same counts for principles 1–9; principle 10 with every trajectory failing."""
    audited = passed + attention + failed
    for number in range(1, 11):
        counts = (passed, attention, failed) if number < 10 else (0, 0, audited)
        PrincipleSnapshot.objects.create(
            organisation=organisation,
            month=month,
            consultant=consultant,
            principle=number,
            passed=counts[0],
            attention=counts[1],
            failed=counts[2],
        )


@pytest.fixture
def mgt_snapshots(organisation: Organisation, mgt_other_organisation: Organisation) -> None:
    first, second = (factories.UserFactory(organisation=organisation, roles=[Role.CONSULTANT]) for _ in range(2))
    snapshots(organisation, datetime.date(2026, 1, 1), first, 3, 1, 0)  # 4 trajectories: withheld
    snapshots(organisation, datetime.date(2026, 2, 1), first, 3, 1, 0)
    snapshots(organisation, datetime.date(2026, 2, 1), second, 2, 0, 2)
    snapshots(organisation, datetime.date(2026, 4, 1), first, 5, 0, 0)  # after the period
    other = factories.UserFactory(organisation=mgt_other_organisation, roles=[Role.CONSULTANT])
    snapshots(mgt_other_organisation, datetime.date(2026, 2, 1), other, 0, 0, 9)


def test_principles_trend_with_a_withheld_month(organisation, mgt_snapshots):
    report = build(organisation)
    rows = report.table("principles").rows
    assert rows[0] == ["Jan 2026", SUPPRESSED, *[SUPPRESSED] * 10]
    # February: 4 + 4 = 8 trajectories; 3 + 2 = 5 pass principles 1–9, none principle 10.
    assert rows[1] == ["Feb 2026", 8, *[5 / 8] * 9, 0.0]
    assert rows[2] == ["Mar 2026", None, *[None] * 10]  # no audit recorded
    assert report.section("principles").charts[0].svg.startswith("<svg")


# --- The whole report ---------------------------------------------------------------------------------------------


def test_report_sections_and_progress(organisation):
    steps: list[tuple[int, int]] = []
    report = build(organisation, progress=lambda done, total, step: steps.append((done, total)))
    assert [section.key for section in report.sections] == ["caseload", "waiting", "rooms", "trainers", "principles"]
    assert steps == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    assert report.kind == "management"
    assert all(section.intro for section in report.sections)


def test_other_organisations_data_never_counted(mgt_other_organisation, mgt_caseload, mgt_waiting, mgt_schedule):
    report = build(mgt_other_organisation)
    # Its own data: 1 consultant with 7 clients, 5 waiting referrals, one room with one 8-hour session, a trainer.
    assert report.table("caseload").total == ["Total", 1, 7, 7.0, 7, 7, 0]
    assert report.table("waiting").rows[-1][-1] == 5
    assert (report.table("rooms").total or [])[2:4] == [1, Decimal("8.00")]
    assert (report.table("trainers").total or [])[:2] == ["All trainers", 1]
    assert report.table("principles").rows[1][1] is None


def test_query_count_does_not_grow_with_the_data(
    organisation, mgt_other_organisation, mgt_caseload, mgt_waiting, mgt_schedule, mgt_snapshots
):
    with CaptureQueriesContext(connection) as before:
        build(organisation)
    team = factories.TeamFactory(organisation=organisation, name="Extra")
    consultant = consultant_with_clients(organisation, [team], 6)
    programme = factories.ProgrammeFactory(organisation=organisation, name="Extra")
    referral(programme, datetime.date(2026, 1, 3))
    trainer = TrainerProfileFactory(user__organisation=organisation).user
    run = factories.GroupRunFactory(programme=programme, start_date=datetime.date(2026, 3, 2), trainers=[trainer])
    session(run, datetime.date(2026, 3, 2), (9, 0), (11, 0))
    snapshots(organisation, datetime.date(2026, 3, 1), consultant, 6, 0, 0)
    with CaptureQueriesContext(connection) as after:
        build(organisation)
    assert len(before) == len(after) <= 14
