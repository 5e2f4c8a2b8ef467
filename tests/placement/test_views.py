"""The planner's proposal pages: request, progress, the proposal itself, accepting and re-running with pins."""

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone, translation

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.groupwork.models import GroupRun, Programme, Referral, ReferralStatus
from koers.placement.models import LineStatus, PlacementProposal, ProposalLine, ProposalStatus
from tests import factories
from tests.conftest import verified_login
from tests.helpers import assert_query_budget
from tests.placement_factories import programme_with_planner, run, waiting

ELSEWHERE = "Werkbedrijf Elders"

pytestmark = pytest.mark.django_db

FIGURES = {
    "placed": 0,
    "unplaced": 0,
    "mean_wait": 0.0,
    "p95_wait": 0.0,
    "deadlines_missed": 0,
    "needs_met": 0,
    "clients_with_needs": 0,
    "runs_starting": 0,
    "runs_below_min": 0,
    "objective": 0,
}


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def login(login):
    """Pages in English, the source language, whatever the catalogue holds."""

    def make(user) -> HttpClient:
        http = login(user)
        http.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return http

    return make


@pytest.fixture
def programme(organisation) -> Programme:
    return programme_with_planner(organisation, max_size=3)[0]


@pytest.fixture
def group_run(programme) -> GroupRun:
    return run(programme)


def waiting_clients(programme: Programme, municipality, consultant, count: int) -> list[Referral]:
    return [waiting(programme, municipality, consultant, days_ago=10 + n) for n in range(count)]


def done_proposal(
    programme: Programme,
    planner,
    placed: list[tuple[Referral, GroupRun]],
    unplaced: tuple[Referral, ...] | list[Referral] = (),
) -> PlacementProposal:
    """A finished proposal written directly, as ``services.run_proposal`` stores one (no solver needed)."""
    proposal = PlacementProposal.objects.create(
        organisation=programme.organisation,
        programme=programme,
        requested_by=planner,
        status=ProposalStatus.DONE,
        progress=100,
        finished_at=timezone.now(),
        figures={
            "current": {**FIGURES, "unplaced": len(placed) + len(unplaced)},
            "first_come": {**FIGURES, "placed": len(placed), "mean_wait": 31.24},
            "proposal": {**FIGURES, "placed": len(placed), "mean_wait": 17.5, "runs_starting": 1},
        },
    )
    add_lines(proposal, placed, unplaced)
    return proposal


def add_lines(proposal: PlacementProposal, placed, unplaced=()) -> None:
    ProposalLine.objects.bulk_create(
        [
            ProposalLine(
                proposal=proposal, referral=referral, group_run=group_run, reason_code="earliest", wait_days=24
            )
            for referral, group_run in placed
        ]
        + [
            ProposalLine(proposal=proposal, referral=referral, reason_code="all_full", reason_params={"runs": 2})
            for referral in unplaced
        ]
    )


def page_url(proposal: PlacementProposal) -> str:
    return reverse("placement:proposal", kwargs={"pk": proposal.pk})


# Requesting a proposal


def test_the_request_page_explains_and_lists_earlier_proposals(programme, planner, login) -> None:
    earlier = done_proposal(programme, planner, [])
    response = login(planner).get(reverse("placement:request", kwargs={"programme_pk": programme.pk}))
    assert response.status_code == 200
    content = response.content.decode()
    assert "A proposal changes nothing by itself" in content
    assert page_url(earlier) in content


def test_asking_for_a_proposal_computes_it_and_opens_its_page(
    programme, group_run, planner, municipality, consultant, login, django_capture_on_commit_callbacks
) -> None:
    first, second = waiting_clients(programme, municipality, consultant, 2)
    http = login(planner)
    with django_capture_on_commit_callbacks(execute=True):  # the task is queued once the request is committed
        response = http.post(reverse("placement:request", kwargs={"programme_pk": programme.pk}))
    proposal = PlacementProposal.objects.get(programme=programme)
    assert response.status_code == 302
    assert response["Location"] == page_url(proposal)
    assert proposal.status == ProposalStatus.DONE
    assert proposal.requested_by == planner
    page = http.get(page_url(proposal)).content.decode()
    for referral in (first, second):
        assert referral.client.full_name in page
        assert f'data-referral="{referral.pk}"' in page
    assert 'data-testid="proposal-figures"' in page
    assert f'data-run="{group_run.pk}"' in page


def test_the_waiting_list_offers_a_proposal_to_the_planner(programme, planner, municipality, consultant, login) -> None:
    waiting_clients(programme, municipality, consultant, 1)
    page = login(planner).get(reverse("groupwork:waiting_list", kwargs={"programme_pk": programme.pk}))
    assert reverse("placement:request", kwargs={"programme_pk": programme.pk}) in page.content.decode()
    assert 'data-testid="propose-placement"' in page.content.decode()


