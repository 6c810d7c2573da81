from datetime import datetime, timedelta, timezone as dt_timezone

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.management import call_command

from articles.models import Article
from articles.actors import Actor
from compliance.models import (AuditEntry, Decision, Notice, NoticeItemMatch, OutboundMessage, SlaBreach,
                               SlaDeadline, SlaPolicy)
from compliance.services.deadlines import cancel_if_settled, safety_margin
from compliance.services.intake import receive_notice
from compliance.services.sla_enforce import enforce
from compliance.services.sla_sweep import sweep
from tests.compliance.intake_helpers import submission
from tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=dt_timezone.utc)
PRIMARY = "https://outlet.example/story.html"


def _notice(*urls, verification=Notice.Verification.EMAIL_CONFIRMED, domains=(), **fields) -> Notice:
    notice = receive_notice(channel="web", submission=submission(*urls, domains=domains, **fields),
                            received_at=T0).notice
    Notice.objects.filter(pk=notice.pk).update(verification=verification)
    notice.refresh_from_db()
    return notice


def _enforce_all(at: datetime) -> list[str]:
    enqueued: list[int] = []
    sweep(now=at, enqueue=enqueued.extend)
    return [enforce(deadline_id=pk, now=at) for pk in enqueued]


@pytest.fixture
def staff(django_user_model):
    reviewer = django_user_model.objects.create_user("rev", email="rev@worldtimetodays.example")
    reviewer.groups.add(Group.objects.get_or_create(name="Reviewer")[0])
    lead = django_user_model.objects.create_user("lead", email="lead@worldtimetodays.example")
    lead.groups.add(Group.objects.get_or_create(name="Compliance lead")[0])
    return reviewer, lead


def test_a_complete_notice_gets_its_deadlines_in_the_same_transaction():
    notice = _notice(PRIMARY)

    rows = {d.kind: d for d in notice.deadlines.all()}
    assert set(rows) == {"escalate_50", "escalate_75", "escalate_90", "due"}
    assert rows["escalate_50"].due_at == T0 + timedelta(hours=12)
    assert rows["escalate_90"].due_at == T0 + timedelta(hours=21.6)
    assert rows["due"].due_at == T0 + timedelta(hours=24) == notice.due_at
    assert rows["due"].wake_at == notice.due_at - safety_margin()


def test_an_incomplete_notice_has_no_deadline_until_the_clock_starts():
    notice = _notice(PRIMARY, accuracy=False)

    assert notice.deadlines.count() == 0


def test_sweep_claims_only_due_rows_with_a_lease_and_writes_a_heartbeat(settings):
    notice = _notice(PRIMARY)
    at = T0 + timedelta(hours=12, seconds=1)
    enqueued: list[list[int]] = []

    result = sweep(now=at, enqueue=enqueued.append)

    row = SlaDeadline.objects.get(notice=notice, kind="escalate_50")
    assert result.claimed == [row.pk] and enqueued == [[row.pk]]
    assert row.state == "dispatched" and row.wake_at == row.lease_until == at + timedelta(seconds=settings.SLA_LEASE_SECONDS)
    assert sweep(now=at, enqueue=enqueued.append).claimed == []


def test_a_lost_task_is_swept_again_when_its_lease_ends(settings):
    _notice(PRIMARY)
    at = T0 + timedelta(hours=12, seconds=1)
    sweep(now=at, enqueue=lambda ids: None)  # the task is lost: Redis flushed, worker killed

    again = sweep(now=at + timedelta(seconds=settings.SLA_LEASE_SECONDS), enqueue=lambda ids: None)

    assert len(again.claimed) == 1
    assert SlaDeadline.objects.get(pk=again.claimed[0]).attempts == 2


def test_broker_down_keeps_the_rows_for_the_next_sweep(settings):
    _notice(PRIMARY)

    def broker_down(ids):
        raise ConnectionError("redis is down")

    at = T0 + timedelta(hours=12, seconds=1)
    result = sweep(now=at, enqueue=broker_down)
    later = sweep(now=at + timedelta(seconds=settings.SLA_LEASE_SECONDS), enqueue=lambda ids: None)

    assert result.enqueue_error.startswith("ConnectionError") and result.enqueued == 0
    assert later.claimed == result.claimed


