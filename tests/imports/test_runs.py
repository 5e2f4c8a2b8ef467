"""Whole imports: idempotent by BSN, row-by-row rejection, audit events, transactions, XLSX."""

import datetime
import io

import openpyxl
import pytest

from koers.audit.models import Action, AuditEvent
from koers.clients.models import Client, ClientTransfer
from koers.imports import services
from koers.imports.models import ClientImport, FileProblem, ImportFile, ImportStatus, RejectionReason
from koers.imports.services import ImportBusyError, create_import, run_import
from tests import factories
from tests.imports.files import HEADER, bsn, csv_bytes, row

pytestmark = pytest.mark.django_db


def counts(job: ClientImport) -> tuple[int, int, int, int]:
    return job.created_count, job.updated_count, job.unchanged_count, job.rejected_count


def test_first_import_creates_every_valid_client_with_an_audit_event(do_import, municipality, consultant) -> None:
    job = do_import(csv_bytes([row(n) for n in range(1, 6)]))
    assert job.status == ImportStatus.DONE
    assert (job.total_rows, job.processed_rows) == (5, 5)
    assert counts(job) == (5, 0, 0, 0)
    client = Client.objects.get(bsn=bsn(3))
    assert (client.version, client.municipality, client.consultant) == (1, municipality, consultant)
    assert client.postal_code == "4231 AB"
    assert client.availability == ["mon_morning", "tue_afternoon"]
    assert client.language_level == "B1"
    events = AuditEvent.objects.filter(action=Action.CREATE, object_type="clients.client")
    assert events.count() == 5
    event = events.get(client_id=client.pk)
    assert event.reason == f"client import #{job.pk}"
    assert event.actor == job.uploaded_by
    assert not ImportFile.objects.filter(pk=job.pk).exists(), "the uploaded file is dropped once processed"


def test_running_the_same_file_again_changes_nothing(do_import, municipality, consultant) -> None:
    content = csv_bytes([row(n) for n in range(1, 6)])
    do_import(content)
    before = list(Client.objects.order_by("pk").values("pk", "version", "updated_at"))
    events_before = AuditEvent.objects.filter(object_type="clients.client").count()
    again = do_import(content)
    assert counts(again) == (0, 0, 5, 0)
    assert list(Client.objects.order_by("pk").values("pk", "version", "updated_at")) == before
    assert AuditEvent.objects.filter(object_type="clients.client").count() == events_before


def test_one_changed_cell_updates_that_client_only_and_bumps_its_version(do_import, municipality, consultant) -> None:
    do_import(csv_bytes([row(n) for n in range(1, 4)]))
    job = do_import(csv_bytes([row(1), row(2, postcode="1011ab", woonplaats="Amsterdam"), row(3)]))
    assert counts(job) == (0, 1, 2, 0)
    changed = Client.objects.get(bsn=bsn(2))
    assert (changed.version, changed.postal_code, changed.city) == (2, "1011 AB", "Amsterdam")
    assert Client.objects.get(bsn=bsn(1)).version == 1
    event = AuditEvent.objects.get(action=Action.UPDATE, client_id=changed.pk)
    assert event.reason == f"client import #{job.pk}; changed: postal_code, city"
    assert "Amsterdam" not in event.reason, "field names, never values"


def test_existing_client_from_the_registry_is_matched_by_bsn(do_import, municipality, consultant) -> None:
    existing = factories.ClientFactory(
        organisation=municipality.organisation,
        municipality=municipality,
        bsn=bsn(1),
        first_name="Sanne",
        last_name="Achternaam1",
        email="oud@example.org",
    )
    other_org = factories.ClientFactory(
        organisation=factories.OrganisationFactory(name="Ander"), bsn=bsn(2), first_name="Ander"
    )
    job = do_import(csv_bytes([row(1), row(2)]))
    assert counts(job) == (1, 1, 0, 0)
    existing.refresh_from_db()
    assert existing.email == "client1@example.org"
    assert existing.version == 2
    assert Client.objects.filter(bsn=bsn(2)).count() == 2, "another organisation's client is never touched"
    other_org.refresh_from_db()
    assert other_org.first_name == "Ander"


def test_empty_cells_leave_existing_data_alone(do_import, municipality, consultant) -> None:
    do_import(csv_bytes([row(1)]))
    partial = csv_bytes(
        [[bsn(1), "Sanne", "Achternaam1", "Lekkerwaard"]], header=["bsn", "voornaam", "achternaam", "gemeente"]
    )
    job = do_import(partial)
    assert counts(job) == (0, 0, 1, 0)
    blanks = csv_bytes([row(1, email="", telefoon="", klantmanager="", beschikbaarheid="")])
    assert counts(do_import(blanks)) == (0, 0, 1, 0)
    client = Client.objects.get(bsn=bsn(1))
    assert client.email == "client1@example.org"
    assert client.consultant == consultant


