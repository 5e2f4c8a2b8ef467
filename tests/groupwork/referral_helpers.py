"""Builders shared by the referral and waiting-list tests: a client with a plan and a group instrument."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.test import Client as HttpClient
from django.utils import timezone

from koers.accounts.models import Municipality, User
from koers.clients.models import Client
from koers.groupwork.models import GroupRun, Programme
from koers.trajectories.models import Instrument, InstrumentKind, InstrumentType, Trajectory
from tests import factories
from tests import groupwork_factories as gw
from tests.trajectory_factories import InstrumentFactory, InstrumentTypeFactory, TrajectoryFactory

ADDED_VALUE = (
    "Mevrouw durft niet te solliciteren; in de groep oefent zij gesprekken met lotgenoten en krijgt zij herkenning "
    "die in de individuele gesprekken ontbreekt. Dat past bij haar doel om binnen drie maanden te solliciteren."
)


@dataclass
class Plan:
    consultant: User
    client: Client
    trajectory: Trajectory
    instrument: Instrument
    instrument_type: InstrumentType
    programme: Programme


def make_plan(consultant: User, municipality: Municipality, **programme: Any) -> Plan:
    organisation = municipality.organisation
    client = factories.ClientFactory.create(
        organisation=organisation,
        municipality=municipality,
        consultant=consultant,
        availability=["mon_morning", "tue_morning", "wed_morning"],
    )
    trajectory = TrajectoryFactory.create(client=client, created_by=consultant)
    kind = InstrumentTypeFactory.create(organisation=organisation, kind=InstrumentKind.GROUP_PROGRAMME)
    instrument = InstrumentFactory.create(trajectory=trajectory, instrument_type=kind)
    defaults: dict[str, Any] = {"organisation": organisation, "instrument_type": kind, "name": "Empowermenttraining"}
    return Plan(
        consultant,
        client,
        trajectory,
        instrument,
        kind,
        factories.ProgrammeFactory.create(**{**defaults, **programme}),
    )


def next_weekday(weekday: int, after: datetime.date | None = None, weeks: int = 1) -> datetime.date:
    """The given weekday (0 = Monday) at least ``weeks`` weeks after today."""
    start = (after or timezone.localdate()) + datetime.timedelta(weeks=weeks)
    return start + datetime.timedelta(days=(weekday - start.weekday()) % 7)


def make_run(programme: Programme, start: datetime.date, sessions: int = 3, **kwargs: Any) -> GroupRun:
    """A run with weekly sessions at 9:30 from ``start``."""
    run = factories.GroupRunFactory.create(programme=programme, start_date=start, **kwargs)
    for number in range(1, sessions + 1):
        gw.SessionFactory(group_run=run, number=number, date=start + datetime.timedelta(weeks=number - 1))
    return run


def english(http: HttpClient) -> HttpClient:
    http.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return http
