"""The real task engine: tasks queued as database rows, run by django-tasks-db's worker, and the embedded thread.

Everything else runs tasks inline (``tests/conftest.py``); these tests switch to the database queue. They use real
transactions (``transactional_db``): the worker closes connections a test transaction would need, and the embedded
thread has a connection of its own.
"""

import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import OperationalError, transaction
from django.urls import reverse
from django_tasks import TaskResultStatus, task_backends
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from koers import background
from koers.accounts.models import User
from koers.accounts.roles import Role
from koers.background import enqueue
from koers.clients.models import Client
from koers.imports import services as import_services
from koers.imports.models import ClientImport, FileProblem, ImportStatus
from koers.imports.services import create_import
from koers.imports.tasks import run_import_task
from koers.placement import services as placement_services
from koers.placement.models import ProposalStatus
from tests.imports.files import bsn, csv_bytes, row
from tests.placement_factories import programme_with_planner, run, waiting

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
WAIT_S = 20
T = TypeVar("T")


@pytest.fixture
def database_queue(settings: Any) -> None:
    """The production set-up: tasks are rows in the database until a worker takes them."""
    settings.KOERS_TASK_WORKER = "external"
    settings.TASKS = DATABASE_QUEUE


@pytest.fixture
def administrator(make_user: Callable[..., User]) -> User:
    make_user(Role.CONSULTANT, username="j.jansen")  # the client manager named in the rows
    return make_user(Role.ADMINISTRATOR)


@pytest.fixture
def run_worker() -> Iterator[Callable[[], None]]:
    """``manage.py db_worker --batch``: every queued task, then it exits. The command installs signal handlers and
    sets log levels for the whole process; this puts them back for the tests that follow."""
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
    states = [(logger.level, list(logger.handlers)) for logger in loggers]
    yield lambda: call_command(
        "db_worker", "--batch", "--no-reload", "--no-startup-delay", "--queue-name", "default", verbosity=0
    )
    for number, handler in handlers.items():
        signal.signal(number, handler)
    for logger, (level, logger_handlers) in zip(loggers, states, strict=True):
        logger.setLevel(level)
        logger.handlers[:] = logger_handlers


@pytest.fixture
def embedded(transactional_db: None, settings: Any) -> Iterator[None]:
    """The worker thread of a web process; stopped before the test's data is flushed."""
    settings.KOERS_TASK_WORKER = "embedded"
    settings.TASKS = DATABASE_QUEUE
    yield
    background.stop_embedded_worker()


def queued_import(administrator: User, *rows: list[Any]) -> ClientImport:
    return create_import(administrator, file_name="clienten.csv", content=csv_bytes(list(rows)), file_format="csv")


def beside_the_worker(action: Callable[[], T]) -> T:
    """Run a query while the worker thread runs. The SQLite test database lives in shared memory, where a statement
    that meets the other thread's lock fails at once ("database table is locked") instead of waiting its turn."""
    deadline = time.monotonic() + WAIT_S
    while True:
        try:
            return action()
        except OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT_S
    while not beside_the_worker(condition):
        assert time.monotonic() < deadline, f"not done within {WAIT_S} s"
        time.sleep(0.1)


def worker_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "koers-task-worker"]


def test_tests_run_tasks_inline_unless_they_ask_for_the_queue(settings) -> None:
    assert settings.KOERS_TASK_WORKER == "immediate"
    assert isinstance(task_backends["default"], ImmediateBackend)


def test_an_upload_waits_in_the_queue_until_a_worker_runs_it(
    database_queue, administrator, municipality, login, run_worker
) -> None:
    assert isinstance(task_backends["default"], DatabaseBackend)
    http = login(administrator)
    upload = {"file": SimpleUploadedFile("export.csv", csv_bytes([row(1), row(2)]))}
    assert http.post(reverse("imports:new"), upload).status_code == 302

    job = ClientImport.objects.get()
    queued = DBTaskResult.objects.get()
    assert (queued.task_path, queued.args_kwargs) == (
        "koers.imports.tasks.run_import_task",
        {"args": [job.pk], "kwargs": {}},
    )
    assert (queued.status, job.status) == (TaskResultStatus.READY, ImportStatus.QUEUED)
    assert not Client.objects.exists()

    run_worker()

    job.refresh_from_db()
    queued.refresh_from_db()
    assert (job.status, job.created_count) == (ImportStatus.DONE, 2)
    assert set(Client.objects.values_list("bsn", flat=True)) == {bsn(1), bsn(2)}
    assert queued.status == TaskResultStatus.SUCCESSFUL


def test_a_task_is_queued_when_its_transaction_commits_and_not_after_a_rollback(
    database_queue, administrator, municipality
) -> None:
    job = queued_import(administrator, row(1))
    with transaction.atomic():
        enqueue(run_import_task, job.pk)
        transaction.set_rollback(True)  # the request failed after queueing
    assert not DBTaskResult.objects.exists()

    with transaction.atomic():
        enqueue(run_import_task, job.pk)
        assert not DBTaskResult.objects.exists(), "a worker must not see the task before the rows it reads"
    assert DBTaskResult.objects.get().args_kwargs == {"args": [job.pk], "kwargs": {}}