# Access


def test_access_to_a_proposal_by_role_and_organisation(programme, planner, make_user, login, client) -> None:
    proposal = done_proposal(programme, planner, [])
    url = page_url(proposal)
    assert login(planner).get(url).status_code == 200
    for role in (
        Role.TEAM_MANAGER,
        Role.CONSULTANT,
        Role.TRAINER,
        Role.POLICY,
        Role.ADMINISTRATOR,
        Role.PRIVACY_OFFICER,
    ):
        assert login(make_user(role)).get(url).status_code == 403, role
    elsewhere = factories.UserFactory(organisation=factories.OrganisationFactory(name=ELSEWHERE), roles=[Role.PLANNER])
    assert login(elsewhere).get(url).status_code == 404
    assert login(planner).get(reverse("placement:proposal", kwargs={"pk": proposal.pk + 1000})).status_code == 404
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/account/inloggen/")


def test_a_planner_of_another_organisation_cannot_request_or_act(
    programme, planner, group_run, municipality, consultant, login
) -> None:
    (referral,) = waiting_clients(programme, municipality, consultant, 1)
    proposal = done_proposal(programme, planner, [(referral, group_run)])
    elsewhere = login(
        factories.UserFactory(organisation=factories.OrganisationFactory(name=ELSEWHERE), roles=[Role.PLANNER])
    )
    line = proposal.lines.get()
    assert elsewhere.get(reverse("placement:request", kwargs={"programme_pk": programme.pk})).status_code == 404
    assert elsewhere.post(reverse("placement:accept", kwargs={"pk": proposal.pk}), {"line": line.pk}).status_code == 404
    assert elsewhere.post(reverse("placement:rerun", kwargs={"pk": proposal.pk}), {"pin": line.pk}).status_code == 404
    line.refresh_from_db()
    assert line.status == LineStatus.PROPOSED
    assert PlacementProposal.objects.count() == 1


def test_a_team_manager_cannot_reach_a_proposal_that_spans_every_team(
    programme, planner, group_run, municipality, consultant, make_user, login
) -> None:
    (referral,) = waiting_clients(programme, municipality, consultant, 1)
    proposal = done_proposal(programme, planner, [(referral, group_run)])
    manager = login(make_user(Role.TEAM_MANAGER))
    line = proposal.lines.get()
    assert manager.get(page_url(proposal)).status_code == 403
    assert manager.post(reverse("placement:accept", kwargs={"pk": proposal.pk}), {"line": line.pk}).status_code == 403
    assert manager.post(reverse("placement:rerun", kwargs={"pk": proposal.pk})).status_code == 403
    assert manager.get(reverse("placement:request", kwargs={"programme_pk": programme.pk})).status_code == 403
    line.refresh_from_db()
    assert line.status == LineStatus.PROPOSED


def test_changes_are_post_only_and_need_the_csrf_token(programme, planner, group_run, municipality, consultant) -> None:
    (referral,) = waiting_clients(programme, municipality, consultant, 1)
    proposal = done_proposal(programme, planner, [(referral, group_run)])
    line = proposal.lines.get()
    strict = verified_login(HttpClient(enforce_csrf_checks=True), planner)
    for name in ("accept", "rerun"):
        url = reverse(f"placement:{name}", kwargs={"pk": proposal.pk})
        assert strict.get(url).status_code == 405
        assert strict.post(url, {"line": line.pk, "pin": line.pk}).status_code == 403
    assert strict.post(reverse("placement:request", kwargs={"programme_pk": programme.pk})).status_code == 403
    line.refresh_from_db()
    assert line.status == LineStatus.PROPOSED
    assert PlacementProposal.objects.count() == 1


# Reading the proposal


def test_the_proposal_shows_figures_run_changes_placements_and_reasons(
    programme, planner, group_run, municipality, consultant, login
) -> None:
    placed, left = waiting_clients(programme, municipality, consultant, 2)
    proposal = done_proposal(programme, planner, [(placed, group_run)], [left])
    page = login(planner).get(page_url(proposal)).content.decode()
    assert "17.5" in page
    assert "31.2" in page
    assert "The earliest run the client can join in their available day parts." in page
    assert "All 2 runs the client can join are full." in page
    assert f'<label class="koers-line-choice" for="accept-{proposal.lines.get(referral=placed).pk}">' in page
    assert f"Accept the placement of {placed.client.full_name}" in page
    assert f"Fix the placement of {placed.client.full_name}" in page
    assert f"Accept the placement of {left.client.full_name}" not in page
    assert "+1" in page  # the run gains one proposed participant


