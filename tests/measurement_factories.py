"""Test data for effect measurement: a small published questionnaire and completed measurements."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from koers.measurement.models import (
    Item,
    Measurement,
    MeasurementAnswer,
    MeasurementStatus,
    Moment,
    Phase,
    Questionnaire,
    QuestionnaireVersion,
    Respondent,
    Scale,
    ScaleKind,
    ScaleScore,
    VersionStatus,
)
from koers.trajectories.models import IgmFactor, LifeDomain
from tests.factories import OrganisationFactory
from tests.trajectory_factories import TrajectoryFactory

AGREE_LABELS = ["Helemaal niet mee eens", "Niet mee eens", "Neutraal", "Mee eens", "Helemaal mee eens"]


class QuestionnaireFactory(factory.django.DjangoModelFactory[Questionnaire]):
    class Meta:
        model = Questionnaire

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Voortgangsmeting {n}")


class QuestionnaireVersionFactory(factory.django.DjangoModelFactory[QuestionnaireVersion]):
    class Meta:
        model = QuestionnaireVersion

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    number = 1
    status = VersionStatus.PUBLISHED
    answer_min = 1
    answer_max = 5
    answer_labels = factory.LazyFunction(lambda: list(AGREE_LABELS))
    published_at = factory.LazyFunction(timezone.now)


class ScaleFactory(factory.django.DjangoModelFactory[Scale]):
    class Meta:
        model = Scale

    version = factory.SubFactory(QuestionnaireVersionFactory)
    code = factory.Sequence(lambda n: f"schaal-{n}")
    name = factory.Sequence(lambda n: f"Schaal {n}")
    kind = ScaleKind.IGM_FACTOR
    igm_factor = IgmFactor.SELF_EFFICACY
    reliability = Decimal("0.800")
    reference_mean = Decimal("3.000")
    reference_sd = Decimal("0.800")
    position = factory.Sequence(lambda n: n)


class ItemFactory(factory.django.DjangoModelFactory[Item]):
    class Meta:
        model = Item

    scale = factory.SubFactory(ScaleFactory)
    version = factory.LazyAttribute(lambda o: o.scale.version)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Ik kan stap {n} zelf zetten.")
    reverse_scored = False


def small_questionnaire(organisation: object | None = None) -> QuestionnaireVersion:
    """A published version with two scales: self-efficacy (two items, one reverse-scored) and housing (one item)."""
    questionnaire = QuestionnaireFactory(**({"organisation": organisation} if organisation else {}))
    version = QuestionnaireVersionFactory(questionnaire=questionnaire)
    efficacy = ScaleFactory(version=version, code="eigen-effectiviteit", name="Vertrouwen in eigen kunnen")
    housing = ScaleFactory(
        version=version,
        code="huisvesting",
        name="Huisvesting",
        kind=ScaleKind.LIFE_DOMAIN,
        igm_factor="",
        life_domain=LifeDomain.HOUSING,
        reliability=None,
        reference_sd=None,
        reference_mean=None,
    )
    ItemFactory(version=version, scale=efficacy, position=1, text="Ik weet hoe ik een sollicitatiebrief schrijf.")
    ItemFactory(version=version, scale=efficacy, position=2, text="Ik denk dat het mij niet lukt.", reverse_scored=True)
    ItemFactory(version=version, scale=housing, position=3, text="Ik heb een vaste plek om te wonen.")
    return version


def completed_measurement(
    trajectory: object | None = None,
    version: QuestionnaireVersion | None = None,
    *,
    answers: dict[int, int] | int = 3,
    taken_on: datetime.date | None = None,
    phase: str = Phase.INTERVENTION,
    moment: str = Moment.INTERIM,
    respondent: str = Respondent.CLIENT,
) -> Measurement:
    """A completed measurement with answers (item position → value, or one value for all) and its scale scores."""
    from koers.measurement.scoring import ItemRule, scale_scores

    trajectory = trajectory or TrajectoryFactory()
    version = version or small_questionnaire(trajectory.client.organisation)
    measurement = Measurement.objects.create(
        trajectory=trajectory,
        version=version,
        moment=moment,
        phase=phase,
        respondent=respondent,
        status=MeasurementStatus.COMPLETED,
        taken_on=taken_on or timezone.localdate(),
        completed_at=timezone.make_aware(
            datetime.datetime.combine(taken_on or timezone.localdate(), datetime.time(12))
        ),
        created_by=trajectory.created_by,
    )
    items = list(version.items.all())
    given = {item.pk: (answers.get(item.position, 3) if isinstance(answers, dict) else answers) for item in items}
    MeasurementAnswer.objects.bulk_create(
        MeasurementAnswer(measurement=measurement, item_id=item_id, value=value) for item_id, value in given.items()
    )
    rules = [ItemRule(item.pk, item.scale_id, item.reverse_scored) for item in items]
    scores = scale_scores(rules, given, low=version.answer_min, high=version.answer_max)
    ScaleScore.objects.bulk_create(
        ScaleScore(measurement=measurement, scale_id=scale_id, score=score) for scale_id, score in scores.items()
    )
    return measurement
