"""Email intake: every channel (files, IMAP, provider webhooks) stores raw bytes first, then processes."""

from __future__ import annotations

import hashlib
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterator

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.actors import CLAIMANT_EMAIL
from compliance.errors import NoticeInvalid
from compliance.parsing.mail_parse import ParsedMail, parse_mail
from compliance.parsing.message_kind import MessageKind, classify_message
from compliance.parsing.notice_text import NoticeReading, acting_for, guess_kind, read_notice
from compliance.parsing.notice_urls import NoticeUrl
from compliance.parsing.submission import MAX_ITEMS, ItemInput, Submission, ValidItem, validate_items
from compliance.models import InboundAttachment, InboundMessage, Notice
from compliance.ratelimit import CACHE_UNREACHABLE, over_any_limit
from compliance.services.audit import head_carried_forward, personal_data_hash
from compliance.services.counter_notices_by_mail import file_mailed_counter_notice
from compliance.services.intake import items_fingerprint_of, receive_notice
from compliance.services.matching import Found, find_for_many
from compliance.services.mail_links import notice_named_in_text, notice_of_claimant, notice_replied_to
from compliance.services.notice_runs import NoticeRun, RunNotice
from compliance.services.retractions import record_retraction
from compliance.services.queue_failures import set_aside_inbound
from compliance.services.supplements import supplement_notice

log = logging.getLogger(__name__)
Role = InboundMessage.Role
MAX_ADDRESS_LENGTH = 320  # 64 + 1 + 255 (RFC 3696); the notice's column holds this much
MAX_HEADER_LENGTH = 998  # RFC 5322's longest line: InboundMessage's message_id and subject columns
MAX_ATTACHMENT_FIELD = 255  # InboundAttachment.content_type (the parser says when it cuts a filename)


@dataclass(frozen=True)
class Stored:
    message: InboundMessage
    created: bool


def _parse(raw: bytes) -> ParsedMail | None:
    try:
        return parse_mail(raw, max_attachment_bytes=settings.MAIL_MAX_ATTACHMENT_BYTES)
    except Exception:  # the parser is built never to raise; if it does, the bytes are kept regardless
        log.exception("mail parser failed; storing the raw message unparsed")
        return None


def dedupe_key(raw: bytes, parsed: ParsedMail | None) -> str:
    """Same Message-ID and same body: one message. A forged Message-ID with another body is another."""
    if parsed and parsed.message_id:
        return hashlib.sha256(f"{parsed.message_id}\n{parsed.body_sha256}".encode()).hexdigest()
    return hashlib.sha256(raw).hexdigest()


def cuts_recorded(parsed: ParsedMail | None, envelope_from: str) -> list[str]:
    """Header values longer than their columns are cut to fit, and each cut is said in the message's
    defects (shown on the review page); the raw bytes stored beside them hold every value whole."""
    addresses = (("From", parsed.from_address if parsed else ""), ("envelope", envelope_from))
    cuts = [f"the {name} address is {len(value)} characters; the raw message holds it whole"
            for name, value in addresses if len(value) > MAX_ADDRESS_LENGTH]
    if parsed is None:
        return cuts
    headers = [("Message-ID", parsed.message_id, MAX_HEADER_LENGTH), ("Subject", parsed.subject, MAX_HEADER_LENGTH)]
    headers += [(f"content type of attachment {a.filename!r}", a.content_type, MAX_ATTACHMENT_FIELD)
                for a in parsed.attachments]
    return cuts + [f"the {name} is {len(value)} characters; the first {limit} are kept (the raw message holds "
                   "it whole)" for name, value, limit in headers if len(value) > limit]


