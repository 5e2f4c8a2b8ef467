"""Referral from the plan: argued added value, screening at once, statuses with dates, and who may do what."""

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.groupwork.models import Participation, Referral, ReferralStatus
from koers.groupwork.referral_selectors import referrals_for_client
from koers.groupwork.referral_services import decline, refer, withdraw
from koers.groupwork.referral_states import TransitionError
from tests import factories
from tests import groupwork_factories as gw
from tests.groupwork.referral_helpers import ADDED_VALUE, Plan, english, make_plan
from tests.helpers import assert_query_budget
from tests.trajectory_factories import GoalFactory, InstrumentFactory, InstrumentTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def plan(consultant, municipality) -> Plan:
    return make_plan(consultant, municipality, is_mandatory=True, deadline_weeks=4, offers_language_support=True)


def do_refer(plan: Plan, **overrides: Any) -> Referral:
    arguments: dict[str, Any] = {
        "programme": plan.programme,
        "goal": plan.instrument.goal,
        "added_value": ADDED_VALUE,
        "needed_variant": "standard",
        "support_note": "",
        **overrides,
    }
    return refer(plan.consultant, plan.instrument, **arguments)


def errors_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# Services


def test_a_referral_is_screened_at_once_and_waits_with_its_dates(plan) -> None:
    referral = do_refer(plan)
    today = timezone.localdate()
    assert referral.status == ReferralStatus.WAITING
    assert (referral.referred_on, referral.screened_on) == (today, today)
    assert referral.deadline == today + datetime.timedelta(weeks=4)
    assert referral.referred_by == plan.consultant
    assert (referral.client, referral.instrument, referral.goal) == (plan.client, plan.instrument, plan.instrument.goal)
    assert list(referral.events.values_list("status", flat=True)) == ["screening", "waiting"]
    actions = set(
        AuditEvent.objects.filter(object_id=str(referral.pk), object_type="groupwork.referral").values_list(
            "action", flat=True
        )
    )
    assert actions == {Action.CREATE, Action.UPDATE}


def test_a_voluntary_programme_sets_no_deadline(consultant, municipality) -> None:
    plan = make_plan(consultant, municipality, is_mandatory=False, deadline_weeks=4)
    assert do_refer(plan).deadline is None


def test_the_added_value_is_required(plan) -> None:
    with pytest.raises(ValidationError) as excinfo:
        do_refer(plan, added_value="   ")
    assert "required" in errors_of(excinfo)["added_value"][0]
    assert not Referral.objects.exists()


def test_a_thin_added_value_is_refused(plan) -> None:
    with pytest.raises(ValidationError) as excinfo:
        do_refer(plan, added_value="Goed voor haar.")
    assert "at least 40 characters" in errors_of(excinfo)["added_value"][0]