def test_reading_the_proposal_records_a_client_read_for_each_client_shown(
    programme, planner, group_run, municipality, consultant, login
) -> None:
    placed, left = waiting_clients(programme, municipality, consultant, 2)
    proposal = done_proposal(programme, planner, [(placed, group_run)], [left])
    login(planner).get(page_url(proposal))
    reads = AuditEvent.objects.filter(actor=planner, action=Action.READ, client_id__isnull=False)
    assert set(reads.values_list("client_id", flat=True)) == {placed.client_id, left.client_id}


def test_a_long_proposal_is_shown_a_page_at_a_time(
    programme, planner, group_run, municipality, consultant, login, monkeypatch
) -> None:
    monkeypatch.setattr("koers.placement.views.LINES_PER_PAGE", 3)
    referrals = waiting_clients(programme, municipality, consultant, 4)
    proposal = done_proposal(programme, planner, [(referral, group_run) for referral in referrals])
    http = login(planner)
    first = http.get(page_url(proposal)).content.decode()
    second = http.get(page_url(proposal) + "?pagina=2").content.decode()
    assert first.count('name="line"') == 3
    assert second.count('name="line"') == 1
    assert "Page 2 of 2" in second


def test_the_page_costs_the_same_queries_however_long_the_proposal(
    programme, planner, group_run, municipality, consultant, login
) -> None:
    placed, left = waiting_clients(programme, municipality, consultant, 2)
    proposal = done_proposal(programme, planner, [(placed, group_run)], [left])
    other_run = run(programme, in_days=28)

    def grow() -> None:
        more = waiting_clients(programme, municipality, consultant, 6)
        add_lines(proposal, [(referral, other_run) for referral in more[:4]], more[4:])

    assert_query_budget(login(planner), page_url(proposal), 20, grow)


# Progress


