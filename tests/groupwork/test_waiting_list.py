"""Waiting lists and manual placement: the planner's pages, the order, the fit, and the one placement function."""

import datetime
import re
from collections.abc import Iterator

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.groupwork.models import Participation, Referral, ReferralStatus, RunStatus
from koers.groupwork.placement_services import PlacementRefusedError, PlacementWarnings, place_referral, unplace
from tests import factories
from tests import groupwork_factories as gw
from tests.groupwork.referral_helpers import english, make_plan, make_run, next_weekday
from tests.helpers import assert_query_budget

pytestmark = pytest.mark.django_db

MONDAY, WEDNESDAY = 0, 2


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def plan(consultant, municipality):
    return make_plan(consultant, municipality, max_size=12)


def waiting(plan, days_ago: int = 10, deadline_in: int | None = None, **kwargs) -> Referral:
    today = timezone.localdate()
    client = kwargs.pop("client", None) or factories.ClientFactory(
        organisation=plan.client.organisation,
        municipality=plan.client.municipality,
        consultant=plan.consultant,
        availability=["mon_morning"],
    )
    return gw.ReferralFactory(
        client=client,
        programme=plan.programme,
        referred_on=today - datetime.timedelta(days=days_ago),
        deadline=today + datetime.timedelta(days=deadline_in) if deadline_in is not None else None,
        **kwargs,
    )


def fill(run, count: int) -> None:
    factories.ParticipationFactory.create_batch(count, group_run=run, client__organisation=run.programme.organisation)


# The overview and the list


def test_waiting_lists_are_for_the_planner_only(plan, make_user, login) -> None:
    for url in (reverse("groupwork:waiting_lists"), reverse("groupwork:waiting_list", args=[plan.programme.pk])):
        assert login(make_user(Role.PLANNER)).get(url).status_code == 200
        for role in (Role.CONSULTANT, Role.TRAINER, Role.TEAM_MANAGER, Role.POLICY, Role.ADMINISTRATOR):
            assert login(make_user(role)).get(url).status_code == 403


def test_the_overview_counts_waiting_longest_wait_and_deadlines(plan, planner, login) -> None:
    waiting(plan, days_ago=30)
    waiting(plan, days_ago=5, deadline_in=3)
    waiting(plan, days_ago=50, deadline_in=-2)
    waiting(plan, days_ago=90, status="placed")
    html = english(login(planner)).get(reverse("groupwork:waiting_lists")).content.decode()
    row = re.search(rf'data-programme="{plan.programme.pk}".*?</tr>', html, re.S).group(0)
    assert re.search(r'data-testid="waiting-count">3<', row)
    assert ">50<" in row
    assert "2 due within a week or passed" in row
    assert "of which 1 passed" in row


def test_the_waiting_list_puts_the_nearest_deadline_first_then_the_longest_wait(plan, planner, login) -> None:
    no_deadline_old = waiting(plan, days_ago=60)
    no_deadline_new = waiting(plan, days_ago=2)
    late = waiting(plan, days_ago=20, deadline_in=-1)
    soon = waiting(plan, days_ago=3, deadline_in=5)
    html = english(login(planner)).get(reverse("groupwork:waiting_list", args=[plan.programme.pk])).content.decode()
    order = [int(pk) for pk in re.findall(r'data-referral="(\d+)"', html)]
    assert order == [late.pk, soon.pk, no_deadline_old.pk, no_deadline_new.pk]
    assert html.count('data-testid="deadline-passed"') == 1
    assert html.count('data-testid="deadline-soon"') == 1
    assert "Deadline passed" in html


def test_the_waiting_list_shows_logistics_and_never_the_added_value(plan, planner, login) -> None:
    referral = waiting(plan, needed_variant="language_support", support_note="Taalmaatje komt mee.")
    html = english(login(planner)).get(reverse("groupwork:waiting_list", args=[plan.programme.pk])).content.decode()
    assert referral.client.full_name in html
    assert referral.client.municipality.name in html
    assert "Extra language support" in html
    assert "Taalmaatje komt mee." in html
    assert "Monday morning" in html
    assert referral.added_value not in html
    reads = AuditEvent.objects.filter(actor=planner, action=Action.READ, reason="waiting list")
    assert set(reads.values_list("client_id", flat=True)) == {referral.client_id}


