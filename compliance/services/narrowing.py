"""A claim filed against an article's URL that is about one of its photos (or videos, maps).

The claimant named the page; what they own is a picture on it. The reviewer narrows the item's
article match to the pictures concerned and removes only those: the item is settled as actioned
("the picture was removed"), the article stays up, and nothing the claimant asked for is called
"rejected". The narrowing is one audited step inside the decision's transaction."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from articles.models import Asset
from articles.actors import Actor
from compliance.errors import IllegalTransition
from compliance.models import Decision, Notice, NoticeItem, NoticeItemMatch
from compliance.services.audit import record
from compliance.services.decisions import Reasons, withdraw_items


def remove_pictures_of_matched_articles(*, notice_id: int, item_ids: list[int], asset_ids: list[int],
                                        reasons: Reasons, actor: Actor, now: datetime) -> list[Decision]:
    with transaction.atomic():
        Notice.objects.select_for_update().get(pk=notice_id)  # the one lock order: notice first
        items = list(NoticeItem.objects.select_for_update().filter(notice_id=notice_id, pk__in=item_ids)
                     .order_by("pk"))
        matches = list(NoticeItemMatch.objects.select_for_update().filter(
            item__in=items, asset__isnull=True, state=NoticeItemMatch.State.MATCHED).order_by("pk"))
        chosen = {asset.pk: asset for asset in Asset.objects.filter(pk__in=asset_ids, status=Asset.Status.LIVE)}
        for item in items:
            if not any(a.article_id == m.article_id for m in matches if m.item_id == item.pk for a in chosen.values()):
                raise IllegalTransition(f"choose a picture or medium of the article that {item.url} matched")
        for match in matches:
            pictures = [asset for asset in chosen.values() if asset.article_id == match.article_id]
            if pictures:
                _narrow(match, pictures, actor=actor, now=now)
        return withdraw_items(notice_id=notice_id, item_ids=item_ids, reasons=reasons, actor=actor, now=now)


def _narrow(match: NoticeItemMatch, pictures: list[Asset], *, actor: Actor, now: datetime) -> None:
    narrowed = NoticeItemMatch.objects.bulk_create([
        NoticeItemMatch(item_id=match.item_id, article_id=match.article_id, asset=asset, how=match.how,
                        score=match.score, evidence_sha256=asset.url_key, created_at=now,
                        evidence={"status": asset.status, "credit_line": asset.credit_line[:300],
                                  "narrowed_from_article_match": match.pk})
        for asset in pictures])
    record(action="match.narrowed_to_assets", target=match.item, actor=actor, at=now, data={
        "article": match.article_id, "article_match": match.pk, "article_match_puid": str(match.puid),
        "article_evidence_sha256": match.evidence_sha256, "asset_matches": [m.pk for m in narrowed],
        "assets": [asset.pk for asset in pictures]})
    match.delete()  # the audit entry above keeps what it was; no decision was ever made on it
