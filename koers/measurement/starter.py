"""The starter questionnaire written for Koers (issue 6): twenty short B1 statements over the six IGM factors and the
eight life domains, so an organisation can measure from day one and write its own version later.

No public IGM questionnaire exists (domain-reference.md §1.3), so this one is not validated. Its reliability and
reference values are provisional assumptions, stated as such in each scale's ``source``: enough to show where a
reliable-change verdict would fall, to be replaced by the organisation's own figures after a pilot. A life domain
is measured by one ordinal item, on which a Reliable Change Index says little (domain-reference.md §3.1), so those
scales carry no reliability and their changes are shown without a verdict.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from koers.accounts.models import Organisation
from koers.audit.models import Action
from koers.audit.services import record_event
from koers.measurement.models import (
    Item,
    MeasurementPolicy,
    Questionnaire,
    QuestionnaireVersion,
    Scale,
    ScaleKind,
    VersionStatus,
)
from koers.trajectories.models import IgmFactor, LifeDomain

STARTER_NAME = "Koers voortgangsmeting"
STARTER_DESCRIPTION = (
    "Geschreven voor Koers als startpunt: twintig korte uitspraken over de zes factoren van het Integratief "
    "GedragsModel en de acht leefgebieden. Deze vragenlijst is niet gevalideerd. De betrouwbaarheid en "
    "referentiewaarden van de schalen zijn voorlopige aannames van de organisatie, geen onderzoekscijfers; vervang "
    "ze na een pilot door eigen cijfers."
)
STARTER_INTRODUCTION = (
    "Met deze vragenlijst kijken we hoe het met je gaat en wat er verandert. "
    "Lees elke zin. Kies dan hoe goed de zin bij jou past. "
    "Er zijn geen goede of foute antwoorden. Het invullen duurt ongeveer vijf minuten. "
    "Je klantmanager bespreekt de uitkomst met je."
)
AGREE_LABELS = ["Helemaal niet mee eens", "Niet mee eens", "Neutraal", "Mee eens", "Helemaal mee eens"]

PROVISIONAL_RELIABILITY = Decimal("0.700")
PROVISIONAL_REFERENCE_MEAN = Decimal("3.000")
PROVISIONAL_REFERENCE_SD = Decimal("0.800")
PROVISIONAL_SOURCE = (
    "Voorlopige aannames van de organisatie, geen onderzoekscijfers: betrouwbaarheid 0,70, referentie-SD 0,80. "
    "Vervangen na een pilot."
)


@dataclass(frozen=True)
class StarterScale:
    code: str
    name: str
    kind: str
    igm_factor: str = ""
    life_domain: str = ""


@dataclass(frozen=True)
class StarterItem:
    scale: str  # the scale's code
    text: str
    reverse_scored: bool = False


# Environmental barriers are measured as room in the environment: agreeing means fewer barriers, so higher is
# better on every scale of this questionnaire.
IGM_SCALES = (
    StarterScale("houding", "Houding", ScaleKind.IGM_FACTOR, igm_factor=IgmFactor.ATTITUDE),
    StarterScale("sociale-invloed", "Sociale invloed", ScaleKind.IGM_FACTOR, igm_factor=IgmFactor.PERCEIVED_NORM),
    StarterScale(
        "eigen-effectiviteit", "Vertrouwen in eigen kunnen", ScaleKind.IGM_FACTOR, igm_factor=IgmFactor.SELF_EFFICACY
    ),
    StarterScale("intentie", "Intentie", ScaleKind.IGM_FACTOR, igm_factor=IgmFactor.INTENTION),
    StarterScale("vaardigheden", "Vaardigheden en kennis", ScaleKind.IGM_FACTOR, igm_factor=IgmFactor.SKILLS),
    StarterScale("omgeving", "Ruimte in de omgeving", ScaleKind.IGM_FACTOR, igm_factor=IgmFactor.BARRIERS),
)
LIFE_DOMAIN_SCALES = (
    StarterScale("huisvesting", "Huisvesting", ScaleKind.LIFE_DOMAIN, life_domain=LifeDomain.HOUSING),
    StarterScale("financien", "Financiën", ScaleKind.LIFE_DOMAIN, life_domain=LifeDomain.FINANCES),
    StarterScale("sociaal", "Sociaal functioneren", ScaleKind.LIFE_DOMAIN, life_domain=LifeDomain.SOCIAL),
    StarterScale("psychisch", "Psychisch functioneren", ScaleKind.LIFE_DOMAIN, life_domain=LifeDomain.MENTAL),
    StarterScale("motivatie", "Motivatie", ScaleKind.LIFE_DOMAIN, life_domain=LifeDomain.MOTIVATION),
    StarterScale("lichamelijk", "Lichamelijk functioneren", ScaleKind.LIFE_DOMAIN, life_domain=LifeDomain.PHYSICAL),
    StarterScale("praktisch", "Praktisch functioneren", ScaleKind.LIFE_DOMAIN, life_domain=LifeDomain.PRACTICAL),
    StarterScale("dagbesteding", "Dagbesteding", ScaleKind.LIFE_DOMAIN, life_domain=LifeDomain.DAYTIME),
)
STARTER_SCALES = IGM_SCALES + LIFE_DOMAIN_SCALES

# Two statements per IGM factor (one of every pair of factors reverse-scored), then one per life domain phrased so
# that "helemaal mee eens" means it goes well.
STARTER_ITEMS = (
    StarterItem("houding", "Ik denk dat werk mij iets goeds oplevert."),
    StarterItem("houding", "Ik zie erg op tegen werken.", reverse_scored=True),
    StarterItem("sociale-invloed", "Mensen om mij heen vinden het goed als ik ga werken."),
    StarterItem("sociale-invloed", "Ik ken veel mensen die werk hebben."),
    StarterItem("eigen-effectiviteit", "Ik kan de volgende stap naar werk zelf zetten."),
    StarterItem("eigen-effectiviteit", "Ik denk dat het mij niet lukt om werk te vinden.", reverse_scored=True),
    StarterItem("intentie", "Ik wil de komende maanden aan mijn doel werken."),
    StarterItem("intentie", "Ik ben van plan deze maand een stap te zetten."),
    StarterItem("vaardigheden", "Ik weet welk werk bij mij past."),
    StarterItem("vaardigheden", "Ik weet hoe ik werk kan zoeken."),
    StarterItem("omgeving", "Ik kan goed naar werk of een opleiding reizen."),
    StarterItem("omgeving", "Zorgen over geld of gezondheid houden mij tegen.", reverse_scored=True),
    StarterItem("huisvesting", "Ik heb een goede en veilige plek om te wonen."),
    StarterItem("financien", "Ik kan rondkomen met mijn geld."),
    StarterItem("sociaal", "Ik heb mensen met wie ik kan praten."),
    StarterItem("psychisch", "Ik voel me meestal rustig en goed."),
    StarterItem("motivatie", "Ik heb zin om aan mijn toekomst te werken."),
    StarterItem("lichamelijk", "Ik ben lichamelijk fit genoeg voor wat ik wil doen."),
    StarterItem("praktisch", "Ik regel mijn post en afspraken zelf."),
    StarterItem("dagbesteding", "Ik heb elke week iets zinvols te doen."),
)


def starter_questionnaire(organisation: Organisation) -> Questionnaire | None:
    return Questionnaire.objects.filter(organisation=organisation, name=STARTER_NAME).first()


def install_starter_questionnaire(organisation: Organisation, *, by: Any = None) -> Questionnaire:
    """Give ``organisation`` the starter questionnaire with one published version; an installed one is returned as
    it is. The organisation's measurement policy gets it when the policy names no questionnaire yet."""
    with transaction.atomic():
        questionnaire = starter_questionnaire(organisation)
        if questionnaire is None:
            questionnaire = _create(organisation)
            record_event(by, Action.CREATE, questionnaire, reason="starter questionnaire installed")
        policy, _ = MeasurementPolicy.objects.get_or_create(organisation=organisation)
        if policy.questionnaire_id is None:
            policy.questionnaire = questionnaire
            policy.save(update_fields=["questionnaire"])
    return questionnaire


