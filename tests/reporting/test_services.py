"""Asking for an export, making it in the background (progress, language, failure) and pruning old ones."""

import datetime
import logging
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.reporting import services
from koers.reporting.models import ExportStatus, ReportExport
from koers.reporting.report import Period, Report
from tests import factories
from tests.reporting import test_views
from tests.reporting.test_views import PERIOD_QUERY, make_export, sample_report

pytestmark = pytest.mark.django_db

built = test_views.built  # the fixture: the report functions answer the sample report


@pytest.fixture
def policy(make_user):
    return make_user(Role.POLICY)


def test_requesting_an_export_stores_it_with_the_page_language_and_logs_it(policy, municipality, monkeypatch) -> None:
    queued: list[tuple[Any, tuple[Any, ...]]] = []
    monkeypatch.setattr(services, "enqueue", lambda task, *args: queued.append((task, args)))
    parameters = {"municipality": municipality.pk, **PERIOD_QUERY}
    with translation.override("en"):
        export = services.request_export(policy, "financier", "xlsx", parameters)
    export.refresh_from_db()
    assert (export.status, export.requested_by, export.organisation_id) == (
        ExportStatus.QUEUED,
        policy,
        policy.organisation_id,
    )
    assert export.parameters == {**parameters, "language": "en"}
    assert export.title == "Financier report, Lekkerwaard, 01-01-2026 to 30-06-2026"
    assert [(task.name, args) for task, args in queued] == [("make_export", (export.pk,))]
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert (event.actor, event.object_type, event.object_id) == (policy, "reporting.reportexport", str(export.pk))
    assert (
        event.reason == "report export requested: financier (xlsx), municipality Lekkerwaard, 2026-01-01 to 2026-06-30"
    )


def test_the_export_reports_each_step_and_ends_done(policy, monkeypatch) -> None:
    export = make_export(policy)
    seen: list[tuple[str, int, int, str]] = []

    def management(organisation_id: int, period: Period, progress: Any) -> Report:
        for done, label in enumerate(["Caseload", "Waiting lists", "Rooms"]):
            progress(done, 3, label)
            row = ReportExport.objects.values_list("status", "steps_done", "steps_total", "step_label").get()
            seen.append(row)
        return sample_report("management", period)

    monkeypatch.setattr("koers.reporting.selectors.management_report", management)
    services.run_export(export.pk)
    assert seen == [
        (ExportStatus.RUNNING, 0, 4, "Caseload"),
        (ExportStatus.RUNNING, 1, 4, "Waiting lists"),
        (ExportStatus.RUNNING, 2, 4, "Rooms"),
    ]
    export.refresh_from_db()
    assert (export.status, export.steps_done, export.steps_total) == (ExportStatus.DONE, 4, 4)
    assert bytes(export.content or b"").startswith("\ufeffsection;table;row;column;value".encode())
    assert export.size == len(export.content or b"")
    assert (export.content_type, export.filename) == (
        "text/csv; charset=utf-8",
        "management-report-lekkerwaard-1-1-2026-to-30-6-2026.csv",
    )
    assert export.started_at is not None
    assert export.finished_at is not None


def test_each_step_beats_the_heartbeat(policy, monkeypatch) -> None:
    export = make_export(policy)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    ReportExport.objects.filter(pk=export.pk).update(updated_at=long_ago)
    beats: list[datetime.datetime] = []

    def management(organisation_id: int, period: Period, progress: Any) -> Report:
        progress(0, 1, "Caseload")
        beats.append(ReportExport.objects.values_list("updated_at", flat=True).get())
        return sample_report("management", period)

    monkeypatch.setattr("koers.reporting.selectors.management_report", management)
    services.run_export(export.pk)
    assert beats[0] > long_ago + datetime.timedelta(minutes=59)


