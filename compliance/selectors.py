from __future__ import annotations

from django.db import models
from django.db.models import Count, QuerySet

from compliance.models import AuditEntry, Notice, NoticeItem
from compliance.services.references import token_digest


def audit_history_of(target: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(object_type=target._meta.label_lower, object_id=str(target.pk))


def notice_for_status_token(token: str) -> Notice | None:
    if not token or len(token) > 100:
        return None
    return Notice.objects.filter(status_token_digest=token_digest(token)).first()


def status_items(notice: Notice) -> QuerySet[NoticeItem]:
    return notice.items.annotate(match_count=Count("matches")).order_by("position")


def notices_of_sender(user) -> QuerySet[Notice]:
    items = NoticeItem.objects.annotate(match_count=Count("matches")).order_by("position")
    return Notice.objects.filter(sender=user).prefetch_related(models.Prefetch("items", queryset=items))
