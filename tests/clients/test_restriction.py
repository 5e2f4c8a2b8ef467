"""Restriction of processing (AVG art. 18): the privacy officer sets and lifts it; meanwhile the data is only stored."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.clients.models import Client, ScreeningFlag
from koers.clients.restriction import ProcessingRestricted, refuse_restricted
from koers.clients.services import lift_restriction, restrict_processing, update_client
from koers.trajectories.models import Goal
from koers.trajectories.selectors import trajectory_for
from koers.trajectories.services import create_goal
from tests import factories
from tests.trajectory_factories import TrajectoryFactory

pytestmark = pytest.mark.django_db

BANNER = "Processing of this client's data is restricted (GDPR art. 18). Only storage is allowed."


@pytest.fixture(autouse=True)
def restriction_page(settings):
    """The 403 page that names the restriction (the middleware is to be added to ``settings.MIDDLEWARE``)."""
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "koers.clients.middleware.ProcessingRestrictedMiddleware"]


@pytest.fixture
def privacy_officer(make_user):
    return make_user(Role.PRIVACY_OFFICER)


@pytest.fixture
def client_of(consultant, municipality):
    return factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=consultant, city="Lekkerkerk"
    )


@pytest.fixture
def trajectory(client_of, consultant):
    return TrajectoryFactory(client=client_of, created_by=consultant)


def _client_data(client: Client, **changes: object) -> dict[str, object]:
    fields = ("bsn", "first_name", "last_name", "municipality", "email", "phone", "street", "postal_code", "city")
    return {**{name: getattr(client, name) for name in fields}, **changes}


def test_restricting_stores_who_when_why_and_logs_it(client_of, privacy_officer) -> None:
    restrict_processing(privacy_officer, client_of, "Client contests the accuracy of the data")
    client_of.refresh_from_db()
    assert client_of.processing_restricted_since is not None
    assert client_of.processing_restricted_by == privacy_officer
    assert client_of.processing_restricted_reason == "Client contests the accuracy of the data"
    event = AuditEvent.objects.get(client_id=client_of.pk, action=Action.UPDATE)
    assert event.reason == "processing restricted: Client contests the accuracy of the data"


def test_only_the_privacy_officer_restricts(client_of, consultant) -> None:
    with pytest.raises(PermissionDenied):
        restrict_processing(consultant, client_of, "no")
    client_of.refresh_from_db()
    assert client_of.processing_restricted_since is None


def test_editing_a_restricted_client_is_refused_and_nothing_changes(client_of, consultant, privacy_officer) -> None:
    ScreeningFlag.objects.create(client=client_of, kind="low_language")
    restrict_processing(privacy_officer, client_of, "contested")
    with pytest.raises(ProcessingRestricted):
        update_client(consultant, client_of, _client_data(client_of, city="Elders"), set(), version=1)
    stored = Client.objects.get(pk=client_of.pk)
    assert (stored.city, stored.version) == ("Lekkerkerk", 1)
    assert ScreeningFlag.objects.filter(client=client_of).count() == 1
    assert not AuditEvent.objects.filter(client_id=client_of.pk, actor=consultant).exists()


def test_adding_a_goal_is_refused(trajectory, consultant, privacy_officer) -> None:
    restrict_processing(privacy_officer, trajectory.client, "contested")
    with pytest.raises(ProcessingRestricted):
        create_goal(consultant, trajectory, {"text": "Werk vinden", "status": "open"})
    assert not Goal.objects.filter(trajectory=trajectory).exists()


def test_a_bulk_write_is_refused_for_a_restricted_client_among_others(client_of, municipality, privacy_officer) -> None:
    other = factories.ClientFactory(organisation=municipality.organisation, municipality=municipality)
    refuse_restricted([other.pk, client_of.pk])
    restrict_processing(privacy_officer, client_of, "contested")
    refuse_restricted([other.pk, None])
    with pytest.raises(ProcessingRestricted):
        refuse_restricted([other.pk, client_of.pk])


def test_deleting_a_record_of_a_restricted_client_is_refused(client_of, privacy_officer) -> None:
    flag = ScreeningFlag.objects.create(client=client_of, kind="low_language")
    restrict_processing(privacy_officer, client_of, "contested")
    with pytest.raises(ProcessingRestricted), transaction.atomic():
        flag.delete()
    assert ScreeningFlag.objects.filter(pk=flag.pk).exists()


def test_other_clients_are_not_affected(client_of, consultant, municipality, privacy_officer) -> None:
    restrict_processing(privacy_officer, client_of, "contested")
    other: Client = factories.ClientFactory(organisation=municipality.organisation, municipality=municipality)
    ScreeningFlag.objects.create(client=other, kind="low_language")
    update_client(consultant, other, _client_data(other, city="Elders"), set(), version=other.version)
    assert Client.objects.get(pk=other.pk).city == "Elders"


def test_lifting_restores_processing_and_is_logged(trajectory, consultant, privacy_officer) -> None:
    restrict_processing(privacy_officer, trajectory.client, "contested")
    lift_restriction(privacy_officer, trajectory.client, "data corrected")
    create_goal(consultant, trajectory, {"text": "Werk vinden", "status": "open"})
    assert Goal.objects.filter(trajectory=trajectory).count() == 1
    trajectory.client.refresh_from_db()
    assert trajectory.client.processing_restricted_since is None
    assert AuditEvent.objects.filter(
        client_id=trajectory.client_id, reason="processing restriction lifted: data corrected"
    ).exists()


def test_trajectory_stays_closed_while_restricted(trajectory, consultant, privacy_officer) -> None:
    restrict_processing(privacy_officer, trajectory.client, "contested")
    with pytest.raises(ProcessingRestricted):
        trajectory_for(consultant, trajectory.pk, reason="trajectory detail")


def test_client_page_shows_only_the_name_and_the_banner(client_of, consultant, privacy_officer, english) -> None:
    client_of.email = "geheim@example.org"
    client_of.save()
    restrict_processing(privacy_officer, client_of, "contested")
    page = english(consultant).get(reverse("clients:detail", args=[client_of.pk])).content.decode()
    assert BANNER in page
    assert client_of.full_name in page
    assert "geheim@example.org" not in page
    assert client_of.bsn not in page


def test_refused_page_names_the_restriction(trajectory, consultant, privacy_officer, english) -> None:
    restrict_processing(privacy_officer, trajectory.client, "contested")
    http = english(consultant)
    for url in (
        reverse("clients:edit", args=[trajectory.client_id]),
        reverse("trajectories:detail", args=[trajectory.pk]),
    ):
        response = http.get(url)
        assert response.status_code == 403, url
        assert BANNER in response.content.decode()


def test_list_shows_a_badge_for_a_restricted_client(client_of, consultant, privacy_officer, english) -> None:
    restrict_processing(privacy_officer, client_of, "contested")
    page = english(consultant).get(reverse("clients:list")).content.decode()
    assert 'data-testid="restricted"' in page
    assert "Processing restricted" in page


def test_privacy_officer_sets_and_lifts_from_the_access_log(client_of, privacy_officer, login) -> None:
    http = login(privacy_officer)
    url = reverse("clients:processing_restriction", args=[client_of.pk])
    log = f"{reverse('clients:access_log')}?klant={client_of.pk}"
    assert 'name="action" value="restrict"' in http.get(log).content.decode()
    assert http.post(url, {"action": "restrict", "reason": ""}).status_code == 302
    client_of.refresh_from_db()
    assert client_of.processing_restricted_since is None
    http.post(url, {"action": "restrict", "reason": "contested"})
    client_of.refresh_from_db()
    assert client_of.processing_restricted_since is not None
    page = http.get(log).content.decode()
    assert 'data-testid="restricted-banner"' in page
    assert 'name="action" value="lift"' in page
    http.post(url, {"action": "lift", "reason": "corrected"})
    client_of.refresh_from_db()
    assert client_of.processing_restricted_since is None


def test_a_second_click_does_not_undo_the_first(client_of, privacy_officer, login) -> None:
    http = login(privacy_officer)
    url = reverse("clients:processing_restriction", args=[client_of.pk])
    http.post(url, {"action": "restrict", "reason": "contested"})
    http.post(url, {"action": "restrict", "reason": "contested"})
    client_of.refresh_from_db()
    assert client_of.processing_restricted_since is not None
    assert AuditEvent.objects.filter(client_id=client_of.pk, reason__startswith="processing restricted").count() == 1


def test_restriction_page_is_for_the_privacy_officer_only(client_of, role_users, login) -> None:
    url = reverse("clients:processing_restriction", args=[client_of.pk])
    for role, user in role_users.items():
        status = login(user).post(url, {"action": "restrict", "reason": "x"}).status_code
        assert status == (302 if role == Role.PRIVACY_OFFICER else 403), role
