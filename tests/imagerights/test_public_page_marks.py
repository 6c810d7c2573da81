import pytest

from imagerights.services.asset_files import link_file
from imagerights.services.readings import read_asset_file
from tests.factories import AssetFactory
from tests.imagerights.pictures import photo_jpeg, sign_c2pa, with_iptc_xmp

pytestmark = pytest.mark.django_db


def page_with(data: bytes) -> str:
    asset = AssetFactory(credit_line="Photo by John Moore/Getty Images")
    stored = link_file(asset, data=data, content_type="image/jpeg", origin="warc", url=asset.original_url, actor="t")
    read_asset_file(asset=asset, stored=stored, data=data, actor="t")
    return asset.article.get_absolute_url()


def test_an_ai_generated_picture_is_labelled_and_an_untrusted_signer_gets_no_mark(client, chain):
    url = page_with(sign_c2pa(photo_jpeg(70), chain, digital_source_type="trainedAlgorithmicMedia"))

    page = client.get(url).content.decode()

    assert '<span class="ai-label ai-generated">AI-generated</span>' in page
    assert "Content Credentials" not in page


def test_an_ai_edited_picture_per_iptc_is_labelled(client):
    url = page_with(with_iptc_xmp(photo_jpeg(71), digital_source_type="compositeWithTrainedAlgorithmicMedia"))

    assert "AI-edited" in client.get(url).content.decode()


def test_a_trusted_manifest_shows_the_mark_with_its_signer(client, trusted):
    url = page_with(sign_c2pa(photo_jpeg(72), trusted))

    page = client.get(url).content.decode()

    assert "Content Credentials: Getty Images Content Credentials" in page
    assert "AI-" not in page


def test_the_jsonld_facts_of_a_picture_come_from_its_file(trusted):
    from imagerights.selectors import picture_jsonld

    asset = AssetFactory()
    data = sign_c2pa(with_iptc_xmp(photo_jpeg(73), copyright_notice="© 2022 Getty Images",
                                   web_statement="https://www.gettyimages.com/eula",
                                   digital_source_type="compositeWithTrainedAlgorithmicMedia"), trusted)
    stored = link_file(asset, data=data, content_type="image/jpeg", origin="warc", url=asset.original_url, actor="t")
    read_asset_file(asset=asset, stored=stored, data=data, actor="t")

    facts = picture_jsonld(asset)

    assert facts["copyrightNotice"] == "© 2022 Getty Images"
    assert facts["acquireLicensePage"] == "https://www.gettyimages.com/eula"
    assert facts["digitalSourceType"].endswith("/compositeWithTrainedAlgorithmicMedia")
    assert {"@type": "PropertyValue", "propertyID": "c2pa:signer",
            "value": "Getty Images Content Credentials"} in facts["additionalProperty"]
