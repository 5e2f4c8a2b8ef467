"""Multi-row INSERTs for the leaf tables of the demo, which make up most of its rows."""

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.db import connection, models

Value = int | str | date | datetime | None


def insert_rows(model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence[Value]]) -> int:
    """Insert plain rows (ids, texts, numbers, dates) and return how many.

    ``bulk_create`` spends far more time building model instances than the database needs for the insert. Dates and
    moments are adapted as Django would (aware moments to UTC on SQLite); defaults are not applied, so every
    column without a database default must be named.
    """
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    fields = {field.name: field for field in model._meta.concrete_fields}
    columns = ", ".join(ops.quote_name(fields[name].column) for name in names)
    adapters: list[tuple[int, Callable[[Any], Any]]] = []
    for position, name in enumerate(names):
        if isinstance(fields[name], models.DateTimeField):
            adapters.append((position, ops.adapt_datetimefield_value))
        elif isinstance(fields[name], models.DateField):
            adapters.append((position, ops.adapt_datefield_value))
    placeholder = "(" + ", ".join(["%s"] * len(names)) + ")"
    per_statement = max(1, min(500, 4000 // len(names)))
    batch: list[Value] = []
    count = total = 0

    def flush(cursor: Any) -> None:
        sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholder] * count)}"  # noqa: S608
        cursor.execute(sql, batch)

    with connection.cursor() as cursor:
        for row in rows:
            values = list(row)
            for position, adapt in adapters:
                if values[position] is not None:
                    values[position] = adapt(values[position])
            batch.extend(values)
            count += 1
            if count == per_statement:
                flush(cursor)
                total += count
                batch, count = [], 0
        if count:
            flush(cursor)
            total += count
    return total


def delete_rows(queryset: models.QuerySet[Any]) -> int:
    """Delete the rows of ``queryset`` in one statement when nothing points at them any more.

    Django's collector loads every row (and asks each reverse relation about it) before deleting; for the demo's
    hundreds of thousands of rows that takes most of a reset. When some row elsewhere still refers to one of these
    (a record someone added while using the demo), or the model has many-to-many fields, this falls back to the
    collector, which applies each relation's ``on_delete``.
    """
    model = queryset.model
    keys = queryset.order_by().values("pk")
    if model._meta.local_many_to_many:
        return queryset.delete()[0]
    for relation in model._meta.related_objects:
        name = relation.field.name if relation.one_to_many or relation.one_to_one else None
        if name is None or relation.related_model._default_manager.filter(**{f"{name}__in": keys}).exists():
            return queryset.delete()[0]
    ops = connection.ops
    sql, params = keys.query.sql_with_params()
    table, column = ops.quote_name(model._meta.db_table), ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({sql})", params)  # noqa: S608
        return cursor.rowcount
