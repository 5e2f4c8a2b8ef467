"""The functional administrator sets the audit's thresholds for their own organisation only."""

import pytest
from django.urls import reverse

from koers.accounts.roles import Role
from koers.principles.models import PrincipleThresholds
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(make_user):
    return make_user(Role.ADMINISTRATOR)


def test_administrator_adds_the_thresholds_of_their_organisation(administrator, organisation, login) -> None:
    http = login(administrator)
    response = http.post(
        reverse("admin:principles_principlethresholds_add"),
        {
            "intake_days": 21,
            "plan_days": 42,
            "review_days": 91,
            "urgent_action_days": 7,
            "instrument_warning_days": 14,
        },
    )
    assert response.status_code == 302
    thresholds = PrincipleThresholds.objects.get()
    assert thresholds.organisation == organisation
    assert (thresholds.intake_days, thresholds.urgent_action_days) == (21, 7)
    assert http.get(reverse("admin:principles_principlethresholds_add")).status_code == 403  # one per organisation


def test_administrator_changes_only_their_own_thresholds(administrator, organisation, login) -> None:
    own = PrincipleThresholds.objects.create(organisation=organisation)
    other = PrincipleThresholds.objects.create(organisation=factories.OrganisationFactory(name="Elders"))
    http = login(administrator)
    assert http.get(reverse("admin:principles_principlethresholds_change", args=[own.pk])).status_code == 200
    assert http.get(reverse("admin:principles_principlethresholds_change", args=[other.pk])).status_code == 302
    listing = http.get(reverse("admin:principles_principlethresholds_changelist")).content.decode()
    assert "Elders" not in listing


def test_other_roles_cannot_change_thresholds(make_user, organisation, login) -> None:
    own = PrincipleThresholds.objects.create(organisation=organisation)
    manager = make_user(Role.TEAM_MANAGER)
    response = login(manager).get(reverse("admin:principles_principlethresholds_change", args=[own.pk]))
    assert response.status_code == 302
