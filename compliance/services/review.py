"""The reviewer's workflow around decisions: assign, ask the claimant for more, mark a duplicate.

Each is one transaction, one audit entry; an illegal move raises with a message fit for staff.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from articles.actors import Actor
from compliance.errors import IllegalTransition
from compliance.models import Decision, Notice, NoticeItem, OutboundMessage, SlaDeadline
from compliance.services.audit import record
from compliance.services.deadlines import answer_response_deadline
from compliance.services.lifecycle import move_notice
from compliance.services.outbox import queue_mail

Status = Notice.Status
WORKABLE = (Status.RECEIVED, Status.AWAITING_CONFIRMATION, Status.AWAITING_INFORMATION, Status.IN_REVIEW)


def _open_notice(notice_id: int, doing: str) -> Notice:
    notice = Notice.objects.select_for_update().get(pk=notice_id)
    if notice.status not in WORKABLE:
        raise IllegalTransition(f"{notice.reference} is {notice.get_status_display().lower()}; cannot {doing}")
    return notice


def assign(*, notice_ids: list[int], reviewer_id: int | None, actor: Actor, now: datetime) -> int:
    """Assign (or, with None, unassign) open notices; decided ones are left as they are."""
    reviewer = get_user_model().objects.get(pk=reviewer_id) if reviewer_id else None
    changed = 0
    with transaction.atomic():
        for notice in Notice.objects.select_for_update().filter(pk__in=notice_ids, status__in=WORKABLE).order_by("pk"):
            if notice.assigned_to_id == reviewer_id:
                continue
            previous = notice.assigned_to_id
            notice.assigned_to = reviewer
            notice.save(update_fields=["assigned_to"])
            record(action="notice.assigned", target=notice, actor=actor, at=now,
                   data={"from": previous, "to": reviewer_id})
            changed += 1
    return changed


def ask_for_information(*, notice_id: int, question: str, actor: Actor, now: datetime) -> Notice:
    """The notice waits for the claimant; their reply (threaded by reference) brings it back.

    The 24-hour clock keeps running: a complete notice's promise does not pause for our question.
    """
    question = question.strip()
    if not question:
        raise IllegalTransition("write the question the claimant should answer")
    with transaction.atomic():
        notice = _open_notice(notice_id, "ask for information")
        Decision.objects.create(notice=notice, action=Decision.Action.NEED_INFORMATION, automated=False,
                                decided_by=actor.user, actor=actor.id, decided_at=now, explanation=question,
                                decision_visibility=[], territorial_scope=[])
        answer_response_deadline(notice, now=now, how="staff asked the claimant for information")
        acknowledgment = notice.outbound.filter(purpose=OutboundMessage.Purpose.ACKNOWLEDGMENT).first()
        queue_mail(notice=notice, purpose=OutboundMessage.Purpose.REQUEST_INFORMATION, to=notice.claimant_email,
                   subject=f"[{notice.reference}] We need more information about your removal request",
                   template="compliance/mail/request_information.txt",
                   context={"notice": notice, "question": question},
                   in_reply_to=acknowledgment.message_id if acknowledgment else "")
        move_notice(notice, Status.AWAITING_INFORMATION, actor=actor, now=now, action="notice.information_requested")
    return notice


def mark_duplicate(*, notice_id: int, original_id: int, actor: Actor, now: datetime) -> Notice:
    """A notice that repeats another is closed and points at it; the original carries the work."""
    if notice_id == original_id:
        raise IllegalTransition("a notice cannot duplicate itself")
    with transaction.atomic():
        first, second = sorted([notice_id, original_id])
        locked = {n.pk: n for n in Notice.objects.select_for_update().filter(pk__in=[first, second]).order_by("pk")}
        notice, original = locked[notice_id], locked[original_id]
        if notice.status not in WORKABLE:
            raise IllegalTransition(f"{notice.reference} is already {notice.get_status_display().lower()}")
        if original.duplicate_of_id:
            raise IllegalTransition(f"{original.reference} is itself a duplicate of {original.duplicate_of}; "
                                    "mark it as a duplicate of that one")
        if notice.items.exclude(state__in=NoticeItem.UNDECIDED).exists():
            raise IllegalTransition(f"{notice.reference} has decided items; decide the rest instead")
        notice.duplicate_of = original
        cancelled = SlaDeadline.objects.filter(notice=notice, state__in=SlaDeadline.OPEN_STATES).update(
            state=SlaDeadline.State.CANCELLED, done_at=now, outcome=f"duplicate of {original.reference}")
        move_notice(notice, Status.CLOSED, actor=actor, now=now, action="notice.marked_duplicate",
                    fields=["duplicate_of"],
                    data={"of": original.reference, "deadlines_cancelled": cancelled})
    return notice
