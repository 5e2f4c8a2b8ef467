"""The starter questionnaire written for Koers: content, provisional values, idempotent install and the command."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from koers.accounts.models import Organisation
from koers.measurement.models import (
    Item,
    MeasurementPolicy,
    Questionnaire,
    QuestionnaireVersion,
    Scale,
    ScaleKind,
    VersionStatus,
)
from koers.measurement.scoring import ItemRule, scale_scores
from koers.measurement.starter import STARTER_NAME, install_starter_questionnaire
from koers.trajectories.models import IgmFactor, LifeDomain
from tests.measurement_factories import QuestionnaireFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(organisation: Organisation) -> QuestionnaireVersion:
    return install_starter_questionnaire(organisation).versions.get()


def test_starter_has_twenty_short_items_in_the_first_person(version: QuestionnaireVersion) -> None:
    texts = list(version.items.values_list("text", flat=True))

    assert len(texts) == 20
    assert all(len(text.split()) <= 12 for text in texts), [t for t in texts if len(t.split()) > 12]
    assert all(text.endswith(".") for text in texts)
    assert sum(" ik " in f" {text.lower()} " or " mij " in f" {text.lower()} " for text in texts) == 20
    assert len(set(texts)) == 20


def test_every_igm_factor_has_a_scale_of_two_items(version: QuestionnaireVersion) -> None:
    scales = version.scales.filter(kind=ScaleKind.IGM_FACTOR)

    assert sorted(scales.values_list("igm_factor", flat=True)) == sorted(IgmFactor.values)
    assert all(scale.items.count() == 2 for scale in scales)


def test_every_life_domain_has_a_scale_of_one_item(version: QuestionnaireVersion) -> None:
    scales = version.scales.filter(kind=ScaleKind.LIFE_DOMAIN)

    assert sorted(scales.values_list("life_domain", flat=True)) == sorted(LifeDomain.values)
    assert all(scale.items.count() == 1 for scale in scales)


def test_each_pair_of_igm_factors_has_a_reverse_scored_item(version: QuestionnaireVersion) -> None:
    reverse = set(version.items.filter(reverse_scored=True).values_list("scale__igm_factor", flat=True).order_by())
    factors = list(IgmFactor.values)

    assert all(reverse & set(factors[i : i + 2]) for i in range(0, len(factors), 2))
    assert not version.items.filter(reverse_scored=True, scale__kind=ScaleKind.LIFE_DOMAIN).exists()


def test_scale_codes_are_unique_slugs_and_higher_is_always_better(version: QuestionnaireVersion) -> None:
    codes = list(version.scales.values_list("code", flat=True))

    assert len(codes) == len(set(codes)) == 14
    assert all(code == code.lower() and " " not in code for code in codes)
    assert not version.scales.filter(higher_is_better=False).exists()


def test_igm_scales_carry_provisional_values_and_say_so(version: QuestionnaireVersion) -> None:
    for scale in version.scales.filter(kind=ScaleKind.IGM_FACTOR):
        assert scale.reliability == Decimal("0.700")
        assert scale.reference_sd == Decimal("0.800")
        assert scale.reference_mean is not None
        assert scale.supports_reliable_change
        assert "voorlopige aannames" in scale.source.lower()
        assert "geen onderzoekscijfers" in scale.source.lower()


def test_life_domain_scales_have_no_reliability_so_changes_get_no_verdict(version: QuestionnaireVersion) -> None:
    for scale in version.scales.filter(kind=ScaleKind.LIFE_DOMAIN):
        assert scale.reliability is None
        assert not scale.supports_reliable_change


def test_version_is_published_with_dutch_agree_labels(version: QuestionnaireVersion) -> None:
    assert version.status == VersionStatus.PUBLISHED
    assert version.published_at is not None
    assert (version.answer_min, version.answer_max) == (1, 5)
    assert version.answer_labels[0] == "Helemaal niet mee eens"
    assert version.answer_labels[-1] == "Helemaal mee eens"
    assert len(version.answer_labels) == 5
    assert version.introduction


def test_questionnaire_says_it_is_not_validated(version: QuestionnaireVersion) -> None:
    questionnaire = version.questionnaire

    assert questionnaire.name == STARTER_NAME
    assert questionnaire.is_validated is False
    assert "niet gevalideerd" in questionnaire.description
    assert "Koers" in questionnaire.description


def test_agreeing_with_everything_scores_the_middle_where_an_item_is_reversed(version: QuestionnaireVersion) -> None:
    items = list(version.items.select_related("scale"))
    rules = [ItemRule(item.pk, item.scale_id, item.reverse_scored) for item in items]

    scores = scale_scores(rules, {item.pk: 5 for item in items}, low=1, high=5)

    by_code = {scale.code: scores[scale.pk] for scale in version.scales.all()}
    assert by_code["eigen-effectiviteit"] == Decimal("3.000")  # 5 and (6 - 5) = 1
    assert by_code["intentie"] == Decimal("5.000")
    assert by_code["huisvesting"] == Decimal("5.000")


def test_install_twice_returns_the_same_questionnaire_and_adds_nothing(organisation: Organisation) -> None:
    first = install_starter_questionnaire(organisation)
    counts = (Questionnaire.objects.count(), QuestionnaireVersion.objects.count(), Scale.objects.count())

    again = install_starter_questionnaire(organisation)

    assert again.pk == first.pk
    assert (Questionnaire.objects.count(), QuestionnaireVersion.objects.count(), Scale.objects.count()) == counts
    assert Item.objects.count() == 20


def test_install_sets_the_policy_questionnaire_with_the_default_moments(organisation: Organisation) -> None:
    questionnaire = install_starter_questionnaire(organisation)

    policy = MeasurementPolicy.objects.get(organisation=organisation)
    assert policy.questionnaire == questionnaire
    assert (policy.start_within_days, policy.interval_weeks) == (14, 13)


def test_install_keeps_a_policy_that_names_another_questionnaire(organisation: Organisation) -> None:
    own = QuestionnaireFactory(organisation=organisation, name="Eigen meting")
    MeasurementPolicy.objects.create(organisation=organisation, questionnaire=own, interval_weeks=8)

    install_starter_questionnaire(organisation)

    policy = MeasurementPolicy.objects.get(organisation=organisation)
    assert policy.questionnaire == own
    assert policy.interval_weeks == 8


def test_installs_are_per_organisation(organisation: Organisation) -> None:
    other = Organisation.objects.create(name="Werkbedrijf Elders")

    mine, theirs = install_starter_questionnaire(organisation), install_starter_questionnaire(other)

    assert mine.pk != theirs.pk
    assert Item.objects.filter(version__questionnaire=theirs).count() == 20


def test_command_installs_for_the_named_organisation(organisation: Organisation) -> None:
    out = StringIO()

    call_command("install_starter_questionnaire", "--organisation", organisation.name, stdout=out)
    call_command("install_starter_questionnaire", "--organisation", organisation.name, stdout=out)

    assert Questionnaire.objects.filter(organisation=organisation, name=STARTER_NAME).count() == 1
    assert "geïnstalleerd" in out.getvalue()
    assert "was al geïnstalleerd" in out.getvalue()


def test_command_without_a_name_serves_organisations_without_a_questionnaire(organisation: Organisation) -> None:
    measuring = Organisation.objects.create(name="Werkbedrijf Elders")
    QuestionnaireFactory(organisation=measuring, name="Eigen meting")

    call_command("install_starter_questionnaire", stdout=StringIO())

    assert Questionnaire.objects.filter(organisation=organisation, name=STARTER_NAME).exists()
    assert not Questionnaire.objects.filter(organisation=measuring, name=STARTER_NAME).exists()


def test_command_refuses_an_unknown_organisation() -> None:
    with pytest.raises(CommandError, match="Geen organisatie"):
        call_command("install_starter_questionnaire", "--organisation", "Bestaat niet", stdout=StringIO())
