import pytest

from tests import factories
from tests.trajectory_factories import TrajectoryFactory


@pytest.fixture
def trajectory(consultant, municipality):
    """An open trajectory of the consultant's client, started 60 days ago, with strengths and perspective."""
    client = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=consultant
    )
    return TrajectoryFactory(client=client, created_by=consultant)
