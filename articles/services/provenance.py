"""What an article entering the site leaves behind, whether one page was ingested or a file imported:
its provenance events with their hashes, the publish gate's verdict applied to it, and the near
duplicates of withdrawn articles the gate saw. One code path for ``ingest_page`` and the bulk import.

Events are :class:`Event` tuples (the columns of ``ProvenanceEvent``), written by
:func:`write_events` with COPY on PostgreSQL, ``bulk_create`` elsewhere.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, NamedTuple

from django.db import connection

from articles.models import Article, ProvenanceEvent, StayDownMatch
from articles.publishing import GateVerdict

Kind = ProvenanceEvent.Kind
EVENT_COLUMNS = ("article_id", "kind", "actor", "occurred_at", "input_sha256", "output_sha256", "detail")


class Event(NamedTuple):
    article_id: int
    kind: str
    actor: str
    occurred_at: datetime
    input_sha256: str = ""
    output_sha256: str = ""
    detail: dict[str, Any] = {}


class Translation(NamedTuple):
    engine: str  # "" when unknown
    source_language: str
    target_language: str


def fetched_event(article_id: int, *, actor: str, now: datetime, fetched_sha256: str, detail: dict[str, Any]
                  ) -> Event:
    """A new article's first event: the hash of what we were given (a page, an import line)."""
    return Event(article_id, Kind.FETCHED, actor, now, output_sha256=fetched_sha256, detail=detail)


def content_events(article_id: int, *, actor: str, now: datetime, fetched_sha256: str, content_sha256: str,
                   extracted: dict[str, Any], translation: Translation | None) -> list[Event]:
    """From what we were given to the text's hash: extracted, then translated when it was."""
    events = [Event(article_id, Kind.EXTRACTED, actor, now, fetched_sha256, content_sha256, extracted)]
    if translation:
        engine = translation.engine or "unknown"
        events.append(Event(article_id, Kind.TRANSLATED, f"engine:{engine}", now, fetched_sha256, content_sha256,
                            {"engine": engine, "from": translation.source_language,
                             "to": translation.target_language}))
    return events


def edited_event(article_id: int, *, actor: str, now: datetime, before_sha256: str, after_sha256: str,
                 reason: str) -> Event:
    return Event(article_id, Kind.EDITED, actor, now, before_sha256, after_sha256, {"reason": reason})


def verdict_outcome(article_id: int, verdict: GateVerdict, *, first_time: bool, content_sha256: str, actor: str,
                    now: datetime) -> tuple[dict[str, Any], Event | None]:
    """The article's fields the verdict sets, and its event: a new article goes live or is held; an
    edited live one stays live unless the gate objects."""
    if verdict.publish:
        if not first_time:
            return {}, None
        return ({"status": Article.Status.PUBLISHED, "published_at": now},
                Event(article_id, Kind.PUBLISHED, actor, now, output_sha256=content_sha256))
    return ({"status": Article.Status.HELD, "status_reason": Article.short_reason(verdict.reason),
             "held_match_id": verdict.matched_article_id},
            Event(article_id, Kind.HELD, actor, now, detail={"reason": verdict.reason, "evidence": verdict.evidence}))


def write_events(events: list[Event]) -> None:
    if not events:
        return
    if connection.vendor != "postgresql":
        ProvenanceEvent.objects.bulk_create([ProvenanceEvent(**event._asdict()) for event in events], batch_size=1000)
        return
    sql = f"COPY {ProvenanceEvent._meta.db_table} ({', '.join(EVENT_COLUMNS)}) FROM STDIN"
    dumps = json.dumps
    with connection.cursor() as cursor, connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
        for event in events:
            copy.write_row((*event[:6], dumps(event.detail)))


def record_resemblances(outcomes: list[tuple[int, GateVerdict]], *, now: datetime) -> None:
    """Near duplicates of withdrawn articles the gate saw: the held match, and review suggestions."""
    rows = [StayDownMatch(article_id=article_id, withdrawn_article_id=r.article_id, jaccard=r.jaccard,
                          containment=r.containment, created_at=now,
                          outcome=(StayDownMatch.Outcome.HELD if r.article_id == verdict.matched_article_id
                                   and not verdict.publish else StayDownMatch.Outcome.SUGGESTED))
            for article_id, verdict in outcomes for r in verdict.resemblances]
    StayDownMatch.objects.bulk_create(rows, ignore_conflicts=True)
