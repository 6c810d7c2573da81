import re
from urllib.parse import urlsplit

import pytest

from articles.models import Article
from articles.actors import Actor
from compliance.services.withdrawal import withdraw_article
from tests.factories import ArticleFactory, RightsHolderFactory, SourceFactory

pytestmark = pytest.mark.django_db


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_api_is_for_staff_only(client, django_user_model):
    assert client.get("/api/v1/articles/").status_code == 403
    client.force_login(django_user_model.objects.create_user("claimant", password="x-y-z-123"))
    assert client.get("/api/v1/articles/").status_code == 403


def test_a_staff_token_is_refused_the_second_factor_is_not_skipped(client, django_user_model):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=django_user_model.objects.create_user("bot", is_staff=True))
    ArticleFactory()

    response = client.get("/api/v1/articles/", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code in (401, 403) and "two-factor" in response.json()["detail"]


def test_a_staff_session_without_its_second_factor_is_not_staff_to_the_api(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("pw-only", password="x-y-z-123", is_staff=True))

    assert client.get("/api/v1/articles/").status_code == 403


def test_filter_by_primary_source_url_in_any_spelling(staff_client):
    article = ArticleFactory(primary="https://edition.cnn.example/2022/05/16/europe/kharkiv/index.html")
    ArticleFactory(primary="https://edition.cnn.example/2022/05/16/europe/other/index.html")
    spelling = "HTTPS://Edition.CNN.example:443/2022/05/16/europe/kharkiv/index.html?utm_source=x&fbclid=1#c"

    assert _ids(staff_client.get("/api/v1/articles/", {"primary_source_url": spelling})) == {article.pk}


def test_malformed_primary_source_url_filter_is_a_400(staff_client):
    response = staff_client.get("/api/v1/articles/", {"primary_source_url": "javascript:alert(1)"})

    assert response.status_code == 400
    assert "primary_source_url" in response.json()


def test_filters_by_source_status_and_rights_holder(staff_client):
    source, holder = SourceFactory(), RightsHolderFactory()
    mine = ArticleFactory(source=source, rights_holder=holder)
    withdrawn = ArticleFactory(source=source)
    withdraw_article(article_id=withdrawn.pk, actor=Actor.parse("user:1"), reason="notice")
    other = ArticleFactory()

    assert _ids(staff_client.get("/api/v1/articles/", {"source": source.pk})) == {mine.pk, withdrawn.pk}
    assert _ids(staff_client.get("/api/v1/articles/", {"status": "withdrawn"})) == {withdrawn.pk}
    assert _ids(staff_client.get("/api/v1/articles/", {"rights_holder": holder.pk})) == {mine.pk}
    assert other.pk in _ids(staff_client.get("/api/v1/articles/", {"status": "published"}))


def test_cursor_pagination_walks_every_article_once(staff_client):
    ArticleFactory.create_batch(7)
    seen, url = [], "/api/v1/articles/?page_size=3"
    while url:
        page = staff_client.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]

    assert sorted(seen) == sorted(Article.objects.values_list("id", flat=True))
    assert len(seen) == 7


def test_provenance_endpoint_lists_assets_and_events(staff_client, seed_page_bytes):
    from articles.ingestion.page import ingest_page

    article = ingest_page(html=seed_page_bytes, source_url=None).article

    data = staff_client.get(f"/api/v1/articles/{article.pk}/provenance/").json()

    assert [a["credit_line"] for a in data["assets"]][0] == "Photo by John Moore/Getty Images"
    assert [e["kind"] for e in data["events"]] == ["fetched", "extracted", "published"]
    assert data["article"]["primary_source_url"] == ""


def test_sources_and_rights_holders_are_listed(staff_client):
    source = SourceFactory(host="outlet-x.example")
    RightsHolderFactory(name="Getty Images")

    sources = staff_client.get("/api/v1/sources/").json()["results"]
    holders = staff_client.get("/api/v1/rights-holders/").json()["results"]

    assert sources[0]["domains"] == ["outlet-x.example"] and sources[0]["id"] == source.pk
    assert [h["name"] for h in holders] == ["Getty Images"]


def test_openapi_schema_and_docs_are_served_offline(client):
    schema = client.get("/api/schema/")
    docs = client.get("/api/docs/")

    assert schema.status_code == 200 and b"/api/v1/articles/" in schema.content
    assert docs.status_code == 200
    # Served offline: every script, stylesheet and image comes from us (a random CSRF token may spell "cdn").
    assets = re.findall(r'(?:src|href)\s*=\s*["\']([^"\']+)', docs.content.decode())
    assert assets and all(urlsplit(url).netloc in ("", "testserver") for url in assets), assets
    assert set(re.findall(r"https?://([^/\"'\s]+)", docs.content.decode())) <= {"testserver"}
