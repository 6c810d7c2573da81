"""The notice lifecycle: every status a notice reaches through the services is allowed by
`Notice.TRANSITIONS`, and every move is in the audit log; a move the table forbids raises."""

import json
from datetime import datetime, timedelta, timezone as dt_timezone
from itertools import count

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings as hypothesis_settings, strategies as st

from articles.actors import Actor
from compliance.errors import ComplianceError, ForbiddenMove, IllegalTransition
from compliance.models import AuditEntry, CounterNotice, Notice, NoticeItem
from compliance.services.confirmation import confirm_email
from compliance.services.counter_notices import (CounterNoticeInput, receive_claimant_complaint,
                                                 receive_counter_notice, reopen_rejected, restore_contested,
                                                 uphold_contested)
from compliance.services.decisions import Reasons, reject_items, withdraw_items
from compliance.services.intake import receive_notice
from compliance.services.lifecycle import move_notice
from compliance.services.review import ask_for_information, mark_duplicate
from compliance.services.sla_enforce import enforce
from compliance.services.sla_sweep import sweep
from compliance.services.supplements import supplement_notice
from tests.compliance.intake_helpers import submission
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
PRIMARY = "https://outlet.example/news/contested.html"
ELSEWHERE = "https://elsewhere.example/copy.html"
REASONS = Reasons(explanation="Reviewed against the claimant's registration.", legal_ground="Copyright")
START = datetime(2026, 3, 2, 9, 0, tzinfo=dt_timezone.utc)
Status = Notice.Status
emails = count()


class Walk:
    """One notice walked through service calls; each call may be refused (a domain error), never crash."""

    def __init__(self, *, needs_confirmation: bool, incomplete: bool, urls: tuple[str, ...]):
        self.article = ArticleFactory(primary=PRIMARY)
        self.now = START
        fields = {"signature": ""} if incomplete else {}
        self.notice = receive_notice(channel="web", needs_confirmation=needs_confirmation, received_at=self.now,
                                     submission=submission(*urls, **fields)).notice

    def _undecided(self) -> list[int]:
        return list(self.notice.items.filter(state__in=NoticeItem.UNDECIDED).order_by("pk").values_list("pk", flat=True))

    def _open_counter(self, *kinds: str) -> CounterNotice | None:
        return self.notice.counter_notices.filter(status__in=CounterNotice.OPEN_STATUSES, kind__in=kinds).first()

    def confirm(self):
        confirm_email(notice_id=self.notice.pk, now=self.now)

    def supplement(self):
        supplement_notice(notice_id=self.notice.pk, items=[], good_faith=True, accuracy=True,
                          signature="Marta Hnatiuk", actor=Actor.parse("claimant:email"), now=self.now)

    def ask(self):
        ask_for_information(notice_id=self.notice.pk, question="Which registration covers it?", actor=Actor.parse("user:1"),
                            now=self.now)

    def duplicate(self):
        original = receive_notice(channel="web", received_at=self.now, submission=submission(
            PRIMARY, claimant_email=f"other{next(emails)}@example.org")).notice
        mark_duplicate(notice_id=self.notice.pk, original_id=original.pk, actor=Actor.parse("user:1"), now=self.now)

    def withdraw(self):
        withdraw_items(notice_id=self.notice.pk, item_ids=self._undecided()[:1], reasons=REASONS, actor=Actor.parse("user:1"),
                       now=self.now)

    def reject(self):
        reject_items(notice_id=self.notice.pk, item_ids=self._undecided()[-1:], reasons=REASONS, actor=Actor.parse("user:1"),
                     now=self.now)

    def counter_notice(self):
        receive_counter_notice(article_slug=self.article.slug, now=self.now, data=CounterNoticeInput(
            kind=CounterNotice.Kind.COUNTER_NOTICE, name="Olena Publisher", organisation="", email="desk@outlet.example",
            address="1 Press Lane", phone="+380 32 000 0000", explanation="We licensed it.", mistake_statement=True,
            jurisdiction_consent=True, signature="Olena Publisher"))

    def complaint(self):
        receive_claimant_complaint(notice_id=self.notice.pk, explanation="The copy is ours.", now=self.now)

    def restore(self):
        counter = self._open_counter(CounterNotice.Kind.COUNTER_NOTICE, CounterNotice.Kind.COMPLAINT)
        if counter:
            restore_contested(counter_notice_id=counter.pk, reasons=REASONS, actor=Actor.parse("user:1"), now=self.now)

    def uphold(self):
        counter = self._open_counter(*CounterNotice.Kind.values)
        if counter:
            uphold_contested(counter_notice_id=counter.pk, reasons=REASONS, actor=Actor.parse("user:1"), now=self.now)

    def reopen(self):
        counter = self._open_counter(CounterNotice.Kind.CLAIMANT_COMPLAINT)
        if counter:
            reopen_rejected(counter_notice_id=counter.pk, actor=Actor.parse("user:1"), now=self.now)

    def deadline(self):
        self.now += timedelta(hours=25)
        enqueued: list[int] = []
        sweep(now=self.now, enqueue=enqueued.extend)
        for pk in enqueued:
            enforce(deadline_id=pk, now=self.now)

    def later(self):
        self.now += timedelta(days=20)


