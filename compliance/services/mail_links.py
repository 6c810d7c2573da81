"""What an inbound mail points at: the notice it answers, and the withdrawn articles of ours it names.

Threading reads headers first (a Message-ID we sent or received, then our reference inside one of
our Message-IDs, which survives even when the outbox row is gone or the client kept only
`References`), the subject tag second. Counter-notices and retractions may also be linked by a
reference in their text, or by what they name: the withdrawn articles, or the claimant's own URLs.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q

from articles.models import Article
from compliance.parsing.mail_parse import REFERENCE_RE, ParsedMail
from compliance.parsing.submission import ValidItem
from compliance.models import Decision, InboundMessage, Notice, NoticeItem, NoticeItemMatch, OutboundMessage
from compliance.services.audit import personal_data_hash
from compliance.services.counter_notices import CONTESTABLE
from compliance.services.matching import articles_named


def notice_replied_to(parsed: ParsedMail) -> Notice | None:
    """By In-Reply-To/References (the parser reads both, In-Reply-To first), then by the subject tag."""
    ids = list(parsed.in_reply_to)
    if ids:
        sent = (OutboundMessage.objects.filter(message_id__in=[f"<{mid}>" for mid in ids], notice__isnull=False)
                .select_related("notice").first())
        if sent:
            return sent.notice
        received = (InboundMessage.objects.filter(message_id__in=ids, notice__isnull=False)
                    .select_related("notice").first())
        if received:
            return received.notice
        # Our Message-IDs carry the notice's reference (outbox.queue_mail): knowing it is no more than
        # the subject tag already proves, so any Message-ID naming an existing reference threads.
        named = [m.group(0) for mid in ids for m in [REFERENCE_RE.search(mid)] if m]
        if named:
            notices = {n.reference: n for n in Notice.objects.filter(reference__in=named)}
            found = next((notices[ref] for ref in named if ref in notices), None)
            if found:
                return found
    if parsed.references_tag:
        return Notice.objects.filter(reference=parsed.references_tag).first()
    return None


def notice_named_in_text(parsed: ParsedMail) -> Notice | None:
    """A reference quoted anywhere in the subject or the sender's own lines."""
    own = "\n".join(line for line in parsed.text.splitlines() if not line.lstrip().startswith(">"))
    named = list(dict.fromkeys(REFERENCE_RE.findall(f"{parsed.subject}\n{own}")))
    if not named:
        return None
    notices = {n.reference: n for n in Notice.objects.filter(reference__in=named)}
    return next((notices[ref] for ref in named if ref in notices), None)


def withdrawn_articles(notice: Notice) -> list[int]:
    """Articles a notice withdrew (the article, or one of its assets) that are still withdrawn."""
    matches = NoticeItemMatch.objects.filter(item__notice=notice, state=NoticeItemMatch.State.ACTIONED)
    ids = {article or asset_article for article, asset_article in
           matches.values_list("article_id", "asset__article_id")}
    return sorted(pk for pk in ids if pk)


def contested_by_notice(items: list[ValidItem]) -> dict[int, list[Article]]:
    """The withdrawn articles the URLs name, grouped by the notice whose decision withdrew each."""
    article_ids = articles_named(items)
    grouped: dict[int, list[int]] = defaultdict(list)
    if not article_ids:
        return {}
    decisions = (Decision.objects.filter(action__in=CONTESTABLE, match__state=NoticeItemMatch.State.ACTIONED)
                 .filter(Q(match__article_id__in=article_ids, match__asset__isnull=True)
                         | Q(match__asset__article_id__in=article_ids))
                 .values_list("notice_id", "match__article_id", "match__asset__article_id")
                 .order_by("-decided_at", "-pk"))
    seen: set[int] = set()
    for notice_id, article_id, asset_article_id in decisions:
        article = article_id or asset_article_id
        if article not in seen:  # the latest withdrawal of each article is the one contested
            seen.add(article)
            grouped[notice_id].append(article)
    articles = Article.objects.in_bulk(seen)
    return {notice_id: [articles[pk] for pk in ids] for notice_id, ids in grouped.items()}


def notice_of_claimant(parsed: ParsedMail, items: list[ValidItem]) -> Notice | None:
    """The sender's latest notice naming any of these URLs: how a retraction with no reference is linked."""
    if not parsed.from_address or not items:
        return None
    keys = [item.url_key for item in items]
    named = NoticeItem.objects.filter(url_key__in=keys).values("notice_id")
    return (Notice.objects.filter(claimant_email_digest=personal_data_hash(parsed.from_address), pk__in=named,
                                  duplicate_of__isnull=True)
            .order_by("-received_at").first())
