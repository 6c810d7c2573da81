"""Withdrawing and restoring what we publish: one transaction, one ProvenanceEvent, one AuditEntry."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from articles.models import Article, Asset, ProvenanceEvent
from compliance.errors import IllegalTransition
from articles.actors import Actor
from compliance.services.audit import record
from compliance.services.locking import locked_or_not_found
from compliance.services.webhooks import queue_event

WITHDRAWABLE = (*Article.PUBLIC_STATUSES, Article.Status.HELD)


def _article_facts(article: Article) -> dict:
    return {"article_id": article.pk, "url": settings.SITE_URL + article.get_absolute_url(),
            "status": article.status, "reference": article.withdrawal_reference}


def _locked_article(article_id: int) -> Article:
    return locked_or_not_found(Article, article_id, what="article")


def withdraw_article(*, article_id: int, actor: Actor, reason: str, reference: str = "") -> Article:
    if not reason.strip():
        raise IllegalTransition("a withdrawal needs a reason")
    with transaction.atomic():
        article = _locked_article(article_id)
        if article.status not in WITHDRAWABLE:
            raise IllegalTransition(f"article {article.pk} is {article.status}, it cannot be withdrawn")
        previous, now = article.status, timezone.now()
        article.status = Article.Status.WITHDRAWN
        article.status_reason = reason
        article.withdrawn_at = now
        article.withdrawal_reference = reference
        article.save(update_fields=["status", "status_reason", "withdrawn_at", "withdrawal_reference", "updated_at"])
        ProvenanceEvent.objects.create(
            article=article, kind=ProvenanceEvent.Kind.WITHDRAWN, actor=actor.id, occurred_at=now,
            input_sha256=article.content_sha256, detail={"reason": reason, "reference": reference},
        )
        queue_event("article.withdrawn", _article_facts(article), now=now)
        record(
            action="article.withdrawn", target=article, actor=actor, at=now,
            data={"from": previous, "to": article.status, "reference": reference,
                  "content_sha256": article.content_sha256},
        )
    return article


def withdraw_article_unless_withdrawn(*, article_id: int, actor: Actor, reason: str,
                                      reference: str = "") -> tuple[Article, bool]:
    """For a second notice naming an article already withdrawn: no error, nothing done twice."""
    with transaction.atomic():
        article = _locked_article(article_id)
        if article.status == Article.Status.WITHDRAWN:
            return article, False
        return withdraw_article(article_id=article_id, actor=actor, reason=reason, reference=reference), True


def restore_article(*, article_id: int, actor: Actor, reason: str = "") -> Article:
    with transaction.atomic():
        article = _locked_article(article_id)
        if article.status != Article.Status.WITHDRAWN:
            raise IllegalTransition(f"article {article.pk} is {article.status}, only a withdrawn article can be restored")
        now, reference = timezone.now(), article.withdrawal_reference
        article.status = Article.Status.RESTORED
        article.status_reason = reason
        article.withdrawn_at = None
        article.withdrawal_reference = ""
        article.save(update_fields=["status", "status_reason", "withdrawn_at", "withdrawal_reference", "updated_at"])
        ProvenanceEvent.objects.create(
            article=article, kind=ProvenanceEvent.Kind.RESTORED, actor=actor.id, occurred_at=now,
            output_sha256=article.content_sha256, detail={"reason": reason, "withdrawal_reference": reference},
        )
        queue_event("article.restored", _article_facts(article), now=now)
        record(
            action="article.restored", target=article, actor=actor, at=now,
            data={"from": Article.Status.WITHDRAWN, "to": article.status, "withdrawal_reference": reference},
        )
    return article


def withdraw_asset(*, asset_id: int, actor: Actor, reason: str, reference: str = "") -> Asset:
    """Remove one photo, video or map and leave the article up."""
    if not reason.strip():
        raise IllegalTransition("a withdrawal needs a reason")
    with transaction.atomic():
        asset = locked_or_not_found(Asset, asset_id, what="asset")
        if asset.status != Asset.Status.LIVE:
            raise IllegalTransition(f"asset {asset.pk} is already withdrawn")
        now = timezone.now()
        asset.status = Asset.Status.WITHDRAWN
        asset.withdrawn_at = now
        asset.withdrawal_reference = reference
        asset.save(update_fields=["status", "withdrawn_at", "withdrawal_reference"])
        ProvenanceEvent.objects.create(
            article_id=asset.article_id, asset=asset, kind=ProvenanceEvent.Kind.WITHDRAWN, actor=actor.id,
            occurred_at=now, detail={"reason": reason, "reference": reference, "url_key": asset.url_key},
        )
        queue_event("asset.withdrawn", {"asset_id": asset.pk, "article_id": asset.article_id,
                                        "asset_url": asset.original_url, "reference": reference}, now=now)
        record(
            action="asset.withdrawn", target=asset, actor=actor, at=now,
            data={"article_id": asset.article_id, "reference": reference, "url_key": asset.url_key},
        )
    return asset


def restore_asset(*, asset_id: int, actor: Actor, reason: str = "") -> Asset:
    """Put a removed photo, video or map back, as after an upheld counter-notice."""
    with transaction.atomic():
        asset = locked_or_not_found(Asset, asset_id, what="asset")
        if asset.status != Asset.Status.WITHDRAWN:
            raise IllegalTransition(f"asset {asset.pk} is live; only a withdrawn asset can be restored")
        now, reference = timezone.now(), asset.withdrawal_reference
        asset.status, asset.withdrawn_at, asset.withdrawal_reference = Asset.Status.LIVE, None, ""
        asset.save(update_fields=["status", "withdrawn_at", "withdrawal_reference"])
        ProvenanceEvent.objects.create(
            article_id=asset.article_id, asset=asset, kind=ProvenanceEvent.Kind.RESTORED, actor=actor.id,
            occurred_at=now,
            detail={"reason": reason, "withdrawal_reference": reference, "url_key": asset.url_key})
        queue_event("asset.restored", {"asset_id": asset.pk, "article_id": asset.article_id,
                                       "asset_url": asset.original_url, "reference": reference}, now=now)
        record(action="asset.restored", target=asset, actor=actor, at=now,
               data={"article_id": asset.article_id, "withdrawal_reference": reference})
    return asset
