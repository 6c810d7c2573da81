import pytest
from playwright.sync_api import expect

from articles.ingestion.page import ingest_page
from articles.actors import Actor
from compliance.services.withdrawal import withdraw_article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_reader_finds_the_article_its_credits_and_the_removal_link(live_server, page, seed_page_bytes):
    ingest_page(html=seed_page_bytes, source_url=None, translated_from="ru", slug="ukrainian-army-secures-kharkiv")

    page.goto(f"{live_server.url}/articles/")
    page.get_by_role("link", name="The Ukrainian army secures Kharkiv").click()

    assert page.url.endswith("/articles/ukrainian-army-secures-kharkiv/")
    attribution = page.get_by_role("region", name="Where this article comes from")
    assert "Primary source unknown" in attribution.inner_text()
    assert "Machine-translated from Russian" in attribution.inner_text()
    assert page.locator("figure.asset-photo .credit, figure.asset-photo figcaption").first.inner_text().endswith(
        "Photo by John Moore/Getty Images")
    assert page.locator("figure.asset").count() == 3
    page.get_by_role("link", name="Request removal").click()
    page.wait_for_url("**/takedown/")
    expect(page.get_by_role("heading", name="Request removal")).to_be_visible()
    assert page.url.endswith("/takedown/")


def test_withdrawn_article_shows_the_451_page(live_server, page):
    article = ArticleFactory(title="A report that was withdrawn")
    withdraw_article(article_id=article.pk, actor=Actor.parse("user:1"), reason="notice", reference="TD-2026-7F3KQ9")

    response = page.goto(f"{live_server.url}{article.get_absolute_url()}")

    assert response.status == 451
    expect(page.get_by_role("heading", name="This article has been withdrawn")).to_be_visible()
    assert "TD-2026-7F3KQ9" in page.inner_text("main")


def test_article_page_is_readable_on_a_phone(live_server, new_page, seed_page_bytes):
    article = ingest_page(html=seed_page_bytes, source_url=None).article
    page = new_page(viewport={"width": 375, "height": 740}, is_mobile=True)

    page.goto(f"{live_server.url}{article.get_absolute_url()}")

    assert page.evaluate("document.documentElement.scrollWidth") <= 375
