"""The one way a notice changes status: checked against `Notice.TRANSITIONS`, saved, audited."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import models

from articles.actors import Actor
from compliance.errors import ForbiddenMove
from compliance.models import AuditEntry, Notice
from compliance.services.audit import record


def move_notice(notice: Notice, to: str, *, actor: Actor, now: datetime, data: dict[str, Any] | None = None,
                action: str = "notice.status_changed", target: models.Model | None = None,
                fields: Iterable[str] = ()) -> AuditEntry:
    """Move a locked notice to `to` (staying where it is is allowed and still recorded) and record one entry.

    A caller whose change already has its own entry (a decision, a counter-notice, a confirmation) names
    it with `action` and `target`, so one change makes one entry; the entry's data always carries
    `from` and `to`. `fields`: other fields of the notice the caller changed, saved with the status.
    Call it where the caller would record: last in the transaction, after the rows it locks.
    """
    previous = notice.status
    if not notice.may_move_to(to):
        raise ForbiddenMove(f"{notice.reference} is {notice.get_status_display().lower()}; it cannot become "
                                f"{Notice.Status(to).label.lower()}")
    notice.status = to
    notice.save(update_fields=["status", *fields])
    return record(action=action, target=target or notice, actor=actor, at=now,
                  data={**(data or {}), "from": previous, "to": to})
