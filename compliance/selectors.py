from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, Min, QuerySet

from compliance.models import (AuditEntry, CounterNotice, Decision, InboundMessage, Notice, NoticeItem,
                               NoticeItemMatch, SlaBreach, SlaDeadline, SweepHeartbeat)
from compliance.services.references import notice_id_of_signed_token, token_digest
from compliance.services.sla_sweep import HEARTBEAT
from compliance.staydown.similar import SimilarArticle, similar_articles


def audit_history_of(target: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(object_type=target._meta.label_lower, object_id=str(target.pk))


def notice_for_status_token(token: str) -> Notice | None:
    if not token or len(token) > 100:
        return None
    notice = Notice.objects.filter(status_token_digest=token_digest(token)).first()
    if notice is None and ":" in token:  # the signed link of a later mail
        notice = Notice.objects.filter(pk=notice_id_of_signed_token(token)).first()
    return notice


def status_items(notice: Notice) -> QuerySet[NoticeItem]:
    return notice.items.annotate(match_count=Count("matches")).order_by("position")


def notices_of_sender(user) -> QuerySet[Notice]:
    items = NoticeItem.objects.annotate(match_count=Count("matches")).order_by("position")
    return Notice.objects.filter(sender=user).prefetch_related(models.Prefetch("items", queryset=items))


@dataclass(frozen=True)
class SlaStatus:
    open_by_kind: dict[str, int]
    overdue: int
    lag_seconds: int
    breaches_30_days: int
    failed: int
    last_sweep_at: datetime | None
    sweeper_healthy: bool
    automated_withdrawals: bool
    withdrawal_cap_per_sweep: int
    withdrawals_in_cap_window: int = 0  # automated withdrawals since the last sweep began: the cap's use
    deferred_by_cap: int = 0  # open deadlines the cap has put back at least once
    failed_unacknowledged: int = 0


def sla_status(now: datetime) -> SlaStatus:
    open_rows = SlaDeadline.objects.filter(state__in=SlaDeadline.OPEN_STATES)
    by_kind = {row["kind"]: row["n"] for row in open_rows.values("kind").annotate(n=Count("id"))}
    overdue = open_rows.filter(due_at__lte=now)
    oldest = overdue.aggregate(oldest=Min("due_at"))["oldest"]
    heartbeat = SweepHeartbeat.objects.filter(name=HEARTBEAT).first()
    return SlaStatus(
        open_by_kind={kind: by_kind.get(kind, 0) for kind in SlaDeadline.Kind.values},
        overdue=overdue.count(),
        lag_seconds=int((now - oldest).total_seconds()) if oldest else 0,
        breaches_30_days=SlaBreach.objects.filter(detected_at__gte=now - timedelta(days=30)).count(),
        failed=SlaDeadline.objects.filter(state=SlaDeadline.State.FAILED).count(),
        last_sweep_at=heartbeat.last_sweep_at if heartbeat else None,
        sweeper_healthy=sweeper_healthy(heartbeat, now),
        automated_withdrawals=settings.SLA_AUTOMATED_WITHDRAWALS,
        withdrawal_cap_per_sweep=settings.SLA_MAX_AUTOMATED_WITHDRAWALS_PER_SWEEP,
        withdrawals_in_cap_window=automated_withdrawals_this_sweep(now, heartbeat),
        deferred_by_cap=open_rows.filter(deferrals__gt=0).count(),
        failed_unacknowledged=SlaDeadline.objects.filter(state=SlaDeadline.State.FAILED,
                                                         failure_acknowledged_at__isnull=True).count(),
    )


def automated_withdrawals_this_sweep(now: datetime, heartbeat: SweepHeartbeat | None = None) -> int:
    """What the cap counts: automated withdrawals since the last sweep began (within one interval).
    Counted from the sweep, not over a sliding interval, so a row the cap put back is free to go
    at the very next sweep: the cap lets exactly ``cap`` through per sweep."""
    heartbeat = heartbeat or SweepHeartbeat.objects.filter(name=HEARTBEAT).first()
    since = now - timedelta(seconds=settings.SLA_SWEEP_INTERVAL_SECONDS)
    if heartbeat and since < heartbeat.last_sweep_at <= now:
        since = heartbeat.last_sweep_at
    return Decision.objects.filter(automated=True, action=Decision.Action.WITHDRAW, decided_at__gte=since).count()


def sweeper_healthy(heartbeat: SweepHeartbeat | None, now: datetime) -> bool:
    """Unhealthy when the last sweep is older than three intervals."""
    limit = timedelta(seconds=3 * settings.SLA_SWEEP_INTERVAL_SECONDS)
    return heartbeat is not None and now - heartbeat.last_sweep_at <= limit


@dataclass(frozen=True)
class ReviewPage:
    """What a reviewer reads on one notice's page."""

    items: list[NoticeItem]
    decisions: list[Decision]
    raw_messages: list[tuple[object, str]]
    counter_notices: list[CounterNotice]
    history: list[AuditEntry]
    outcome: str
    similar: list[SimilarArticle]


RAW_SHOWN = 200_000
SIMILAR_SHOWN = 12


def shown_raw(message: InboundMessage) -> str:
    """A stored mail as text for staff, never rendered; a very long one is shortened, and says so."""
    text = bytes(message.raw).decode("utf-8", "replace")
    if len(text) <= RAW_SHOWN:
        return text
    return text[:RAW_SHOWN] + f"\n… (the first {RAW_SHOWN:,} of {len(text):,} characters are shown; the stored message is whole)"


def review_page(notice: Notice, *, personal_data: bool) -> ReviewPage:
    matches = NoticeItemMatch.objects.select_related("article", "asset", "asset__article").order_by("pk")
    items = list(notice.items.order_by("position").prefetch_related(models.Prefetch("matches", queryset=matches),
                                                                     "decisions"))
    decisions = list(Decision.objects.filter(notice=notice).select_related("item", "match").order_by("decided_at"))
    counters = list(CounterNotice.objects.filter(notice=notice).select_related("article"))
    # Raw mail holds the claimant's address and signature: only for staff allowed to see them.
    raw = [(message, shown_raw(message) if personal_data else "") for message in notice.messages.order_by("received_at")]
    targets = models.Q(object_type="compliance.notice", object_id=str(notice.pk))
    for label, ids in (("compliance.decision", [d.pk for d in decisions]),
                       ("compliance.counternotice", [c.pk for c in counters])):
        if ids:
            targets |= models.Q(object_type=label, object_id__in=[str(pk) for pk in ids])
    history = list(AuditEntry.objects.filter(targets).order_by("seq"))
    reported = {m.article_id for item in items for m in item.matches.all() if m.article_id}
    return ReviewPage(items=items, decisions=decisions, raw_messages=raw, counter_notices=counters,
                      history=history, outcome=Notice.outcome_of(item.state for item in items).label,
                      similar=similar_articles(sorted(reported), limit=SIMILAR_SHOWN) if reported else [])
