"""The consultant's measurement pages: plan a measurement, enter answers in a conversation, issue the client's link,
cancel. Access per role and relation, validation, audit and a fixed number of queries."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.measurement.models import (
    Measurement,
    MeasurementAnswer,
    MeasurementLink,
    MeasurementStatus,
    Moment,
    Phase,
    Respondent,
)
from koers.measurement.services import hash_token
from tests import factories
from tests.helpers import (
    assert_access_matrix,
    assert_query_budget,
    captured_pdf_html,
    inflated_pdf,
    laid_out_text,
)
from tests.measurement_factories import completed_measurement

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def measurement(trajectory, version, consultant):
    return Measurement.objects.create(
        trajectory=trajectory,
        version=version,
        moment=Moment.START,
        phase=Phase.BASELINE,
        respondent=Respondent.CLIENT,
        created_by=consultant,
    )


def _urls(trajectory, measurement) -> dict[str, str]:
    return {
        "create": reverse("measurement:create", kwargs={"pk": trajectory.pk}),
        "enter": reverse("measurement:enter", kwargs={"pk": measurement.pk}),
        "link": reverse("measurement:link", kwargs={"pk": measurement.pk}),
    }


def _answers(version, value: int = 4) -> dict[str, str]:
    return {f"item_{item.pk}": str(value) for item in version.items.all()}


# Access -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["create", "enter", "link"])
def test_only_the_clients_consultant_opens_the_pages(page, trajectory, measurement, role_users, login) -> None:
    trajectory.client.consultant = role_users[Role.CONSULTANT]
    trajectory.client.save()
    url = _urls(trajectory, measurement)[page]
    expected = {role: 403 for role in Role.values} | {Role.CONSULTANT: 200, Role.TEAM_MANAGER: 404}
    assert_access_matrix(url, expected, role_users, login)


@pytest.mark.parametrize("page", ["create", "enter", "link"])
def test_another_consultants_client_is_not_found(page, trajectory, measurement, make_user, login) -> None:
    colleague = make_user(Role.CONSULTANT)
    assert login(colleague).get(_urls(trajectory, measurement)[page]).status_code == 404


@pytest.mark.parametrize("page", ["create", "enter", "link"])
def test_a_team_manager_opens_them_with_a_logged_reason(page, trajectory, measurement, make_user, login) -> None:
    manager = make_user(Role.TEAM_MANAGER)
    factories.AccessGrantFactory(client=trajectory.client, user=manager, granted_by=manager)
    assert login(manager).get(_urls(trajectory, measurement)[page]).status_code == 200


def test_cancel_is_post_only_and_scoped(measurement, consultant, make_user, login) -> None:
    url = reverse("measurement:cancel", kwargs={"pk": measurement.pk})
    assert login(consultant).get(url).status_code == 405
    assert login(make_user(Role.CONSULTANT)).post(url).status_code == 404
    assert login(make_user(Role.TRAINER)).post(url).status_code == 403
    measurement.refresh_from_db()
    assert measurement.status == MeasurementStatus.OPEN


# Planning a measurement ------------------------------------------------------------------------------------------


def test_the_form_shows_the_planned_moments_and_suggests_the_next(trajectory, version, consultant, login) -> None:
    html = login(consultant).get(reverse("measurement:create", kwargs={"pk": trajectory.pk})).content.decode()
    assert 'data-moment="start" data-status="overdue"' in html
    assert 'data-moment="interim" data-status="upcoming"' in html
    assert re.search(r'name="moment" value="start"[^>]*checked', html)


def test_answer_now_opens_the_entry_page(trajectory, version, consultant, login) -> None:
    data = {"moment": "start", "phase": "baseline", "respondent": "client", "way": "now"}
    response = login(consultant).post(reverse("measurement:create", kwargs={"pk": trajectory.pk}), data)
    measurement = Measurement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("measurement:enter", kwargs={"pk": measurement.pk})
    assert (measurement.moment, measurement.phase, measurement.status) == ("start", "baseline", "open")
    assert measurement.due_on == trajectory.started_on + datetime.timedelta(days=14)


def test_a_personal_link_is_made_and_shown_once(trajectory, version, consultant, login) -> None:
    http = login(consultant)
    data = {"moment": "start", "phase": "baseline", "respondent": "client", "way": "link"}
    response = http.post(reverse("measurement:create", kwargs={"pk": trajectory.pk}), data)
    assert response.status_code == 200
    html = response.content.decode()
    token = re.search(r"/m/([A-Za-z0-9_-]+)/", html).group(1)
    assert MeasurementLink.objects.get().token_hash == hash_token(token)
    assert "<svg" in html  # the QR code
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    later = http.get(reverse("measurement:link", kwargs={"pk": Measurement.objects.get().pk})).content.decode()
    assert token not in later
    assert 'data-testid="link-status"' in later


def test_a_link_needs_the_client_as_respondent(trajectory, version, consultant, english) -> None:
    data = {"moment": "start", "phase": "baseline", "respondent": "professional", "way": "link"}
    response = english(consultant).post(reverse("measurement:create", kwargs={"pk": trajectory.pk}), data)
    assert response.status_code == 200
    assert "choose the client as respondent" in response.content.decode()
    assert not Measurement.objects.exists()


def test_without_a_questionnaire_the_page_says_so(trajectory, consultant, english) -> None:
    url = reverse("measurement:create", kwargs={"pk": trajectory.pk})
    http = english(consultant)
    assert "has not set up a measurement questionnaire" in http.get(url).content.decode()
    data = {"moment": "start", "phase": "baseline", "respondent": "client", "way": "now"}
    response = http.post(url, data)
    assert response.status_code == 200
    assert "has not set up a measurement questionnaire" in response.content.decode()
    assert not Measurement.objects.exists()


def test_a_second_open_measurement_for_the_moment_points_to_the_first(
    trajectory, version, measurement, consultant, login
) -> None:
    data = {"moment": "start", "phase": "baseline", "respondent": "client", "way": "now"}
    response = login(consultant).post(reverse("measurement:create", kwargs={"pk": trajectory.pk}), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="existing"' in html
    assert reverse("measurement:enter", kwargs={"pk": measurement.pk}) in html
    assert Measurement.objects.count() == 1


def test_invalid_choices_keep_the_input(trajectory, version, consultant, english) -> None:
    data = {"moment": "start", "phase": "sometime", "respondent": "client", "way": "now"}
    response = english(consultant).post(reverse("measurement:create", kwargs={"pk": trajectory.pk}), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice." in html
    assert re.search(r'name="moment" value="start"[^>]*checked', html)


# Entering answers ------------------------------------------------------------------------------------------------


def test_each_item_is_a_fieldset_of_labelled_required_radio_buttons(measurement, version, consultant, login) -> None:
    html = login(consultant).get(reverse("measurement:enter", kwargs={"pk": measurement.pk})).content.decode()
    for item in version.items.all():
        fieldset = html.split(f'data-item="{item.pk}"', 1)[1].split("</fieldset>", 1)[0]
        assert "<legend" in fieldset
        assert item.text in fieldset
        radios = re.findall(r'<input type="radio"[^>]*id="([^"]+)"[^>]*required', fieldset)
        assert len(radios) == 5
        for radio_id in radios:
            assert f'for="{radio_id}"' in fieldset
        assert "Helemaal mee eens" in fieldset


def test_entered_answers_are_saved_and_lead_to_the_results(measurement, version, consultant, login) -> None:
    data = {"taken_on": TODAY.isoformat(), **_answers(version, 5)}
    response = login(consultant).post(reverse("measurement:enter", kwargs={"pk": measurement.pk}), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("measurement:overview", kwargs={"pk": measurement.trajectory_id})
    measurement.refresh_from_db()
    assert measurement.status == MeasurementStatus.COMPLETED
    assert measurement.entered_by == consultant
    assert MeasurementAnswer.objects.filter(measurement=measurement).count() == 3


def test_a_missing_answer_keeps_the_others_and_says_what_is_wrong(measurement, version, consultant, english) -> None:
    first, *rest = list(version.items.all())
    data = {"taken_on": TODAY.isoformat(), f"item_{first.pk}": "2"}
    response = english(consultant).post(reverse("measurement:enter", kwargs={"pk": measurement.pk}), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose an answer." in html
    assert re.search(rf'name="item_{first.pk}" value="2"[^>]*checked', html)
    for item in rest:
        fieldset = html.split(f'data-item="{item.pk}"', 1)[1].split("</fieldset>", 1)[0]
        assert 'aria-invalid="true"' in fieldset
    assert not MeasurementAnswer.objects.exists()


def test_a_date_in_the_future_is_refused(measurement, version, consultant, english) -> None:
    data = {"taken_on": (TODAY + datetime.timedelta(days=1)).isoformat(), **_answers(version)}
    response = english(consultant).post(reverse("measurement:enter", kwargs={"pk": measurement.pk}), data)
    assert response.status_code == 200
    assert "This date lies in the future." in response.content.decode()
    measurement.refresh_from_db()
    assert measurement.status == MeasurementStatus.OPEN


def test_a_completed_measurement_sends_to_the_results(trajectory, version, consultant, login) -> None:
    done = completed_measurement(trajectory, version)
    response = login(consultant).get(reverse("measurement:enter", kwargs={"pk": done.pk}))
    assert response.status_code == 302
    assert response["Location"] == reverse("measurement:overview", kwargs={"pk": trajectory.pk})


# Link and cancel ---------------------------------------------------------------------------------------------------


def test_a_new_link_replaces_the_old_one(measurement, consultant, login) -> None:
    http = login(consultant)
    url = reverse("measurement:link", kwargs={"pk": measurement.pk})
    first = re.search(r"/m/([A-Za-z0-9_-]+)/", http.post(url).content.decode()).group(1)
    second = re.search(r"/m/([A-Za-z0-9_-]+)/", http.post(url).content.decode()).group(1)
    assert first != second
    assert http.get(reverse("measurement:answer", kwargs={"token": first})).status_code == 410
    assert http.get(reverse("measurement:answer", kwargs={"token": second})).status_code == 200


def test_a_link_letter_is_a_tagged_pdf_with_the_fresh_link_and_is_logged(
    measurement, consultant, login, monkeypatch
) -> None:
    """Paper for a client who answers at home: the letter holds the link issued at that moment, and that link works."""
    html = captured_pdf_html(monkeypatch)
    url = reverse("measurement:link", kwargs={"pk": measurement.pk})
    response = login(consultant).post(url, {"afdrukken": "1"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert measurement.trajectory.client.last_name not in response["Content-Disposition"]
    assert b"/StructTreeRoot" in inflated_pdf(response.content)
    token = re.search(r"/m/([A-Za-z0-9_-]+)/", html[0]).group(1)
    text = laid_out_text(html[0])
    assert measurement.trajectory.client.full_name in text
    assert token[:20] in text.replace(" ", "")
    assert login(consultant).get(reverse("measurement:answer", kwargs={"token": token})).status_code == 200
    assert AuditEvent.objects.filter(
        action=Action.PRINT, reason="measurement link letter printed (PDF)", client_id=measurement.trajectory.client_id
    ).exists()


def test_a_professionals_measurement_has_no_link(measurement, consultant, login) -> None:
    Measurement.objects.filter(pk=measurement.pk).update(respondent=Respondent.PROFESSIONAL)
    response = login(consultant).post(reverse("measurement:link", kwargs={"pk": measurement.pk}))
    assert response.status_code == 302
    assert not MeasurementLink.objects.exists()


def test_cancel_closes_the_measurement_and_its_link(measurement, consultant, login) -> None:
    http = login(consultant)
    token = re.search(
        r"/m/([A-Za-z0-9_-]+)/", http.post(reverse("measurement:link", kwargs={"pk": measurement.pk})).content.decode()
    ).group(1)
    response = http.post(reverse("measurement:cancel", kwargs={"pk": measurement.pk}))
    assert response.status_code == 302
    measurement.refresh_from_db()
    assert measurement.status == MeasurementStatus.CANCELLED
    assert http.get(reverse("measurement:answer", kwargs={"token": token})).status_code == 410


# Audit and queries -------------------------------------------------------------------------------------------------


def test_every_page_records_the_read(trajectory, measurement, consultant, login) -> None:
    http = login(consultant)
    for url in _urls(trajectory, measurement).values():
        http.get(url)
    reasons = set(
        AuditEvent.objects.filter(action=Action.READ, client_id=trajectory.client_id).values_list("reason", flat=True)
    )
    assert {"measurement form", "measurement entry form", "measurement link page"} <= reasons


@pytest.mark.parametrize(("page", "budget"), [("create", 13), ("enter", 11), ("link", 11)])
def test_query_budget(page, budget, trajectory, version, measurement, consultant, login) -> None:
    url = _urls(trajectory, measurement)[page]

    def more() -> None:
        for weeks in (1, 2, 3):
            completed_measurement(trajectory, version, taken_on=TODAY - datetime.timedelta(weeks=weeks))
        Measurement.objects.create(
            trajectory=trajectory, version=version, moment=Moment.EXTRA, respondent="client", created_by=consultant
        )
        for _ in range(2):
            MeasurementLink.objects.create(measurement=measurement, expires_at=timezone.now(), created_by=consultant)

    assert_query_budget(login(consultant), url, budget=budget, grow=more)
