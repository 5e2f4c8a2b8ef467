"""The background task that runs a client import; the upload view queues it with ``koers.background.enqueue``.

A killed worker leaves the import "running" without a heartbeat; after ``models.STALE_AFTER`` the pages call it
interrupted and the next upload closes it. Because rows are matched by BSN, uploading the same file again finishes the
job without duplicating anything.
"""

import logging

from django_tasks import task

from koers.imports.models import ClientImport, FileProblem, ImportStatus
from koers.imports.services import run_import

logger = logging.getLogger(__name__)


class ImportInterruptedError(Exception):
    """Marks the task failed; it names the import only, because the error that stopped it can quote a BSN."""


@task()
def run_import_task(import_id: int) -> None:
    """Run the import; if it stopped on an unexpected error (``run_import`` marks it and logs the cause), fail the
    task as well, so the task list shows it. An error that escapes ``run_import`` (the database gone while it
    recorded the failure) is replaced, without its chain: the stored traceback would quote the first error."""
    try:
        run_import(import_id)
        interrupted = ClientImport.objects.filter(
            pk=import_id, status=ImportStatus.FAILED, error_code=FileProblem.INTERRUPTED
        ).exists()
    except Exception as error:
        # As in ``run_import``: the message is left out on purpose, a database error can quote a BSN.
        logger.error("client import #%s: its failure was not recorded: %s", import_id, type(error).__name__)
        logger.debug("client import #%s: its failure was not recorded", import_id, exc_info=True)
        interrupted = True
    if interrupted:  # raised outside the handler, so the stored traceback has no chain to the first error
        raise ImportInterruptedError(f"client import #{import_id} was interrupted; the log holds the cause")