def test_placed_and_ended_referrals_are_not_on_the_waiting_list(plan, planner, login) -> None:
    placed = waiting(plan, status="placed")
    declined = waiting(plan, status="declined")
    html = login(planner).get(reverse("groupwork:waiting_list", args=[plan.programme.pk])).content.decode()
    assert f'data-referral="{placed.pk}"' not in html
    assert f'data-referral="{declined.pk}"' not in html


def test_another_organisations_waiting_list_is_404(plan, login) -> None:
    stranger = factories.UserFactory(organisation=factories.OrganisationFactory(name="Elders"), roles=[Role.PLANNER])
    assert login(stranger).get(reverse("groupwork:waiting_list", args=[plan.programme.pk])).status_code == 404
    assert login(stranger).get(reverse("groupwork:referral_place", args=[waiting(plan).pk])).status_code == 404


def test_waiting_list_query_budget(plan, planner, login) -> None:
    waiting(plan, deadline_in=3)

    def more() -> None:
        for n in range(6):
            waiting(plan, days_ago=n, deadline_in=n - 2)

    url = reverse("groupwork:waiting_list", args=[plan.programme.pk])
    assert_query_budget(login(planner), url, budget=12, grow=more)


def test_waiting_lists_overview_query_budget(plan, planner, login) -> None:
    waiting(plan)

    def more() -> None:
        for n in range(3):
            other = factories.ProgrammeFactory(organisation=plan.programme.organisation)
            gw.ReferralFactory(client=plan.client, programme=other, deadline=timezone.localdate())
            waiting(plan, days_ago=n)

    assert_query_budget(login(planner), reverse("groupwork:waiting_lists"), budget=10, grow=more)


# Placement


def test_placement_creates_the_participation_from_the_first_session(plan, planner) -> None:
    referral = waiting(plan, client=plan.client)
    run = make_run(plan.programme, next_weekday(MONDAY))
    participation = place_referral(referral, run, planner)
    assert (participation.group_run, participation.client, participation.referral) == (run, plan.client, referral)
    assert participation.joined_on == run.start_date
    assert referral.status == ReferralStatus.PLACED
    assert (referral.group_run, referral.placed_on) == (run, timezone.localdate())
    assert referral.events.last().status == "placed"
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_type="groupwork.participation", client_id=plan.client.pk
    ).exists()


def test_a_continuous_run_that_started_is_joined_at_the_next_session(plan, planner) -> None:
    plan.programme.is_continuous = True
    plan.programme.save()
    today = timezone.localdate()
    start = next_weekday(MONDAY, weeks=-3)
    run = make_run(plan.programme, start, sessions=6, status=RunStatus.RUNNING)
    referral = waiting(plan, client=plan.client)
    participation = place_referral(referral, run, planner)
    expected = min(s.date for s in run.sessions.all() if s.date >= today)
    assert participation.joined_on == expected


def test_a_poor_fit_needs_accepted_warnings(plan, planner) -> None:
    referral = waiting(plan, client=plan.client)  # available on weekday mornings only
    run = make_run(plan.programme, next_weekday(MONDAY))
    run.sessions.update(starts_at=datetime.time(19, 0))
    with pytest.raises(PlacementWarnings) as excinfo:
        place_referral(referral, run, planner)
    assert excinfo.value.warnings == [f"The client is not available on {run.start_date:%A} evening."]
    assert excinfo.value.codes == ("availability",)
    assert not Participation.objects.exists()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITING
    place_referral(referral, run, planner, accept_warnings=True)
    assert referral.status == ReferralStatus.PLACED
    assert "Placed despite" in referral.status_reason


def test_a_full_run_is_refused_with_its_reason(plan, planner) -> None:
    run = make_run(plan.programme, next_weekday(MONDAY))
    run.room.capacity = 4
    run.room.save()
    fill(run, 4)
    with pytest.raises(PlacementRefusedError) as excinfo:
        place_referral(waiting(plan), run, planner, accept_warnings=True)
    assert excinfo.value.reasons == ["This group is full: all 4 places are taken."]


def test_a_small_group_run_is_full_at_the_small_group_size(plan, planner) -> None:
    plan.programme.offers_small_group = True
    plan.programme.small_group_max_size = 2
    plan.programme.save()
    run = make_run(plan.programme, next_weekday(MONDAY), variant="small_group")
    fill(run, 2)
    with pytest.raises(PlacementRefusedError, match="all 2 places are taken"):
        place_referral(waiting(plan), run, planner, accept_warnings=True)


