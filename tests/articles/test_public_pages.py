import json
import re

import pytest

from articles.models import Article
from articles.ingestion.page import ingest_page
from articles.actors import Actor
from compliance.services.withdrawal import withdraw_article, withdraw_asset
from tests.factories import ArticleFactory, AssetFactory, RightsHolderFactory

pytestmark = pytest.mark.django_db


def _jsonld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_article_page_shows_attribution_and_each_credit(client, seed_page_bytes):
    article = ingest_page(html=seed_page_bytes, source_url=None, translated_from="ru",
                          translation_engine="deepl").article

    response = client.get(article.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "Primary source unknown" in html
    assert "Rick Schindler" in html
    assert "Machine-translated from Russian by deepl." in html
    assert html.count("Photo by John Moore/Getty Images") >= 1
    assert "Map: Institute for the Study of War" in html
    assert 'href="/takedown/"' in html


def test_jsonld_names_primary_source_translation_and_rights(client):
    article = ArticleFactory(primary="https://outlet.example/story.html", translated_from="uk",
                             rights_holder=RightsHolderFactory(name="Kyiv Example Media"), license="CC BY 4.0")
    AssetFactory(article=article, credit_line="Photo by Jane Doe/Example Agency")

    data = _jsonld(client.get(article.get_absolute_url()).content.decode())

    assert data["isBasedOn"] == "https://outlet.example/story.html"
    assert data["translationOfWork"] == {"@type": "NewsArticle", "inLanguage": "uk",
                                         "url": "https://outlet.example/story.html"}
    assert data["copyrightHolder"]["name"] == "Kyiv Example Media"
    assert data["license"] == "CC BY 4.0"
    assert data["associatedMedia"][0]["creditText"] == "Photo by Jane Doe/Example Agency"


def test_markup_in_titles_cannot_escape_the_page_or_the_jsonld(client):
    article = ArticleFactory(title='</script><script>alert("x")</script><b>bold</b>')

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<script>alert" not in html
    assert "<b>bold</b>" not in html
    assert _jsonld(html)["headline"] == article.title


def test_withdrawn_article_answers_451_with_blocked_by_link(client, settings):
    settings.SITE_URL = "https://news.example"
    article = ArticleFactory()
    withdraw_article(article_id=article.pk, actor=Actor.parse("user:1"), reason="copyright notice", reference="TD-2026-7F3KQ9")

    response = client.get(article.get_absolute_url())

    assert response.status_code == 451
    assert response["Link"] == '<https://news.example/takedown/>; rel="blocked-by"'
    html = response.content.decode()
    assert "withdrawn at a rights holder" in html
    assert "TD-2026-7F3KQ9" in html
    assert "Second paragraph of the report" not in html


def test_withdrawn_asset_is_replaced_while_the_article_stays_up(client):
    asset = AssetFactory(original_url="https://cdn.example/img/tank.jpg")
    withdraw_asset(asset_id=asset.pk, actor=Actor.parse("user:1"), reason="agency notice", reference="TD-2026-AAAAAA")

    response = client.get(asset.article.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "removed at the rights holder's request" in html
    assert "https://cdn.example/img/tank.jpg" not in html
    assert "associatedMedia" not in html


def test_held_article_is_not_public(client):
    article = ArticleFactory(status=Article.Status.HELD)

    assert client.get(article.get_absolute_url()).status_code == 404
    assert article.title not in client.get("/articles/").content.decode()


def test_article_list_is_paginated_and_lists_only_public_articles(client):
    ArticleFactory.create_batch(25)
    ArticleFactory(title="Withdrawn one", status=Article.Status.WITHDRAWN)

    first = client.get("/articles/").content.decode()
    second = client.get("/articles/?page=2").content.decode()

    assert first.count("<li><a href=") == 20 and second.count("<li><a href=") == 5
    assert "Withdrawn one" not in first + second
    assert "Page 1 of 2" in first


def test_takedown_page_explains_how_to_ask(client):
    html = client.get("/takedown/").content.decode()

    assert "within 24 hours" in html and "takedown@" in html


def test_the_page_shows_its_assets_with_the_plain_template_articles_has_alone(client, settings, seed_page_bytes):
    settings.ARTICLES_ASSET_TEMPLATE = "articles/_asset.html"  # no imagerights: credits, no picture marks
    article = ingest_page(html=seed_page_bytes, source_url=None).article

    html = client.get(article.get_absolute_url()).content.decode()

    assert html.count("Photo by John Moore/Getty Images") >= 1
    assert "Map: Institute for the Study of War" in html
    assert f'src="{article.assets.first().original_url}"' in html
