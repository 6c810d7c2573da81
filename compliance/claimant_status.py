"""What a claimant's private status page says, derived from the records in every state.

A notice's status holds only the workflow state; what each item came to, when and why comes from
its items and decisions, and the redress open to the claimant from the rejections among them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch

from compliance.models import CounterNotice, Decision, Notice, NoticeItem
from compliance.services.intake import MISSING_LABELS

CLAIMANT_WORDS = {
    # What the claimant reads for an item's state: their request's result, not our internal step.
    NoticeItem.State.RECEIVED: "Received, not yet checked",
    NoticeItem.State.MATCHED: "Found on our site; being reviewed",
    NoticeItem.State.UNMATCHED: "Not found on our site; being reviewed",
    NoticeItem.State.ACTIONED: "Removed",
    NoticeItem.State.REJECTED: "Not removed (request declined)",
    NoticeItem.State.RESTORED: "Put back after an objection",
}
WITHDRAWN_BY_CLAIMANT = "Closed: you withdrew the request; nothing was removed"


@dataclass(frozen=True)
class ItemStatus:
    item: NoticeItem
    words: str
    decision: Decision | None

    @property
    def open(self) -> bool:
        return self.item.state in NoticeItem.UNDECIDED


@dataclass(frozen=True)
class ClaimantStatus:
    notice: Notice
    stage: str  # awaiting_confirmation | awaiting_information | in_review | complaint | decided | closed
    items: list[ItemStatus]
    counter_notices: list[CounterNotice]
    complaints: list[CounterNotice]
    countdown: bool  # a deadline is running for this claimant's request

    @property
    def rejected(self) -> bool:
        """Something was declined: the claimant's redress applies (not to items they withdrew themselves)."""
        return any(entry.item.state == NoticeItem.State.REJECTED and entry.decision is not None
                   and entry.decision.action == Decision.Action.REJECT for entry in self.items)

    @property
    def restored(self) -> bool:
        return any(entry.item.state == NoticeItem.State.RESTORED for entry in self.items)

    @property
    def missing(self) -> list[str]:
        """What the request lacks, in the words the acknowledgment used."""
        return [MISSING_LABELS.get(code, code) for code in self.notice.missing_elements]

    @property
    def nothing_found(self) -> bool:
        return all(entry.item.match_count == 0 for entry in self.items)

    @property
    def open_complaint(self) -> CounterNotice | None:
        return next((c for c in self.complaints if c.status in CounterNotice.OPEN_STATUSES), None)


def claimant_status(notice: Notice, *, now: datetime) -> ClaimantStatus:
    decisions = Decision.objects.exclude(action=Decision.Action.NEED_INFORMATION).order_by("decided_at", "pk")
    items = list(notice.items.annotate(match_count=Count("matches")).order_by("position")
                 .prefetch_related(Prefetch("decisions", queryset=decisions)))
    entries = []
    for item in items:
        decision = _last(list(item.decisions.all()))
        words = (WITHDRAWN_BY_CLAIMANT if decision and decision.action == Decision.Action.CLAIMANT_WITHDREW
                 else CLAIMANT_WORDS.get(item.state, item.get_state_display()))
        entries.append(ItemStatus(item, words, decision))
    counters = list(notice.counter_notices.order_by("received_at"))
    complaints = [c for c in counters if c.kind == CounterNotice.Kind.CLAIMANT_COMPLAINT]
    undecided = any(entry.open for entry in entries)
    stage = _stage(notice, undecided=undecided, complaints=complaints)
    countdown = (stage in ("awaiting_confirmation", "in_review") and undecided and notice.due_at is not None and notice.due_at > now
                 and not notice.sender_suspended)
    return ClaimantStatus(notice, stage, entries, [c for c in counters if c not in complaints], complaints, countdown)


def _last(decisions: list[Decision]) -> Decision | None:
    return decisions[-1] if decisions else None


def _stage(notice: Notice, *, undecided: bool, complaints: list[CounterNotice]) -> str:
    if notice.status in (Notice.Status.AWAITING_CONFIRMATION, Notice.Status.AWAITING_INFORMATION):
        return notice.status
    if any(c.status in CounterNotice.OPEN_STATUSES for c in complaints):
        return "complaint"
    if notice.status == Notice.Status.CLOSED:
        return "closed"
    return "in_review" if undecided else "decided"
