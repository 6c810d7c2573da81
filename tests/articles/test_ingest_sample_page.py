import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.fingerprints import sha256_hex
from articles.models import Article, Asset, ProvenanceEvent
from articles.ingestion.page import IngestError, ingest_page

pytestmark = pytest.mark.django_db


def test_seed_page_becomes_an_article_with_three_credited_assets(seed_page_bytes):
    result = ingest_page(html=seed_page_bytes, source_url=None, translated_from="und")

    article = result.article
    assert result.created
    assert article.status == Article.Status.PUBLISHED
    assert [c.name for c in article.creators.all()] == ["Rick Schindler"]
    assets = list(article.assets.order_by("position"))
    assert [(a.kind, a.credit_line) for a in assets] == [
        ("photo", "Photo by John Moore/Getty Images"),
        ("video", "Source: Ministry of Defence of Ukraine."),
        ("map", "Map: Institute for the Study of War"),
    ]
    assert [a.rights_holder.name for a in assets] == [
        "Getty Images", "Ministry of Defence of Ukraine", "Institute for the Study of War"]
    assert assets[0].creator.name == "John Moore"
    assert assets[1].display == Asset.Display.IFRAME


def test_missing_primary_source_is_recorded_as_unknown_not_invented(seed_page_bytes):
    article = ingest_page(html=seed_page_bytes, source_url=None).article

    assert article.primary_source_url == ""
    assert article.primary_source_key == ""
    assert article.source is None
    assert len(article.lookup_key) == 64
    fetched = article.provenance_events.get(kind=ProvenanceEvent.Kind.FETCHED)
    assert fetched.detail["primary_source"] == "unknown"


def test_provenance_events_carry_hashes_of_input_and_output(seed_page_bytes):
    article = ingest_page(html=seed_page_bytes, source_url=None, translated_from="de",
                          translation_engine="deepl").article

    kinds = list(article.provenance_events.values_list("kind", flat=True))
    assert kinds == ["fetched", "extracted", "translated", "published"]
    extracted = article.provenance_events.get(kind="extracted")
    assert extracted.input_sha256 == sha256_hex(seed_page_bytes)
    assert extracted.output_sha256 == article.content_sha256 == sha256_hex(article.body)
    translated = article.provenance_events.get(kind="translated")
    assert translated.detail == {"engine": "deepl", "from": "de", "to": "en"}


def test_ingesting_the_same_page_twice_makes_one_article(seed_page_bytes):
    first = ingest_page(html=seed_page_bytes, source_url=None)
    second = ingest_page(html=seed_page_bytes, source_url=None)

    assert second.article.pk == first.article.pk
    assert not second.created and not second.changed
    assert Article.objects.count() == 1
    assert Asset.objects.count() == 3
    assert ProvenanceEvent.objects.count() == 3


def test_primary_source_spellings_are_kept_and_the_key_is_normalised(seed_page_bytes):
    article = ingest_page(
        html=seed_page_bytes,
        source_url="HTTPS://Edition.CNN.example:443/2022/05/16/europe/kharkiv/index.html?utm_source=x#top",
    ).article

    assert article.primary_source_url_raw.startswith("HTTPS://Edition.CNN.example:443")
    assert article.primary_source_url == "https://edition.cnn.example/2022/05/16/europe/kharkiv/index.html"
    # The site's registrable domain too, so a notice for all of cnn.example reaches it.
    assert set(article.source.domains.values_list("host", flat=True)) == {"edition.cnn.example", "cnn.example"}


def test_republished_page_with_changed_text_is_updated_and_records_an_edit(seed_page_bytes):
    url = "https://outlet.example/a.html"
    first = ingest_page(html=seed_page_bytes, source_url=url).article
    edited = seed_page_bytes.replace(b"Serhiy Zhadan posted", b"Serhiy Zhadan wrote")

    second = ingest_page(html=edited, source_url=url)

    assert second.article.pk == first.pk and second.changed
    assert second.article.provenance_events.filter(kind="edited").count() == 1
    assert second.article.assets.count() == 3


@pytest.mark.parametrize("content, message", [
    (b"", "input is empty"),
    (b"%PDF-1.7 binary", "input is not HTML"),
    (b"just some words, no markup", "input is not HTML"),
])
def test_bad_input_is_refused_and_nothing_is_saved(content, message):
    with pytest.raises(IngestError, match=message):
        ingest_page(html=content, source_url="https://outlet.example/a.html")
    assert Article.objects.count() == 0


def test_command_ingests_the_page(tmp_path, seed_page_bytes, capsys):
    page = tmp_path / "page.html"
    page.write_bytes(seed_page_bytes)

    call_command("ingest_article", str(page), "--source-url", "https://outlet.example/a.html",
                 "--translated-from", "de", "--translation-engine", "deepl")

    assert "created: article" in capsys.readouterr().out
    assert Article.objects.get().translation_engine == "deepl"


@pytest.mark.parametrize("args, message", [
    ([], "no source URL"),
    (["--source-url", "javascript:alert(1)"], "source URL is not usable"),
    (["--source-url", "https://outlet.example/", "--translation-engine", "deepl"], "needs --translated-from"),
])
def test_command_refuses_bad_arguments_with_one_line(tmp_path, seed_page_bytes, args, message):
    page = tmp_path / "page.html"
    page.write_bytes(seed_page_bytes)

    with pytest.raises(CommandError, match=message):
        call_command("ingest_article", str(page), *args)
    assert Article.objects.count() == 0


def test_command_refuses_a_file_that_is_not_html(tmp_path):
    page = tmp_path / "notice.pdf"
    page.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3 binary")

    with pytest.raises(CommandError, match="not HTML"):
        call_command("ingest_article", str(page), "--source-url", "https://outlet.example/a.html")
