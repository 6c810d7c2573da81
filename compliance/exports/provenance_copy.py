"""CSV of the provenance rows by PostgreSQL's COPY: the server formats, joins and neutralises.

Same rows, cells and order as provenance.iter_rows + the CSV writer (a test holds them equal); the
Python path costs about 100 µs a row, COPY a few, which is what a million-row export needs.
"""

from __future__ import annotations

from typing import Iterator

from django.db import connection

from articles.models import Article, Asset, Creator, RightsHolder, Source
from compliance.exports.csv_safety import neutralise_sql
from compliance.exports.provenance import COLUMNS, REDACTED, TEXT_COLUMNS, ExportFilter, our_url_prefix
from compliance.models import Decision, Notice, NoticeItem, NoticeItemMatch

_T = {model: model._meta.db_table for model in (Article, Asset, Creator, RightsHolder, Source, Decision, Notice,
                                                NoticeItem, NoticeItemMatch)}
_CREATORS = Article.creators.through._meta.db_table


def ts(column: str) -> str:
    return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""


def _joined(entries: str, name: str) -> str:
    """`entries` (SELECT target, entry ...) as one row per target: the distinct entries joined by '; '
    in code-point order, as ProvenanceRow.flat joins them."""
    return f"""SELECT target, string_agg(entry, '; ' ORDER BY entry COLLATE "C") AS {name}
               FROM (SELECT DISTINCT target, entry FROM ({entries}) e) d GROUP BY target"""


def _notice_entries(key: str, entry: str) -> str:
    return f"""SELECT m.{key} AS target, {entry} AS entry
        FROM {_T[NoticeItemMatch]} m JOIN {_T[NoticeItem]} i ON i.id = m.item_id
             JOIN {_T[Notice]} n ON n.id = i.notice_id WHERE {_targets(key)}"""


def _notices(key: str) -> str:
    entry = f"n.reference || ' ' || n.kind || ' ' || m.how || ' ' || {ts('n.received_at')}"
    return _joined(_notice_entries(key, entry), "notices")


def _claimants(key: str, personal_data: bool) -> str:
    claimant = ("n.claimant_name || ' <' || n.claimant_email || '>' || CASE WHEN n.claimant_organisation <> '' "
                "THEN ' (' || n.claimant_organisation || ')' ELSE '' END") if personal_data else f"'{REDACTED}'"
    return _joined(_notice_entries(key, f"n.reference || ': ' || {claimant}"), "claimants")


def _decisions(key: str) -> str:
    entry = (f"n.reference || ' ' || d.action || ' ' || {ts('d.decided_at')} || ' ' || d.actor || "
             f"CASE WHEN d.pending_review THEN ' pending_review' ELSE '' END")
    both = " UNION ALL ".join(
        f"""SELECT m.{key} AS target, {entry} AS entry FROM {_T[NoticeItemMatch]} m
            JOIN {_T[Decision]} d ON {on} JOIN {_T[Notice]} n ON n.id = d.notice_id WHERE {_targets(key)}"""
        for on in ("d.match_id = m.id", "d.match_id IS NULL AND d.item_id = m.item_id"))
    return _joined(both, "decisions")


def _affecting(key: str, target: str, personal_data: bool) -> str:
    return "\n".join(f"LEFT JOIN ({query}) {alias} ON {alias}.target = {target}" for alias, query in (
        ("nt", _notices(key)), ("cl", _claimants(key, personal_data)), ("dc", _decisions(key))))


def _targets(key: str) -> str:
    return "m.asset_id IS NULL" if key == "article_id" else "m.asset_id IS NOT NULL"


def _where(filters: ExportFilter, status_column: str) -> tuple[str, list]:
    clauses, params = ["TRUE"], []
    if filters.source_ids:
        clauses.append("a.source_id = ANY(%s)")
        params.append(list(filters.source_ids))
    if filters.since:
        clauses.append("COALESCE(a.published_at, a.created_at) >= %s")
        params.append(filters.since)
    if filters.until:
        clauses.append("COALESCE(a.published_at, a.created_at) < %s")
        params.append(filters.until)
    if filters.statuses:
        clauses.append(f"{status_column} = ANY(%s)")
        params.append(list(filters.statuses))
    return " AND ".join(clauses), params


