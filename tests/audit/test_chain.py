"""Both logs are append-only in the database and form hash chains that show any change or unsanctioned removal."""

from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from koers.accounts.roles import Role
from koers.audit import chain, sealer
from koers.audit.models import Action, AuditEvent, ChainCheckpoint, ProcessingLogEntry, RetentionGate
from koers.audit.retention import deletion_allowed
from koers.audit.services import record_event
from tests import factories

pytestmark = pytest.mark.django_db


def _events(n: int, client_id: int | None = None) -> list[AuditEvent]:
    return [
        record_event(None, Action.READ, object_type="clients.client", object_id=str(i), client_id=client_id, reason="r")
        for i in range(n)
    ]


def _broken(table: str) -> int | None:
    return {report.table: report.first_broken for report in chain.verify()}[table]


def _drop_triggers(table: str) -> None:
    """What someone with the database owner's rights can do; the chain must still show the change."""
    _check_deferred_constraints_now()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:
            cursor.execute(f"DROP TRIGGER {table}_append_only_update")
            cursor.execute(f"DROP TRIGGER {table}_append_only_delete")


def _check_deferred_constraints_now() -> None:
    """PostgreSQL refuses to alter or truncate a table with deferred foreign-key checks pending in the transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_seal_links_rows_in_order_and_verify_accepts_them() -> None:
    events = _events(3, client_id=5)
    chain.seal()
    sealed = list(AuditEvent.objects.order_by("chain_seq"))
    assert [e.chain_seq for e in sealed] == [1, 2, 3]
    assert [e.pk for e in sealed] == [e.pk for e in events]
    assert sealed[0].prev_hash == ""
    assert sealed[1].prev_hash == sealed[0].entry_hash
    assert list(ProcessingLogEntry.objects.values_list("chain_seq", flat=True).order_by("chain_seq")) == [1, 2, 3]
    assert [(r.table, r.sealed, r.first_broken) for r in chain.verify()] == [
        ("audit_auditevent", 3, None),
        ("audit_processinglogentry", 3, None),
    ]


def test_a_later_seal_continues_the_chain() -> None:
    _events(2)
    chain.seal()
    _events(2)
    chain.seal()
    assert list(AuditEvent.objects.values_list("chain_seq", flat=True).order_by("chain_seq")) == [1, 2, 3, 4]
    assert _broken("audit_auditevent") is None


def test_a_backlog_is_sealed_in_bounded_steps_oldest_first() -> None:
    events = _events(5)
    assert chain.seal(limit=2) == 2
    assert set(AuditEvent.objects.exclude(chain_seq=None).values_list("pk", flat=True)) == {e.pk for e in events[:2]}
    chain.seal_all()
    assert list(AuditEvent.objects.order_by("chain_seq").values_list("pk", flat=True)) == [e.pk for e in events]
    assert _broken("audit_auditevent") is None


def test_a_request_only_inserts_its_log_rows_and_the_sealer_chains_them(make_user, municipality, login) -> None:
    consultant = make_user(Role.CONSULTANT)
    client = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=consultant
    )
    http = login(consultant)
    http.get(reverse("clients:detail", args=[client.pk]))
    read = AuditEvent.objects.get(action=Action.READ, object_id=str(client.pk), reason="client detail")
    assert read.entry_hash == ""
    assert ProcessingLogEntry.objects.filter(trace_id=read.request_id, entry_hash="").count() == 1
    call_command("seal_logs")
    assert not AuditEvent.objects.filter(entry_hash="").exists()
    assert not ProcessingLogEntry.objects.filter(entry_hash="").exists()
    assert [report.first_broken for report in chain.verify()] == [None, None]


class _TwoRounds:
    """Stands in for the stop event: set after two waits, and records how long each wait was."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def is_set(self) -> bool:
        return len(self.waits) >= 2

    def wait(self, seconds: float) -> None:
        self.waits.append(seconds)


def test_the_sealer_seals_each_round_until_stopped_then_closes_its_connections() -> None:
    events = _events(3)
    stop = _TwoRounds()
    with (
        mock.patch.object(sealer, "seal_all", wraps=chain.seal_all) as sealing,
        mock.patch.object(sealer.connections, "close_all") as close_all,
    ):
        sealer.seal_every(7.5, stop)  # type: ignore[arg-type]
    assert sealing.call_count == 2
    assert stop.waits == [7.5, 7.5]
    close_all.assert_called_once()
    assert AuditEvent.objects.get(pk=events[-1].pk).chain_seq == 3


