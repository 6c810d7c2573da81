import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article, ProvenanceEvent
from imagerights.models import AssetFile, RightsReading
from tests.imagerights.captures import write_warc
from tests.imagerights.pictures import photo_jpeg, sign_c2pa, with_iptc_xmp

pytestmark = pytest.mark.django_db
PAGE_URL = "https://news.example/2022/05/16/kharkiv-retreat"
PHOTO_URL = "https://cdn.worldtimetodays.example/img/2022/05/biskvitne-tank.jpg"
MAP_URL = "https://maps.example/isw/2022-05-16-kharkiv.png"


def getty_photo(chain) -> bytes:
    data = with_iptc_xmp(photo_jpeg(30), creator="John Moore", credit="Getty Images",
                         copyright_notice="© 2022 Getty Images", copyright_owner="Getty Images")
    return sign_c2pa(data, chain, author="John Moore", holder="Getty Images")


def test_seed_capture_ingests_with_rights_from_the_photo_and_the_mark_on_the_page(
        tmp_path, seed_page_bytes, trusted, client):
    capture = write_warc(tmp_path / "seed.warc.gz", [
        ("https://news.example/robots.txt", "text/plain", b"User-agent: *"),
        (PAGE_URL, "text/html; charset=utf-8", seed_page_bytes),
        (PHOTO_URL, "image/jpeg", getty_photo(trusted)),
    ])

    call_command("ingest_article", "--warc", str(capture))

    article = Article.objects.get()
    assert article.primary_source_url_raw == PAGE_URL
    photo = article.assets.get(kind="photo")
    assert photo.rights_holder.name == "Getty Images" and photo.creator.name == "John Moore"
    link = AssetFile.objects.get(asset=photo)
    assert link.origin == "warc" and photo.file_sha256 == link.file.sha256
    assert RightsReading.objects.get(asset=photo, witness="c2pa").state == "trusted"
    assert ProvenanceEvent.objects.filter(asset=photo, kind="extracted", detail__witness="c2pa").exists()
    assert not AssetFile.objects.filter(asset__kind="map").exists()  # the map is not in the capture
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Content Credentials: Getty Images Content Credentials" in page


def test_url_picks_the_page_and_an_absent_one_is_a_one_line_error(tmp_path, seed_page_bytes):
    capture = write_warc(tmp_path / "two.warc", [
        ("https://news.example/other", "text/html", b"<html><head><title>Other</title></head><body><p>x</p></body></html>"),
        (PAGE_URL, "text/html", seed_page_bytes),
        (MAP_URL, "image/png", b"\x89PNG\r\n\x1a\n broken"),
    ], gzip=False)

    call_command("ingest_article", "--warc", str(capture), "--url", PAGE_URL)

    article = Article.objects.get()
    assert "Kharkiv" in article.title
    assert AssetFile.objects.get().asset.kind == "map"  # a broken PNG is still stored, as evidence
    with pytest.raises(CommandError, match="no successful response for https://news.example/missing"):
        call_command("ingest_article", "--warc", str(capture), "--url", "https://news.example/missing")


def test_a_truncated_capture_keeps_what_it_could_read(tmp_path, seed_page_bytes, chain):
    whole = write_warc(tmp_path / "whole.warc", [
        (PAGE_URL, "text/html", seed_page_bytes), (PHOTO_URL, "image/jpeg", getty_photo(chain))], gzip=False)
    cut = tmp_path / "cut.warc"
    cut.write_bytes(whole.read_bytes()[:len(seed_page_bytes) + 3000])

    call_command("ingest_article", "--warc", str(cut))

    assert Article.objects.get().assets.count() == 3
    assert not AssetFile.objects.exists()


def test_a_capture_that_is_not_one_is_a_one_line_error(tmp_path):
    junk = tmp_path / "junk.warc.gz"
    junk.write_bytes(b"\x1f\x8b\x08\x00 not really gzip")

    with pytest.raises(CommandError, match="junk.warc.gz"):
        call_command("ingest_article", "--warc", str(junk))
    with pytest.raises(CommandError, match="either the HTML file or --warc"):
        call_command("ingest_article", "--source-url", PAGE_URL)


HANDED: list[tuple[int, list]] = []


def hold_for_test(*, article, matches, actor) -> None:
    HANDED.append((article.pk, matches))


