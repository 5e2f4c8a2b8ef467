"""Fixtures that the measurement tests share: the organisation's measured questionnaire and a consultant's client's
trajectory."""

import datetime

import pytest
from django.utils import timezone

from koers.measurement.models import MeasurementPolicy, QuestionnaireVersion
from koers.trajectories.models import Trajectory
from tests import factories
from tests.measurement_factories import small_questionnaire
from tests.trajectory_factories import TrajectoryFactory


@pytest.fixture
def version(organisation) -> QuestionnaireVersion:
    """A published ``small_questionnaire``, the one the organisation's measurement policy names."""
    version = small_questionnaire(organisation)
    MeasurementPolicy.objects.create(organisation=organisation, questionnaire=version.questionnaire)
    return version


@pytest.fixture
def trajectory(consultant, municipality) -> Trajectory:
    """A trajectory of one of the consultant's clients, started sixty days ago."""
    client = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=consultant
    )
    return TrajectoryFactory(
        client=client, created_by=consultant, started_on=timezone.localdate() - datetime.timedelta(days=60)
    )
