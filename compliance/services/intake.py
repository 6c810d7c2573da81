"""Receiving a notice from any channel: one transaction stores it, matches it, audits it, queues the acknowledgment."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from articles.models import RightsHolder
from articles.actors import Actor
from compliance.parsing.submission import MAX_ITEMS, Submission, ValidItem
from compliance.models import Notice, NoticeItem, OutboundMessage, SenderRestriction
from compliance.services.audit import personal_data_hash, record
from compliance.services.deadlines import schedule_deadlines, schedule_response_deadline
from compliance.services.matching import Found, store_matched_items
from compliance.services.notice_runs import DUPLICATE_WINDOW, NoticeRun
from compliance.services.outbox import queue_mail
from compliance.services.references import new_reference, new_status_token, signed_status_token
from compliance.services.standing import active_suspension, apply_trusted_flagger

CONFIRM_SALT = "compliance.notice.confirm-email"
MISSING_LABELS = {
    "urls": "the address (URL) of each page or image on our site, or of your original",
    "good_faith": "a statement that you believe in good faith the use is not authorised",
    "accuracy": "a statement that the information is accurate and, under penalty of perjury, "
                "that you are authorised to act for the owner",
    "signature": "your signature (your typed full name)",
}


@dataclass(frozen=True)
class ReceivedNotice:
    notice: Notice
    status_token: str

    @property
    def status_url(self) -> str:
        return status_url(self.status_token)


def status_url(token: str) -> str:
    return settings.SITE_URL + reverse("takedown-status", args=[token])


def later_status_url(notice: Notice) -> str:
    """The claimant's private page, for mails after the acknowledgment (see references.py)."""
    return status_url(signed_status_token(notice.pk))


def confirm_url(notice: Notice) -> str:
    token = signing.dumps({"notice": notice.pk}, salt=CONFIRM_SALT)
    return settings.SITE_URL + reverse("takedown-confirm", args=[token])


def items_fingerprint(submission: Submission) -> str:
    return items_fingerprint_of(submission.items)


def items_fingerprint_of(items: Iterable[ValidItem]) -> str:
    keys = sorted(f"{item.scope}:{item.url_key}" for item in items)
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()


def _unique_reference(now: datetime) -> str:
    while True:
        reference = new_reference(now)
        if not Notice.objects.filter(reference=reference).exists():
            return reference


def _initial_status(missing: list[str], needs_confirmation: bool) -> str:
    if needs_confirmation:
        return Notice.Status.AWAITING_CONFIRMATION
    return Notice.Status.AWAITING_INFORMATION if missing else Notice.Status.IN_REVIEW


def _earlier_same_notice(*, email_digest: str, fingerprint: str, received_at: datetime) -> Notice | None:
    """The same claimant naming the same URLs within a day, by any channel: worked once."""
    return (Notice.objects.filter(claimant_email_digest=email_digest, items_fingerprint=fingerprint,
                                  duplicate_of__isnull=True, received_at__gte=received_at - DUPLICATE_WINDOW)
            .order_by("received_at").first())


