"""Urgent alerts to the compliance leads, through the outbox: a queue worker that sets a poison row
aside says so here, so nothing fails quietly (docs/operations.md lists each alert and its action)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model

from compliance import roles
from compliance.models import Notice, OutboundMessage
from compliance.services.outbox import queue_mail

log = logging.getLogger(__name__)


def mail_staff(*, groups: list[str], subject: str, template: str, context: dict, notice: Notice | None = None) -> int:
    """Queue one escalation mail to each active member of these groups who has an address, in the caller's
    transaction (the outbox sends it); how many were queued."""
    staff = get_user_model().objects.filter(groups__name__in=groups, is_active=True).exclude(email="").distinct()
    for person in staff:
        queue_mail(notice=notice, purpose=OutboundMessage.Purpose.ESCALATION, to=person.email, subject=subject,
                   template=template, context={**context, "site_url": settings.SITE_URL})
    return len(staff)


def alert_compliance_leads(*, subject: str, template: str, context: dict, notice: Notice | None = None) -> int:
    """Queue one urgent mail per active compliance lead, in the caller's transaction; logged as an error too."""
    log.error("ALERT %s", subject)
    return mail_staff(groups=[roles.COMPLIANCE_LEAD], subject=f"URGENT: {subject}", template=template,
                      context=context, notice=notice)
