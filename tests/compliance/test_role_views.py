"""Each staff role, as its group grants it (not raw permissions), can open what it covers."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from articles.models import Article
from compliance import roles
from tests.conftest import verified_login
from tests.factories import ArticleFactory, AssetFactory

pytestmark = pytest.mark.django_db
STAFF_ROLES = [roles.REVIEWER, roles.COMPLIANCE_LEAD, roles.AUDITOR, roles.ADMIN]


def _member(django_user_model, role: str):
    user = django_user_model.objects.create_user(role.lower().replace(" ", "-"), password="pw-for-tests-only",
                                                 is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_every_role_opens_every_list_of_the_apps_it_covers_proxies_included(client, django_user_model, role):
    verified_login(client, _member(django_user_model, role))
    covered = [model for model in admin.site._registry if model._meta.app_label in roles.COVERED_APPS]
    assert any(model._meta.proxy for model in covered)  # the held-articles queue is a proxy of Article

    for model in covered:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", [roles.REVIEWER, roles.COMPLIANCE_LEAD])
def test_reviewers_and_leads_open_a_held_article_and_may_decide(client, django_user_model, role):
    held = ArticleFactory(status=Article.Status.HELD, title="Held copy of a withdrawn report")
    verified_login(client, _member(django_user_model, role))

    listing = client.get(reverse("admin:articles_heldarticle_changelist")).content.decode()
    page = client.get(reverse("admin:articles_heldarticle_change", args=[held.pk]))

    assert "Held copy of a withdrawn report" in listing
    assert page.status_code == 200 and 'value="release"' in page.content.decode()


def test_the_auditor_opens_a_held_article_without_decisions(client, django_user_model):
    held = ArticleFactory(status=Article.Status.HELD)
    verified_login(client, _member(django_user_model, roles.AUDITOR))
    url = reverse("admin:articles_heldarticle_change", args=[held.pk])

    assert 'value="release"' not in client.get(url).content.decode()
    assert client.post(url, {"decision": "release", "reason": "x"}).status_code == 403


def test_staff_without_a_role_cannot_open_the_stay_down_review(client, django_user_model):
    held = ArticleFactory(status=Article.Status.HELD)
    verified_login(client, django_user_model.objects.create_user("nobody", password="pw-for-tests-only",
                                                                 is_staff=True))

    assert client.get(reverse("admin:articles_heldarticle_change", args=[held.pk])).status_code == 403


def test_article_text_and_asset_urls_are_read_only_in_the_admin(client, django_user_model):
    asset = AssetFactory(original_url="https://cdn.example/photo.jpg", url_key="k" * 64, kind="photo")
    article = asset.article
    verified_login(client, _member(django_user_model, roles.ADMIN))
    url = reverse("admin:articles_article_change", args=[article.pk])

    html = client.get(url).content.decode()

    assert 'name="title"' not in html and 'name="body"' not in html
    assert 'name="assets-0-original_url"' not in html and "https://cdn.example/photo.jpg" in html
    assert client.get(reverse("admin:articles_article_add")).status_code == 403
