"""Acting on a claimed deadline: re-checks state and time under locks, acts, marks done.

Locks are taken in the one order used everywhere: notice, matches and items, deadline, the
articles acted on, the audit head last. Whoever holds the notice goes first, so a staff decision
and the deadline landing together end in one state. Running it twice acts once."""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction

from compliance import roles
from compliance.models import CounterNotice, Decision, Notice, NoticeItem, NoticeItemMatch, SlaBreach, SlaDeadline
from articles.actors import SLA_DEADLINE
from compliance.selectors import automated_withdrawals_this_sweep
from compliance.services.alerts import mail_staff
from compliance.services.audit import record
from compliance.services.counter_notices import restore_contested
from compliance.services.decisions import Reasons
from compliance.services.deadlines import safety_margin
from compliance.services.sla_policy import action_at_due
from compliance.services.statements import REDRESS, fail_safe_withdrawal
from compliance.services.withdrawal import withdraw_article_unless_withdrawn

log = logging.getLogger(__name__)
Kind, State = SlaDeadline.Kind, SlaDeadline.State
ACTOR = SLA_DEADLINE


def enforce(*, deadline_id: int, now: datetime) -> str:
    """Returns what was done, for logs and tests."""
    try:
        with transaction.atomic():
            return _enforce(deadline_id, now)
    except Exception as exc:
        with transaction.atomic():
            SlaDeadline.objects.filter(pk=deadline_id).update(last_error=f"{type(exc).__name__}: {exc}"[:500])
        raise


def _act_time(deadline: SlaDeadline) -> datetime:
    return deadline.due_at - safety_margin() if deadline.kind == Kind.DUE else deadline.due_at


def _enforce(deadline_id: int, now: datetime) -> str:
    notice_id = SlaDeadline.objects.filter(pk=deadline_id).values_list("notice_id", flat=True).first()
    if notice_id is None:
        return "gone"
    notice = Notice.objects.select_for_update().get(pk=notice_id)
    matches = list(NoticeItemMatch.objects.select_for_update(of=("self",)).select_related("item")
                   .filter(item__notice=notice).order_by("pk"))
    list(NoticeItem.objects.select_for_update().filter(notice=notice).order_by("pk"))
    deadline = SlaDeadline.objects.select_for_update().get(pk=deadline_id)
    if deadline.state not in SlaDeadline.OPEN_STATES:
        return f"already {deadline.state}"
    if now < _act_time(deadline):
        _put_back(deadline, wake_at=_act_time(deadline))
        return "not due yet"
    undecided = notice.items.filter(state__in=NoticeItem.UNDECIDED).exists()
    if deadline.kind == Kind.RESTORE:
        outcome = _restore_window_ended(notice, deadline, now)
    elif deadline.kind == Kind.RESPONSE:
        outcome = _response_due(notice, deadline, now, undecided=undecided)
    elif deadline.kind == Kind.COMPLAINT:
        outcome = _complaint_due(notice, deadline, now, undecided=undecided)
    elif not undecided:
        outcome = "nothing left undecided"
    elif deadline.kind == Kind.DUE:
        outcome = _at_due(notice, matches, deadline, now)
        if outcome.startswith("capped"):
            return outcome
    elif _overtaken(notice, deadline, now):
        outcome = "not mailed: a later step is due too"
    else:
        outcome = _escalate(notice, deadline, now, urgent=False)
    deadline.state, deadline.done_at, deadline.outcome, deadline.lease_until = State.DONE, now, outcome[:200], None
    deadline.save(update_fields=["state", "done_at", "outcome", "lease_until"])
    record(action=f"sla.{deadline.kind}", target=notice, actor=ACTOR, at=now,
           data={"deadline": deadline.pk, "outcome": deadline.outcome, "due_at": deadline.due_at,
                 "late_seconds": max(0, int((now - deadline.due_at).total_seconds()))})
    return outcome


def _put_back(deadline: SlaDeadline, *, wake_at: datetime) -> None:
    """Back to pending without acting: the sweeper counted its claim as an attempt, and it was none."""
    deadline.state, deadline.wake_at, deadline.lease_until = State.PENDING, wake_at, None
    deadline.attempts = max(deadline.attempts - 1, 0)
    deadline.save(update_fields=["state", "wake_at", "lease_until", "attempts", "deferrals"])


