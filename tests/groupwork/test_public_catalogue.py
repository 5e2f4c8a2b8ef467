"""The public programme pages for network partners: no login, no personal data, only published programmes."""

import datetime

import pytest
from django.conf import settings
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone, translation

from koers.accounts.roles import Role
from tests import factories
from tests.helpers import assert_query_budget

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _in_page_language(text: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(text)


@pytest.fixture
def programme(organisation):
    return factories.ProgrammeFactory(
        organisation=organisation,
        name="Sterker naar werk",
        description="Samen oefenen met solliciteren.",
        learning_goals="Je kunt je sterke kanten benoemen.",
        target_group="Werkzoekenden die lang thuis zijn.",
        selection_criteria="Wil in een groep werken.",
        max_size=15,
        offers_language_support=True,
    )


def test_a_visitor_without_login_sees_the_catalogue_grouped_by_organisation(programme) -> None:
    elsewhere = factories.OrganisationFactory(name="Aardewerk Regio")
    factories.ProgrammeFactory(organisation=elsewhere, name="Digitale vaardigheden")
    response = HttpClient().get(reverse("groupwork:catalogue"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sterker naar werk" in html
    assert "Digitale vaardigheden" in html
    assert html.index("Aardewerk Regio") < html.index("Digitale vaardigheden") < html.index(programme.organisation.name)
    assert response["Cache-Control"] == "private, max-age=300"


def test_unpublished_and_inactive_programmes_are_not_public(organisation) -> None:
    hidden = factories.ProgrammeFactory(organisation=organisation, name="Nog in ontwikkeling", is_published=False)
    stopped = factories.ProgrammeFactory(organisation=organisation, name="Gestopt aanbod", is_active=False)
    http = HttpClient()
    html = http.get(reverse("groupwork:catalogue")).content.decode()
    assert "Nog in ontwikkeling" not in html
    assert "Gestopt aanbod" not in html
    assert http.get(reverse("groupwork:programme_public", args=[hidden.pk])).status_code == 404
    assert http.get(reverse("groupwork:programme_public", args=[stopped.pk])).status_code == 404
    assert http.get(reverse("groupwork:programme_public", args=[999999])).status_code == 404


def test_the_programme_page_shows_the_programme_and_its_format(programme) -> None:
    response = HttpClient().get(reverse("groupwork:programme_public", args=[programme.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=300"
    html = response.content.decode()
    for text in (
        "Samen oefenen met solliciteren.",
        "Je kunt je sterke kanten benoemen.",
        "Werkzoekenden die lang thuis zijn.",
        "Wil in een groep werken.",
        programme.get_goal_type_display(),
        _in_page_language("Voluntary"),
        _in_page_language("Extra language support"),
    ):
        assert str(text) in html


def test_the_page_holds_no_personal_data_of_participants(programme, municipality) -> None:
    run = factories.GroupRunFactory(programme=programme, municipality=municipality)
    participant = factories.ClientFactory(
        organisation=programme.organisation, municipality=municipality, first_name="Zwaantje", last_name="Oosterhuis"
    )
    factories.ParticipationFactory(group_run=run, client=participant)
    for url in (reverse("groupwork:programme_public", args=[programme.pk]), reverse("groupwork:catalogue")):
        html = HttpClient().get(url).content.decode()
        personal = ["Zwaantje", "Oosterhuis", str(participant.bsn), str(participant.email), str(participant.phone)]
        for value in [*personal, "/clienten/"]:
            assert value not in html


def test_upcoming_starts_show_the_room_municipality_and_places_left(programme, municipality) -> None:
    room = factories.RoomFactory(organisation=programme.organisation, name="Zaal Dijk", location="Havenstraat 4")
    start = TODAY + datetime.timedelta(days=21)
    run = factories.GroupRunFactory(
        programme=programme, room=room, municipality=municipality, start_date=start, start_time=datetime.time(9, 30)
    )
    factories.ParticipationFactory.create_batch(3, group_run=run, client__organisation=programme.organisation)
    factories.ParticipationFactory(
        group_run=run, client__organisation=programme.organisation, left_on=TODAY - datetime.timedelta(days=1)
    )
    html = HttpClient().get(reverse("groupwork:programme_public", args=[programme.pk])).content.decode()
    assert "Zaal Dijk, Havenstraat 4" in html
    assert "Lekkerwaard" in html
    assert 'data-places="12"' in html
    with translation.override(settings.LANGUAGE_CODE):
        from django.template.defaultfilters import date as date_filter

        assert date_filter(start, "l") in html


def test_a_full_group_is_shown_as_full(programme) -> None:
    run = factories.GroupRunFactory(programme=programme)
    factories.ParticipationFactory.create_batch(15, group_run=run, client__organisation=programme.organisation)
    html = HttpClient().get(reverse("groupwork:programme_public", args=[programme.pk])).content.decode()
    assert 'data-places="0"' in html
    assert _in_page_language("full") in html


def test_a_small_group_run_counts_places_against_the_small_group_size(programme) -> None:
    programme.offers_small_group, programme.small_group_max_size = True, 8
    programme.save()
    run = factories.GroupRunFactory(programme=programme, variant="small_group")
    factories.ParticipationFactory.create_batch(2, group_run=run, client__organisation=programme.organisation)
    html = HttpClient().get(reverse("groupwork:programme_public", args=[programme.pk])).content.decode()
    assert 'data-places="6"' in html


def test_past_cancelled_and_completed_runs_are_not_upcoming_starts(programme) -> None:
    past = TODAY - datetime.timedelta(days=30)
    factories.GroupRunFactory(programme=programme, start_date=past, status="running")
    factories.GroupRunFactory(programme=programme, start_date=TODAY + datetime.timedelta(days=3), status="cancelled")
    factories.GroupRunFactory(programme=programme, start_date=past, status="completed")
    html = HttpClient().get(reverse("groupwork:programme_public", args=[programme.pk])).content.decode()
    assert 'data-testid="start-table"' not in html
    assert _in_page_language("No group start is planned yet.") in html


def test_a_running_continuous_group_is_open_to_newcomers(organisation) -> None:
    programme = factories.ProgrammeFactory(organisation=organisation, is_continuous=True)
    factories.GroupRunFactory(programme=programme, start_date=TODAY - datetime.timedelta(days=30), status="running")
    http = HttpClient()
    html = http.get(reverse("groupwork:programme_public", args=[programme.pk])).content.decode()
    assert 'data-testid="start-table"' in html
    assert _in_page_language("Continuous: newcomers can join at any session") in html
    catalogue = http.get(reverse("groupwork:catalogue")).content.decode()
    assert _in_page_language("Running group: join at any session") in catalogue


def test_a_signed_in_colleague_gets_the_page_without_it_being_stored(programme, make_user, login) -> None:
    response = login(make_user(Role.CONSULTANT)).get(reverse("groupwork:programme_public", args=[programme.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"


def test_the_pages_only_answer_reads(programme) -> None:
    response = HttpClient().post(reverse("groupwork:programme_public", args=[programme.pk]))
    assert response.status_code in {403, 405}  # CSRF refuses a POST without token before the view's 405


def test_query_count_does_not_grow_with_programmes_runs_or_participants(programme, municipality) -> None:
    def grow() -> None:
        for n in range(3):
            other = factories.ProgrammeFactory(organisation=programme.organisation)
            for target in (programme, other):
                run = factories.GroupRunFactory(
                    programme=target, municipality=municipality, start_date=TODAY + datetime.timedelta(days=7 + n)
                )
                factories.ParticipationFactory.create_batch(
                    2, group_run=run, client__organisation=programme.organisation
                )

    factories.GroupRunFactory(programme=programme)
    http = HttpClient()
    assert_query_budget(http, reverse("groupwork:catalogue"), 2, grow)
    assert_query_budget(http, reverse("groupwork:programme_public", args=[programme.pk]), 2, grow)
