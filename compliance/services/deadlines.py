"""Deadlines of a notice, written in the transaction that starts its clock."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from articles.importing.bulk import insert_rows
from compliance.models import Notice, NoticeItem, SlaDeadline
from compliance.services.sla_policy import response_deadline_on

Kind = SlaDeadline.Kind


def safety_margin() -> timedelta:
    """The fail-safe acts this much before the promise, so that a burst of SLA_BURST_DUE_TOGETHER
    deadlines due together is done in time: the cap lets ``cap`` withdrawals through per sweep
    interval, so the burst needs ceil(burst / cap) intervals, plus one interval for the sweep's
    phase and one lease for a task lost on the way (docs/operations.md, "Cap and margin")."""
    interval, cap = settings.SLA_SWEEP_INTERVAL_SECONDS, max(settings.SLA_MAX_AUTOMATED_WITHDRAWALS_PER_SWEEP, 1)
    intervals_for_burst = math.ceil(settings.SLA_BURST_DUE_TOGETHER / cap)
    return timedelta(seconds=settings.SLA_LEASE_SECONDS + interval * (1 + intervals_for_burst))


def schedule_deadlines(notice: Notice, *, clock_started_at: datetime, new_notice: bool = False) -> None:
    """`new_notice`: created in this transaction, so it has no response promise to supersede yet."""
    window = timedelta(hours=settings.SLA_HOURS)
    rows: list[dict[str, Any]] = [{"kind": kind, "due_at": clock_started_at + window * fraction,
                                   "wake_at": clock_started_at + window * fraction}
                                  for kind, fraction in SlaDeadline.ESCALATION_FRACTIONS.items()]
    due_at = clock_started_at + window
    rows.append({"kind": Kind.DUE, "due_at": due_at, "wake_at": due_at - safety_margin()})
    # The removal clock supersedes the response promise made while elements were missing.
    if not new_notice:
        SlaDeadline.objects.filter(notice=notice, kind=Kind.RESPONSE, state__in=SlaDeadline.OPEN_STATES).update(
            state=SlaDeadline.State.CANCELLED, done_at=clock_started_at, outcome="the 24-hour removal clock started")
    # By COPY on PostgreSQL: bulk_create's arrays cost more to build than the four rows themselves.
    created_at = timezone.now()
    insert_rows(SlaDeadline, [{**row, "notice_id": notice.pk, "created_at": created_at} for row in rows])


def schedule_response_deadline(notice: Notice, *, at: datetime) -> SlaDeadline | None:
    """An incomplete notice naming our content: staff decide or ask for what is missing within 24 hours
    (the published promise asks for no formalities). Once per notice; the policy may switch it off."""
    if not response_deadline_on(notice):
        return None
    due_at = at + timedelta(hours=settings.SLA_HOURS)
    deadline, _ = SlaDeadline.objects.get_or_create(notice=notice, kind=Kind.RESPONSE,
                                                    defaults={"due_at": due_at, "wake_at": due_at})
    return deadline


def answer_response_deadline(notice: Notice, *, now: datetime, how: str) -> int:
    """Staff decided an item or asked the claimant: the response promise is kept."""
    return SlaDeadline.objects.filter(notice=notice, kind=Kind.RESPONSE, state__in=SlaDeadline.OPEN_STATES).update(
        state=SlaDeadline.State.DONE, done_at=now, outcome=f"answered: {how}"[:200], lease_until=None)


def cancel_if_settled(notice: Notice, *, now: datetime) -> int:
    """Deadlines stop when no item is left undecided, not at the first decision. A complaint's
    deadline stops only when the complaint is answered too."""
    if notice.items.filter(state__in=NoticeItem.UNDECIDED).exists():
        return 0
    settled = SlaDeadline.objects.filter(notice=notice, state__in=SlaDeadline.OPEN_STATES).exclude(
        kind__in=[Kind.RESTORE, Kind.COMPLAINT]).update(state=SlaDeadline.State.CANCELLED, done_at=now,
                                                          outcome="no item left undecided")
    return settled + cancel_answered_complaints(notice, now=now)


def schedule_complaint_deadline(notice: Notice, complaint, *, window: timedelta, now: datetime) -> SlaDeadline:
    """A claimant's complaint is answered in time, and the items it reopens are decided again in time."""
    return SlaDeadline.objects.create(notice=notice, kind=Kind.COMPLAINT, counter_notice=complaint,
                                      due_at=now + window, wake_at=now + window)


def cancel_answered_complaints(notice: Notice, *, now: datetime) -> int:
    """Complaint deadlines whose complaint is closed and whose reopened items are all decided again."""
    if notice.items.filter(state__in=NoticeItem.UNDECIDED).exists():
        return 0
    return SlaDeadline.objects.filter(notice=notice, kind=Kind.COMPLAINT, state__in=SlaDeadline.OPEN_STATES).exclude(
        counter_notice__status__in=["received"]).update(state=SlaDeadline.State.CANCELLED, done_at=now,
                                                        outcome="complaint answered and items decided")
