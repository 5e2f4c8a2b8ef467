"""The one door through which expired log rows may be deleted (SECURITY.md item 65)."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.models import Exists, OuterRef

from koers.audit.models import ChainCheckpoint, RetentionGate


@contextmanager
def deletion_allowed() -> Iterator[None]:
    """Open the gate for the deletes inside the block, in one transaction, so no other connection ever sees it open.

    The triggers keep the hash of each deleted sealed row; afterwards only the last of each run of deleted rows is
    needed to check the link of the row after it, so the others are dropped.
    """
    with transaction.atomic():
        gate = RetentionGate.objects.create()
        yield
        successor = ChainCheckpoint.objects.filter(table_name=OuterRef("table_name"), seq=OuterRef("seq") + 1)
        ChainCheckpoint.objects.filter(Exists(successor)).delete()
        RetentionGate.objects.filter(pk=gate.pk).delete()