def test_a_participant_who_left_frees_a_place(plan, planner) -> None:
    run = make_run(plan.programme, next_weekday(MONDAY))
    run.room.capacity = 1
    run.room.save()
    factories.ParticipationFactory(
        group_run=run, left_on=timezone.localdate(), client__organisation=plan.client.organisation
    )
    assert place_referral(waiting(plan), run, planner).group_run == run


@pytest.mark.parametrize("status", [RunStatus.CANCELLED, RunStatus.COMPLETED])
def test_a_cancelled_or_completed_run_is_refused(plan, planner, status) -> None:
    run = make_run(plan.programme, next_weekday(MONDAY), status=status)
    with pytest.raises(PlacementRefusedError, match="cancelled or has ended"):
        place_referral(waiting(plan), run, planner, accept_warnings=True)


def test_a_cohort_run_that_started_takes_no_newcomers(plan, planner) -> None:
    run = make_run(plan.programme, timezone.localdate() - datetime.timedelta(days=7), status=RunStatus.RUNNING)
    with pytest.raises(PlacementRefusedError, match="takes no newcomers after its first session"):
        place_referral(waiting(plan), run, planner, accept_warnings=True)


def test_a_contra_indication_recorded_since_the_referral_blocks_without_naming_it(plan, planner) -> None:
    referral = waiting(plan, client=plan.client)
    factories.ScreeningFlagFactory(client=plan.client, kind="active_addiction")
    run = make_run(plan.programme, next_weekday(MONDAY))
    with pytest.raises(PlacementRefusedError) as excinfo:
        place_referral(referral, run, planner, accept_warnings=True)
    assert "records a contra-indication" in excinfo.value.reasons[0]
    assert "addiction" not in " ".join(excinfo.value.reasons).lower()


def test_a_need_recorded_since_the_referral_warns(plan, planner) -> None:
    referral = waiting(plan, client=plan.client)
    factories.ScreeningFlagFactory(client=plan.client, kind="low_language")
    run = make_run(plan.programme, next_weekday(MONDAY))
    with pytest.raises(PlacementWarnings, match="records a need"):
        place_referral(referral, run, planner)


def test_a_run_of_another_programme_or_a_referral_not_waiting_is_refused(plan, planner) -> None:
    other_run = make_run(
        factories.ProgrammeFactory.create(organisation=plan.programme.organisation), next_weekday(MONDAY)
    )
    with pytest.raises(PlacementRefusedError, match="another programme"):
        place_referral(waiting(plan), other_run, planner)
    run = make_run(plan.programme, next_weekday(MONDAY))
    with pytest.raises(PlacementRefusedError, match="no longer waiting"):
        place_referral(waiting(plan, status="withdrawn"), run, planner)


def test_undoing_a_placement_puts_the_referral_back_on_the_waiting_list(plan, planner) -> None:
    referral = waiting(plan, client=plan.client)
    run = make_run(plan.programme, next_weekday(MONDAY))
    place_referral(referral, run, planner)
    with pytest.raises(PlacementRefusedError, match="Give the reason"):
        unplace(referral, planner, "")
    unplace(referral, planner, "Andere groep past beter")
    assert (referral.status, referral.group_run, referral.placed_on) == (ReferralStatus.WAITING, None, None)
    assert not Participation.objects.exists()


def test_a_placement_with_attendance_cannot_be_undone(plan, planner) -> None:
    referral = waiting(plan, client=plan.client)
    run = make_run(plan.programme, next_weekday(MONDAY))
    participation = place_referral(referral, run, planner)
    gw.AttendanceFactory(session=run.sessions.first(), participation=participation, status="excused")
    with pytest.raises(PlacementRefusedError, match="Attendance has been recorded"):
        unplace(referral, planner, "Vergissing")


# The placement page


def place_url(referral: Referral) -> str:
    return reverse("groupwork:referral_place", args=[referral.pk])


def test_the_placement_page_lists_upcoming_runs_with_places_and_fit(plan, planner, login) -> None:
    referral = waiting(plan, client=plan.client)
    fitting = make_run(plan.programme, next_weekday(MONDAY))
    evening = make_run(plan.programme, next_weekday(WEDNESDAY))
    evening.sessions.update(starts_at=datetime.time(19, 0))
    full = make_run(plan.programme, next_weekday(MONDAY, weeks=3))
    full.room.capacity = 2
    full.room.save()
    fill(full, 2)
    past = make_run(plan.programme, timezone.localdate() - datetime.timedelta(weeks=8))
    cancelled = make_run(plan.programme, next_weekday(MONDAY), status=RunStatus.CANCELLED)
    html = english(login(planner)).get(place_url(referral)).content.decode()
    assert f'data-run="{fitting.pk}"' in html
    assert f'data-run="{past.pk}"' not in html
    assert f'data-run="{cancelled.pk}"' not in html
    evening_row = re.search(rf'data-run="{evening.pk}".*?</tr>', html, re.S).group(0)
    assert "evening" in evening_row
    assert 'data-testid="run-warnings"' in evening_row
    full_row = re.search(rf'data-run="{full.pk}".*?</tr>', html, re.S).group(0)
    assert "This group is full" in full_row
    assert "Place in this group" not in full_row
    assert referral.added_value not in html
    assert AuditEvent.objects.filter(actor=planner, reason="placement page", client_id=plan.client.pk).exists()


