"""A counter-notice that arrives by email is filed through the form's service, never opened as a takedown.

It is linked to the notice it contests by the thread, by a reference it quotes, or by the URLs of our
withdrawn articles it names; one counter-notice per contested article, as the form files them. A
mail that links to nothing withdrawn is kept and put before staff.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from articles.models import Article
from compliance.parsing.counter_notice_text import counter_statements
from compliance.parsing.mail_parse import ParsedMail
from compliance.parsing.submission import ValidItem
from articles.actors import CLAIMANT_EMAIL
from compliance.models import CounterNotice, Notice
from compliance.services.audit import personal_data_hash
from compliance.services.counter_notices import (CounterNoticeInput, contested_decision, file_counter_notice,
                                                 missing_elements)
from compliance.services.mail_links import contested_by_notice, notice_named_in_text, withdrawn_articles

NOT_READ_FROM_MAIL = ("address", "phone")


@dataclass(frozen=True)
class MailedCounterNotice:
    notice: Notice | None  # what it was linked to, even when nothing there could be contested
    filed: list[CounterNotice]


def counter_notice_input(parsed: ParsedMail, *, signature: str) -> CounterNoticeInput:
    """`signature`: as mail intake read it from the text."""
    mistake, consent = counter_statements(parsed.text)
    name = parsed.from_name or signature or parsed.from_address.split("@")[0]
    return CounterNoticeInput(
        kind=CounterNotice.Kind.COUNTER_NOTICE, name=name, email=parsed.from_address,
        explanation=parsed.text, signature=signature,
        mistake_statement=mistake, jurisdiction_consent=consent)


def _contested(notice: Notice | None, items: list[ValidItem], sender: str) -> list[tuple[int, Article]]:
    by_notice = contested_by_notice(items)
    if notice is None:
        return [(notice_id, article) for notice_id, articles in by_notice.items() for article in articles]
    if by_notice.get(notice.pk):
        return [(notice.pk, article) for article in by_notice[notice.pk]]
    # Named by thread or reference alone: what the notice withdrew, narrowed to the sender's own
    # sources when the sender is the source's takedown contact.
    articles = list(Article.objects.filter(pk__in=withdrawn_articles(notice)).select_related("source"))
    theirs = [a for a in articles if a.source and a.source.takedown_email.lower() == sender.lower()]
    return [(notice.pk, article) for article in theirs or articles]


def file_mailed_counter_notice(*, parsed: ParsedMail, signature: str, items: list[ValidItem],
                               thread: Notice | None, received_at: datetime) -> MailedCounterNotice:
    notice = thread or notice_named_in_text(parsed)
    data = counter_notice_input(parsed, signature=signature)
    # Address and phone are not read out of a mail: they travel in its text (the explanation the
    # claimant receives), so they are neither claimed missing nor copied into fields of their own.
    missing = [name for name in missing_elements(data) if name not in NOT_READ_FROM_MAIL]
    filed = []
    sender = personal_data_hash(parsed.from_address)
    for notice_id, article in _contested(notice, items, parsed.from_address):
        decision = contested_decision(article)
        # A claimant writing about the objection to their own notice ("we went to court") is not objecting.
        if decision is None or decision.notice_id != notice_id or decision.notice.claimant_email_digest == sender:
            continue
        filed.append(file_counter_notice(article=article, decision=decision, data=data, now=received_at,
                                         actor=CLAIMANT_EMAIL,
                                         channel=CounterNotice.Channel.EMAIL, missing=missing).counter_notice)
        notice = notice or decision.notice
    return MailedCounterNotice(notice, filed)
