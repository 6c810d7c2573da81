"""DKIM verification of stored mail, run by a task with a short DNS timeout (offline it records temperror)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Callable

import dkim
from django.conf import settings
from django.db import transaction

from articles.models import RightsHolder
from articles.actors import MAIL_CHECK
from compliance.models import InboundMessage, Notice
from compliance.services.audit import record
from compliance.services.standing import apply_trusted_flagger

log = logging.getLogger(__name__)
Dkim = InboundMessage.Dkim
MAX_DOMAIN_LENGTH = 253  # InboundMessage.dkim_domain: the longest name DNS allows
DnsFunc = Callable[..., bytes | None]


def _has_signature(raw: bytes) -> bool:
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    return b"dkim-signature:" in head.lower()


def dkim_result(raw: bytes, *, dnsfunc: DnsFunc | None = None) -> tuple[str, str]:
    """(result, signing domain) for the first DKIM signature."""
    if not _has_signature(raw):
        return Dkim.NONE, ""
    lookup_failed = False
    resolve = dnsfunc or dkim.dnsplug.get_txt

    # dkimpy turns a failed key lookup into a plain False; we need to tell it from a bad signature.
    def tracked(name: bytes, timeout: int = 5) -> bytes | None:
        nonlocal lookup_failed
        try:
            answer = resolve(name, timeout=timeout)
        except Exception:
            lookup_failed = True
            raise
        lookup_failed = lookup_failed or answer is None
        return answer

    verifier = dkim.DKIM(raw, timeout=settings.DKIM_DNS_TIMEOUT_SECONDS)
    try:
        ok = verifier.verify(dnsfunc=tracked)
    except dkim.ValidationError as exc:
        result = Dkim.FAIL if "body hash mismatch" in str(exc) else Dkim.PERMERROR
    except Exception:  # malformed signatures and hostile input: never a crash, never a pass
        result = Dkim.PERMERROR
    else:
        result = Dkim.PASS if ok else Dkim.TEMPERROR if lookup_failed else Dkim.FAIL
    domain = verifier.domain.decode("ascii", "replace") if isinstance(verifier.domain, bytes) else ""
    return result, domain.lower()


def aligned(signing_domain: str, from_address: str) -> bool:
    """Relaxed alignment (DMARC): the From domain is the signing domain or below it."""
    from_domain = from_address.rsplit("@", 1)[-1].lower() if "@" in from_address else ""
    return bool(signing_domain) and (from_domain == signing_domain or from_domain.endswith("." + signing_domain))


def _holder_verifies(domain: str, notice: Notice) -> bool:
    holders = [notice.acting_for] if notice.acting_for else RightsHolder.objects.exclude(verified_domains=[])
    return any(aligned(verified.lower(), f"x@{domain}") for holder in holders for verified in holder.verified_domains)


def check_dkim(*, message_pk: int, now: datetime, dnsfunc: DnsFunc | None = None) -> InboundMessage:
    message = InboundMessage.objects.only("notice_id", "dkim").get(pk=message_pk)
    if message.dkim != Dkim.PENDING:
        return message
    # DNS happens outside any transaction: no lock is held while a resolver waits.
    result, domain = dkim_result(bytes(InboundMessage.objects.values_list("raw", flat=True).get(pk=message_pk)),
                                 dnsfunc=dnsfunc)
    with transaction.atomic():
        notice = Notice.objects.select_for_update().filter(pk=message.notice_id).first()
        message = InboundMessage.objects.select_for_update().get(pk=message_pk)
        if message.dkim != Dkim.PENDING:
            return message
        message.dkim, message.dkim_domain = result, domain[:MAX_DOMAIN_LENGTH]
        if len(domain) > MAX_DOMAIN_LENGTH:  # no real domain is longer; the raw message keeps the signature whole
            message.defects = [*message.defects, f"the DKIM signing domain is {len(domain)} characters; the first "
                                                 f"{MAX_DOMAIN_LENGTH} are kept"]
        message.save(update_fields=["dkim", "dkim_domain", "defects"])
        if notice and result == Dkim.PASS and aligned(domain, message.header_from):
            _raise_verification(notice, domain, now)
            apply_trusted_flagger(notice, proven_domain=domain, actor=MAIL_CHECK, now=now)
    return message


def _raise_verification(notice: Notice, domain: str, now: datetime) -> None:
    if notice.verification not in (Notice.Verification.UNVERIFIED, Notice.Verification.EMAIL_CONFIRMED):
        return
    level = (Notice.Verification.HOLDER_DOMAIN if _holder_verifies(domain, notice)
             else Notice.Verification.DKIM_ALIGNED)
    previous, notice.verification = notice.verification, level
    notice.save(update_fields=["verification"])
    record(action="notice.verified", target=notice, actor=MAIL_CHECK, at=now,
           data={"from": previous, "to": level, "dkim_domain": domain})


def check_pending(*, now: datetime, limit: int = 50) -> int:
    pending = list(InboundMessage.objects.filter(dkim=Dkim.PENDING, kind=InboundMessage.Kind.MESSAGE)
                   .order_by("received_at").values_list("pk", flat=True)[:limit])
    for pk in pending:
        try:
            check_dkim(message_pk=pk, now=now)
        except Exception:  # a poison message: recorded as a permanent error, the queue goes on
            log.exception("DKIM check of inbound message %s failed; recorded as a permanent error", pk)
            InboundMessage.objects.filter(pk=pk, dkim=Dkim.PENDING).update(dkim=Dkim.PERMERROR)
    return len(pending)
