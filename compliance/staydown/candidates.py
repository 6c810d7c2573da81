"""Finding stored articles that share LSH keys with a text: few index lookups, capped per key.

A key shared by very many articles (boilerplate: a standard footer, a wire service's
disclaimer) would make every lookup read thousands of rows, so at most
``STAYDOWN_ROWS_PER_KEY`` rows are read for each key; the other keys of a real copy still meet.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Model, Q
from django.db.models.expressions import RawSQL

from articles.models import Article, LshBand

WITHDRAWN = Article.Status.WITHDRAWN
SQLITE_CHUNK = 5000  # under SQLite's limit on bound parameters


def _rows_per_key() -> int:
    return getattr(settings, "STAYDOWN_ROWS_PER_KEY", 200)


def articles_by_key(keys: Iterable[int], *, status: str | None = None) -> dict[int, set[int]]:
    """The articles holding each key (only those of ``status`` if given)."""
    keys = sorted(set(keys))  # neighbouring probes share the upper pages of the index
    if not keys:
        return {}
    if connection.vendor == "postgresql":
        rows = _postgresql(keys, status)
    else:
        rows = [row for start in range(0, len(keys), SQLITE_CHUNK)
                for row in _portable(keys[start:start + SQLITE_CHUNK], status)]
    found: dict[int, set[int]] = defaultdict(set)
    for key, article_id in rows:
        found[key].add(article_id)
    return found


def _portable(keys: list[int], status: str | None) -> list[tuple[int, int]]:
    bands = LshBand.objects.filter(key__in=keys)
    if status:
        bands = bands.filter(article__status=status)
    return list(bands.values_list("key", "article_id"))


def array_literal(values: Iterable[int | str]) -> str:
    """A PostgreSQL array as one text parameter: psycopg adapts a list of 36,000 ints one by one,
    which took longer than the query."""
    quoted = (str(v) if isinstance(v, int) else '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
              for v in values)
    return "{" + ",".join(quoted) + "}"


def any_of(model: type[Model], column: str, values: Iterable[str]) -> Q | RawSQL:
    """`column IN values`; on PostgreSQL `column = ANY(array)`, one parameter for any number of values."""
    values = list(values)
    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        return RawSQL(f"{quote(model._meta.db_table)}.{quote(column)} = ANY(%s::text[])", [array_literal(values)],
                      output_field=BooleanField())
    return Q(**{f"{column}__in": values})


def _postgresql(keys: list[int], status: str | None) -> list[tuple[int, int]]:
    band, article = LshBand._meta.db_table, Article._meta.db_table
    status_join = f"JOIN {article} a ON a.id = c.article_id AND a.status = %s" if status else ""
    sql = (f"SELECT k.key, c.article_id FROM unnest(%s::bigint[]) AS k(key) "
           f"CROSS JOIN LATERAL (SELECT article_id FROM {band} b WHERE b.key = k.key LIMIT %s) c "
           f"{status_join}")
    params: list = [array_literal(keys), _rows_per_key()] + ([status] if status else [])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