def test_escalation_mails_the_reviewers_and_is_audited(staff):
    notice = _notice(PRIMARY)

    assert _enforce_all(T0 + timedelta(hours=12, seconds=1)) == ["escalated to 2 staff"]

    mails = OutboundMessage.objects.filter(notice=notice, purpose="escalation")
    assert {m.to_address for m in mails} == {"rev@worldtimetodays.example", "lead@worldtimetodays.example"}
    assert AuditEntry.objects.filter(action="sla.escalate_50").count() == 1


def test_verified_copyright_notice_is_withdrawn_fail_safe_before_the_deadline(client):
    copy = ArticleFactory(primary=PRIMARY)
    ours = ArticleFactory(slug="our-copy")
    notice = _notice(PRIMARY, "https://worldtimetodays.example/articles/our-copy/")
    act_at = notice.due_at - safety_margin()

    outcomes = _enforce_all(act_at)

    assert outcomes[-1] == "withdrew 2 article(s) pending review" and len(outcomes) == 4
    for article in (copy, ours):
        article.refresh_from_db()
        assert article.status == Article.Status.WITHDRAWN and article.withdrawal_reference == notice.reference
        assert client.get(article.get_absolute_url()).status_code == 451
    decisions = Decision.objects.filter(notice=notice)
    assert decisions.count() == 2 and all(d.automated and d.pending_review for d in decisions)
    assert decisions[0].decision_visibility == ["DECISION_VISIBILITY_CONTENT_DISABLED"]
    assert "pending review" in decisions[0].explanation and decisions[0].territorial_scope
    assert not SlaBreach.objects.exists()
    assert set(notice.items.values_list("state", flat=True)) == {"actioned"}


def test_domain_wide_matches_are_never_withdrawn_automatically():
    source = SourceFactory(host="outlet.example")
    articles = ArticleFactory.create_batch(2, source=source)
    notice = _notice(domains=("outlet.example",))

    outcomes = _enforce_all(notice.due_at)

    assert outcomes[-1].startswith("withdrew 0 article(s)")
    assert all(Article.objects.get(pk=a.pk).status == "published" for a in articles)
    assert SlaBreach.objects.get(notice=notice).reason.startswith("matches that are never withdrawn")


def test_unverified_notice_escalates_and_records_a_breach_with_its_lateness(staff):
    article = ArticleFactory(primary=PRIMARY)
    notice = _notice(PRIMARY, verification=Notice.Verification.UNVERIFIED)
    late = notice.due_at + timedelta(minutes=7)

    outcomes = _enforce_all(late)

    assert outcomes[-1].startswith("breach recorded")
    breach = SlaBreach.objects.get(notice=notice)
    assert breach.lateness_seconds == 7 * 60
    article.refresh_from_db()
    assert article.status == "published"
    assert OutboundMessage.objects.filter(purpose="escalation", subject__contains="URGENT",
                                          to_address="lead@worldtimetodays.example").exists()


def test_policy_row_overrides_the_default():
    ArticleFactory(primary=PRIMARY)
    SlaPolicy.objects.create(kind="copyright", verification="email_confirmed", at_due="escalate")
    notice = _notice(PRIMARY)

    assert _enforce_all(notice.due_at)[-1].startswith("breach recorded")


def test_kill_switch_stops_automated_withdrawals(settings):
    settings.SLA_AUTOMATED_WITHDRAWALS = False
    article = ArticleFactory(primary=PRIMARY)
    notice = _notice(PRIMARY)

    assert "switched off" in _enforce_all(notice.due_at)[-1]
    article.refresh_from_db()
    assert article.status == "published"


def test_cap_defers_withdrawals_past_it_to_the_next_sweep(settings):
    settings.SLA_MAX_AUTOMATED_WITHDRAWALS_PER_SWEEP = 1
    notices = []
    for n in range(3):
        ArticleFactory(primary=f"https://outlet.example/{n}.html")
        notices.append(_notice(f"https://outlet.example/{n}.html", claimant_email=f"c{n}@x.example"))
    act_at = notices[0].due_at - safety_margin()

    first = _enforce_all(act_at)

    assert sorted(first)[0].startswith("capped") and first.count("withdrew 1 article(s) pending review") == 1
    assert Article.objects.filter(status="withdrawn").count() == 1
    _enforce_all(act_at + timedelta(seconds=settings.SLA_SWEEP_INTERVAL_SECONDS))
    _enforce_all(act_at + timedelta(seconds=2 * settings.SLA_SWEEP_INTERVAL_SECONDS))
    assert Article.objects.filter(status="withdrawn").count() == 3


