"""A portal's copy of an article published elsewhere: the original is the primary source, its
publisher the rights holder, and the portal where we took it from."""

import json

import pytest

from articles.models import ArticleUrlKey, Creator
from articles.ingestion.page import ingest_page
from compliance.exports.provenance import ExportFilter, iter_rows
from compliance.exports.provenance_jsonld import row_node
from compliance.models import NoticeItemMatch
from compliance.services.intake import receive_notice
from tests.articles.pages import news_page
from tests.compliance.intake_helpers import submission

pytestmark = pytest.mark.django_db

PORTAL = "https://www.portal.example/en-gb/news/harbour-wall/ar-AA1xyz?ocid=home"
ORIGINAL = "https://edition.tidenews.example/2024/03/02/harbour-wall/index.html"
JSONLD = {"@type": "NewsArticle", "headline": "Harbour wall to be rebuilt",
          "author": [{"@type": "Person", "name": "Ann Lee"}, {"@type": "Organization", "name": "Tide News"}],
          "publisher": {"@type": "Organization", "name": "Portal News", "url": "https://www.portal.example/"},
          "sourceOrganization": {"@type": "Organization", "name": "Tide News", "url": "https://tidenews.example/"}}


def _copy(head: str = f'<link rel="canonical" href="{ORIGINAL}">', jsonld: dict | None = JSONLD, **extra):
    page = news_page(head=head + '<meta property="og:site_name" content="Portal News">', jsonld=jsonld, **extra)
    return ingest_page(html=page, source_url=PORTAL).article


def _reached(*urls: str, domains: tuple[str, ...] = ()) -> set[int]:
    notice = receive_notice(channel="web", submission=submission(*urls, domains=domains)).notice
    return set(NoticeItemMatch.objects.filter(item__notice=notice).values_list("article_id", flat=True))


def test_the_original_is_the_primary_source_and_its_publisher_the_rights_holder():
    article = _copy()

    assert article.primary_source_url == ORIGINAL
    assert (article.source.name, article.taken_from.name) == ("Tide News", "Portal News")
    assert article.taken_from_url == "https://www.portal.example/en-gb/news/harbour-wall/ar-AA1xyz?ocid=home"
    assert (article.rights_holder.name, article.rights_holder_source) == ("Tide News", "original publisher")
    assert list(article.creators.values_list("name", flat=True)) == ["Ann Lee"]
    assert not Creator.objects.filter(name="Tide News").exists()
    assert set(ArticleUrlKey.objects.filter(article=article).values_list("kind", flat=True)) == {"given", "original"}


def test_the_original_publishers_notice_by_url_or_by_domain_reaches_the_copy():
    article = _copy()
    assert _reached("http://edition.tidenews.example/2024/03/02/harbour-wall/index.html") == {article.pk}
    assert _reached(domains=("tidenews.example",)) == {article.pk}
    assert _reached(domains=("edition.tidenews.example",)) == {article.pk}
    # The portal's own notice reaches it too: we took it from there.
    assert _reached(PORTAL) == {article.pk}
    assert _reached(domains=("portal.example",)) == {article.pk}


@pytest.mark.parametrize("head, jsonld, body", [
    (f'<meta property="og:url" content="{ORIGINAL}">', None, ""),
    ("", {"@type": "NewsArticle", "headline": "H", "isBasedOn": ORIGINAL}, ""),
    ("", None, f'<p><em>This article was originally published by <a href="{ORIGINAL}">Tide News</a>.</em></p>'),
])
def test_og_url_is_based_on_and_an_originally_published_statement_declare_the_original(head, jsonld, body):
    article = _copy(head=head, jsonld=jsonld, body=body)
    assert article.primary_source_url == ORIGINAL
    assert article.taken_from.name == "Portal News"
    assert article.rights_holder is not None and article.rights_holder.name in ("Tide News", "tidenews.example")


def test_a_canonical_to_another_sites_homepage_is_not_an_original():
    article = _copy(head='<link rel="canonical" href="https://tidenews.example/">', jsonld=None)
    assert article.primary_source_url.startswith("https://www.portal.example/")
    assert article.taken_from is None


def test_a_study_the_article_is_based_on_is_not_its_original():
    article = _copy(head="", jsonld={"@type": "NewsArticle", "headline": "H", "isBasedOn": {
        "@type": "ScholarlyArticle", "url": "https://journal.example/papers/42"}})
    assert article.taken_from is None


def test_provenance_chain_public_page_and_exports_name_both(client):
    article = _copy()

    fetched = article.provenance_events.get(kind="fetched")
    assert fetched.detail["primary_source"] == ORIGINAL
    assert fetched.detail["taken_from"] == article.taken_from_url
    assert fetched.detail["original_declared_by"] == "canonical"

    page = client.get(article.get_absolute_url()).content.decode()
    assert f'href="{ORIGINAL}"' in page and "Taken from" in page and "Portal News" in page
    jsonld = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert jsonld["isBasedOn"] == [ORIGINAL, article.taken_from_url]

    row = next(r for r in iter_rows(ExportFilter(), personal_data=False) if r.record == "article")
    assert (row.primary_source_url, row.taken_from, row.source) == (ORIGINAL, article.taken_from_url, "Tide News")
    node = row_node(row)
    assert node["prov:hadPrimarySource"] == {"@id": ORIGINAL}
    assert node["prov:wasDerivedFrom"] == {"@id": article.taken_from_url}
    assert row.flat()["taken_from"] == article.taken_from_url
