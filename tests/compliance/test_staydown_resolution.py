"""A reviewer releases or withdraws what stay-down held; staff see look-alikes of a reported article."""

import pytest

from articles.models import Article, StayDownMatch
from articles.ingestion.page import ingest_page
from articles.actors import Actor
from compliance.errors import IllegalTransition
from compliance.models import AuditEntry
from compliance.services.audit import verify_chain
from compliance.staydown.resolution import dismiss_suggestion, release_held, withdraw_held, withdraw_suggested
from compliance.staydown.similar import similar_articles
from tests.compliance.test_staydown_gate import UNRELATED_KHARKIV, page, seed_paragraphs

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(withdrawn, seed_page_bytes) -> Article:
    html = page("Kharkiv secured", seed_paragraphs(seed_page_bytes))
    article = ingest_page(html=html, source_url="https://mirror.example/k").article
    assert article.status == Article.Status.HELD
    return article


@pytest.fixture
def withdrawn(seed_page_bytes) -> Article:
    from compliance.services.withdrawal import withdraw_article

    article = ingest_page(html=seed_page_bytes, source_url="https://outlet.example/2022/05/kharkiv.html").article
    return withdraw_article(article_id=article.pk, actor=Actor.parse("user:1"), reason="copyright notice", reference="TD-2026-AAAAA1")


def test_releasing_a_held_article_publishes_it_and_closes_its_match(held, client):
    release_held(article_id=held.pk, actor=Actor.parse("user:5"), reason="licensed syndication, agreement 2022-14")

    held.refresh_from_db()
    assert held.status == Article.Status.PUBLISHED and held.published_at is not None
    assert StayDownMatch.objects.get(article=held).state == "released"
    assert AuditEntry.objects.filter(action="article.released", object_id=str(held.pk)).count() == 1
    assert client.get(held.get_absolute_url()).status_code == 200
    assert verify_chain().ok
    with pytest.raises(IllegalTransition):
        release_held(article_id=held.pk, actor=Actor.parse("user:5"), reason="again")


def test_withdrawing_a_held_article_takes_the_reference_of_the_one_it_copies(held, withdrawn, client):
    withdraw_held(article_id=held.pk, actor=Actor.parse("user:5"), reason="copy of withdrawn content")

    held.refresh_from_db()
    assert held.status == Article.Status.WITHDRAWN and held.withdrawal_reference == "TD-2026-AAAAA1"
    assert StayDownMatch.objects.get(article=held).state == "withdrawn"
    assert client.get(held.get_absolute_url()).status_code == 451


def test_a_release_needs_a_reason_and_changes_nothing_without_one(held):
    with pytest.raises(IllegalTransition):
        release_held(article_id=held.pk, actor=Actor.parse("user:5"), reason=" ")
    held.refresh_from_db()
    assert held.status == Article.Status.HELD and not AuditEntry.objects.filter(action="article.released").exists()


def test_suggestions_are_dismissed_or_withdrawn(withdrawn, seed_page_bytes):
    paragraphs = seed_paragraphs(seed_page_bytes)
    first = ingest_page(html=page("Half", paragraphs[:7] + UNRELATED_KHARKIV * 2), source_url="https://a.example/1")
    second = ingest_page(html=page("Half again", paragraphs[3:10] + UNRELATED_KHARKIV[::-1] * 2),
                         source_url="https://a.example/2")
    one, two = (StayDownMatch.objects.get(article=r.article, outcome="suggested") for r in (first, second))

    dismiss_suggestion(match_id=one.pk, actor=Actor.parse("user:5"))
    withdraw_suggested(match_id=two.pk, actor=Actor.parse("user:5"), reason="too much of the withdrawn report")

    assert Article.objects.get(pk=first.article.pk).status == Article.Status.PUBLISHED
    assert Article.objects.get(pk=second.article.pk).status == Article.Status.WITHDRAWN
    assert AuditEntry.objects.filter(action="staydown.dismissed").count() == 1
    with pytest.raises(IllegalTransition):
        dismiss_suggestion(match_id=two.pk, actor=Actor.parse("user:5"))


def test_similar_articles_lists_look_alikes_of_any_status_best_first(withdrawn, held, seed_page_bytes):
    paragraphs = seed_paragraphs(seed_page_bytes)
    excerpt = ingest_page(html=page("Excerpt", paragraphs[6:10]), source_url="https://b.example/1").article
    unrelated = ingest_page(html=page("Metro", UNRELATED_KHARKIV), source_url="https://b.example/2").article

    similar = similar_articles([withdrawn.pk])

    assert [s.article_id for s in similar] == [held.pk, excerpt.pk]
    assert similar[0].score >= similar[1].score >= 0.8 and similar[0].like_article_id == withdrawn.pk
    assert unrelated.pk not in {s.article_id for s in similar}
    assert similar_articles([withdrawn.pk], limit=1)[0].article_id == held.pk