def store_inbound(raw: bytes, *, via: str, envelope_from: str = "", received_at: datetime | None = None) -> Stored:
    parsed = _parse(raw)
    fields = {"raw": raw, "raw_sha256": hashlib.sha256(raw).hexdigest(), "size": len(raw), "via": via,
              "envelope_from": envelope_from[:MAX_ADDRESS_LENGTH], "received_at": received_at or timezone.now()}
    if parsed:
        fields.update(
            message_id=parsed.message_id[:MAX_HEADER_LENGTH], body_sha256=parsed.body_sha256,
            header_from=parsed.from_address[:MAX_ADDRESS_LENGTH], subject=parsed.subject[:MAX_HEADER_LENGTH],
            in_reply_to=list(parsed.in_reply_to), kind=parsed.kind,
            defects=list(parsed.defects) + cuts_recorded(parsed, envelope_from))
    else:
        fields["defects"] = ["the message could not be parsed; only its bytes are kept"] + cuts_recorded(
            None, envelope_from)
    key = dedupe_key(raw, parsed)
    with transaction.atomic():
        try:
            with transaction.atomic():  # insert first: a second delivery is the rare case
                message, created = InboundMessage.objects.create(dedupe_key=key, **fields), True
        except IntegrityError:
            message, created = InboundMessage.objects.get(dedupe_key=key), False
        if created and parsed:
            InboundAttachment.objects.bulk_create([
                InboundAttachment(message=message, filename=a.filename,
                                  content_type=a.content_type[:MAX_ATTACHMENT_FIELD],
                                  size=a.size, sha256=a.sha256, content=a.content)
                for a in parsed.attachments])
    return Stored(message, created)


def _reading(parsed: ParsedMail) -> NoticeReading:
    return read_notice(parsed.text, hrefs=parsed.html_hrefs, our_hosts=tuple(settings.PUBLIC_HOSTS),
                       sender_domain=parsed.from_address.rpartition("@")[2],
                       archive_prefixes=tuple(settings.NOTICE_ARCHIVE_PREFIXES))


def _reported(reading: NoticeReading) -> list[NoticeUrl]:
    return [u for u in reading.urls if u.role != "reference"]


@dataclass
class Read:
    """A stored message read once: its parse, what its text says, the items it names and, when it was
    matched with the rest of its run, their matches (None: it matches alone, in its own transaction)
    and what the run looked up for all its notices (None: the notice looks it up itself)."""

    parsed: ParsedMail | None
    reading: NoticeReading | None = None
    items: list[ValidItem] = field(default_factory=list)
    found: list[Found] | None = None
    run: NoticeRun | None = None


def _read(raw: bytes) -> Read:
    parsed = _parse(raw)
    if parsed is None or parsed.kind != InboundMessage.Kind.MESSAGE:
        return Read(parsed)
    reading = _reading(parsed)
    return Read(parsed, reading, _items(reading))


def _items(reading: NoticeReading) -> list[ValidItem]:
    """Only what the notice reports (ours, or an original it says was copied) and the original work;
    links to help pages, policies, form text and footers stay references. A mail may name more than a
    notice holds: the first MAX_ITEMS are kept (and the acknowledgment says so), rather than none."""
    valid, _invalid = validate_items([ItemInput(url=u.url, note="the original work, as the notice names it"
                                                if u.role == "original" else "")
                                      for u in _reported(reading)[:MAX_ITEMS]])
    return valid


def _submission(parsed: ParsedMail, reading: NoticeReading, items: list[ValidItem]) -> Submission:
    if len(parsed.from_address) > MAX_ADDRESS_LENGTH:  # refused whole, never cut to fit
        raise NoticeInvalid(f"the sender's address is {len(parsed.from_address)} characters long; "
                            f"an email address has at most {MAX_ADDRESS_LENGTH}")
    acting_as, principal = acting_for(parsed.text, parsed.from_name)
    return Submission(
        claimant_name=parsed.from_name or parsed.from_address.split("@")[0],
        claimant_email=parsed.from_address, items=tuple(items), kind=guess_kind(parsed.subject, parsed.text),
        acting_as=acting_as, acting_for_name=principal, work_description=reading.work or parsed.subject,
        claimant_address=reading.address, claimant_phone=reading.phone,
        explanation=parsed.text, good_faith=reading.good_faith, accuracy=reading.accuracy,
        signature=reading.signature, named_reference=parsed.references_tag,
        element_sources=reading.sources_json(), reference_urls=tuple(u.as_json() for u in reading.references),
        items_left_out=max(len(_reported(reading)) - MAX_ITEMS, 0),
    )


def _may_acknowledge(address: str) -> bool:
    """No backscatter: a bounded number of acknowledgments per address and per domain."""
    if not address or "@" not in address:
        return False
    return not over_any_limit([("mail-ack-address", address, settings.MAIL_ACK_PER_ADDRESS),
                               ("mail-ack-domain", address.rsplit("@", 1)[1], settings.MAIL_ACK_PER_DOMAIN)],
                              window_seconds=settings.MAIL_ACK_WINDOW_SECONDS)


