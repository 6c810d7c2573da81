"""The real photo's address, never the lazy loader's placeholder."""

import pytest

from articles.ingestion.extract import extract_page
from articles.ingestion.figures import is_placeholder_address, largest_candidate
from articles.models import Asset
from articles.ingestion.page import ingest_page
from tests.articles.pages import news_page

SPACER = "https://static.harbour.example/img/spacer.gif"


def _figure(img: str, caption: str = "Boats in the harbour. Photo: Ann Lee/Harbour News") -> str:
    return f"<figure>{img}<figcaption>{caption}</figcaption></figure>"


@pytest.mark.parametrize("img, real", [
    (f'<img src="{SPACER}" data-src="/photos/boats.jpg">', "https://harbour.example/photos/boats.jpg"),
    ('<img src="/img/loader.svg" data-lazy-src="/photos/boats.jpg">', "https://harbour.example/photos/boats.jpg"),
    ('<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-original="/photos/boats.jpg">',
     "https://harbour.example/photos/boats.jpg"),
    ('<img src="/img/blank.png" data-srcset="/photos/boats-320.jpg 320w, /photos/boats-1280.jpg 1280w, '
     '/photos/boats-640.jpg 640w">', "https://harbour.example/photos/boats-1280.jpg"),
    ('<picture><source srcset="/photos/boats.webp 1x, /photos/boats@2x.webp 2x"><img src="/img/placeholder.png">'
     "</picture>", "https://harbour.example/photos/boats@2x.webp"),
    ('<img class="lazy" src="/img/lazyload-grey.png"><noscript><img src="/photos/boats.jpg"></noscript>',
     "https://harbour.example/photos/boats.jpg"),
    ('<img src="/photos/boats.jpg">', "https://harbour.example/photos/boats.jpg"),
])
def test_the_real_address_wins_over_a_placeholder_src(img, real):
    page = extract_page(news_page(body=_figure(img)), page_url="https://harbour.example/news/boats")
    assert [(f.url, f.rejected) for f in page.figures] == [(real, "")]


def test_a_picture_in_noscript_is_the_same_figure_not_a_second_one():
    body = _figure('<img src="/img/spacer.gif" data-src="/photos/a.jpg"><noscript><img src="/photos/a.jpg"></noscript>')
    assert len(extract_page(news_page(body=body), page_url="https://harbour.example/n").figures) == 1


@pytest.mark.parametrize("url, placeholder", [
    ("data:image/png;base64,iVBOR", True), ("/assets/missing-image.svg", True), ("/img/spacer.gif", True),
    ("/img/grey.gif", True), ("/static/loader.gif", True), ("/photos/grey-heron.jpg", False),
    ("/photos/clear-skies-over-the-bay.jpg", False), ("/photos/blanket-bog.jpg", False),
])
def test_placeholder_addresses(url, placeholder):
    assert is_placeholder_address(url) is placeholder


def test_largest_srcset_candidate_keeps_commas_inside_addresses():
    srcset = "https://img.example/w_320,h_200/boats.jpg 320w, https://img.example/w_1200,h_800/boats.jpg 1200w"
    assert largest_candidate(srcset) == "https://img.example/w_1200,h_800/boats.jpg"


@pytest.mark.django_db
def test_placeholders_are_never_stored_as_an_asset_address():
    body = (_figure('<img src="/assets/missing-image.svg">', "The quay. Photo: Ann Lee/Harbour News")
            + _figure('<img src="/photos/cranes.jpg" data-src="/photos/cranes-big.jpg">', "Cranes. Photo: Bo Ek/Harbour News")
            + _figure('<img src="/photos/same.jpg">', "The mayor. Photo: Cy Ng/Harbour News")
            + _figure('<img src="/photos/same.jpg">', "The ferry. Photo: Di Ho/Harbour News"))
    article = ingest_page(html=news_page(body=body), source_url="https://harbour.example/news/quay").article

    assert list(Asset.objects.values_list("original_url", flat=True)) == ["https://harbour.example/photos/cranes-big.jpg"]
    reasons = [part["reason"] for part in article.rejected_parts]
    assert reasons[0].startswith("the only address is a placeholder")
    assert reasons[1:] == ["one address shown for 2 pictures with different captions"] * 2
