"""Bulk, idempotent import of articles from JSON lines, upserting by lookup key.

One line, one article::

    {"title": "...", "body": "...", "language": "en",
     "primary_source_url": "https://...", "canonical_url": "...", "final_url": "...",
     "source": {"name": "Kyiv Independent", "host": "kyivindependent.example"},
     "authors": ["..."], "rights_holder": "...", "license": "...", "basis": "license",
     "translated_from": "uk", "translation_engine": "deepl", "published_at": "2022-05-16T10:00:00Z",
     "assets": [{"kind": "photo", "url": "...", "credit_line": "Photo by A/Agency", "caption": "..."}]}

Work happens in chunks of ``batch_size`` lines:

1. Lines imported before and unchanged since are recognised by their hash alone, one query per chunk
   (the ``extracted`` event of an imported article records its line's hash and the text's): they are
   counted unchanged without being parsed.
2. The other lines are parsed, validated and fingerprinted in a forked process, while this one writes
   the previous chunk.
3. Each chunk is one transaction of set-based statements: rows are tuples written with COPY on
   PostgreSQL (``bulk_create`` elsewhere), changed articles updated from a staging table.

bench/README.md has the measured rate.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
from contextlib import contextmanager
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Callable, Iterable, Iterator

import numpy as np
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.fingerprints import NO_SHINGLES, Fingerprint, fallback_lookup_key, sha256_hex, store_fingerprints
from articles.importing.bulk import insert_tuples, insert_tuples_returning_ids, update_tuples
from articles.importing.records import ArticleRecord, AssetRecord, RecordError, parse_record
from articles.importing.registry import PartyRegistry
from articles.models import Article, Asset, Creator, ProvenanceEvent
from articles.publishing import GateRequest, GateVerdict, ask_gate_many, report_held
from articles.ingestion.page import DISPLAY_BY_KIND
from articles.services.provenance import (Event, Translation, content_events, edited_event, fetched_event,
                                          record_resemblances, verdict_outcome, write_events)

BATCH_SIZE = 1000
GC_EVERY_BATCHES = 50
KNOWN_LINES_CHUNK = 500  # hashes per query: under SQLite's limit on bound parameters

ARTICLE_COLUMNS = (
    "slug", "title", "body", "language", "source_id", "rights_holder_id", "basis", "license",
    "primary_source_url_raw", "primary_source_url_canonical", "primary_source_url_final", "primary_source_url",
    "primary_source_key", "lookup_key", "translated_from", "translation_engine", "original_published_at",
    "content_sha256", "status", "status_reason", "held_match_id", "published_at", "created_at", "updated_at",
)
ASSET_COLUMNS = ("article_id", "position", "kind", "original_url", "url_key", "credit_line", "caption", "creator_id",
                 "rights_holder_id", "license", "display", "file_sha256")
CHANGED_COLUMNS = ("id", "title", "body", "content_sha256", "license", "basis", "rights_holder_id", "updated_at")


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
    with _no_cyclic_gc(), _parser() as parser:
        for number, batch in enumerate(_parsed(lines, parser, report, size=batch_size), start=1):
            if batch:
                _import_batch(batch, actor=actor, report=report)
            if on_batch:
                on_batch(report)
            if number % GC_EVERY_BATCHES == 0:
                gc.collect()
    return report


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """A batch allocates some hundred thousand objects (records, rows, events) and nearly no cycles, yet
    each allocation burst set off the cyclic collector over the whole heap: a third of the import's CPU
    went there. Off while importing (and in the parser process forked meanwhile), a full collection
    every GC_EVERY_BATCHES batches."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parser() -> Executor:
    """Parsing and fingerprinting take most of the import's CPU: in a forked process they run
    beside the database writes instead of taking turns with them for the GIL. Else a thread
    (a daemonic process, such as a Celery prefork worker, may not have children)."""
    if "fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon:
        return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-parse")


def _parsed(lines: Iterable[tuple[int, str]], parser: Executor, report: ImportReport, *,
            size: int) -> Iterator[list[tuple[int, ArticleRecord]]]:
    """Each chunk's valid records that are not known unchanged, in line order; the next chunk is
    parsed while the database writes this one."""
    remaining = iter(lines)
    pending: Future | None = None
    for chunk in iter(lambda: list(islice(remaining, size)), []):
        following = parser.submit(_parse_chunk, _not_known(chunk, report))
        if pending is not None:
            yield _accepted(_unpacked(*pending.result()), report)
        pending = following
    if pending is not None:
        yield _accepted(_unpacked(*pending.result()), report)


def _not_known(chunk: list[tuple[int, str]], report: ImportReport) -> list[tuple[int, str]]:
    """The lines that are not, byte for byte, the line an article was imported from and still holds
    the text of; those are counted unchanged here, without parsing."""
    hashed = [(number, text, sha256_hex(text.strip())) for number, text in chunk]
    known = known_lines([line_hash for _, _, line_hash in hashed])
    fresh = [(number, text) for number, text, line_hash in hashed if line_hash not in known]
    report.unchanged += len(chunk) - len(fresh)
    return fresh


