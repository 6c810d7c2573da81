import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article, ProvenanceEvent
from articles.actors import Actor
from compliance.errors import IllegalTransition
from compliance.models import AuditEntry
from compliance.services.withdrawal import restore_article, withdraw_article, withdraw_asset
from tests.factories import ArticleFactory, AssetFactory

pytestmark = pytest.mark.django_db


def test_withdrawal_writes_the_facts_one_event_and_one_audit_entry():
    article = ArticleFactory()

    withdraw_article(article_id=article.pk, actor=Actor.parse("user:7"), reason="copyright notice", reference="TD-2026-7F3KQ9")

    article.refresh_from_db()
    assert article.status == Article.Status.WITHDRAWN
    assert article.withdrawn_at is not None and article.withdrawal_reference == "TD-2026-7F3KQ9"
    event = article.provenance_events.get()
    assert (event.kind, event.actor, event.input_sha256) == ("withdrawn", "user:7", article.content_sha256)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_id, entry.actor) == ("article.withdrawn", str(article.pk), "user:7")


def test_restore_clears_the_withdrawal_and_is_audited():
    article = ArticleFactory()
    withdraw_article(article_id=article.pk, actor=Actor.parse("user:7"), reason="notice", reference="TD-2026-7F3KQ9")

    restore_article(article_id=article.pk, actor=Actor.parse("user:8"), reason="counter-notice upheld")

    article.refresh_from_db()
    assert article.status == Article.Status.RESTORED and article.is_public
    assert article.withdrawn_at is None and article.withdrawal_reference == ""
    assert list(article.provenance_events.values_list("kind", flat=True)) == ["withdrawn", "restored"]
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["article.withdrawn", "article.restored"]


def test_illegal_transitions_raise_and_change_nothing():
    article = ArticleFactory()

    with pytest.raises(IllegalTransition, match="only a withdrawn article"):
        restore_article(article_id=article.pk, actor=Actor.parse("user:1"))
    withdraw_article(article_id=article.pk, actor=Actor.parse("user:1"), reason="notice")
    with pytest.raises(IllegalTransition, match="cannot be withdrawn"):
        withdraw_article(article_id=article.pk, actor=Actor.parse("user:1"), reason="again")
    with pytest.raises(IllegalTransition, match="needs a reason"):
        withdraw_article(article_id=article.pk, actor=Actor.parse("user:1"), reason="  ")

    assert AuditEntry.objects.count() == 1
    assert ProvenanceEvent.objects.count() == 1


def test_asset_withdrawal_leaves_the_article_up():
    asset = AssetFactory()

    withdraw_asset(asset_id=asset.pk, actor=Actor.parse("user:1"), reason="agency notice", reference="TD-2026-AAAAAA")

    asset.refresh_from_db()
    assert asset.status == "withdrawn" and asset.article.status == Article.Status.PUBLISHED
    assert AuditEntry.objects.get().action == "asset.withdrawn"


def test_commands_withdraw_and_restore(capsys):
    article = ArticleFactory()

    call_command("withdraw_article", str(article.pk), "--reason", "notice", "--reference", "TD-2026-7F3KQ9")
    call_command("restore_article", str(article.pk))

    out = capsys.readouterr().out
    assert "withdrawn: article" in out and "restored: article" in out
    call_command("verify_audit_log")


def test_commands_say_why_they_refuse():
    with pytest.raises(CommandError, match="no article with id 999"):
        call_command("withdraw_article", "999", "--reason", "notice")
    article = ArticleFactory()
    with pytest.raises(CommandError, match="only a withdrawn article"):
        call_command("restore_article", str(article.pk))
