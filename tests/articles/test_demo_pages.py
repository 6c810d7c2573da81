"""The demo's public pages: pictures that load (generated stand-ins, said so), a fully documented
article, and words for what is unknown."""

import pytest

from articles.models import Article, Asset, ProvenanceEvent
from compliance.demo import SEED_SLUG, seed_demo
from compliance.demo_media import SECOND_SLUG

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # each test seeds the whole demo


@pytest.fixture
def demo():
    seed_demo(generated=14)


def test_the_seed_articles_media_load_from_us_and_say_they_are_generated(client, demo):
    seed = Article.objects.get(slug=SEED_SLUG)
    html = client.get(seed.get_absolute_url()).content.decode()

    pictures = [src.split('"')[0] for src in html.split('src="/pictures/')[1:]]
    assert len(pictures) == 3  # the photo, the video's poster, the map
    for sha in pictures:
        response = client.get(f"/pictures/{sha}")
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert html.count("Demo picture: generated in place of the original") == 3
    assert "Photo by John Moore/Getty Images" in html and "cdn.worldtimetodays.example" not in html.split("<article>")[1]
    assert "Primary source unknown</strong> means" in html and "Rights holder not declared</strong> means" in html


def test_the_second_article_has_a_complete_provenance_chain(client, demo):
    article = Article.objects.get(slug=SECOND_SLUG)
    kinds = set(article.provenance_events.values_list("kind", flat=True))

    assert article.primary_source_url and article.source.name == "Lviv Herald"
    assert article.rights_holder.name == "Lviv Herald" and "creativecommons.org" in article.license
    assert article.creators.get().name == "Oksana Demo" and article.translation_engine
    assert {ProvenanceEvent.Kind.FETCHED, ProvenanceEvent.Kind.EXTRACTED, ProvenanceEvent.Kind.TRANSLATED} <= kinds
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Primary source unknown" not in html and "provenance-note" not in html
    assert article.assets.get().display == Asset.Display.REHOSTED and "/pictures/" in html


def test_seeding_twice_adds_no_pictures_or_articles(demo):
    from imagerights.models import AssetFile

    counts = (Article.objects.count(), AssetFile.objects.count())
    seed_demo(generated=14)
    assert (Article.objects.count(), AssetFile.objects.count()) == counts
