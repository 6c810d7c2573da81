"""A run of stored mails is read and matched together, then each opens its notice in its own
transaction: the matches are the ones each mail finds alone, a mail that fails is set aside without
its run, and the lookups do not grow with the number of mails in the run."""

from datetime import timedelta
from email.message import EmailMessage

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from compliance.models import InboundMessage, Notice, NoticeItemMatch, OutboundMessage, SenderRestriction
from compliance.services.audit import personal_data_hash, verify_chain
from compliance.services.mail_intake import process_inbound, process_pending, process_run, store_inbound
from tests.compliance.test_email_intake import _STATEMENTS
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
OURS = "https://worldtimetodays.example/articles/"


def _mail(sender: str, *urls: str, number: int) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "takedown@worldtimetodays.example"
    message["Subject"] = "DMCA notice: copyright infringement"
    message["Message-ID"] = f"<run-{number}@claimant.example>"
    message.set_content("Please remove these pages, which copy our photographs:\n\n"
                        + "\n".join(urls) + "\n\n" + _STATEMENTS)
    return bytes(message)


def _stored(*mails: bytes) -> list[int]:
    return [store_inbound(raw, via="file").message.pk for raw in mails]


def _matches_of(pk: int) -> list[tuple[str, int, str]]:
    message = InboundMessage.objects.get(pk=pk)
    return sorted(NoticeItemMatch.objects.filter(item__notice=message.notice)
                  .values_list("item__url", "article_id", "how"))


def test_a_run_finds_for_each_mail_what_it_finds_alone():
    harbour, strike = ArticleFactory(slug="harbour-fire"), ArticleFactory(slug="port-strike")
    mails = [_mail(f"Claimant {n} <c{n}@claimant{n}.example>", *urls, number=n) for n, urls in enumerate([
        (OURS + "harbour-fire/", "https://elsewhere.example/page"),
        (OURS + "port-strike",),  # the slash twin of our page: a candidate
        ("https://elsewhere.example/nothing-of-ours",),
        (OURS + "port-strike/", OURS + "harbour-fire/"),
    ])]
    alone = _stored(*mails[:4])
    for pk in alone:
        process_inbound(message_pk=pk, now=timezone.now())
    expected = [_matches_of(pk) for pk in alone]
    InboundMessage.objects.all().delete()

    together = _stored(*[raw.replace(b"@claimant.example>", b"@run.example>") for raw in mails])
    assert process_run(together, now=timezone.now()) == 4

    assert [_matches_of(pk) for pk in together] == expected
    assert expected[0] == [(OURS + "harbour-fire/", harbour.pk, "exact_url")]
    assert expected[1] == [(OURS + "port-strike", strike.pk, "trailing_slash")]
    assert expected[2] == []
    assert {m[1] for m in expected[3]} == {harbour.pk, strike.pk}


def test_a_mail_that_fails_is_set_aside_and_the_rest_of_its_run_opens_notices():
    ArticleFactory(slug="harbour-fire")
    long_sender = "x" * 400 + "@claimant.example"
    pks = _stored(_mail("Good <good@claimant.example>", OURS + "harbour-fire", number=1),
                  _mail(long_sender, OURS + "harbour-fire", number=2),
                  _mail("Other <other@claimant.example>", OURS + "harbour-fire", number=3))

    assert process_pending(now=timezone.now()) == 3

    roles = [InboundMessage.objects.get(pk=pk).role for pk in pks]
    assert roles == ["opened", "failed", "opened"]
    assert [len(_matches_of(pk)) for pk in (pks[0], pks[2])] == [1, 1]


def test_the_lookups_of_a_run_do_not_grow_with_its_mails():
    ArticleFactory(slug="harbour-fire")

    def article_queries(count: int, first: int) -> int:
        pks = _stored(*[_mail(f"C <c{n}@claimant{n}.example>", OURS + "harbour-fire", number=n)
                        for n in range(first, first + count)])
        with CaptureQueriesContext(connection) as queries:
            process_run(pks, now=timezone.now())
        return sum('FROM "articles_article"' in q["sql"] for q in queries.captured_queries)

    assert article_queries(2, 100) == article_queries(8, 200)


def _roles(pks: list[int]) -> list[str]:
    return [InboundMessage.objects.get(pk=pk).role for pk in pks]


def test_a_repeat_later_in_the_same_run_is_linked_to_the_notice_opened_before_it():
    ArticleFactory(slug="harbour-fire")
    pks = _stored(*[_mail("Same <same@claimant.example>", OURS + "harbour-fire", number=n) for n in range(3)])

    process_run(pks, now=timezone.now())

    first, *repeats = [InboundMessage.objects.get(pk=pk) for pk in pks]
    assert [first.role, *(m.role for m in repeats)] == ["opened", "duplicate", "duplicate"]
    assert {m.notice.duplicate_of_id for m in repeats} == {first.notice_id}
    assert {m.notice.status for m in repeats} == {Notice.Status.CLOSED}


