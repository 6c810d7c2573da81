"""Outgoing mail through the outbox: queued inside the change's transaction, sent by a periodic task.

A request never waits on SMTP or the broker, and a mail promised is not lost when either is down.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid
from django.db import transaction
from django.template.loader import render_to_string

from compliance.models import Notice, OutboundMessage

MAX_ATTEMPTS = 8
SEND_BATCH = 50


def queue_mail(*, notice: Notice | None, purpose: str, to: str, template: str, context: dict,
               subject: str, in_reply_to: str = "") -> OutboundMessage:
    return OutboundMessage.objects.create(
        notice=notice, purpose=purpose, to_address=to, subject=subject[:300],
        body=render_to_string(template, context),
        # make_msgid() without a domain calls getfqdn(), which can stall on DNS.
        message_id=make_msgid(idstring=notice.reference if notice else purpose, domain=settings.MAIL_DOMAIN),
        in_reply_to=in_reply_to,
    )


def _headers(message: OutboundMessage) -> dict[str, str]:
    headers = {"Message-ID": message.message_id, "Auto-Submitted": "auto-replied"}
    if message.in_reply_to:
        headers["In-Reply-To"] = message.in_reply_to
        headers["References"] = message.in_reply_to
    return headers


def send_pending(*, now: datetime, limit: int = SEND_BATCH) -> int:
    """Send what is pending; each row is claimed under a lock that other senders skip. A row that
    cannot be sent after MAX_ATTEMPTS, or breaks in a way no retry cures, is set aside and alerted."""
    from compliance.services.queue_failures import set_aside_outbound  # it queues mail through this module

    sent = 0
    for pk in OutboundMessage.objects.filter(state=OutboundMessage.State.PENDING).values_list("pk", flat=True)[:limit]:
        try:
            outcome = _send_one(pk, now)
        except Exception as exc:  # a poison row (unrenderable, unsavable): set aside, the others go on
            set_aside_outbound(message_pk=pk, exc=exc)
            continue
        if isinstance(outcome, Exception):
            set_aside_outbound(message_pk=pk, exc=outcome)
        sent += outcome is True
    return sent


def _send_one(pk: int, now: datetime) -> bool | Exception | None:
    """True when sent; the error when it failed for the last time; None otherwise."""
    with transaction.atomic():
        message = (OutboundMessage.objects.select_for_update(skip_locked=True)
                   .filter(pk=pk, state=OutboundMessage.State.PENDING).first())
        if message is None:
            return None
        message.attempts += 1
        try:
            EmailMessage(subject=message.subject, body=message.body, to=[message.to_address],
                         headers=_headers(message)).send()
        except Exception as exc:  # SMTP and backend errors alike: recorded, retried
            message.last_error = f"{type(exc).__name__}: {exc}"[:500]
            message.save(update_fields=["attempts", "last_error"])
            return exc if message.attempts >= MAX_ATTEMPTS else None
        message.state, message.sent_at, message.last_error = OutboundMessage.State.SENT, now, ""
        message.save(update_fields=["attempts", "last_error", "state", "sent_at"])
        return True
