"""Signed outbound webhooks: queued in the transaction of a withdrawal, delivered with retries.

Each body is signed as ``sha256=HMAC(secret, "<timestamp>.<body>")`` in ``X-Takedown-Signature``
with the timestamp in ``X-Takedown-Timestamp``, so a receiver can refuse forgeries and replays.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from datetime import datetime, timedelta

from django.db import transaction

from compliance.models import WebhookDelivery, WebhookEndpoint
from compliance.services.alerts import alert_compliance_leads
from compliance.services.audit import canonical_json
from compliance.services.queue_failures import set_aside_delivery

MAX_ATTEMPTS = 8
TIMEOUT_SECONDS = 10
IN_FLIGHT = timedelta(seconds=60)
State = WebhookDelivery.State


def queue_event(event: str, data: dict, *, now: datetime) -> int:
    """Call inside the transaction of the change: the deliveries commit or vanish with it."""
    body = canonical_json({"event": event, "occurred_at": now, "data": data})
    endpoints = [e for e in WebhookEndpoint.objects.filter(active=True) if event in e.events]
    WebhookDelivery.objects.bulk_create([
        WebhookDelivery(endpoint=endpoint, event=event, payload=body, next_attempt_at=now, created_at=now)
        for endpoint in endpoints])
    return len(endpoints)


def signature(secret: str, timestamp: str, body: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()


def _claim(now: datetime, limit: int) -> list[int]:
    with transaction.atomic():
        rows = list(WebhookDelivery.objects.select_for_update(skip_locked=True)
                    .filter(state=State.PENDING, next_attempt_at__lte=now).order_by("next_attempt_at")[:limit])
        for row in rows:  # no lock is held while a receiver answers; this lease keeps others off
            row.next_attempt_at = now + IN_FLIGHT
        WebhookDelivery.objects.bulk_update(rows, ["next_attempt_at"])
    return [row.pk for row in rows]


def _post(delivery: WebhookDelivery, now: datetime) -> tuple[int | None, str]:
    timestamp = str(int(now.timestamp()))
    request = urllib.request.Request(delivery.endpoint.url, data=delivery.payload.encode(), method="POST", headers={
        "Content-Type": "application/json", "User-Agent": "takedown-compliance-webhooks/1",
        "X-Takedown-Event": delivery.event, "X-Takedown-Delivery": str(delivery.pk),
        "X-Takedown-Timestamp": timestamp,
        "X-Takedown-Signature": signature(delivery.endpoint.secret, timestamp, delivery.payload)})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500]


def deliver_pending(*, now: datetime, limit: int = 50) -> int:
    delivered = 0
    for pk in _claim(now, limit):
        try:
            delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=pk)
            status, error = _post(delivery, now)
            delivered += _record(delivery, status, error, now)
        except Exception as exc:  # a poison row: set aside and alerted, the others go on
            set_aside_delivery(delivery_pk=pk, exc=exc)
    return delivered


def _record(delivery: WebhookDelivery, status: int | None, error: str, now: datetime) -> int:
    with transaction.atomic():
        delivery.attempts += 1
        delivery.last_status, delivery.last_error = status, error
        if status is not None and 200 <= status < 300:
            delivery.state, delivery.delivered_at = State.DELIVERED, now
        elif delivery.attempts >= MAX_ATTEMPTS:
            delivery.state = State.FAILED
            _escalate(delivery)
        else:
            delivery.next_attempt_at = now + min(timedelta(seconds=30 * 2 ** delivery.attempts), timedelta(hours=1))
        delivery.save(update_fields=["attempts", "last_status", "last_error", "state", "delivered_at",
                                     "next_attempt_at"])
    return int(delivery.state == State.DELIVERED)


def _escalate(delivery: WebhookDelivery) -> None:
    """A withdrawal that does not reach the CMS or CDN may still be live there: people must know."""
    alert_compliance_leads(subject=f"webhook {delivery.endpoint.name} failed for {delivery.event}",
                           template="compliance/mail/webhook_failed.txt",
                           context={"delivery": delivery, "data": json.loads(delivery.payload)})