def test_a_new_consultant_moves_the_client_with_a_transfer_record(
    do_import, municipality, consultant, make_user
) -> None:
    from koers.accounts.roles import Role

    do_import(csv_bytes([row(1)]))
    colleague = make_user(Role.CONSULTANT, username="p.pietersen")
    job = do_import(csv_bytes([row(1, klantmanager="p.pietersen")]))
    client = Client.objects.get(bsn=bsn(1))
    assert client.consultant == colleague
    transfer = ClientTransfer.objects.get(client=client)
    assert (transfer.from_consultant, transfer.to_consultant) == (consultant, colleague)
    assert transfer.reason == f"client import #{job.pk}"


def test_bad_rows_are_rejected_with_reasons_and_good_rows_still_imported(do_import, municipality, consultant) -> None:
    job = do_import(
        csv_bytes([row(1), row(2, bsn="123456789"), row(3, geboortedatum="31-02-1990", gemeente="Atlantis"), row(4)])
    )
    assert counts(job) == (2, 0, 0, 2)
    reasons = list(job.rejections.values_list("row_number", "masked_bsn", "column", "code"))
    assert reasons == [
        (3, "*****6789", "bsn", RejectionReason.BSN_CHECKSUM),
        (4, f"*****{bsn(3)[-4:]}", "geboortedatum", RejectionReason.DATE_FORMAT),
        (4, f"*****{bsn(3)[-4:]}", "gemeente", RejectionReason.MUNICIPALITY),
    ]
    assert set(Client.objects.values_list("bsn", flat=True)) == {bsn(1), bsn(4)}


def test_a_duplicate_bsn_in_the_file_rejects_the_later_row(do_import, municipality, consultant) -> None:
    job = do_import(csv_bytes([row(1), row(2), row(1, voornaam="Tweede")]))
    assert counts(job) == (2, 0, 0, 1)
    rejection = job.rejections.get()
    assert (rejection.row_number, rejection.code, rejection.number) == (4, RejectionReason.BSN_DUPLICATE, 2)
    assert "row 2" in rejection.reason or "rij 2" in rejection.reason
    assert Client.objects.get(bsn=bsn(1)).first_name == "Sanne"


def test_unknown_columns_refuse_the_file_and_import_nothing(do_import, municipality, consultant) -> None:
    job = do_import(csv_bytes([[*row(1), "x"]], header=[*HEADER, "diagnose"]))
    assert job.status == ImportStatus.FAILED
    assert job.error_code == FileProblem.UNKNOWN_COLUMNS
    assert "'diagnose'" in job.error_message
    assert not Client.objects.exists()
    assert not ImportFile.objects.filter(pk=job.pk).exists()


def test_missing_required_columns_are_listed(do_import, municipality) -> None:
    job = do_import(csv_bytes([[bsn(1), "x"]], header=["bsn", "email"]))
    assert job.error_code == FileProblem.MISSING_COLUMNS
    assert job.error_detail == "'voornaam', 'achternaam', 'gemeente'"


