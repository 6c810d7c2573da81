"""Statements of reasons for the DSA Transparency Database, one per restricting decision on a match.

A rejection restricts nothing and has no statement. The puid is the match's, so exporting a
decision twice gives the same statement (the database refuses a puid it already holds). The
statement carries no personal data (DSA Art. 24(5)): the notifier is named only when it is an
organisation acting as rights holder.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable, Iterator

from django.db.models import Exists, OuterRef, QuerySet

from articles.models import Asset, RightsHolder
from articles.shortening import shortened
from compliance.exports.statement_rules import COUNTRIES, LANGUAGES, MAX_PER_CALL, problems
from compliance.models import Decision, Notice, NoticeItemMatch
from compliance.services.statements import EEA, LEGAL_GROUND_BY_KIND

VISIBILITY_BY_ACTION = {Decision.Action.WITHDRAW: "DECISION_VISIBILITY_CONTENT_DISABLED",
                        Decision.Action.REMOVE_ASSET: "DECISION_VISIBILITY_CONTENT_REMOVED"}
CATEGORY_BY_KIND = {
    Notice.Kind.COPYRIGHT: ("STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS", "KEYWORD_COPYRIGHT_INFRINGEMENT"),
    Notice.Kind.TRADEMARK: ("STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS", "KEYWORD_TRADEMARK_INFRINGEMENT"),
    Notice.Kind.PRIVACY: ("STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS", "KEYWORD_RIGHT_TO_BE_FORGOTTEN"),
    Notice.Kind.DEFAMATION: ("STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", "KEYWORD_DEFAMATION"),
}
OTHER_CATEGORY = ("STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE", "KEYWORD_OTHER")
CONTENT_TYPE_BY_ASSET = {Asset.Kind.PHOTO: "CONTENT_TYPE_IMAGE", Asset.Kind.MAP: "CONTENT_TYPE_IMAGE",
                         Asset.Kind.VIDEO: "CONTENT_TYPE_VIDEO", Asset.Kind.EMBED: "CONTENT_TYPE_OTHER"}
ORDERS = (Notice.Kind.COURT_ORDER, Notice.Kind.GOVERNMENT)
AUTOMATED_DETECTION = (NoticeItemMatch.How.NEAR_DUPLICATE, NoticeItemMatch.How.IMAGE_HASH)
EARLIEST_CONTENT_DATE = date(2000, 1, 1)


def decisions_to_state(since: datetime | None = None) -> QuerySet[Decision]:
    """The first restricting decision of each match (`since`: only those decided at or after it)."""
    earlier = Decision.objects.filter(match=OuterRef("match"), action__in=Decision.TAKES_DOWN, decided_at__lt=OuterRef("decided_at"))
    decisions = (Decision.objects.filter(match__isnull=False, action__in=Decision.TAKES_DOWN).filter(~Exists(earlier))
                 .select_related("notice", "notice__acting_for", "item", "match", "match__item", "match__article",
                                 "match__asset", "match__asset__article")
                 .order_by("match_id", "decided_at", "id"))
    return decisions.filter(decided_at__gte=since) if since else decisions


def statement(decision: Decision) -> dict[str, Any]:
    notice, match = decision.notice, decision.match
    asset, article = match.asset, match.article or match.asset.article
    category, keyword = CATEGORY_BY_KIND.get(notice.kind, OTHER_CATEGORY)
    content_type = CONTENT_TYPE_BY_ASSET[asset.kind] if asset else "CONTENT_TYPE_TEXT"
    body: dict[str, Any] = {
        "decision_visibility": _visibility(decision),
        "decision_ground": decision.decision_ground,
        "content_type": [content_type],
        "category": category,
        "category_specification": [keyword],
        "territorial_scope": sorted(set(decision.territorial_scope or EEA) & COUNTRIES) or sorted(COUNTRIES),
        "content_date": max((article.published_at or article.created_at).date(), EARLIEST_CONTENT_DATE).isoformat(),
        "application_date": decision.decided_at.date().isoformat(),
        "decision_facts": shortened(decision.facts or _facts(notice, match), 5000),
        "source_type": _source_type(notice),
        "automated_detection": "Yes" if match.how in AUTOMATED_DETECTION else "No",
        "automated_decision": "AUTOMATED_DECISION_FULLY" if decision.automated else "AUTOMATED_DECISION_NOT_AUTOMATED",
        "puid": match.puid,
    }
    # The database's limits: a longer text is shortened with an ellipsis, and says so.
    legal_ground = shortened(decision.legal_ground or LEGAL_GROUND_BY_KIND.get(notice.kind, notice.get_kind_display()),
                             500)
    explanation = shortened(decision.explanation or decision.facts or _facts(notice, match), 2000)
    if decision.decision_ground == Decision.Ground.ILLEGAL_CONTENT:
        body |= {"illegal_content_legal_ground": legal_ground, "illegal_content_explanation": explanation}
    else:
        body |= {"incompatible_content_ground": legal_ground, "incompatible_content_explanation": explanation}
    if keyword == "KEYWORD_OTHER":
        body["category_specification_other"] = notice.get_kind_display()
    if content_type == "CONTENT_TYPE_OTHER":
        body["content_type_other"] = "Embedded third-party content"
    if article.language.upper() in LANGUAGES:
        body["content_language"] = article.language.upper()
    identity = _source_identity(notice)
    if identity:
        body["source_identity"] = identity
    return body


def _visibility(decision: Decision) -> list[str]:
    given = [v for v in decision.decision_visibility or [] if v != "DECISION_VISIBILITY_OTHER"]
    return given or [VISIBILITY_BY_ACTION[decision.action]]


def _facts(notice: Notice, match: NoticeItemMatch) -> str:
    what = "embedded asset" if match.asset_id else "article"
    return (f"Notice {notice.reference} ({notice.get_kind_display()}) received {notice.received_at:%Y-%m-%d} "
            f"named {match.item.url}, which matched this {what} by its {match.get_how_display().lower()}.")


def _source_type(notice: Notice) -> str:
    if notice.kind in ORDERS:
        return "SOURCE_TYPE_OTHER_NOTIFICATION"
    return "SOURCE_TRUSTED_FLAGGER" if notice.trusted else "SOURCE_ARTICLE_16"


def _source_identity(notice: Notice) -> str:
    holder = notice.acting_for
    if holder and holder.kind == RightsHolder.Kind.ORGANISATION:
        return shortened(holder.name, 500)
    return ""


def calls(since: datetime | None = None, *, skip: Callable[[Decision, list[str]], None]
          ) -> Iterator[tuple[dict[str, Any], list[Decision]]]:
    """API call bodies of at most MAX_PER_CALL valid statements, with the decisions they state; a
    statement the database would refuse is handed to `skip` with its problems and left out."""
    batch: list[tuple[dict[str, Any], Decision]] = []
    last_match = None
    for decision in decisions_to_state(since).iterator(chunk_size=500):
        if decision.match_id == last_match:  # two decisions at the same instant: the first states it
            continue
        last_match = decision.match_id
        body = statement(decision)
        broken = problems(body)
        if broken:
            skip(decision, broken)
            continue
        batch.append((body, decision))
        if len(batch) == MAX_PER_CALL:
            yield {"statements": [b for b, _ in batch]}, [d for _, d in batch]
            batch = []
    if batch:
        yield {"statements": [b for b, _ in batch]}, [d for _, d in batch]
