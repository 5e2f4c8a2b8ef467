"""Sections that other apps add to the progress report PDF, and the effect measurement as the first of them."""

import datetime
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.measurement.models import Phase
from koers.measurement.results_views import progress_report_section
from koers.trajectories import report_sections
from koers.trajectories.models import Trajectory
from tests import factories
from tests.helpers import captured_pdf_html, inflated_pdf, laid_out_text
from tests.measurement_factories import completed_measurement, small_questionnaire
from tests.trajectory_factories import ProgressReportFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)


@pytest.fixture
def trajectory(consultant, municipality) -> Trajectory:
    client = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=consultant
    )
    return TrajectoryFactory(client=client, created_by=consultant, started_on=TODAY - 200 * DAY)


def measured(trajectory: Trajectory) -> Trajectory:
    version = small_questionnaire(trajectory.client.organisation)
    completed_measurement(
        trajectory, version, answers={1: 2, 2: 4, 3: 2}, phase=Phase.BASELINE, taken_on=TODAY - 90 * DAY
    )
    completed_measurement(trajectory, version, answers={1: 4, 2: 2, 3: 4}, taken_on=TODAY - 30 * DAY)
    return trajectory


def report_pdf_url(trajectory: Trajectory) -> str:
    report = ProgressReportFactory(trajectory=trajectory, author=trajectory.created_by)
    return reverse("progress:report_pdf", kwargs={"pk": report.pk})


# The registry ----------------------------------------------------------------------------------------------------


def test_sections_are_called_in_order_and_empty_ones_left_out(monkeypatch, trajectory, consultant) -> None:
    monkeypatch.setattr(report_sections, "_sections", [])
    calls = []

    def first(given: Trajectory, user: Any) -> str:
        calls.append((given, user))
        return "<section>first</section>"

    report_sections.register(first)
    report_sections.register(lambda given, user: None)
    report_sections.register(lambda given, user: "<section>third</section>")
    assert report_sections.sections_for(trajectory, consultant) == [
        "<section>first</section>",
        "<section>third</section>",
    ]
    assert calls == [(trajectory, consultant)]


def test_registering_a_section_twice_adds_it_once(monkeypatch) -> None:
    monkeypatch.setattr(report_sections, "_sections", [])

    def section(given: Trajectory, user: Any) -> str:
        return "<p>once</p>"

    report_sections.register(section)
    report_sections.register(section)
    assert report_sections._sections == [section]


def test_the_effect_measurement_registers_its_section_when_the_app_is_ready() -> None:
    assert progress_report_section in report_sections._sections


def test_the_measurement_section_is_empty_without_measurements(trajectory, consultant) -> None:
    assert progress_report_section(trajectory, consultant) is None


def test_the_measurement_section_shows_only_what_the_user_may_see(trajectory, make_user) -> None:
    from koers.accounts.roles import Role

    assert progress_report_section(measured(trajectory), make_user(Role.CONSULTANT)) is None


# The progress report PDF -----------------------------------------------------------------------------------------


def test_the_report_pdf_holds_the_same_charts_as_the_measurement_page(
    trajectory, consultant, english, monkeypatch
) -> None:
    captured = captured_pdf_html(monkeypatch)
    http = english(consultant)
    response = http.get(report_pdf_url(measured(trajectory)))
    assert response.status_code == 200
    html = captured[0]
    assert "Effect measurement" in html
    assert "Vertrouwen in eigen kunnen" in html
    assert "Real progress" in html
    page = http.get(reverse("measurement:overview", kwargs={"pk": trajectory.pk})).content.decode()
    charts_in_pdf = [svg for svg in SVG.findall(html) if "scale-" in svg or "profile-chart" in svg]
    charts_on_page = SVG.findall(page)
    assert len(charts_in_pdf) == 3
    assert charts_in_pdf == charts_on_page
    assert b"/StructTreeRoot" in inflated_pdf(response.content)  # still a tagged PDF


def test_the_report_pdf_lays_out_the_verdict_and_the_data_table(trajectory, consultant, english, monkeypatch) -> None:
    captured = captured_pdf_html(monkeypatch)
    english(consultant).get(report_pdf_url(measured(trajectory)))
    text = laid_out_text(captured[0])
    assert "Real progress" in text
    assert "Change from the reference point" in text
    assert "Life domains: start and now" in text


def test_a_report_of_a_trajectory_without_measurements_still_renders(
    trajectory, consultant, english, monkeypatch
) -> None:
    captured = captured_pdf_html(monkeypatch)
    response = english(consultant).get(report_pdf_url(trajectory))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Effect measurement" not in captured[0]
    assert b"/StructTreeRoot" in inflated_pdf(response.content)