def test_xlsx_round_trip_with_number_and_date_cells(do_import, municipality, consultant) -> None:
    from stdnum.nl import bsn as bsn_number

    leading_zero = next(f"0{n:08d}" for n in range(10_000_000, 10_001_000) if bsn_number.is_valid(f"0{n:08d}"))
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["BSN", "Voornaam", "Achternaam", "Geboortedatum", "Gemeente", "Telefoon", "Postcode"])
    sheet.append(
        [int(leading_zero), "Olena", "Kovalenko", datetime.datetime(1995, 7, 30), "GM9901", 612345678, "1234ab"]
    )
    sheet.append([int(bsn(2)), "Jan", "de Vries", "02-11-1969", "Lekkerwaard", None, None])
    sheet.append([123456789, "Fout", "Nummer", None, "Lekkerwaard", None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = do_import(buffer.getvalue(), "xlsx")
    assert counts(job) == (2, 0, 0, 1)
    client = Client.objects.get(bsn=leading_zero)
    assert client.date_of_birth == datetime.date(1995, 7, 30)
    assert client.phone == "0612345678"
    assert client.postal_code == "1234 AB"
    assert job.rejections.get().row_number == 4
    assert counts(do_import(buffer.getvalue(), "xlsx")) == (0, 0, 2, 1)


def test_a_failing_batch_leaves_nothing_half_and_earlier_batches_stay(
    do_import, municipality, consultant, monkeypatch
) -> None:
    monkeypatch.setattr(services, "BATCH_ROWS", 3)
    original = services._write_batch
    calls = {"n": 0}

    def fail_second(job, results):
        calls["n"] += 1
        if calls["n"] == 2:
            original(job, results[:1])  # writes part of the batch, then fails inside the same transaction
            raise RuntimeError("disk full")
        return original(job, results)

    monkeypatch.setattr(services, "_write_batch", lambda job, results: _in_one_transaction(fail_second, job, results))
    content = csv_bytes([row(n) for n in range(1, 8)])
    job = do_import(content)
    assert job.status == ImportStatus.FAILED
    assert job.error_code == FileProblem.INTERRUPTED
    assert job.error_detail == "3"
    assert (job.processed_rows, job.created_count) == (3, 3)
    assert set(Client.objects.values_list("bsn", flat=True)) == {bsn(1), bsn(2), bsn(3)}
    assert AuditEvent.objects.filter(object_type="clients.client").count() == 3

    monkeypatch.setattr(services, "_write_batch", original)
    finished = do_import(content)
    assert counts(finished) == (4, 0, 3, 0), "importing the same file again finishes the job"


def _in_one_transaction(write, job, results):
    from django.db import transaction

    with transaction.atomic():
        return write(job, results)


def test_a_collision_with_a_concurrent_registration_is_retried_as_an_update(
    do_import, municipality, consultant, monkeypatch
) -> None:
    original = services._write_batch
    calls = {"n": 0}

    def register_meanwhile(job, results):
        calls["n"] += 1
        if calls["n"] == 1:  # a consultant registers the same BSN between our read and our insert
            factories.ClientFactory(
                organisation=municipality.organisation, municipality=municipality, bsn=bsn(2), first_name="Eerder"
            )
        return original(job, results)

    monkeypatch.setattr(services, "_write_batch", register_meanwhile)
    monkeypatch.setattr(
        services.Client.objects,
        "select_for_update",
        lambda: _skip_first_read(calls, original_manager=services.Client._default_manager),
    )
    job = do_import(csv_bytes([row(1), row(2)]))
    assert job.status == ImportStatus.DONE
    assert counts(job) == (1, 1, 0, 0)
    assert Client.objects.get(bsn=bsn(2)).first_name == "Sanne"


def _skip_first_read(calls, original_manager):
    """On the first attempt the read misses the concurrent registration, as it would have in real life."""
    queryset = original_manager.all()
    return queryset.none() if calls["n"] == 1 else queryset


def test_another_running_import_blocks_a_new_upload(administrator, municipality) -> None:
    create_import(administrator, file_name="a.csv", content=csv_bytes([row(1)]), file_format="csv")
    with pytest.raises(ImportBusyError):
        create_import(administrator, file_name="b.csv", content=csv_bytes([row(1)]), file_format="csv")


def test_an_import_without_sign_of_life_is_closed_by_the_next_upload(administrator, municipality, time_machine) -> None:
    stale = create_import(administrator, file_name="a.csv", content=csv_bytes([row(1)]), file_format="csv")
    time_machine.move_to(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(minutes=11))
    stale.refresh_from_db()
    assert stale.is_stale
    fresh = create_import(administrator, file_name="b.csv", content=csv_bytes([row(1)]), file_format="csv")
    stale.refresh_from_db()
    assert (stale.status, stale.error_code) == (ImportStatus.FAILED, FileProblem.INTERRUPTED)
    assert not ImportFile.objects.filter(pk=stale.pk).exists()
    assert fresh.status == ImportStatus.QUEUED


def test_running_an_import_twice_does_nothing_the_second_time(administrator, municipality, consultant) -> None:
    job = create_import(administrator, file_name="a.csv", content=csv_bytes([row(1)]), file_format="csv")
    run_import(job.pk)
    run_import(job.pk)
    job.refresh_from_db()
    assert counts(job) == (1, 0, 0, 0)


def test_the_upload_itself_is_in_the_audit_trail(administrator, municipality) -> None:
    job = create_import(administrator, file_name="a.csv", content=csv_bytes([row(1)]), file_format="csv")
    event = AuditEvent.objects.get(object_type="imports.clientimport", object_id=str(job.pk))
    assert (event.action, event.actor) == (Action.CREATE, administrator)
