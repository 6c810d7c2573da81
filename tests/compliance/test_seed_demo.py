import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import Article, Asset, ProvenanceEvent
from compliance.models import AuditEntry, Notice, SlaDeadline

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_complete(client):
    call_command("seed_demo", "--articles", "12")
    def counts():
        return tuple(model.objects.count() for model in (Article, Asset, ProvenanceEvent, AuditEntry, Notice,
                                                         SlaDeadline, get_user_model()))

    first = counts()
    call_command("seed_demo", "--articles", "12")

    assert counts() == first
    assert Notice.objects.count() == 3 and SlaDeadline.objects.count() == 8
    seed = Article.objects.get(slug="ukrainian-army-secures-kharkiv")
    assert {a.rights_holder.name for a in seed.assets.all()} == {
        "Getty Images", "Ministry of Defence of Ukraine", "Institute for the Study of War"}
    assert Article.objects.filter(status="withdrawn").count() == 1
    assert Article.objects.exclude(translated_from="").exclude(pk=seed.pk).exists()
    assert len(set(Article.objects.values_list("source__name", flat=True))) >= 5
    assert client.get(Article.objects.get(status="withdrawn").get_absolute_url()).status_code == 451
    for username in ("admin", "lead", "reviewer", "auditor"):
        assert get_user_model().objects.get(username=username).groups.exists()
    call_command("verify_audit_log")