def known_lines(line_hashes: list[str]) -> set[str]:
    """Which of these line hashes an imported article's ``extracted`` event records (its input), with
    the text it holds today (its output). Articles without a known primary source are left out: their
    key depends on their source's slug, which may have changed since."""
    found: set[str] = set()
    for start in range(0, len(line_hashes), KNOWN_LINES_CHUNK):
        found.update(ProvenanceEvent.objects.filter(
            kind=ProvenanceEvent.Kind.EXTRACTED, input_sha256__in=line_hashes[start:start + KNOWN_LINES_CHUNK],
            output_sha256=F("article__content_sha256"),
        ).exclude(article__primary_source_key="").values_list("input_sha256", flat=True))
    return found


Parsed = list[tuple[int, ArticleRecord | str]]


def _parse_chunk(chunk: list[tuple[int, str]]) -> tuple[Parsed, list[int], bytes]:
    """The chunk's records or errors, in the forked process. Their shingle sets travel apart, as one
    buffer of 32-bit values (the hashes are 32-bit): pickling two arrays per record cost the two
    processes more than parsing the JSON."""
    parsed: Parsed = []
    sizes: list[int] = []
    arrays: list[np.ndarray] = []
    for number, text in chunk:
        result = _parse_line(text)
        if isinstance(result, ArticleRecord):
            print_ = result.text_print
            sizes += (len(print_.shingles), len(print_.trigrams))
            arrays += (print_.shingles, print_.trigrams)
            _set_print(result, Fingerprint(print_.keys, NO_SHINGLES))
        parsed.append((number, result))
    packed = np.concatenate(arrays).astype(np.uint32).tobytes() if arrays else b""
    return parsed, sizes, packed


def _set_print(record: ArticleRecord, print_: Fingerprint) -> None:
    """On a record only this chunk holds: dataclasses.replace() of its 17 fields cost more than the rest
    of the hand-over."""
    object.__setattr__(record, "text_print", print_)


def _unpacked(parsed: Parsed, sizes: list[int], packed: bytes) -> Parsed:
    values = np.frombuffer(packed, dtype=np.uint32).astype(np.uint64)
    bounds = np.cumsum([0, *sizes]).tolist()
    out: Parsed = []
    index = 0
    for number, result in parsed:
        if isinstance(result, ArticleRecord):
            shingles = values[bounds[index]:bounds[index + 1]]
            trigrams = values[bounds[index + 1]:bounds[index + 2]]
            index += 2
            _set_print(result, Fingerprint(result.text_print.keys, shingles, trigrams))
        out.append((number, result))
    return out


def _parse_line(text: str) -> ArticleRecord | str:
    try:
        return parse_record(json.loads(text), raw_line=text)
    except ValueError as exc:  # JSONDecodeError and RecordError are both ValueErrors
        return _one_line(exc)


def _accepted(parsed: Parsed, report: ImportReport) -> list[tuple[int, ArticleRecord]]:
    accepted = []
    for number, result in parsed:
        if isinstance(result, str):
            report.errors.append((number, result))
        else:
            accepted.append((number, result))
    return accepted


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
            stored = existing.get((key, language))
            if stored is None:
                new.append((key, record))
            elif stored[1] != record.content_sha256:
                changed.append((stored, record))
            else:
                report.unchanged += 1
        events, held = _create_new(new, registry, actor=actor, now=now, report=report)
        events += _update_changed(changed, registry, actor=actor, now=now, report=report)
        write_events(events)
        report_held(held)  # compliance audits what its gate held: last in the transaction


def _existing(keys: set[str]) -> dict[tuple[str, str], tuple[int, str]]:
    """(lookup key, language) -> (id, content hash) of the stored articles, locked for this batch."""
    rows = (Article.objects.select_for_update().filter(lookup_key__in=keys)
            .values_list("id", "lookup_key", "language", "content_sha256"))
    return {(key, language): (pk, content) for pk, key, language, content in rows}


