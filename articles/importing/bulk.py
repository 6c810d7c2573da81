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
        for row, pk in zip(rows, next_ids(model, len(rows))):
            row["id"] = pk
        _copy(model, rows)
        return
    objects = [model(**row) for row in rows]
    model._default_manager.bulk_create(objects, batch_size=ORM_BATCH_SIZE)
    for row, obj in zip(rows, objects):
        row["id"] = obj.pk


def next_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` ids from the table's sequence, in one round trip (PostgreSQL only)."""
    if count == 0:
        return []
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


# --- rows as tuples: the import's path ------------------------------------------------------
# The columns a caller names, in its order, then every other column with its model default (the same
# for each row, so computed once). JSON columns are never named (their adaptation differs per database).

def _other_columns(model: type[models.Model], columns: tuple[str, ...]) -> tuple[list[str], tuple]:
    others = [f for f in model._meta.concrete_fields if f.attname not in columns and not f.primary_key]
    defaults = tuple(json.dumps(f.get_default()) if isinstance(f, models.JSONField) else f.get_default()
                     for f in others)
    return [f.column for f in others], defaults


def _columns(model: type[models.Model], names: tuple[str, ...]) -> list[str]:
    """The database columns of these fields (by name or attname)."""
    by_name = {f.attname: f.column for f in model._meta.concrete_fields} | {
        f.name: f.column for f in model._meta.concrete_fields}
    return [by_name[name] for name in names]


def insert_tuples(model: type[models.Model], columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert rows given as tuples of ``columns`` (attnames); COPY on PostgreSQL, bulk_create elsewhere."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create([model(**dict(zip(columns, row))) for row in rows],
                                           batch_size=ORM_BATCH_SIZE)
        return
    other_columns, defaults = _other_columns(model, columns)
    quote = connection.ops.quote_name
    names = _columns(model, columns)
    sql = (f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in [*names, *other_columns])}) "
           f"FROM STDIN")
    with connection.cursor() as cursor, connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row + defaults)


def insert_tuples_returning_ids(model: type[models.Model], columns: tuple[str, ...], rows: list[tuple]) -> list[int]:
    """Insert rows (tuples of ``columns``, without the id) and return their new ids, in order."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objects = [model(**dict(zip(columns, row))) for row in rows]
        model._default_manager.bulk_create(objects, batch_size=ORM_BATCH_SIZE)
        return [obj.pk for obj in objects]
    ids = next_ids(model, len(rows))
    insert_tuples(model, ("id", *columns), [(pk, *row) for pk, row in zip(ids, rows)])
    return ids


def update_tuples(model: type[models.Model], columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Set ``columns[1:]`` of the rows whose id is ``columns[0]``: on PostgreSQL COPY into a staging table,
    then one UPDATE … FROM; elsewhere bulk_update."""
    if not rows:
        return
    assert columns[0] == "id"
    if connection.vendor != "postgresql":
        objects = [model(**dict(zip(columns, row))) for row in rows]
        model._default_manager.bulk_update(objects, list(columns[1:]), batch_size=ORM_BATCH_SIZE)
        return
    quote = connection.ops.quote_name
    table = model._meta.db_table
    names = _columns(model, columns)
    staging = quote(f"staging_{table}")
    with connection.cursor() as cursor, connection.wrap_database_errors:
        cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {staging} ON COMMIT DELETE ROWS AS "
                       f"SELECT {', '.join(quote(n) for n in names)} FROM {quote(table)} WITH NO DATA")
        with cursor.cursor.copy(f"COPY {staging} ({', '.join(quote(n) for n in names)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        assignments = ", ".join(f"{quote(n)} = s.{quote(n)}" for n in names[1:])
        cursor.execute(f"UPDATE {quote(table)} t SET {assignments} FROM {staging} s WHERE t.id = s.id")
        cursor.execute(f"TRUNCATE {staging}")  # a second call in the same transaction starts empty


def copy_text(model: type[models.Model], columns: tuple[str, ...], text: str) -> None:
    """COPY rows already written in COPY's text format (PostgreSQL only)."""
    quote = connection.ops.quote_name
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with connection.cursor() as cursor, connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
        copy.write(text)
