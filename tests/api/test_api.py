"""The API: token and session authentication, the same scoping as the pages, and the schema."""

import pytest
from django.core.management import call_command
from django.test import Client as HttpClient
from django.urls import reverse

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from tests import factories
from tests.helpers import assert_query_budget

pytestmark = pytest.mark.django_db


def token_for(username: str, capsys) -> str:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from koers.accounts.models import User

    TOTPDevice.objects.get_or_create(user=User.objects.get(username=username), name="app", defaults={"confirmed": True})
    call_command("api_token", username)
    return capsys.readouterr().out.strip()


def test_api_token_command_prints_a_working_token_and_audits_it(make_user, municipality, capsys) -> None:
    consultant = make_user(Role.CONSULTANT)
    own = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=consultant
    )
    factories.ClientFactory(organisation=municipality.organisation, municipality=municipality)
    token = token_for(consultant.username, capsys)
    assert AuditEvent.objects.filter(action=Action.TOKEN, object_id=str(consultant.pk)).exists()
    http = HttpClient(HTTP_AUTHORIZATION=f"Token {token}")
    data = http.get(reverse("v1:client-list")).json()
    assert [row["id"] for row in data["results"]] == [own.pk]
    assert token_for(consultant.username, capsys) != token, "a new call issues a new token"
    assert http.get(reverse("v1:client-list")).status_code in {401, 403}, "the earlier token stopped working"


def test_api_without_credentials_is_refused(client) -> None:
    assert client.get(reverse("v1:client-list")).status_code in {401, 403}


def test_api_list_reads_are_audited_per_client(make_user, municipality, login) -> None:
    consultant = make_user(Role.CONSULTANT)
    clients = factories.ClientFactory.create_batch(
        2, organisation=municipality.organisation, municipality=municipality, consultant=consultant
    )
    login(consultant).get(reverse("v1:client-list"))
    read = set(AuditEvent.objects.filter(action=Action.READ).values_list("client_id", flat=True))
    assert read == {client.pk for client in clients}


def test_api_client_list_query_budget(make_user, municipality, login) -> None:
    consultant = make_user(Role.CONSULTANT)

    def add() -> None:
        factories.ClientFactory.create_batch(
            10, organisation=municipality.organisation, municipality=municipality, consultant=consultant
        )

    add()
    assert_query_budget(login(consultant), reverse("v1:client-list"), budget=12, grow=add)


def test_schema_describes_the_v1_endpoints(make_user, login) -> None:
    response = login(make_user(Role.CONSULTANT)).get(reverse("api-schema") + "?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/clients/" in schema["paths"]
    assert "/api/v1/clients/{id}/" in schema["paths"]


def test_docs_page_is_self_hosted(make_user, login) -> None:
    html = login(make_user(Role.CONSULTANT)).get(reverse("api-docs")).content.decode()
    assert "swagger" in html.lower()
    assert "cdn" not in html.lower()
    assert "https://" not in html


def test_no_token_for_an_account_without_a_second_factor(make_user) -> None:
    from django.core.management import CommandError

    consultant = make_user(Role.CONSULTANT)
    with pytest.raises(CommandError, match="authenticator"):
        call_command("api_token", consultant.username)


def test_tokens_expire(make_user, settings, capsys) -> None:
    import datetime

    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    consultant = make_user(Role.CONSULTANT)
    token = token_for(consultant.username, capsys)
    Token.objects.filter(key=token).update(created=timezone.now() - datetime.timedelta(days=31))
    assert HttpClient(HTTP_AUTHORIZATION=f"Token {token}").get(reverse("v1:me")).status_code in {401, 403}


def test_a_password_change_revokes_tokens(make_user, capsys) -> None:
    consultant = make_user(Role.CONSULTANT)
    token = token_for(consultant.username, capsys)
    consultant.set_password("een-heel-nieuw-wachtwoord")
    consultant.save()
    assert HttpClient(HTTP_AUTHORIZATION=f"Token {token}").get(reverse("v1:me")).status_code in {401, 403}
