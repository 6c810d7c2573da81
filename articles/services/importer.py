"""Bulk, idempotent import of articles from JSON lines, upserting by lookup key.

One line, one article::

    {"title": "...", "body": "...", "language": "en",
     "primary_source_url": "https://...", "canonical_url": "...", "final_url": "...",
     "source": {"name": "Kyiv Independent", "host": "kyivindependent.example"},
     "authors": ["..."], "rights_holder": "...", "license": "...", "basis": "license",
     "translated_from": "uk", "translation_engine": "deepl", "published_at": "2022-05-16T10:00:00Z",
     "assets": [{"kind": "photo", "url": "...", "credit_line": "Photo by A/Agency", "caption": "..."}]}

Work happens in batches: each batch is one transaction with a handful of set-based queries
(COPY on PostgreSQL), while a forked process parses and fingerprints the lines of the next batch.
bench/README.md has the measured rate.
"""

from __future__ import annotations

import json
import multiprocessing
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Callable, Iterable, Iterator

from django.db import transaction
from django.utils import timezone

from articles.fingerprints import fallback_lookup_key, store_fingerprints
from articles.importing.bulk import Row, insert_rows, insert_rows_returning_ids
from articles.importing.records import ArticleRecord, AssetRecord, RecordError, parse_record
from articles.importing.registry import PartyRegistry
from articles.models import Article, Asset, Creator, ProvenanceEvent
from articles.publishing import GateRequest, GateVerdict, ask_gate_many, report_held
from articles.ingestion.page import DISPLAY_BY_KIND, ROLE_BY_KIND, record_resemblances

BATCH_SIZE = 1000


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    held: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def processed(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.errors)


def read_lines(lines: Iterable[bytes | str]) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(lines, start=1):
        text = line.decode("utf-8", errors="replace") if isinstance(line, bytes) else line
        if text.strip():
            yield number, text


def import_lines(lines: Iterable[tuple[int, str]], *, actor: str, report: ImportReport | None = None,
                 batch_size: int = BATCH_SIZE, on_batch: Callable[[ImportReport], None] | None = None
                 ) -> ImportReport:
    report = report or ImportReport()
    with _parser() as parser:
        for batch in _batches(_parsed(lines, parser, report, ahead=batch_size), batch_size):
            _import_batch(batch, actor=actor, report=report)
            if on_batch:
                on_batch(report)
    return report


def _parser() -> Executor:
    """Parsing and fingerprinting take most of the import's CPU: in a forked process they run
    beside the database writes instead of taking turns with them for the GIL. Else a thread
    (a daemonic process, such as a Celery prefork worker, may not have children)."""
    if "fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon:
        return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-parse")


def _parsed(lines: Iterable[tuple[int, str]], parser: Executor, report: ImportReport, *,
            ahead: int) -> Iterator[tuple[int, ArticleRecord]]:
    """Valid records in line order; the next lines are parsed while the database writes these."""
    remaining = iter(lines)
    chunks = iter(lambda: list(islice(remaining, ahead)), [])
    pending: Future | None = None
    for chunk in chunks:
        following = parser.submit(_parse_chunk, chunk)
        if pending is not None:
            yield from _accepted(pending.result(), report)
        pending = following
    if pending is not None:
        yield from _accepted(pending.result(), report)


def _parse_chunk(chunk: list[tuple[int, str]]) -> list[tuple[int, ArticleRecord | str]]:
    return [(number, _parse_line(text)) for number, text in chunk]


def _parse_line(text: str) -> ArticleRecord | str:
    try:
        return parse_record(json.loads(text), raw_line=text)
    except ValueError as exc:  # JSONDecodeError and RecordError are both ValueErrors
        return _one_line(exc)


def _accepted(parsed: list[tuple[int, ArticleRecord | str]], report: ImportReport
              ) -> Iterator[tuple[int, ArticleRecord]]:
    for number, result in parsed:
        if isinstance(result, str):
            report.errors.append((number, result))
        else:
            yield number, result


def _batches(records: Iterator[tuple[int, ArticleRecord]], size: int) -> Iterator[list[tuple[int, ArticleRecord]]]:
    batch: list[tuple[int, ArticleRecord]] = []
    for item in records:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _one_line(exc: ValueError) -> str:
    return str(exc) if isinstance(exc, RecordError) else f"not valid JSON: {exc}"


