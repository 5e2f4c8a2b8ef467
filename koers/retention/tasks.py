"""The background task that executes an approved destruction list; ``views.list_execute`` queues it."""

from django_tasks import task

from koers.retention.services import execute_list


@task()
def execute_destruction_list(list_id: int) -> None:
    execute_list(list_id)
