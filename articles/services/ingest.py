"""Ingesting one page: extraction, provenance, assets, and the publish gate, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone as dt_timezone

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import slugify

from articles.credits import parse_credit
from articles.fingerprints import fallback_lookup_key, fingerprint, sha256_hex, store_fingerprints
from articles.ingestion.extract import ExtractedPage, extract_page
from articles.models import Article, Asset, Creator, ProvenanceEvent, StayDownMatch
from articles.publishing import GateRequest, GateVerdict, ask_gate, report_held
from articles.services.parties import creator_named, rights_holder_named, source_for_host_or_new
from articles.urlnorm import host_of, normalise_url, url_key, validate_url

UNDETERMINED_LANGUAGE = "und"
ROLE_BY_KIND = {
    Asset.Kind.PHOTO: Creator.Role.PHOTOGRAPHER,
    Asset.Kind.VIDEO: Creator.Role.VIDEOGRAPHER,
    Asset.Kind.MAP: Creator.Role.CARTOGRAPHER,
    Asset.Kind.EMBED: Creator.Role.AUTHOR,
}
DISPLAY_BY_KIND = {Asset.Kind.VIDEO: Asset.Display.IFRAME, Asset.Kind.EMBED: Asset.Display.IFRAME}


class IngestError(ValueError):
    """Input that cannot become an article; the message says why in one line."""


@dataclass(frozen=True)
class PrimarySource:
    raw: str = ""
    canonical: str = ""
    final: str = ""
    normalised: str = ""
    key: str = ""


@dataclass(frozen=True)
class IngestResult:
    article: Article
    created: bool
    changed: bool
    verdict: GateVerdict | None


def resolve_primary_source(*, given: str | None, declared: str, final: str | None) -> PrimarySource:
    """Keep all spellings; the key comes from the declared canonical when it is on the same site.

    A page may declare a canonical elsewhere (a syndication partner, the homepage by mistake);
    only a canonical on the fetched site is trusted over where fetching ended.
    """
    if not given:
        return PrimarySource()
    try:
        raw = validate_url(given)
        final_url = validate_url(final) if final else raw
    except ValueError as exc:
        raise IngestError(f"source URL is not usable: {exc}") from None
    chosen = final_url
    if declared:
        try:
            if host_of(declared).removeprefix("www.") == host_of(final_url).removeprefix("www."):
                chosen = declared
        except ValueError:
            declared = ""
    return PrimarySource(raw=raw, canonical=declared, final=final_url,
                         normalised=normalise_url(chosen), key=url_key(chosen))


def _unique_slug(title: str, key: str, wanted: str = "") -> str:
    slug = wanted or f"{slugify(title)[:80].strip('-') or 'article'}-{key[:8]}"
    if Article.objects.filter(slug=slug).exists():
        slug = f"{slug[:200]}-{key[:8]}"
    return slug


def _published_time(value: str) -> datetime | None:
    if not value:
        return None
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value[:10])
        if day is None:
            return None
        moment = datetime(day.year, day.month, day.day)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, dt_timezone.utc)


def ingest_page(
    *,
    html: bytes | str,
    source_url: str | None,
    final_url: str | None = None,
    translated_from: str = "",
    translation_engine: str = "",
    basis: str = Article.Basis.UNKNOWN,
    slug: str = "",
    actor: str = "system:ingest",
) -> IngestResult:
    """Store the page as an article with its assets and provenance; idempotent by lookup key.

    ``source_url`` None means the primary source is unknown: it is recorded as unknown, never
    guessed from the page.
    """
    raw_bytes = html.encode("utf-8") if isinstance(html, str) else html
    try:
        page = extract_page(raw_bytes, page_url=source_url)
    except ValueError as exc:
        raise IngestError(str(exc)) from None
    primary = resolve_primary_source(given=source_url, declared=page.canonical_url, final=final_url)
    with transaction.atomic():
        return _store(page, primary, raw_bytes, translated_from, translation_engine, basis, slug, actor)


def _store(page: ExtractedPage, primary: PrimarySource, raw_bytes: bytes, translated_from: str,
           translation_engine: str, basis: str, slug: str, actor: str) -> IngestResult:
    source = (
        source_for_host_or_new(host_of(primary.normalised), name=page.site_name,
                               language=translated_from or page.language)
        if primary.key else None
    )
    language = page.language or "en"
    key = primary.key or fallback_lookup_key(
        source=source.slug if source else "", title=page.title, body=page.body)
    existing = Article.objects.select_for_update().filter(lookup_key=key, language=language).first()
    if existing and existing.content_sha256 == page.content_sha256:
        return IngestResult(existing, created=False, changed=False, verdict=None)

    now = timezone.now()
    article = existing or Article(lookup_key=key, language=language, created_at=now)
    article.title = page.title[:500]
    article.body = page.body
    article.source = source
    article.basis = basis
    article.license = page.license[:500]
    article.credit_text = page.credit_text[:500]
    article.rights_holder = rights_holder_named(page.copyright_holder)
    article.primary_source_url_raw = primary.raw
    article.primary_source_url_canonical = primary.canonical
    article.primary_source_url_final = primary.final
    article.primary_source_url = primary.normalised
    article.primary_source_key = primary.key
    article.translated_from = translated_from
    article.translation_engine = translation_engine
    article.original_published_at = _published_time(page.published)
    article.content_sha256 = page.content_sha256
    if not existing:
        article.slug = _unique_slug(page.title, key, slug)
        article.status = Article.Status.HELD  # until the publish gate answers, below
    article.save()
    article.creators.set(filter(None, (creator_named(name, Creator.Role.AUTHOR) for name in page.authors)))
    assets = _store_assets(article, page, replace=bool(existing))

    html_hash = sha256_hex(raw_bytes)
    events = []
    if existing:
        events.append(ProvenanceEvent(article=article, kind=ProvenanceEvent.Kind.EDITED, actor=actor,
                                      occurred_at=now, input_sha256=existing.content_sha256,
                                      output_sha256=page.content_sha256, detail={"reason": "re-ingested with new text"}))
    else:
        events.append(ProvenanceEvent(article=article, kind=ProvenanceEvent.Kind.FETCHED, actor=actor,
                                      occurred_at=now, output_sha256=html_hash,
                                      detail={"url": primary.raw or None, "primary_source": primary.raw or "unknown"}))
    events.append(ProvenanceEvent(article=article, kind=ProvenanceEvent.Kind.EXTRACTED, actor=actor, occurred_at=now,
                                  input_sha256=html_hash, output_sha256=page.content_sha256,
                                  detail={"assets": len(assets), "canonical_url": primary.canonical or None}))
    if translated_from:
        events.append(ProvenanceEvent(
            article=article, kind=ProvenanceEvent.Kind.TRANSLATED, actor=f"engine:{translation_engine or 'unknown'}",
            occurred_at=now, input_sha256=html_hash, output_sha256=page.content_sha256,
            detail={"engine": translation_engine or "unknown", "from": translated_from, "to": language}))
    text_print = fingerprint(article.body)
    store_fingerprints([(article.pk, text_print)], replace=bool(existing))
    verdict = None
    if not existing or existing.is_public:
        verdict = ask_gate(GateRequest(
            title=article.title, body=article.body, language=language, source_id=article.source_id,
            primary_source_key=primary.key, asset_url_keys=tuple(a.url_key for a in assets),
            asset_file_hashes=tuple(a.file_sha256 for a in assets if a.file_sha256), text_fingerprint=text_print))
        events.extend(_apply_verdict(article, verdict, first_time=not existing, actor=actor, now=now))
        record_resemblances([(article.pk, verdict)], now=now)
    ProvenanceEvent.objects.bulk_create(events)
    if verdict is not None:
        report_held([(article.pk, verdict)])  # compliance audits it: last in the transaction
    return IngestResult(article, created=not existing, changed=bool(existing), verdict=verdict)


def record_resemblances(outcomes: list[tuple[int, GateVerdict]], *, now: datetime) -> None:
    """Near duplicates of withdrawn articles the gate saw: the held match, and review suggestions."""
    rows = [StayDownMatch(article_id=article_id, withdrawn_article_id=r.article_id, jaccard=r.jaccard,
                          containment=r.containment, created_at=now,
                          outcome=(StayDownMatch.Outcome.HELD if r.article_id == verdict.matched_article_id
                                   and not verdict.publish else StayDownMatch.Outcome.SUGGESTED))
            for article_id, verdict in outcomes for r in verdict.resemblances]
    StayDownMatch.objects.bulk_create(rows, ignore_conflicts=True)


def _apply_verdict(article: Article, verdict: GateVerdict, *, first_time: bool, actor: str, now: datetime) -> list[ProvenanceEvent]:
    """A new article goes live or is held; an edited live one stays live unless the gate objects."""
    if verdict.publish:
        if not first_time:
            return []
        article.status, article.published_at = Article.Status.PUBLISHED, now
        article.save(update_fields=["status", "published_at", "updated_at"])
        return [ProvenanceEvent(article=article, kind=ProvenanceEvent.Kind.PUBLISHED, actor=actor,
                                occurred_at=now, output_sha256=article.content_sha256)]
    article.status, article.status_reason = Article.Status.HELD, verdict.reason[:500]
    article.held_match_id = verdict.matched_article_id
    article.save(update_fields=["status", "status_reason", "held_match", "updated_at"])
    return [ProvenanceEvent(article=article, kind=ProvenanceEvent.Kind.HELD, actor=actor, occurred_at=now,
                            detail={"reason": verdict.reason, "evidence": verdict.evidence})]


def _store_assets(article: Article, page: ExtractedPage, *, replace: bool) -> list[Asset]:
    """Assets are matched by URL key, so re-ingesting keeps their ids, credits and status."""
    kept = {a.url_key: a for a in article.assets.all()} if replace else {}
    next_position = max((a.position for a in kept.values()), default=-1) + 1
    assets = []
    for figure in page.figures:
        key = url_key(figure.url)
        if key in kept:
            assets.append(kept[key])
            continue
        credit = parse_credit(figure.credit_line)
        holder = rights_holder_named(credit.holder)
        asset = Asset.objects.create(
            article=article,
            position=next_position,
            kind=figure.kind,
            original_url=figure.url,
            url_key=key,
            credit_line=figure.credit_line[:1000],
            caption=figure.caption,
            alt_text=figure.alt[:1000],
            creator=creator_named(credit.creator, ROLE_BY_KIND[figure.kind], holder),
            rights_holder=holder,
            display=DISPLAY_BY_KIND.get(figure.kind, Asset.Display.HOTLINKED),
        )
        assets.append(asset)
        next_position += 1
    return assets