def _lookup_key(record: ArticleRecord, registry: PartyRegistry) -> str:
    if record.primary.key:
        return record.primary.key
    source = registry.source_slug(record)
    return fallback_lookup_key(source=source, title=record.title, body=record.body)


def _import_batch(batch: list[tuple[int, ArticleRecord]], *, actor: str, report: ImportReport) -> None:
    with transaction.atomic():
        registry = PartyRegistry.for_records([record for _, record in batch])
        keyed: dict[tuple[str, str], tuple[int, ArticleRecord]] = {}
        for number, record in batch:
            keyed[(_lookup_key(record, registry), record.language)] = (number, record)
        report.unchanged += len(batch) - len(keyed)  # the same article twice in one batch
        existing = _existing({key for key, _ in keyed})
        now = timezone.now()
        new, changed = [], []
        for (key, language), (number, record) in keyed.items():
            article = existing.get((key, language))
            if article is None:
                new.append((key, record))
            elif article.content_sha256 != record.content_sha256:
                changed.append((article, record))
            else:
                report.unchanged += 1
        events, held = _create_new(new, registry, actor=actor, now=now, report=report)
        events += _update_changed(changed, registry, actor=actor, now=now, report=report)
        insert_rows(ProvenanceEvent, events)
        report_held(held)  # compliance audits what its gate held: last in the transaction


def _existing(keys: set[str]) -> dict[tuple[str, str], Article]:
    articles = (Article.objects.select_for_update().filter(lookup_key__in=keys)
                .only("id", "lookup_key", "language", "content_sha256"))
    return {(a.lookup_key, a.language): a for a in articles}


def _new_article(record: ArticleRecord, key: str, registry: PartyRegistry, now: datetime) -> Row:
    return {
        "slug": f"{record.slug_stem}-{key[:8]}-{record.language}",
        "title": record.title, "body": record.body, "language": record.language,
        "source_id": _pk(registry.source(record)), "rights_holder_id": _pk(registry.holder(record.rights_holder)),
        "basis": record.basis, "license": record.license,
        "primary_source_url_raw": record.primary.raw, "primary_source_url_canonical": record.primary.canonical,
        "primary_source_url_final": record.primary.final, "primary_source_url": record.primary.normalised,
        "primary_source_key": record.primary.key, "lookup_key": key,
        "translated_from": record.translated_from, "translation_engine": record.translation_engine,
        "original_published_at": record.published_at, "content_sha256": record.content_sha256,
        "status": Article.Status.HELD, "created_at": now, "updated_at": now,
    }


def _pk(instance) -> int | None:
    return instance.pk if instance is not None else None


def _create_new(new: list[tuple[str, ArticleRecord]], registry: PartyRegistry, *, actor: str, now: datetime,
                report: ImportReport) -> tuple[list[Row], list[tuple[int, GateVerdict]]]:
    articles = [_new_article(record, key, registry, now) for key, record in new]
    records = [record for _, record in new]
    verdicts = ask_gate_many([_gate_request(article, record) for article, record in zip(articles, records)])
    for article, verdict in zip(articles, verdicts):
        _apply_verdict(article, verdict, now=now, report=report)
    insert_rows_returning_ids(Article, articles)
    report.created += len(new)
    store_fingerprints([(article["id"], record.text_print) for article, record in zip(articles, records)])
    outcomes = [(article["id"], verdict) for article, verdict in zip(articles, verdicts)]
    record_resemblances([(pk, verdict) for pk, verdict in outcomes if verdict.resemblances], now=now)
    _link_creators(articles, records, registry)
    insert_rows(Asset, [_asset(article["id"], record_asset, position, registry)
                        for article, record in zip(articles, records)
                        for position, record_asset in enumerate(record.assets)])
    events = [event for article, record, verdict in zip(articles, records, verdicts)
              for event in _intake_events(article, record, actor=actor, now=now, verdict=verdict)]
    return events, [(pk, verdict) for pk, verdict in outcomes if not verdict.publish]


def _gate_request(article: Row, record: ArticleRecord) -> GateRequest:
    return GateRequest(
        title=article["title"], body=article["body"], language=article["language"],
        source_id=article["source_id"], primary_source_key=article["primary_source_key"],
        asset_url_keys=tuple(a.url_key for a in record.assets),
        asset_file_hashes=tuple(a.file_sha256 for a in record.assets if a.file_sha256),
        text_fingerprint=record.text_print)