def process_inbound(*, message_pk: int, now: datetime, read: Read | None = None) -> InboundMessage:
    """Open a notice, join one, or store only. Runs once per message, whoever calls it; `read` is the
    message as `read_run` read it (its raw bytes never change once stored)."""
    with transaction.atomic():
        message = InboundMessage.objects.select_for_update().get(pk=message_pk)
        if message.role != Role.PENDING:
            return message
        read = read or _read(bytes(message.raw))
        if read.parsed is None or read.reading is None:
            message.role = Role.IGNORED  # auto-replies, bounces, spam: kept, never acknowledged
        else:
            _route(message, read, now)
        message.processed_at = now
        message.save(update_fields=["role", "notice", "processed_at", "message_kind", "counter_notice"])
    return message


def _route(message: InboundMessage, read: Read, now: datetime) -> None:
    """By what the message is: a counter-notice or a retraction never opens a takedown."""
    parsed, reading, items = read.parsed, read.reading, read.items
    assert parsed is not None and reading is not None
    target = notice_replied_to(parsed)
    kind = classify_message(parsed.subject, parsed.text, threads_to_notice=target is not None)
    message.message_kind = kind
    if kind == MessageKind.COUNTER_NOTICE:
        _counter_notice(message, parsed, reading, items, target)
    elif kind == MessageKind.RETRACTION:
        _retraction(message, parsed, items, target, now)
    elif kind == MessageKind.OTHER:
        message.role, message.notice = Role.FOR_STAFF, target
    elif target:
        supplement_notice(notice_id=target.pk, items=items, good_faith=reading.good_faith,
                          accuracy=reading.accuracy, signature=reading.signature, actor=CLAIMANT_EMAIL, now=now)
        message.role, message.notice = Role.THREADED, target
    else:
        _takedown(message, parsed, reading, items, read.found, read.run)


def _takedown(message: InboundMessage, parsed: ParsedMail, reading: NoticeReading, items: list[ValidItem],
              found: list[Found] | None, run: NoticeRun | None) -> None:
    received = receive_notice(
        channel=Notice.Channel.EMAIL, submission=_submission(parsed, reading, items),
        received_at=message.received_at, acknowledge=_may_acknowledge(parsed.from_address),
        reply_to_message_id=f"<{parsed.message_id}>" if parsed.message_id else "", found=found, run=run)
    message.notice = received.notice
    message.role = Role.DUPLICATE if received.notice.duplicate_of_id else Role.OPENED


def _counter_notice(message: InboundMessage, parsed: ParsedMail, reading: NoticeReading, items: list[ValidItem],
                    target: Notice | None) -> None:
    mailed = file_mailed_counter_notice(parsed=parsed, signature=reading.signature, items=items, thread=target,
                                        received_at=message.received_at)
    message.notice = mailed.notice
    if mailed.filed:
        message.role, message.counter_notice = Role.COUNTER, mailed.filed[0]
    else:  # nothing withdrawn it could contest: kept for staff, never a takedown of the objector's content
        message.role = Role.FOR_STAFF


def _retraction(message: InboundMessage, parsed: ParsedMail, items: list[ValidItem], target: Notice | None,
                now: datetime) -> None:
    notice = target or notice_named_in_text(parsed) or notice_of_claimant(parsed, items)
    if notice is None:
        message.role = Role.FOR_STAFF
        return
    record_retraction(message=message, notice=notice, sender=parsed.from_address, now=now)


def read_run(pks: list[int]) -> dict[int, Read]:
    """A run of stored messages read before each is processed in its own transaction: one query for
    their bytes, each parsed and read once, and the items of all of them matched in one round of
    lookups rather than a round per message; then what opening their notices looks up (NoticeRun), once
    for the run. A message that cannot be read here is left out, to be read (and to fail, if it must)
    on its own."""
    reads: dict[int, Read] = {}
    received: dict[int, datetime] = {}
    for pk, raw, received_at in (InboundMessage.objects.filter(pk__in=pks, role=Role.PENDING)
                                 .values_list("pk", "raw", "received_at")):
        try:
            reads[pk], received[pk] = _read(bytes(raw)), received_at
        except Exception:
            log.exception("reading stored message %s with its run failed; it is read alone", pk)
    named = [pk for pk, read in reads.items() if read.items]
    found = find_for_many([reads[pk].items for pk in named])
    for pk, matches in zip(named, found or []):
        reads[pk].found = matches
    run = _look_up_run({pk: read for pk, read in reads.items() if read.parsed and read.reading}, received)
    for read in reads.values():
        read.run = run
    return reads