def test_a_running_proposal_shows_its_progress_and_polls(programme, planner, login) -> None:
    proposal = PlacementProposal.objects.create(
        organisation=programme.organisation,
        programme=programme,
        requested_by=planner,
        status=ProposalStatus.RUNNING,
        started_at=timezone.now(),
        progress=40,
        stage="Choosing which runs take place",
    )
    http = login(planner)
    page = http.get(page_url(proposal)).content.decode()
    progress_url = reverse("placement:progress", kwargs={"pk": proposal.pk})
    assert '<progress class="koers-proposal-progress" max="100" value="40"' in page
    assert f'hx-get="{progress_url}?gezien=running-1"' in page
    assert 'aria-live="polite" id="proposal-announcement"' in page
    assert 'data-testid="refresh-link"' in page  # without JavaScript, a reload shows the progress
    fragment = http.get(progress_url + "?gezien=running-1", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "40% done: Choosing which runs take place" in fragment.content.decode()
    assert 'hx-swap-oob="innerHTML"' not in fragment.content.decode()  # nothing new to announce
    PlacementProposal.objects.filter(pk=proposal.pk).update(progress=80)
    moved = http.get(progress_url + "?gezien=running-1", headers={"HX-Request": "true"}).content.decode()
    assert 'id="proposal-announcement" hx-swap-oob="innerHTML">80% done' in moved


def test_a_finished_proposal_reloads_the_polling_page(programme, planner, login) -> None:
    proposal = done_proposal(programme, planner, [])
    http = login(planner)
    progress_url = reverse("placement:progress", kwargs={"pk": proposal.pk})
    polled = http.get(progress_url, headers={"HX-Request": "true"})
    assert polled.status_code == 200
    assert polled["HX-Refresh"] == "true"
    plain = http.get(progress_url)
    assert "The proposal is ready." in plain.content.decode()


def test_a_failed_proposal_says_so_and_stops_polling(programme, planner, login) -> None:
    proposal = PlacementProposal.objects.create(
        organisation=programme.organisation,
        programme=programme,
        requested_by=planner,
        status=ProposalStatus.FAILED,
        error="The proposal could not be computed because of an unexpected error. Try again later.",
    )
    page = login(planner).get(page_url(proposal)).content.decode()
    assert 'data-testid="proposal-failed"' in page
    assert "hx-get" not in page
    assert reverse("placement:request", kwargs={"programme_pk": programme.pk}) in page


# Accepting


def test_accepting_selected_lines_places_only_those(programme, planner, group_run, municipality, consultant, login):
    chosen, other = waiting_clients(programme, municipality, consultant, 2)
    proposal = done_proposal(programme, planner, [(chosen, group_run), (other, group_run)])
    line = proposal.lines.get(referral=chosen)
    http = login(planner)
    response = http.post(reverse("placement:accept", kwargs={"pk": proposal.pk}), {"line": [line.pk]})
    assert response.status_code == 302
    assert response["Location"] == page_url(proposal) + "?status=accepted"
    chosen.refresh_from_db()
    other.refresh_from_db()
    assert (chosen.status, chosen.group_run) == (ReferralStatus.PLACED, group_run)
    assert other.status == ReferralStatus.WAITING
    page = http.get(response["Location"]).content.decode()
    assert "1 client has been placed." in page
    assert chosen.client.full_name in page
    assert other.client.full_name not in page  # the filter shows the accepted lines


def test_accept_all_places_every_proposed_line(programme, planner, group_run, municipality, consultant, login) -> None:
    referrals = waiting_clients(programme, municipality, consultant, 3)
    proposal = done_proposal(programme, planner, [(referral, group_run) for referral in referrals])
    login(planner).post(reverse("placement:accept", kwargs={"pk": proposal.pk}), {"everything": "on"})
    assert set(proposal.lines.values_list("status", flat=True)) == {LineStatus.ACCEPTED}
    assert Referral.objects.filter(pk__in=[r.pk for r in referrals], status=ReferralStatus.PLACED).count() == 3


def test_a_line_that_can_no_longer_be_placed_is_refused_with_the_reason(
    programme, planner, group_run, municipality, consultant, login
) -> None:
    gone, fine = waiting_clients(programme, municipality, consultant, 2)
    proposal = done_proposal(programme, planner, [(gone, group_run), (fine, group_run)])
    Referral.objects.filter(pk=gone.pk).update(status=ReferralStatus.WITHDRAWN)
    http = login(planner)
    response = http.post(reverse("placement:accept", kwargs={"pk": proposal.pk}), {"everything": "on"})
    assert response["Location"] == page_url(proposal) + "?status=refused"
    page = http.get(response["Location"]).content.decode()
    assert "1 client has been placed." in page
    assert "1 placement could not be made; the reason is shown with the line." in page
    assert gone.client.full_name in page
    assert "The referral is no longer waiting" in page
    fine.refresh_from_db()
    assert fine.status == ReferralStatus.PLACED


def test_accepting_nothing_is_refused_with_a_message(programme, planner, group_run, login) -> None:
    proposal = done_proposal(programme, planner, [])
    http = login(planner)
    response = http.post(reverse("placement:accept", kwargs={"pk": proposal.pk}), {}, follow=True)
    assert "Select at least one placement to accept" in response.content.decode()
    response = http.post(reverse("placement:accept", kwargs={"pk": proposal.pk}), {"line": ["x"]}, follow=True)
    assert "The page sent lines that do not exist" in response.content.decode()


def test_an_unfinished_proposal_cannot_be_accepted_or_rerun(programme, planner, login) -> None:
    proposal = PlacementProposal.objects.create(
        organisation=programme.organisation, programme=programme, requested_by=planner
    )
    http = login(planner)
    for name in ("accept", "rerun"):
        response = http.post(reverse(f"placement:{name}", kwargs={"pk": proposal.pk}), {"everything": "on"})
        assert response["Location"] == page_url(proposal)
    assert PlacementProposal.objects.count() == 1


# Re-running with pins


def test_rerun_keeps_the_pinned_placements(
    programme, planner, group_run, municipality, consultant, login, django_capture_on_commit_callbacks
) -> None:
    later = run(programme, in_days=28)
    pinned, free = waiting_clients(programme, municipality, consultant, 2)
    proposal = done_proposal(programme, planner, [(pinned, later), (free, group_run)])
    pinned_line = proposal.lines.get(referral=pinned)
    shown = list(proposal.lines.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = login(planner).post(
            reverse("placement:rerun", kwargs={"pk": proposal.pk}), {"pin": [pinned_line.pk], "shown": shown}
        )
    new = PlacementProposal.objects.exclude(pk=proposal.pk).get()
    assert response["Location"] == page_url(new)
    assert new.previous == proposal
    assert new.pinned == {str(pinned.pk): later.pk}
    assert new.status == ProposalStatus.DONE
    kept = new.lines.get(referral=pinned)
    assert (kept.group_run, kept.pinned) == (later, True)


def test_rerun_keeps_pins_of_lines_on_other_pages(programme, planner, group_run, municipality, consultant, login):
    pinned_elsewhere, unpinned_here = waiting_clients(programme, municipality, consultant, 2)
    proposal = done_proposal(programme, planner, [(pinned_elsewhere, group_run), (unpinned_here, group_run)])
    proposal.lines.update(pinned=True)
    here = proposal.lines.get(referral=unpinned_here)
    login(planner).post(reverse("placement:rerun", kwargs={"pk": proposal.pk}), {"shown": [here.pk]})
    new = PlacementProposal.objects.exclude(pk=proposal.pk).get()
    assert new.pinned == {str(pinned_elsewhere.pk): group_run.pk}
