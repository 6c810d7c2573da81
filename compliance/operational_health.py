"""What /healthz and /metrics report beyond "the services answer": deadlines stuck or failed, queues
that stopped moving, a broken audit chain. Each is a number (for /metrics) and, when it is a
problem, a sentence naming it (for /healthz's 503). docs/operations.md says what to do about each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Min

from compliance.models import AuditVerification, InboundMessage, OutboundMessage, SlaDeadline, WebhookDelivery


@dataclass(frozen=True)
class Check:
    name: str
    value: float  # exported to /metrics
    problem: str  # empty when healthy

    @property
    def ok(self) -> bool:
        return not self.problem


def _age(now: datetime, oldest: datetime | None) -> int:
    return max(int((now - oldest).total_seconds()), 0) if oldest else 0


def stuck_overdue(now: datetime) -> Check:
    """Open deadlines overdue by more than the worst case the design allows (a sweep interval plus a lease)."""
    bound = timedelta(seconds=settings.SLA_SWEEP_INTERVAL_SECONDS + settings.SLA_LEASE_SECONDS)
    stuck = SlaDeadline.objects.filter(state__in=SlaDeadline.OPEN_STATES, due_at__lt=now - bound)
    count = stuck.count()
    oldest = stuck.aggregate(oldest=Min("due_at"))["oldest"] if count else None
    problem = (f"{count} deadline(s) overdue by more than {int(bound.total_seconds())} s, the oldest by "
               f"{_age(now, oldest)} s" if count else "")
    return Check("sla_stuck_overdue", count, problem)


def failed_deadlines(now: datetime) -> Check:
    count = SlaDeadline.objects.filter(state=SlaDeadline.State.FAILED, failure_acknowledged_at__isnull=True).count()
    return Check("sla_failed_unacknowledged", count,
                 f"{count} failed deadline(s) not yet acknowledged by staff" if count else "")


def _queue(name: str, label: str, pending, field: str, now: datetime) -> Check:
    age = _age(now, pending.aggregate(oldest=Min(field))["oldest"])
    limit = settings.QUEUE_STALE_MINUTES * 60
    return Check(name, age, f"the {label}'s oldest pending row is {age // 60} min old (limit "
                            f"{settings.QUEUE_STALE_MINUTES} min)" if age > limit else "")


def inbound_mail_queue(now: datetime) -> Check:
    return _queue("inbound_mail_oldest_pending_seconds", "inbound mail queue",
                  InboundMessage.objects.filter(role=InboundMessage.Role.PENDING), "received_at", now)


def failed_inbound_mail(now: datetime) -> Check:
    count = InboundMessage.objects.filter(role=InboundMessage.Role.FAILED,
                                          failure_acknowledged_at__isnull=True).count()
    return Check("inbound_mail_failed_unacknowledged", count,
                 f"{count} inbound message(s) could not be processed and are not yet acknowledged by staff"
                 if count else "")


def outbox_queue(now: datetime) -> Check:
    return _queue("outbox_oldest_pending_seconds", "outgoing mail queue",
                  OutboundMessage.objects.filter(state=OutboundMessage.State.PENDING), "created_at", now)


def webhook_queue(now: datetime) -> Check:
    return _queue("webhook_oldest_pending_seconds", "webhook queue",
                  WebhookDelivery.objects.filter(state=WebhookDelivery.State.PENDING), "created_at", now)


def audit_chain(now: datetime) -> Check:
    last = AuditVerification.objects.order_by("-checked_at").first()
    if last is None or last.ok:
        return Check("audit_chain_intact", 1, "")
    return Check("audit_chain_intact", 0, f"the audit chain check of {last.checked_at.isoformat()} failed: "
                                          f"{last.message}")


CHECKS = (stuck_overdue, failed_deadlines, inbound_mail_queue, failed_inbound_mail, outbox_queue, webhook_queue,
          audit_chain)


def operational_checks(now: datetime) -> list[Check]:
    return [check(now) for check in CHECKS]
