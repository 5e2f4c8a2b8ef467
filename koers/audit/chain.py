"""Hash chains over the audit trail and the processing log, so a changed or removed row shows.

Rows are inserted unsealed (no lock on the hot path); ``seal`` links every committed unsealed row to its
predecessor afterwards, in id order, with one update per table. ``verify`` recomputes the chain; rows deleted by the
retention job leave their hash in ``ChainCheckpoint``, so the row after the gap can still be checked.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q, Subquery

from koers.audit.models import AuditEvent, ChainCheckpoint, ChainedLog, ProcessingLogEntry

CHAINED: tuple[type[ChainedLog], ...] = (AuditEvent, ProcessingLogEntry)
# Any constant works; it only has to be the same for every process that seals.
_SEAL_LOCK = 0x6B6F657273


def entry_hash(row: ChainedLog, chain_seq: int, prev_hash: str) -> str:
    """SHA-256 over the row's content, its place in the chain and its predecessor's hash."""
    content = {name: _plain(getattr(row, name)) for name in row.hashed_fields}
    content |= {"chain_seq": chain_seq, "prev_hash": prev_hash}
    serialised = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(serialised.encode()).hexdigest()


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def seal(limit: int = 10_000) -> int:
    """Seal up to ``limit`` rows per table, oldest first; returns how many.

    On PostgreSQL sealers queue on an advisory lock. SQLite has one writer at a time already, ``bulk_update`` is
    atomic and ``chain_seq`` unique, so a racing seal can fail (and be redone by the next) but never fork a chain.
    """
    if connection.vendor != "postgresql":
        return _seal_all(limit)
    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SEAL_LOCK])
        return _seal_all(limit)


def seal_all() -> None:
    """Seal until nothing is left, in bounded steps (the first run after installing may find a long backlog)."""
    while seal():
        pass


def _seal_all(limit: int) -> int:
    return sum(_seal(model, limit) for model in CHAINED)


def _seal(model: type[ChainedLog], limit: int) -> int:
    """One query for the unsealed rows plus the chain's end (the last row, or the last deleted one), one update."""
    table = model._meta.db_table
    checkpoints = ChainCheckpoint.objects.filter(table_name=table).order_by("-seq")
    tip = model._default_manager.exclude(chain_seq=None).order_by("-chain_seq").values("chain_seq")[:1]
    rows = list(
        model._default_manager.filter(Q(entry_hash="") | Q(chain_seq=Subquery(tip)))
        .annotate(
            checkpoint_seq=Subquery(checkpoints.values("seq")[:1]),
            checkpoint_hash=Subquery(checkpoints.values("entry_hash")[:1]),
        )
        .order_by(F("chain_seq").desc(nulls_last=True), "id")[: limit + 1]
    )
    unsealed = [row for row in rows if not row.entry_hash][:limit]
    if not unsealed:
        return 0
    seq, prev_hash = 0, ""
    for row in rows:
        if row.chain_seq is not None:
            seq, prev_hash = row.chain_seq, row.entry_hash
    first: Any = rows[0]
    if first.checkpoint_seq is not None and first.checkpoint_seq > seq:
        seq, prev_hash = first.checkpoint_seq, first.checkpoint_hash
    for row in unsealed:
        seq += 1
        row.chain_seq, row.prev_hash = seq, prev_hash
        row.entry_hash = prev_hash = entry_hash(row, seq, prev_hash)
    model._default_manager.bulk_update(unsealed, ["chain_seq", "prev_hash", "entry_hash"], batch_size=1000)
    return len(unsealed)


@dataclass(frozen=True)
class ChainReport:
    table: str
    sealed: int
    first_broken: int | None


def verify() -> list[ChainReport]:
    """Walk each chain in order; the first row whose hash or link does not hold is where tampering begins."""
    return [_verify(model) for model in CHAINED]


def _verify(model: type[ChainedLog]) -> ChainReport:
    table = model._meta.db_table
    checkpoints = dict(ChainCheckpoint.objects.filter(table_name=table).values_list("seq", "entry_hash"))
    previous: tuple[int, str] = (0, "")
    sealed = 0
    for row in model._default_manager.exclude(chain_seq=None).order_by("chain_seq").iterator(chunk_size=2000):
        seq = row.chain_seq or 0
        expected = previous[1] if previous[0] == seq - 1 else checkpoints.get(seq - 1)
        if expected is None or row.prev_hash != expected or row.entry_hash != entry_hash(row, seq, row.prev_hash):
            return ChainReport(table, sealed, seq)
        previous = (seq, row.entry_hash)
        sealed += 1
    return ChainReport(table, sealed, None)
