"""More information arriving for an open notice: new URLs, missing statements, by reply or form."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from compliance.parsing.submission import ValidItem
from articles.actors import Actor
from compliance.models import Notice, NoticeItem
from compliance.services.deadlines import schedule_deadlines, schedule_response_deadline
from compliance.services.lifecycle import move_notice
from compliance.services.matching import match_items

OPEN_STATUSES = (Notice.Status.RECEIVED, Notice.Status.AWAITING_CONFIRMATION,
                 Notice.Status.AWAITING_INFORMATION, Notice.Status.IN_REVIEW)


def supplement_notice(*, notice_id: int, items: list[ValidItem], good_faith: bool, accuracy: bool,
                      signature: str, actor: Actor, now: datetime) -> Notice:
    """Adds what is new; when the last missing element arrives, the 24-hour clock starts now."""
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice_id)
        if notice.status not in OPEN_STATUSES:
            return notice
        known = set(notice.items.values_list("scope", "url_key"))
        fresh = [item for item in items if (item.scope, item.url_key) not in known]
        start = notice.items.count()
        NoticeItem.objects.bulk_create([
            NoticeItem(notice=notice, position=start + n, scope=item.scope, url=item.url,
                       normalised_url=item.normalised_url, url_key=item.url_key,
                       original_url=item.original_url, note=item.note)
            for n, item in enumerate(fresh)])
        matched = match_items(notice, now=now) if fresh else 0
        previous = (notice.status, list(notice.missing_elements))
        notice.good_faith_statement |= good_faith
        notice.accuracy_statement |= accuracy
        notice.signature = notice.signature or signature
        notice.missing_elements = _still_missing(notice)
        if previous[1] and not notice.missing_elements:
            notice.clock_started_at, notice.due_at = now, now + timedelta(hours=settings.SLA_HOURS)
            schedule_deadlines(notice, clock_started_at=now)
        elif notice.missing_elements and matched and not notice.duplicate_of_id:
            schedule_response_deadline(notice, at=now)  # the first mail named nothing of ours; this one does
        to = notice.status
        if notice.status == Notice.Status.AWAITING_INFORMATION and not notice.missing_elements:
            # The answer to what was missing, or to a reviewer's question: back to the queue.
            to = Notice.Status.IN_REVIEW
        if not fresh and previous == (to, notice.missing_elements):
            return notice
        move_notice(notice, to, actor=actor, now=now, action="notice.supplemented",
                    fields=["good_faith_statement", "accuracy_statement", "signature", "missing_elements",
                            "clock_started_at", "due_at"],
                    data={"items_added": len(fresh), "matches_added": matched, "missing": notice.missing_elements,
                          "due_at": notice.due_at})
    return notice


def _still_missing(notice: Notice) -> list[str]:
    present = {"urls": notice.items.exists(), "good_faith": notice.good_faith_statement,
               "accuracy": notice.accuracy_statement, "signature": bool(notice.signature.strip())}
    return [name for name in notice.missing_elements if not present.get(name, False)]
