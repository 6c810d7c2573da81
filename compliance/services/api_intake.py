"""Notices sent by API: idempotent per (sender, key), safe when two identical requests race."""

from __future__ import annotations

from datetime import timedelta
from typing import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone

from compliance.errors import ComplianceError
from compliance.parsing.submission import Submission
from compliance.models import IdempotencyRecord, Notice
from compliance.services.intake import ReceivedNotice, receive_notice

IDEMPOTENCY_TTL = timedelta(hours=24)


class IdempotencyConflict(ComplianceError):
    pass


def _replay(sender, key: str, body_sha256: str) -> IdempotencyRecord | None:
    record = (IdempotencyRecord.objects.select_related("notice")
              .filter(sender=sender, key=key, expires_at__gt=timezone.now()).first())
    if record and record.body_sha256 != body_sha256:
        raise IdempotencyConflict("this Idempotency-Key was already used with a different request body")
    return record


def receive_api_notice(*, sender, submission: Submission, key: str, body_sha256: str,
                       answer: Callable[[ReceivedNotice], dict]) -> tuple[Notice, dict, bool]:
    """Returns the notice, the answer to give, and whether it was created now.

    The (sender, key) row is written in the notice's own transaction: of two racing identical
    requests one commits, the other hits the unique index, rolls back, and replays the first answer.
    """
    if key:
        IdempotencyRecord.objects.filter(sender=sender, key=key, expires_at__lte=timezone.now()).delete()
        record = _replay(sender, key, body_sha256)
        if record:
            return record.notice, record.response, False
    try:
        with transaction.atomic():
            received = receive_notice(channel=Notice.Channel.API, submission=submission, sender=sender)
            response = answer(received)
            if key:
                IdempotencyRecord.objects.create(sender=sender, key=key, body_sha256=body_sha256,
                                                 notice=received.notice, response=response,
                                                 expires_at=timezone.now() + IDEMPOTENCY_TTL)
    except IntegrityError:
        record = _replay(sender, key, body_sha256) if key else None
        if record is None:
            raise
        return record.notice, record.response, False
    return received.notice, response, True
