"""The published promise asks for no formalities: an incomplete notice naming our content gets a
24-hour response deadline at receipt. Staff answer it by deciding or asking; unanswered, it is a
breach with an urgent escalation, never a withdrawal."""

from datetime import datetime, timedelta, timezone as dt_timezone
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.actors import Actor
from compliance.models import Notice, OutboundMessage, SlaBreach, SlaDeadline, SlaPolicy
from compliance.services.decisions import Reasons, reject_items
from compliance.services.mail_intake import process_inbound, store_inbound
from compliance.services.review import ask_for_information
from compliance.services.sla_enforce import enforce
from compliance.services.sla_sweep import sweep
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
MAIL = Path(__file__).parent / "mail_kinds"
T0 = datetime(2026, 11, 5, 9, 0, tzinfo=dt_timezone.utc)


def ingest(name: str) -> Notice:
    """Received 'now', as the mail intake does it: under time_machine, at the travelled time."""
    stored = store_inbound((MAIL / name).read_bytes(), via="file")
    return process_inbound(message_pk=stored.message.pk, now=timezone.now()).notice


def run_sweep() -> list[str]:
    enqueued: list[int] = []
    sweep(now=timezone.now(), enqueue=enqueued.extend)
    return [enforce(deadline_id=pk, now=timezone.now()) for pk in enqueued]


@pytest.fixture
def article():
    return ArticleFactory(slug="kyiv-night-trains")


@pytest.fixture
def lead(django_user_model):
    user = django_user_model.objects.create_user("lead", email="lead@worldtimetodays.example")
    user.groups.add(Group.objects.get_or_create(name="Compliance lead")[0])
    return user


def test_incomplete_notice_naming_our_article_gets_a_response_deadline_and_says_so(article):
    with time_machine.travel(T0, tick=False):
        notice = ingest("incomplete-names-ours.eml")

    assert notice.status == Notice.Status.AWAITING_INFORMATION and notice.due_at is None
    deadline = SlaDeadline.objects.get(notice=notice)  # a response deadline, and no removal clock
    assert (deadline.kind, deadline.state, deadline.due_at) == ("response", "pending", T0 + timedelta(hours=24))
    ack = OutboundMessage.objects.get(notice=notice, purpose="acknowledgment").body
    assert "our staff will decide on it, or tell you what is still needed, by 6 November 2026, 09:00 UTC" in ack
    assert "Your request is complete" not in ack and "None of the addresses" not in ack


def test_notice_naming_nothing_of_ours_gets_no_response_deadline_and_is_told_so():
    with time_machine.travel(T0, tick=False):
        notice = ingest("names-nothing-of-ours.eml")

    assert not SlaDeadline.objects.filter(notice=notice).exists()
    ack = OutboundMessage.objects.get(notice=notice, purpose="acknowledgment").body
    assert "None of the addresses you gave is a page or image we publish" in ack
    assert "The 24-hour handling period starts when we have it" in ack


def test_complete_notice_is_promised_the_removal_clock(article):
    ArticleFactory(slug="odesa-port-strike")
    with time_machine.travel(T0, tick=False):
        notice = ingest("complete-trailing-slash.eml")

    assert notice.due_at == T0 + timedelta(hours=24)
    assert not notice.deadlines.filter(kind="response").exists()
    ack = OutboundMessage.objects.get(notice=notice, purpose="acknowledgment").body
    assert "Your request is complete. We will act on it by 6 November 2026, 09:00 UTC (within 24 hours)." in ack


def test_policy_can_switch_the_response_deadline_off_per_kind(article):
    SlaPolicy.objects.create(kind="copyright", verification="unverified", at_due="escalate", response_deadline=False)
    with time_machine.travel(T0, tick=False):
        notice = ingest("incomplete-names-ours.eml")

    assert not SlaDeadline.objects.filter(notice=notice).exists()
    assert "The 24-hour handling period starts when we have it" in notice.outbound.get().body


@pytest.mark.parametrize("answer", ["ask", "reject"])
def test_asking_or_deciding_answers_the_deadline_and_no_breach_follows(article, lead, answer):
    with time_machine.travel(T0, tick=False):
        notice = ingest("incomplete-names-ours.eml")
    with time_machine.travel(T0 + timedelta(hours=3), tick=False):
        if answer == "ask":
            ask_for_information(notice_id=notice.pk, question="Please sign the request with your full name.",
                                actor=Actor.parse("user:1"), now=timezone.now())
        else:
            reject_items(notice_id=notice.pk, item_ids=list(notice.items.values_list("pk", flat=True)),
                         reasons=Reasons(explanation="You do not own this report."), actor=Actor.parse("user:1"), now=timezone.now())

    deadline = notice.deadlines.get(kind="response")
    assert deadline.state == "done" and deadline.outcome.startswith("answered") and deadline.done_at == T0 + timedelta(hours=3)
    with time_machine.travel(T0 + timedelta(hours=25), tick=False):
        assert run_sweep() == []
    assert not SlaBreach.objects.exists()


def test_unanswered_response_deadline_is_a_breach_and_an_urgent_escalation_never_a_withdrawal(article, lead):
    with time_machine.travel(T0, tick=False):
        notice = ingest("incomplete-names-ours.eml")
    # Even a verified notice under a withdrawing policy is not withdrawn: it is incomplete.
    Notice.objects.filter(pk=notice.pk).update(verification=Notice.Verification.DKIM_ALIGNED)

    with time_machine.travel(T0 + timedelta(hours=23, minutes=59), tick=False):
        assert run_sweep() == []  # not due yet
    with time_machine.travel(T0 + timedelta(hours=24, minutes=1), tick=False):
        outcomes = run_sweep()

    assert len(outcomes) == 1 and outcomes[0].startswith("breach recorded")
    breach = SlaBreach.objects.get(notice=notice)
    assert breach.deadline.kind == "response" and "within 24 hours" in breach.reason and breach.lateness_seconds == 60
    assert OutboundMessage.objects.filter(purpose="escalation", to_address=lead.email, subject__contains="URGENT")
    article.refresh_from_db()
    assert article.status == "published" and not notice.decisions.exists()
    with time_machine.travel(T0 + timedelta(hours=30), tick=False):
        assert run_sweep() == []  # done once
