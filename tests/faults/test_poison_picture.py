"""A single-colour picture: its pHash is -2^63, the one signed 64-bit value that, written into SQL
text before a cast, PostgreSQL reads as an out-of-range negation. Ingest, the photo stay-down
check and a notice naming the picture must all go through."""

import pytest
from django.db import connection
from PIL import Image

from articles.models import Asset
from compliance.models import Notice
from imagerights.services.asset_files import link_file
from imagerights.services.image_gate import near_files, withdrawn_photo_match
from imagerights.services.readings import read_asset_file
from tests.factories import AssetFactory
from tests.faults.figures import Figures, record
from tests.imagerights.pictures import jpeg

pytestmark = [pytest.mark.faults, pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="the fault is PostgreSQL's parser")]
SIGNED_MIN = -(1 << 63)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _single_colour() -> bytes:
    return jpeg(Image.new("RGB", (320, 200), (200, 30, 30)))


def _seen(asset: Asset, data: bytes) -> None:
    stored = link_file(asset, data=data, content_type="image/jpeg", origin="fetch", url=asset.original_url, actor="t")
    read_asset_file(asset=asset, stored=stored, data=data, actor="t")
    assert stored.phash == SIGNED_MIN


def test_the_hamming_search_takes_the_extreme_hashes():
    for value in (SIGNED_MIN, (1 << 63) - 1, -1, 0):
        assert all(d <= 8 for _, d in near_files(value))


def test_a_single_colour_picture_is_ingested_checked_and_named_in_a_notice(client):
    withdrawn = AssetFactory(status=Asset.Status.WITHDRAWN, original_url="https://cdn.example/red-withdrawn.jpg")
    _seen(withdrawn, _single_colour())
    live = AssetFactory(original_url="https://cdn.example/red.jpg")
    _seen(live, jpeg(Image.new("RGB", (640, 400), (200, 30, 30))))

    assert withdrawn_photo_match(_single_colour()).asset_id == withdrawn.pk

    response = client.post("/takedown/", {
        "claimant_name": "Ana Lima", "claimant_email": "ana@photo.example", "claimant_address": "Lisbon",
        "acting_as": "owner", "kind": "copyright", "work_description": "My red square",
        "urls": live.original_url, "explanation": "Mine.", "good_faith": "on", "accuracy": "on",
        "signature": "Ana Lima", "website": ""})

    assert response.status_code == 302
    notice = Notice.objects.get()
    assert {m.asset_id for m in notice.items.get().matches.all()} >= {live.pk}
    record(Figures("poison picture (pHash -2^63)", notices=1, lost=1 - Notice.objects.count(), missed=0, twice=0))
