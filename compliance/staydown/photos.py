"""Stay-down for photos: an article whose picture is a withdrawn photo (the same file, or the same
photo resized, recompressed or lightly cropped, by pHash) is held for review.

The publish gate runs before the pictures' bytes are known; imagerights calls this, as
``settings.IMAGERIGHTS_PHOTO_MATCH_HANDLER``, once they are."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from articles.models import Article, ProvenanceEvent
from articles.actors import STAY_DOWN
from compliance.services.audit import record
from compliance.services.webhooks import queue_event


def hold_for_withdrawn_photos(*, article: Article, matches: list[tuple[int, object]], actor: str) -> bool:
    """matches: (our asset id, imagerights PhotoMatch). True when the article was held now."""
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if not article.is_public:
            return False
        asset_id, match = matches[0]
        now, previous = timezone.now(), article.status
        reason = (f"it shows a photo withdrawn from article {match.article_id} "
                  f"({'the same file' if match.distance == 0 else f'pHash distance {match.distance}'})")
        article.status, article.status_reason = Article.Status.HELD, Article.short_reason(reason)
        article.save(update_fields=["status", "status_reason", "updated_at"])
        evidence = {"how": "image_hash", "asset": asset_id, **match.evidence}
        ProvenanceEvent.objects.create(article=article, kind=ProvenanceEvent.Kind.HELD, actor=actor, occurred_at=now,
                                       detail={"reason": reason, "evidence": evidence})
        # It was public a moment: caches and the CMS take it down like a withdrawal.
        queue_event("article.withdrawn", {"article_id": article.pk, "status": article.status, "reason": reason},
                    now=now)
        record(action="article.held", target=article, actor=STAY_DOWN, at=now,
               data={"from": previous, "to": article.status, "reason": reason, "how": "image_hash",
                     "matched_article_id": match.article_id, "content_sha256": article.content_sha256})
    return True
