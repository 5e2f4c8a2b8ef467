"""Progress reports, their PDF, and the case-discussion page: prefill, history, printing, access and query budgets."""

import datetime
import re
import shutil
import subprocess
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from koers import pdf as pdf_module
from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.trajectories.models import (
    GoalStatus,
    IgmFactor,
    InstrumentStatus,
    ProgressReport,
    ProgressReportFacet,
    Trajectory,
)
from koers.trajectories.progress import default_period_start, write_progress_report
from koers.trajectories.progress_forms import ProgressReportForm, required_inputs_to_type
from tests import factories
from tests.helpers import assert_query_budget, captured_pdf_html, inflated_pdf, laid_out_text, require_tool
from tests.trajectory_factories import (
    GoalFactory,
    IgmProfileFactory,
    InstrumentFactory,
    LifeDomainAssessmentFactory,
    ProgressReportFactory,
    TrajectoryFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def trajectory(consultant, municipality) -> Trajectory:
    """A trajectory with two assessments (housing 1 → 3, finances 2 → 1), a profile, goals and instruments."""
    client = factories.ClientFactory(
        organisation=municipality.organisation,
        municipality=municipality,
        consultant=consultant,
        first_name="Noor",
        last_name="Verhoeven",
    )
    trajectory = TrajectoryFactory(client=client, started_on=TODAY - 200 * DAY, created_by=consultant)
    LifeDomainAssessmentFactory(
        trajectory=trajectory, assessed_on=TODAY - 190 * DAY, assessed_by=consultant, scores={"housing": 1}
    )
    LifeDomainAssessmentFactory(
        trajectory=trajectory,
        assessed_on=TODAY - 10 * DAY,
        assessed_by=consultant,
        scores={"housing": 3, "finances": 1},
    )
    IgmProfileFactory(trajectory=trajectory, assessed_by=consultant, factors={"self_efficacy": 1})
    goal = GoalFactory(trajectory=trajectory, text="Ik wil in de zorg werken")
    GoalFactory(trajectory=trajectory, parent=goal, text="Ik haal mijn certificaat", status=GoalStatus.ACHIEVED)
    InstrumentFactory(trajectory=trajectory, goal=goal, review_on=TODAY - 3 * DAY, status=InstrumentStatus.ACTIVE)
    return trajectory


def previous_report(trajectory: Trajectory, **kwargs: Any) -> ProgressReport:
    report = ProgressReportFactory(
        trajectory=trajectory,
        written_on=kwargs.pop("written_on", TODAY - 100 * DAY),
        period_start=TODAY - 200 * DAY,
        period_end=kwargs.pop("period_end", TODAY - 101 * DAY),
        life_domain_assessment=trajectory.life_domain_assessments.order_by("assessed_on").first(),
        igm_profile=trajectory.igm_profiles.order_by("assessed_on").first(),
        **kwargs,
    )
    ProgressReportFacet.objects.bulk_create(
        ProgressReportFacet(report=report, factor=factor, changed=f"earlier {factor}", next_steps=f"then {factor}")
        for factor in IgmFactor.values
    )
    return report


def form_post_data(form: ProgressReportForm, **changes: str) -> dict[str, str]:
    """What a browser sends for an untouched form, plus ``changes``."""
    data = {}
    for name, field in form.fields.items():
        value = form.get_initial_for_field(field, name)
        data[name] = value.isoformat() if isinstance(value, datetime.date) else (value or "")
    return {**data, **changes}


# The form --------------------------------------------------------------------------------------------------------


def test_form_opens_with_the_previous_reports_values(trajectory, consultant, login) -> None:
    earlier = previous_report(trajectory)
    response = login(consultant).get(reverse("progress:report_create", kwargs={"pk": trajectory.pk}))
    form = response.context["form"]
    assert form.initial["period_start"] == earlier.period_end + DAY
    assert form.initial["period_end"] == TODAY
    assert form.initial["written_on"] == TODAY
    for factor in IgmFactor.values:
        assert form.initial[f"{factor}_changed"] == f"earlier {factor}"
        assert form.initial[f"{factor}_next"] == f"then {factor}"
    assert "earlier self_efficacy" in response.content.decode()


def test_first_report_covers_the_time_since_the_start_of_the_trajectory(trajectory) -> None:
    form = ProgressReportForm(trajectory=trajectory, previous=None)
    assert form.initial["period_start"] == trajectory.started_on
    assert form.initial["period_end"] == TODAY


def test_a_routine_report_needs_one_typed_input_the_summary(trajectory) -> None:
    """Guard against the form silently growing: four required fields, three of them prefilled."""
    form = ProgressReportForm(trajectory=trajectory, previous=previous_report(trajectory))
    assert {name for name, field in form.fields.items() if field.required} == {
        "summary",
        "period_start",
        "period_end",
        "written_on",
    }
    assert required_inputs_to_type(form) == ["summary"]
    assert len(form.fields) == 4 + 2 * len(IgmFactor.values)


def test_writing_a_routine_report_keeps_unchanged_facets_and_links_latest_diagnosis(
    trajectory, consultant, login
) -> None:
    previous_report(trajectory)
    form = ProgressReportForm(trajectory=trajectory, previous=trajectory.progress_reports.get())
    data = form_post_data(form, summary="Wonen is rustig.", attitude_changed="Ziet nu kansen in de zorg.")
    response = login(consultant).post(reverse("progress:report_create", kwargs={"pk": trajectory.pk}), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("progress:history", kwargs={"pk": trajectory.pk})
    report = trajectory.progress_reports.order_by("-id").first()
    facets = {facet.factor: facet for facet in report.facets.all()}
    assert facets["attitude"].changed == "Ziet nu kansen in de zorg."
    assert facets["skills"].changed == "earlier skills"
    assert report.summary == "Wonen is rustig."
    assert report.period_start == TODAY - 100 * DAY
    assert report.life_domain_assessment == trajectory.life_domain_assessments.order_by("-assessed_on").first()
    assert report.igm_profile == trajectory.igm_profiles.get()
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_type="trajectories.progressreport", object_id=str(report.pk)
    ).exists()


def test_a_report_keeps_the_assessment_of_its_writing_time(trajectory, consultant) -> None:
    data = {"summary": "x", "period_start": TODAY - 30 * DAY, "period_end": TODAY, "written_on": TODAY}
    report = write_progress_report(consultant, trajectory, data)
    linked = report.life_domain_assessment
    LifeDomainAssessmentFactory(trajectory=trajectory, assessed_on=TODAY, assessed_by=consultant)
    report.refresh_from_db()
    assert report.life_domain_assessment == linked


def test_a_period_that_ends_before_it_starts_is_refused(trajectory, consultant, login) -> None:
    form = ProgressReportForm(trajectory=trajectory, previous=None)
    data = form_post_data(form, summary="x", period_start=TODAY.isoformat(), period_end=(TODAY - DAY).isoformat())
    response = login(consultant).post(reverse("progress:report_create", kwargs={"pk": trajectory.pk}), data)
    assert response.status_code == 200
    assert "period_end" in response.context["form"].errors
    assert not trajectory.progress_reports.exists()


def test_the_form_shows_life_domain_changes_with_urgent_barriers(trajectory, consultant, login) -> None:
    response = login(consultant).get(reverse("progress:report_create", kwargs={"pk": trajectory.pk}))
    changes = {row.domain: row for row in response.context["draft"].domain_changes}
    assert (changes["housing"].previous, changes["housing"].current) == (1, 3)
    assert (changes["finances"].previous, changes["finances"].current) == (3, 1)
    assert changes["finances"].is_urgent
    assert not changes["housing"].is_urgent
    assert response.content.decode().count('data-testid="urgent-barrier"') == 1


def test_the_service_refuses_a_user_without_access(trajectory, make_user) -> None:
    stranger = make_user(Role.CONSULTANT)
    data = {"summary": "x", "period_start": TODAY, "period_end": TODAY, "written_on": TODAY}
    with pytest.raises(PermissionDenied):
        write_progress_report(stranger, trajectory, data)


# History and report page -----------------------------------------------------------------------------------------


def test_history_lists_reports_newest_first(trajectory, consultant, login) -> None:
    oldest = previous_report(trajectory, written_on=TODAY - 100 * DAY)
    newest = ProgressReportFactory(trajectory=trajectory, written_on=TODAY)
    middle = ProgressReportFactory(trajectory=trajectory, written_on=TODAY - 50 * DAY)
    response = login(consultant).get(reverse("progress:history", kwargs={"pk": trajectory.pk}))
    assert response.context["reports"] == [newest, middle, oldest]
    html = response.content.decode()
    assert html.index(f"report-{newest.pk}") < html.index(f"report-{middle.pk}") < html.index(f"report-{oldest.pk}")


def test_report_page_compares_with_the_previous_reports_assessment(trajectory, consultant, login) -> None:
    previous_report(trajectory)
    data = {"summary": "x", "period_start": TODAY - 99 * DAY, "period_end": TODAY, "written_on": TODAY}
    report = write_progress_report(consultant, trajectory, data)
    response = login(consultant).get(reverse("progress:report_detail", kwargs={"pk": report.pk}))
    content = response.context["content"]
    assert content.baseline == trajectory.life_domain_assessments.order_by("assessed_on").first()
    assert {row.domain: (row.previous, row.current) for row in content.domain_changes}["housing"] == (1, 3)
    assert 'role="img"' in response.content.decode()


# PDF -------------------------------------------------------------------------------------------------------------


def test_report_pdf_is_a_tagged_a4_download_with_the_client_number(trajectory, consultant, login, monkeypatch) -> None:
    captured = captured_pdf_html(monkeypatch)
    report = previous_report(trajectory, summary="Stabiel op wonen.")
    response = login(consultant).get(reverse("progress:report_pdf", kwargs={"pk": report.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = response.content
    assert body.startswith(b"%PDF")
    objects = inflated_pdf(body)
    assert b"/StructTreeRoot" in objects
    assert b"/MediaBox [0 0 595.27" in objects  # A4 in points
    assert b"Noto" in objects
    text = laid_out_text(captured[0])
    assert re.search(rf"(cliëntnummer|client number) {trajectory.client_id}\b", text)
    assert "Stabiel op wonen." in text
    assert "*****" + trajectory.client.bsn[-4:] in text
    assert trajectory.client.bsn not in text


PDFTOTEXT = shutil.which("pdftotext")


def test_report_pdf_text_as_a_pdf_reader_sees_it(trajectory, consultant, login) -> None:
    pdftotext = require_tool(PDFTOTEXT, "poppler-utils")
    report = previous_report(trajectory)
    body = login(consultant).get(reverse("progress:report_pdf", kwargs={"pk": report.pk})).content
    text = subprocess.run([pdftotext, "-", "-"], input=body, capture_output=True, check=True).stdout.decode()
    assert str(trajectory.client_id) in text
    assert re.search(r"(Pagina|Page) 1 (van|of) \d", text)


def test_names_outside_latin_1_use_the_latin_ext_font(trajectory, consultant, login) -> None:
    """A "Ł" once came out as "Â": two font files under one family name confuse WeasyPrint's glyph mapping."""
    trajectory.client.last_name = "Łukaszewicz-Şahin"
    trajectory.client.save()
    report = previous_report(trajectory)
    objects = inflated_pdf(login(consultant).get(reverse("progress:report_pdf", kwargs={"pk": report.pk})).content)
    assert b"Noto-Sans-Ext" in objects
    assert b"DejaVu" not in objects


def test_report_pdf_download_is_on_record_as_a_print(trajectory, consultant, login) -> None:
    report = previous_report(trajectory)
    login(consultant).get(reverse("progress:report_pdf", kwargs={"pk": report.pk}))
    event = AuditEvent.objects.get(action=Action.PRINT)
    assert (event.object_type, event.object_id) == ("trajectories.progressreport", str(report.pk))
    assert event.client_id == trajectory.client_id
    assert event.actor == consultant


def test_pdf_file_name_holds_report_id_and_date_but_no_name(trajectory, consultant, login) -> None:
    report = previous_report(trajectory)
    response = login(consultant).get(reverse("progress:report_pdf", kwargs={"pk": report.pk}))
    disposition = response["Content-Disposition"]
    assert re.fullmatch(rf'attachment; filename="[a-z-]+-{report.pk}-{report.written_on:%Y%m%d}\.pdf"', disposition)
    assert "verhoeven" not in disposition.lower()


def test_pdf_rendering_fetches_only_the_font_files() -> None:
    fetcher = pdf_module.FontFilesOnly()
    with pytest.raises(ValueError, match="may not fetch"):
        fetcher.fetch("http://169.254.169.254/latest/meta-data/")
    with pytest.raises(ValueError, match="may not fetch"):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError, match="unsafe"):
        pdf_module.pdf_response(b"%PDF", "Noor Verhoeven.pdf")


# Case discussion -------------------------------------------------------------------------------------------------


def test_case_discussion_shows_the_stuck_case_on_one_page(trajectory, consultant, login) -> None:
    previous_report(trajectory, summary="Komt niet verder met solliciteren.")
    response = login(consultant).get(reverse("progress:case_discussion", kwargs={"pk": trajectory.pk}))
    html = response.content.decode()
    assert response.context["case"].profile == trajectory.igm_profiles.get()
    assert html.count('data-testid="review-overdue"') == 1
    assert "Komt niet verder met solliciteren." in html
    assert trajectory.future_perspective in html
    assert "<polyline" in html
    assert 'data-testid="score-table"' in html
    assert all(f'data-factor="{factor}"' in html for factor in IgmFactor.values)


def test_case_discussion_pdf_is_tagged_and_on_record_as_a_print(trajectory, consultant, login) -> None:
    response = login(consultant).get(reverse("progress:case_discussion_pdf", kwargs={"pk": trajectory.pk}))
    assert response.content.startswith(b"%PDF")
    assert b"/StructTreeRoot" in inflated_pdf(response.content)
    assert re.fullmatch(
        rf'attachment; filename="[a-z-]+-{trajectory.pk}-\d{{8}}\.pdf"', response["Content-Disposition"]
    )
    event = AuditEvent.objects.get(action=Action.PRINT)
    assert (event.object_type, event.client_id) == ("trajectories.trajectory", trajectory.client_id)


# Access ----------------------------------------------------------------------------------------------------------


def _urls(trajectory: Trajectory, report: ProgressReport) -> list[str]:
    by_trajectory = ["history", "report_create", "case_discussion", "case_discussion_pdf"]
    by_report = ["report_detail", "report_pdf"]
    return [reverse(f"progress:{name}", kwargs={"pk": trajectory.pk}) for name in by_trajectory] + [
        reverse(f"progress:{name}", kwargs={"pk": report.pk}) for name in by_report
    ]


def test_another_consultant_gets_404_everywhere(trajectory, make_user, login) -> None:
    http = login(make_user(Role.CONSULTANT))
    for url in _urls(trajectory, previous_report(trajectory)):
        assert http.get(url).status_code == 404, url
    assert http.post(reverse("progress:report_create", kwargs={"pk": trajectory.pk}), {}).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.PRINT).exists()


@pytest.mark.parametrize("role", [Role.TRAINER, Role.PLANNER, Role.POLICY, Role.PRIVACY_OFFICER])
def test_other_roles_get_403(trajectory, make_user, login, role) -> None:
    http = login(make_user(role))
    for url in _urls(trajectory, previous_report(trajectory)):
        assert http.get(url).status_code == 403, url


def test_team_manager_needs_an_opened_dossier(trajectory, make_user, login) -> None:
    manager = make_user(Role.TEAM_MANAGER)
    report = previous_report(trajectory)
    url = reverse("progress:report_detail", kwargs={"pk": report.pk})
    assert login(manager).get(url).status_code == 404
    factories.AccessGrantFactory(client=trajectory.client, user=manager)
    assert login(manager).get(url).status_code == 200


# Query budgets ---------------------------------------------------------------------------------------------------


def _grow(trajectory: Trajectory, author: Any) -> None:
    """More of everything the pages show: reports with facets, assessments, profiles, goals and instruments."""
    for n in range(3):
        LifeDomainAssessmentFactory(trajectory=trajectory, assessed_on=TODAY - (5 + n) * DAY, assessed_by=author)
        IgmProfileFactory(trajectory=trajectory, assessed_on=TODAY - (5 + n) * DAY, assessed_by=author)
        goal = GoalFactory(trajectory=trajectory)
        GoalFactory(trajectory=trajectory, parent=goal)
        InstrumentFactory(trajectory=trajectory, goal=goal, review_on=TODAY - DAY, status=InstrumentStatus.ACTIVE)
        previous_report(trajectory, written_on=TODAY - (20 + n) * DAY)


@pytest.mark.parametrize(
    ("name", "by_report", "budget"),
    [
        ("history", False, 11),
        ("report_create", False, 16),
        ("report_detail", True, 18),
        ("report_pdf", True, 19),
        ("case_discussion", False, 17),
        ("case_discussion_pdf", False, 20),
    ],
)
def test_pages_have_a_fixed_query_count(trajectory, consultant, login, name, by_report, budget) -> None:
    report = previous_report(trajectory)
    url = reverse(f"progress:{name}", kwargs={"pk": report.pk if by_report else trajectory.pk})
    http: HttpClient = login(consultant)
    assert_query_budget(http, url, budget, lambda: _grow(trajectory, consultant))


def test_a_new_report_never_starts_after_today() -> None:
    """After a report that ended today, the pre-filled period of the next one must still be valid (start ≤ end)."""
    today = timezone.localdate()
    ended_today: ProgressReport = ProgressReportFactory(period_end=today)
    assert default_period_start(ended_today.trajectory, ended_today) == today
    ended_last_week: ProgressReport = ProgressReportFactory(period_end=today - datetime.timedelta(days=7))
    assert default_period_start(ended_last_week.trajectory, ended_last_week) == today - datetime.timedelta(days=6)
