"""Every kind of personal link × every way it can be wrong: the status, the Dutch page, and nothing stored
(SECURITY.md 34). The single cases live in tests/groupwork/test_evaluation.py and tests/measurement/test_public_link.py;
this table proves the two kinds behave alike."""

import datetime
import secrets
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from koers.groupwork.evaluation_services import hash_token
from koers.groupwork.models import EvaluationInvite
from koers.measurement.models import MeasurementLink
from tests.access import test_url_matrix
from tests.trust.snapshot import assert_unchanged, snapshot
from tests.trust.test_bad_input_forms import filled, post_forms

pytestmark = pytest.mark.django_db

seeded_world = test_url_matrix.world  # the matrix's world: a client, runs, links, ... for every role

CLOSED_TEXT = "Deze link werkt niet"
KINDS: dict[str, tuple[str, str, type[Any]]] = {
    # kind → (URL name, key in the seeded seeded_world, model holding the hashed token)
    "evaluation": ("groupwork:evaluation_answer", "evaluation_token", EvaluationInvite),
    "measurement": ("measurement:answer", "measurement_token", MeasurementLink),
}
MALFORMED = ["x" * 101, "a" * 2000, "<script>", "..", "%00", "ü" * 43, " ", "'; DROP TABLE x; --"]
# state → expected status of GET and POST
STATES = {"expired": 410, "used": 410, "unknown": 404, "malformed": 404}


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    """The personal-link rate limit counts per address across tests; this file makes many requests."""
    cache.clear()


def url(kind: str, token: str) -> str:
    return reverse(KINDS[kind][0], kwargs={"token": token})


def answers(http: HttpClient, kind: str, token: str, text: Callable[[str], str]) -> dict[str, Any]:
    """A complete set of answers, read from the open form itself."""
    (form,) = post_forms(http.get(url(kind, token)).content.decode())
    return filled(form, text)


def prepare(kind: str, state: str, token: str, http: HttpClient) -> tuple[list[str], dict[str, Any]]:
    """Put the link into ``state``; answer the tokens to try and a valid set of answers to send."""
    data = answers(http, kind, token, lambda _name: "Eerste antwoord")
    model = KINDS[kind][2]
    if state == "expired":
        model.objects.filter(token_hash=hash_token(token)).update(expires_at=timezone.now() - datetime.timedelta(1))
    elif state == "used":
        assert http.post(url(kind, token), data).status_code == 302
        data = {name: ["Tweede antwoord"] if value == ["Eerste antwoord"] else value for name, value in data.items()}
    elif state == "unknown":
        return [secrets.token_urlsafe(32)], data
    elif state == "malformed":
        return MALFORMED, data
    return [token], data


@pytest.mark.parametrize("state", sorted(STATES))
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_link_that_does_not_work_gets_the_dutch_page_and_stores_nothing(kind, state, seeded_world) -> None:
    http = HttpClient()
    tokens, data = prepare(kind, state, seeded_world[KINDS[kind][1]]["token"], http)
    before = snapshot()
    for token in tokens:
        for response in (http.get(url(kind, token)), http.post(url(kind, token), data)):
            assert response.status_code == STATES[state], f"{kind} {state} {token!r}"
            assert CLOSED_TEXT in response.content.decode()
            assert response["Referrer-Policy"] == "no-referrer"
    assert_unchanged(before)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_tampered_token_is_not_found(kind, seeded_world) -> None:
    token = seeded_world[KINDS[kind][1]]["token"]
    tampered = [token[:-1] + ("A" if token[-1] != "A" else "B"), token[1:], token + "x", token.upper()]
    before = snapshot()
    for candidate in tampered:
        assert HttpClient().get(url(kind, candidate)).status_code == 404, candidate
    assert_unchanged(before)
