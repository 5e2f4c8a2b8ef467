"""Password, second factor, lockout, session lifetime and logout."""

import time

import pytest
from django.contrib.auth.hashers import check_password
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from koers.accounts.middleware import AUTH_TIME_KEY
from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def post_login(client, username: str, password: str = PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_passwords_are_hashed_with_argon2(settings, make_user) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = make_user(Role.CONSULTANT)
    user.set_password("een lange wachtzin voor koers")
    user.save()
    assert user.password.startswith("argon2")
    assert check_password("een lange wachtzin voor koers", user.password)


def test_first_login_leads_to_enrolment(client, make_user) -> None:
    user = make_user(Role.CONSULTANT)
    response = post_login(client, user.username)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:mfa_enrol"))
    # The dossier pages stay closed until the second factor is done.
    assert client.get(reverse("home:start"))["Location"] == reverse("accounts:mfa_enrol")


def test_enrolment_with_a_valid_code_links_the_device_and_opens_koers(client, make_user) -> None:
    user = make_user(Role.CONSULTANT)
    post_login(client, user.username)
    page = client.get(reverse("accounts:mfa_enrol"))
    assert b"<svg" in page.content
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("accounts:mfa_enrol"), {"token": current_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("home:start")).status_code == 200
    assert AuditEvent.objects.filter(actor=user, action=Action.MFA, reason="enrolled").exists()


def test_wrong_code_is_refused_with_a_message(client, make_user) -> None:
    user = make_user(Role.CONSULTANT)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    post_login(client, user.username)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("accounts:mfa_verify"), {"token": wrong})
    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    assert client.get(reverse("home:start")).status_code == 302


def test_a_code_works_only_once(client, make_user) -> None:
    user = make_user(Role.CONSULTANT)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    code = current_code(device)
    post_login(client, user.username)
    assert client.post(reverse("accounts:mfa_verify"), {"token": code}).status_code == 302
    client.logout()
    post_login(client, user.username)
    response = client.post(reverse("accounts:mfa_verify"), {"token": code})
    assert response.status_code == 200, "the same TOTP code was accepted twice"


def test_repeated_failures_lock_the_account_for_that_address(client, settings, make_user) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    user = make_user(Role.CONSULTANT)
    for _ in range(3):
        post_login(client, user.username, "wrong-password")
    response = post_login(client, user.username)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED, object_id=user.username).count() >= 3


def test_lockout_does_not_block_the_user_from_another_address(client, settings, make_user) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    user = make_user(Role.CONSULTANT)
    for _ in range(3):
        post_login(client, user.username, "wrong-password")
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="10.9.8.7"
    )
    assert response.status_code == 302


def test_demo_account_skips_the_second_factor_only_in_demo_mode(client, settings, make_user) -> None:
    user = make_user(Role.CONSULTANT)
    user.is_demo_account = True
    user.save()
    settings.DEMO_MODE = True
    assert post_login(client, user.username)["Location"] == reverse("home:start")
    assert client.get(reverse("home:start")).status_code == 200
    client.logout()
    settings.DEMO_MODE = False
    assert post_login(client, user.username)["Location"].startswith(reverse("accounts:mfa_enrol"))


def test_non_demo_account_needs_the_second_factor_in_demo_mode(client, settings, make_user) -> None:
    settings.DEMO_MODE = True
    user = make_user(Role.CONSULTANT)
    assert post_login(client, user.username)["Location"].startswith(reverse("accounts:mfa_enrol"))


def test_session_ends_after_its_absolute_lifetime(login, settings, make_user) -> None:
    http = login(make_user(Role.CONSULTANT))
    assert http.get(reverse("home:start")).status_code == 200
    session = http.session
    session[AUTH_TIME_KEY] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = http.get(reverse("home:start"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")


def test_idle_session_expires_server_side(login, settings, make_user) -> None:
    http = login(make_user(Role.CONSULTANT))
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_SECONDS <= 30 * 60
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    Session.objects.update(expire_date=timezone.now())
    assert http.get(reverse("home:start")).status_code == 302


def test_extend_session_answers_only_signed_in_users(client, login, make_user) -> None:
    assert client.post(reverse("accounts:extend_session")).status_code in {302, 401}
    http = login(make_user(Role.TRAINER))
    assert http.post(reverse("accounts:extend_session")).json()["idle_seconds"] > 0


def test_logout_ends_the_session_and_clears_site_data(login, make_user) -> None:
    user = make_user(Role.CONSULTANT)
    http = login(user)
    response = http.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "cookies" in response["Clear-Site-Data"]
    assert http.get(reverse("home:start")).status_code == 302
    assert AuditEvent.objects.filter(actor=user, action=Action.LOGOUT).exists()


def test_successful_login_is_audited(client, settings, make_user) -> None:
    settings.DEMO_MODE = True
    user = make_user(Role.PLANNER)
    post_login(client, user.username)
    assert AuditEvent.objects.filter(actor=user, action=Action.LOGIN).exists()


def test_after_a_wrong_code_the_user_is_told_to_wait(client, make_user) -> None:
    """django-otp refuses every code for a moment after a wrong one; the message must say so, not "wrong code"."""
    user = make_user(Role.CONSULTANT)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    post_login(client, user.username)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    client.post(reverse("accounts:mfa_verify"), {"token": wrong})
    response = client.post(reverse("accounts:mfa_verify"), {"token": current_code(device)})
    assert "Te veel pogingen" in response.content.decode()
    assert client.get(reverse("home:start")).status_code == 302


def test_the_session_key_changes_at_the_second_factor(client, make_user) -> None:
    user = make_user(Role.CONSULTANT)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    post_login(client, user.username)
    before = client.session.session_key
    client.post(reverse("accounts:mfa_verify"), {"token": current_code(device)})
    assert client.session.session_key != before
    assert client.get(reverse("home:start")).status_code == 200
