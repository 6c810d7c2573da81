"""Inserting many rows given as dicts of column values: COPY on PostgreSQL, bulk_create elsewhere.

A row names its fields by attname (``article_id``, not ``article``); fields it leaves out get
their model default. Auto primary keys come from the database unless the row carries them.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import connection, models

Row = dict[str, Any]
ORM_BATCH_SIZE = 1000


def insert_rows(model: type[models.Model], rows: list[Row]) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        _copy(model, rows)
    else:
        model._default_manager.bulk_create([model(**row) for row in rows], batch_size=ORM_BATCH_SIZE)


def insert_rows_returning_ids(model: type[models.Model], rows: list[Row]) -> None:
    """Insert and set each row's ``id``, so that rows of other tables can point at it."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        for row, pk in zip(rows, _next_ids(model, len(rows))):
            row["id"] = pk
        _copy(model, rows)
        return
    objects = [model(**row) for row in rows]
    model._default_manager.bulk_create(objects, batch_size=ORM_BATCH_SIZE)
    for row, obj in zip(rows, objects):
        row["id"] = obj.pk


def _next_ids(model: type[models.Model], count: int) -> list[int]:
    with connection.cursor() as cursor:
        # The sequence's name is looked up once (a function in FROM runs once), not once per id, and in
        # the same round trip: a notice of one item pays one query here, not two.
        cursor.execute("SELECT nextval(s) FROM pg_get_serial_sequence(%s, %s) AS s, generate_series(1, %s)",
                       [model._meta.db_table, model._meta.pk.column, count])
        return [pk for (pk,) in cursor.fetchall()]


def _copy(model: type[models.Model], rows: list[Row]) -> None:
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.attname not in rows[0])]
    columns = [(f.attname, f.get_default()) for f in fields]
    json_columns = [index for index, f in enumerate(fields) if isinstance(f, models.JSONField)]
    quote = connection.ops.quote_name
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) FROM STDIN"
    with connection.cursor() as cursor, connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
        for row in rows:
            values = [row.get(name, default) for name, default in columns]
            for index in json_columns:
                if values[index] is not None:
                    values[index] = json.dumps(values[index])
            copy.write_row(values)
