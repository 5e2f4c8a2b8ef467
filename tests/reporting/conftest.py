"""Shared report fixtures. The financier report's small fixed dataset: every figure in test_financier.py is computed
by hand from what is built here (fixture names start with ``fin_``)."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from koers.accounts.models import Municipality, Organisation, User
from koers.clients.models import Client
from koers.groupwork.models import (
    Attendance,
    AttendanceStatus,
    GroupRun,
    Participation,
    Programme,
    Referral,
    ReferralStatus,
    RunStatus,
)
from koers.measurement.models import QuestionnaireVersion
from koers.reporting.report import Period
from koers.trajectories.models import Trajectory
from tests.factories import (
    ClientFactory,
    GroupRunFactory,
    MunicipalityFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProgrammeFactory,
    UserFactory,
)
from tests.groupwork_factories import ReferralFactory, SessionFactory, TrainerProfileFactory
from tests.measurement_factories import (
    ItemFactory,
    QuestionnaireFactory,
    QuestionnaireVersionFactory,
    ScaleFactory,
    completed_measurement,
)

FIN_PERIOD = Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
FIN_TODAY = datetime.date(2026, 9, 30)
D = datetime.date


@dataclass
class FinData:
    organisation: Organisation
    municipality: Municipality
    other_municipality: Municipality
    consultant: User
    trainer: User  # 30 minutes switching time per session
    second_trainer: User  # no trainer profile: no switching time
    programmes: dict[str, Programme] = field(default_factory=dict)
    runs: dict[str, GroupRun] = field(default_factory=dict)
    clients: dict[str, list[Client]] = field(default_factory=dict)
    version: QuestionnaireVersion | None = None

    def client(self, municipality: Municipality | None = None) -> Client:
        """A client with a trajectory that started well before the period (ended ones end after it started)."""
        client = ClientFactory(
            organisation=self.organisation, municipality=municipality or self.municipality, consultant=self.consultant
        )
        Trajectory.objects.create(client=client, started_on=D(2025, 6, 1), created_by=self.consultant)
        return client

    def referral(self, client: Client, programme: str, referred: datetime.date, **fields: object) -> Referral:
        return ReferralFactory(
            client=client,
            programme=self.programmes[programme],
            referred_on=referred,
            screened_on=referred,
            referred_by=self.consultant,
            **fields,
        )

    def start(
        self,
        client: Client,
        programme: str,
        run: str,
        *,
        waited: int,
        status: str = ReferralStatus.STARTED,
        ended: datetime.date | None = None,
        deadline_days: int | None = None,
    ) -> Participation:
        """A referral that started on the run's start after ``waited`` days, placed five days before the start."""
        group_run = self.runs[run]
        started = group_run.start_date
        referred = started - datetime.timedelta(days=waited)
        referral = self.referral(
            client,
            programme,
            referred,
            placed_on=started - datetime.timedelta(days=5),
            started_on=started,
            ended_on=ended,
            status=status,
            group_run=group_run,
            deadline=referred + datetime.timedelta(days=deadline_days) if deadline_days else None,
        )
        return ParticipationFactory(group_run=group_run, client=client, referral=referral, joined_on=started)

    def attend(self, participation: Participation, statuses: Sequence[str]) -> None:
        """One attendance record per session of the run, in session order."""
        sessions = list(participation.group_run.sessions.filter(is_cancelled=False).order_by("number"))
        Attendance.objects.bulk_create(
            Attendance(session=session, participation=participation, status=status, recorded_by=self.trainer)
            for session, status in zip(sessions, statuses, strict=False)
        )

    def measure(self, client: Client, before: int, after: int, *, run: str) -> None:
        """Before: 10 days before the run's start; after: 14 days after its last session (both in the window)."""
        trajectory = client.trajectories.get()
        group_run = self.runs[run]
        last = group_run.sessions.filter(is_cancelled=False).order_by("-date").first()
        assert last is not None
        assert self.version is not None
        completed_measurement(
            trajectory, self.version, answers=before, taken_on=group_run.start_date - datetime.timedelta(days=10)
        )
        completed_measurement(trajectory, self.version, answers=after, taken_on=last.date + datetime.timedelta(days=14))


MORNING = (datetime.time(9, 30), datetime.time(12, 0))  # 150 minutes
LONG_MORNING = (datetime.time(9, 0), datetime.time(13, 0))  # 240 minutes


