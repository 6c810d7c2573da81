"""Bulk, idempotent import of articles from JSON lines, upserting by lookup key.

One line, one article::

    {"title": "...", "body": "...", "language": "en",
     "primary_source_url": "https://...", "canonical_url": "...", "final_url": "...",
     "source": {"name": "Kyiv Independent", "host": "kyivindependent.example"},
     "authors": ["..."], "rights_holder": "...", "license": "...", "basis": "license",
     "translated_from": "uk", "translation_engine": "deepl", "published_at": "2022-05-16T10:00:00Z",
     "assets": [{"kind": "photo", "url": "...", "credit_line": "Photo by A/Agency", "caption": "..."}]}

Work happens in batches: each batch is one transaction with a handful of set-based queries,
so the import runs at thousands of articles per second on PostgreSQL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from django.db import transaction
from django.utils import timezone

from articles.credits import parse_credit
from articles.fingerprints import fallback_lookup_key
from articles.importing.records import ArticleRecord, RecordError, parse_record
from articles.importing.registry import PartyRegistry
from articles.models import Article, Asset, Creator, ProvenanceEvent
from articles.publishing import GateRequest, ask_gate
from articles.services.ingest import DISPLAY_BY_KIND, ROLE_BY_KIND

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
                 batch_size: int = BATCH_SIZE, on_batch=None) -> ImportReport:
    report = report or ImportReport()
    batch: list[tuple[int, ArticleRecord]] = []
    for number, text in lines:
        try:
            batch.append((number, parse_record(json.loads(text), raw_line=text)))
        except ValueError as exc:  # JSONDecodeError and RecordError are both ValueErrors
            report.errors.append((number, _one_line(exc)))
        if len(batch) >= batch_size:
            _import_batch(batch, actor=actor, report=report)
            batch = []
            if on_batch:
                on_batch(report)
    if batch:
        _import_batch(batch, actor=actor, report=report)
        if on_batch:
            on_batch(report)
    return report


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
        existing = {
            (a.lookup_key, a.language): a
            for a in Article.objects.select_for_update().filter(lookup_key__in={k for k, _ in keyed})
        }
        now = timezone.now()
        new, changed = [], []
        for (key, language), (number, record) in keyed.items():
            article = existing.get((key, language))
            if article is None:
                new.append((_new_article(record, key, registry, now), record))
            elif article.content_sha256 != record.content_sha256:
                changed.append((article, record))
            else:
                report.unchanged += 1
        events = _create_new(new, registry, actor=actor, now=now, report=report)
        events += _update_changed(changed, registry, actor=actor, now=now, report=report)
        ProvenanceEvent.objects.bulk_create(events, batch_size=5000)


def _new_article(record: ArticleRecord, key: str, registry: PartyRegistry, now) -> Article:
    return Article(
        slug=f"{record.slug_stem}-{key[:8]}-{record.language}",
        title=record.title, body=record.body, language=record.language,
        source=registry.source(record), rights_holder=registry.holder(record.rights_holder),
        basis=record.basis, license=record.license,
        primary_source_url_raw=record.primary.raw, primary_source_url_canonical=record.primary.canonical,
        primary_source_url_final=record.primary.final, primary_source_url=record.primary.normalised,
        primary_source_key=record.primary.key, lookup_key=key,
        translated_from=record.translated_from, translation_engine=record.translation_engine,
        original_published_at=record.published_at, content_sha256=record.content_sha256,
        status=Article.Status.HELD, created_at=now, updated_at=now,
    )


def _create_new(new: list[tuple[Article, ArticleRecord]], registry: PartyRegistry, *, actor: str, now,
                report: ImportReport) -> list[ProvenanceEvent]:
    events: list[ProvenanceEvent] = []
    for article, record in new:
        verdict = ask_gate(GateRequest(
            title=article.title, body=article.body, language=article.language, source_id=article.source_id,
            primary_source_key=article.primary_source_key,
            asset_url_keys=tuple(a.url_key for a in record.assets)))
        if verdict.publish:
            article.status, article.published_at = Article.Status.PUBLISHED, now
        else:
            article.status, article.status_reason = Article.Status.HELD, verdict.reason[:500]
            report.held += 1
        events.extend(_intake_events(article, record, actor=actor, now=now, verdict_reason=verdict.reason))
    Article.objects.bulk_create([article for article, _ in new], batch_size=1000)
    report.created += len(new)
    _link_creators(new, registry)
    Asset.objects.bulk_create(
        [_asset(article, record_asset, position, registry)
         for article, record in new for position, record_asset in enumerate(record.assets)],
        batch_size=2000,
    )
    for event in events:
        event.article_id = event.article.pk
    return events


def _update_changed(changed: list[tuple[Article, ArticleRecord]], registry: PartyRegistry, *, actor: str, now,
                    report: ImportReport) -> list[ProvenanceEvent]:
    events = []
    for article, record in changed:
        events.append(ProvenanceEvent(
            article=article, kind=ProvenanceEvent.Kind.EDITED, actor=actor, occurred_at=now,
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
    report.updated += len(changed)
    return events


def _intake_events(article: Article, record: ArticleRecord, *, actor: str, now, verdict_reason: str) -> list[ProvenanceEvent]:
    Kind = ProvenanceEvent.Kind
    events = [
        ProvenanceEvent(article=article, kind=Kind.FETCHED, actor=actor, occurred_at=now,
                        output_sha256=record.line_sha256,
                        detail={"url": record.primary.raw or None, "primary_source": record.primary.raw or "unknown",
                                "via": "import"}),
        ProvenanceEvent(article=article, kind=Kind.EXTRACTED, actor=actor, occurred_at=now,
                        input_sha256=record.line_sha256, output_sha256=record.content_sha256,
                        detail={"assets": len(record.assets)}),
    ]
    if record.translated_from:
        engine = record.translation_engine or "unknown"
        events.append(ProvenanceEvent(article=article, kind=Kind.TRANSLATED, actor=f"engine:{engine}", occurred_at=now,
                                      input_sha256=record.line_sha256, output_sha256=record.content_sha256,
                                      detail={"engine": engine, "from": record.translated_from, "to": record.language}))
    if article.status == Article.Status.PUBLISHED:
        events.append(ProvenanceEvent(article=article, kind=Kind.PUBLISHED, actor=actor, occurred_at=now,
                                      output_sha256=record.content_sha256))
    else:
        events.append(ProvenanceEvent(article=article, kind=Kind.HELD, actor=actor, occurred_at=now,
                                      detail={"reason": verdict_reason}))
    return events


def _link_creators(new: list[tuple[Article, ArticleRecord]], registry: PartyRegistry) -> None:
    through = Article.creators.through
    links = {
        (article.pk, registry.creator(name, Creator.Role.AUTHOR).pk)
        for article, record in new for name in record.authors
    }
    through.objects.bulk_create(
        [through(article_id=article_id, creator_id=creator_id) for article_id, creator_id in links],
        batch_size=5000,
    )


def _asset(article: Article, record_asset, position: int, registry: PartyRegistry) -> Asset:
    credit = parse_credit(record_asset.credit_line)
    holder = registry.holder(record_asset.rights_holder or credit.holder)
    creator_name = record_asset.creator or credit.creator
    return Asset(
        article=article, position=position, kind=record_asset.kind, original_url=record_asset.url,
        url_key=record_asset.url_key, credit_line=record_asset.credit_line, caption=record_asset.caption,
        creator=registry.creator(creator_name, ROLE_BY_KIND[record_asset.kind]) if creator_name else None,
        rights_holder=holder, license=record_asset.license,
        display=DISPLAY_BY_KIND.get(record_asset.kind, Asset.Display.HOTLINKED),
    )
