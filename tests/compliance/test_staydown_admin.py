"""The admin's stay-down queue: a held article beside the withdrawn one, and the reviewer's decision."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from articles.models import Article, StayDownMatch
from articles.ingestion.page import ingest_page
from articles.actors import Actor
from compliance.models import AuditEntry
from compliance.roles import REVIEWER
from compliance.services.withdrawal import withdraw_article
from tests.compliance.test_staydown_gate import UNRELATED_KHARKIV, page, seed_paragraphs
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(seed_page_bytes) -> Article:
    original = ingest_page(html=seed_page_bytes, source_url="https://outlet.example/2022/05/kharkiv.html").article
    withdraw_article(article_id=original.pk, actor=Actor.parse("user:1"), reason="copyright notice", reference="TD-2026-AAAAA1")
    paragraphs = seed_paragraphs(seed_page_bytes)
    copy = ingest_page(html=page("Kharkiv secured", paragraphs[:8] + UNRELATED_KHARKIV[:1]),
                       source_url="https://mirror.example/k").article
    assert copy.status == Article.Status.HELD
    return copy


@pytest.fixture
def reviewer(client, django_user_model):
    user = django_user_model.objects.create_user("reviewer", password="pw-for-tests-only", is_staff=True)
    user.groups.add(Group.objects.get(name=REVIEWER))  # the role as staff get it, not hand-picked permissions
    verified_login(client, user)
    return user


def test_the_held_article_is_shown_beside_the_withdrawn_one(client, reviewer, held):
    html = client.get(reverse("admin:articles_heldarticle_change", args=[held.pk])).content.decode()

    assert "Ukrainian forces began driving Russian soldiers" in html  # in both columns
    assert html.count('class="shared"') >= 16 and "Kharkiv metro reopened" in html
    assert "TD-2026-AAAAA1" in html and "Jaccard" in html
    assert 'value="release"' in html and 'value="withdraw"' in html
    listing = client.get(reverse("admin:articles_heldarticle_changelist")).content.decode()
    assert "Kharkiv secured" in listing


def test_a_reviewer_releases_a_held_article_with_a_reason(client, reviewer, held):
    response = client.post(reverse("admin:articles_heldarticle_change", args=[held.pk]),
                           {"decision": "release", "reason": "syndicated under licence"})

    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == Article.Status.PUBLISHED
    entry = AuditEntry.objects.get(action="article.released")
    assert entry.actor == f"user:{reviewer.pk}"
    assert StayDownMatch.objects.get(article=held).state == "released"


def test_a_release_without_a_reason_is_refused_and_shown(client, reviewer, held):
    response = client.post(reverse("admin:articles_heldarticle_change", args=[held.pk]),
                           {"decision": "release", "reason": ""}, follow=True)

    assert "needs a reason" in response.content.decode()
    held.refresh_from_db()
    assert held.status == Article.Status.HELD


def test_staff_without_the_reviewer_permission_can_look_but_not_decide(client, django_user_model, held):
    user = django_user_model.objects.create_user("viewer", password="pw-for-tests-only", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_heldarticle", "change_heldarticle"]))
    verified_login(client, user)
    url = reverse("admin:articles_heldarticle_change", args=[held.pk])

    assert 'value="release"' not in client.get(url).content.decode()
    assert client.post(url, {"decision": "withdraw", "reason": "x"}).status_code == 403
    held.refresh_from_db()
    assert held.status == Article.Status.HELD


def test_the_match_queue_withdraws_a_held_copy(client, reviewer, held):
    match = StayDownMatch.objects.get(article=held)

    client.post(reverse("admin:articles_staydownmatch_change", args=[match.pk]),
                {"decision": "withdraw", "reason": "copy of withdrawn content"})

    held.refresh_from_db()
    assert held.status == Article.Status.WITHDRAWN and held.withdrawal_reference == "TD-2026-AAAAA1"