def test_the_same_enforce_delivered_twice_acts_once():
    ArticleFactory(primary=PRIMARY)
    notice = _notice(PRIMARY)
    due = notice.deadlines.get(kind="due")
    enqueued: list[int] = []
    sweep(now=notice.due_at, enqueue=enqueued.extend)

    first = enforce(deadline_id=due.pk, now=notice.due_at)
    second = enforce(deadline_id=due.pk, now=notice.due_at)

    assert first.startswith("withdrew") and second == "already done"
    assert Decision.objects.count() == 1 and AuditEntry.objects.filter(action="sla.due").count() == 1


def test_enforce_before_its_time_puts_the_row_back():
    notice = _notice(PRIMARY)
    due = notice.deadlines.get(kind="due")

    assert enforce(deadline_id=due.pk, now=T0 + timedelta(hours=1)) == "not due yet"

    due.refresh_from_db()
    assert due.state == "pending" and due.wake_at == notice.due_at - safety_margin()


def test_a_poison_row_is_set_aside_after_its_attempts_and_never_blocks_others(settings, monkeypatch):
    settings.SLA_MAX_ATTEMPTS = 2
    poison, good = _notice(PRIMARY), _notice("https://outlet.example/other", claimant_email="b@x.example")
    poison_due = poison.deadlines.get(kind="escalate_50")
    import compliance.services.sla_enforce as module

    real = module._escalate

    def explode(notice, *args, **kwargs):
        if notice.pk == poison.pk:
            raise RuntimeError("boom")
        return real(notice, *args, **kwargs)

    monkeypatch.setattr(module, "_escalate", explode)
    at = T0 + timedelta(hours=12, seconds=1)
    for attempt in range(3):
        ids: list[int] = []
        sweep(now=at, enqueue=ids.extend)
        for pk in ids:
            try:
                enforce(deadline_id=pk, now=at)
            except RuntimeError:
                pass
        at += timedelta(seconds=settings.SLA_LEASE_SECONDS)

    poison_due.refresh_from_db()
    assert poison_due.state == "failed" and "boom" in poison_due.outcome
    assert good.deadlines.get(kind="escalate_50").state == "done"


def test_deadlines_stop_when_no_item_is_left_undecided():
    notice = _notice(PRIMARY, "https://outlet.example/b")
    first, second = notice.items.order_by("position")
    first.state = "rejected"
    first.save()

    assert cancel_if_settled(notice, now=T0) == 0
    second.state = "actioned"
    second.save()
    assert cancel_if_settled(notice, now=T0) == 4
    assert set(notice.deadlines.values_list("state", flat=True)) == {"cancelled"}


def test_reply_with_the_missing_statements_starts_the_deadlines(corpus):
    from compliance.services.supplements import supplement_notice

    notice = _notice(PRIMARY, accuracy=False)
    later = T0 + timedelta(hours=5)

    supplement_notice(notice_id=notice.pk, items=[], good_faith=True, accuracy=True, signature="", actor=Actor.parse("claimant:email"),
                      now=later)

    assert notice.deadlines.get(kind="due").due_at == later + timedelta(hours=24)


def test_sla_commands_report_on_the_state(capsys):
    ArticleFactory(primary=PRIMARY)
    notice = _notice(PRIMARY, verification=Notice.Verification.UNVERIFIED)

    with time_machine.travel(notice.due_at + timedelta(minutes=1), tick=False):
        call_command("sla_status")
        status_before = capsys.readouterr().out
        call_command("sla_sweep")
        swept = capsys.readouterr().out

    assert "open due" in status_before and "overdue          4" in status_before
    assert "claimed 4 deadline(s)" in swept
    assert NoticeItemMatch.objects.get().state == "matched"


def test_metrics_expose_the_sla_figures_in_prometheus_format(client):
    notice = _notice(PRIMARY, verification=Notice.Verification.UNVERIFIED)

    with time_machine.travel(notice.due_at + timedelta(minutes=2), tick=False):
        text = client.get("/metrics").content.decode()

    assert 'takedown_sla_open_deadlines{kind="due"} 1' in text
    assert "takedown_sla_overdue_deadlines 4" in text
    assert f"takedown_sla_lag_seconds {int(timedelta(hours=12, minutes=2).total_seconds())}" in text
    assert "takedown_sla_sweeper_healthy 0" in text


def test_metrics_need_the_token_when_one_is_set(client, settings):
    settings.METRICS_TOKEN = "s3cret"

    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret").status_code == 200
