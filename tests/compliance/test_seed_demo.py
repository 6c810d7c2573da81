import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import Article, Asset, ProvenanceEvent
from compliance.models import AuditEntry, CounterNotice, Notice, SlaBreach, SlaDeadline

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_seed_demo_is_idempotent_and_complete(client):
    call_command("seed_demo", "--articles", "20")

    def counts():
        return tuple(model.objects.count() for model in (Article, Asset, ProvenanceEvent, AuditEntry, Notice,
                                                         SlaDeadline, get_user_model()))

    first = counts()
    call_command("seed_demo", "--articles", "20")

    assert counts() == first
    assert Notice.objects.count() == 9 and SlaDeadline.objects.filter(kind="restore").count() == 2
    outcomes = {Notice.outcome_of(n.items.values_list("state", flat=True)) for n in Notice.objects.all()}
    assert {"actioned", "partially_actioned", "rejected", "restored", "open"} <= outcomes
    assert CounterNotice.objects.filter(status="received").exists() and SlaBreach.objects.exists()
    seed = Article.objects.get(slug="ukrainian-army-secures-kharkiv")
    assert {a.rights_holder.name for a in seed.assets.all()} == {
        "Getty Images", "Ministry of Defence of Ukraine", "Institute for the Study of War"}
    assert Article.objects.filter(status="withdrawn", withdrawal_reference="TD-2026-DEMO01").count() == 1
    assert Article.objects.exclude(translated_from="").exclude(pk=seed.pk).exists()
    assert len(set(Article.objects.values_list("source__name", flat=True))) >= 5
    assert client.get(Article.objects.filter(status="withdrawn").first().get_absolute_url()).status_code == 451
    for username in ("admin", "lead", "reviewer", "auditor"):
        assert get_user_model().objects.get(username=username).groups.exists()
    call_command("verify_audit_log")
