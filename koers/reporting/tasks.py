"""The background task that makes a report export; the worker runs it, ``services.request_export`` queues it."""

from django_tasks import task

from koers.reporting.services import run_export


@task()
def make_export(export_id: int) -> None:
    run_export(export_id)
