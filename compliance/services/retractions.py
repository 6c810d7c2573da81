"""A claimant withdrawing their notice by mail: linked to it, put before staff, confirmed in one click.

A retraction cancels nothing by itself (anyone can write "we withdraw our notice"), and never opens
a takedown or a clock. Staff confirm it; what is still undecided is then closed as withdrawn by the
claimant, with a statement of reasons, and the claimant is told. What was already removed stays as
decided: putting it back is a decision of its own.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from articles.templatetags.moments import SHORT, utc
from articles.actors import CLAIMANT_EMAIL, Actor
from compliance.errors import IllegalTransition
from compliance.models import Decision, InboundMessage, Notice, NoticeItem
from compliance.services.audit import personal_data_hash, record
from compliance.services.decisions import Reasons, close_withdrawn_by_claimant

Role = InboundMessage.Role


def record_retraction(*, message: InboundMessage, notice: Notice, sender: str, now: datetime) -> None:
    """The mail joins the notice as a retraction for staff; nothing else about the notice changes."""
    message.role, message.notice = Role.RETRACTION, notice
    record(action="notice.retraction_received", target=notice, actor=CLAIMANT_EMAIL, at=now, data={
        "message": message.pk, "from_claimant_address": personal_data_hash(sender) == notice.claimant_email_digest})


def pending_retraction(notice: Notice) -> InboundMessage | None:
    """The latest retraction on file while something is left to decide."""
    if not notice.items.filter(state__in=NoticeItem.UNDECIDED).exists():
        return None
    return notice.messages.filter(role=Role.RETRACTION).order_by("-received_at").first()


def from_claimant(message: InboundMessage, notice: Notice) -> bool:
    return personal_data_hash(message.header_from) == notice.claimant_email_digest


def accept_retraction(*, notice_id: int, actor: Actor, now: datetime) -> list[Decision]:
    """Staff confirm the claimant withdrew: every undecided item is closed, audited, the claimant told."""
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice_id)
        message = notice.messages.filter(role=Role.RETRACTION).order_by("-received_at").first()
        if message is None:
            raise IllegalTransition("no retraction from the claimant is on file for this notice")
        item_ids = list(notice.items.filter(state__in=NoticeItem.UNDECIDED).values_list("pk", flat=True))
        if not item_ids:
            raise IllegalTransition("nothing is left undecided on this notice")
        sender = "the claimant's own address" if from_claimant(message, notice) else "another address than the claimant's"
        reasons = Reasons(
            explanation=(f"The claimant withdrew this notice by email on {utc(message.received_at, SHORT)}; "
                         "nothing was removed on the items it left undecided."),
            legal_ground="Notice withdrawn by the notifier",
            facts=(f"Retraction received {utc(message.received_at, SHORT)} from {sender} "
                   f"(Message-ID <{message.message_id}>), confirmed by staff."),
            territorial_scope=[])
        decisions = close_withdrawn_by_claimant(notice_id=notice.pk, item_ids=item_ids, reasons=reasons, actor=actor,
                                                now=now)
        record(action="notice.retraction_accepted", target=notice, actor=actor, at=now,
               data={"message": message.pk, "items": item_ids, "decisions": [d.pk for d in decisions]})
    return decisions
