"""A claimant's complaint about a rejection is held to its own deadline (SlaPolicy), swept like the
others; and one overdue notice's escalation steps arriving together mail once, not as a burst."""

from datetime import datetime, timedelta, timezone as dt_timezone

import pytest

from articles.actors import Actor
from compliance.models import Notice, OutboundMessage, SlaBreach, SlaDeadline, SlaPolicy
from compliance.services.counter_notices import receive_claimant_complaint, reopen_rejected
from compliance.services.decisions import Reasons, reject_items, withdraw_items
from compliance.services.intake import receive_notice
from compliance.services.sla_enforce import enforce
from compliance.services.sla_sweep import sweep
from tests.compliance.intake_helpers import submission
from tests.compliance.test_sla import staff  # noqa: F401 (fixture)
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=dt_timezone.utc)
PRIMARY = "https://outlet.example/story.html"
NO = Reasons(explanation="The outlet licensed the report to us.")


def _enforce_all(at: datetime) -> list[str]:
    enqueued: list[int] = []
    sweep(now=at, enqueue=enqueued.extend)
    return [enforce(deadline_id=pk, now=at) for pk in enqueued]


def _rejected_then_complained(at: datetime) -> Notice:
    ArticleFactory(primary=PRIMARY)
    notice = receive_notice(channel="web", submission=submission(PRIMARY), received_at=T0).notice
    reject_items(notice_id=notice.pk, item_ids=[notice.items.get().pk], reasons=NO, actor=Actor.parse("user:1"),
                 now=T0 + timedelta(hours=2))
    receive_claimant_complaint(notice_id=notice.pk, explanation="It is ours.", now=at)
    return notice


def test_a_complaint_gets_the_policys_deadline_and_an_unanswered_one_is_a_breach(staff):  # noqa: F811
    SlaPolicy.objects.create(kind="copyright", verification="unverified", at_due="escalate", complaint_hours=48)
    at = T0 + timedelta(days=1)
    notice = _rejected_then_complained(at)

    deadline = SlaDeadline.objects.get(notice=notice, kind=SlaDeadline.Kind.COMPLAINT)
    assert deadline.due_at == at + timedelta(hours=48) and deadline.counter_notice.kind == "claimant_complaint"
    assert _enforce_all(at + timedelta(hours=47)) == []

    [outcome] = _enforce_all(at + timedelta(hours=48, minutes=1))

    assert outcome.startswith("breach recorded: complaint")
    breach = SlaBreach.objects.get(deadline=deadline)
    assert breach.lateness_seconds == 60
    assert OutboundMessage.objects.filter(notice=notice, purpose="escalation", to_address=staff[1].email).exists()


def test_a_complaint_that_reopens_items_holds_until_they_are_decided_again():
    at = T0 + timedelta(days=1)
    notice = _rejected_then_complained(at)
    complaint = notice.counter_notices.get()

    reopen_rejected(counter_notice_id=complaint.pk, actor=Actor.parse("user:2"), now=at + timedelta(hours=3))
    deadline = SlaDeadline.objects.get(notice=notice, kind=SlaDeadline.Kind.COMPLAINT)
    assert deadline.state == SlaDeadline.State.PENDING  # the reopened item is undecided
    assert deadline.due_at == at + timedelta(hours=168)  # no policy row: the default

    withdraw_items(notice_id=notice.pk, item_ids=[notice.items.get().pk], actor=Actor.parse("user:2"),
                   now=at + timedelta(hours=5), reasons=Reasons(explanation="The claimant showed the original."))

    deadline.refresh_from_db()
    assert deadline.state == SlaDeadline.State.CANCELLED
    assert _enforce_all(at + timedelta(days=30)) == []


def test_overdue_escalation_steps_of_one_notice_mail_once_not_as_a_burst(staff):  # noqa: F811
    ArticleFactory(primary=PRIMARY)
    notice = receive_notice(channel="web", submission=submission(PRIMARY), received_at=T0).notice  # unverified

    outcomes = _enforce_all(T0 + timedelta(hours=25))  # the sweeper was down the whole day

    assert sorted(outcomes).count("not mailed: a later step is due too") == 3
    mails = OutboundMessage.objects.filter(notice=notice, purpose="escalation")
    assert {m.subject for m in mails} == {f"[{notice.reference}] URGENT: Due"}
    assert mails.count() == 1  # the compliance lead, once
