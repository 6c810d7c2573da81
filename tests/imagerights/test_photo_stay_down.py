import pytest
from PIL import Image

from articles.models import Asset
from imagerights.services.asset_files import link_file
from imagerights.services.hamming import band_probes, bands_of, distance, to_signed, to_unsigned
from imagerights.services.image_gate import copies_of, withdrawn_photo_match
from imagerights.services.readings import read_asset_file
from tests.factories import AssetFactory
from tests.imagerights.pictures import jpeg, photo

pytestmark = pytest.mark.django_db


def seen_with(asset: Asset, data: bytes) -> None:
    stored = link_file(asset, data=data, content_type="image/jpeg", origin="fetch", url=asset.original_url, actor="t")
    read_asset_file(asset=asset, stored=stored, data=data, actor="t")


def edited_copy(image: Image.Image) -> bytes:
    """Resized to 60%, cropped by 2% on each side, recompressed at quality 45."""
    w, h = image.size
    cropped = image.crop((int(w * .02), int(h * .02), int(w * .98), int(h * .98)))
    return jpeg(cropped.resize((int(w * .6), int(h * .6)), Image.LANCZOS), quality=45)


@pytest.mark.slow
def test_an_edited_copy_of_a_withdrawn_photo_is_matched_and_other_photos_are_not():
    original = photo(60)
    withdrawn = AssetFactory(status=Asset.Status.WITHDRAWN)
    seen_with(withdrawn, jpeg(original))

    match = withdrawn_photo_match(edited_copy(original))

    assert match is not None and match.asset_id == withdrawn.pk and 0 < match.distance <= 8
    assert withdrawn_photo_match(jpeg(original)).distance == 0
    assert withdrawn_photo_match(jpeg(photo(61))) is None
    assert withdrawn_photo_match(b"not a picture at all") is None


def test_a_live_photo_is_not_a_stay_down_match():
    original = photo(62)
    seen_with(AssetFactory(), jpeg(original))

    assert withdrawn_photo_match(edited_copy(original)) is None


@pytest.mark.slow
def test_copies_of_finds_every_other_asset_with_the_same_photo():
    original = photo(63)
    named = AssetFactory(original_url="https://cdn.example/named.jpg")
    same_bytes, resized, other = AssetFactory(), AssetFactory(), AssetFactory()
    seen_with(named, jpeg(original))
    seen_with(same_bytes, jpeg(original))
    seen_with(resized, edited_copy(original))
    seen_with(other, jpeg(photo(64)))

    assert copies_of(named.pk) == [same_bytes, resized]
    assert copies_of(other.pk) == []


def test_band_probes_cover_every_hash_within_the_threshold():
    """Pigeonhole: within 9 bits, one of the five bands is within 1 bit, so one of its probes hits."""
    base = to_signed(0x0123_4567_89AB_CDEF)
    probes = band_probes(base, 9)
    spread = [(0b11 << 0) | (0b11 << 13) | (0b11 << 26) | (0b11 << 39) | (0b1 << 52),  # 1 bit in the last band
              0b111111111, 0b111111111 << 55, (0b11 << 11) | (0b11 << 24) | (0b11 << 37) | (0b111 << 50)]
    for flipped in spread:
        near = to_signed(to_unsigned(base) ^ flipped)
        assert distance(base, near) == 9
        assert any(band in probes[i] for i, band in enumerate(bands_of(near)))
    assert [len(p) for p in probes] == [14, 14, 14, 14, 13]


@pytest.mark.slow
def test_a_notice_naming_one_image_url_matches_every_copy_of_that_photo():
    from PIL import Image

    from compliance.services.intake import receive_notice
    from imagerights.services.asset_files import link_file
    from imagerights.services.readings import read_asset_file
    from tests.compliance.intake_helpers import submission
    from tests.factories import AssetFactory
    from tests.imagerights.pictures import jpeg, photo

    original = photo(92)
    named, copy, other = AssetFactory(), AssetFactory(), AssetFactory()
    for asset, picture in ((named, original), (copy, original.resize((320, 213), Image.LANCZOS)), (other, photo(3))):
        data = jpeg(picture, quality=70)
        stored = link_file(asset, data=data, content_type="image/jpeg", origin="fetch", url=asset.original_url,
                           actor="t")
        read_asset_file(asset=asset, stored=stored, data=data, actor="t")

    notice = receive_notice(channel="web", submission=submission(named.original_url)).notice

    matches = {(m.how, m.asset_id) for m in notice.items.get().matches.all()}
    assert matches == {("asset_url", named.pk), ("image_hash", copy.pk)}