def test_an_import_that_breaks_fails_its_task_without_personal_data(
    database_queue, administrator, municipality, run_worker, monkeypatch
) -> None:
    def broken(job: ClientImport) -> None:
        raise RuntimeError(f"duplicate key value: bsn {bsn(1)}")

    monkeypatch.setattr(import_services, "_process", broken)
    job = queued_import(administrator, row(1))
    enqueue(run_import_task, job.pk)

    run_worker()

    job.refresh_from_db()
    result = DBTaskResult.objects.get()
    assert (job.status, job.error_code) == (ImportStatus.FAILED, FileProblem.INTERRUPTED)
    assert result.status == TaskResultStatus.FAILED
    assert result.exception_class_path == "koers.imports.tasks.ImportInterruptedError"
    assert bsn(1) not in result.traceback


def test_an_import_whose_failure_cannot_be_recorded_keeps_personal_data_out_of_its_task(
    database_queue, administrator, municipality, run_worker, monkeypatch
) -> None:
    def broken(job: ClientImport) -> None:
        raise RuntimeError(f"duplicate key value: bsn {bsn(1)}")

    def unrecorded(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("the database went away")

    monkeypatch.setattr(import_services, "_process", broken)
    monkeypatch.setattr(import_services, "_finish", unrecorded)
    monkeypatch.setattr(import_services, "RETRY_PAUSE", 0)
    job = queued_import(administrator, row(1))
    enqueue(run_import_task, job.pk)

    run_worker()

    result = DBTaskResult.objects.get()
    assert result.status == TaskResultStatus.FAILED
    assert result.exception_class_path == "koers.imports.tasks.ImportInterruptedError"
    assert bsn(1) not in result.traceback


def test_a_proposal_that_breaks_fails_its_task(
    database_queue, organisation, municipality, consultant, run_worker, monkeypatch
) -> None:
    programme, planner = programme_with_planner(organisation)
    run(programme)
    waiting(programme, municipality, consultant)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("client Jansen exploded")

    monkeypatch.setattr(placement_services.solver, "solve", broken)
    proposal = placement_services.request_proposal(programme, planner)
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY

    run_worker()

    proposal.refresh_from_db()
    result = DBTaskResult.objects.get()
    assert proposal.status == ProposalStatus.FAILED
    assert (result.status, result.exception_class_path) == (
        TaskResultStatus.FAILED,
        "koers.placement.tasks.ProposalFailedError",
    )
    assert "Jansen" not in result.traceback


def test_a_proposal_whose_failure_cannot_be_recorded_keeps_personal_data_out_of_its_task(
    database_queue, organisation, municipality, consultant, run_worker, monkeypatch
) -> None:
    programme, planner = programme_with_planner(organisation)
    run(programme)
    waiting(programme, municipality, consultant)
    placement_services.request_proposal(programme, planner)
    proposals = placement_services.PlacementProposal.objects
    real_filter = proposals.filter
    computed = []

    def broken(*args: Any, **kwargs: Any) -> None:
        computed.append(True)
        raise RuntimeError("client Jansen exploded")

    def gone_after_computing(*args: Any, **kwargs: Any) -> Any:
        if computed:
            raise OperationalError("the database went away")
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(placement_services, "_compute", broken)
    monkeypatch.setattr(proposals, "filter", gone_after_computing)
    run_worker()

    monkeypatch.undo()
    result = DBTaskResult.objects.get()
    assert (result.status, result.exception_class_path) == (
        TaskResultStatus.FAILED,
        "koers.placement.tasks.ProposalFailedError",
    )
    assert "Jansen" not in result.traceback


def test_the_embedded_worker_starts_once_and_runs_tasks_queued_before_it(embedded, administrator, municipality):
    before = queued_import(administrator, row(1))
    enqueue(run_import_task, before.pk)  # queued while no worker runs, as before a restart
    assert not worker_threads()

    background.start_embedded_worker()
    background.start_embedded_worker()

    assert len(worker_threads()) == 1
    wait_until(lambda: ClientImport.objects.get(pk=before.pk).status == ImportStatus.DONE)
    after = beside_the_worker(lambda: queued_import(administrator, row(2)))
    beside_the_worker(lambda: enqueue(run_import_task, after.pk))
    wait_until(lambda: DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 2)
    assert beside_the_worker(lambda: ClientImport.objects.get(pk=after.pk).status) == ImportStatus.DONE
    assert len(worker_threads()) == 1


def test_the_embedded_worker_carries_on_after_losing_the_database(
    embedded, administrator, municipality, monkeypatch
) -> None:
    monkeypatch.setattr(background, "RESTART_PAUSE_S", 0)
    real_run = Worker.run
    attempts: list[int] = []

    def database_gone_once(worker: Worker) -> None:
        attempts.append(1)
        if len(attempts) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        real_run(worker)

    monkeypatch.setattr(Worker, "run", database_gone_once)
    job = queued_import(administrator, row(1))
    enqueue(run_import_task, job.pk)
    background.start_embedded_worker()

    wait_until(lambda: ClientImport.objects.get(pk=job.pk).status == ImportStatus.DONE)
    assert len(attempts) == 2


def test_the_embedded_worker_ends_when_stopped(embedded) -> None:
    background.start_embedded_worker()
    (thread,) = worker_threads()

    background.stop_embedded_worker()

    assert not thread.is_alive()


def test_no_worker_thread_starts_outside_embedded_mode(database_queue, administrator, municipality) -> None:
    background.start_embedded_worker()
    enqueue(run_import_task, queued_import(administrator, row(1)).pk)

    assert not worker_threads()
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY
