"""Counter-notices (DMCA 512(g)) and complaints about a decision (DSA Art. 20), and what staff do next.

A counter-notice reopens the notice, is copied to the claimant, and starts a ``restore`` deadline
after a number of business days; at that deadline it comes back to staff (or, if the policy says
so, the content is restored by the timer) unless the claimant went to court meanwhile. Locks follow
the one order: notice, counter-notice, matches and items, deadlines, content, audit head last.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from articles.models import Article
from articles.actors import CLAIMANT_WEB, COUNTER_NOTICE_FORM, Actor
from compliance.business_days import add_business_days
from compliance.errors import IllegalTransition, NotFound
from compliance.models import CounterNotice, Decision, Notice, NoticeItem, NoticeItemMatch, OutboundMessage, SlaDeadline
from compliance.services.audit import personal_data_hash
from compliance.services.decisions import Reasons
from compliance.services.deadlines import schedule_complaint_deadline
from compliance.services.lifecycle import move_notice
from compliance.services.outbox import queue_mail
from compliance.services.sla_policy import complaint_window
from compliance.services.references import REFERENCE_ALPHABET, new_status_token
from compliance.services.withdrawal import restore_article, restore_asset

Kind, Status = CounterNotice.Kind, CounterNotice.Status
CONTESTABLE = Decision.TAKES_DOWN


@dataclass(frozen=True)
class CounterNoticeInput:
    kind: str
    name: str
    email: str
    explanation: str
    signature: str
    organisation: str = ""
    address: str = ""
    phone: str = ""
    mistake_statement: bool = False
    jurisdiction_consent: bool = False


@dataclass(frozen=True)
class ReceivedCounterNotice:
    counter_notice: CounterNotice
    status_path: str  # empty when it was already received: the link went out the first time
    created: bool


def new_counter_reference(now: datetime) -> str:
    return f"CN-{now.year}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


def contested_decision(article: Article) -> Decision | None:
    """The latest withdrawal of this article, or of one of its assets, still in force."""
    return (Decision.objects.filter(action__in=CONTESTABLE, match__state=NoticeItemMatch.State.ACTIONED)
            .filter(Q(match__article=article, match__asset__isnull=True) | Q(match__asset__article=article))
            .select_related("notice").order_by("-decided_at", "-pk").first())


MISSING_LABELS = {
    "name": "your name", "email": "your email address", "explanation": "what was removed and why it was a mistake",
    "signature": "your signature (your typed full name)", "address": "your postal address",
    "phone": "your telephone number",
    "mistake_statement": "a statement under penalty of perjury that you believe in good faith the material was "
                         "removed as a result of mistake or misidentification",
    "jurisdiction_consent": "your consent to the jurisdiction of the court for your address, and that you will "
                            "accept service of process from the claimant",
}


def missing_elements(data: CounterNoticeInput) -> list[str]:
    """What the law asks of each kind; a complaint (DSA Art. 20) needs less than a 512(g) counter-notice."""
    needed = {"name": data.name, "email": data.email, "explanation": data.explanation, "signature": data.signature}
    if data.kind == Kind.COUNTER_NOTICE:
        needed |= {"address": data.address, "phone": data.phone, "mistake_statement": data.mistake_statement,
                   "jurisdiction_consent": data.jurisdiction_consent}
    return [name for name, value in needed.items() if not (value.strip() if isinstance(value, str) else value)]


def receive_counter_notice(*, article_slug: str, data: CounterNoticeInput, now: datetime,
                           client_ip: str | None = None) -> ReceivedCounterNotice:
    article = Article.objects.filter(slug=article_slug).first()
    if article is None:
        raise NotFound("no such article")
    decision = contested_decision(article)
    if decision is None:
        raise IllegalTransition("nothing of this article is withdrawn on a notice; there is no decision to contest")
    missing = missing_elements(data)
    if missing:
        raise IllegalTransition(f"missing: {', '.join(missing)}")
    if data.kind == Kind.COMPLAINT and now > decision.decided_at + timedelta(days=settings.COMPLAINT_WINDOW_DAYS):
        raise IllegalTransition("a complaint must come within six months of the decision")
    return file_counter_notice(article=article, decision=decision, data=data, now=now, actor=COUNTER_NOTICE_FORM,
                               client_ip=client_ip)


def file_counter_notice(*, article: Article, decision: Decision, data: CounterNoticeInput, now: datetime, actor: Actor,
                        channel: str = CounterNotice.Channel.WEB, client_ip: str | None = None,
                        missing: list[str] | None = None) -> ReceivedCounterNotice:
    """The one way a counter-notice is filed, from the form or by mail: reopens the notice, starts the
    restore window, tells the claimant and the objector. `missing`: what a mailed one lacks of 512(g)(3)."""
    digest = personal_data_hash(data.email)
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=decision.notice_id)
        earlier = CounterNotice.objects.filter(notice=notice, article=article, email_digest=digest,
                                               status__in=CounterNotice.OPEN_STATUSES).first()
        if earlier:
            return ReceivedCounterNotice(earlier, "", created=False)
        token, token_digest = new_status_token()
        restore_due_at = add_business_days(now, settings.COUNTER_NOTICE_BUSINESS_DAYS)
        counter = CounterNotice.objects.create(
            reference=new_counter_reference(now), status_token_digest=token_digest, kind=data.kind, notice=notice,
            article=article, name=data.name, organisation=data.organisation, email=data.email,
            address=data.address, phone=data.phone, email_digest=digest, explanation=data.explanation,
            mistake_statement=data.mistake_statement, jurisdiction_consent=data.jurisdiction_consent,
            signature=data.signature, client_ip=client_ip, received_at=now, restore_due_at=restore_due_at,
            channel=channel, missing_elements=list(missing or []))
        SlaDeadline.objects.create(notice=notice, kind=SlaDeadline.Kind.RESTORE, due_at=restore_due_at,
                                   wake_at=restore_due_at, counter_notice=counter)
        to = notice.status_when_contested
        status_path = reverse("takedown-counter-status", args=[token])
        context = {"counter": counter, "notice": notice, "article": article, "decision": decision,
                   "status_url": settings.SITE_URL + status_path,
                   "missing": [MISSING_LABELS.get(name, name) for name in counter.missing_elements]}
        # 512(g)(2)(B): the claimant gets a copy and learns when the content may come back.
        queue_mail(notice=notice, purpose=OutboundMessage.Purpose.COUNTER_NOTICE, to=notice.claimant_email,
                   subject=f"[{notice.reference}] A {counter.get_kind_display().lower()} was filed",
                   template="compliance/mail/counter_notice_to_claimant.txt", context=context)
        queue_mail(notice=notice, purpose=OutboundMessage.Purpose.COUNTER_NOTICE, to=counter.email,
                   subject=f"[{counter.reference}] We received your {counter.get_kind_display().lower()}",
                   template="compliance/mail/counter_notice_received.txt", context=context)
        move_notice(notice, to, actor=actor, now=now, action="counter_notice.received", target=counter, data={
            "kind": counter.kind, "notice": notice.reference, "article": article.pk, "decision": decision.pk,
            "restore_due_at": restore_due_at, "email_sha256": digest, "channel": channel,
            "missing": counter.missing_elements})
    return ReceivedCounterNotice(counter, status_path, created=True)


def _locked(counter_notice_id: int, *doing: str) -> tuple[Notice, CounterNotice]:
    notice_id = CounterNotice.objects.filter(pk=counter_notice_id).values_list("notice_id", flat=True).first()
    if notice_id is None:
        raise NotFound(f"no counter-notice with id {counter_notice_id}")
    notice = Notice.objects.select_for_update().get(pk=notice_id)
    counter = CounterNotice.objects.select_for_update(of=("self",)).select_related("article").get(pk=counter_notice_id)
    if counter.status not in CounterNotice.OPEN_STATUSES:
        who = f" by {Actor.parse(counter.decided_by).name}" if counter.decided_by else ""
        raise IllegalTransition(f"{counter.reference} was already settled ({counter.get_status_display().lower()}"
                                f"{who}); cannot {' '.join(doing)}")
    return notice, counter


def _close(counter: CounterNotice, status: str, *, actor: Actor, now: datetime, outcome: str) -> int:
    counter.status, counter.decided_at, counter.decided_by = status, now, actor.id
    counter.save(update_fields=["status", "decided_at", "decided_by"])
    # A complaint that reopens items keeps its deadline until they are decided again (cancel_if_settled).
    pending = SlaDeadline.objects.filter(counter_notice=counter, state__in=SlaDeadline.OPEN_STATES)
    if status == Status.REOPENED:
        pending = pending.exclude(kind=SlaDeadline.Kind.COMPLAINT)
    return pending.update(state=SlaDeadline.State.CANCELLED, done_at=now, outcome=outcome[:200])


def _settled_status(notice: Notice) -> str:
    """Where the notice goes once a counter-notice is settled: decided again when nothing is left open."""
    open_counters = notice.counter_notices.filter(status__in=CounterNotice.OPEN_STATUSES).exists()
    undecided = notice.items.filter(state__in=NoticeItem.UNDECIDED).exists()
    if not open_counters and not undecided and notice.status == Notice.Status.IN_REVIEW:
        return Notice.Status.DECIDED
    return notice.status


def _tell_both(notice: Notice, counter: CounterNotice, what: str, reasons: Reasons | None) -> None:
    context = {"counter": counter, "notice": notice, "what": what, "reasons": reasons}
    recipients = {notice.claimant_email.lower(): notice.reference}
    recipients.setdefault(counter.email.lower(), counter.reference)  # a claimant's own complaint: one mail
    for to, reference in recipients.items():
        queue_mail(notice=notice, purpose=OutboundMessage.Purpose.DECISION, to=to,
                   subject=f"[{reference}] Decision on the {counter.get_kind_display().lower()}",
                   template="compliance/mail/counter_notice_decision.txt", context=context)


def record_claimant_sued(*, counter_notice_id: int, actor: Actor, now: datetime, note: str = "") -> CounterNotice:
    """The claimant told us they went to court: the content stays down and the timer stops (512(g)(2)(C))."""
    with transaction.atomic():
        notice, counter = _locked(counter_notice_id, "record a court action")
        cancelled = _close(counter, Status.CLAIMANT_SUED, actor=actor, now=now, outcome="claimant went to court")
        to = _settled_status(notice)
        _tell_both(notice, counter, "The claimant told us they filed a court action; the content stays withdrawn "
                                    "while it is pending.", None)
        move_notice(notice, to, actor=actor, now=now, action="counter_notice.claimant_sued", target=counter,
                    data={"notice": notice.reference, "note": note, "deadlines_cancelled": cancelled})
    return counter


def _contested_matches(notice: Notice, article: Article) -> list[NoticeItemMatch]:
    return list(NoticeItemMatch.objects.select_for_update(of=("self",)).select_related("item", "asset")
                .filter(item__notice=notice, state=NoticeItemMatch.State.ACTIONED)
                .filter(Q(article=article, asset__isnull=True) | Q(asset__article=article)).order_by("pk"))


def restore_contested(*, counter_notice_id: int, reasons: Reasons, actor: Actor, now: datetime,
                      automated: bool = False) -> list[Decision]:
    """Put back what the notice took down from this article, with a statement of reasons."""
    if not reasons.explanation.strip():
        raise IllegalTransition("a restore needs a statement of reasons")
    with transaction.atomic():
        notice, counter = _locked(counter_notice_id, "restore")
        if counter.article is None:
            raise IllegalTransition("a claimant's complaint is about a rejection: reopen the items instead")
        matches = _contested_matches(notice, counter.article)
        list(NoticeItem.objects.select_for_update().filter(pk__in={m.item_id for m in matches}).order_by("pk"))
        decisions = []
        for match in matches:
            if match.asset_id:
                restore_asset(asset_id=match.asset_id, actor=actor, reason=reasons.explanation)
            elif Article.objects.filter(pk=match.article_id, status=Article.Status.WITHDRAWN).exists():
                restore_article(article_id=match.article_id, actor=actor, reason=reasons.explanation)
            match.state, match.decided_at = NoticeItemMatch.State.RESTORED, now
            match.save(update_fields=["state", "decided_at"])
            decision = Decision.from_reasons(reasons, notice=notice, item=match.item, match=match,
                                             action=Decision.Action.RESTORE, automated=automated, actor=actor,
                                             at=now)
            decision.save()
            decisions.append(decision)
        for item in NoticeItem.objects.filter(pk__in={m.item_id for m in matches}).prefetch_related("matches"):
            if all(m.state != NoticeItemMatch.State.ACTIONED for m in item.matches.all()):
                item.state, item.decided_at = NoticeItem.State.RESTORED, now
                item.save(update_fields=["state", "decided_at"])
        cancelled = _close(counter, Status.RESTORED, actor=actor, now=now, outcome="restored")
        to = _settled_status(notice)
        _tell_both(notice, counter, "The content was restored.", reasons)
        move_notice(notice, to, actor=actor, now=now, action="counter_notice.restored", target=counter, data={
            "notice": notice.reference, "matches": [m.pk for m in matches], "automated": automated,
            "decisions": [d.pk for d in decisions], "deadlines_cancelled": cancelled})
    return decisions


def uphold_contested(*, counter_notice_id: int, reasons: Reasons, actor: Actor, now: datetime) -> Decision:
    """The withdrawal stands; the objector is told why and where else to turn."""
    if not reasons.explanation.strip():
        raise IllegalTransition("upholding a withdrawal needs a statement of reasons")
    with transaction.atomic():
        notice, counter = _locked(counter_notice_id, "uphold the withdrawal")
        decision = Decision.from_reasons(reasons, notice=notice, action=Decision.Action.UPHOLD, actor=actor,
                                         at=now)
        decision.save()
        cancelled = _close(counter, Status.UPHELD, actor=actor, now=now, outcome="withdrawal upheld")
        to = _settled_status(notice)
        _tell_both(notice, counter, "The rejection stands." if counter.kind == Kind.CLAIMANT_COMPLAINT
                   else "The withdrawal stands.", reasons)
        move_notice(notice, to, actor=actor, now=now, action="counter_notice.upheld", target=counter, data={
            "notice": notice.reference, "decision": decision.pk, "deadlines_cancelled": cancelled})
    return decision


# --- the claimant's side: a complaint about a rejection (DSA Art. 20) ----------------------------

def latest_rejection(notice: Notice) -> Decision | None:
    return notice.decisions.filter(action=Decision.Action.REJECT).order_by("-decided_at", "-pk").first()


def may_complain(notice: Notice, *, now: datetime) -> bool:
    rejection = latest_rejection(notice)
    open_complaint = notice.counter_notices.filter(kind=Kind.CLAIMANT_COMPLAINT,
                                                   status__in=CounterNotice.OPEN_STATUSES).exists()
    return bool(rejection) and not open_complaint and now <= rejection.decided_at + timedelta(
        days=settings.COMPLAINT_WINDOW_DAYS)


def receive_claimant_complaint(*, notice_id: int, explanation: str, now: datetime,
                               client_ip: str | None = None) -> CounterNotice:
    """The claimant asks us to look again at items we rejected; it goes back to the queue."""
    if not explanation.strip():
        raise IllegalTransition("say why the rejection was wrong")
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice_id)
        earlier = notice.counter_notices.filter(kind=Kind.CLAIMANT_COMPLAINT,
                                                status__in=CounterNotice.OPEN_STATUSES).first()
        if earlier:
            return earlier
        if not may_complain(notice, now=now):
            raise IllegalTransition("nothing of this request was rejected in the last six months")
        _, token_digest = new_status_token()  # the claimant follows it on the notice's own status page
        counter = CounterNotice.objects.create(
            reference=new_counter_reference(now), status_token_digest=token_digest, kind=Kind.CLAIMANT_COMPLAINT,
            notice=notice, article=None, name=notice.claimant_name, organisation=notice.claimant_organisation,
            email=notice.claimant_email, email_digest=notice.claimant_email_digest, explanation=explanation,
            signature=notice.claimant_name, client_ip=client_ip, received_at=now)
        to = notice.status_when_contested
        schedule_complaint_deadline(notice, counter, window=complaint_window(notice), now=now)
        queue_mail(notice=notice, purpose=OutboundMessage.Purpose.COUNTER_NOTICE, to=notice.claimant_email,
                   subject=f"[{notice.reference}] We received your complaint {counter.reference}",
                   template="compliance/mail/claimant_complaint_received.txt",
                   context={"notice": notice, "counter": counter})
        move_notice(notice, to, actor=CLAIMANT_WEB, now=now, action="counter_notice.received", target=counter,
                    data={"kind": counter.kind, "notice": notice.reference})
    return counter


def reopen_rejected(*, counter_notice_id: int, actor: Actor, now: datetime) -> int:
    """The complaint is upheld: the rejected items go back to the queue, to be decided again."""
    with transaction.atomic():
        notice, counter = _locked(counter_notice_id, "reopen the rejected items")
        if counter.kind != Kind.CLAIMANT_COMPLAINT:
            raise IllegalTransition("only a claimant's complaint reopens rejected items")
        items = list(NoticeItem.objects.select_for_update().filter(notice=notice, state=NoticeItem.State.REJECTED)
                     .prefetch_related("matches").order_by("pk"))
        for item in items:
            matches = [m for m in item.matches.all() if m.state == NoticeItemMatch.State.REJECTED]
            for match in matches:
                match.state, match.decided_at = NoticeItemMatch.State.MATCHED, None
            NoticeItemMatch.objects.bulk_update(matches, ["state", "decided_at"])
            item.state = NoticeItem.State.MATCHED if item.matches.all() else NoticeItem.State.UNMATCHED
            item.decided_at = None
        NoticeItem.objects.bulk_update(items, ["state", "decided_at"])
        _close(counter, Status.REOPENED, actor=actor, now=now, outcome="rejection reversed")
        _tell_both(notice, counter, "Your complaint was upheld: the items we had rejected are being decided again.",
                   None)
        move_notice(notice, Notice.Status.IN_REVIEW, actor=actor, now=now, action="counter_notice.reopened",
                    target=counter,
                    data={"notice": notice.reference, "items": [item.pk for item in items]})
    return len(items)
