"""Re-hosting: a live picture of a source that allows it, or one shown re-hosted by its own display
setting, is served from our stored copy."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from articles.models import Article, Asset
from imagerights.models import AssetFile, StoredFile


def rehosted_url(asset: Asset) -> str:
    """Our URL for the picture's bytes, or "" when it is to be linked from where it came from."""
    source = asset.article.source
    shown_from_us = asset.display == Asset.Display.REHOSTED or (source and source.rehost_pictures)
    if not (shown_from_us and asset.is_live):
        return ""
    link = AssetFile.objects.filter(asset=asset).select_related("file").order_by("-created_at", "-id").first()
    return reverse("picture", args=[link.file.sha256]) if link else ""


def servable(sha256: str) -> StoredFile | None:
    """The stored file, only while a live picture of a public article of a re-hosting source shows it:
    a withdrawn photo stops being served the moment it is withdrawn."""
    return (StoredFile.objects.filter(
        Q(asset_links__asset__article__source__rehost_pictures=True)
        | Q(asset_links__asset__display=Asset.Display.REHOSTED),
        sha256=sha256, asset_links__asset__status=Asset.Status.LIVE,
        asset_links__asset__article__status__in=Article.PUBLIC_STATUSES).first())


def is_demo_stand_in(asset: Asset) -> bool:
    """The picture shown is one the demo generated in place of the original, and must say so."""
    link = AssetFile.objects.filter(asset=asset).order_by("-created_at", "-id").first()
    return bool(link and link.origin == AssetFile.Origin.DEMO_STAND_IN)
