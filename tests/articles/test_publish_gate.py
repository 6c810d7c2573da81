import pytest

from articles.models import Article
from articles.publishing import GateRequest, GateVerdict
from articles.ingestion.page import ingest_page

pytestmark = pytest.mark.django_db

ASKED: list[GateRequest] = []


def hold_everything(request: GateRequest) -> GateVerdict:
    ASKED.append(request)
    return GateVerdict(publish=False, reason="matches withdrawn article 42", evidence={"article": 42})


def test_ingestion_asks_the_configured_gate_and_holds_when_told(settings, seed_page_bytes, client):
    settings.ARTICLES_PUBLISH_GATE = "tests.articles.test_publish_gate.hold_everything"
    ASKED.clear()

    article = ingest_page(html=seed_page_bytes, source_url="https://outlet.example/a.html").article

    assert article.status == Article.Status.HELD
    assert article.status_reason == "matches withdrawn article 42"
    held = article.provenance_events.get(kind="held")
    assert held.detail == {"reason": "matches withdrawn article 42", "evidence": {"article": 42}}
    assert not article.provenance_events.filter(kind="published").exists()
    assert len(ASKED[0].asset_url_keys) == 3 and ASKED[0].primary_source_key == article.primary_source_key
    assert client.get(article.get_absolute_url()).status_code == 404


def test_default_gate_publishes(seed_page_bytes):
    article = ingest_page(html=seed_page_bytes, source_url=None).article

    assert article.status == Article.Status.PUBLISHED and article.published_at is not None
