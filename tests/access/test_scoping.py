"""The scoping rules per role and relation, and the data categories each relation opens."""

import datetime

import pytest
from django.utils import timezone

from koers.access.categories import ALL_CATEGORIES, DataCategory
from koers.access.scoping import categories_for, scope
from koers.accounts.roles import Role
from koers.clients.models import Client
from koers.groupwork.models import GroupRun
from tests import factories

pytestmark = pytest.mark.django_db


def client_of(user, municipality, **kwargs):
    return factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=user, **kwargs
    )


def visible(user) -> set[int]:
    return set(scope(Client.objects.all(), user).values_list("pk", flat=True))


def test_consultant_sees_own_caseload_only(consultant, make_user, municipality) -> None:
    own = client_of(consultant, municipality)
    colleague = make_user(Role.CONSULTANT)
    client_of(colleague, municipality)
    assert visible(consultant) == {own.pk}
    assert categories_for(consultant, own) == ALL_CATEGORIES


def test_temporary_access_opens_a_colleagues_client_until_it_ends(consultant, make_user, municipality) -> None:
    colleague = make_user(Role.CONSULTANT)
    theirs = client_of(colleague, municipality)
    grant = factories.AccessGrantFactory(client=theirs, user=consultant)
    assert theirs.pk in visible(consultant)
    grant.valid_until = timezone.now() - datetime.timedelta(minutes=1)
    grant.save()
    assert theirs.pk not in visible(consultant)


def test_team_manager_sees_team_clients_without_dossier(consultant, make_user, municipality, organisation) -> None:
    manager = make_user(Role.TEAM_MANAGER)
    in_team = client_of(consultant, municipality)
    other_team = factories.TeamFactory(organisation=organisation)
    outsider = make_user(Role.CONSULTANT, in_team=False)
    outsider.teams.add(other_team)
    elsewhere = client_of(outsider, municipality)
    assert visible(manager) == {in_team.pk}
    assert elsewhere.pk not in visible(manager)
    categories = categories_for(manager, in_team)
    assert DataCategory.SPECIAL not in categories
    assert DataCategory.BSN not in categories
    assert DataCategory.IDENTITY in categories


def test_consultant_in_two_teams_with_the_same_manager_gives_no_duplicates(
    consultant, make_user, municipality, organisation
) -> None:
    manager = make_user(Role.TEAM_MANAGER)
    second = factories.TeamFactory(organisation=organisation)
    manager.teams.add(second)
    consultant.teams.add(second)
    client_of(consultant, municipality)
    assert scope(Client.objects.all(), manager).count() == 1


def test_trainer_sees_participants_of_own_runs_only(consultant, make_user, municipality) -> None:
    trainer = make_user(Role.TRAINER)
    participant = client_of(consultant, municipality)
    other = client_of(consultant, municipality)
    run = factories.GroupRunFactory(programme__organisation=municipality.organisation, trainers=[trainer])
    factories.ParticipationFactory(group_run=run, client=participant)
    factories.ParticipationFactory(client=other)
    assert visible(trainer) == {participant.pk}
    assert categories_for(trainer, participant) == {
        DataCategory.IDENTITY,
        DataCategory.CONTACT,
        DataCategory.GROUP_NEEDS,
    }
    assert set(scope(GroupRun.objects.all(), trainer).values_list("pk", flat=True)) == {run.pk}


def test_consultant_who_also_trains_keeps_full_access_to_own_client(make_user, municipality) -> None:
    both = make_user(Role.CONSULTANT, Role.TRAINER)
    own = client_of(both, municipality)
    run = factories.GroupRunFactory(programme__organisation=municipality.organisation, trainers=[both])
    factories.ParticipationFactory(group_run=run, client=own)
    assert categories_for(both, own) == ALL_CATEGORIES
    assert scope(Client.objects.all(), both).count() == 1


@pytest.mark.parametrize("role", [Role.POLICY, Role.ADMINISTRATOR, Role.PRIVACY_OFFICER])
def test_roles_without_a_client_relation_see_no_client(role, consultant, make_user, municipality) -> None:
    client_of(consultant, municipality)
    user = make_user(role)
    assert visible(user) == set()


def test_inactive_user_sees_nothing(consultant, municipality) -> None:
    client_of(consultant, municipality)
    consultant.is_active = False
    assert visible(consultant) == set()


def test_planner_sees_participants_but_not_the_waiting_caseload(consultant, make_user, municipality) -> None:
    planner = make_user(Role.PLANNER)
    participant = client_of(consultant, municipality)
    client_of(consultant, municipality)
    factories.ParticipationFactory(group_run__programme__organisation=municipality.organisation, client=participant)
    assert visible(planner) == {participant.pk}
    assert DataCategory.GROUP_NEEDS not in categories_for(planner, participant)
