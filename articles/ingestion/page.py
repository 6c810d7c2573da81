"""Ingesting one page: extraction, provenance, assets, and the publish gate, in one transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone as dt_timezone

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import slugify

from articles.credits import parse_credit
from articles.fingerprints import fallback_lookup_key, fingerprint, sha256_hex, store_fingerprints
from articles.ingestion.addresses import (PageAddresses, PrimarySource, Rejected, UnusableSourceUrl, page_addresses,
                                          resolve_primary_source)
from articles.ingestion.extract import ExtractedFigure, ExtractedPage, extract_page
from articles.ingestion.figures import CREDIT_ELEMENT
from articles.ingestion.rights_holder import article_rights_holder
from articles.models import Article, ArticleUrlKey, Asset, Creator
from articles.publishing import GateRequest, GateVerdict, ask_gate, report_held
from articles.services.parties import (PARTY_NAME_LENGTH, creator_named, register_hosts, rights_holder_named,
                                       source_for_host_or_new)
from articles.shortening import shortened
from articles.services.provenance import (Event, Translation, content_events, edited_event, fetched_event,
                                          record_resemblances, verdict_outcome, write_events)
from articles.urlnorm import InvalidUrl, host_of, url_key, validate_url

__all__ = ["IngestError", "IngestResult", "PrimarySource", "ingest_page", "resolve_primary_source"]

UNDETERMINED_LANGUAGE = "und"
DISPLAY_BY_KIND = {Asset.Kind.VIDEO: Asset.Display.IFRAME, Asset.Kind.EMBED: Asset.Display.IFRAME}


_LANGUAGE_CODE = re.compile(r"[a-z]{2}|und")
MAX_ENGINE_LENGTH = 100  # Article.translation_engine


class IngestError(ValueError):
    """Input that cannot become an article; the message says why in one line."""


@dataclass(frozen=True)
class IngestResult:
    article: Article
    created: bool
    changed: bool
    verdict: GateVerdict | None


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
    if translated_from and not _LANGUAGE_CODE.fullmatch(translated_from):
        raise IngestError(f"translated-from must be an ISO 639-1 code or 'und', not {translated_from[:20]!r}")
    if len(translation_engine) > MAX_ENGINE_LENGTH:
        raise IngestError(f"the translation engine's name is {len(translation_engine)} characters; "
                          f"at most {MAX_ENGINE_LENGTH}")
    try:
        page = extract_page(raw_bytes, page_url=source_url)
        addresses = page_addresses(page, given=source_url, final=final_url)
    except (ValueError, UnusableSourceUrl) as exc:
        raise IngestError(str(exc)) from None
    with transaction.atomic():
        return _store(page, addresses, raw_bytes, translated_from, translation_engine, basis, slug, actor)


def _store(page: ExtractedPage, addresses: PageAddresses, raw_bytes: bytes, translated_from: str,
           translation_engine: str, basis: str, slug: str, actor: str) -> IngestResult:
    primary = addresses.primary
    source = taken_from = None
    if primary.key:
        site_name = "" if addresses.syndicated else page.site_name
        source = source_for_host_or_new(host_of(primary.normalised), name=addresses.original_publisher or site_name,
                                        language=translated_from or page.language)
        if addresses.syndicated:
            taken_from = source_for_host_or_new(host_of(addresses.taken_from_url), name=page.site_name)
        register_hosts(source, [primary.normalised])
        register_hosts(taken_from or source, [a.url for a in addresses.known if a.kind != "original"])
    language = page.language or "en"
    key = primary.key or fallback_lookup_key(
        source=source.slug if source else "", title=page.title, body=page.body)
    existing = Article.objects.select_for_update().filter(lookup_key=key, language=language).first()
    if existing and existing.content_sha256 == page.content_sha256:
        return IngestResult(existing, created=False, changed=False, verdict=None)

    now = timezone.now()
    article = existing or Article(lookup_key=key, language=language, created_at=now)
    cuts: dict[str, int] = {}  # what the page said that its column cannot hold whole: field -> full length
    article.title = _fitted(Article, "title", page.title, cuts)
    article.body = page.body
    article.source = source
    article.basis = basis
    article.license = _fitted(Article, "license", page.license, cuts)
    article.credit_text = _fitted(Article, "credit_text", page.credit_text, cuts)
    holder_name, holder_source = article_rights_holder(page, addresses)
    _note_party(cuts, ("rights holder", holder_name))
    for number, byline in enumerate(page.bylines, start=1):
        _note_party(cuts, (f"author {number}", byline.name), (f"author {number} affiliation", byline.affiliation))
    article.rights_holder = rights_holder_named(holder_name)
    article.rights_holder_source = holder_source if holder_name else ""
    article.taken_from = taken_from
    article.taken_from_url = addresses.taken_from_url
    article.primary_source_url_raw = primary.raw
    article.primary_source_url_canonical = primary.canonical
    article.primary_source_url_final = primary.final
    article.primary_source_url = primary.normalised
    article.primary_source_key = primary.key
    article.translated_from = translated_from
    article.translation_engine = translation_engine
    article.original_published_at = _published_time(page.published)
    article.original_published_from = page.published_from if article.original_published_at else ""
    article.content_sha256 = page.content_sha256
    if not existing:
        article.slug = _unique_slug(page.title, key, slug)
        article.status = Article.Status.HELD  # until the publish gate answers, below
    article.save()
    assets, rejected = _store_assets(article, page, replace=bool(existing), cuts=cuts)
    article.rejected_parts = [{"part": r.what, "url": r.url, "reason": r.reason}
                              for r in (*addresses.rejected, *rejected)]
    article.save(update_fields=["rejected_parts"])
    article.creators.set(filter(None, (creator_named(b.name, Creator.Role.AUTHOR, affiliation=b.affiliation)
                                       for b in page.bylines)))
    _store_addresses(article, addresses)

    html_hash = sha256_hex(raw_bytes)
    if existing:
        first = edited_event(article.pk, actor=actor, now=now, before_sha256=existing.content_sha256,
                             after_sha256=page.content_sha256, reason="re-ingested with new text")
    else:
        first = fetched_event(
            article.pk, actor=actor, now=now, fetched_sha256=html_hash,
            detail={"url": primary.raw or None,
                    "primary_source": primary.normalised if addresses.syndicated else primary.raw or "unknown",
                    **({"taken_from": addresses.taken_from_url, "original_declared_by": addresses.original_declared_by}
                       if addresses.syndicated else {})})
    events = [first, *content_events(
        article.pk, actor=actor, now=now, fetched_sha256=html_hash, content_sha256=page.content_sha256,
        extracted={"assets": len(assets), "canonical_url": primary.canonical or None,
                   **({"rejected": article.rejected_parts} if article.rejected_parts else {}),
                   **({"cut_to_fit": cuts} if cuts else {})},
        translation=Translation(translation_engine, translated_from, language) if translated_from else None)]
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
    write_events(events)
    if verdict is not None:
        report_held([(article.pk, verdict)])  # compliance audits it: last in the transaction
    return IngestResult(article, created=not existing, changed=bool(existing), verdict=verdict)


def _apply_verdict(article: Article, verdict: GateVerdict, *, first_time: bool, actor: str, now: datetime) -> list[Event]:
    """The verdict's fields saved on the article; its event, if any (articles.services.provenance)."""
    fields, event = verdict_outcome(article.pk, verdict, first_time=first_time, content_sha256=article.content_sha256,
                                    actor=actor, now=now)
    for name, value in fields.items():
        setattr(article, name, value)
    if fields:
        article.save(update_fields=[*fields, "updated_at"])
    return [event] if event else []


