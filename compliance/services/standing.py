"""Who is trusted and who is not: trusted flaggers (DSA Art. 22), senders of manifestly unfounded
notices warned then suspended (DSA Art. 23), sources with repeated upheld notices flagged as repeat
infringers (DMCA 512(i)). Each change is one transaction and one audit entry."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from articles.models import Article
from articles.actors import Actor
from compliance.errors import IllegalTransition, NotFound
from compliance.models import (Decision, Notice, OutboundMessage, SenderRestriction, SourceStanding,
                               TrustedFlagger)
from compliance.services.audit import record
from compliance.services.outbox import queue_mail

Kind = SenderRestriction.Kind


# --- trusted flaggers -------------------------------------------------------------------------

def _domain_matches(domain: str, flagger_domain: str) -> bool:
    domain, flagger_domain = domain.lower().rstrip("."), flagger_domain.lower().rstrip(".")
    return bool(flagger_domain) and (domain == flagger_domain or domain.endswith("." + flagger_domain))


def trusted_flagger_for(*, sender=None, proven_domain: str = "") -> TrustedFlagger | None:
    """Only an identity that was proven counts: an API account, a confirmed mailbox, an aligned DKIM domain."""
    candidates = TrustedFlagger.objects.filter(active=True)
    if sender is not None:
        flagger = candidates.filter(sender=sender).first()
        if flagger:
            return flagger
    if proven_domain:
        return next((f for f in candidates.exclude(email_domain="") if _domain_matches(proven_domain, f.email_domain)),
                    None)
    return None


def apply_trusted_flagger(notice: Notice, *, proven_domain: str = "", actor: Actor, now: datetime) -> bool:
    """Call inside the transaction that proved the sender's identity, with the notice locked."""
    flagger = trusted_flagger_for(sender=notice.sender, proven_domain=proven_domain)
    if flagger is None or notice.trusted:
        return False
    previous = notice.verification
    notice.trusted, notice.verification = True, Notice.Verification.TRUSTED_FLAGGER
    notice.save(update_fields=["trusted", "verification"])
    record(action="notice.trusted_flagger", target=notice, actor=actor, at=now,
           data={"flagger": flagger.pk, "from": previous, "to": notice.verification})
    return True


def save_trusted_flagger(flagger: TrustedFlagger, *, actor: Actor, now: datetime) -> TrustedFlagger:
    if not flagger.email_domain.strip() and flagger.sender_id is None:
        raise IllegalTransition("a trusted flagger needs a mail domain or an API account to be recognised by")
    with transaction.atomic():
        created = flagger.pk is None
        flagger.email_domain = flagger.email_domain.strip().lower()
        flagger.marked_by = flagger.marked_by or actor.id
        flagger.save()
        record(action="trusted_flagger.marked" if created else "trusted_flagger.changed", target=flagger, actor=actor,
               at=now, data={"domain": flagger.email_domain, "sender": flagger.sender_id, "active": flagger.active,
                             "designated_by": flagger.designated_by})
    return flagger


# --- senders of manifestly unfounded notices ---------------------------------------------------

def unfounded_notices(email_digest: str, *, now: datetime) -> int:
    since = now - timedelta(days=settings.SENDER_UNFOUNDED_WINDOW_DAYS)
    return (Decision.objects.filter(manifestly_unfounded=True, notice__claimant_email_digest=email_digest,
                                    decided_at__gte=since).values("notice").distinct().count())


def active_suspension(*, email_digest: str, sender=None, now: datetime) -> SenderRestriction | None:
    who = Q(email_digest=email_digest) | (Q(sender=sender) if sender is not None else Q(pk__in=[]))
    return (SenderRestriction.objects.filter(who, kind=Kind.SUSPENSION, lifted_at__isnull=True, starts_at__lte=now)
            .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now)).order_by("-ends_at").first())


def restrictions_of(notice: Notice) -> list[SenderRestriction]:
    return list(SenderRestriction.objects.filter(email_digest=notice.claimant_email_digest).order_by("-starts_at"))


