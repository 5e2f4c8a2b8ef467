"""The client's personal link: the questionnaire on a phone, without login, without anything stored about the client,
answered once. The same token rules as the evaluation link."""

import datetime
import re

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from koers.measurement import services
from koers.measurement.models import (
    Measurement,
    MeasurementAnswer,
    MeasurementLink,
    MeasurementPolicy,
    MeasurementStatus,
    Moment,
    Phase,
    Respondent,
)
from tests import factories
from tests.helpers import assert_query_budget
from tests.measurement_factories import small_questionnaire
from tests.trajectory_factories import TrajectoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(organisation):
    version = small_questionnaire(organisation)
    version.introduction = "We willen weten hoe het met je gaat. Het kost ongeveer vijf minuten."
    version.save()
    MeasurementPolicy.objects.create(organisation=organisation, questionnaire=version.questionnaire)
    return version


@pytest.fixture
def measurement(consultant, municipality, version):
    client = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=consultant
    )
    trajectory = TrajectoryFactory.create(client=client, created_by=consultant)
    return services.create_measurement(
        consultant, trajectory, moment=Moment.START, phase=Phase.BASELINE, respondent=Respondent.CLIENT
    )


@pytest.fixture
def token(measurement, consultant) -> str:
    return services.issue_link(consultant, measurement).token


def _url(token: str) -> str:
    return reverse("measurement:answer", kwargs={"token": token})


def _answers(version, value: int = 4) -> dict[str, str]:
    return {f"item_{item.pk}": str(value) for item in version.items.all()}


def _main(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def test_the_page_shows_the_questionnaire_and_nothing_about_the_client(measurement, version, token, client) -> None:
    response = client.get(_url(token))
    assert response.status_code == 200
    html = response.content.decode()
    assert "We willen weten hoe het met je gaat." in html
    for item in version.items.all():
        assert item.text in html
    assert "Helemaal niet mee eens" in html
    person = measurement.trajectory.client
    consultant = measurement.created_by
    for stored in (
        person.first_name,
        person.last_name,
        person.email,
        person.bsn,
        person.phone,
        consultant.username,
        version.questionnaire.name,
        f"{measurement.trajectory.started_on:%d-%m-%Y}",
    ):
        assert stored not in html
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]


def test_the_page_has_no_navigation_and_no_script(token, client) -> None:
    html = client.get(_url(token)).content.decode()
    assert "<nav" not in html
    assert "<script" not in html
    assert 'name="viewport"' in html


def test_each_item_is_a_fieldset_of_labelled_radio_buttons(version, token, client) -> None:
    html = client.get(_url(token)).content.decode()
    for item in version.items.all():
        fieldset = html.split(f'data-item="{item.pk}"', 1)[1].split("</fieldset>", 1)[0]
        assert "<legend" in fieldset
        radios = re.findall(r'<input type="radio"[^>]*id="([^"]+)"', fieldset)
        assert len(radios) == 5
        for radio_id in radios:
            assert f'for="{radio_id}"' in fieldset


def test_answers_are_saved_once_and_the_link_then_closes(measurement, version, token, client) -> None:
    response = client.post(_url(token), _answers(version, 5))
    assert response.status_code == 302
    assert response["Location"] == reverse("measurement:thanks")
    measurement.refresh_from_db()
    assert measurement.status == MeasurementStatus.COMPLETED
    assert measurement.entered_by is None
    assert set(MeasurementAnswer.objects.values_list("value", flat=True)) == {5}
    again = client.post(_url(token), _answers(version, 1))
    assert again.status_code == 410
    assert client.get(_url(token)).status_code == 410
    assert set(MeasurementAnswer.objects.values_list("value", flat=True)) == {5}


