"""The claimant confirms their email address through the link in the acknowledgment."""

from __future__ import annotations

from datetime import datetime

from django.core import signing
from django.db import transaction

from articles.actors import CLAIMANT_WEB
from compliance.errors import NotFound
from compliance.models import Notice
from compliance.services.lifecycle import move_notice
from compliance.services.standing import apply_trusted_flagger
from compliance.services.intake import CONFIRM_SALT

CONFIRM_MAX_AGE_SECONDS = 14 * 24 * 3600


def notice_for_confirmation(token: str) -> int:
    try:
        return int(signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE_SECONDS)["notice"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise NotFound("this confirmation link is not valid or has expired") from None


def confirm_email(*, notice_id: int, now: datetime) -> Notice:
    """Idempotent: a second click changes nothing and writes nothing."""
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice_id)
        if notice.email_confirmed_at:
            return notice
        notice.email_confirmed_at = now
        if notice.verification == Notice.Verification.UNVERIFIED:
            notice.verification = Notice.Verification.EMAIL_CONFIRMED
        to = notice.status
        if notice.status == Notice.Status.AWAITING_CONFIRMATION:
            to = Notice.Status.AWAITING_INFORMATION if notice.missing_elements else Notice.Status.IN_REVIEW
        move_notice(notice, to, actor=CLAIMANT_WEB, now=now, action="notice.email_confirmed",
                    fields=["email_confirmed_at", "verification"], data={"verification": notice.verification})
        # A confirmed mailbox proves its domain: a trusted flagger's notice goes first from now on.
        apply_trusted_flagger(notice, proven_domain=notice.claimant_email.rsplit("@", 1)[-1], actor=CLAIMANT_WEB,
                              now=now)
    return notice
