"""Getting each picture of an article from a web capture or by download, storing it, reading its rights."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from articles.models import Article, Asset, ProvenanceEvent
from articles.ingestion.page import IngestResult, ingest_page
from imagerights.models import AssetFile
from imagerights.services.address_guard import FetchRefused
from imagerights.services.fetch import fetch_image
from imagerights.services.image_gate import PhotoMatch, withdrawn_matches_for_article
from imagerights.services.readings import read_asset_file
from imagerights.services.store import store_bytes
from imagerights.services.warc import Capture, CaptureError, read_capture

log = logging.getLogger(__name__)


class PhotoMatchHandler(Protocol):
    """What IMAGERIGHTS_PHOTO_MATCH_HANDLER names (compliance.staydown.photos.hold_for_withdrawn_photos):
    given an article whose pictures copy withdrawn photos, as (our asset id, match), it holds and audits;
    True when it held the article now."""

    def __call__(self, *, article: Article, matches: list[tuple[int, PhotoMatch]], actor: str) -> bool: ...


PICTURE_KINDS = (Asset.Kind.PHOTO, Asset.Kind.MAP)

__all__ = ["CaptureError", "FileOutcome", "attach_files", "ingest_with_files"]


@dataclass(frozen=True)
class FileOutcome:
    asset_id: int
    url: str
    sha256: str = ""
    problem: str = ""


def ingest_with_files(*, html: bytes | None, warc: Path | None, page_url: str | None, fetch_assets: bool,
                      source_url: str | None, primary_source_unknown: bool, actor: str,
                      **ingest_options: str | None) -> IngestResult:
    """ingest_article's path when pictures are wanted: the page from the capture (or the file), then its files.

    Without a source URL, a captured page's own URL is its primary source, unless declared unknown.
    """
    capture = read_capture(warc) if warc else None
    page = None
    if capture is not None:
        page = capture.page(page_url)
        html = page.body
        if not source_url and not primary_source_unknown:
            source_url = page.url
    if html is None:
        raise CaptureError("no page: give the HTML file or --warc CAPTURE")
    result = ingest_page(html=html, source_url=source_url, actor=actor, **ingest_options)
    outcomes = attach_files(result.article, capture=capture, fetch=fetch_assets, actor=actor,
                            base_url=page.url if page else (source_url or ""))
    for outcome in outcomes:
        log.info("asset %s %s: %s", outcome.asset_id, outcome.url, outcome.sha256 or outcome.problem)
    report_photo_matches(result.article, actor=actor)
    return result


def report_photo_matches(article: Article, *, actor: str) -> None:
    """Hand copies of withdrawn photos to the handler named in IMAGERIGHTS_PHOTO_MATCH_HANDLER (compliance
    holds and audits); the gate itself ran before the files were known."""
    if not settings.IMAGERIGHTS_PHOTO_MATCH_HANDLER:
        return
    matches = withdrawn_matches_for_article(article.pk)
    if matches:
        handler: PhotoMatchHandler = import_string(settings.IMAGERIGHTS_PHOTO_MATCH_HANDLER)
        handler(article=article, matches=matches, actor=actor)


def attach_files(article: Article, *, capture: Capture | None, fetch: bool, actor: str,
                 base_url: str = "") -> list[FileOutcome]:
    outcomes = []
    for asset in article.assets.filter(kind__in=PICTURE_KINDS).order_by("position"):
        outcomes.append(_attach_one(asset, capture=capture, fetch=fetch, actor=actor, base_url=base_url))
    return outcomes


def _attach_one(asset: Asset, *, capture: Capture | None, fetch: bool, actor: str, base_url: str) -> FileOutcome:
    captured = capture.response_for(asset.original_url, base=base_url) if capture else None
    if captured is not None:
        origin, url, content_type, data = AssetFile.Origin.WARC, captured.url, captured.content_type, captured.body
    elif fetch:
        try:
            fetched = fetch_image(asset.original_url)
        except FetchRefused as exc:
            ProvenanceEvent.objects.create(article_id=asset.article_id, asset=asset, kind=ProvenanceEvent.Kind.FETCHED,
                                           actor=actor, detail={"url": asset.original_url, "refused": str(exc)})
            return FileOutcome(asset.pk, asset.original_url, problem=str(exc))
        origin, url, content_type, data = AssetFile.Origin.FETCH, fetched.url, fetched.content_type, fetched.data
    else:
        return FileOutcome(asset.pk, asset.original_url, problem="not in the capture")
    stored = link_file(asset, data=data, content_type=content_type, origin=origin, url=url, actor=actor)
    read_asset_file(asset=asset, stored=stored, data=data, actor=actor)
    return FileOutcome(asset.pk, asset.original_url, sha256=stored.sha256)


def link_file(asset: Asset, *, data: bytes, content_type: str, origin: str, url: str, actor: str):
    """Store the bytes once, note that the asset was seen with them, and record where they came from."""
    stored, _ = store_bytes(data, content_type=content_type)
    with transaction.atomic():
        _, new = AssetFile.objects.get_or_create(asset=asset, file=stored, defaults={"origin": origin, "url": url})
        if new:
            ProvenanceEvent.objects.create(
                article_id=asset.article_id, asset=asset, kind=ProvenanceEvent.Kind.FETCHED, actor=actor,
                occurred_at=timezone.now(), output_sha256=stored.sha256,
                detail={"url": url, "origin": origin, "content_type": stored.content_type, "size": stored.size})
        if asset.file_sha256 != stored.sha256:
            asset.file_sha256 = stored.sha256
            asset.save(update_fields=["file_sha256"])
    return stored