def _store_addresses(article: Article, addresses: PageAddresses) -> None:
    """Every known address of the article with its key; the set is replaced on each ingestion."""
    ArticleUrlKey.objects.filter(article=article).exclude(key__in=[a.key for a in addresses.known]).delete()
    ArticleUrlKey.objects.bulk_create(
        [ArticleUrlKey(article=article, key=a.key, url=a.url, kind=a.kind) for a in addresses.known],
        ignore_conflicts=True)


def _asset_key(figure: ExtractedFigure) -> tuple[str, Rejected | None]:
    what = f"{figure.kind} {figure.position + 1}"
    shown = shortened(figure.url, 200)  # the page holds it whole
    if figure.rejected:
        return "", Rejected(what, shown, figure.rejected)
    try:
        return url_key(validate_url(figure.url)), None
    except InvalidUrl as exc:
        return "", Rejected(what, shown, str(exc))


def _fitted(model: type[Article] | type[Asset], field: str, value: str, cuts: dict[str, int], *, at: str = "") -> str:
    """`value` cut to its column's length; a cut is noted in `cuts` (the extraction event records them)."""
    limit = model._meta.get_field(field).max_length
    if limit and len(value) > limit:
        cuts[f"{at}{field}"] = len(value)
    return value[:limit]


def _note_party(cuts: dict[str, int], *named: tuple[str, str]) -> None:
    """A party's name longer than its key column is cut by parties.py; its length on the page is noted here."""
    for what, name in named:
        if len(whole := " ".join(name.split())) > PARTY_NAME_LENGTH:
            cuts[what] = len(whole)


def _store_assets(article: Article, page: ExtractedPage, *, replace: bool,
                  cuts: dict[str, int]) -> tuple[list[Asset], list[Rejected]]:
    """Assets are matched by URL key, so re-ingesting keeps their ids, credits and status. A figure whose
    address cannot be accepted is rejected with its reason; the others are stored."""
    kept = {a.url_key: a for a in article.assets.all()} if replace else {}
    next_position = max((a.position for a in kept.values()), default=-1) + 1
    assets, rejected = [], []
    for figure in page.figures:
        key, refusal = _asset_key(figure)
        if refusal:
            rejected.append(refusal)
            continue
        if key in kept:
            assets.append(kept[key])
            continue
        credit = parse_credit(figure.credit_line, credit_element=figure.credit_origin == CREDIT_ELEMENT)
        holder = rights_holder_named(credit.holder)
        named = bool(credit.holder or credit.creator)
        where = f"{figure.kind} {figure.position + 1} "
        _note_party(cuts, (f"{where}credited holder", credit.holder), (f"{where}credited creator", credit.creator))
        asset = Asset.objects.create(
            article=article,
            position=next_position,
            kind=figure.kind,
            original_url=figure.url,
            url_key=key,
            credit_line=_fitted(Asset, "credit_line", figure.credit_line, cuts, at=where),
            credit_source=figure.credit_origin if named else "",
            credit_confidence=credit.confidence if named else "",
            caption=figure.caption,
            alt_text=_fitted(Asset, "alt_text", figure.alt, cuts, at=where),
            license=_fitted(Asset, "license", credit.license, cuts, at=where),
            creator=creator_named(credit.creator, Asset.creator_role_for(figure.kind), holder),
            rights_holder=holder,
            display=DISPLAY_BY_KIND.get(figure.kind, Asset.Display.HOTLINKED),
        )
        assets.append(asset)
        kept[key] = asset  # one picture shown twice on the page is one asset
        next_position += 1
    return assets, rejected
