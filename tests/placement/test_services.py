"""Proposals end to end: request → computed → lines; accept in part; refusals; re-run with pins; access; audit."""

from collections.abc import Callable

import pytest
from django.http import Http404
from django.utils import translation

from koers.accounts.models import User
from koers.audit.models import Action, AuditEvent
from koers.groupwork.models import Participation, ReferralStatus
from koers.groupwork.placement_services import place_referral
from koers.placement import services
from koers.placement.models import LineStatus, PlacementProposal, ProposalStatus
from koers.placement.reasons import explain_text
from koers.placement.selectors import line_view, may_act, proposal_for, proposal_lines, run_changes
from tests.factories import OrganisationFactory, UserFactory
from tests.placement_factories import programme_with_planner, run, waiting

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(django_capture_on_commit_callbacks) -> Callable[..., PlacementProposal]:
    """Ask for a proposal and let its task run, as the worker does once the request is committed."""

    def ask(programme, planner, **kwargs) -> PlacementProposal:
        with django_capture_on_commit_callbacks(execute=True):
            proposal = services.request_proposal(programme, planner, **kwargs)
        proposal.refresh_from_db()
        return proposal

    return ask


@pytest.fixture
def setting(organisation, municipality):
    """Two runs of two places, three waiting clients: the two who waited longest get the first run."""
    programme, planner = programme_with_planner(organisation, max_size=2)
    consultant: User = UserFactory(organisation=organisation, roles=["consultant"])
    first, second = run(programme, in_days=7), run(programme, in_days=21)
    referrals = [waiting(programme, municipality, consultant, days_ago=days) for days in (30, 20, 10)]
    return programme, planner, first, second, referrals


def lines_by_referral(proposal: PlacementProposal) -> dict:
    return {line.referral_id: line for line in proposal.lines.all()}


def test_a_requested_proposal_is_computed_with_lines_reasons_and_figures(computed, setting) -> None:
    programme, planner, first, second, _referrals = setting

    proposal = computed(programme, planner)

    assert proposal.status == ProposalStatus.DONE
    assert proposal.progress == 100
    assert proposal.is_finished
    lines = lines_by_referral(proposal)
    in_first = [line for line in lines.values() if line.group_run == first]
    (in_second,) = [line for line in lines.values() if line.group_run == second]
    assert len(in_first) == 2
    assert {line.reason_code for line in in_first} == {"earliest"}
    assert in_second.reason_code == "earlier_full"
    with translation.override("en"):
        assert "is full" in explain_text(in_second)
    assert in_first[0].wait_days == (first.start_date - in_first[0].referral.referred_on).days
    assert proposal.figures["proposal"]["placed"] == 3
    assert proposal.figures["current"]["placed"] == 0
    assert set(proposal.figures) == {"proposal", "current", "first_come"}
    assert set(proposal.figures["first_come"]) == set(services.FIGURES)
    changes = {change.run: change for change in run_changes(proposal)}
    assert (changes[first].proposed, changes[second].proposed, changes[first].starts) == (2, 1, True)


def test_accepting_part_places_through_place_referral_and_audits(computed, setting) -> None:
    programme, planner, first, _second, referrals = setting
    proposal = computed(programme, planner)
    line = lines_by_referral(proposal)[referrals[0].pk]

    accepted = services.accept_lines(proposal, [line.pk], planner)

    assert [(a.pk, a.status) for a in accepted] == [(line.pk, LineStatus.ACCEPTED)]
    referrals[0].refresh_from_db()
    assert referrals[0].status == ReferralStatus.PLACED
    assert referrals[0].group_run == first
    participation = Participation.objects.get(referral=referrals[0])
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_id=str(participation.pk), reason="placed in group run", actor=planner
    ).exists()
    others = proposal.lines.exclude(pk=line.pk)
    assert set(others.values_list("status", flat=True)) == {LineStatus.PROPOSED}