def _apply_verdict(article: Row, verdict: GateVerdict, *, now: datetime, report: ImportReport) -> None:
    if verdict.publish:
        article["status"], article["published_at"] = Article.Status.PUBLISHED, now
    else:
        article["status"], article["status_reason"] = Article.Status.HELD, verdict.reason[:500]
        article["held_match_id"] = verdict.matched_article_id
        report.held += 1


def _update_changed(changed: list[tuple[Article, ArticleRecord]], registry: PartyRegistry, *, actor: str,
                    now: datetime, report: ImportReport) -> list[Row]:
    events = []
    for article, record in changed:
        events.append(_event(article.pk, ProvenanceEvent.Kind.EDITED, actor, now,
                             input_sha256=article.content_sha256, output_sha256=record.content_sha256,
                             detail={"reason": "re-imported with new text"}))
        article.title, article.body, article.content_sha256 = record.title, record.body, record.content_sha256
        article.license, article.basis = record.license, record.basis
        article.rights_holder = registry.holder(record.rights_holder)
        article.updated_at = now
    Article.objects.bulk_update(
        [article for article, _ in changed],
        ["title", "body", "content_sha256", "license", "basis", "rights_holder", "updated_at"],
        batch_size=500,
    )
    store_fingerprints([(article.pk, record.text_print) for article, record in changed], replace=True)
    report.updated += len(changed)
    return events


def _event(article_id: int, kind: str, actor: str, now: datetime, *, input_sha256: str = "",
           output_sha256: str = "", detail: dict | None = None) -> Row:
    return {"article_id": article_id, "kind": kind, "actor": actor, "occurred_at": now,
            "input_sha256": input_sha256, "output_sha256": output_sha256,
            "detail": {} if detail is None else detail}


def _intake_events(article: Row, record: ArticleRecord, *, actor: str, now: datetime,
                   verdict: GateVerdict) -> list[Row]:
    Kind, pk = ProvenanceEvent.Kind, article["id"]
    events = [
        _event(pk, Kind.FETCHED, actor, now, output_sha256=record.line_sha256,
               detail={"url": record.primary.raw or None, "primary_source": record.primary.raw or "unknown",
                       "via": "import"}),
        _event(pk, Kind.EXTRACTED, actor, now, input_sha256=record.line_sha256,
               output_sha256=record.content_sha256, detail={"assets": len(record.assets)}),
    ]
    if record.translated_from:
        engine = record.translation_engine or "unknown"
        events.append(_event(pk, Kind.TRANSLATED, f"engine:{engine}", now, input_sha256=record.line_sha256,
                             output_sha256=record.content_sha256,
                             detail={"engine": engine, "from": record.translated_from, "to": record.language}))
    if article["status"] == Article.Status.PUBLISHED:
        events.append(_event(pk, Kind.PUBLISHED, actor, now, output_sha256=record.content_sha256))
    else:
        events.append(_event(pk, Kind.HELD, actor, now, detail={"reason": verdict.reason, "evidence": verdict.evidence}))
    return events


def _link_creators(articles: list[Row], records: list[ArticleRecord], registry: PartyRegistry) -> None:
    links = dict.fromkeys(
        (article["id"], registry.creator(name, Creator.Role.AUTHOR).pk)
        for article, record in zip(articles, records) for name in record.authors
    )
    insert_rows(Article.creators.through, [{"article_id": a, "creator_id": c} for a, c in links])


def _asset(article_id: int, record_asset: AssetRecord, position: int, registry: PartyRegistry) -> Row:
    holder = registry.holder(record_asset.rights_holder)
    creator = registry.creator(record_asset.creator, ROLE_BY_KIND[record_asset.kind]) if record_asset.creator else None
    return {
        "article_id": article_id, "position": position, "kind": record_asset.kind,
        "original_url": record_asset.url, "url_key": record_asset.url_key,
        "credit_line": record_asset.credit_line, "caption": record_asset.caption,
        "creator_id": _pk(creator), "rights_holder_id": _pk(holder), "license": record_asset.license,
        "display": DISPLAY_BY_KIND.get(record_asset.kind, Asset.Display.HOTLINKED),
        "file_sha256": record_asset.file_sha256,
    }
