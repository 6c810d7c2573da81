"""A page's value longer than its column is cut to fit and the cut recorded on the extraction event
(field and full length); an over-long command argument is refused with one line."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.ingestion.page import IngestError, ingest_page
from tests.articles.pages import news_page

pytestmark = pytest.mark.django_db
URL = "https://harbour.example/news/wall-rebuilt"


def test_an_over_long_title_and_alt_text_are_cut_and_the_cuts_recorded():
    title = "Harbour wall to be rebuilt before winter " + "and the storms that follow it " * 25
    alt = "The old harbour wall seen from the pier " * 40
    page = news_page(title=title, body=f'<figure><img src="https://cdn.harbour.example/wall.jpg" alt="{alt}">'
                                        "<figcaption>The old wall. Photo: Ann Lee/Harbour News</figcaption></figure>")

    article = ingest_page(html=page, source_url=URL).article

    cuts = article.provenance_events.get(kind="extracted").detail["cut_to_fit"]
    assert cuts["title"] > 500 and len(article.title) == 500
    assert cuts["photo 1 alt_text"] == len(alt.strip()) and len(article.assets.get().alt_text) == 1000


def test_a_page_that_fits_records_no_cut():
    article = ingest_page(html=news_page(), source_url=URL).article

    assert "cut_to_fit" not in article.provenance_events.get(kind="extracted").detail


def test_an_over_long_translation_engine_is_refused_not_cut(tmp_path):
    with pytest.raises(IngestError, match="translation engine's name is 101 characters; at most 100"):
        ingest_page(html=news_page(), source_url=URL, translated_from="uk", translation_engine="e" * 101)
    path = tmp_path / "page.html"
    path.write_bytes(news_page())

    with pytest.raises(CommandError, match="at most 100"):
        call_command("ingest_article", str(path), "--source-url", URL, "--translated-from", "uk",
                     "--translation-engine", "e" * 101, stdout=StringIO())


def test_an_over_long_author_name_is_cut_to_its_key_and_the_cut_recorded():
    name = "Ann" + " Lee" * 100  # 403 characters
    page = news_page(jsonld={"@context": "https://schema.org", "@type": "NewsArticle",
                             "headline": "Harbour wall to be rebuilt before winter",
                             "author": {"@type": "Person", "name": name}})

    article = ingest_page(html=page, source_url=URL).article

    assert article.provenance_events.get(kind="extracted").detail["cut_to_fit"]["author 1"] == len(name)
    assert article.creators.get().name == name[:300]
