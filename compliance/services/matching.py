"""Resolving a notice's items to what we publish, set-wise: a few queries per notice, never one per URL."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve

from articles.models import Article, Asset, SourceDomain
from articles.urlnorm import host_aliases
from compliance.models import Notice, NoticeItem, NoticeItemMatch

How = NoticeItemMatch.How


def our_article_slug(normalised_url: str) -> str:
    """The slug when the URL is one of our article pages, else ""."""
    parts = urlsplit(normalised_url)
    if parts.hostname not in settings.PUBLIC_HOSTS:
        return ""
    try:
        match = resolve(parts.path)
    except Resolver404:
        return ""
    return match.kwargs.get("slug", "") if match.view_name == "articles:detail" else ""


def _article_match(item: NoticeItem, article: Article, how: str) -> NoticeItemMatch:
    return NoticeItemMatch(item=item, article=article, how=how, evidence_sha256=article.content_sha256,
                           evidence={"status": article.status, "title": article.title[:200]})


def _asset_match(item: NoticeItem, asset: Asset) -> NoticeItemMatch:
    # No asset bytes are kept yet: the evidence is the URL that was live and its credit line.
    return NoticeItemMatch(item=item, article_id=asset.article_id, asset=asset, how=How.ASSET_URL,
                           evidence_sha256=asset.url_key,
                           evidence={"status": asset.status, "credit_line": asset.credit_line[:300]})


def _url_matches(items: list[NoticeItem]) -> list[NoticeItemMatch]:
    by_key: dict[str, list[NoticeItem]] = defaultdict(list)
    by_slug: dict[str, list[NoticeItem]] = defaultdict(list)
    for item in items:
        by_key[item.url_key].append(item)
        slug = our_article_slug(item.normalised_url)
        if slug:
            by_slug[slug].append(item)
    matches = []
    for article in Article.objects.filter(slug__in=by_slug):
        matches += [_article_match(item, article, How.EXACT_URL) for item in by_slug[article.slug]]
    for article in Article.objects.filter(primary_source_key__in=by_key):
        matches += [_article_match(item, article, How.PRIMARY_SOURCE) for item in by_key[article.primary_source_key]]
    for asset in Asset.objects.filter(url_key__in=by_key):
        matches += [_asset_match(item, asset) for item in by_key[asset.url_key]]
    return matches


def _domain_matches(items: list[NoticeItem]) -> list[NoticeItemMatch]:
    items_by_alias: dict[str, list[NoticeItem]] = defaultdict(list)
    for item in items:
        for alias in host_aliases(urlsplit(item.normalised_url).hostname or ""):
            items_by_alias[alias].append(item)
    items_by_source: dict[int, list[NoticeItem]] = defaultdict(list)
    for domain in SourceDomain.objects.filter(host__in=items_by_alias):
        items_by_source[domain.source_id] += items_by_alias[domain.host]
    matches = []
    for article in Article.objects.filter(source_id__in=items_by_source).only(
            "id", "source_id", "status", "title", "content_sha256"):
        matches += [_article_match(item, article, How.DOMAIN) for item in dict.fromkeys(items_by_source[article.source_id])]
    return matches


def _deduplicated(matches: list[NoticeItemMatch]) -> list[NoticeItemMatch]:
    """One match per item and target; the most specific way of matching wins."""
    rank = {How.ASSET_URL: 0, How.EXACT_URL: 1, How.PRIMARY_SOURCE: 2, How.DOMAIN: 3}
    best: dict[tuple[int, int | None, int | None], NoticeItemMatch] = {}
    for match in sorted(matches, key=lambda m: rank[m.how]):
        best.setdefault((match.item.pk, match.article_id if not match.asset_id else None, match.asset_id), match)
    return list(best.values())


def match_items(notice: Notice, *, now: datetime) -> int:
    """Create the matches of every item still received; mark each matched or unmatched."""
    items = list(notice.items.filter(state=NoticeItem.State.RECEIVED))
    matches = _deduplicated(
        _url_matches([i for i in items if i.scope == NoticeItem.Scope.URL])
        + _domain_matches([i for i in items if i.scope == NoticeItem.Scope.DOMAIN])
    )
    for match in matches:
        match.created_at = now
    NoticeItemMatch.objects.bulk_create(matches, batch_size=2000)
    matched = {match.item.pk for match in matches}
    for item in items:
        item.state = NoticeItem.State.MATCHED if item.pk in matched else NoticeItem.State.UNMATCHED
        item.matched_at = now if item.pk in matched else None
    NoticeItem.objects.bulk_update(items, ["state", "matched_at"], batch_size=2000)
    return len(matches)
