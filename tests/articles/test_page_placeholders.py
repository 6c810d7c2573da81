"""Placeholders are absent values: dates, a masthead <h1>, bylines with more than a name."""

import pytest
import time_machine

from articles.ingestion.bylines import Byline, clean_bylines
from articles.ingestion.extract import extract_page
from articles.models import Creator
from articles.ingestion.page import ingest_page
from tests.articles.pages import news_page

URL = "https://harbour.example/2019/11/19/wall-rebuilt/"


@pytest.mark.parametrize("declared", ["0001-01-01T00:00:00Z", "1970-01-01T00:00:00+00:00", "1899-12-30", "2031-01-01"])
@time_machine.travel("2026-06-01 12:00:00+00:00", tick=False)
def test_a_placeholder_date_is_no_date_and_the_url_path_date_is_the_marked_fallback(declared):
    page = extract_page(news_page(jsonld={"@type": "NewsArticle", "headline": "H", "datePublished": declared}),
                        page_url=URL)
    assert (page.published, page.published_from) == ("2019-11-19", "url_path")


@time_machine.travel("2026-06-01 12:00:00+00:00", tick=False)
def test_a_plausible_declared_date_wins_and_no_date_is_invented():
    declared = news_page(jsonld={"@type": "NewsArticle", "headline": "H", "datePublished": "2019-11-20T08:00:00Z"})
    assert (extract_page(declared, page_url=URL).published_from) == "declared"
    placeholder = news_page(jsonld={"@type": "NewsArticle", "headline": "H", "datePublished": "0001-01-01T00:00:00Z"})
    assert extract_page(placeholder, page_url="https://harbour.example/news/wall").published == ""


@pytest.mark.django_db
@time_machine.travel("2026-06-01 12:00:00+00:00", tick=False)
def test_the_stored_date_says_where_it_was_read():
    page = news_page(jsonld={"@type": "NewsArticle", "headline": "H", "datePublished": "0001-01-01T00:00:00Z"})
    article = ingest_page(html=page, source_url=URL).article
    assert article.original_published_at.isoformat() == "2019-11-19T00:00:00+00:00"
    assert article.original_published_from == "url_path"


@pytest.mark.parametrize("masthead", [
    '<header><div class="site-logo"><h1><a href="/">Harbour News</a></h1></div></header>',
    '<h1><a href="/"><img src="/logo.png" alt="Harbour News"></a></h1>',
    "<h1>Harbour News</h1>",
])
def test_the_title_headline_beats_a_masthead_h1(masthead):
    html = (f"<!doctype html><html><head><title>Harbour wall to be rebuilt before winter | Harbour News</title>"
            f"</head><body>{masthead}<div><p>{'The harbour authority said the wall would be rebuilt. ' * 5}</p>"
            f"</div></body></html>")
    assert extract_page(html).title == "Harbour wall to be rebuilt before winter"


def test_an_article_h1_still_wins():
    html = ("<html><head><title>Harbour News</title></head><body><div class='site-logo'>Harbour News</div>"
            "<article><h1>Cranes arrive at the quay</h1><p>" + "Text about the cranes at the quay. " * 6
            + "</p></article></body></html>")
    assert extract_page(html).title == "Cranes arrive at the quay"


@pytest.mark.parametrize("raw, expected", [
    ("By ANNA KOWALSKA, Harbour Auto Writer", [Byline("Anna Kowalska", "Harbour Auto Writer")]),
    ("Harbour News wire services Published", [Byline("Harbour News wire services", "Harbour News wire services")]),
    ("By Ann Lee and Bo Ek", [Byline("Ann Lee"), Byline("Bo Ek")]),
    ("Cy Ng | Tide Agency", [Byline("Cy Ng", "Tide Agency")]),
    ("By Di Ho - Updated 10:32 AM", [Byline("Di Ho")]),
    ("Eva Berg", [Byline("Eva Berg")]),
])
def test_bylines_cleaned_to_names_with_the_organisation_as_affiliation(raw, expected):
    assert clean_bylines(raw) == expected


@pytest.mark.django_db
def test_authors_are_stored_by_name_with_their_affiliation_and_the_publisher_is_not_a_person():
    jsonld = {"@type": "NewsArticle", "headline": "H", "author": ["By ANNA KOWALSKA, Harbour Auto Writer",
                                                                  {"@type": "Organization", "name": "Harbour News"}],
              "publisher": {"@type": "Organization", "name": "Harbour News"}}
    article = ingest_page(html=news_page(jsonld=jsonld), source_url="https://harbour.example/news/w").article
    assert list(article.creators.values_list("name", "affiliation")) == [("Anna Kowalska", "Harbour Auto Writer")]
    assert not Creator.objects.filter(name="Harbour News").exists()
