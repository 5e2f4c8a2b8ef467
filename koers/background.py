"""Queueing background work and, in embedded mode, running it in the web process (ADR 0012).

Tasks are django-tasks ``Task``s queued in the database (django-tasks-db). ``settings.KOERS_TASK_WORKER`` says who
runs them: ``manage.py db_worker`` as its own service ("external", production), one worker thread in each web
process ("embedded", the default outside production) or the request itself ("immediate", tests).

The embedded thread starts with the web process (``koers/wsgi.py`` calls :func:`start_embedded_worker`), so tasks
queued before a restart run without waiting for a request, while tests and management commands, which never import
``wsgi.py``, start no thread. A task queued from such a process waits in the database for a web process's thread.
"""

import logging
import os
import threading
import time
from functools import partial
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks.base import Task
from django_tasks_db.management.commands.db_worker import Worker

from koers.audit.sealer import seal_every

logger = logging.getLogger(__name__)

POLL_INTERVAL_S = 1.0  # how long an idle embedded worker waits before looking for a task again
RESTART_PAUSE_S = 5.0  # after an error outside a task (the database away), before the worker tries again

_lock = threading.Lock()
_wanted = False  # this process is a web process in embedded mode (inherited by a forked child, whose thread is gone)
_worker: Worker | None = None
_thread: threading.Thread | None = None
_sealer_stop = threading.Event()
_sealer: threading.Thread | None = None


def enqueue(task: Task[..., Any], *args: Any) -> None:
    """Queue ``task(*args)`` once the surrounding transaction commits (at once outside one).

    After the commit, because the worker must find the rows the task reads, and a rolled-back request must leave no
    task behind. A process that dies between the commit and the enqueue leaves the object queued without a task; its
    heartbeat then shows it as interrupted, as for a worker killed mid-task.
    """
    transaction.on_commit(partial(_enqueue_now, task, args))


def _enqueue_now(task: Task[..., Any], args: tuple[Any, ...]) -> None:
    task.enqueue(*args)
    if _wanted:
        start_embedded_worker()  # revives a thread lost to a fork or a crash


def start_embedded_worker() -> None:
    """Make sure this process runs its one worker thread; does nothing unless ``KOERS_TASK_WORKER`` is embedded."""
    global _wanted, _worker, _thread
    if settings.KOERS_TASK_WORKER != "embedded":
        return
    with _lock:
        _wanted = True
        if _thread is not None and _thread.is_alive():
            return
        _worker = Worker(
            queue_names=[DEFAULT_TASK_QUEUE_NAME],
            interval=POLL_INTERVAL_S,
            batch=False,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=f"embedded-{os.getpid()}-{get_random_string(12)}",
            excluded_queue_names=[],
        )
        _thread = threading.Thread(target=_run, args=(_worker,), name="koers-task-worker", daemon=True)
        _thread.start()
        _start_sealer()


def _start_sealer() -> None:
    """The log sealer rides along with the embedded worker: one per web process, every few seconds (ADR 0014)."""
    global _sealer
    if _sealer is not None and _sealer.is_alive():
        return
    _sealer_stop.clear()
    _sealer = threading.Thread(
        target=seal_every, args=(settings.KOERS_LOG_SEAL_SECONDS, _sealer_stop), name="koers-log-sealer", daemon=True
    )
    _sealer.start()


def stop_embedded_worker(timeout: float = 10.0) -> None:
    """Let the thread finish its current task and end (tests; the process's own exit needs no call)."""
    global _wanted, _worker, _thread, _sealer
    with _lock:
        worker, thread, sealer = _worker, _thread, _sealer
        _wanted, _worker, _thread, _sealer = False, None, None, None
    _sealer_stop.set()
    if worker is not None and thread is not None:
        worker.running = False
        thread.join(timeout)
    if sealer is not None:
        sealer.join(timeout)


def _run(worker: Worker) -> None:
    """The worker loop of ``db_worker``, without its signal handlers (only the main thread may install them)."""
    try:
        while worker.running:
            try:
                worker.run()
            except Exception:
                logger.exception("the embedded task worker stopped on an error; it starts again shortly")
                time.sleep(RESTART_PAUSE_S)
    finally:
        connections.close_all()  # this thread's own connections; the requests' stay untouched
