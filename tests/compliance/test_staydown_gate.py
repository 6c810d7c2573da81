"""Stay-down at ingestion: withdrawn content does not come back under another URL, edited,
excerpted, reordered or translated; unrelated articles on the same topic still publish."""

import re

import pytest

from articles.models import Article, StayDownMatch
from articles.ingestion.page import ingest_page
from articles.actors import Actor
from compliance.models import AuditEntry
from compliance.services.withdrawal import withdraw_article

pytestmark = pytest.mark.django_db

FIGURE = re.compile(r"<figure.*?</figure>", re.S)
PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)

UNRELATED_KHARKIV = [
    "The Kharkiv metro reopened three of its lines on Monday after weeks in which its stations served as "
    "bomb shelters for thousands of families from the northern districts of the city.",
    "Trains run every ten minutes between the central station and the Saltivka terminus, the city transport "
    "department said, and fares remain suspended until the end of the month.",
    "Residents who had slept on the platforms since February were offered places in school gyms and "
    "dormitories, which volunteers have equipped with beds, blankets and field kitchens.",
    "Engineers are still inspecting the tunnels under the river for damage from the shelling of the spring, "
    "and two stations near the ring road will stay closed until repairs to their ventilation are finished.",
    "The mayor thanked the metro workers who kept the trains and the power supply going through the siege "
    "and promised that the network would be fully restored before the winter.",
]


def page(title: str, paragraphs: list[str], *, lang: str = "en", figures: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><article><h1>{title}</h1>{figures}{body}</article></body></html>")


def seed_paragraphs(seed_page_bytes: bytes) -> list[str]:
    return PARAGRAPH.findall(seed_page_bytes.decode("utf-8"))


@pytest.fixture
def withdrawn(seed_page_bytes) -> Article:
    article = ingest_page(html=seed_page_bytes, source_url="https://outlet.example/2022/05/kharkiv.html").article
    assert article.status == Article.Status.PUBLISHED
    return withdraw_article(article_id=article.pk, actor=Actor.parse("user:1"), reason="copyright notice", reference="TD-2026-AAAAA1")


def test_a_withdrawn_article_edited_a_little_under_another_url_is_held(withdrawn, seed_page_bytes, client):
    paragraphs = seed_paragraphs(seed_page_bytes)
    paragraphs[0] = paragraphs[0].replace("late March", "the end of March")
    paragraphs[4] = paragraphs[4].replace("significant", "important")
    paragraphs.append("Republished from our partners.")
    html = page("Ukraine's army secures Kharkiv and reaches the Russian border", paragraphs)

    result = ingest_page(html=html, source_url="https://mirror.example/news/kharkiv-border")

    copy = result.article
    assert copy.pk != withdrawn.pk
    assert copy.status == Article.Status.HELD and not copy.is_public
    assert copy.held_match_id == withdrawn.pk
    assert f"near duplicate of withdrawn article {withdrawn.pk}" in copy.status_reason
    assert result.verdict.evidence["how"] == "near_duplicate" and result.verdict.evidence["jaccard"] >= 0.8
    match = StayDownMatch.objects.get(article=copy)
    assert (match.withdrawn_article_id, match.outcome, match.state) == (withdrawn.pk, "held", "open")
    held = AuditEntry.objects.get(action="article.held")
    assert held.object_id == str(copy.pk) and f'"matched_article_id":{withdrawn.pk}' in held.payload
    assert copy.provenance_events.filter(kind="held").exists()
    assert not copy.provenance_events.filter(kind="published").exists()
    assert client.get(copy.get_absolute_url()).status_code == 404


def test_an_excerpt_of_a_withdrawn_article_is_held_by_containment(withdrawn, seed_page_bytes):
    excerpt = seed_paragraphs(seed_page_bytes)[6:9]
    html = page("Kharkiv: life returns", ["Our correspondent's summary of the week."] + excerpt)

    result = ingest_page(html=html, source_url="https://digest.example/kharkiv-week")

    assert result.article.status == Article.Status.HELD
    assert result.verdict.resemblances[0].jaccard < 0.5 <= 0.8 <= result.verdict.resemblances[0].containment
    assert result.article.held_match_id == withdrawn.pk


def test_reordered_paragraphs_are_held(withdrawn, seed_page_bytes):
    paragraphs = seed_paragraphs(seed_page_bytes)
    html = page("Kharkiv secured", paragraphs[::-1])

    assert ingest_page(html=html, source_url="https://other.example/k").article.status == Article.Status.HELD


def test_an_unrelated_article_on_the_same_topic_is_published(withdrawn):
    html = page("Kharkiv metro reopens after the siege", UNRELATED_KHARKIV)

    result = ingest_page(html=html, source_url="https://metro-news.example/kharkiv")

    assert result.article.status == Article.Status.PUBLISHED
    assert result.verdict.publish and result.verdict.resemblances == ()
    assert not StayDownMatch.objects.exists() and not AuditEntry.objects.filter(action="article.held").exists()


def test_a_half_copied_article_publishes_with_a_review_suggestion(withdrawn, seed_page_bytes):
    paragraphs = seed_paragraphs(seed_page_bytes)
    # Rewritten: the first half copied, the second half replaced by other reporting.
    html = page("Kharkiv, a week later", paragraphs[:7] + UNRELATED_KHARKIV * 2)

    result = ingest_page(html=html, source_url="https://weekly.example/kharkiv")

    assert result.article.status == Article.Status.PUBLISHED
    suggestion = StayDownMatch.objects.get(article=result.article)
    assert suggestion.outcome == "suggested" and 0.5 <= suggestion.score < 0.8
    assert suggestion.withdrawn_article_id == withdrawn.pk


def test_a_restored_article_no_longer_holds_its_copies(withdrawn, seed_page_bytes):
    from compliance.services.withdrawal import restore_article

    restore_article(article_id=withdrawn.pk, actor=Actor.parse("user:1"), reason="counter-notice upheld")

    html = page("Kharkiv secured", seed_paragraphs(seed_page_bytes))
    assert ingest_page(html=html, source_url="https://other.example/k").article.status == Article.Status.PUBLISHED
