"""Poison rows of the queues (inbound mail, outbox, webhooks): a row that fails in a way no retry will
cure is marked failed with its error, the compliance leads are alerted, and the worker goes on.

Staff acknowledge a failed inbound message once they have handled it by hand, or send it back
to the queue; until then /healthz names it (config/health.py)."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.urls import reverse

from articles.actors import Actor
from compliance.models import InboundMessage, OutboundMessage, WebhookDelivery
from compliance.services.alerts import alert_compliance_leads

log = logging.getLogger(__name__)
TEMPLATE = "compliance/mail/queue_row_failed.txt"


def error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]


def set_aside_inbound(*, message_pk: int, exc: BaseException, now: datetime) -> None:
    log.error("inbound message %s could not be processed and was set aside: %s", message_pk, error_text(exc))
    with transaction.atomic():
        updated = InboundMessage.objects.filter(pk=message_pk, role=InboundMessage.Role.PENDING).update(
            role=InboundMessage.Role.FAILED, error=error_text(exc), processed_at=now)
        if updated:
            alert_compliance_leads(
                subject=f"inbound mail {message_pk} could not be processed", template=TEMPLATE,
                context={"what": f"Inbound message {message_pk}", "error": error_text(exc),
                         "link": reverse("admin:compliance_inboundmessage_change", args=[message_pk]),
                         "action": "Its bytes are stored. Read it, file the request by hand if it is one, then mark "
                                   "the failure acknowledged, or send it back to the queue once the cause is fixed."})


def set_aside_outbound(*, message_pk: int, exc: BaseException) -> None:
    log.error("outbound mail %s failed for good: %s", message_pk, error_text(exc))
    with transaction.atomic():
        message = OutboundMessage.objects.filter(pk=message_pk).first()
        if message is None:
            return
        OutboundMessage.objects.filter(pk=message_pk).update(state=OutboundMessage.State.FAILED,
                                                             last_error=error_text(exc))
        if message.purpose != OutboundMessage.Purpose.ESCALATION:  # an alert about an alert would loop
            alert_compliance_leads(
                subject=f"mail to a claimant or source could not be sent ({message.get_purpose_display()})",
                template=TEMPLATE, notice=message.notice,
                context={"what": f"Outgoing mail {message_pk} ({message.get_purpose_display()}, "
                                 f"{message.notice.reference if message.notice else 'no notice'})",
                         "error": error_text(exc),
                         "link": reverse("admin:compliance_outboundmessage_change", args=[message_pk]),
                         "action": "Send what it says by hand, or correct the address and queue it again."})


def set_aside_delivery(*, delivery_pk: int, exc: BaseException) -> None:
    log.error("webhook delivery %s failed for good: %s", delivery_pk, error_text(exc))
    with transaction.atomic():
        updated = WebhookDelivery.objects.filter(pk=delivery_pk, state=WebhookDelivery.State.PENDING).update(
            state=WebhookDelivery.State.FAILED, last_error=error_text(exc))
        if updated:
            alert_compliance_leads(
                subject=f"webhook delivery {delivery_pk} could not be sent", template=TEMPLATE,
                context={"what": f"Webhook delivery {delivery_pk}", "error": error_text(exc),
                         "link": reverse("admin:compliance_webhookdelivery_change", args=[delivery_pk]),
                         "action": "Whatever that endpoint serves (CMS, CDN cache, sitemap) may still show withdrawn "
                                   "content: check it and purge by hand."})


def acknowledge_failed_deadlines(*, deadline_ids: list[int], actor: Actor, now: datetime) -> int:
    """Staff have seen the breach and taken it on: /healthz stops naming these rows."""
    from compliance.models import SlaDeadline
    from compliance.services.audit import record

    done = 0
    with transaction.atomic():
        for deadline in (SlaDeadline.objects.select_for_update().select_related("notice")
                         .filter(pk__in=deadline_ids, state=SlaDeadline.State.FAILED,
                                 failure_acknowledged_at__isnull=True).order_by("pk")):
            deadline.failure_acknowledged_at, deadline.failure_acknowledged_by = now, actor.id
            deadline.save(update_fields=["failure_acknowledged_at", "failure_acknowledged_by"])
            record(action="sla.failure_acknowledged", target=deadline.notice, actor=actor, at=now,
                   data={"deadline": deadline.pk, "kind": deadline.kind})
            done += 1
    return done


def acknowledge_failed_messages(*, message_ids: list[int], actor: Actor, now: datetime) -> int:
    """Handled by hand (filed as a notice, or not one): /healthz stops naming them."""
    return InboundMessage.objects.filter(pk__in=message_ids, role=InboundMessage.Role.FAILED,
                                         failure_acknowledged_at__isnull=True).update(
        failure_acknowledged_at=now, failure_acknowledged_by=actor.id[:200])


def requeue_failed_messages(*, message_ids: list[int]) -> int:
    """Once the cause is fixed: back to the queue, processed like a new arrival."""
    return InboundMessage.objects.filter(pk__in=message_ids, role=InboundMessage.Role.FAILED).update(
        role=InboundMessage.Role.PENDING, error="", processed_at=None)
