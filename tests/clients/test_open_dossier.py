"""A team manager opens a team client's full dossier only with a reason, which is logged."""

import pytest
from django.urls import reverse

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.clients.models import AccessGrant
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_client(make_user, municipality):
    consultant = make_user(Role.CONSULTANT)
    return factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=consultant
    )


def test_team_manager_sees_no_bsn_until_opening_with_a_reason(team_client, make_user, login) -> None:
    manager = make_user(Role.TEAM_MANAGER)
    http = login(manager)
    detail = reverse("clients:detail", args=[team_client.pk])
    assert team_client.bsn not in http.get(detail).content.decode()
    response = http.post(reverse("clients:open_dossier", args=[team_client.pk]), {"reason": "Casuïstiekbespreking"})
    assert response.status_code == 302
    assert team_client.bsn in http.get(detail).content.decode()
    event = AuditEvent.objects.get(action=Action.CREATE, client_id=team_client.pk, actor=manager)
    assert "Casuïstiekbespreking" in event.reason


def test_empty_reason_opens_nothing(team_client, make_user, login) -> None:
    manager = make_user(Role.TEAM_MANAGER)
    login(manager).post(reverse("clients:open_dossier", args=[team_client.pk]), {"reason": "  "})
    assert not AccessGrant.objects.exists()


def test_team_manager_cannot_open_a_client_outside_the_team(make_user, municipality, organisation, login) -> None:
    manager = make_user(Role.TEAM_MANAGER)
    outsider = make_user(Role.CONSULTANT, in_team=False)
    client = factories.ClientFactory(organisation=organisation, municipality=municipality, consultant=outsider)
    response = login(manager).post(reverse("clients:open_dossier", args=[client.pk]), {"reason": "Nieuwsgierig"})
    assert response.status_code == 404
    assert not AccessGrant.objects.exists()


def test_only_team_managers_can_open_with_a_reason(team_client, make_user, login) -> None:
    trainer = make_user(Role.TRAINER)
    response = login(trainer).post(reverse("clients:open_dossier", args=[team_client.pk]), {"reason": "Groep"})
    assert response.status_code == 403
    assert not AccessGrant.objects.exists()
