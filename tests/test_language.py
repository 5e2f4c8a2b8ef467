import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_dutch_is_the_default_even_for_an_english_browser(client) -> None:
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "nl"
    assert "Inloggen bij Koers" in response.content.decode()


def test_the_language_switch_chooses_english(client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("accounts:login"))
    assert response["Content-Language"] == "en"
    assert "Log in to Koers" in response.content.decode()
