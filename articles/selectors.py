from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from articles.models import Article, Asset


def public_articles() -> QuerySet[Article]:
    return Article.objects.filter(status__in=Article.PUBLIC_STATUSES).select_related("source").order_by(
        "-published_at", "-id"
    )


def article_for_page(slug: str) -> Article | None:
    return (
        Article.objects.select_related("source", "rights_holder")
        .prefetch_related(
            "creators",
            Prefetch("assets", queryset=Asset.objects.select_related("creator", "rights_holder").order_by("position")),
        )
        .filter(slug=slug)
        .first()
    )
