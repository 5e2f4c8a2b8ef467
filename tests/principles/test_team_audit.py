"""The team view's counts on a small hand-computed dataset, the monthly snapshots and the trend built from them.

The team view holds back counts over fewer than ``MIN_CELL`` trajectories (per consultant, for the team, and any
team sum from which such a count could be worked out by subtraction); the hand-computed counts are therefore
checked on ``tallies_by_consultant`` and the team view with enough trajectories per consultant.
"""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from koers.accounts.roles import Role
from koers.principles.models import PrincipleSnapshot
from koers.principles.rules import AuditDay, thresholds_for
from koers.principles.selectors import (
    MIN_CELL,
    Tally,
    discloses_small_group,
    month_starts,
    tallies_by_consultant,
    team_audit,
    team_consultants,
    trend,
)
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


def test_counts_per_principle_and_consultant(manager, dataset) -> None:
    day = AuditDay(TODAY, thresholds_for(manager.organisation_id))
    counts = tallies_by_consultant(manager.organisation_id, day, team_consultants(manager))
    assert set(counts) == {dataset["anna"].pk, dataset["bram"].pk}
    assert counts[dataset["anna"].pk][2] == Tally(passed=1, attention=0, failed=1)
    assert counts[dataset["bram"].pk][2] == Tally(passed=0, attention=1, failed=0)
    assert all(tally.total == 2 for tally in counts[dataset["anna"].pk].values())


def test_team_audit_counts_per_principle_and_consultant(manager, dataset, municipality) -> None:
    """Three more passing trajectories each: Anna 4 pass + 1 fail, Bram 3 pass + 1 attention + 1 fail."""
    for consultant in (dataset["anna"], dataset["bram"]):
        for _ in range(3):
            trajectory_of(consultant, municipality)
    trajectory_of(dataset["bram"], municipality, strengths="")
    audit = team_audit(manager, TODAY)
    assert audit.trajectories == 10
    assert not audit.totals_suppressed
    overall = {row.principle.number: row.tally for row in audit.overall}
    assert overall[2] == Tally(passed=7, attention=1, failed=2)
    assert overall[2].pass_percent == 70
    assert all(row.tally.total == 10 for row in audit.overall)
    rows = {row.consultant.username: row for row in audit.consultants}
    assert set(rows) == {"anna", "bram"}
    assert rows["anna"].trajectories == 5
    assert rows["anna"].cells[1].tally == Tally(passed=4, attention=0, failed=1)
    assert rows["bram"].cells[1].tally == Tally(passed=3, attention=1, failed=1)


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


def test_team_audit_sorts_by_lowest_pass_share(manager, people, municipality) -> None:
    for index in range(5):
        trajectory_of(people["anna"], municipality)
        trajectory_of(people["bram"], municipality, strengths="" if index == 0 else "Sterk")
    by_name = [row.consultant.username for row in team_audit(manager, TODAY).consultants]
    assert by_name == ["anna", "bram"]
    by_strengths = [row.consultant.username for row in team_audit(manager, TODAY, sort="p2").consultants]
    assert by_strengths == ["bram", "anna"]


# Small numbers: no count over fewer than MIN_CELL trajectories


def test_min_cell_is_five() -> None:
    assert MIN_CELL == 5


def test_a_consultant_with_three_trajectories_shows_no_counts(manager, people, municipality) -> None:
    """Bram's three all fail principle 2: his row must not say so, nor may any of his cells carry counts."""
    for _ in range(5):
        trajectory_of(people["anna"], municipality)
    for _ in range(3):
        trajectory_of(people["bram"], municipality, strengths="")
    rows = {row.consultant.username: row for row in team_audit(manager, TODAY).consultants}
    assert rows["bram"].trajectories == 3
    assert rows["bram"].suppressed
    assert all(cell.suppressed and cell.tally == Tally() for cell in rows["bram"].cells)
    assert all(cell.tally.pass_share is None for cell in rows["bram"].cells)


def test_a_consultant_with_five_trajectories_shows_counts(manager, people, municipality) -> None:
    for index in range(5):
        trajectory_of(people["anna"], municipality, strengths="" if index == 0 else "Sterk")
    rows = {row.consultant.username: row for row in team_audit(manager, TODAY).consultants}
    assert not rows["anna"].suppressed
    assert not any(cell.suppressed for cell in rows["anna"].cells)
    assert rows["anna"].cells[1].tally == Tally(passed=4, attention=0, failed=1)