# Decisions and objections more often: most walks should get as far as counter-notices and complaints.
EVENTS = [name for name in vars(Walk) if not name.startswith("_")] + 2 * [
    "withdraw", "withdraw", "reject", "counter_notice", "complaint", "restore", "uphold", "reopen"]


def _moves_recorded_since(seq: int) -> list[tuple[str, str]]:
    data = [json.loads(payload)["data"] for payload in
            AuditEntry.objects.filter(seq__gt=seq).order_by("seq").values_list("payload", flat=True)]
    return [(d["from"], d["to"]) for d in data if "from" in d and "to" in d and d["from"] in Status.values]


@pytest.mark.slow  # ~10 s: thirty walks of up to twelve service calls
@hypothesis_settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(needs_confirmation=st.booleans(), incomplete=st.booleans(),
       urls=st.sampled_from([(PRIMARY,), (PRIMARY, ELSEWHERE)]),
       events=st.lists(st.sampled_from(EVENTS), min_size=1, max_size=12))
# Walks that always run: a counter-notice reopens a decided notice, a complaint reopens rejected items.
@example(needs_confirmation=False, incomplete=False, urls=(PRIMARY,), events=["withdraw", "counter_notice", "restore"])
@example(needs_confirmation=True, incomplete=True, urls=(PRIMARY,),
         events=["confirm", "supplement", "reject", "later", "complaint", "reopen", "withdraw", "counter_notice",
                 "deadline", "deadline", "deadline", "deadline", "deadline", "deadline", "deadline", "deadline",
                 "deadline", "deadline", "deadline", "deadline", "deadline", "deadline", "uphold"])
def test_every_status_reached_is_allowed_and_every_move_audited(db, needs_confirmation, incomplete, urls, events):
    with transaction.atomic():  # each example starts from an empty database: its changes are rolled back
        walk = Walk(needs_confirmation=needs_confirmation, incomplete=incomplete, urls=urls)
        for event in events:
            before = Notice.objects.get(pk=walk.notice.pk).status
            seq = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
            try:
                with transaction.atomic():
                    getattr(walk, event)()
            except ForbiddenMove:
                raise  # a service asked for a move the table does not allow: the two disagree
            except ComplianceError:
                pass  # refused by a rule of the service: nothing changed
            after = Notice.objects.get(pk=walk.notice.pk).status
            if after != before:
                assert after in Notice.TRANSITIONS[before], f"{event}: {before} -> {after}"
                assert (before, after) in _moves_recorded_since(seq), f"{event}: {before} -> {after} not audited"
        transaction.set_rollback(True)


def test_a_move_the_table_forbids_raises_and_changes_nothing():
    notice = receive_notice(channel="web", received_at=START, submission=submission(PRIMARY)).notice
    with transaction.atomic():
        move_notice(notice, Status.DECIDED, actor=Actor.parse("user:1"), now=START)
    with pytest.raises(IllegalTransition, match="cannot become awaiting email confirmation"):
        with transaction.atomic():
            move_notice(notice, Status.AWAITING_CONFIRMATION, actor=Actor.parse("user:1"), now=START)
    notice.refresh_from_db()
    assert notice.status == Status.DECIDED
    assert AuditEntry.objects.filter(action="notice.status_changed").count() == 1


def test_every_status_has_a_row_in_the_table_and_no_row_moves_to_itself():
    assert set(Notice.TRANSITIONS) == set(Status.values)
    assert all(source not in targets for source, targets in Notice.TRANSITIONS.items())