@pytest.mark.parametrize(
    "text",
    [
        "Er zijn nog plekken vrij in maart, dus het is handig om de groep vullen met deze cliënt erbij.",
        "We need to fill the group before it starts next month, and she has time available anyway.",
        "De training gaat alleen door als we de groep vol te krijgen; daarom meld ik hem nu aan voor maart.",
    ],
)
def test_filling_the_group_is_no_added_value(plan, text: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        do_refer(plan, added_value=text)
    assert "Filling a group is no reason to refer" in errors_of(excinfo)["added_value"][0]
    assert not Referral.objects.exists()


def test_a_contra_indication_refuses_with_its_reason_and_saves_nothing(plan) -> None:
    factories.ScreeningFlagFactory(client=plan.client, kind="acute_crisis")
    with pytest.raises(ValidationError) as excinfo:
        do_refer(plan)
    message = errors_of(excinfo)[NON_FIELD_ERRORS][0]
    assert "Empowermenttraining is not possible for this client" in message
    assert "“Acute crisis”" in message
    assert not Referral.objects.exists()


def test_a_contra_indication_the_programme_does_not_list_does_not_block(consultant, municipality) -> None:
    plan = make_plan(consultant, municipality, contra_indications=["acute_crisis"])
    factories.ScreeningFlagFactory(client=plan.client, kind="active_addiction")
    assert do_refer(plan).status == ReferralStatus.WAITING


def test_a_need_without_fitting_variant_or_note_is_refused(plan) -> None:
    factories.ScreeningFlagFactory(client=plan.client, kind="low_language")
    with pytest.raises(ValidationError) as excinfo:
        do_refer(plan)
    message = errors_of(excinfo)["needed_variant"][0]
    assert "“Low language proficiency”" in message
    assert "“Extra language support”" in message
    assert not Referral.objects.exists()


def test_a_need_with_the_fitting_variant_passes(plan) -> None:
    factories.ScreeningFlagFactory(client=plan.client, kind="low_language")
    referral = do_refer(plan, needed_variant="language_support")
    assert (referral.status, referral.needed_variant) == (ReferralStatus.WAITING, "language_support")


def test_a_need_the_programme_has_no_variant_for_passes_with_a_note_on_support(plan) -> None:
    factories.ScreeningFlagFactory(client=plan.client, kind="psychological_condition")
    with pytest.raises(ValidationError) as excinfo:
        do_refer(plan)
    assert "has no variant that fits it" in errors_of(excinfo)["needed_variant"][0]
    referral = do_refer(plan, support_note="Haar ambulant begeleider belt na elke bijeenkomst even na.")
    assert referral.status == ReferralStatus.WAITING
    assert referral.support_note.startswith("Haar ambulant begeleider")


def test_a_variant_the_programme_does_not_offer_is_refused(plan) -> None:
    with pytest.raises(ValidationError) as excinfo:
        do_refer(plan, needed_variant="small_group")
    assert "does not offer the variant “Small group”" in errors_of(excinfo)["needed_variant"][0]


def test_the_goal_must_belong_to_the_same_plan(plan, consultant, municipality) -> None:
    other = make_plan(consultant, municipality, name="SOVA-training", slug="sova")
    with pytest.raises(ValidationError) as excinfo:
        do_refer(plan, goal=other.instrument.goal)
    assert "goal" in errors_of(excinfo)


def test_an_intermediate_goal_of_the_plan_may_be_linked(plan) -> None:
    step = GoalFactory(trajectory=plan.trajectory, parent=plan.instrument.goal)
    assert do_refer(plan, goal=step).goal == step


def test_one_open_referral_per_client_and_programme(plan) -> None:
    first = do_refer(plan)
    with pytest.raises(ValidationError) as excinfo:
        do_refer(plan)
    message = errors_of(excinfo)[NON_FIELD_ERRORS][0]
    assert "already has an open referral to this programme" in message
    assert "“Waiting”" in message
    withdraw(plan.consultant, first, "Plan gewijzigd")
    assert do_refer(plan).status == ReferralStatus.WAITING


def test_a_programme_of_another_organisation_is_refused(plan) -> None:
    elsewhere = factories.ProgrammeFactory(organisation=factories.OrganisationFactory(name="Elders"))
    with pytest.raises(ValidationError) as excinfo:
        do_refer(plan, programme=elsewhere)
    assert "programme" in errors_of(excinfo)


def test_an_ended_trajectory_takes_no_referrals(plan) -> None:
    plan.trajectory.ended_on = timezone.localdate()
    plan.trajectory.outflow_reason = "work_full_time"
    plan.trajectory.save()
    with pytest.raises(ValidationError) as excinfo:
        do_refer(plan)
    assert "trajectory has ended" in errors_of(excinfo)[NON_FIELD_ERRORS][0]


def test_a_consultant_cannot_refer_another_consultants_client(plan, make_user) -> None:
    colleague = make_user(Role.CONSULTANT)
    with pytest.raises(Http404):
        refer(colleague, plan.instrument, plan.programme, plan.instrument.goal, ADDED_VALUE)
    assert not Referral.objects.exists()


def test_only_a_consultant_refers(plan, planner) -> None:
    with pytest.raises(PermissionDenied):
        refer(planner, plan.instrument, plan.programme, plan.instrument.goal, ADDED_VALUE)


def test_withdrawal_ends_the_referral_with_its_date_and_reason(plan) -> None:
    referral = withdraw(plan.consultant, do_refer(plan), "Cliënt heeft werk gevonden")
    assert referral.status == ReferralStatus.WITHDRAWN
    assert referral.ended_on == timezone.localdate()
    assert referral.status_reason == "Cliënt heeft werk gevonden"
    assert list(referral.events.values_list("status", flat=True)) == ["screening", "waiting", "withdrawn"]


def test_withdrawing_a_placed_referral_frees_the_place(plan) -> None:
    run = factories.GroupRunFactory(programme=plan.programme)
    referral = gw.ReferralFactory.create(client=plan.client, programme=plan.programme, status="placed", group_run=run)
    factories.ParticipationFactory(group_run=run, client=plan.client, referral=referral)
    withdraw(plan.consultant, referral)
    assert not Participation.objects.filter(group_run=run).exists()


def test_a_colleague_cannot_withdraw(plan, make_user) -> None:
    referral = do_refer(plan)
    with pytest.raises(PermissionDenied):
        withdraw(make_user(Role.CONSULTANT), referral)


def test_an_ended_referral_cannot_be_withdrawn(plan) -> None:
    referral = withdraw(plan.consultant, do_refer(plan))
    with pytest.raises(TransitionError):
        withdraw(plan.consultant, referral)


def test_the_planner_declines_with_a_reason(plan, planner) -> None:
    referral = do_refer(plan)
    with pytest.raises(ValidationError) as excinfo:
        decline(planner, referral, "  ")
    assert "Give the reason for declining" in errors_of(excinfo)["reason"][0]
    referral = decline(planner, referral, "Geen groep binnen de termijn")
    assert (referral.status, referral.ended_on) == (ReferralStatus.DECLINED, timezone.localdate())
    assert referral.events.last().by == planner


def test_a_planner_of_another_organisation_cannot_decline(plan) -> None:
    stranger = factories.UserFactory(organisation=factories.OrganisationFactory(name="Elders"), roles=[Role.PLANNER])
    with pytest.raises(PermissionDenied):
        decline(stranger, do_refer(plan), "Vol")


def test_a_consultant_cannot_decline(plan) -> None:
    with pytest.raises(PermissionDenied):
        decline(plan.consultant, do_refer(plan), "Vol")


def test_the_dossier_lists_the_clients_referrals_for_who_may_see_them(plan, make_user) -> None:
    referral = do_refer(plan)
    assert list(referrals_for_client(plan.consultant, plan.client)) == [referral]
    assert list(referrals_for_client(make_user(Role.CONSULTANT), plan.client)) == []


# Pages


def refer_url(plan: Plan) -> str:
    return reverse("groupwork:refer", args=[plan.instrument.pk])


def form_data(plan: Plan, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "programme": plan.programme.pk,
        "goal": plan.instrument.goal_id,
        "added_value": ADDED_VALUE,
        "needed_variant": "standard",
        "support_note": "",
    }
    data.update(overrides)
    return data


def test_the_refer_page_offers_the_instruments_programmes_first_and_shows_what_screening_weighs(
    plan, consultant, municipality, login
) -> None:
    factories.ProgrammeFactory(organisation=municipality.organisation, name="Aaa-training", slug="aaa")
    factories.ProgrammeFactory(organisation=municipality.organisation, name="Oud", slug="oud", is_active=False)
    factories.ScreeningFlagFactory(client=plan.client, kind="low_language")
    factories.ScreeningFlagFactory(client=plan.client, kind="no_goal", note="Kan nog geen doel benoemen")
    plan.programme.target_group = "Mensen ver van de arbeidsmarkt"
    plan.programme.save()
    html = english(login(consultant)).get(refer_url(plan)).content.decode()
    options = html[html.index('name="programme"') :]
    assert options.index("Empowermenttraining (for this instrument)") < options.index("Aaa-training")
    assert "Oud" not in options.split("</select>")[0]
    assert f'<option value="{plan.instrument.goal_id}" selected>' in html
    assert "Low language proficiency (fits: Extra language support)" in html
    assert "Unable to formulate a goal: Kan nog geen doel benoemen" in html
    assert "Mensen ver van de arbeidsmarkt" in html
    assert AuditEvent.objects.filter(actor=consultant, action=Action.READ, client_id=plan.client.pk).exists()


def test_referring_from_the_page_leads_to_the_referral_with_its_history(plan, consultant, login) -> None:
    http = english(login(consultant))
    response = http.post(refer_url(plan), form_data(plan))
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("groupwork:referral_detail", args=[referral.pk])
    html = http.get(response["Location"]).content.decode()
    assert "passed screening and is on the waiting list" in html
    assert 'data-status="screening"' in html
    assert 'data-status="waiting"' in html
    assert 'data-testid="added-value"' in html


def test_a_refusal_shows_the_reason_and_keeps_the_input(plan, consultant, login) -> None:
    factories.ScreeningFlagFactory(client=plan.client, kind="active_addiction")
    response = english(login(consultant)).post(refer_url(plan), form_data(plan, support_note="Coach belt na."))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Empowermenttraining is not possible for this client" in html
    assert "“Active addiction”" in html
    assert "Mevrouw durft niet te solliciteren" in html
    assert "Coach belt na." in html
    assert not Referral.objects.exists()


def test_filling_the_group_is_refused_on_the_page(plan, consultant, login) -> None:
    text = "Graag aanmelden om de groep vullen, want de training start anders niet door te weinig deelnemers."
    html = english(login(consultant)).post(refer_url(plan), form_data(plan, added_value=text)).content.decode()
    assert 'id="id_added_value_error"' in html
    assert "Filling a group is no reason to refer" in html


def test_the_refer_page_is_for_the_consultant_of_the_client_only(plan, make_user, login) -> None:
    assert login(make_user(Role.CONSULTANT)).get(refer_url(plan)).status_code == 404
    assert login(make_user(Role.CONSULTANT)).post(refer_url(plan), form_data(plan)).status_code == 404
    for role in (Role.PLANNER, Role.TRAINER, Role.TEAM_MANAGER):
        assert login(make_user(role)).get(refer_url(plan)).status_code == 403
    assert not Referral.objects.exists()


def test_an_ended_trajectory_sends_the_consultant_back(plan, consultant, login) -> None:
    plan.trajectory.ended_on = timezone.localdate()
    plan.trajectory.outflow_reason = "moved"
    plan.trajectory.save()
    response = login(consultant).get(refer_url(plan))
    assert response.status_code == 302
    assert response["Location"] == reverse("trajectories:detail", args=[plan.trajectory.pk])


def test_the_plan_links_a_group_instrument_to_the_referral(plan, consultant, login) -> None:
    coaching = InstrumentFactory(
        trajectory=plan.trajectory, instrument_type=InstrumentTypeFactory(organisation=plan.client.organisation)
    )
    html = login(consultant).get(reverse("trajectories:detail", args=[plan.trajectory.pk])).content.decode()
    assert refer_url(plan) in html
    assert reverse("groupwork:refer", args=[coaching.pk]) not in html


def test_the_planner_sees_the_referral_without_added_value_or_notes(plan, planner, login) -> None:
    referral = do_refer(plan)
    html = login(planner).get(reverse("groupwork:referral_detail", args=[referral.pk])).content.decode()
    assert 'data-testid="referral-history"' in html
    assert "Mevrouw durft niet" not in html
    assert 'data-testid="added-value"' not in html
    assert reverse("groupwork:referral_place", args=[referral.pk]) in html
    assert reverse("groupwork:referral_withdraw", args=[referral.pk]) not in html


def test_another_consultant_gets_404_for_the_referral(plan, make_user, login) -> None:
    referral = do_refer(plan)
    url = reverse("groupwork:referral_detail", args=[referral.pk])
    assert login(make_user(Role.CONSULTANT)).get(url).status_code == 404
    assert login(make_user(Role.TRAINER)).get(url).status_code == 403


def test_the_referral_page_shows_waiting_time_and_a_passed_deadline(plan, consultant, login) -> None:
    referral = gw.ReferralFactory(
        client=plan.client,
        programme=plan.programme,
        referred_on=timezone.localdate() - datetime.timedelta(days=40),
        deadline=timezone.localdate() - datetime.timedelta(days=12),
    )
    html = english(login(consultant)).get(reverse("groupwork:referral_detail", args=[referral.pk])).content.decode()
    assert "40 days" in html
    assert "Deadline passed" in html


def test_the_consultant_withdraws_from_the_referral_page(plan, consultant, login) -> None:
    referral = do_refer(plan)
    http = english(login(consultant))
    url = reverse("groupwork:referral_withdraw", args=[referral.pk])
    assert http.get(url).status_code == 405
    response = http.post(url, {"reason": "Cliënt is verhuisd"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.status_reason) == (ReferralStatus.WITHDRAWN, "Cliënt is verhuisd")
    again = http.post(url, {"reason": ""}, follow=True).content.decode()
    assert "cannot become" in again


def test_a_colleague_cannot_withdraw_by_url(plan, make_user, login) -> None:
    referral = do_refer(plan)
    url = reverse("groupwork:referral_withdraw", args=[referral.pk])
    assert login(make_user(Role.CONSULTANT)).post(url).status_code == 404
    assert login(make_user(Role.PLANNER)).post(url).status_code == 403
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITING


def test_referral_detail_query_budget(plan, consultant, login) -> None:
    referral = do_refer(plan)

    def more_history() -> None:
        run = factories.GroupRunFactory(programme=plan.programme)
        for _ in range(3):
            referral.events.create(status="waiting", by=consultant, note="x")
        Referral.objects.filter(pk=referral.pk).update(group_run=run)

    assert_query_budget(
        login(consultant), reverse("groupwork:referral_detail", args=[referral.pk]), budget=14, grow=more_history
    )


def test_refer_page_query_budget(plan, consultant, municipality, login) -> None:
    def more() -> None:
        for n in range(3):
            factories.ProgrammeFactory(organisation=municipality.organisation, name=f"Training {n}")
            GoalFactory(trajectory=plan.trajectory)
        factories.ScreeningFlagFactory(client=plan.client, kind="low_language")
        factories.ScreeningFlagFactory(client=plan.client, kind="acute_crisis")

    assert_query_budget(login(consultant), refer_url(plan), budget=16, grow=more)
