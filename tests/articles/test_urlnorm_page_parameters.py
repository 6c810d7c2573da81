"""Keys that keep articles apart: only tracking beyond doubt is dropped from a URL."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.models import Article
from articles.ingestion.page import ingest_page
from articles.urlnorm import normalise_url, url_key
from tests.articles.pages import news_page

PAGE_NAMING = ["id", "p", "cid", "uid", "source", "session", "gallery", "article", "pid", "story", "ref", "medium",
               "campaign", "keyword", "aff", "partner", "ga", "sessionid", "clid"]


@pytest.mark.parametrize("name", PAGE_NAMING)
def test_parameters_that_can_name_a_page_are_kept(name):
    assert normalise_url(f"https://harbour.example/view?{name}=7&utm_source=x") == f"https://harbour.example/view?{name}=7"
    assert url_key(f"https://harbour.example/view?{name}=7") != url_key(f"https://harbour.example/view?{name}=8")


@given(st.sampled_from(PAGE_NAMING), st.integers(0, 10**6), st.integers(0, 10**6))
@settings(max_examples=60, deadline=None)
def test_two_pages_named_by_a_kept_parameter_never_share_a_key(name, a, b):
    same = url_key(f"https://harbour.example/view?{name}={a}") == url_key(f"https://harbour.example/view?{name}={b}")
    assert same == (a == b)


@pytest.mark.parametrize("tracker", ["utm_campaign", "fbclid", "gclid", "mc_cid", "mc_eid", "msclkid", "itm_source",
                                     "_ga", "igshid", "xtor", "pk_campaign", "mtm_source"])
def test_trackers_beyond_doubt_are_dropped(tracker):
    assert normalise_url(f"https://harbour.example/view?cid=3&{tracker}=x") == "https://harbour.example/view?cid=3"


@pytest.mark.django_db
def test_a_site_that_names_articles_by_cid_keeps_them_apart():
    first = ingest_page(html=news_page(title="Wall"), source_url="https://harbour.example/story.php?cid=101&utm_medium=rss")
    second = ingest_page(html=news_page(title="Cranes", paragraphs=("Cranes arrived at the quay on Monday morning.",)),
                         source_url="https://harbour.example/story.php?cid=102&fbclid=abc")
    assert first.article.pk != second.article.pk
    assert sorted(Article.objects.values_list("primary_source_url", flat=True)) == [
        "https://harbour.example/story.php?cid=101", "https://harbour.example/story.php?cid=102"]