def _create(organisation: Organisation) -> Questionnaire:
    questionnaire = Questionnaire.objects.create(
        organisation=organisation, name=STARTER_NAME, description=STARTER_DESCRIPTION, is_validated=False
    )
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=1,
        status=VersionStatus.PUBLISHED,
        introduction=STARTER_INTRODUCTION,
        answer_min=1,
        answer_max=len(AGREE_LABELS),
        answer_labels=list(AGREE_LABELS),
        published_at=timezone.now(),
    )
    scales = Scale.objects.bulk_create(
        [
            Scale(
                version=version,
                code=spec.code,
                name=spec.name,
                kind=spec.kind,
                igm_factor=spec.igm_factor,
                life_domain=spec.life_domain,
                higher_is_better=True,
                position=position,
                **_provisional_values(spec),
            )
            for position, spec in enumerate(STARTER_SCALES, start=1)
        ]
    )
    by_code = {scale.code: scale for scale in scales}
    Item.objects.bulk_create(
        Item(
            version=version,
            scale=by_code[item.scale],
            position=position,
            text=item.text,
            reverse_scored=item.reverse_scored,
        )
        for position, item in enumerate(STARTER_ITEMS, start=1)
    )
    return questionnaire


def _provisional_values(spec: StarterScale) -> dict[str, Any]:
    if spec.kind != ScaleKind.IGM_FACTOR:
        return {}
    return {
        "reliability": PROVISIONAL_RELIABILITY,
        "reference_mean": PROVISIONAL_REFERENCE_MEAN,
        "reference_sd": PROVISIONAL_REFERENCE_SD,
        "source": PROVISIONAL_SOURCE,
    }
