"""Factories for group work beyond the base run/participation (which live in tests/factories.py)."""

import datetime

import factory
from django.utils import timezone

from koers.groupwork.models import (
    Attendance,
    AttendanceStatus,
    HandOff,
    ProgrammeSession,
    Question,
    Questionnaire,
    Referral,
    ReferralStatus,
    Session,
    TrainerProfile,
)
from tests.factories import ParticipationFactory, ProgrammeFactory, UserFactory
from tests.trajectory_factories import InstrumentFactory, TrajectoryFactory


class TrainerProfileFactory(factory.django.DjangoModelFactory[TrainerProfile]):
    class Meta:
        model = TrainerProfile

    user = factory.SubFactory(UserFactory, roles=["trainer"])
    hours_per_week = 16


class ProgrammeSessionFactory(factory.django.DjangoModelFactory[ProgrammeSession]):
    class Meta:
        model = ProgrammeSession

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Bijeenkomst {n + 1}")
    content = "Kennismaken, verwachtingen, groepsafspraken."


class SessionFactory(factory.django.DjangoModelFactory[Session]):
    """A session of a run; the number follows the run's existing sessions unless given."""

    class Meta:
        model = Session

    group_run = factory.SubFactory("tests.factories.GroupRunFactory")
    number = factory.LazyAttribute(lambda o: o.group_run.sessions.count() + 1)
    date = factory.LazyAttribute(lambda o: o.group_run.start_date + datetime.timedelta(weeks=o.number - 1))
    starts_at = datetime.time(9, 30)
    ends_at = datetime.time(12, 0)
    room = factory.LazyAttribute(lambda o: o.group_run.room)


class ReferralFactory(factory.django.DjangoModelFactory[Referral]):
    """A waiting referral from an instrument in the client's plan (pass ``client`` to tie it to a client)."""

    class Meta:
        model = Referral

    client = factory.SubFactory("tests.factories.ClientFactory")
    instrument = factory.LazyAttribute(
        lambda o: InstrumentFactory(trajectory=o.client.trajectories.first() or TrajectoryFactory(client=o.client))
    )
    goal = factory.LazyAttribute(lambda o: o.instrument.goal)
    programme = factory.SubFactory(ProgrammeFactory, organisation=factory.SelfAttribute("..client.organisation"))
    added_value = "In de groep oefent zij met lotgenoten en krijgt zij herkenning die individueel ontbreekt."
    status = ReferralStatus.WAITING
    referred_by = factory.LazyAttribute(lambda o: o.client.consultant)
    referred_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    screened_on = factory.LazyAttribute(lambda o: o.referred_on)


class AttendanceFactory(factory.django.DjangoModelFactory[Attendance]):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    participation = factory.SubFactory(ParticipationFactory, group_run=factory.SelfAttribute("..session.group_run"))
    status = AttendanceStatus.PRESENT
    recorded_by = factory.SubFactory(UserFactory, roles=["trainer"])


class HandOffFactory(factory.django.DjangoModelFactory[HandOff]):
    class Meta:
        model = HandOff

    participation = factory.SubFactory(ParticipationFactory)
    advice = "Zet in op een werkervaringsplek; zij neemt in de groep initiatief."
    written_by = factory.SubFactory(UserFactory, roles=["trainer"])


class QuestionnaireFactory(factory.django.DjangoModelFactory[Questionnaire]):
    class Meta:
        model = Questionnaire

    programme = factory.SubFactory(ProgrammeFactory)
    perspective = "participant"
    title = "Wat vond u van de training?"


class QuestionFactory(factory.django.DjangoModelFactory[Question]):
    class Meta:
        model = Question

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = "De training hielp mij verder."
    kind = "scale"
