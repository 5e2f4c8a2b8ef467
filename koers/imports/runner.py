"""Where an import runs. Embedded mode: a background thread in the web process; KOERS_IMPORT_SYNC=1: inline.

Issue 7 replaces this module by a real task queue. Keep the one entry point, ``start_import(import_id)``: the view
calls it after the upload is committed, and ``services.run_import`` does the work wherever it is called.

A thread dies with its process (a restart, a gunicorn worker recycled). The import then stays "running" without a
heartbeat; after ``models.STALE_AFTER`` the pages call it interrupted and the next upload closes it. Because rows
are matched by BSN, uploading the same file again finishes the job without duplicating anything.
"""

import logging
import threading

from django.conf import settings
from django.db import connections

from koers.imports.services import run_import

logger = logging.getLogger(__name__)


def start_import(import_id: int) -> None:
    if getattr(settings, "KOERS_IMPORT_SYNC", False):
        run_import(import_id)
        return
    thread = threading.Thread(target=_run_in_thread, args=(import_id,), name=f"client-import-{import_id}", daemon=True)
    thread.start()


def _run_in_thread(import_id: int) -> None:
    try:
        run_import(import_id)
    except Exception:
        logger.error("client import #%s: the background thread ended with an error", import_id, exc_info=True)
    finally:
        connections.close_all()  # this thread's own connections; the web process's stay untouched
