"""The team view's counts on a small hand-computed dataset, the monthly snapshots and the trend built from them."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from koers.accounts.roles import Role
from koers.principles.models import PrincipleSnapshot
from koers.principles.selectors import Tally, month_starts, team_audit, trend
from koers.principles.services import month_ends, record_snapshots
from tests import factories
from tests.trajectory_factories import TrajectoryFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def manager(make_user):
    return make_user(Role.TEAM_MANAGER)


@pytest.fixture
def people(make_user, municipality):
    """Anna and Bram in the manager's team, Cor outside it."""
    anna = make_user(Role.CONSULTANT, username="anna")
    bram = make_user(Role.CONSULTANT, username="bram")
    cor = make_user(Role.CONSULTANT, username="cor", in_team=False)
    anna.last_name, bram.last_name = "Aalders", "Bakker"
    anna.save()
    bram.save()
    return {"anna": anna, "bram": bram, "cor": cor}


def trajectory_of(consultant, municipality, *, days_ago: int = 60, strengths: str = "Sterk", **kwargs):
    client = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=consultant
    )
    return TrajectoryFactory(
        client=client,
        created_by=consultant,
        started_on=TODAY - datetime.timedelta(days=days_ago),
        strengths=strengths,
        **kwargs,
    )


@pytest.fixture
def dataset(people, municipality):
    """Principle 2 (strengths): Anna 1 pass + 1 fail, Bram 1 attention; Cor's, an ended and a future one don't count."""
    anna, bram, cor = people["anna"], people["bram"], people["cor"]
    trajectory_of(anna, municipality)
    trajectory_of(anna, municipality, strengths="")
    trajectory_of(bram, municipality, days_ago=10, strengths="")
    trajectory_of(cor, municipality, strengths="")
    trajectory_of(anna, municipality, strengths="", ended_on=TODAY - DAY)
    trajectory_of(bram, municipality, days_ago=-5, strengths="")
    return people


def test_team_audit_counts_per_principle_and_consultant(manager, dataset) -> None:
    audit = team_audit(manager, TODAY)
    assert audit.trajectories == 3
    overall = {row.principle.number: row.tally for row in audit.overall}
    assert overall[2] == Tally(passed=1, attention=1, failed=1)
    rows = {row.consultant.username: row for row in audit.consultants}
    assert set(rows) == {"anna", "bram"}
    assert rows["anna"].trajectories == 2
    assert rows["anna"].cells[1].tally == Tally(passed=1, attention=0, failed=1)
    assert rows["bram"].cells[1].tally == Tally(passed=0, attention=1, failed=0)
    assert overall[2].pass_percent == 33
    assert all(row.tally.total == 3 for row in audit.overall)


def test_an_ended_trajectory_counts_on_days_it_was_open(manager, dataset) -> None:
    audit = team_audit(manager, TODAY - 2 * DAY)
    assert audit.trajectories == 4


def test_a_consultant_without_open_trajectories_is_listed_empty(manager, make_user, dataset) -> None:
    make_user(Role.CONSULTANT, username="dirk")
    rows = {row.consultant.username: row for row in team_audit(manager, TODAY).consultants}
    assert rows["dirk"].trajectories == 0
    assert rows["dirk"].cells[0].tally.pass_share is None


def test_team_audit_leaves_out_other_organisations(manager, dataset) -> None:
    elsewhere = factories.OrganisationFactory(name="Elders")
    stranger = factories.ClientFactory(organisation=elsewhere, consultant=dataset["anna"])
    TrajectoryFactory(client=stranger, created_by=dataset["anna"])
    assert team_audit(manager, TODAY).trajectories == 3


def test_team_audit_sorts_by_lowest_pass_share(manager, dataset) -> None:
    by_name = [row.consultant.username for row in team_audit(manager, TODAY).consultants]
    assert by_name == ["anna", "bram"]
    by_strengths = [row.consultant.username for row in team_audit(manager, TODAY, sort="p2").consultants]
    assert by_strengths == ["bram", "anna"]


def test_snapshots_store_the_counts_per_consultant_and_principle(organisation, dataset) -> None:
    written = record_snapshots(organisation, TODAY)
    assert written == 3 * 10  # Anna, Bram and Cor, ten principles each
    snapshot = PrincipleSnapshot.objects.get(consultant=dataset["anna"], principle=2)
    assert snapshot.month == TODAY.replace(day=1)
    assert (snapshot.passed, snapshot.attention, snapshot.failed) == (1, 0, 1)


def test_recording_a_month_again_replaces_its_figures(organisation, dataset, municipality) -> None:
    record_snapshots(organisation, TODAY)
    trajectory_of(dataset["anna"], municipality)
    assert record_snapshots(organisation, TODAY) == 30
    assert PrincipleSnapshot.objects.count() == 30
    snapshot = PrincipleSnapshot.objects.get(consultant=dataset["anna"], principle=2)
    assert (snapshot.passed, snapshot.attention, snapshot.failed) == (2, 0, 1)


def test_the_trend_sums_the_teams_snapshots_per_month(manager, organisation, dataset) -> None:
    last_month_end = TODAY.replace(day=1) - DAY
    record_snapshots(organisation, last_month_end)
    record_snapshots(organisation, TODAY)
    series = trend(manager, TODAY, months=3)
    strengths = series[1]
    assert strengths.principle.number == 2
    assert [point.month for point in strengths.points] == month_starts(TODAY, 3)
    assert strengths.points[0].tally == Tally()
    assert strengths.points[-1].tally == Tally(passed=1, attention=1, failed=1)  # Cor is not in the team


def test_month_helpers() -> None:
    assert month_starts(datetime.date(2026, 2, 14), 3) == [
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 2, 1),
    ]
    assert month_ends(datetime.date(2026, 3, 14), 2) == [datetime.date(2026, 1, 31), datetime.date(2026, 2, 28)]


def test_the_command_back_fills_month_ends(organisation, dataset) -> None:
    out = StringIO()
    call_command("record_principle_audit", "--as-of", TODAY.isoformat(), "--months", "2", stdout=out)
    months = set(PrincipleSnapshot.objects.values_list("month", flat=True))
    assert months == set(month_starts(TODAY, 3))
    assert "30 rows" in out.getvalue()


def test_the_command_refuses_a_bad_date() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("record_principle_audit", "--as-of", "31-12-2026")
