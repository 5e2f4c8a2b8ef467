"""Review findings on placement proposals: each test fails without its fix (security, privacy and reliability)."""

from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from koers.groupwork.models import GroupRun, Participation, Programme, ReferralStatus
from koers.placement import services
from koers.placement.models import LineStatus, PlacementProposal, ProposalLine, ProposalStatus
from koers.placement.tasks import ProposalFailedError, run_proposal_task
from tests.placement.test_views import done_proposal, waiting_clients
from tests.placement_factories import programme_with_planner, run

pytestmark = pytest.mark.django_db

BEYOND_ANY_ID = str(2**64)


@pytest.fixture
def programme(organisation) -> Programme:
    return programme_with_planner(organisation, max_size=3)[0]


@pytest.fixture
def planner(make_user):
    return make_user("planner")


@pytest.fixture
def consultant(make_user):
    return make_user("consultant")


@pytest.fixture
def group_run(programme) -> GroupRun:
    return run(programme)


@pytest.fixture
def proposal(programme, planner, group_run, municipality, consultant) -> PlacementProposal:
    (referral,) = waiting_clients(programme, municipality, consultant, 1)
    return done_proposal(programme, planner, [(referral, group_run)])


@pytest.mark.parametrize(
    ("name", "data"),
    [("accept", {"line": BEYOND_ANY_ID}), ("rerun", {"pin": BEYOND_ANY_ID}), ("rerun", {"shown": BEYOND_ANY_ID})],
)
def test_a_line_id_beyond_the_database_range_is_refused_not_a_crash(proposal, planner, login, name, data) -> None:
    """SQLite cannot compare an id above 2**63 - 1 (OverflowError in ``pk__in``): that was a 500."""
    response = login(planner).post(reverse(f"placement:{name}", kwargs={"pk": proposal.pk}), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("placement:proposal", kwargs={"pk": proposal.pk})
    assert proposal.lines.get().status == LineStatus.PROPOSED
    assert PlacementProposal.objects.count() == 1


class ReadJustBefore:
    """``proposal.lines`` as one planner reads them just before ``then`` (a colleague's acceptance) commits."""

    def __init__(self, proposal: PlacementProposal, then: Callable[[], object]) -> None:
        self.lines: Any = proposal.lines.all()
        self.then = then

    def filter(self, *args: Any, **kwargs: Any) -> "ReadJustBefore":
        self.lines = self.lines.filter(*args, **kwargs)
        return self

    def select_related(self, *fields: str) -> "ReadJustBefore":
        self.lines = self.lines.select_related(*fields)
        return self

    def order_by(self, *fields: str) -> "ReadJustBefore":
        self.lines = self.lines.order_by(*fields)
        return self

    def __iter__(self) -> Iterator[ProposalLine]:
        read = list(self.lines)
        self.then()
        return iter(read)


def test_a_line_accepted_by_another_planner_meanwhile_stays_accepted(proposal, planner, make_user) -> None:
    """Two planners accept the same line at once: the client is placed once (``place_referral`` refuses a referral
    that no longer waits), and the second acceptance must not mark the first planner's accepted line refused."""
    line = proposal.lines.get()
    colleague = make_user("planner")
    stale = SimpleNamespace(
        lines=ReadJustBefore(proposal, lambda: services.accept_lines(proposal, [line.pk], colleague))
    )

    second = services.accept_lines(stale, [line.pk], planner)  # type: ignore[arg-type]

    line.refresh_from_db()
    assert (line.status, line.outcome) == (LineStatus.ACCEPTED, "")
    assert second == []
    assert Participation.objects.filter(referral=line.referral).count() == 1
    line.referral.refresh_from_db()
    assert line.referral.status == ReferralStatus.PLACED


def test_a_failed_line_update_undoes_the_placement(proposal, planner, monkeypatch) -> None:
    """Placing the client and marking the line accepted are one unit: never a placed client with a line that still
    offers the placement (accepting it again would then mark it refused)."""
    line = proposal.lines.get()

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "_record_outcome", broken)

    with pytest.raises(RuntimeError):
        services.accept_lines(proposal, [line.pk], planner)

    line.refresh_from_db()
    assert line.status == LineStatus.PROPOSED
    assert not Participation.objects.filter(referral=line.referral).exists()


@pytest.fixture
def in_background(monkeypatch) -> list[int]:
    """The proposals queued for the worker, which this test does not run."""
    queued: list[int] = []
    monkeypatch.setattr(services, "enqueue", lambda task, proposal_id: queued.append(proposal_id))
    return queued


def test_asking_twice_quickly_opens_the_proposal_already_being_made(
    programme, planner, make_user, login, in_background
) -> None:
    """A double click (or a colleague at the same moment) must not queue a second solver run for the same list."""
    url = reverse("placement:request", kwargs={"programme_pk": programme.pk})
    first = login(planner).post(url)
    second = login(make_user("planner")).post(url)

    proposal = PlacementProposal.objects.get()
    assert first["Location"] == second["Location"] == reverse("placement:proposal", kwargs={"pk": proposal.pk})
    assert in_background == [proposal.pk]


def test_a_new_proposal_may_be_asked_once_the_earlier_one_is_finished_or_cut_off(
    programme, planner, in_background
) -> None:
    done = services.request_proposal(programme, planner)
    done.status = ProposalStatus.DONE
    done.save()
    cut_off = services.request_proposal(programme, planner)
    PlacementProposal.objects.filter(pk=cut_off.pk).update(created_at=cut_off.created_at.replace(year=2000))
    fresh = services.request_proposal(programme, planner)

    assert len({done.pk, cut_off.pk, fresh.pk}) == 3


def test_a_rerun_with_other_pins_is_a_new_proposal(proposal, planner, in_background) -> None:
    line = proposal.lines.get()
    pinned = services.rerun_with_pins(proposal, [line.pk], planner)
    again = services.rerun_with_pins(proposal, [line.pk], planner)
    unpinned = services.rerun_with_pins(proposal, [], planner)

    assert again == pinned
    assert unpinned != pinned


def test_a_failing_proposal_fails_its_task_without_personal_data(programme, planner, in_background, monkeypatch):
    proposal = services.request_proposal(programme, planner)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("boom with a client name in it")

    monkeypatch.setattr(services.adapter, "build_instance", broken)

    with pytest.raises(ProposalFailedError) as failure:
        run_proposal_task.call(proposal.pk)  # what the worker does

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.FAILED
    assert "client name" not in proposal.error
    assert "client name" not in str(failure.value)
    assert failure.value.__context__ is None, "the task result's traceback must not carry the original error"
