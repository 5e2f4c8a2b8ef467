"""Start pages: real figures per role, small cells suppressed for policy staff, and a fixed query budget."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.accounts.roles import Role
from tests import factories
from tests.helpers import assert_query_budget

pytestmark = pytest.mark.django_db


def clients_for(consultant, municipality, n, **kwargs):
    return factories.ClientFactory.create_batch(
        n, organisation=municipality.organisation, municipality=municipality, consultant=consultant, **kwargs
    )


def test_consultant_sees_own_client_count(make_user, municipality, login) -> None:
    consultant = make_user(Role.CONSULTANT)
    clients = clients_for(consultant, municipality, 4)
    clients_for(make_user(Role.CONSULTANT), municipality, 2)
    factories.ScreeningFlagFactory(client=clients[0], kind="low_language")
    html = login(consultant).get(reverse("home:start")).content.decode()
    assert 'data-testid="caseload-count">4<' in html


def test_trainer_sees_upcoming_runs_and_participants(make_user, organisation, login) -> None:
    trainer = make_user(Role.TRAINER)
    run = factories.GroupRunFactory(programme__organisation=organisation, trainers=[trainer])
    factories.ParticipationFactory.create_batch(3, group_run=run, client__organisation=organisation)
    factories.GroupRunFactory(
        programme__organisation=organisation,
        trainers=[trainer],
        start_date=timezone.localdate() - datetime.timedelta(days=30),
    )
    html = login(trainer).get(reverse("home:start")).content.decode()
    assert 'data-testid="trainer-runs">1<' in html
    assert ">3<" in html


def test_team_manager_sees_caseload_per_consultant(make_user, municipality, login) -> None:
    manager = make_user(Role.TEAM_MANAGER)
    busy = make_user(Role.CONSULTANT)
    clients_for(busy, municipality, 3)
    html = login(manager).get(reverse("home:start")).content.decode()
    assert busy.get_full_name() in html
    assert ">3<" in html


def test_policy_sees_aggregates_with_small_cells_suppressed(make_user, organisation, login) -> None:
    consultant = make_user(Role.CONSULTANT)
    big = factories.MunicipalityFactory(organisation=organisation, name="Grootstad")
    small = factories.MunicipalityFactory(organisation=organisation, name="Kleindorp")
    clients_for(consultant, big, 7)
    clients_for(consultant, small, 2)
    html = login(make_user(Role.POLICY)).get(reverse("home:start")).content.decode()
    table = html[html.index('data-testid="municipality-figures"') :]
    assert ">7<" in table
    assert ">&lt;5<" in table
    assert ">2<" not in table
    for client in consultant.caseload.all():
        assert client.last_name not in html


def test_administrator_sees_configuration_figures(make_user, organisation, login) -> None:
    factories.ProgrammeFactory.create_batch(2, organisation=organisation)
    html = login(make_user(Role.ADMINISTRATOR)).get(reverse("home:start")).content.decode()
    assert 'data-testid="admin-programmes">2<' in html


def test_user_without_roles_is_told_so(make_user, login) -> None:
    response = login(make_user()).get(reverse("home:start"))
    assert response.status_code == 200
    assert (
        "functioneel beheerder" in response.content.decode() or "functional administrator" in response.content.decode()
    )


@pytest.mark.parametrize("role", list(Role.values))
def test_start_page_query_count_does_not_grow_with_data(
    role,
    make_user,
    organisation,
    municipality,
    login,
) -> None:
    user = make_user(role)
    consultant = user if role == Role.CONSULTANT else make_user(Role.CONSULTANT)

    def grow() -> None:
        clients = clients_for(consultant, municipality, 12)
        for client in clients[:6]:
            factories.ScreeningFlagFactory(client=client, kind="low_language")
        run = factories.GroupRunFactory(programme__organisation=organisation, trainers=[user])
        for client in clients[:5]:
            factories.ParticipationFactory(group_run=run, client=client)
        factories.MunicipalityFactory(organisation=organisation)

    grow()
    assert_query_budget(login(user), reverse("home:start"), budget=16, grow=grow)
