"""Running a client import: every row validated, valid rows written in batches, each batch one transaction.

A batch writes its new and changed clients, their audit events, caseload transfers, its rejected rows and the
progress counters together, or nothing of it. Batches already committed stay when a later one fails; the import
is then marked failed with the number of rows done, and importing the same file again finishes it (matching by
BSN makes rows already imported come out unchanged). See docs/decisions/0006-client-import.md.
"""

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone

from koers.accounts.models import Organisation
from koers.audit import context
from koers.audit.models import Action, AuditEvent
from koers.audit.services import record_event, record_events
from koers.clients.models import Client, ClientTransfer
from koers.imports.models import (
    STALE_AFTER,
    ClientImport,
    FileFormat,
    FileProblem,
    ImportFile,
    ImportRejection,
    ImportStatus,
    RejectionReason,
)
from koers.imports.reading import FileRefusedError, map_header, read_table
from koers.imports.validation import Lookups, Problem, RowResult, RowValidator

logger = logging.getLogger(__name__)

# Client attributes an import may set; everything else of a dossier it never touches.
IMPORTED_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "municipality_id",
    "consultant_id",
    "email",
    "phone",
    "street",
    "postal_code",
    "city",
    "language_level",
    "availability",
)
BATCH_ROWS = 2_000  # rows per transaction: short enough not to hold SQLite's write lock for long
WRITE_CHUNK = 500  # rows per INSERT/UPDATE statement (Django splits further where SQLite needs it)
ATTEMPTS = 4  # tries of one write when the database is busy or a batch collides with a concurrent registration
RETRY_PAUSE = 0.25  # seconds, times the attempt number

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_ROWS = 100_000