def _look_up_run(reads: dict[int, Read], received: dict[int, datetime]) -> NoticeRun | None:
    """None when the lookups fail: each notice then looks up for itself (and fails alone)."""
    try:
        notices = [RunNotice(email_digest=personal_data_hash(read.parsed.from_address),
                             fingerprint=items_fingerprint_of(read.items), received_at=received[pk],
                             items=len(read.items))
                   for pk, read in reads.items() if read.parsed]
        with transaction.atomic():  # a savepoint when the caller holds a transaction
            return NoticeRun.look_up(notices)
    except Exception:
        log.exception("looking up a run of notices together failed; each looks up alone")
        return None


def process_run(pks: list[int], *, now: datetime) -> int:
    """Messages in the order given, read as one run, each processed in its own transaction. One that
    fails is set aside with its error (and the leads alerted), never left at the head of the queue
    where every later mail would wait behind it."""
    reads = read_run(pks)
    with head_carried_forward():
        for pk in pks:
            read = reads.get(pk)
            try:
                process_inbound(message_pk=pk, now=now, read=read)
            except Exception as exc:  # a poison message: whatever it is, it must not stop the queue
                if read and read.run:
                    read.run.drop()
                set_aside_inbound(message_pk=pk, exc=exc, now=now)
            else:
                if read and read.run:
                    read.run.keep()
    return len(pks)


RUN_SIZE = 25  # messages read and matched together: their parses are held in memory meanwhile
# A drain stops taking new runs after this long, well inside the beat's 15 s, so the next beat's drain
# finds the lock free; a backlog is worked through by successive drains, not 100 mails per beat.
DRAIN_SECONDS = 10.0
DRAIN_LOCK = "compliance:mail-drain"
# The lock outlives a drain by this much: enough for the run in hand when the time is up; a drain
# whose worker died stops the next ones for no longer than this. A drain slower still would only
# let a second one start beside it, which each message's own lock keeps from doing anything twice.
DRAIN_LOCK_SPARE_SECONDS = 60


def process_pending(*, now: datetime | None = None, seconds: float = DRAIN_SECONDS, limit: int | None = None) -> int:
    """Oldest first, in runs of RUN_SIZE (see process_run), until none is pending, `limit` are done, or
    `seconds` have passed (at least one run is always taken). One drain at a time: a run's duplicate
    check sees the notices opened before it, which a second drain working beside it would not have
    committed yet; a drain that finds another under way returns 0 at once. `now`: the time each
    message is processed at (the clock's, run by run, when not given)."""
    with _the_only_drain(seconds) as alone:
        if not alone:
            return 0
        done, started, previous = 0, time.monotonic(), None
        while limit is None or done < limit:
            size = RUN_SIZE if limit is None else min(RUN_SIZE, limit - done)
            run = list(InboundMessage.objects.filter(role=Role.PENDING).order_by("received_at", "pk")
                       .values_list("pk", flat=True)[:size])
            if not run or run == previous:  # none left, or none of the last run could leave pending
                break
            done += process_run(run, now=now or timezone.now())
            previous = run
            if time.monotonic() - started >= seconds:
                break
        return done


@contextmanager
def _the_only_drain(seconds: float) -> Iterator[bool]:
    """True while this drain holds the lock. The lock expires if its worker dies mid-drain. With the cache
    unreachable the drain goes on unlocked (each message is still locked and checked pending before it
    is processed, so nothing is done twice): mail must not wait on the cache."""
    try:
        alone = locked = cache.add(DRAIN_LOCK, 1, timeout=int(seconds) + DRAIN_LOCK_SPARE_SECONDS)
    except CACHE_UNREACHABLE as exc:
        log.warning("processing inbound mail without the drain lock: the cache is unreachable (%s)", exc)
        alone, locked = True, False
    try:
        yield alone
    finally:
        if locked:
            try:
                cache.delete(DRAIN_LOCK)
            except CACHE_UNREACHABLE:  # it expires by itself
                pass
