"""Test data factories for the trajectory app: diagnosis, plan and progress."""

import datetime

import factory
from django.utils import timezone

from koers.trajectories.models import (
    Goal,
    IgmFactor,
    IgmFactorScore,
    IgmProfile,
    Instrument,
    InstrumentKind,
    InstrumentType,
    LifeDomain,
    LifeDomainAssessment,
    LifeDomainScore,
    ProgressReport,
    Trajectory,
)
from tests.factories import ClientFactory, OrganisationFactory, UserFactory


class TrajectoryFactory(factory.django.DjangoModelFactory[Trajectory]):
    class Meta:
        model = Trajectory

    client = factory.SubFactory(ClientFactory)
    started_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))
    future_perspective = "Ik wil weer werken in de zorg, een paar dagen per week."
    strengths = "Zorgzaam, betrouwbaar, goed met mensen."
    created_by = factory.LazyAttribute(lambda o: o.client.consultant or UserFactory(organisation=o.client.organisation))


class LifeDomainAssessmentFactory(factory.django.DjangoModelFactory[LifeDomainAssessment]):
    """An assessment; pass `scores={"housing": 1, ...}` to set scores (domains left out get 3), or `scores=False`."""

    class Meta:
        model = LifeDomainAssessment
        skip_postgeneration_save = True

    trajectory = factory.SubFactory(TrajectoryFactory)
    assessed_on = factory.LazyFunction(timezone.localdate)
    assessed_by = factory.LazyAttribute(lambda o: o.trajectory.created_by)

    @factory.post_generation
    def scores(self, create: bool, extracted: dict[str, int] | bool | None, **kwargs: object) -> None:
        if not create or extracted is False:
            return
        given = extracted if isinstance(extracted, dict) else {}
        LifeDomainScore.objects.bulk_create(
            LifeDomainScore(assessment=self, domain=domain, score=given.get(domain, 3), note="")
            for domain in LifeDomain.values
        )


class LifeDomainScoreFactory(factory.django.DjangoModelFactory[LifeDomainScore]):
    class Meta:
        model = LifeDomainScore

    assessment = factory.SubFactory(LifeDomainAssessmentFactory, scores=False)
    domain = LifeDomain.HOUSING
    score = 3
    note = ""


class IgmProfileFactory(factory.django.DjangoModelFactory[IgmProfile]):
    """A profile; pass `factors={"attitude": 2, ...}` to set scores (factors left out get 3), or `factors=False`."""

    class Meta:
        model = IgmProfile
        skip_postgeneration_save = True

    trajectory = factory.SubFactory(TrajectoryFactory)
    target_behaviour = "Solliciteren op banen buiten de detailhandel"
    assessed_on = factory.LazyFunction(timezone.localdate)
    assessed_by = factory.LazyAttribute(lambda o: o.trajectory.created_by)

    @factory.post_generation
    def factors(self, create: bool, extracted: dict[str, int] | bool | None, **kwargs: object) -> None:
        if not create or extracted is False:
            return
        given = extracted if isinstance(extracted, dict) else {}
        IgmFactorScore.objects.bulk_create(
            IgmFactorScore(profile=self, factor=factor, score=given.get(factor, 3), description="")
            for factor in IgmFactor.values
        )


class IgmFactorScoreFactory(factory.django.DjangoModelFactory[IgmFactorScore]):
    class Meta:
        model = IgmFactorScore

    profile = factory.SubFactory(IgmProfileFactory, factors=False)
    factor = IgmFactor.ATTITUDE
    score = 3
    description = ""


class GoalFactory(factory.django.DjangoModelFactory[Goal]):
    class Meta:
        model = Goal

    trajectory = factory.SubFactory(TrajectoryFactory)
    parent = None
    text = factory.Sequence(lambda n: f"Ik wil doel {n} bereiken")
    target_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=90))


class InstrumentTypeFactory(factory.django.DjangoModelFactory[InstrumentType]):
    class Meta:
        model = InstrumentType

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Individuele coaching {n}")
    kind = InstrumentKind.COACHING
    default_weeks = 12


class InstrumentFactory(factory.django.DjangoModelFactory[Instrument]):
    class Meta:
        model = Instrument

    trajectory = factory.SubFactory(TrajectoryFactory)
    goal = factory.SubFactory(GoalFactory, trajectory=factory.SelfAttribute("..trajectory"))
    instrument_type = factory.SubFactory(
        InstrumentTypeFactory, organisation=factory.SelfAttribute("..trajectory.client.organisation")
    )
    purpose = "Werken aan vertrouwen in eigen kunnen"
    expected_result = "Zelfstandig drie sollicitaties per maand"
    started_on = factory.LazyFunction(timezone.localdate)
    planned_weeks = 12
    review_on = factory.LazyAttribute(
        lambda o: (o.started_on or timezone.localdate()) + datetime.timedelta(weeks=o.planned_weeks)
    )


class ProgressReportFactory(factory.django.DjangoModelFactory[ProgressReport]):
    class Meta:
        model = ProgressReport

    trajectory = factory.SubFactory(TrajectoryFactory)
    written_on = factory.LazyFunction(timezone.localdate)
    author = factory.LazyAttribute(lambda o: o.trajectory.created_by)
    period_start = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=90))
    period_end = factory.LazyFunction(timezone.localdate)
    summary = "Goede voortgang op vertrouwen in eigen kunnen."
