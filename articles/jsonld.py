"""schema.org JSON-LD for an article page: where it came from, who holds the rights, credits."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article, Asset

_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}
_IMAGE_TYPES = {Asset.Kind.PHOTO: "ImageObject", Asset.Kind.MAP: "ImageObject", Asset.Kind.VIDEO: "VideoObject"}


def _party(name: str, kind: str = "Organization") -> dict[str, str]:
    return {"@type": kind, "name": name}


def _asset(asset: Asset) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@type": _IMAGE_TYPES.get(asset.kind, "MediaObject"),
        "contentUrl": asset.original_url,
        "creditText": asset.credit_line,
    }
    if asset.caption:
        data["caption"] = asset.caption
    if asset.creator:
        data["creator"] = _party(asset.creator.name, "Person")
    if asset.rights_holder:
        data["copyrightHolder"] = _party(asset.rights_holder.name)
    if asset.license:
        data["license"] = asset.license
    for extra in settings.ARTICLES_ASSET_JSONLD_EXTRAS:
        data.update(import_string(extra)(asset))
    return data


def article_jsonld(article: Article, assets: list[Asset]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "url": settings.SITE_URL + article.get_absolute_url(),
        "inLanguage": article.language,
        "author": [_party(c.name, "Person") for c in article.creators.all()],
    }
    if article.published_at:
        data["datePublished"] = article.published_at.isoformat()
    if article.primary_source_url:
        # A syndicated copy: the original first, then the copy we took it from.
        data["isBasedOn"] = ([article.primary_source_url, article.taken_from_url] if article.taken_from_url
                             else article.primary_source_url)
    if article.translated_from:
        original: dict[str, Any] = {"@type": "NewsArticle", "inLanguage": article.translated_from}
        if article.primary_source_url:
            original["url"] = article.primary_source_url
        data["translationOfWork"] = original
    if article.source:
        data["sourceOrganization"] = _party(article.source.name)
    if article.rights_holder:
        data["copyrightHolder"] = _party(article.rights_holder.name)
    if article.credit_text:
        data["creditText"] = article.credit_text
    if article.license:
        data["license"] = article.license
    live = [_asset(a) for a in assets if a.is_live]
    if live:
        data["associatedMedia"] = live
    return data


def as_script_json(data: dict[str, Any]) -> SafeString:
    """JSON safe to place inside <script>: no character of it can close the element."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES))