def test_the_export_is_made_in_the_language_of_the_request(policy, monkeypatch) -> None:
    export = make_export(policy, parameters={**PERIOD_QUERY, "language": "en"})
    languages: list[str | None] = []

    def management(organisation_id: int, period: Period, progress: Any) -> Report:
        languages.append(translation.get_language())
        return sample_report("management", period)

    monkeypatch.setattr("koers.reporting.selectors.management_report", management)
    with translation.override("nl"):
        services.run_export(export.pk)
        assert translation.get_language() == "nl"
    assert languages == ["en"]


def test_a_failing_export_ends_failed_with_a_message_but_no_trace(policy, monkeypatch, caplog) -> None:
    export = make_export(policy, parameters={**PERIOD_QUERY, "language": "en"})

    def management(organisation_id: int, period: Period, progress: Any) -> Report:
        progress(0, 2, "Caseload")
        raise ZeroDivisionError("secret internals")

    monkeypatch.setattr("koers.reporting.selectors.management_report", management)
    with caplog.at_level(logging.ERROR, logger="koers.reporting.services"):
        services.run_export(export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert export.error == "The export could not be made because of an error on our side. Try again in a moment."
    assert export.finished_at is not None
    assert export.content is None
    assert "ZeroDivisionError" in caplog.text  # in the log, with its trace, for the maintainers


def test_an_export_that_is_not_queued_is_left_alone(policy, built) -> None:
    export = make_export(policy, status=ExportStatus.DONE, content=b"kept", size=4)
    services.run_export(export.pk)
    export.refresh_from_db()
    assert (export.status, bytes(export.content or b"")) == (ExportStatus.DONE, b"kept")
    assert built == []


def test_exports_older_than_seven_days_are_pruned(policy) -> None:
    now = timezone.now()
    _fresh, edge, old = (make_export(policy, title=title) for title in ("fresh", "edge", "old"))
    ReportExport.objects.filter(pk=edge.pk).update(
        created_at=now - datetime.timedelta(days=7) + datetime.timedelta(minutes=1)
    )
    ReportExport.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(days=7, minutes=1))
    assert services.prune_exports(now) == 1
    assert sorted(ReportExport.objects.values_list("title", flat=True)) == ["edge", "fresh"]


def test_the_prune_command_says_how_many_it_deleted(policy) -> None:
    old = make_export(policy)
    ReportExport.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    out = StringIO()
    call_command("prune_report_exports", stdout=out)
    assert out.getvalue() == "1 report export(s) deleted.\n"
    assert not ReportExport.objects.exists()


def test_requesting_an_export_deletes_the_organisations_old_exports_in_one_statement(
    policy, make_user, monkeypatch
) -> None:
    monkeypatch.setattr(services, "enqueue", lambda task, *args: None)
    long_ago = timezone.now() - datetime.timedelta(days=7, minutes=1)
    colleague = make_user(Role.TEAM_MANAGER)
    elsewhere = factories.OrganisationFactory(name="Ander Werkbedrijf")
    outsider = factories.UserFactory(organisation=elsewhere, roles=[Role.POLICY])
    old_own, old_colleague, old_elsewhere = (make_export(user, title="old") for user in (policy, colleague, outsider))
    recent = make_export(policy, title="recent")
    ReportExport.objects.filter(pk__in=[old_own.pk, old_colleague.pk, old_elsewhere.pk]).update(created_at=long_ago)
    with CaptureQueriesContext(connection) as queries:
        new = services.request_export(policy, "management", "csv", dict(PERIOD_QUERY))
    # The organisation's two old exports go, whoever asked for them; another organisation's wait for the prune
    # command; the recent one and the new one stay.
    assert set(ReportExport.objects.values_list("pk", flat=True)) == {old_elsewhere.pk, recent.pk, new.pk}
    touching_exports = [q["sql"] for q in queries.captured_queries if "reporting_reportexport" in q["sql"]]
    assert [sql.split()[0] for sql in touching_exports] == ["DELETE", "INSERT"]
