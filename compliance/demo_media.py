"""The demo's pictures and its fully documented article.

The seed article's photo, video and map are hotlinked from hosts that do not exist (.example), so
the demo shows generated stand-ins, stored like re-hosted pictures and labelled on the page as
generated (the credit line stays the original's). A second article shows a complete provenance
chain: known primary source, outlet, author, rights holder, licence and translation."""

from __future__ import annotations

import io
from pathlib import Path

import articles
from articles.models import Article, Asset, Source, SourceDomain
from articles.ingestion.page import ingest_page
from imagerights.models import AssetFile
from imagerights.services.store import store_bytes
from imagerights.synthetic import photo

SECOND_PAGE = Path(articles.__file__).resolve().parent / "demo" / "lviv-tram-article.html"
SECOND_URL = "https://lvivherald.example/city/2022/05/tram-line-1-reopens.html"
SECOND_SLUG = "lviv-reopens-its-oldest-tram-line"
SIZES = {Asset.Kind.PHOTO: (960, 640), Asset.Kind.MAP: (800, 800), Asset.Kind.VIDEO: (960, 540)}


def show_stand_ins(article: Article, *, seed: int) -> int:
    """Generated pictures in place of the article's unreachable ones (idempotent)."""
    shown = 0
    for asset in article.assets.filter(status=Asset.Status.LIVE, kind__in=SIZES).order_by("position"):
        data = io.BytesIO()
        photo(seed + asset.position, SIZES[asset.kind]).save(data, format="JPEG", quality=85)
        stored, _ = store_bytes(data.getvalue(), content_type="image/jpeg")
        AssetFile.objects.get_or_create(asset=asset, file=stored, defaults={
            "origin": AssetFile.Origin.DEMO_STAND_IN, "url": asset.original_url})
        Asset.objects.filter(pk=asset.pk).update(display=Asset.Display.REHOSTED)
        shown += 1
    return shown


def documented_article(*, actor: str) -> Article:
    """An article whose every provenance fact is known: fetched from its outlet, translated, licensed."""
    source, _ = Source.objects.get_or_create(slug="lviv-herald", defaults={
        "name": "Lviv Herald", "country": "UA", "language": "uk", "takedown_email": "rights@lvivherald.example",
        "rehost_pictures": True})
    SourceDomain.objects.get_or_create(host="lvivherald.example", defaults={"source": source})
    article = ingest_page(html=SECOND_PAGE.read_bytes(), source_url=SECOND_URL, translated_from="uk",
                          translation_engine="demo machine translation", basis=Article.Basis.LICENSE,
                          slug=SECOND_SLUG, actor=actor).article
    show_stand_ins(article, seed=7000)
    return article