def test_a_failed_round_is_logged_and_left_for_the_next(caplog) -> None:
    with mock.patch.object(sealer, "seal_all", side_effect=DatabaseError("away")):
        sealer.seal_now()
    assert "sealing the log chains failed" in caplog.text


@pytest.mark.parametrize("model", [AuditEvent, ProcessingLogEntry])
def test_orm_cannot_change_or_delete_a_sealed_row(model) -> None:
    _events(1, client_id=5)
    chain.seal()
    row = model.objects.get()
    field = "reason" if model is AuditEvent else "name"
    with pytest.raises(DatabaseError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{field: "something else"})
    with pytest.raises(DatabaseError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(entry_hash="0" * 64)
    with pytest.raises(DatabaseError), transaction.atomic():
        model.objects.filter(pk=row.pk).delete()
    assert model.objects.filter(pk=row.pk, entry_hash=row.entry_hash).exists()


def test_orm_cannot_change_the_content_of_an_unsealed_row() -> None:
    (event,) = _events(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="nothing happened")


def test_the_link_to_a_deleted_account_may_be_cleared_and_the_chain_holds(make_user) -> None:
    event = record_event(make_user(), Action.LOGIN)
    chain.seal()
    AuditEvent.objects.filter(pk=event.pk).update(actor=None)
    assert AuditEvent.objects.get(pk=event.pk).actor_username
    assert _broken("audit_auditevent") is None


def test_verify_logs_names_a_changed_row_and_records_a_security_event(capsys) -> None:
    _events(4)
    call_command("verify_logs")
    capsys.readouterr()
    _drop_triggers("audit_auditevent")
    third = AuditEvent.objects.get(chain_seq=3)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET reason = 'edited' WHERE id = %s", [third.pk])
    with pytest.raises(CommandError) as raised:
        call_command("verify_logs")
    assert raised.value.returncode == 1
    out = capsys.readouterr().out
    assert "audit_auditevent" in out
    assert " 3." in out
    alarm = AuditEvent.objects.get(action=Action.INTEGRITY)
    assert (alarm.object_type, alarm.object_id) == ("audit_auditevent", "3")


def test_verify_finds_a_row_removed_outside_the_retention_gate() -> None:
    _events(4, client_id=9)
    chain.seal()
    _drop_triggers("audit_processinglogentry")
    ProcessingLogEntry.objects.filter(chain_seq=2).delete()
    assert _broken("audit_processinglogentry") == 3
    assert _broken("audit_auditevent") is None


def test_retention_deletes_the_oldest_rows_and_the_chain_still_verifies() -> None:
    _events(5, client_id=3)
    chain.seal()
    with deletion_allowed():
        AuditEvent.objects.filter(chain_seq__lte=2).delete()
        AuditEvent.objects.filter(chain_seq=4).delete()
    assert not RetentionGate.objects.exists()
    assert set(ChainCheckpoint.objects.values_list("seq", flat=True)) == {2, 4}
    assert list(AuditEvent.objects.values_list("chain_seq", flat=True).order_by("chain_seq")) == [3, 5]
    call_command("verify_logs")
    assert not AuditEvent.objects.filter(action=Action.INTEGRITY).exists()


def test_after_the_newest_rows_are_deleted_the_chain_continues_from_the_checkpoint() -> None:
    _events(3)
    chain.seal()
    with deletion_allowed():
        AuditEvent.objects.filter(chain_seq=3).delete()
    _events(1)
    chain.seal()
    assert AuditEvent.objects.order_by("-chain_seq").first().chain_seq == 4
    assert _broken("audit_auditevent") is None


def test_checkpoints_cannot_be_written_outside_the_gate() -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        ChainCheckpoint.objects.create(table_name="audit_auditevent", seq=1, entry_hash="0" * 64)


def test_flush_still_empties_the_database() -> None:
    _events(2)
    chain.seal()
    _check_deferred_constraints_now()
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    assert not AuditEvent.objects.exists()
    assert not ChainCheckpoint.objects.exists()
    assert not RetentionGate.objects.exists()
