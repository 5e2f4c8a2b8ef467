"""The functional administrator configures Koers but cannot reach client data or other organisations."""

import pytest
from django.urls import reverse

from koers.accounts.models import RoleAssignment
from koers.accounts.roles import Role
from koers.audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(make_user):
    return make_user(Role.ADMINISTRATOR)


def test_administrator_cannot_grant_themselves_a_role(administrator, login) -> None:
    http = login(administrator)
    page = http.get(reverse("admin:accounts_user_change", args=[administrator.pk])).content.decode()
    assert "role_assignments-TOTAL_FORMS" not in page
    assert set(RoleAssignment.objects.filter(user=administrator).values_list("role", flat=True)) == {Role.ADMINISTRATOR}


def test_administrator_cannot_set_a_colleagues_password(administrator, make_user, login) -> None:
    colleague = make_user(Role.CONSULTANT)
    response = login(administrator).get(reverse("admin:auth_user_password_change", args=[colleague.pk]))
    assert response.status_code == 403


def test_administrator_sees_only_their_own_organisation(administrator, login) -> None:
    elsewhere = factories.OrganisationFactory(name="Ander werkbedrijf")
    stranger = factories.UserFactory(organisation=elsewhere, username="vreemde")
    other_run = factories.GroupRunFactory(programme__organisation=elsewhere)
    http = login(administrator)
    users = http.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "vreemde" not in users
    assert http.get(reverse("admin:accounts_user_change", args=[stranger.pk])).status_code == 302
    assert http.get(reverse("admin:groupwork_grouprun_change", args=[other_run.pk])).status_code == 302


def test_delete_pages_are_closed_because_they_would_list_clients(administrator, municipality, login) -> None:
    factories.ClientFactory(organisation=municipality.organisation, municipality=municipality, last_name="Verborgen")
    response = login(administrator).get(reverse("admin:accounts_municipality_delete", args=[municipality.pk]))
    assert response.status_code == 403
    assert "Verborgen" not in response.content.decode()


def test_administrator_cannot_make_themselves_a_trainer_of_a_run(administrator, organisation, login) -> None:
    trainer = factories.UserFactory(organisation=organisation, roles=[Role.TRAINER], username="trainer1")
    run = factories.GroupRunFactory(programme__organisation=organisation)
    page = login(administrator).get(reverse("admin:groupwork_grouprun_change", args=[run.pk])).content.decode()
    trainers = page[page.index('name="trainers"') :]
    trainers = trainers[: trainers.index("</select>")]
    assert f'value="{trainer.pk}"' in trainers
    assert f'value="{administrator.pk}"' not in trainers


def test_role_changes_record_who_made_them(administrator, make_user, login) -> None:
    colleague = make_user(Role.CONSULTANT)
    http = login(administrator)
    assignment = RoleAssignment.objects.get(user=colleague)
    data = {
        "username": colleague.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "teams": [],
        "is_active": "on",
        "role_assignments-TOTAL_FORMS": "2",
        "role_assignments-INITIAL_FORMS": "1",
        "role_assignments-MIN_NUM_FORMS": "0",
        "role_assignments-MAX_NUM_FORMS": "1000",
        "role_assignments-0-id": assignment.pk,
        "role_assignments-0-user": colleague.pk,
        "role_assignments-0-role": Role.CONSULTANT,
        "role_assignments-1-user": colleague.pk,
        "role_assignments-1-role": Role.TRAINER,
    }
    response = http.post(reverse("admin:accounts_user_change", args=[colleague.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(reason=f"role trainer granted to {colleague.pk}")
    assert event.actor == administrator
    assert AuditEvent.objects.filter(
        actor=administrator, object_id=str(colleague.pk), reason__contains="teams"
    ).exists()
