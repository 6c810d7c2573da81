"""A reviewer's decisions on what stay-down held or suggested: one transaction, one audit entry each."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from articles.models import Article, ProvenanceEvent, StayDownMatch
from compliance.errors import ComplianceError, IllegalTransition
from articles.actors import Actor
from compliance.services.audit import record
from compliance.services.locking import locked_or_not_found
from compliance.services.withdrawal import withdraw_article

State = StayDownMatch.State
Refused = ComplianceError  # what the admin's stay-down queue catches and shows


def _locked_held(article_id: int) -> Article:
    article = locked_or_not_found(Article, article_id, what="article")
    if article.status != Article.Status.HELD:
        raise IllegalTransition(f"article {article.pk} is {article.status}, not held")
    return article


def _close_matches(article: Article, state: str, *, actor: Actor, now) -> int:
    return StayDownMatch.objects.filter(article=article, state=State.OPEN).update(
        state=state, decided_at=now, decided_by=actor.id[:200])


def release_held(*, article_id: int, actor: Actor, reason: str) -> Article:
    """Not a copy after all (a licensed syndication, a quotation): publish it."""
    if not reason.strip():
        raise IllegalTransition("releasing a held article needs a reason")
    with transaction.atomic():
        article, now = _locked_held(article_id), timezone.now()
        held_reason = article.status_reason
        article.status, article.status_reason = Article.Status.PUBLISHED, Article.short_reason(reason)
        article.published_at = article.published_at or now
        article.save(update_fields=["status", "status_reason", "published_at", "updated_at"])
        ProvenanceEvent.objects.create(article=article, kind=ProvenanceEvent.Kind.PUBLISHED, actor=actor.id,
                                       occurred_at=now,
                                       output_sha256=article.content_sha256,
                                       detail={"released": True, "reason": reason, "held_because": held_reason})
        closed = _close_matches(article, State.RELEASED, actor=actor, now=now)
        record(action="article.released", target=article, actor=actor, at=now,
               data={"from": Article.Status.HELD, "to": article.status, "held_match": article.held_match_id,
                     "stay_down_matches": closed})
    return article


def withdraw_held(*, article_id: int, actor: Actor, reason: str) -> Article:
    """It is withdrawn content come back: withdraw it, as any withdrawal (451 page, webhooks, audit)."""
    with transaction.atomic():
        article = _locked_held(article_id)
        _close_matches(article, State.WITHDRAWN, actor=actor, now=timezone.now())
        reference = article.held_match.withdrawal_reference if article.held_match_id else ""
        return withdraw_article(article_id=article.pk, actor=actor, reason=reason, reference=reference)


def _locked_suggestion(match_id: int) -> StayDownMatch:
    match = locked_or_not_found(StayDownMatch, match_id, what="stay-down match")
    if match.state != State.OPEN:
        raise IllegalTransition(f"stay-down match {match.pk} is already {match.state}")
    return match


def dismiss_suggestion(*, match_id: int, actor: Actor, reason: str = "") -> StayDownMatch:
    """The article only resembles the withdrawn one: it stays as it is."""
    with transaction.atomic():
        match, now = _locked_suggestion(match_id), timezone.now()
        match.state, match.decided_at, match.decided_by = State.DISMISSED, now, actor.id[:200]
        match.save(update_fields=["state", "decided_at", "decided_by"])
        record(action="staydown.dismissed", target=match, actor=actor, at=now,
               data={"article": match.article_id, "withdrawn_article": match.withdrawn_article_id,
                     "score": match.score, "reason": reason})
    return match


def withdraw_suggested(*, match_id: int, actor: Actor, reason: str) -> Article:
    """The suggestion was right: withdraw the live article that resembles withdrawn content."""
    with transaction.atomic():
        match, now = _locked_suggestion(match_id), timezone.now()
        match.state, match.decided_at, match.decided_by = State.WITHDRAWN, now, actor.id[:200]
        match.save(update_fields=["state", "decided_at", "decided_by"])
        return withdraw_article(article_id=match.article_id, actor=actor, reason=reason,
                                reference=match.withdrawn_article.withdrawal_reference)
