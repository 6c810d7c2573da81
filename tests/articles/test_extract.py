"""articles.ingestion.extract: pure extraction, no Django, no database."""

from __future__ import annotations

import hashlib
import json

import pytest

from articles.ingestion.extract import ExtractedPage, NotAnArticle, extract_page
from articles.ingestion.figures import find_credit
from tests.fixtures import SEED_PAGE as SEED


@pytest.fixture(scope="module")
def seed() -> ExtractedPage:
    if not SEED.is_file():
        pytest.fail(f"sample page missing: {SEED}")
    return extract_page(SEED.read_bytes())


# -- the real sample page ---------------------------------------------------------

def test_seed_metadata(seed: ExtractedPage) -> None:
    assert seed.title == ("The Ukrainian army secures Kharkiv, the second largest city, "
                          "and advances to the Russian border")
    assert seed.authors == ("Rick Schindler",)
    assert seed.language == "en"
    assert seed.site_name == "World Time Todays"


def test_seed_declares_no_primary_source(seed: ExtractedPage) -> None:
    assert seed.canonical_url == ""
    assert seed.based_on_url == ""
    assert seed.copyright_holder == seed.license == seed.credit_text == ""
    # htmldate's extensive search would guess "2022-05-16" from the photo caption.
    assert seed.published == ""


def test_seed_body(seed: ExtractedPage) -> None:
    assert "Serhiy Zhadan" in seed.body
    assert "Photo by John Moore" not in seed.body
    assert "Source: Ministry of Defence" not in seed.body
    assert "automatic aggregator" not in seed.body
    assert not seed.body.startswith("The Ukrainian army secures")  # the <h1> is the title
    assert "\n\nRick Schindler" not in seed.body  # byline paragraph
    assert seed.body.count("\n\n") == 11  # 12 <p> in <article>, byline dropped
    assert seed.content_sha256 == hashlib.sha256(seed.body.encode("utf-8")).hexdigest()


def test_seed_figures(seed: ExtractedPage) -> None:
    photo, video, map_ = seed.figures
    assert (photo.kind, photo.position) == ("photo", 0)
    assert photo.url == "https://cdn.worldtimetodays.example/img/2022/05/biskvitne-tank.jpg"
    assert photo.credit_line == "Photo by John Moore/Getty Images"
    assert photo.caption.startswith("A local resident collects pieces of aluminum")
    assert photo.caption.endswith("Photo by John Moore/Getty Images")
    assert photo.alt == "Karkhiv's Russian retreat on May 16"

    assert (video.kind, video.position) == ("video", 1)
    assert video.url == "https://video.example/embed/mod-ua-kharkiv-border"
    assert video.credit_line == "Source: Ministry of Defence of Ukraine."  # as shown: period kept

    assert (map_.kind, map_.position) == ("map", 2)
    assert map_.url == "https://maps.example/isw/2022-05-16-kharkiv.png"
    assert map_.credit_line == "Map: Institute for the Study of War"


def test_seed_as_str_equals_bytes(seed: ExtractedPage) -> None:
    assert extract_page(SEED.read_text(encoding="utf-8")) == seed


# -- small inline pages ---------------------------------------------------------------

BODY = "<p>" + "Paragraph text about the events in the region, long enough to count. " * 3 + "</p>"


def page(head: str = "", body: str = BODY, html_attrs: str = "") -> str:
    return (f"<!doctype html><html{html_attrs}><head><meta charset='utf-8'>{head}</head>"
            f"<body><article>{body}</article><footer><p>Site footer text.</p></footer></body></html>")


JSONLD = {
    "@context": "https://schema.org",
    "@graph": [
        {"@type": "WebSite", "name": "Graph Site", "url": "https://aggregator.example/"},
        {
            "@type": "NewsArticle",
            "headline": "JSON-LD headline",
            "author": [{"@type": "Person", "name": "Ann Author"}, "Bob Writer"],
            "datePublished": "2022-05-16T09:30:00+03:00",
            "inLanguage": "de-DE",
            "publisher": {"@type": "Organization", "name": "Origin Daily"},
            "url": "https://origin.example/2022/05/16/story",
            "mainEntityOfPage": {"@id": "https://origin.example/other"},
            "isBasedOn": {"@type": "CreativeWork", "url": "https://primary.example/original"},
            "copyrightHolder": {"@type": "Organization", "name": "Origin Media Group"},
            "license": "https://creativecommons.org/licenses/by/4.0/",
            "creditText": "Origin Daily / Jane Reporter",
        },
    ],
}
META_HEAD = (
    '<meta property="og:title" content="OG title">'
    '<meta property="og:site_name" content="OG Site">'
    '<meta property="og:locale" content="fr_FR">'
    '<meta property="article:published_time" content="2001-01-01">'
    '<meta name="author" content="Meta Author">'
    "<title>Title tag - OG Site</title>"
)