def test_a_captured_copy_of_a_withdrawn_photo_is_handed_to_the_configured_handler(tmp_path, seed_page_bytes, settings):
    from PIL import Image

    from imagerights.services.asset_files import link_file
    from imagerights.services.readings import read_asset_file
    from tests.factories import AssetFactory
    from tests.imagerights.pictures import jpeg, photo

    original = photo(90)
    withdrawn = AssetFactory(status="withdrawn")
    data = jpeg(original)
    stored = link_file(withdrawn, data=data, content_type="image/jpeg", origin="warc", url="https://x.example/a.jpg",
                       actor="t")
    read_asset_file(asset=withdrawn, stored=stored, data=data, actor="t")
    settings.IMAGERIGHTS_PHOTO_MATCH_HANDLER = "tests.imagerights.test_ingest_from_a_capture.hold_for_test"
    capture = write_warc(tmp_path / "copy.warc.gz", [
        (PAGE_URL, "text/html", seed_page_bytes),
        (PHOTO_URL, "image/jpeg", jpeg(original.resize((240, 160), Image.LANCZOS), quality=50))])
    HANDED.clear()

    call_command("ingest_article", "--warc", str(capture))

    [(article_id, [(asset_id, match)])] = HANDED
    assert Article.objects.get(pk=article_id).assets.get(kind="photo").pk == asset_id
    assert match.asset_id == withdrawn.pk and match.distance <= 8


def test_with_the_default_handler_a_copy_of_a_withdrawn_photo_is_held_and_audited(tmp_path, seed_page_bytes, client):
    from PIL import Image

    from compliance.models import AuditEntry
    from imagerights.services.asset_files import link_file
    from imagerights.services.readings import read_asset_file
    from tests.factories import AssetFactory
    from tests.imagerights.pictures import jpeg, photo

    original = photo(91)
    withdrawn = AssetFactory(status="withdrawn")
    data = jpeg(original)
    stored = link_file(withdrawn, data=data, content_type="image/jpeg", origin="warc", url="https://x.example/b.jpg",
                       actor="t")
    read_asset_file(asset=withdrawn, stored=stored, data=data, actor="t")
    capture = write_warc(tmp_path / "copy.warc.gz", [
        (PAGE_URL, "text/html", seed_page_bytes),
        (PHOTO_URL, "image/jpeg", jpeg(original.resize((300, 200), Image.LANCZOS), quality=60))])

    call_command("ingest_article", "--warc", str(capture))

    article = Article.objects.exclude(pk=withdrawn.article_id).get()
    assert article.status == "held" and f"withdrawn from article {withdrawn.article_id}" in article.status_reason
    entry = AuditEntry.objects.get(action="article.held", object_id=str(article.pk))
    assert '"how":"image_hash"' in entry.payload
    assert client.get(article.get_absolute_url()).status_code != 200


def test_the_public_pages_json_ld_carries_what_the_file_says(client):
    from imagerights.services.asset_files import link_file
    from imagerights.services.readings import read_asset_file
    from tests.factories import AssetFactory

    asset = AssetFactory()
    data = with_iptc_xmp(photo_jpeg(74), copyright_notice="© 2022 Getty Images")
    stored = link_file(asset, data=data, content_type="image/jpeg", origin="warc", url=asset.original_url, actor="t")
    read_asset_file(asset=asset, stored=stored, data=data, actor="t")

    page = client.get(asset.article.get_absolute_url()).content.decode()

    assert '"copyrightNotice": "\\u00a9 2022 Getty Images"' in page or '"copyrightNotice": "© 2022 Getty Images"' in page


def test_the_seed_capture_s_photo_facts_are_in_the_prov_o_export(tmp_path, seed_page_bytes, trusted):
    import io

    import rdflib

    capture = write_warc(tmp_path / "seed.warc.gz", [(PAGE_URL, "text/html; charset=utf-8", seed_page_bytes),
                                                     (PHOTO_URL, "image/jpeg", getty_photo(trusted))])
    call_command("ingest_article", "--warc", str(capture))
    out = tmp_path / "provenance.jsonld"
    call_command("export_provenance", "--format", "jsonld", "--out", str(out), "--no-progress", stdout=io.StringIO())

    graph = rdflib.Graph().parse(data=out.read_text(), format="json-ld")
    rows = graph.query("""
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX schema: <https://schema.org/>
        SELECT ?witness ?state ?holder ?signer WHERE {
            ?asset prov:wasInfluencedBy ?reading ; schema:contentUrl ?url .
            ?reading a prov:Activity ; schema:name ?witness ; schema:description ?state ;
                     schema:copyrightHolder [ schema:name ?holder ] .
            OPTIONAL { ?reading prov:wasAssociatedWith [ schema:name ?signer ] }
        }""")
    facts = {(str(w), str(s), str(h), str(g) if g else "") for w, s, h, g in rows}
    assert ("c2pa reading", "trusted", "Getty Images", "Getty Images Content Credentials") in facts
    assert {w for w, *_ in facts} >= {"c2pa reading", "iptc_xmp reading"}
