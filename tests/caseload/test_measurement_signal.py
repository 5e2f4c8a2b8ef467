"""The caseload's "Measurement due" signal: a badge for the client whose measurement is due, none once it is done."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.caseload.selectors import SIGNALS_BY_PARAM, caseload_for
from koers.measurement.models import MeasurementPolicy, Moment
from tests import factories
from tests.measurement_factories import completed_measurement, small_questionnaire
from tests.trajectory_factories import TrajectoryFactory

pytestmark = pytest.mark.django_db

URL = reverse("caseload:index")
TODAY = timezone.localdate()
WEEK = datetime.timedelta(weeks=1)


@pytest.fixture
def version(organisation):
    version = small_questionnaire(organisation)
    MeasurementPolicy.objects.create(organisation=organisation, questionnaire=version.questionnaire)
    return version


@pytest.fixture
def add_trajectory(consultant, municipality):
    def add(last_name: str):
        client = factories.ClientFactory(
            organisation=municipality.organisation,
            municipality=municipality,
            consultant=consultant,
            last_name=last_name,
        )
        return TrajectoryFactory(client=client, created_by=consultant, started_on=TODAY - 6 * WEEK)

    return add


def _row(html: str, client_pk: int) -> str:
    row = html[html.index(f'data-client="{client_pk}"') :]
    return row[: row.index("</tr>")]


def test_the_badge_shows_for_a_due_client_and_not_for_a_measured_one(
    version, add_trajectory, consultant, login
) -> None:
    due = add_trajectory("Aydin")
    done = add_trajectory("Bakker")
    completed_measurement(done, version, moment=Moment.START, taken_on=TODAY - 5 * WEEK)
    html = login(consultant).get(URL).content.decode()
    due_row, done_row = _row(html, due.client_id), _row(html, done.client_id)
    assert 'data-signal="meting"' in due_row
    assert reverse("measurement:create", kwargs={"pk": due.pk}) in due_row
    assert 'data-signal="meting"' not in done_row


def test_the_filter_lists_only_clients_with_a_measurement_due(version, add_trajectory, consultant, login) -> None:
    due = add_trajectory("Aydin")
    done = add_trajectory("Bakker")
    completed_measurement(done, version, moment=Moment.START, taken_on=TODAY - 5 * WEEK)
    html = login(consultant).get(URL, {"signaal": "meting"}).content.decode()
    assert f'data-client="{due.client_id}"' in html
    assert f'data-client="{done.client_id}"' not in html


def test_the_signal_counts_in_the_summary(version, add_trajectory, consultant) -> None:
    add_trajectory("Aydin")
    rows = caseload_for(consultant, today=TODAY, signal=SIGNALS_BY_PARAM["meting"])
    assert [row.signal_measurement_due for row in rows] == [True]


def test_no_badge_where_the_organisation_does_not_measure(add_trajectory, consultant, login) -> None:
    trajectory = add_trajectory("Aydin")
    html = login(consultant).get(URL).content.decode()
    assert 'data-signal="meting"' not in _row(html, trajectory.client_id)