def test_jsonld_fields_honoured_and_win_over_meta() -> None:
    head = META_HEAD + f'<script type="application/ld+json">{json.dumps(JSONLD)}</script>'
    result = extract_page(page(head, "<h1>H1 title</h1>" + BODY, ' lang="es"'))
    assert result.title == "JSON-LD headline"
    assert result.authors == ("Ann Author", "Bob Writer")
    assert result.published == "2022-05-16T09:30:00+03:00"
    assert result.language == "de"
    assert result.site_name == "Origin Daily"
    assert result.canonical_url == "https://origin.example/2022/05/16/story"
    assert result.based_on_url == "https://primary.example/original"
    assert result.copyright_holder == "Origin Media Group"
    assert result.license == "https://creativecommons.org/licenses/by/4.0/"
    assert result.credit_text == "Origin Daily / Jane Reporter"
    assert "Paragraph text about the events" in result.body
    assert "Site footer text" not in result.body


def test_jsonld_string_variants_and_translation_of_work() -> None:
    data = {"@context": "https://schema.org", "@type": "BlogPosting", "headline": "Post",
            "author": "Solo Author", "copyrightHolder": "Holder Ltd",
            "translationOfWork": "https://primary.example/uk/original"}
    result = extract_page(page(f'<script type="application/ld+json">{json.dumps(data)}</script>'))
    assert result.authors == ("Solo Author",)
    assert result.copyright_holder == "Holder Ltd"
    assert result.based_on_url == "https://primary.example/uk/original"
    assert result.canonical_url == ""


def test_jsonld_graph_references_by_id_resolved() -> None:
    data = {"@context": "https://schema.org", "@graph": [
        {"@type": "Article", "headline": "Yoast style", "author": {"@id": "#person"},
         "publisher": {"@id": "#org"}, "mainEntityOfPage": {"@id": "https://origin.example/p/"}},
        {"@type": "Person", "@id": "#person", "name": "Ref Author"},
        {"@type": "Organization", "@id": "#org", "name": "Ref Publisher"},
    ]}
    result = extract_page(page(f'<script type="application/ld+json">{json.dumps(data)}</script>'))
    assert result.authors == ("Ref Author",)
    assert result.site_name == "Ref Publisher"
    assert result.canonical_url == "https://origin.example/p/"


def test_malformed_jsonld_block_does_not_hide_valid_one() -> None:
    good = {"@context": "https://schema.org", "@type": "Article", "headline": "Good block"}
    head = ('<script type="application/ld+json">{"broken": </script>'
            f'<script type="application/ld+json">{json.dumps(good)}</script>')
    assert extract_page(page(head)).title == "Good block"


def test_meta_fallbacks_without_structured_data() -> None:
    result = extract_page(page(META_HEAD, "<h1>H1 title</h1>" + BODY, ' lang="es"'))
    assert result.title == "OG title"
    assert result.site_name == "OG Site"
    assert result.authors == ("Meta Author",)
    assert result.published == "2001-01-01"
    assert result.language == "fr"  # og:locale before <html lang>


def test_title_falls_back_to_title_tag_without_site_suffix() -> None:
    head = '<meta property="og:site_name" content="The Site"><title>Story title | The Site</title>'
    assert extract_page(page(head)).title == "Story title"
    assert extract_page(page("<title>Story - Other</title>")).title == "Story - Other"


def test_og_url_used_when_no_rel_canonical() -> None:
    head = '<meta property="og:url" content="https://origin.example/og">'
    assert extract_page(page(head)).canonical_url == "https://origin.example/og"
    head += '<link rel="canonical" href="https://origin.example/canonical">'
    assert extract_page(page(head)).canonical_url == "https://origin.example/canonical"


def test_relative_urls_resolved_against_page_url() -> None:
    body = BODY + ('<figure><img src="/img/a.jpg" alt="A"><figcaption>Caption text. '
                   "Photo: Jane Doe/Reuters</figcaption></figure>")
    head = '<link rel="canonical" href="/news/story">'
    result = extract_page(page(head, body), page_url="https://agg.example/section/page.html")
    assert result.figures[0].url == "https://agg.example/img/a.jpg"
    assert result.figures[0].credit_line == "Photo: Jane Doe/Reuters"
    assert result.canonical_url == "https://agg.example/news/story"
    assert "Caption text" not in result.body


def test_no_date_guessed_from_text_and_the_url_path_date_is_marked_as_such() -> None:
    body = "<p>Written on May 16, 2022 in Kharkiv.</p>" + BODY
    result = extract_page(page("", body), page_url="https://agg.example/2022/05/16/story.html")
    assert (result.published, result.published_from) == ("2022-05-16", "url_path")
    assert extract_page(page("", body), page_url="https://agg.example/story.html").published == ""


