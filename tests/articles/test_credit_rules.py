"""Credit lines split by ordered rules; a caption without a credit pattern names nobody."""

import pytest

from articles.credits import parse_credit
from articles.ingestion.extract import extract_page
from articles.models import Asset
from articles.ingestion.page import ingest_page
from imagerights.models import RightsReading
from imagerights.services.asset_files import link_file
from imagerights.services.readings import read_asset_file
from tests.articles.pages import news_page
from tests.imagerights.pictures import photo_jpeg, with_iptc_xmp


@pytest.mark.parametrize("line, creator, holder, rule, confidence", [
    ("Photo: Ann Lee/Harbour Agency", "Ann Lee", "Harbour Agency", "creator/holder", "medium"),
    ("Photo by Ann Lee/Getty Images", "Ann Lee", "Getty Images", "creator/holder", "high"),
    ("Ann Lee for The Harbour Times", "Ann Lee", "The Harbour Times", "for a publication", "high"),
    ("Photo by Ann Lee for Harbour Weekly", "Ann Lee", "Harbour Weekly", "for a publication", "high"),
    ("Credit...Bo Ek/The Harbour Times", "Bo Ek", "The Harbour Times", "creator/holder", "medium"),
    ("(Reuters)", "", "Reuters", "agency alone", "high"),
    ("Image: Cy Ng via Getty Images", "Cy Ng", "Getty Images", "via a distributor", "high"),
    ("Cy Ng/AFP via Getty Images", "Cy Ng", "Getty Images", "via a distributor", "high"),
    ("© Harbour Media 2021", "", "Harbour Media", "labelled name", "medium"),
    ("© AFP", "", "AFP", "agency alone", "high"),
    ("Getty Images", "", "Getty Images", "agency alone", "high"),
    ("AP Photo/Di Ho", "Di Ho", "AP", "agency first", "high"),
    ("Reuters/Di Ho", "Di Ho", "Reuters", "agency first", "high"),
    ("(Image: Getty Images) Getty", "", "Getty Images", "agency alone", "high"),
    ("Foto: Eva Berg | Flickr | CC BY 2.0", "Eva Berg", "Flickr", "creator/holder", "high"),
    ("Foto: AdobeStock/Eva Berg", "Eva Berg", "AdobeStock", "agency first", "high"),
    ("©Foto: Getty Images/iStockphoto/eva-berg (M)", "eva-berg", "Getty Images", "agency first", "high"),
    ("Quelle: evaberg / Fotolia.com", "evaberg", "Fotolia.com", "creator/holder", "high"),
    ("Foto: evaberg – stock.adobe.com", "evaberg", "stock.adobe.com", "creator/holder", "high"),
    ("Bildquelle: EvaB22 (CC0) - (Symbolbild)", "", "EvaB22", "labelled name", "medium"),
    ("Source: Harbour Authority.", "", "Harbour Authority", "labelled name", "medium"),
    ("Map: Institute for the Study of Tides", "", "Institute for the Study of Tides", "labelled name", "medium"),
])
def test_credit_patterns(line, creator, holder, rule, confidence):
    credit = parse_credit(line)
    assert (credit.creator, credit.holder, credit.rule, credit.confidence) == (creator, holder, rule, confidence)


@pytest.mark.parametrize("caption", [
    "The buoy is painted yellow/green so that boats see it at night",
    "A photo by the river at dawn",
    "Source: the harbour master explained at length how the tides shape the quay and why the wall must be higher",
])
def test_a_caption_without_a_credit_pattern_names_nobody(caption):
    credit = parse_credit(caption)
    assert (credit.creator, credit.holder) == ("", "")


def test_a_bare_name_is_a_credit_only_in_an_element_marked_as_the_credit():
    assert parse_credit("Eva Berg", credit_element=True).holder == "Eva Berg"
    assert parse_credit("Eva Berg").holder == ""
    assert parse_credit("Picture 1 of 4 © Eva Berg", credit_element=True).holder == "Eva Berg"


def test_the_licence_is_read_beside_the_names():
    assert parse_credit("Foto: Eva Berg | Flickr | CC BY-SA 2.0").license == "CC BY-SA 2.0"


def _figures(body: str):
    return extract_page(news_page(body=body), page_url="https://harbour.example/n").figures


def test_an_inner_credit_element_is_the_credit_and_the_caption_stays_whole():
    figure, = _figures('<figure><img src="/a.jpg"><figcaption><span>The new quay at dusk.</span>'
                       '<span itemprop="copyrightHolder"><span>Credit...</span><span>Bo Ek/The Harbour Times</span>'
                       "</span></figcaption></figure>")
    assert figure.credit_line == "Credit...Bo Ek/The Harbour Times"
    assert figure.credit_origin == "credit_element"
    assert figure.caption.startswith("The new quay at dusk.")