def test_a_missing_answer_keeps_the_input_and_the_link_open(measurement, version, token, client) -> None:
    first = version.items.first()
    client.cookies["django_language"] = "en"
    response = client.post(_url(token), {f"item_{first.pk}": "2"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose an answer." in html
    assert 'aria-invalid="true"' in html
    assert re.search(rf'name="item_{first.pk}" value="2"[^>]*checked', html)
    assert not MeasurementAnswer.objects.exists()
    assert MeasurementLink.objects.get().used_at is None


def test_an_answer_out_of_range_is_refused(version, token, client) -> None:
    data = _answers(version)
    data[f"item_{version.items.first().pk}"] = "9"
    assert client.post(_url(token), data).status_code == 200
    assert not MeasurementAnswer.objects.exists()


def test_unknown_expired_used_and_replaced_links_get_one_neutral_page(measurement, version, consultant, client) -> None:
    used = services.issue_link(consultant, measurement).token
    used_link = services.find_link(used)
    assert used_link is not None
    services.submit_by_link(used_link, {item.pk: 3 for item in version.items.all()})
    other = services.create_measurement(
        consultant, measurement.trajectory, moment=Moment.INTERIM, phase=Phase.BASELINE, respondent=Respondent.CLIENT
    )
    expired = services.issue_link(consultant, other).token
    MeasurementLink.objects.filter(token_hash=services.hash_token(expired)).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    third = services.create_measurement(
        consultant, measurement.trajectory, moment=Moment.EXTRA, phase=Phase.BASELINE, respondent=Respondent.CLIENT
    )
    replaced = services.issue_link(consultant, third).token
    services.issue_link(consultant, third)
    pages = {
        name: client.get(_url(token))
        for name, token in (("unknown", "x" * 43), ("expired", expired), ("used", used), ("replaced", replaced))
    }
    assert pages["unknown"].status_code == 404
    assert pages["expired"].status_code == pages["used"].status_code == pages["replaced"].status_code == 410
    assert len({_main(page.content.decode()) for page in pages.values()}) == 1
    for page in pages.values():
        assert page["Referrer-Policy"] == "no-referrer"
        assert "no-store" in page["Cache-Control"]


def test_a_cancelled_measurement_closes_its_link(measurement, consultant, token, client) -> None:
    services.cancel_measurement(consultant, measurement)
    assert client.get(_url(token)).status_code == 410


def test_a_link_closes_when_the_trajectory_ends(measurement, version, token, client) -> None:
    """Only the end measurement is answered after the end; a start or interim link left open no longer works."""
    measurement.trajectory.ended_on = timezone.localdate()
    measurement.trajectory.save(update_fields=["ended_on"])
    assert client.get(_url(token)).status_code == 410
    assert client.post(_url(token), _answers(version)).status_code == 410
    with pytest.raises(services.LinkClosedError):
        services.submit_by_link(MeasurementLink.objects.get(measurement=measurement), {})
    assert not MeasurementAnswer.objects.filter(measurement=measurement).exists()


def test_an_overlong_token_is_not_even_hashed(client) -> None:
    assert client.get(_url("a" * 500)).status_code == 404


def test_a_post_with_the_origin_of_a_no_referrer_page_is_accepted(version, token) -> None:
    """Under Referrer-Policy: no-referrer browsers post with Origin: null; the secret token guards the form."""
    http = HttpClient(enforce_csrf_checks=True)
    response = http.post(_url(token), _answers(version), HTTP_ORIGIN="null")
    assert response.status_code == 302
    assert Measurement.objects.get().status == MeasurementStatus.COMPLETED


def test_a_forged_post_without_the_token_saves_nothing(version, token) -> None:
    http = HttpClient(enforce_csrf_checks=True)
    assert http.post(_url("guess" * 9), _answers(version)).status_code == 404
    assert not MeasurementAnswer.objects.exists()


def test_the_thanks_page_is_public_and_private(client) -> None:
    response = client.get(reverse("measurement:thanks"))
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


def test_query_budget(measurement, version, token, consultant, client) -> None:
    def grow() -> None:
        other = services.create_measurement(
            consultant, measurement.trajectory, moment=Moment.EXTRA, phase=Phase.BASELINE, respondent=Respondent.CLIENT
        )
        for _ in range(3):
            services.issue_link(consultant, other)

    assert_query_budget(client, _url(token), budget=3, grow=grow)