def receive_notice(*, channel: str, submission: Submission, needs_confirmation: bool = False,
                   sender=None, client_ip: str | None = None, received_at: datetime | None = None,
                   acknowledge: bool = True, reply_to_message_id: str = "",
                   found: list[Found] | None = None, run: NoticeRun | None = None) -> ReceivedNotice:
    """`found`: the items' matches when the caller matched a run of notices together (mail); `run`:
    what that run looked up once for all its notices (see notice_runs). With `run`, the caller's own
    transaction (one per notice) holds this one, so no savepoint is taken."""
    received_at = received_at or timezone.now()
    missing = submission.missing_elements()
    token, digest = new_status_token()
    email_digest = personal_data_hash(submission.claimant_email)
    # A suspended sender's notice is kept, never dropped, but not processed (DSA Art. 23).
    suspension = (run.suspension(email_digest, received_at) if run and sender is None else
                  active_suspension(email_digest=email_digest, sender=sender, now=received_at))
    fingerprint = items_fingerprint(submission)
    with transaction.atomic(savepoint=run is None):
        # A repeat is created closed, pointing at the first: its first status, not a move.
        same = run.earlier_same_notice if run else _earlier_same_notice
        earlier = (same(email_digest=email_digest, fingerprint=fingerprint, received_at=received_at)
                   if submission.items and not suspension else None)
        notice = Notice.objects.create(
            reference=(run.reference(received_at) if run else None) or _unique_reference(received_at),
            status_token_digest=digest, channel=channel,
            kind=submission.kind, sender_suspended=bool(suspension), duplicate_of=earlier,
            status=Notice.Status.CLOSED if suspension or earlier else _initial_status(missing, needs_confirmation),
            verification=Notice.Verification.API_SENDER if sender else Notice.Verification.UNVERIFIED,
            claimant_name=submission.claimant_name, claimant_organisation=submission.claimant_organisation,
            claimant_email=submission.claimant_email, claimant_address=submission.claimant_address,
            claimant_phone=submission.claimant_phone,
            claimant_email_digest=email_digest,
            acting_as=submission.acting_as, acting_for_name=submission.acting_for_name,
            acting_for=RightsHolder.objects.filter(name__iexact=submission.acting_for_name).first()
            if submission.acting_for_name else None,
            work_description=submission.work_description, explanation=submission.explanation,
            good_faith_statement=submission.good_faith, accuracy_statement=submission.accuracy,
            signature=submission.signature, missing_elements=missing,
            named_reference=submission.named_reference, element_sources=submission.element_sources,
            reference_urls=list(submission.reference_urls),
            received_at=received_at, clock_started_at=None if missing or suspension else received_at,
            due_at=None if missing or suspension else received_at + timedelta(hours=settings.SLA_HOURS),
            items_fingerprint=fingerprint, sender=sender, client_ip=client_ip,
        )
        rows = [
            {"position": position, "scope": item.scope, "url": item.url, "normalised_url": item.normalised_url,
             "url_key": item.url_key, "original_url": item.original_url, "note": item.note}
            for position, item in enumerate(submission.items)
        ]
        matched = store_matched_items(notice, rows, now=received_at, found=found,
                                      ids=run.ids_for_items(len(submission.items)) if run else None)
        if run:
            run.opening(notice)
        if notice.clock_started_at:
            schedule_deadlines(notice, clock_started_at=notice.clock_started_at, new_notice=True)
        if sender is not None:
            apply_trusted_flagger(notice, actor=_actor(channel, sender), now=received_at)
        # Names something of ours but lacks formalities: the promise is a staff response within 24 hours.
        response = (schedule_response_deadline(notice, at=received_at)
                    if missing and matched and not suspension and not earlier else None)
        if acknowledge:
            _queue_acknowledgment(notice, token, missing, with_confirmation=needs_confirmation and not suspension,
                                  in_reply_to=reply_to_message_id, suspension=suspension,
                                  response_due_at=response.due_at if response else None,
                                  items_left_out=submission.items_left_out,
                                  stored=_stored_items(rows, found) if found is not None else None)
        record(action="notice.received", target=notice, actor=_actor(channel, sender), at=received_at, data={
            "reference": notice.reference, "channel": channel, "kind": notice.kind, "status": notice.status,
            "items": len(submission.items), "matches": matched, "missing": missing,
            "claimant_email_sha256": notice.claimant_email_digest,
            "due_at": notice.due_at, "duplicate_of": earlier.reference if earlier else None,
            "sender_suspended": suspension.pk if suspension else None,
            "response_due_at": response.due_at if response else None,
            **({"items_left_out": submission.items_left_out} if submission.items_left_out else {}),
        })
    return ReceivedNotice(notice, token)


def _actor(channel: str, sender) -> Actor:
    return Actor.api_sender(sender) if sender else Actor.claimant(channel)


def _stored_items(rows: list[dict], found: list[Found]) -> list[NoticeItem]:
    """The items just stored from `rows` (in position order) with their match counts, as the
    acknowledgment's query would read them back."""
    counts = Counter(match.ref for match in found)
    items = []
    for index, row in enumerate(rows):
        item = NoticeItem(**row)
        item.match_count = counts[index]  # type: ignore[attr-defined]  # as annotate(match_count=…) sets it
        items.append(item)
    return items


def _queue_acknowledgment(notice: Notice, token: str, missing: list[str], *, with_confirmation: bool,
                          in_reply_to: str = "", suspension: SenderRestriction | None = None,
                          response_due_at: datetime | None = None, items_left_out: int = 0,
                          stored: list[NoticeItem] | None = None) -> None:
    """`stored`: the notice's items with their match counts, when the caller has them in hand."""
    if stored is not None:
        items, names_ours = stored[:200], any(item.state == NoticeItem.State.MATCHED for item in stored)
    else:
        # The first 200 items are chosen before their matches are counted, not after counting all of them.
        first = notice.items.order_by("position").values("pk")[:200]
        items = list(notice.items.filter(pk__in=first).annotate(match_count=Count("matches")).order_by("position"))
        names_ours = notice.items.filter(state=NoticeItem.State.MATCHED).exists()
    queue_mail(
        notice=notice, purpose=OutboundMessage.Purpose.ACKNOWLEDGMENT, to=notice.claimant_email,
        subject=f"[{notice.reference}] We received your removal request",
        template="compliance/mail/acknowledgment.txt", in_reply_to=in_reply_to,
        context={"notice": notice, "items": items, "missing": [MISSING_LABELS.get(m, m) for m in missing],
                 "status_url": status_url(token), "confirm_url": confirm_url(notice) if with_confirmation else "",
                 "suspension": suspension, "response_due_at": response_due_at, "site_url": settings.SITE_URL,
                 "names_ours": names_ours,
                 "items_left_out": items_left_out, "max_items": MAX_ITEMS},
    )