def test_a_figcaption_classed_credit_is_still_a_caption():
    figure, = _figures('<figure><img src="/a.jpg"><figcaption class="caption-credit">Workers lift a block of '
                       "concrete into the sea while gulls circle. Photo: Ann Lee/Harbour Agency</figcaption></figure>")
    assert figure.credit_line == "Photo: Ann Lee/Harbour Agency"
    assert figure.credit_origin == "caption_pattern"


def test_a_figcaption_with_no_credit_has_no_credit_line():
    figure, = _figures('<figure><img src="/a.jpg"><figcaption>The buoys are yellow/green.</figcaption></figure>')
    assert (figure.credit_line, figure.credit_origin) == ("", "")


@pytest.mark.django_db
def test_assets_record_where_their_credit_was_read_and_how_sure_it_is():
    body = ('<figure><img src="/a.jpg"><figcaption>Quay. <cite>AP Photo/Di Ho</cite></figcaption></figure>'
            '<figure><img src="/b.jpg"><figcaption>Cranes. Photo: Ann Lee/Harbour Agency</figcaption></figure>'
            '<figure><img src="/c.jpg"><figcaption>The buoys are yellow/green.</figcaption></figure>')
    ingest_page(html=news_page(body=body), source_url="https://harbour.example/news/quay")
    rows = list(Asset.objects.order_by("position").values_list(
        "credit_source", "credit_confidence", "rights_holder__name", "creator__name"))
    assert rows == [("credit_element", "high", "AP", "Di Ho"),
                    ("caption_pattern", "medium", "Harbour Agency", "Ann Lee"),
                    ("", "", None, None)]


@pytest.mark.django_db
def test_iptc_in_the_file_is_recorded_as_where_the_credit_came_from():
    ingest_page(html=news_page(body='<figure><img src="/a.jpg"><figcaption>Quay. Photo: Ann Lee/Harbour Agency'
                                    "</figcaption></figure>"), source_url="https://harbour.example/news/q")
    asset = Asset.objects.get()
    data = with_iptc_xmp(photo_jpeg(24), creator="Bo Ek", copyright_owner="Tide Pictures")
    stored = link_file(asset, data=data, content_type="image/jpeg", origin="warc", url=asset.original_url, actor="t")
    read_asset_file(asset=asset, stored=stored, data=data, actor="t")

    asset.refresh_from_db()
    assert (asset.rights_holder.name, asset.credit_source, asset.credit_confidence) == (
        "Tide Pictures", "iptc_in_file", "high")
    assert RightsReading.objects.filter(asset=asset, witness="iptc_xmp").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("head, jsonld, holder, where", [
    ("", {"@type": "NewsArticle", "headline": "H", "copyrightHolder": {"@type": "Organization", "name": "Tide Media"},
          "publisher": {"name": "Harbour News"}}, "Tide Media", "JSON-LD copyrightHolder"),
    ('<meta name="dc.rights" content="© 2021 Tide Media. All rights reserved.">', None, "Tide Media", "dc.rights"),
    ("", {"@type": "NewsArticle", "headline": "H", "publisher": {"@type": "Organization", "name": "Harbour News"}},
     "Harbour News", "JSON-LD publisher"),
    ('<meta property="article:publisher" content="Harbour News Ltd">', None, "Harbour News Ltd", "article:publisher"),
    ('<meta property="article:publisher" content="https://www.facebook.com/harbournews">'
     '<meta property="og:site_name" content="Harbour News">', None, "Harbour News", "site name"),
    ('<meta name="copyright" content="(c) 2018 - 2024 Tide Media GmbH">', None, "Tide Media GmbH", "meta copyright"),
    ('<meta name="publisher" content="Harbour Verlag">', None, "Harbour Verlag", "meta publisher"),
])
def test_the_article_rights_holder_and_where_it_was_read(head, jsonld, holder, where):
    article = ingest_page(html=news_page(head=head, jsonld=jsonld), source_url="https://harbour.example/news/q").article
    assert (article.rights_holder.name, article.rights_holder_source) == (holder, where)


@pytest.mark.django_db
def test_the_footers_copyright_line_is_the_last_resort():
    page = news_page().replace(b"</article>", "</article><footer><p>Impressum · © Copyright 2019-2024 by "
                                              "Harbour News Ltd | Privacy</p></footer>".encode())
    article = ingest_page(html=page, source_url="https://harbour.example/news/q").article
    assert (article.rights_holder.name, article.rights_holder_source) == ("Harbour News Ltd", "footer ©")


@pytest.mark.django_db
def test_a_page_of_unknown_origin_does_not_make_its_sites_name_the_rights_holder():
    page = news_page(head='<meta property="og:site_name" content="Some Aggregator">')
    assert ingest_page(html=page, source_url=None).article.rights_holder is None
    declared = news_page(jsonld={"@type": "NewsArticle", "headline": "H", "copyrightHolder": "Tide Media"})
    assert ingest_page(html=declared, source_url=None).article.rights_holder.name == "Tide Media"
