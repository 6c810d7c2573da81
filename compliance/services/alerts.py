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


def alert_compliance_leads(*, subject: str, template: str, context: dict, notice: Notice | None = None) -> int:
    """Queue one urgent mail per active compliance lead, in the caller's transaction; logged as an error too."""
    log.error("ALERT %s", subject)
    leads = get_user_model().objects.filter(groups__name=roles.COMPLIANCE_LEAD, is_active=True).exclude(email="")
    for lead in leads:
        queue_mail(notice=notice, purpose=OutboundMessage.Purpose.ESCALATION, to=lead.email,
                   subject=f"URGENT: {subject}"[:300], template=template,
                   context={**context, "site_url": settings.SITE_URL})
    return len(leads)
