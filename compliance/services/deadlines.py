"""Deadlines of a notice, written in the transaction that starts its clock."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

from compliance.models import Notice, NoticeItem, SlaDeadline

Kind = SlaDeadline.Kind
ESCALATION_FRACTIONS = {Kind.ESCALATE_50: 0.5, Kind.ESCALATE_75: 0.75, Kind.ESCALATE_90: 0.9}
UNDECIDED_ITEM_STATES = (NoticeItem.State.RECEIVED, NoticeItem.State.MATCHED, NoticeItem.State.UNMATCHED)


def safety_margin() -> timedelta:
    """The fail-safe acts this much before the promise, so the worst case (a sweep interval plus
    a lease) still lands within 24 hours."""
    return timedelta(seconds=settings.SLA_SWEEP_INTERVAL_SECONDS + settings.SLA_LEASE_SECONDS)


def schedule_deadlines(notice: Notice, *, clock_started_at: datetime) -> list[SlaDeadline]:
    window = timedelta(hours=settings.SLA_HOURS)
    rows = [SlaDeadline(notice=notice, kind=kind, due_at=clock_started_at + window * fraction,
                        wake_at=clock_started_at + window * fraction)
            for kind, fraction in ESCALATION_FRACTIONS.items()]
    due_at = clock_started_at + window
    rows.append(SlaDeadline(notice=notice, kind=Kind.DUE, due_at=due_at, wake_at=due_at - safety_margin()))
    return SlaDeadline.objects.bulk_create(rows)


def cancel_if_settled(notice: Notice, *, now: datetime) -> int:
    """Deadlines stop when no item is left undecided, not at the first decision."""
    if notice.items.filter(state__in=UNDECIDED_ITEM_STATES).exists():
        return 0
    return SlaDeadline.objects.filter(notice=notice, state__in=SlaDeadline.OPEN_STATES).exclude(
        kind=Kind.RESTORE).update(state=SlaDeadline.State.CANCELLED, done_at=now, outcome="no item left undecided")
