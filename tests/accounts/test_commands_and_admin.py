import pytest
from django.core.management import call_command
from django.urls import reverse

from koers.accounts.models import User
from koers.accounts.roles import Role
from koers.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_fresh_database_has_no_accounts() -> None:
    assert User.objects.count() == 0


def test_create_admin_makes_a_functional_administrator_with_a_one_time_password(capsys) -> None:
    call_command("create_admin", "beheerder", organisation="Werkbedrijf Test")
    out = capsys.readouterr().out
    user = User.objects.get(username="beheerder")
    assert user.roles == {Role.ADMINISTRATOR}
    password = out.split("Eenmalig wachtwoord: ")[1].split()[0]
    assert user.check_password(password)
    assert len(password) >= 16


def test_functional_administrator_sees_configuration_but_no_client_data(make_user, login) -> None:
    html = login(make_user(Role.ADMINISTRATOR)).get(reverse("admin:index")).content.decode()
    assert "/beheer/groupwork/programme/" in html
    assert "/beheer/accounts/user/" in html
    assert "/clients/" not in html
    assert "audit" not in html.lower()


def test_other_roles_are_kept_out_of_the_admin(make_user, login) -> None:
    response = login(make_user(Role.CONSULTANT)).get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302


def test_role_changes_are_audited(make_user) -> None:
    user = make_user(Role.TRAINER)
    user.role_assignments.get(role=Role.TRAINER).delete()
    reasons = list(AuditEvent.objects.filter(object_type="accounts.roleassignment").values_list("reason", flat=True))
    assert f"role trainer granted to {user.pk}" in reasons
    assert f"role trainer revoked from {user.pk}" in reasons


def test_admin_changelist_for_users_works(make_user, login) -> None:
    response = login(make_user(Role.ADMINISTRATOR)).get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 200


def test_administrator_can_reset_a_second_factor(make_user, login) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    colleague = make_user(Role.CONSULTANT)
    TOTPDevice.objects.create(user=colleague, name="oude telefoon", confirmed=True)
    administrator = make_user(Role.ADMINISTRATOR)
    response = login(administrator).post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [colleague.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert AuditEvent.objects.filter(actor=administrator, object_id=str(colleague.pk), action="mfa").exists()