def _create_new(new: list[tuple[str, ArticleRecord]], registry: PartyRegistry, *, actor: str, now: datetime,
                report: ImportReport) -> tuple[list[Event], list[tuple[int, GateVerdict]]]:
    if not new:
        return [], []
    records = [record for _, record in new]
    sources = [_pk(registry.source(record)) for record in records]
    verdicts = ask_gate_many([_gate_request(record, source) for record, source in zip(records, sources)])
    outcomes = [verdict_outcome(0, verdict, first_time=True, content_sha256=record.content_sha256, actor=actor,
                                now=now) for record, verdict in zip(records, verdicts)]
    ids = insert_tuples_returning_ids(Article, ARTICLE_COLUMNS, [
        _article_row(record, key, source, registry, fields, now)
        for (key, record), source, (fields, _) in zip(new, sources, outcomes)])
    report.created += len(new)
    report.held += sum(1 for verdict in verdicts if not verdict.publish)
    store_fingerprints([(pk, record.text_print) for pk, record in zip(ids, records)])
    record_resemblances([(pk, verdict) for pk, verdict in zip(ids, verdicts) if verdict.resemblances], now=now)
    _link_creators(ids, records, registry)
    insert_tuples(Asset, ASSET_COLUMNS, [_asset_row(pk, record_asset, position, registry)
                                         for pk, record in zip(ids, records)
                                         for position, record_asset in enumerate(record.assets)])
    events = []
    for pk, record, (_, verdict_event) in zip(ids, records, outcomes):
        events += _intake_events(pk, record, actor=actor, now=now)
        assert verdict_event is not None  # a first verdict always has its event
        events.append(verdict_event._replace(article_id=pk))
    return events, [(pk, verdict) for pk, verdict in zip(ids, verdicts) if not verdict.publish]


def _gate_request(record: ArticleRecord, source_id: int | None) -> GateRequest:
    return GateRequest(
        title=record.title, body=record.body, language=record.language,
        source_id=source_id, primary_source_key=record.primary.key,
        asset_url_keys=tuple(a.url_key for a in record.assets),
        asset_file_hashes=tuple(a.file_sha256 for a in record.assets if a.file_sha256),
        text_fingerprint=record.text_print)


def _article_row(record: ArticleRecord, key: str, source_id: int | None, registry: PartyRegistry, verdict: dict,
                 now: datetime) -> tuple:
    """A new article's values in ARTICLE_COLUMNS' order, with what the gate's verdict sets."""
    primary = record.primary
    return (
        f"{record.slug_stem}-{key[:8]}-{record.language}", record.title, record.body, record.language,
        source_id, _pk(registry.holder(record.rights_holder)), record.basis, record.license,
        primary.raw, primary.canonical, primary.final, primary.normalised, primary.key, key,
        record.translated_from, record.translation_engine, record.published_at, record.content_sha256,
        verdict["status"], verdict.get("status_reason", ""), verdict.get("held_match_id"), verdict.get("published_at"),
        now, now,
    )


def _pk(instance) -> int | None:
    return instance.pk if instance is not None else None


def _intake_events(pk: int, record: ArticleRecord, *, actor: str, now: datetime) -> list[Event]:
    """Fetched (the line's hash), extracted (line to text: what recognises the line when it comes again),
    translated when it was; the gate's event follows."""
    return [
        fetched_event(pk, actor=actor, now=now, fetched_sha256=record.line_sha256,
                      detail={"url": record.primary.raw or None, "primary_source": record.primary.raw or "unknown",
                              "via": "import"}),
        *content_events(pk, actor=actor, now=now, fetched_sha256=record.line_sha256,
                        content_sha256=record.content_sha256, extracted={"assets": len(record.assets)},
                        translation=(Translation(record.translation_engine, record.translated_from, record.language)
                                     if record.translated_from else None)),
    ]


def _update_changed(changed: list[tuple[tuple[int, str], ArticleRecord]], registry: PartyRegistry, *, actor: str,
                    now: datetime, report: ImportReport) -> list[Event]:
    if not changed:
        return []
    update_tuples(Article, CHANGED_COLUMNS, [
        (pk, record.title, record.body, record.content_sha256, record.license, record.basis,
         _pk(registry.holder(record.rights_holder)), now) for (pk, _), record in changed])
    store_fingerprints([(pk, record.text_print) for (pk, _), record in changed], replace=True)
    report.updated += len(changed)
    return [edited_event(pk, actor=actor, now=now, before_sha256=before, after_sha256=record.content_sha256,
                         reason="re-imported with new text") for (pk, before), record in changed]


def _link_creators(ids: list[int], records: list[ArticleRecord], registry: PartyRegistry) -> None:
    links = dict.fromkeys(
        (pk, registry.creator(name, Creator.Role.AUTHOR).pk) for pk, record in zip(ids, records)
        for name in record.authors)
    insert_tuples(Article.creators.through, ("article_id", "creator_id"), list(links))


def _asset_row(article_id: int, record_asset: AssetRecord, position: int, registry: PartyRegistry) -> tuple:
    holder = registry.holder(record_asset.rights_holder)
    creator = registry.creator(record_asset.creator, Asset.creator_role_for(record_asset.kind)) if record_asset.creator else None
    return (article_id, position, record_asset.kind, record_asset.url, record_asset.url_key,
            record_asset.credit_line, record_asset.caption, _pk(creator), _pk(holder), record_asset.license,
            DISPLAY_BY_KIND.get(record_asset.kind, Asset.Display.HOTLINKED), record_asset.file_sha256)
