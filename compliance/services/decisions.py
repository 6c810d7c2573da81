"""Staff decisions on a notice's items: withdraw (article or single asset), reject.

Locks follow the one order (notice, items and matches, deadline, articles, audit head), so two
reviewers, or a reviewer and the deadline, deciding the same items end in one decision: whoever
holds the notice first decides, the other is told what was decided.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import transaction

from articles.templatetags.moments import SHORT, utc
from articles.actors import Actor
from compliance.errors import IllegalTransition
from compliance.models import Decision, Notice, NoticeItem, NoticeItemMatch, OutboundMessage, SlaDeadline
from compliance.services.audit import record
from compliance.services.deadlines import answer_response_deadline, cancel_if_settled
from compliance.services.intake import later_status_url
from compliance.services.lifecycle import move_notice
from compliance.services.outbox import queue_mail
from compliance.services.standing import note_upheld_withdrawals
from compliance.services.statements import EEA, REDRESS
from compliance.services.withdrawal import withdraw_article_unless_withdrawn, withdraw_asset

ItemState, MatchState = NoticeItem.State, NoticeItemMatch.State


@dataclass(frozen=True)
class Reasons:
    """The statement of reasons a reviewer gives (DSA Art. 17)."""

    explanation: str
    legal_ground: str = ""
    facts: str = ""
    ground: str = Decision.Ground.ILLEGAL_CONTENT
    territorial_scope: list[str] = field(default_factory=lambda: list(EEA))
    redress: str = REDRESS
    manifestly_unfounded: bool = False


def _locked(notice_id: int, item_ids: list[int]) -> tuple[Notice, list[NoticeItem], list[NoticeItemMatch]]:
    notice = Notice.objects.select_for_update().get(pk=notice_id)
    items = list(NoticeItem.objects.select_for_update().filter(notice=notice, pk__in=item_ids).order_by("pk"))
    matches = list(NoticeItemMatch.objects.select_for_update().filter(item__in=items).order_by("pk"))
    list(SlaDeadline.objects.select_for_update().filter(notice=notice, state__in=SlaDeadline.OPEN_STATES))
    if len(items) != len(set(item_ids)):
        raise IllegalTransition("some of these items do not belong to this notice")
    decided = [item for item in items if item.state not in NoticeItem.UNDECIDED]
    if decided:
        earlier = Decision.objects.filter(item__in=decided).order_by("-decided_at").first()
        who = f" by {Actor.parse(earlier.actor).name} at {utc(earlier.decided_at, SHORT)}" if earlier else ""
        raise IllegalTransition(f"{len(decided)} of these items were already decided{who}; reload to see it")
    return notice, items, matches


def _decision(notice: Notice, item: NoticeItem, match: NoticeItemMatch | None, action: str, reasons: Reasons,
              *, actor: Actor, now: datetime, visibility: list[str]) -> Decision:
    decision = Decision.from_reasons(reasons, notice=notice, item=item, match=match, action=action, actor=actor,
                                     at=now, visibility=visibility)
    decision.save()
    return decision


def withdraw_items(*, notice_id: int, item_ids: list[int], reasons: Reasons, actor: Actor,
                   now: datetime) -> list[Decision]:
    """Withdraw what each item matched: the article, or only the asset when the item named an asset."""
    if not reasons.explanation.strip():
        raise IllegalTransition("a withdrawal needs a statement of reasons")
    with transaction.atomic():
        notice, items, matches = _locked(notice_id, item_ids)
        empty = [item.url for item in items if not any(m.item_id == item.pk for m in matches)]
        if empty:
            raise IllegalTransition(f"nothing on our site matches {empty[0]}; reject it instead")
        decisions = []
        for match in (m for m in matches if m.state == MatchState.MATCHED):
            if match.asset_id:
                withdraw_asset(asset_id=match.asset_id, actor=actor, reason=reasons.explanation,
                               reference=notice.reference)
                action, visibility = Decision.Action.REMOVE_ASSET, ["DECISION_VISIBILITY_CONTENT_REMOVED"]
            else:
                _withdraw_article_once(match.article_id, actor, reasons, notice)
                action, visibility = Decision.Action.WITHDRAW, ["DECISION_VISIBILITY_CONTENT_DISABLED"]
            item = next(i for i in items if i.pk == match.item_id)
            decisions.append(_decision(notice, item, match, action, reasons, actor=actor, now=now,
                                       visibility=visibility))
            match.state, match.decided_at = MatchState.ACTIONED, now
        NoticeItemMatch.objects.bulk_update(matches, ["state", "decided_at"])
        _settle(notice, items, ItemState.ACTIONED, decisions, actor=actor, now=now)
        note_upheld_withdrawals([m.article_id or m.asset.article_id for m in matches if m.state == MatchState.ACTIONED],
                                actor=actor, now=now)
    return decisions


def _withdraw_article_once(article_id: int, actor: Actor, reasons: Reasons, notice: Notice) -> None:
    article, acted = withdraw_article_unless_withdrawn(article_id=article_id, actor=actor, reason=reasons.explanation,
                                                       reference=notice.reference)
    if acted and article.source and article.source.takedown_email:
        queue_mail(notice=notice, purpose=OutboundMessage.Purpose.SOURCE_NOTICE, to=article.source.takedown_email,
                   subject=f"[{notice.reference}] Your article was withdrawn from World Time Todays",
                   template="compliance/mail/source_notice.txt",
                   context={"notice": notice, "article": article, "reasons": reasons})


def reject_items(*, notice_id: int, item_ids: list[int], reasons: Reasons, actor: Actor,
                 now: datetime) -> list[Decision]:
    if not reasons.explanation.strip():
        raise IllegalTransition("a rejection needs a statement of reasons")
    return _close_items(notice_id, item_ids, Decision.Action.REJECT, reasons, actor=actor, now=now)


def close_withdrawn_by_claimant(*, notice_id: int, item_ids: list[int], reasons: Reasons, actor: Actor,
                                now: datetime) -> list[Decision]:
    """The claimant withdrew the notice: its undecided items are closed, nothing is removed."""
    return _close_items(notice_id, item_ids, Decision.Action.CLAIMANT_WITHDREW, reasons, actor=actor, now=now)


def _close_items(notice_id: int, item_ids: list[int], action: str, reasons: Reasons, *, actor: Actor,
                 now: datetime) -> list[Decision]:
    """Items decided without removing anything: their matches are not acted on."""
    with transaction.atomic():
        notice, items, matches = _locked(notice_id, item_ids)
        decisions = [_decision(notice, item, None, action, reasons, actor=actor, now=now, visibility=[])
                     for item in items]
        for match in matches:
            match.state, match.decided_at = MatchState.REJECTED, now
        NoticeItemMatch.objects.bulk_update(matches, ["state", "decided_at"])
        _settle(notice, items, ItemState.REJECTED, decisions, actor=actor, now=now)
    return decisions


def _settle(notice: Notice, items: list[NoticeItem], state: str, decisions: list[Decision], *, actor: Actor,
            now: datetime) -> None:
    for item in items:
        item.state, item.decided_at = state, now
    NoticeItem.objects.bulk_update(items, ["state", "decided_at"])
    answer_response_deadline(notice, now=now, how="staff decided")
    cancelled = cancel_if_settled(notice, now=now)
    settled = cancelled or not notice.items.filter(state__in=NoticeItem.UNDECIDED).exists()
    to = Notice.Status.DECIDED if settled else notice.status
    queue_mail(notice=notice, purpose=OutboundMessage.Purpose.DECISION, to=notice.claimant_email,
               subject=f"[{notice.reference}] Decision on your removal request",
               template="compliance/mail/decision.txt",
               context={"notice": notice, "items": items, "decisions": decisions,
                        "rejected": any(d.action == Decision.Action.REJECT for d in decisions),
                        "status_url": later_status_url(notice),
                        "complaint_days": settings.COMPLAINT_WINDOW_DAYS})
    # One entry per decision; the first carries the notice's move, the others say where it stands.
    previous = notice.status
    if not decisions and to != previous:
        move_notice(notice, to, actor=actor, now=now, data={"deadlines_cancelled": cancelled})
    for position, decision in enumerate(decisions):
        data = {"notice": notice.reference, "item": decision.item_id, "match": decision.match_id,
                "deadlines_cancelled": cancelled}
        if position == 0:
            move_notice(notice, to, actor=actor, now=now, action=f"decision.{decision.action}", target=decision,
                        data=data)
        else:
            record(action=f"decision.{decision.action}", target=decision, actor=actor, at=now,
                   data={**data, "from": previous, "to": to})
