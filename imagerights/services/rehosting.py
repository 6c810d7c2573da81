"""Re-hosting, per source: a live picture of a source that allows it is served from our stored copy."""

from __future__ import annotations

from django.urls import reverse

from articles.models import Article, Asset
from imagerights.models import AssetFile, StoredFile


def rehosted_url(asset: Asset) -> str:
    """Our URL for the picture's bytes, or "" when it is to be linked from where it came from."""
    source = asset.article.source
    if not (source and source.rehost_pictures and asset.is_live):
        return ""
    link = AssetFile.objects.filter(asset=asset).select_related("file").order_by("-created_at", "-id").first()
    return reverse("picture", args=[link.file.sha256]) if link else ""


def servable(sha256: str) -> StoredFile | None:
    """The stored file, only while a live picture of a public article of a re-hosting source shows it:
    a withdrawn photo stops being served the moment it is withdrawn."""
    return (StoredFile.objects.filter(
        sha256=sha256, asset_links__asset__status=Asset.Status.LIVE,
        asset_links__asset__article__status__in=Article.PUBLIC_STATUSES,
        asset_links__asset__article__source__rehost_pictures=True).first())
