from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from articles.jsonld import article_jsonld, as_script_json
from articles.models import Article
from articles.selectors import article_for_page, public_articles

ARTICLES_PER_PAGE = 20


def article_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(public_articles(), ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "articles/list.html", {"page": page})


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = article_for_page(slug)
    if article is None or article.status == Article.Status.HELD:
        raise Http404("No such article")
    if article.status == Article.Status.WITHDRAWN:
        return _unavailable_for_legal_reasons(request, article)
    assets = list(article.assets.all())
    return render(request, "articles/detail.html", {
        "article": article,
        "assets": assets,
        "asset_template": settings.ARTICLES_ASSET_TEMPLATE,
        "jsonld": as_script_json(article_jsonld(article, assets)),
    })


def _unavailable_for_legal_reasons(request: HttpRequest, article: Article) -> HttpResponse:
    response = render(request, "articles/withdrawn.html", {"article": article}, status=451)
    # RFC 7725: name who implements the block, here our own takedown policy page.
    response["Link"] = f'<{settings.SITE_URL}{reverse("takedown")}>; rel="blocked-by"'
    return response