def article_select(filters: ExportFilter, personal_data: bool) -> tuple[str, list]:
    where, params = _where(filters, "a.status")
    return f"""
        SELECT 'article' AS record, a.id AS article_id, NULL::bigint AS asset_id,
               %s || a.slug || '/' AS our_url, a.title, a.language, NULL::text AS content_url,
               a.primary_source_url, s.name AS source, au.names AS authors, rh.name AS rights_holder,
               a.credit_text AS credit, a.license, a.basis, NULL::text AS display, a.translated_from,
               a.translation_engine, a.status, {ts('a.published_at')} AS published_at,
               {ts('a.original_published_at')} AS original_published_at, {ts('a.withdrawn_at')} AS withdrawn_at,
               a.withdrawal_reference, nt.notices, dc.decisions, cl.claimants, a.taken_from_url AS taken_from
        FROM {_T[Article]} a
        LEFT JOIN {_T[Source]} s ON s.id = a.source_id
        LEFT JOIN {_T[RightsHolder]} rh ON rh.id = a.rights_holder_id
        LEFT JOIN ({_joined(f"SELECT ac.article_id AS target, c.name AS entry FROM {_CREATORS} ac "
                            f"JOIN {_T[Creator]} c ON c.id = ac.creator_id", "names")}) au ON au.target = a.id
        {_affecting('article_id', 'a.id', personal_data)}
        WHERE {where} ORDER BY a.id""", [our_url_prefix(), *params]


def asset_select(filters: ExportFilter, personal_data: bool) -> tuple[str, list]:
    where, params = _where(filters, "x.status")
    return f"""
        SELECT 'asset' AS record, x.article_id, x.id AS asset_id, %s || a.slug || '/' AS our_url,
               a.title, a.language, x.original_url AS content_url, a.primary_source_url, s.name AS source,
               c.name AS authors, rh.name AS rights_holder, x.credit_line AS credit, x.license, NULL::text AS basis,
               x.display, NULL::text AS translated_from, NULL::text AS translation_engine, x.status,
               {ts('a.published_at')} AS published_at, NULL::text AS original_published_at,
               {ts('x.withdrawn_at')} AS withdrawn_at, x.withdrawal_reference, nt.notices, dc.decisions, cl.claimants,
               a.taken_from_url AS taken_from
        FROM {_T[Asset]} x JOIN {_T[Article]} a ON a.id = x.article_id
        LEFT JOIN {_T[Source]} s ON s.id = a.source_id
        LEFT JOIN {_T[Creator]} c ON c.id = x.creator_id
        LEFT JOIN {_T[RightsHolder]} rh ON rh.id = x.rights_holder_id
        {_affecting('asset_id', 'x.id', personal_data)}
        WHERE {where} ORDER BY x.id""", [our_url_prefix(), *params]


def neutralised(select: str) -> str:
    """The select's text cells neutralised for spreadsheets, empty strings written as empty cells."""
    cells = [neutralise_sql(f"NULLIF(r.{c}, '')") if c in TEXT_COLUMNS else f"r.{c}" for c in COLUMNS]
    return f"SELECT {', '.join(f'{cell} AS {name}' for cell, name in zip(cells, COLUMNS))} FROM ({select}) r"


def copy_csv(filters: ExportFilter, *, personal_data: bool) -> Iterator[bytes]:
    """The CSV export as COPY sends it, header first: one block per row."""
    selects = [article_select(filters, personal_data), asset_select(filters, personal_data)]
    with connection.cursor() as cursor:
        for index, (select, params) in enumerate(selects):
            statement = connection.ops.compose_sql(
                f"COPY ({neutralised(select)}) TO STDOUT WITH (FORMAT csv{', HEADER' if index == 0 else ''})",
                params)
            with cursor.cursor.copy(statement) as copy:
                yield from copy