def max_bytes() -> int:
    return int(getattr(settings, "KOERS_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_rows() -> int:
    return int(getattr(settings, "KOERS_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


_ACTIVE = (ImportStatus.QUEUED, ImportStatus.RUNNING)


class ImportBusyError(Exception):
    """Another import of the same organisation is still running; two at once could collide on the same BSNs."""


def _field_name(attname: str) -> str:
    return attname.removesuffix("_id")


def create_import(user: Any, *, file_name: str, content: bytes, file_format: str) -> ClientImport:
    """Store an upload as a queued import, with its audit event; the view then queues ``tasks.run_import_task``."""
    organisation_id = user.organisation_id
    ctx = context.current()
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation_id).first()  # one upload at a time
        _fail_stale_imports(organisation_id)
        if ClientImport.objects.filter(organisation_id=organisation_id, status__in=_ACTIVE).exists():
            raise ImportBusyError
        job = ClientImport.objects.create(
            organisation_id=organisation_id,
            uploaded_by=user,
            file_name=file_name[:255],
            file_format=file_format,
            file_size=len(content),
            request_id=ctx.request_id if ctx else "",
            ip_address=ctx.ip_address if ctx else None,
        )
        ImportFile.objects.create(client_import=job, content=content)
        record_event(user, Action.CREATE, job, reason=f"client import #{job.pk} uploaded ({file_format})")
    return job


def _fail_stale_imports(organisation_id: int) -> None:
    """Imports whose process went away (a restart) are closed, so that they do not block new uploads forever."""
    cutoff = timezone.now() - STALE_AFTER
    stale = ClientImport.objects.filter(organisation_id=organisation_id, status__in=_ACTIVE).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )
    for job in stale.only("pk", "processed_rows"):
        _finish(job.pk, ImportStatus.FAILED, FileProblem.INTERRUPTED, str(job.processed_rows))


def run_import(import_id: int) -> None:
    """Process one queued import from start to end. Plain and synchronous: a task worker runs it.

    Safe to call twice: only the call that moves the import from queued to running does the work.
    """
    now = timezone.now()
    claimed = _retrying(
        lambda: ClientImport.objects.filter(pk=import_id, status=ImportStatus.QUEUED).update(
            status=ImportStatus.RUNNING, started_at=now, heartbeat_at=now
        )
    )
    if not claimed:
        return  # already run, running elsewhere, or gone
    try:
        _process(ClientImport.objects.select_related("uploaded_by").get(pk=import_id))
    except Exception as error:
        # The message is left out on purpose: a database error can quote a BSN.
        logger.error("client import #%s stopped: %s", import_id, type(error).__name__)
        logger.debug("client import #%s stopped", import_id, exc_info=True)
        done = ClientImport.objects.filter(pk=import_id).values_list("processed_rows", flat=True).first() or 0
        _retrying(partial(_finish, import_id, ImportStatus.FAILED, FileProblem.INTERRUPTED, str(done)))


def _process(job: ClientImport) -> None:
    content = ImportFile.objects.filter(pk=job.pk).values_list("content", flat=True).first()
    try:
        if content is None:
            raise FileRefusedError(FileProblem.UNREADABLE)
        table = read_table(bytes(content), job.file_format or FileFormat.CSV, max_rows())
        mapping = map_header(table.header)
    except FileRefusedError as refused:
        _retrying(partial(_finish, job.pk, ImportStatus.FAILED, refused.code, refused.detail))
        logger.info("client import #%s refused: %s", job.pk, refused.code)
        return
    del content
    _retrying(
        lambda: ClientImport.objects.filter(pk=job.pk).update(total_rows=len(table.rows), heartbeat_at=timezone.now())
    )
    validator = RowValidator(table.header, mapping, Lookups.for_organisation(job.organisation_id))
    first_rows: dict[str, int] = {}
    for batch in _chunks(table.rows, BATCH_ROWS):
        results = [validator.validate(number, cells) for number, cells in batch]
        _mark_duplicates(results, first_rows)
        _retrying(partial(_write_batch, job, results), also=(IntegrityError, ConcurrentChangeError))
    _retrying(partial(_finish, job.pk, ImportStatus.DONE))
    logger.info("client import #%s done: %s rows", job.pk, len(table.rows))


T = TypeVar("T")


def _retrying(action: Callable[[], T], also: tuple[type[Exception], ...] = ()) -> T:
    """Run a write again after a short pause when the database was busy (SQLite's lock, a PostgreSQL deadlock) or,
    for a batch, when a concurrent registration took one of its BSNs: the retry reads again and updates instead."""
    retryable: tuple[type[Exception], ...] = (OperationalError, *also)
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return action()
        except retryable:
            if attempt == ATTEMPTS:
                raise
            time.sleep(RETRY_PAUSE * attempt)
    raise AssertionError("unreachable")


def _chunks(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _mark_duplicates(results: list[RowResult], first_rows: dict[str, int]) -> None:
    """A BSN that appeared in an earlier row rejects this row: the first occurrence wins, whatever its fate."""
    for result in results:
        if not result.bsn:
            continue
        first = first_rows.setdefault(result.bsn, result.row_number)
        if first != result.row_number:
            result.problems.insert(0, Problem(result.bsn_column, RejectionReason.BSN_DUPLICATE, first))


def _finish(import_id: int, status: str, code: str = "", detail: str = "") -> None:
    """Close the import and drop the uploaded file: once processed it is no longer needed."""
    with transaction.atomic():
        ClientImport.objects.filter(pk=import_id).update(
            status=status, error_code=code, error_detail=detail[:500], finished_at=timezone.now()
        )
        ImportFile.objects.filter(pk=import_id).delete()


@dataclass
class BatchCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


def _write_batch(job: ClientImport, results: list[RowResult]) -> BatchCounts:
    counts = BatchCounts()
    now = timezone.now()
    valid = [result for result in results if not result.problems]
    counts.rejected = len(results) - len(valid)
    with transaction.atomic():
        # A write first: on SQLite it takes the write lock now, so the reads below cannot go stale before we write.
        ClientImport.objects.filter(pk=job.pk).update(heartbeat_at=now)
        existing = {
            client.bsn: client
            for client in Client.objects.select_for_update()
            .filter(organisation_id=job.organisation_id, bsn__in=[result.bsn for result in valid])
            .only("pk", "bsn", "version", *(_field_name(name) for name in IMPORTED_FIELDS))
        }
        new_clients: list[Client] = []
        changed_groups: dict[tuple[str, ...], list[Client]] = defaultdict(list)
        changes: dict[int, tuple[str, ...]] = {}
        transfers: list[ClientTransfer] = []
        for result in valid:
            client = existing.get(result.bsn)
            if client is None:
                new_clients.append(Client(organisation_id=job.organisation_id, bsn=result.bsn, **result.values))
                continue
            changed = tuple(
                name for name in IMPORTED_FIELDS if name in result.values and _differs(client, name, result)
            )
            if not changed:
                counts.unchanged += 1
                continue
            if "consultant_id" in changed:
                transfers.append(
                    ClientTransfer(
                        client_id=client.pk,
                        from_consultant_id=client.consultant_id,
                        to_consultant_id=result.values["consultant_id"],
                        reason=f"client import #{job.pk}",
                        transferred_by_id=job.uploaded_by_id,
                    )
                )
            for name in changed:
                setattr(client, name, result.values[name])
            client.version += 1
            client.updated_at = now
            changed_groups[changed].append(client)
            changes[client.pk] = changed
        Client.objects.bulk_create(new_clients, batch_size=WRITE_CHUNK)
        for names, clients in changed_groups.items():
            _update_clients(names, clients)
        ClientTransfer.objects.bulk_create(transfers, batch_size=WRITE_CHUNK)
        events = [_event(job, Action.CREATE, client.pk, f"client import #{job.pk}") for client in new_clients]
        events += [
            _event(
                job,
                Action.UPDATE,
                pk,
                f"client import #{job.pk}; changed: " + ", ".join(_field_name(name) for name in names),
            )
            for pk, names in changes.items()
        ]
        record_events(events)
        ImportRejection.objects.bulk_create(
            [
                ImportRejection(
                    client_import_id=job.pk,
                    row_number=result.row_number,
                    masked_bsn=result.masked_bsn,
                    column=problem.column[:100],
                    code=problem.code,
                    number=problem.number,
                )
                for result in results
                for problem in result.problems
            ],
            batch_size=WRITE_CHUNK,
        )
        counts.created, counts.updated = len(new_clients), len(changes)
        ClientImport.objects.filter(pk=job.pk).update(
            processed_rows=F("processed_rows") + len(results),
            created_count=F("created_count") + counts.created,
            updated_count=F("updated_count") + counts.updated,
            unchanged_count=F("unchanged_count") + counts.unchanged,
            rejected_count=F("rejected_count") + counts.rejected,
            heartbeat_at=timezone.now(),
        )
    return counts


class ConcurrentChangeError(Exception):
    """A client changed between reading and writing the batch (cannot happen under the batch's lock; checked)."""


def _update_clients(names: tuple[str, ...], clients: list[Client]) -> None:
    """One UPDATE per client, sent with executemany, guarded by the version read.

    Django's bulk_update builds a CASE expression per row and field, about a millisecond a row in Python; this is
    many times faster on SQLite and PostgreSQL alike. Values go through each field's own conversion.
    """
    fields = [_concrete(_field_name(name)) for name in names] + [_concrete("version"), _concrete("updated_at")]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(field.column))} = %s" for field in fields)
    table, pk = quote(Client._meta.db_table), quote(str(_concrete("id").column))
    sql = f"UPDATE {table} SET {assignments} WHERE {pk} = %s AND {quote('version')} = %s"  # noqa: S608
    params = [
        [field.get_db_prep_save(getattr(client, field.attname), connection) for field in fields]
        + [client.pk, client.version - 1]
        for client in clients
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
        if cursor.rowcount != len(params):
            raise ConcurrentChangeError


def _concrete(name: str) -> "models.Field[Any, Any]":
    field = Client._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


def _differs(client: Client, name: str, result: RowResult) -> bool:
    new, old = result.values[name], getattr(client, name)
    if name == "availability":
        return set(new) != set(old or [])
    return bool(new != old)


def _event(job: ClientImport, action: str, client_id: int | None, reason: str) -> AuditEvent:
    """Written by the import, on behalf of the uploader and traced to the upload request."""
    return AuditEvent(
        actor_id=job.uploaded_by_id,
        actor_username=job.uploaded_by.get_username(),
        action=action,
        object_type="clients.client",
        object_id=str(client_id),
        client_id=client_id,
        reason=reason,
        request_id=job.request_id,
        ip_address=job.ip_address,
    )
