"""Every known address of an article matches: a notice naming any of them reaches it."""

import pytest

from articles.models import ArticleUrlKey
from articles.ingestion.page import ingest_page
from compliance.models import NoticeItemMatch
from compliance.services.intake import receive_notice
from tests.articles.pages import news_page
from tests.compliance.intake_helpers import submission

pytestmark = pytest.mark.django_db

FETCHED = "https://edition.harbour.example/2024/03/02/wall-rebuilt/index.html?utm_source=rss"
HEAD = ('<link rel="canonical" href="https://www.harbour.example/news/wall-rebuilt">'
        '<meta property="og:url" content="https://harbour.example/news/wall-rebuilt?share=1">'
        '<link rel="amphtml" href="https://amp.harbour.example/news/wall-rebuilt.amp">'
        '<link rel="alternate" media="only screen and (max-width: 640px)" href="https://m.harbour.example/wall">'
        '<link rel="alternate" hreflang="de" href="https://harbour.example/de/mauer">')


@pytest.fixture
def article():
    return ingest_page(html=news_page(head=HEAD), source_url=FETCHED,
                       final_url="https://edition.harbour.example/2024/03/02/wall-rebuilt/index.html").article


def _reached(*urls: str, domains: tuple[str, ...] = ()) -> set[int]:
    notice = receive_notice(channel="web", submission=submission(*urls, domains=domains)).notice
    return set(NoticeItemMatch.objects.filter(item__notice=notice).values_list("article_id", flat=True))


def test_each_known_address_is_stored_with_its_key(article):
    assert sorted(ArticleUrlKey.objects.filter(article=article).values_list("kind", "url")) == [
        ("alternate", "https://amp.harbour.example/news/wall-rebuilt.amp"),
        ("alternate", "https://m.harbour.example/wall"),
        ("canonical", "https://www.harbour.example/news/wall-rebuilt"),
        ("given", "https://edition.harbour.example/2024/03/02/wall-rebuilt/index.html"),
        ("og_url", "https://harbour.example/news/wall-rebuilt?share=1"),
    ]
    assert article.primary_source_url == "https://www.harbour.example/news/wall-rebuilt"


@pytest.mark.parametrize("named", [
    "http://edition.harbour.example/2024/03/02/wall-rebuilt/index.html",
    "https://www.harbour.example/news/wall-rebuilt#top",
    "https://harbour.example/news/wall-rebuilt?share=1",
    "https://amp.harbour.example/news/wall-rebuilt.amp",
    "https://m.harbour.example/wall?fbclid=x",
])
def test_a_notice_naming_any_known_address_reaches_the_article(article, named):
    assert _reached(named) == {article.pk}


def test_an_address_of_another_language_version_is_not_this_article(article):
    assert _reached("https://harbour.example/de/mauer") == set()


@pytest.mark.parametrize("domain", ["harbour.example", "edition.harbour.example", "www.harbour.example"])
def test_a_domain_notice_for_the_host_of_any_known_address_reaches_it(article, domain):
    assert _reached(domains=(domain,)) == {article.pk}


def test_re_ingesting_replaces_addresses_the_page_no_longer_declares(article):
    ingest_page(html=news_page(head='<link rel="canonical" href="https://www.harbour.example/news/wall-rebuilt">',
                               paragraphs=("An edited text about the wall.",)), source_url=FETCHED,
                final_url="https://edition.harbour.example/2024/03/02/wall-rebuilt/index.html")
    assert set(ArticleUrlKey.objects.filter(article=article).values_list("kind", flat=True)) == {"given", "canonical"}