def _run(
    data: FinData,
    key: str,
    programme: str,
    days: list[datetime.date],
    hours: tuple[datetime.time, datetime.time],
    trainers: list[User],
) -> GroupRun:
    """A completed run open to every municipality, with a session on each day at ``hours``."""
    run = GroupRunFactory(
        programme=data.programmes[programme],
        municipality=None,
        start_date=days[0],
        status=RunStatus.COMPLETED,
        trainers=trainers,
    )
    for number, day in enumerate(days, start=1):
        SessionFactory(group_run=run, number=number, date=day, starts_at=hours[0], ends_at=hours[1])
    data.runs[key] = run
    return run


@pytest.fixture
def fin_data(organisation: Organisation, municipality: Municipality) -> FinData:
    """The financier dataset for FIN_PERIOD (see test_financier.py for every figure it gives).

    - Alfa (6 sessions): run A from 2 March, 6 weekly sessions 9:30–12:00 and a seventh that was cancelled, trained by
      ``trainer`` and ``second_trainer``; 10 of the municipality's clients started (5 completed, 5 dropped out), next to
      10 clients of another municipality; two more are waiting.
    - Beta (1 session, mandatory, deadline 21 days): run B on 2 March, 9:00–13:00, trained by ``trainer``; 6 started
      and completed, one waits past its deadline.
    - Gamma (4 sessions): run C from 4 May, two sessions in the period and two in July; 3 started.
    """
    consultant: User = UserFactory(organisation=organisation, roles=["consultant"])
    trainer: User = TrainerProfileFactory(user__organisation=organisation, switching_minutes=30).user
    second_trainer: User = UserFactory(organisation=organisation, roles=["trainer"])
    other_municipality: Municipality = MunicipalityFactory(organisation=organisation, name="Zuidmeren")
    data = FinData(
        organisation=organisation,
        municipality=municipality,
        other_municipality=other_municipality,
        consultant=consultant,
        trainer=trainer,
        second_trainer=second_trainer,
    )
    programmes: dict[str, Programme] = {
        "alfa": ProgrammeFactory.create(
            organisation=organisation, name="Alfa", session_count=6, target_group="Iedereen"
        ),
        "beta": ProgrammeFactory.create(
            organisation=organisation,
            name="Beta",
            goal_type="knowledge",
            session_count=1,
            is_mandatory=True,
            deadline_weeks=3,
        ),
        "gamma": ProgrammeFactory.create(organisation=organisation, name="Gamma", goal_type="skills", session_count=4),
    }
    data.programmes = programmes
    weekly = [D(2026, 3, 2) + datetime.timedelta(weeks=week) for week in range(7)]
    run_a = _run(data, "A", "alfa", weekly, MORNING, [trainer, second_trainer])
    run_a.sessions.filter(number=7).update(is_cancelled=True)
    _run(data, "B", "beta", [D(2026, 3, 2)], LONG_MORNING, [trainer])
    _run(data, "C", "gamma", [D(2026, 5, 4), D(2026, 5, 11), D(2026, 7, 6), D(2026, 7, 13)], MORNING, [second_trainer])
    version = QuestionnaireVersionFactory(questionnaire=QuestionnaireFactory(organisation=organisation, name="Meting"))
    scale = ScaleFactory(version=version, code="zelfvertrouwen", name="Zelfvertrouwen")
    ItemFactory(version=version, scale=scale, position=1)
    data.version = version

    # Alfa: waiting days 10, 10, 20, 20, 20, 30, 30, 40, 50, 60; the first five completed, the others dropped out.
    alfa = []
    for index, waited in enumerate([10, 10, 20, 20, 20, 30, 30, 40, 50, 60]):
        completed = index < 5
        alfa.append(
            data.start(
                data.client(),
                "alfa",
                "A",
                waited=waited,
                status=ReferralStatus.COMPLETED if completed else ReferralStatus.DROPPED_OUT,
                ended=D(2026, 4, 6) if completed else D(2026, 3, 16),
            )
        )
    data.clients["alfa"] = [p.client for p in alfa]
    # Attendance at the six sessions: 60 records, 5 unexcused, 2 excused, 3 late.
    present = [AttendanceStatus.PRESENT] * 6
    for index, participation in enumerate(alfa):
        statuses = list(present)
        if index < 5:
            statuses[5] = AttendanceStatus.UNEXCUSED
        if index in (5, 6):
            statuses[4] = AttendanceStatus.EXCUSED
        if index in (7, 8, 9):
            statuses[0] = AttendanceStatus.LATE
        data.attend(participation, statuses)
    for _index in range(2):
        data.referral(data.client(), "alfa", D(2026, 6, 10))
    # Measured: 6 of the municipality's Alfa participants, before and after.
    for client, before, after in zip(data.clients["alfa"], [2, 3, 2, 3, 2, 4], [3, 4, 4, 3, 3, 5], strict=False):
        data.measure(client, before, after, run="A")

    # The other municipality's clients in the same run: never counted, but they share its trainer hours.
    others = []
    for _index in range(10):
        participation = data.start(data.client(data.other_municipality), "alfa", "A", waited=15)
        data.attend(participation, [AttendanceStatus.UNEXCUSED] * 6)
        others.append(participation.client)
    for client in others[:2]:
        data.measure(client, 1, 5, run="A")
    Trajectory.objects.filter(client__in=others).update(ended_on=D(2026, 6, 1), outflow_reason="work_full_time")

    # Beta: waiting days 7, 14, 14, 21, 28, 35, deadline 21 days after the referral; all six completed on 2 March.
    beta = [
        data.start(
            data.client(),
            "beta",
            "B",
            waited=waited,
            status=ReferralStatus.COMPLETED,
            ended=D(2026, 3, 2),
            deadline_days=21,
        )
        for waited in [7, 14, 14, 21, 28, 35]
    ]
    for participation in beta:
        data.attend(participation, [AttendanceStatus.PRESENT])
    data.clients["beta"] = [p.client for p in beta]
    for client, before, after in zip(data.clients["beta"], [1, 2, 3, 4, 5], [2, 2, 4, 5, 5], strict=False):
        data.measure(client, before, after, run="B")
    data.referral(data.client(), "beta", D(2026, 6, 1), deadline=D(2026, 6, 22))

    # Gamma: three started on 4 May after 5 days; 5 of 6 records present.
    gamma = [data.start(data.client(), "gamma", "C", waited=5) for _index in range(3)]
    data.attend(gamma[0], [AttendanceStatus.PRESENT, AttendanceStatus.UNEXCUSED])
    data.attend(gamma[1], [AttendanceStatus.PRESENT, AttendanceStatus.PRESENT])
    data.attend(gamma[2], [AttendanceStatus.PRESENT, AttendanceStatus.PRESENT])
    data.clients["gamma"] = [p.client for p in gamma]
    for client in data.clients["gamma"]:
        data.measure(client, 1, 5, run="C")

    # Outflow of 13 trajectories that ended in the period after a group start.
    reasons = ["work_full_time"] * 4 + ["work_part_time"] * 2 + ["education"] * 2 + ["moved", "other", "other"]
    reasons += ["other", ""]
    ended = data.clients["alfa"] + data.clients["beta"][:3]
    for client, reason in zip(ended, reasons, strict=True):
        Trajectory.objects.filter(client=client).update(ended_on=D(2026, 6, 15), outflow_reason=reason)
    # Ended in the period without a group start: not counted.
    Trajectory.objects.filter(client=data.client()).update(ended_on=D(2026, 6, 15), outflow_reason="education")

    # Another organisation: its clients, programmes and runs never count.
    elsewhere = OrganisationFactory(name="Ander Werkbedrijf")
    foreign = ClientFactory(organisation=elsewhere, municipality=MunicipalityFactory(organisation=elsewhere))
    foreign_programme = ProgrammeFactory(organisation=elsewhere, name="Elders")
    foreign_run = GroupRunFactory(programme=foreign_programme, start_date=D(2026, 3, 2), status=RunStatus.COMPLETED)
    SessionFactory(group_run=foreign_run, number=1, date=D(2026, 3, 2))
    referral = ReferralFactory(
        client=foreign,
        programme=foreign_programme,
        referred_on=D(2026, 2, 1),
        started_on=D(2026, 3, 2),
        status=ReferralStatus.STARTED,
        group_run=foreign_run,
        referred_by=UserFactory(organisation=elsewhere),
    )
    ParticipationFactory(group_run=foreign_run, client=foreign, referral=referral, joined_on=D(2026, 3, 2))
    return data


@pytest.fixture
def fin_rates(organisation: Organisation) -> None:
    """Cost assumptions other than the defaults: trainer €80, consultant €60, 45 + 15 minutes per conversation."""
    from koers.reporting.models import CostAssumptions

    CostAssumptions.objects.create(
        organisation=organisation,
        trainer_hourly_rate=Decimal("80.00"),
        consultant_hourly_rate=Decimal("60.00"),
        individual_minutes_per_session=45,
        individual_overhead_minutes=15,
    )
