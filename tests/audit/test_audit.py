import pytest
from django.utils import translation

from koers.audit import context
from koers.audit.models import Action, AuditEvent, ProcessingLogEntry
from koers.audit.reasons import reason_label
from koers.audit.services import record_client_reads, record_event
from tests import factories

pytestmark = pytest.mark.django_db


def test_events_carry_the_request_trace_id_and_address() -> None:
    token = context.activate(ip_address="192.0.2.10", request_id="abc123")
    try:
        event = record_event(None, Action.EXPORT, object_type="report", object_id="7")
    finally:
        context.deactivate(token)
    assert (event.request_id, event.ip_address) == ("abc123", "192.0.2.10")


def test_list_reads_are_two_queries_for_any_number_of_clients(django_assert_num_queries, make_user) -> None:
    user = make_user()
    clients = factories.ClientFactory.create_batch(30)
    with django_assert_num_queries(2):
        record_client_reads(user, clients, reason="client list")
    assert AuditEvent.objects.filter(action=Action.READ).count() == 30
    assert ProcessingLogEntry.objects.count() == 30


def test_fixed_reasons_are_translated_and_free_text_is_kept() -> None:
    with translation.override("nl"):
        assert reason_label("client detail") == "cliëntdossier"
        assert reason_label("dossier opened: klacht van cliënt") == "dossier geopend: klacht van cliënt"
        assert reason_label("iets anders") == "iets anders"


def test_report_reasons_are_labelled_with_their_subject_kept() -> None:
    with translation.override("en"):
        assert (
            reason_label(
                "report export downloaded: financier (xlsx), municipality Lekkerwaard, 2026-01-01 to 2026-06-30"
            )
            == "report export downloaded: financier report (XLSX), Lekkerwaard, 2026-01-01 – 2026-06-30"
        )
        assert reason_label("report viewed: management, 2026-01-01 to 2026-06-30") == (
            "report viewed: management report, 2026-01-01 – 2026-06-30"
        )
        # Something that only looks like it is free text, shown as written.
        assert reason_label("report viewed: budget, 2026") == "report viewed: budget, 2026"