def give_up(*, deadline_id: int, now: datetime) -> str:
    """A deadline the system could not enforce (attempts exhausted, a poison row): never a quiet end.

    Marked failed with its last error, recorded as a breach with that reason, audited, and escalated
    urgently; /healthz names it until staff acknowledge it."""
    with transaction.atomic():
        notice_id = SlaDeadline.objects.filter(pk=deadline_id).values_list("notice_id", flat=True).first()
        if notice_id is None:
            return "gone"
        notice = Notice.objects.select_for_update().get(pk=notice_id)
        deadline = SlaDeadline.objects.select_for_update().get(pk=deadline_id)
        if deadline.state not in SlaDeadline.OPEN_STATES:
            return f"already {deadline.state}"
        reason = (f"could not be enforced after {deadline.attempts} attempts: "
                  f"{deadline.last_error or 'no error recorded (the task never finished: lost or killed)'}")
        deadline.state, deadline.done_at, deadline.lease_until = State.FAILED, now, None
        deadline.outcome = reason[:200]
        deadline.save(update_fields=["state", "done_at", "lease_until", "outcome"])
        _store_breach(notice, deadline, now, reason)
        try:
            with transaction.atomic():  # the poison may be in what the mail needs: the breach stands regardless
                _escalate(notice, deadline, now, urgent=True, reason=reason)
        except Exception:
            log.exception("the escalation of failed SLA deadline %s could not be queued", deadline_id)
        record(action="sla.failed", target=notice, actor=ACTOR, at=now,
               data={"deadline": deadline.pk, "kind": deadline.kind, "reason": reason[:300],
                     "due_at": deadline.due_at, "attempts": deadline.attempts})
    log.error("SLA deadline %s (%s of %s) could not be enforced: breach recorded, leads alerted",
              deadline_id, deadline.kind, notice.reference)
    return f"breach recorded: {reason}"


def _restore_window_ended(notice: Notice, deadline: SlaDeadline, now: datetime) -> str:
    """The counter-notice's business days are over and no court action was recorded."""
    counter = deadline.counter_notice
    if counter is None or counter.status not in CounterNotice.OPEN_STATUSES:
        return f"counter-notice already {counter.get_status_display().lower() if counter else 'gone'}"
    if settings.COUNTER_NOTICE_TIMED_RESTORE and not counter.missing_elements:
        reasons = Reasons(explanation=(f"Restored when the {settings.COUNTER_NOTICE_BUSINESS_DAYS}-business-day window "
                                       f"of {counter.reference} ended without a court action being reported "
                                       "(17 U.S.C. 512(g)(2)(C))."),
                          legal_ground="17 U.S.C. 512(g)", redress=REDRESS)
        restore_contested(counter_notice_id=counter.pk, reasons=reasons, actor=ACTOR, now=now, automated=True)
        return f"restored by the timer after {counter.reference}"
    _escalate(notice, deadline, now, urgent=True)
    return f"restore window of {counter.reference} ended: back to staff to restore or uphold"


def _response_due(notice: Notice, deadline: SlaDeadline, now: datetime, *, undecided: bool) -> str:
    """An incomplete notice nobody answered within 24 hours: a breach and an urgent escalation, never a
    withdrawal (the fail-safe is for complete, verified notices only)."""
    if not undecided:
        return "nothing left undecided"
    if notice.decisions.filter(decided_at__gte=notice.received_at).exists():
        return "answered: staff decided or asked for information"
    return record_breach(notice, deadline, now, "no one decided or asked for what is missing within 24 hours")


STEPS = [Kind.ESCALATE_50, Kind.ESCALATE_75, Kind.ESCALATE_90, Kind.DUE]


def _overtaken(notice: Notice, deadline: SlaDeadline, now: datetime) -> bool:
    """After an outage several steps of one notice come due together: only the latest one mails,
    not a burst of 50%, 75%, 90% and "Due" about the same request."""
    later = STEPS[STEPS.index(deadline.kind) + 1:]
    return SlaDeadline.objects.filter(notice=notice, kind__in=later, due_at__lte=now).exists()


def _complaint_due(notice: Notice, deadline: SlaDeadline, now: datetime, *, undecided: bool) -> str:
    """Never an automatic decision: the claimant's complaint, or the items it reopened, wait for a
    person; the missed deadline is a recorded breach and goes to the compliance lead."""
    complaint = deadline.counter_notice
    if complaint is not None and complaint.status in CounterNotice.OPEN_STATUSES:
        return record_breach(notice, deadline, now, f"complaint {complaint.reference} not answered in time")
    if undecided:
        return record_breach(notice, deadline, now, "items reopened by a complaint not decided again in time")
    return "complaint answered and items decided"