def test_a_place_taken_meanwhile_refuses_that_line_and_the_rest_goes_on(computed, setting, municipality) -> None:
    programme, planner, first, _second, referrals = setting
    proposal = computed(programme, planner)
    newcomer = waiting(programme, municipality, referrals[0].referred_by, days_ago=40)
    place_referral(newcomer, first, planner)
    lines = lines_by_referral(proposal)
    withdrawn = next(line.referral for line in lines.values() if line.group_run != first)
    withdrawn.status = ReferralStatus.WITHDRAWN
    withdrawn.save()

    with translation.override("en"):
        done = services.accept_lines(proposal, [line.pk for line in lines.values()], planner)

    outcome = {line.referral_id: (line.status, line.outcome) for line in done}
    in_first = sorted(line.pk for line in lines.values() if line.group_run == first)
    first_lines = [outcome[line.referral_id] for line in proposal.lines.filter(pk__in=in_first).order_by("id")]
    assert first_lines[0] == (LineStatus.ACCEPTED, "")  # the last place of the first run
    assert first_lines[1][0] == LineStatus.REFUSED
    assert "full" in first_lines[1][1]
    assert outcome[withdrawn.pk] == (
        LineStatus.REFUSED,
        "The referral is no longer waiting: it was placed, withdrawn or declined since the proposal.",
    )
    assert Participation.objects.filter(group_run=first).count() == 2


def test_a_rerun_keeps_the_pinned_lines(computed, setting, django_capture_on_commit_callbacks) -> None:
    programme, planner, first, second, referrals = setting
    proposal = computed(programme, planner)
    # fix the longest waiter in the later run: the re-run must keep it and fill the first run with the others
    line = lines_by_referral(proposal)[referrals[0].pk]
    line.group_run = second
    line.save()

    with django_capture_on_commit_callbacks(execute=True):
        rerun = services.rerun_with_pins(proposal, [line.pk], planner)
    rerun.refresh_from_db()

    assert rerun.previous == proposal
    assert rerun.pinned == {str(referrals[0].pk): second.pk}
    lines = lines_by_referral(rerun)
    assert lines[referrals[0].pk].group_run == second
    assert lines[referrals[0].pk].pinned
    assert lines[referrals[0].pk].reason_code == "pinned"
    assert {lines[r.pk].group_run for r in referrals[1:]} == {first}


def test_a_failing_solver_ends_the_proposal_as_failed_without_details(computed, setting, monkeypatch) -> None:
    programme, planner, *_ = setting

    def broken(*args, **kwargs):
        raise RuntimeError("client Jansen exploded")

    monkeypatch.setattr(services.solver, "solve", broken)
    proposal = computed(programme, planner)

    assert proposal.status == ProposalStatus.FAILED
    assert proposal.error == services.FAILED_MESSAGE
    assert not proposal.lines.exists()


def test_only_the_organisations_planners_see_and_act_on_a_proposal(computed, setting, organisation) -> None:
    programme, planner, *_ = setting
    proposal = computed(programme, planner)
    manager = UserFactory(organisation=organisation, roles=["team_manager"])
    stranger = UserFactory(organisation=OrganisationFactory(name="Ander Werkbedrijf"), roles=["planner"])
    consultant = UserFactory(organisation=organisation, roles=["consultant"])

    assert proposal_for(planner, proposal.pk) == proposal
    assert may_act(planner, proposal)
    for outsider in (manager, stranger, consultant):
        with pytest.raises(Http404):
            proposal_for(outsider, proposal.pk)


def test_a_line_shows_the_planner_name_number_and_reason_only(computed, setting) -> None:
    programme, planner, _first, _second, referrals = setting
    proposal = computed(programme, planner)
    views = [line_view(line) for line in proposal_lines(proposal)]
    assert {v.client_number for v in views} == {r.client_id for r in referrals}
    assert {v.client_name for v in views} == {r.client.full_name for r in referrals}
    assert all(v.reason for v in views)