def test_a_notice_rolled_back_with_its_mail_is_no_original_for_the_rest_of_the_run(monkeypatch):
    ArticleFactory(slug="harbour-fire")
    pks = _stored(*[_mail("Same <same@claimant.example>", OURS + "harbour-fire", number=n) for n in range(3)])
    save = InboundMessage.save

    def failing_for_the_first(message, *args, **kwargs):
        if message.pk == pks[0]:
            raise OSError("disk full")
        return save(message, *args, **kwargs)

    monkeypatch.setattr(InboundMessage, "save", failing_for_the_first)
    process_run(pks, now=timezone.now())

    assert _roles(pks) == ["failed", "opened", "duplicate"]
    second, third = InboundMessage.objects.get(pk=pks[1]), InboundMessage.objects.get(pk=pks[2])
    assert third.notice.duplicate_of_id == second.notice_id and second.notice.duplicate_of_id is None
    assert Notice.objects.count() == 2
    assert verify_chain().ok  # the rolled-back notice's audit entry is not in the chain, nor its seq


def test_a_suspended_senders_mail_in_a_run_is_kept_closed_and_the_others_are_not():
    ArticleFactory(slug="harbour-fire")
    now = timezone.now()
    first = _stored(_mail("Bogus <bogus@claimant.example>", OURS + "harbour-fire", number=1))[0]
    process_inbound(message_pk=first, now=now)
    notice = InboundMessage.objects.get(pk=first).notice
    for starts, ends in ((now - timedelta(days=40), now - timedelta(days=10)), (now - timedelta(hours=1), None)):
        SenderRestriction.objects.create(kind=SenderRestriction.Kind.SUSPENSION, notice=notice, reason="Bogus.",
                                         email_digest=personal_data_hash("bogus@claimant.example"),
                                         unfounded_notices=3, starts_at=starts, ends_at=ends, decided_by="user:1")
    pks = _stored(_mail("Bogus <bogus@claimant.example>", OURS + "harbour-fire", OURS + "other", number=2),
                  _mail("Fair <fair@claimant.example>", OURS + "harbour-fire", number=3))

    process_run(pks, now=now)

    suspended, fair = (InboundMessage.objects.get(pk=pk).notice for pk in pks)
    assert (suspended.status, suspended.sender_suspended, suspended.due_at) == (Notice.Status.CLOSED, True, None)
    assert (fair.sender_suspended, fair.status) == (False, Notice.Status.IN_REVIEW)


def test_the_acknowledgment_of_a_mail_in_a_run_reports_its_items_as_it_would_alone():
    ArticleFactory(slug="harbour-fire"), ArticleFactory(slug="port-strike")
    urls = (OURS + "harbour-fire/", OURS + "port-strike", "https://elsewhere.example/page")

    def reported(pk: int) -> list[str]:
        notice = InboundMessage.objects.get(pk=pk).notice
        body = OutboundMessage.objects.get(notice=notice, purpose="acknowledgment").body
        return [line for line in body.splitlines() if line.startswith("  - ") or "nothing of ours" in line]

    alone = _stored(_mail("Alone <alone@claimant.example>", *urls, number=1),
                    _mail("None <none@claimant.example>", "https://elsewhere.example/x", number=2))
    for pk in alone:
        process_inbound(message_pk=pk, now=timezone.now())
    together = _stored(_mail("Run <run@claimant.example>", *urls, number=3),
                       _mail("Void <void@claimant.example>", "https://elsewhere.example/x", number=4))
    process_run(together, now=timezone.now())

    assert [reported(pk) for pk in together] == [reported(pk) for pk in alone]
    assert "found on our site (1 item)" in reported(together[0])[0]
    assert "not found on our site" in reported(together[0])[2]
    assert any("nothing of ours" in line for line in reported(together[1]))


def test_one_drain_works_through_a_backlog_beyond_one_run_and_a_second_drain_waits_its_turn():
    """The beat sends one task every 15 s: a backlog must not be worked off 100 mails per beat."""
    from django.core.cache import cache

    from compliance.services.mail_intake import DRAIN_LOCK, RUN_SIZE

    ArticleFactory(slug="harbour-fire")
    count = 4 * RUN_SIZE + 3  # more than the 100 one call used to take
    _stored(*[_mail(f"C <c{n}@claimant{n}.example>", OURS + "harbour-fire", number=n) for n in range(count)])

    cache.add(DRAIN_LOCK, 1)  # another worker is draining
    assert process_pending(now=timezone.now()) == 0
    assert InboundMessage.objects.filter(role=InboundMessage.Role.PENDING).count() == count
    cache.delete(DRAIN_LOCK)

    assert process_pending(now=timezone.now()) == count
    assert not InboundMessage.objects.filter(role=InboundMessage.Role.PENDING).exists()
    assert cache.get(DRAIN_LOCK) is None  # free for the next beat


def test_a_drain_past_its_time_stops_after_the_run_in_hand_and_the_next_goes_on():
    from compliance.services.mail_intake import RUN_SIZE

    _stored(*[_mail(f"C <c{n}@claimant{n}.example>", OURS + "harbour-fire", number=n)
              for n in range(RUN_SIZE + 5)])

    assert process_pending(seconds=0) == RUN_SIZE  # at least one run, then the time is up
    assert process_pending(seconds=0) == 5
    assert process_pending(seconds=0) == 0