def test_sorting_lists_suppressed_consultants_last(manager, people, municipality, make_user) -> None:
    """Anna (4 of 5 pass principle 2) before Bram (3 trajectories, all failing: a share of 0 if it were counted)."""
    for index in range(5):
        trajectory_of(people["anna"], municipality, strengths="" if index == 0 else "Sterk")
    for _ in range(3):
        trajectory_of(people["bram"], municipality, strengths="")
    aaron = make_user(Role.CONSULTANT, username="aaron")  # no trajectories; first by name
    aaron.last_name = "Aa"
    aaron.save()
    by_strengths = [row.consultant.username for row in team_audit(manager, TODAY, sort="p2").consultants]
    assert by_strengths == ["anna", "aaron", "bram"]


def test_a_team_of_four_trajectories_shows_no_totals(manager, people, municipality) -> None:
    for _ in range(2):
        trajectory_of(people["anna"], municipality)
        trajectory_of(people["bram"], municipality, strengths="")
    audit = team_audit(manager, TODAY)
    assert audit.trajectories == 4
    assert audit.totals_suppressed
    assert all(row.suppressed and row.tally == Tally() for row in audit.overall)


def test_totals_are_held_back_when_subtraction_would_reveal_a_small_group(manager, people, municipality) -> None:
    """Anna's 5 are shown; the team's 6 minus Anna's 5 would give Bram's one trajectory."""
    for _ in range(5):
        trajectory_of(people["anna"], municipality)
    trajectory_of(people["bram"], municipality, strengths="")
    assert team_audit(manager, TODAY).totals_suppressed
    for _ in range(4):
        trajectory_of(people["bram"], municipality)
    assert not team_audit(manager, TODAY).totals_suppressed


@pytest.mark.parametrize(
    ("totals", "discloses"),
    [
        ([], True),
        ([4], True),
        ([2, 2], True),
        ([5], False),
        ([5, 0], False),
        ([5, 1], True),
        ([5, 4], True),
        ([5, 3, 3], False),  # the hidden six are two consultants together
        ([3, 3], False),
        ([10, 5], False),
    ],
)
def test_discloses_small_group(totals, discloses) -> None:
    assert discloses_small_group(totals) is discloses


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


def test_the_trend_sums_the_teams_snapshots_per_month(manager, organisation, people, municipality) -> None:
    """Last month: Anna 5 (1 fails principle 2), Bram 5 passing. This month Bram has a sixth, new one."""
    for index in range(5):
        trajectory_of(people["anna"], municipality, strengths="" if index == 0 else "Sterk")
        trajectory_of(people["bram"], municipality)
    trajectory_of(people["cor"], municipality, strengths="")
    last_month_end = TODAY.replace(day=1) - DAY
    record_snapshots(organisation, last_month_end)
    trajectory_of(people["bram"], municipality, days_ago=0, strengths="")
    record_snapshots(organisation, TODAY)
    series = trend(manager, TODAY, months=3)
    strengths = series[1]
    assert strengths.principle.number == 2
    assert [point.month for point in strengths.points] == month_starts(TODAY, 3)
    assert strengths.points[0].tally == Tally()
    assert not strengths.points[0].suppressed
    assert strengths.points[1].tally == Tally(passed=9, attention=0, failed=1)  # Cor is not in the team
    assert strengths.points[-1].tally == Tally(passed=9, attention=1, failed=1)  # a new one: within the intake time


def test_the_trend_holds_back_months_with_small_groups(manager, organisation, people, municipality) -> None:
    """Last month the team had 4 trajectories; this month Anna 5 and Bram 1, whose count subtraction would give."""
    for _ in range(4):
        trajectory_of(people["anna"], municipality, days_ago=40)
    record_snapshots(organisation, TODAY.replace(day=1) - DAY)
    trajectory_of(people["anna"], municipality, days_ago=0)
    trajectory_of(people["bram"], municipality, days_ago=0, strengths="")
    record_snapshots(organisation, TODAY)
    for line in trend(manager, TODAY, months=2):
        assert [point.suppressed for point in line.points] == [True, True]
        assert all(point.tally == Tally() for point in line.points)


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
