"""What a picture's metadata says is evidence: a reading and a disagreement keep it whole, however long."""

import pytest

from imagerights.models import RightsConflict, RightsReading
from imagerights.services.asset_files import link_file
from imagerights.services.readings import read_asset_file
from tests.factories import AssetFactory
from tests.imagerights.pictures import photo_jpeg, with_iptc_xmp

pytestmark = pytest.mark.django_db


def test_a_long_copyright_owner_is_read_and_disputed_whole():
    owner = "Harbour Pictures " + "Editorial Licensing Division " * 24  # 713 characters
    asset = AssetFactory(credit_line="Photo by John Moore/Getty Images")
    data = with_iptc_xmp(photo_jpeg(31), creator="John Moore", copyright_owner=owner)
    stored = link_file(asset, data=data, content_type="image/jpeg", origin="warc", url=asset.original_url, actor="t")

    read_asset_file(asset=asset, stored=stored, data=data, actor="test")

    reading = RightsReading.objects.get(asset=asset, witness=RightsReading.Witness.IPTC_XMP)
    assert reading.rights_holder == owner.strip()
    conflict = RightsConflict.objects.get(asset=asset, field=RightsConflict.Field.RIGHTS_HOLDER)
    assert owner.strip() in (conflict.effective_value, conflict.other_value)


def test_a_capture_s_long_content_type_and_redirected_url_are_kept_whole():
    """A WARC record's Content-Type and the URL after redirects come from outside; neither is cut."""
    from imagerights.models import AssetFile

    asset = AssetFactory()
    content_type = "image/vnd.example." + "x" * 150  # a capture can name any type; 168 characters
    url = "https://cdn.example.net/resize?src=" + "a" * 3000  # longer than any URL column we had
    data = photo_jpeg(32)

    stored = link_file(asset, data=data, content_type=content_type, origin="warc", url=url, actor="t")

    stored.refresh_from_db()
    assert stored.content_type == content_type
    assert AssetFile.objects.get(asset=asset, file=stored).url == url