def _at_due(notice: Notice, matches: list[NoticeItemMatch], deadline: SlaDeadline, now: datetime) -> str:
    withdrawable = [m for m in matches if m.state == NoticeItemMatch.State.MATCHED
                    and m.how in NoticeItemMatch.AUTOMATIC_WITHDRAWAL_ALLOWED and m.asset_id is None]
    if action_at_due(notice) != "withdraw":
        return record_breach(notice, deadline, now, "unverified or escalating notice undecided at the deadline")
    if not settings.SLA_AUTOMATED_WITHDRAWALS:
        return record_breach(notice, deadline, now, "automated withdrawals are switched off")
    if withdrawable and automated_withdrawals_this_sweep(now) >= settings.SLA_MAX_AUTOMATED_WITHDRAWALS_PER_SWEEP:
        deadline.deferrals += 1
        _put_back(deadline, wake_at=now)  # the next sweep takes it again, with a fresh cap
        return "capped: too many automated withdrawals in this sweep, retried next sweep"
    withdrawn = [_withdraw(notice, match, now) for match in withdrawable]
    _settle_items(notice, now)
    left = notice.items.filter(state=NoticeItem.State.MATCHED).exists()
    never_matched = notice.items.filter(state=NoticeItem.State.RECEIVED).exists()  # matching failed at intake
    if left:
        record_breach(notice, deadline, now, "matches that are never withdrawn automatically are still undecided")
    elif never_matched:
        record_breach(notice, deadline, now, "items that could not be matched are still undecided")
    elif now > deadline.due_at:
        record_breach(notice, deadline, now, "the fail-safe withdrawal came after the deadline")
    escalated = left or never_matched
    return f"withdrew {sum(withdrawn)} article(s) pending review" + ("; escalated the rest" if escalated else "")


def _withdraw(notice: Notice, match: NoticeItemMatch, now: datetime) -> int:
    article, acted = withdraw_article_unless_withdrawn(
        article_id=match.article_id, actor=ACTOR, reason=f"fail-safe at the deadline of {notice.reference}",
        reference=notice.reference)
    decision = Decision.objects.create(
        notice=notice, item=match.item, match=match, action=Decision.Action.WITHDRAW, automated=True,
        actor=ACTOR.id, decided_at=now, pending_review=True, **fail_safe_withdrawal(notice, match))
    match.state, match.decided_at = NoticeItemMatch.State.ACTIONED, now
    match.save(update_fields=["state", "decided_at"])
    record(action="decision.automated_withdrawal", target=decision, actor=ACTOR, at=now,
           data={"notice": notice.reference, "match": match.pk, "article": article.pk, "puid": match.puid,
                 "content_sha256": article.content_sha256})
    return int(acted)


def _settle_items(notice: Notice, now: datetime) -> None:
    for item in notice.items.filter(state=NoticeItem.State.MATCHED).prefetch_related("matches"):
        if all(m.state == NoticeItemMatch.State.ACTIONED for m in item.matches.all()):
            item.state, item.decided_at = NoticeItem.State.ACTIONED, now
            item.save(update_fields=["state", "decided_at"])


def record_breach(notice: Notice, deadline: SlaDeadline, now: datetime, reason: str) -> str:
    _store_breach(notice, deadline, now, reason)
    _escalate(notice, deadline, now, urgent=True, reason=reason)
    return f"breach recorded: {reason}"


def _store_breach(notice: Notice, deadline: SlaDeadline, now: datetime, reason: str) -> None:
    SlaBreach.objects.get_or_create(deadline=deadline, defaults={
        "notice": notice, "due_at": deadline.due_at, "detected_at": now, "reason": reason[:300],
        "lateness_seconds": max(0, int((now - deadline.due_at).total_seconds()))})


def _escalate(notice: Notice, deadline: SlaDeadline, now: datetime, *, urgent: bool, reason: str = "") -> str:
    groups = [roles.COMPLIANCE_LEAD] if urgent else [roles.REVIEWER, roles.COMPLIANCE_LEAD]
    sent = mail_staff(groups=groups, notice=notice, template="compliance/mail/escalation.txt",
                      subject=f"[{notice.reference}] {'URGENT: ' if urgent else ''}{deadline.get_kind_display()}",
                      context={"notice": notice, "deadline": deadline, "urgent": urgent, "breach_reason": reason})
    return f"escalated to {sent} staff"
