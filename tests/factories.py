"""Test data factories, one per model that tests build directly."""

import datetime

import factory
from django.utils import timezone
from faker import Faker
from stdnum.nl import bsn as bsn_number

from koers.accounts.models import Municipality, Organisation, RoleAssignment, Team, User
from koers.clients.models import AccessGrant, Client, ScreeningFlag
from koers.groupwork.models import GroupRun, Participation, Programme, Room

_FAKER = Faker("nl_NL")


def _valid_bsn(n: int) -> str:
    """The n-th test BSN: 8 digits from n plus the check digit that makes it pass the eleven test."""
    stem = f"{900000000 + n * 10:09d}"[:8]
    for last in range(10):
        candidate = stem + str(last)
        if bsn_number.is_valid(candidate):
            return candidate
    return _valid_bsn(n + 100000)


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = "Werkbedrijf Test"


class MunicipalityFactory(factory.django.DjangoModelFactory[Municipality]):
    class Meta:
        model = Municipality

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Gemeente {n}")


class TeamFactory(factory.django.DjangoModelFactory[Team]):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


def _plain_last_name() -> str:
    """A Dutch surname without an apostrophe ("van 't Hof"), which HTML escapes and plain ``in html`` checks miss."""
    return _FAKER.last_name().replace("'", "")


def _client_last_name() -> str:
    """A double surname ("Visser-Bakker"), so that a test asserting a client's name is absent from a page cannot be
    fooled by a staff member who happens to share a single surname with the client."""
    first = _plain_last_name()
    second = _plain_last_name()
    while second == first:
        second = _plain_last_name()
    return f"{first}-{second}"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"medewerker{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.LazyFunction(_plain_last_name)
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        for role in extracted or []:
            RoleAssignment.objects.create(user=self, role=role)
        self.__dict__.pop("roles", None)  # drop the cached role set


class ClientFactory(factory.django.DjangoModelFactory[Client]):
    class Meta:
        model = Client

    organisation = factory.SubFactory(OrganisationFactory)
    municipality = factory.SubFactory(MunicipalityFactory, organisation=factory.SelfAttribute("..organisation"))
    bsn = factory.Sequence(_valid_bsn)
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.LazyFunction(_client_last_name)
    date_of_birth = datetime.date(1985, 5, 17)
    email = factory.Sequence(lambda n: f"client{n}@example.org")
    phone = "06-12345678"
    is_demo = True


class ScreeningFlagFactory(factory.django.DjangoModelFactory[ScreeningFlag]):
    class Meta:
        model = ScreeningFlag

    client = factory.SubFactory(ClientFactory)
    kind = "low_language"


class AccessGrantFactory(factory.django.DjangoModelFactory[AccessGrant]):
    class Meta:
        model = AccessGrant

    client = factory.SubFactory(ClientFactory)
    user = factory.SubFactory(UserFactory)
    reason = "Vervanging tijdens verlof"
    valid_until = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))


class ProgrammeFactory(factory.django.DjangoModelFactory[Programme]):
    class Meta:
        model = Programme

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Empowermenttraining {n}")
    slug = factory.Sequence(lambda n: f"empowerment-{n}")
    goal_type = "mindset"
    session_count = 6
    session_minutes = 150
    min_size = 8
    max_size = 15


class RoomFactory(factory.django.DjangoModelFactory[Room]):
    class Meta:
        model = Room

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Zaal {n}")
    location = "Stationsplein 1"
    capacity = 16


class GroupRunFactory(factory.django.DjangoModelFactory[GroupRun]):
    class Meta:
        model = GroupRun
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    room = factory.SubFactory(RoomFactory, organisation=factory.SelfAttribute("..programme.organisation"))
    start_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))

    @factory.post_generation
    def trainers(self, create: bool, extracted: list[User] | None, **kwargs: object) -> None:
        if extracted:
            self.trainers.set(extracted)


class ParticipationFactory(factory.django.DjangoModelFactory[Participation]):
    class Meta:
        model = Participation

    group_run = factory.SubFactory(GroupRunFactory)
    client = factory.SubFactory(ClientFactory)
    joined_on = factory.LazyFunction(timezone.localdate)