def test_placing_from_the_page_without_warnings(plan, planner, login) -> None:
    referral = waiting(plan, client=plan.client)
    run = make_run(plan.programme, next_weekday(MONDAY))
    response = english(login(planner)).post(place_url(referral), {"run": run.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("groupwork:waiting_list", args=[plan.programme.pk])
    referral.refresh_from_db()
    assert (referral.status, referral.group_run) == (ReferralStatus.PLACED, run)


def test_placing_with_warnings_asks_to_place_anyway(plan, planner, login) -> None:
    referral = waiting(plan, client=plan.client)
    run = make_run(plan.programme, next_weekday(WEDNESDAY))
    run.sessions.update(starts_at=datetime.time(19, 0))
    http = english(login(planner))
    html = http.post(place_url(referral), {"run": run.pk}).content.decode()
    assert 'data-testid="placement-confirm"' in html
    assert "Place anyway" in html
    assert "The client is not available on Wednesday evening." in html
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITING
    response = http.post(place_url(referral), {"run": run.pk, "accept_warnings": "on"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PLACED


def test_a_full_run_is_refused_on_the_page_with_its_message(plan, planner, login) -> None:
    referral = waiting(plan)
    run = make_run(plan.programme, next_weekday(MONDAY))
    run.room.capacity = 1
    run.room.save()
    fill(run, 1)
    html = english(login(planner)).post(place_url(referral), {"run": run.pk, "accept_warnings": "on"}).content.decode()
    assert 'data-testid="placement-refused"' in html
    assert "This group is full: all 1 places are taken." in html
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITING


def test_the_placement_page_is_for_the_planner(plan, make_user, login) -> None:
    referral = waiting(plan, client=plan.client)
    for role in (Role.CONSULTANT, Role.TRAINER, Role.TEAM_MANAGER):
        assert login(make_user(role)).get(place_url(referral)).status_code == 403
    run = make_run(plan.programme, next_weekday(MONDAY))
    assert login(plan.consultant).post(place_url(referral), {"run": run.pk}).status_code == 403


def test_the_planner_declines_from_the_page_with_a_reason(plan, planner, login) -> None:
    referral = waiting(plan)
    http = english(login(planner))
    url = reverse("groupwork:referral_decline", args=[referral.pk])
    assert http.get(url).status_code == 405
    refused = http.post(url, {"decline-reason": ""}, follow=True).content.decode()
    assert "Give the reason for declining" in refused
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITING
    response = http.post(url, {"decline-reason": "Geen groep binnen de termijn"})
    assert response["Location"] == reverse("groupwork:waiting_list", args=[plan.programme.pk])
    referral.refresh_from_db()
    assert (referral.status, referral.status_reason) == (ReferralStatus.DECLINED, "Geen groep binnen de termijn")


def test_the_planner_undoes_a_placement_from_the_page(plan, planner, login) -> None:
    referral = waiting(plan, client=plan.client)
    run = make_run(plan.programme, next_weekday(MONDAY))
    place_referral(referral, run, planner)
    http = english(login(planner))
    assert 'data-testid="placed-in"' in http.get(place_url(referral)).content.decode()
    http.post(reverse("groupwork:referral_unplace", args=[referral.pk]), {"unplace-reason": "Andere groep"})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITING


def test_placement_page_query_budget(plan, planner, login) -> None:
    referral = waiting(plan, client=plan.client)
    make_run(plan.programme, next_weekday(MONDAY))

    def more_runs() -> None:
        for weeks in (2, 3, 4):
            run = make_run(plan.programme, next_weekday(WEDNESDAY, weeks=weeks), municipality=plan.client.municipality)
            fill(run, 2)

    assert_query_budget(login(planner), place_url(referral), budget=14, grow=more_runs)
