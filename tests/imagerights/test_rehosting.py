"""Re-hosting per source: a re-hosting source's live pictures come from our stored copy; a withdrawn
one stops being served at once; other sources' pictures are linked from where they came from."""

import pytest

from articles.actors import Actor
from compliance.services.withdrawal import withdraw_asset
from imagerights.services.asset_files import link_file
from tests.factories import AssetFactory
from tests.imagerights.pictures import photo_jpeg

pytestmark = pytest.mark.django_db


def _stored_asset(rehost: bool):
    asset = AssetFactory()
    asset.article.source.rehost_pictures = rehost
    asset.article.source.save()
    data = photo_jpeg(80)
    stored = link_file(asset, data=data, content_type="image/jpeg", origin="fetch", url=asset.original_url, actor="t")
    return asset, stored, data


def test_a_rehosting_sources_picture_is_served_from_our_copy_until_withdrawn(client):
    asset, stored, data = _stored_asset(rehost=True)
    ours = f"/pictures/{stored.sha256}"

    assert f'src="{ours}"' in client.get(asset.article.get_absolute_url()).content.decode()
    response = client.get(ours)
    assert response.status_code == 200 and b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "image/jpeg" and response["X-Content-Type-Options"] == "nosniff"

    withdraw_asset(asset_id=asset.pk, actor=Actor.parse("user:1"), reason="Photo agency notice")

    assert client.get(ours).status_code == 404


def test_other_sources_pictures_are_linked_and_not_served(client):
    asset, stored, _ = _stored_asset(rehost=False)

    assert f'src="{asset.original_url}"' in client.get(asset.article.get_absolute_url()).content.decode()
    assert client.get(f"/pictures/{stored.sha256}").status_code == 404
    assert client.get("/pictures/not-a-hash").status_code == 404
