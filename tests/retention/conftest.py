import datetime
from typing import Any

import pytest
from django.utils import timezone

from koers.accounts.models import Municipality, User
from koers.accounts.roles import Role
from koers.clients.models import Client, ClientTransfer, Rectification
from koers.groupwork.models import (
    EvaluationInvite,
    HandOffObservation,
    Invitation,
    Referral,
    ReferralEvent,
    ReferralStatus,
)
from koers.measurement.models import MeasurementLink
from koers.placement.models import PlacementProposal, ProposalLine
from koers.retention.models import LegalHold
from koers.trajectories.models import IgmFactor, ProgressReportFacet, Trajectory
from tests import factories
from tests.groupwork_factories import (
    AttendanceFactory,
    HandOffFactory,
    QuestionnaireFactory,
    ReferralFactory,
    SessionFactory,
)
from tests.measurement_factories import completed_measurement
from tests.trajectory_factories import (
    IgmProfileFactory,
    LifeDomainAssessmentFactory,
    ProgressReportFactory,
    TrajectoryFactory,
)


@pytest.fixture
def administrator(role_users: dict[str, User]) -> User:
    return role_users[Role.ADMINISTRATOR]


@pytest.fixture
def process_owner(role_users: dict[str, User]) -> User:
    return role_users[Role.TEAM_MANAGER]


def closed_client(municipality: Municipality, consultant: User, ended_on: datetime.date) -> Client:
    """A client whose only trajectory ended on ``ended_on``."""
    client = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=consultant
    )
    TrajectoryFactory(client=client, started_on=ended_on - datetime.timedelta(days=200), ended_on=ended_on)
    return client


def withdrawn_referral(
    municipality: Municipality, consultant: User, withdrawn_on: datetime.date, **fields: Any
) -> Referral:
    """A referral withdrawn while waiting, with its history; the client keeps an open trajectory."""
    client = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=consultant
    )
    TrajectoryFactory(client=client, started_on=withdrawn_on - datetime.timedelta(days=100))
    referral = ReferralFactory(client=client, status=ReferralStatus.WITHDRAWN, ended_on=withdrawn_on, **fields)
    moment = timezone.make_aware(datetime.datetime.combine(withdrawn_on, datetime.time(10)))
    ReferralEvent.objects.create(referral=referral, status=ReferralStatus.WAITING, at=moment, by=consultant)
    ReferralEvent.objects.create(referral=referral, status=ReferralStatus.WITHDRAWN, at=moment, by=consultant)
    return referral


def full_dossier(municipality: Municipality, consultant: User, ended_on: datetime.date) -> Client:
    """A closed dossier with at least one row in every client-linked table."""
    client = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=consultant
    )
    start = ended_on - datetime.timedelta(days=300)
    trajectory: Trajectory = TrajectoryFactory(client=client, started_on=start)
    factories.ScreeningFlagFactory(client=client)
    factories.AccessGrantFactory(client=client, user=consultant)
    ClientTransfer.objects.create(client=client, to_consultant=consultant, reason="Caseload", transferred_by=consultant)
    Rectification.objects.create(
        client=client, field="phone", old_value="1", new_value="2", reason="typo", by=consultant
    )
    LegalHold.objects.create(client=client, reason="Bezwaar", until=start, set_by=consultant)
    LifeDomainAssessmentFactory(trajectory=trajectory)
    IgmProfileFactory(trajectory=trajectory)
    report = ProgressReportFactory(trajectory=trajectory)
    ProgressReportFacet.objects.create(report=report, factor=IgmFactor.values[0], changed="Meer rust")
    measurement = completed_measurement(trajectory)
    MeasurementLink.objects.create(
        measurement=measurement, expires_at=timezone.now(), created_by=consultant, token_hash="a" * 64
    )
    referral = ReferralFactory(client=client, status=ReferralStatus.COMPLETED, referred_by=consultant)
    ReferralEvent.objects.create(referral=referral, status=ReferralStatus.COMPLETED, by=consultant)
    run = factories.GroupRunFactory(programme=referral.programme)
    participation = factories.ParticipationFactory(group_run=run, client=client, referral=referral)
    AttendanceFactory(session=SessionFactory(group_run=run, number=1), participation=participation)
    Invitation.objects.create(participation=participation, kind="invitation", channel="letter", sent_by=consultant)
    hand_off = HandOffFactory(participation=participation, written_by=consultant)
    HandOffObservation.objects.create(hand_off=hand_off, factor=IgmFactor.values[0], observation="Neemt initiatief")
    EvaluationInvite.objects.create(
        questionnaire=QuestionnaireFactory(programme=referral.programme),
        group_run=participation.group_run,
        participation=participation,
        expires_at=timezone.now(),
    )
    proposal = PlacementProposal.objects.create(
        organisation=client.organisation, programme=referral.programme, requested_by=consultant
    )
    ProposalLine.objects.create(proposal=proposal, referral=referral, reason_code="placed")
    Trajectory.objects.filter(pk=trajectory.pk).update(ended_on=ended_on)
    return client