def _restrict(notice_id: int, kind: str, *, reason: str, actor: Actor, now: datetime,
              days: int | None = None) -> SenderRestriction:
    if not reason.strip():
        raise IllegalTransition("say why: the sender is told the reason")
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice_id)
        count = unfounded_notices(notice.claimant_email_digest, now=now)
        if count == 0:
            raise IllegalTransition("none of this sender's notices was rejected as manifestly unfounded")
        earlier = SenderRestriction.objects.filter(email_digest=notice.claimant_email_digest, lifted_at__isnull=True)
        if kind == Kind.SUSPENSION:
            if not earlier.filter(kind=Kind.WARNING).exists():
                raise IllegalTransition("warn the sender first (DSA Art. 23 asks for a prior warning)")
            if count < settings.SENDER_SUSPEND_AFTER_UNFOUNDED:
                raise IllegalTransition(f"{count} manifestly unfounded notice(s); suspension needs "
                                        f"{settings.SENDER_SUSPEND_AFTER_UNFOUNDED} (they must be frequent)")
            if active_suspension(email_digest=notice.claimant_email_digest, sender=notice.sender, now=now):
                raise IllegalTransition("this sender is already suspended")
        restriction = SenderRestriction.objects.create(
            kind=kind, email_digest=notice.claimant_email_digest, sender=notice.sender, notice=notice, reason=reason,
            unfounded_notices=count, starts_at=now, ends_at=now + timedelta(days=days) if days else None,
            decided_by=actor.id)
        queue_mail(notice=notice, purpose=OutboundMessage.Purpose.RESTRICTION, to=notice.claimant_email,
                   subject=f"[{notice.reference}] {'Warning' if kind == Kind.WARNING else 'Suspension'} about your "
                           "removal requests",
                   template="compliance/mail/sender_restriction.txt",
                   context={"notice": notice, "restriction": restriction})
        record(action=f"sender.{kind}", target=restriction, actor=actor, at=now, data={
            "notice": notice.reference, "email_sha256": notice.claimant_email_digest, "unfounded": count,
            "ends_at": restriction.ends_at})
    return restriction


def warn_sender(*, notice_id: int, reason: str, actor: Actor, now: datetime) -> SenderRestriction:
    return _restrict(notice_id, Kind.WARNING, reason=reason, actor=actor, now=now)


def suspend_sender(*, notice_id: int, days: int, reason: str, actor: Actor, now: datetime) -> SenderRestriction:
    if not 1 <= days <= settings.SENDER_MAX_SUSPENSION_DAYS:
        raise IllegalTransition(f"a suspension lasts 1 to {settings.SENDER_MAX_SUSPENSION_DAYS} days")
    return _restrict(notice_id, Kind.SUSPENSION, reason=reason, actor=actor, now=now, days=days)


def lift_restriction(*, restriction_id: int, actor: Actor, now: datetime) -> SenderRestriction:
    with transaction.atomic():
        restriction = SenderRestriction.objects.select_for_update().filter(pk=restriction_id).first()
        if restriction is None:
            raise NotFound(f"no restriction with id {restriction_id}")
        if restriction.lifted_at:
            raise IllegalTransition("already lifted")
        restriction.lifted_at = now
        restriction.save(update_fields=["lifted_at"])
        record(action=f"sender.{restriction.kind}_lifted", target=restriction, actor=actor, at=now)
    return restriction


# --- repeat infringers -----------------------------------------------------------------------

def note_upheld_withdrawals(article_ids: list[int], *, actor: Actor, now: datetime) -> list[SourceStanding]:
    """After staff withdrew content: recount each affected source's upheld notices, flag at the threshold."""
    source_ids = set(Article.objects.filter(pk__in=article_ids, source__isnull=False).values_list("source_id", flat=True))
    flagged = []
    for source_id in sorted(source_ids):
        standing, _ = SourceStanding.objects.select_for_update().get_or_create(source_id=source_id)
        since = now - timedelta(days=settings.REPEAT_INFRINGER_WINDOW_DAYS)
        if standing.cleared_at and standing.cleared_at > since:
            since = standing.cleared_at  # a lead's clearing starts the count afresh
        upheld = (Decision.objects.filter(action__in=Decision.TAKES_DOWN, automated=False, decided_at__gte=since)
                  .filter(Q(match__article__source_id=source_id) | Q(match__asset__article__source_id=source_id))
                  .values("notice").distinct().count())
        newly = upheld >= settings.REPEAT_INFRINGER_THRESHOLD and not standing.repeat_infringer
        standing.upheld_notices = upheld
        if newly:
            standing.repeat_infringer, standing.flagged_at = True, now
            flagged.append(standing)
        standing.save()
        if newly:
            record(action="source.repeat_infringer", target=standing, actor=actor, at=now,
                   data={"source": source_id, "upheld_notices": upheld})
    return flagged


def clear_repeat_infringer(*, source_id: int, actor: Actor, now: datetime) -> SourceStanding:
    with transaction.atomic():
        standing = SourceStanding.objects.select_for_update().filter(source_id=source_id).first()
        if standing is None or not standing.repeat_infringer:
            raise IllegalTransition("this source is not flagged as a repeat infringer")
        standing.repeat_infringer, standing.cleared_at, standing.cleared_by = False, now, actor.id
        standing.save(update_fields=["repeat_infringer", "cleared_at", "cleared_by"])
        record(action="source.repeat_infringer_cleared", target=standing, actor=actor, at=now,
               data={"source": source_id, "upheld_notices": standing.upheld_notices})
    return standing


def is_repeat_infringer(source_id: int | None) -> bool:
    return bool(source_id) and SourceStanding.objects.filter(source_id=source_id, repeat_infringer=True).exists()