def test_figure_kinds_and_credit_element() -> None:
    body = BODY + (
        '<figure><video><source src="clip.mp4"></video><figcaption>Clip</figcaption></figure>'
        '<figure><iframe src="https://www.youtube.com/embed/x"></iframe></figure>'
        '<figure><iframe src="https://widgets.example/poll"></iframe>'
        "<figcaption>A poll</figcaption></figure>"
        '<figure class="photo"><img src="b.jpg"><figcaption>Front line. '
        '<span class="image-credit">AP Photo/Evgeniy Maloletka</span></figcaption></figure>'
    )
    figs = extract_page(page("", body), page_url="https://agg.example/a/").figures
    assert [f.kind for f in figs] == ["video", "video", "embed", "photo"]
    assert figs[0].url == "https://agg.example/a/clip.mp4"
    assert (figs[0].caption, figs[0].credit_line) == ("Clip", "")  # no credit phrase: only a caption
    assert figs[1].credit_line == figs[1].caption == ""
    assert figs[3].credit_line == "AP Photo/Evgeniy Maloletka"
    assert [f.position for f in figs] == [0, 1, 2, 3]


def test_microdata_article_used_when_no_jsonld() -> None:
    body = ('<div itemscope itemtype="https://schema.org/NewsArticle">'
            '<h2 itemprop="headline">Microdata headline</h2>'
            '<span itemprop="author" itemscope itemtype="https://schema.org/Person">'
            '<span itemprop="name">Mia Data</span></span>'
            '<meta itemprop="datePublished" content="2022-05-17">' + BODY + "</div>")
    result = extract_page(page('<meta property="og:title" content="OG title">', body))
    assert (result.title, result.authors, result.published) == (
        "Microdata headline", ("Mia Data",), "2022-05-17")


def test_byline_paragraph_equal_to_author_dropped() -> None:
    head = '<meta name="author" content="Jane Doe">'
    result = extract_page(page(head, BODY + "<p>By Jane Doe</p><p>Jane Doe</p>"))
    assert "Jane Doe" not in result.body
    assert result.body.startswith("Paragraph text")


def test_body_falls_back_to_article_paragraphs(monkeypatch: pytest.MonkeyPatch) -> None:
    import articles.ingestion.extract as extract_module

    monkeypatch.setattr(extract_module.trafilatura, "bare_extraction", lambda *a, **k: None)
    body = ("<p>First paragraph.</p><figure><img src='x.jpg'><figcaption><p>Caption para. "
            "Photo: X</p></figcaption></figure><p>Second\n   paragraph.</p>")
    result = extract_page(page("<title>T</title>", body))
    assert result.body == "First paragraph.\n\nSecond paragraph."
    assert result.figures[0].credit_line == "Photo: X"


@pytest.mark.parametrize(("caption", "credit"), [
    ("A tank. Photo by John Moore/Getty Images", "Photo by John Moore/Getty Images"),
    ("Ruins in Kharkiv. Photograph: J. Smith/AP", "Photograph: J. Smith/AP"),
    ("Ruins in Kharkiv (Photo: Reuters)", "Photo: Reuters"),
    ("Ruins in Kharkiv. © Origin Media 2022", "© Origin Media 2022"),
    ("Ruins in Kharkiv. John Moore/Getty Images", "John Moore/Getty Images"),
    ("Video of troops. Source: Ministry of Defence of Ukraine.", "Source: Ministry of Defence of Ukraine."),
    ("A photo by the river at dawn", ""),
    ("The flag is yellow/green", ""),
    ("Leaders meet in Brussels (Reuters)", "(Reuters)"),
    ("Map: ISW. Photo by Ann Lee", "Photo by Ann Lee"),
])
def test_find_credit(caption: str, credit: str) -> None:
    assert find_credit(caption) == credit


def test_windows_1251_bytes_decoded() -> None:
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
            "<title>Харків звільнено</title></head><body><article><h1>Харків звільнено</h1>"
            "<p>Українські війська вийшли до державного кордону з Росією поблизу Харкова. "
            "Мешканці міста повертаються до звичного життя.</p></article></body></html>")
    result = extract_page(html.encode("windows-1251"))
    assert result.title == "Харків звільнено"
    assert "Українські війська" in result.body
    assert "\ufffd" not in result.body


def test_meta_charset_and_undeclared_bytes() -> None:
    html = "<html><head><meta charset=koi8-r><title>Россия</title></head><body><p>Текст</p></body></html>"
    assert extract_page(html.encode("koi8-r")).title == "Россия"
    latin = b"<html><body><h1>Caf\xe9</h1><p>x</p></body></html>"  # undeclared: UTF-8, replaced
    assert extract_page(latin).title == "Caf\ufffd"


@pytest.mark.parametrize(("raw", "reason"), [
    (b"", "input is empty"),
    ("", "input is empty"),
    (b"   \n\t ", "input is empty"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<</Type /Catalog>>\nendobj\n", "input is not HTML"),
    ("Just some plain text.\nNo markup here at all.", "input is not HTML"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "input is not HTML"),
    ("<html><head></head><body><div></div></body></html>", "page has no title or body text"),
])
def test_not_an_article(raw: bytes | str, reason: str) -> None:
    with pytest.raises(NotAnArticle) as excinfo:
        extract_page(raw)
    assert str(excinfo.value) == reason
    assert isinstance(excinfo.value, ValueError)
